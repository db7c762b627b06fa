//! Running the binary under the corpus' bounds: killed past 5 s of CPU time
//! (or 30 s of wall-clock time, for a process that blocks), and an address
//! space of 512 MiB, so that a blow-up fails instead of swapping. CPU time,
//! not wall-clock time, so that a loaded machine running the rest of the
//! suite does not fail a case that is merely waiting for a core.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub const TIME_BOUND: Duration = Duration::from_secs(5);
/// Wall-clock time after which a process that uses no CPU is a hang too.
pub const WALL_BOUND: Duration = Duration::from_secs(30);
pub const MEMORY_BOUND: u64 = 512 * 1024 * 1024;
/// Output kept of each stream; more is counted, and fails the case.
pub const OUTPUT_BOUND: usize = 1 << 20;

pub struct Ran {
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// Bytes written past [`OUTPUT_BOUND`], both streams.
    pub overflow: usize,
    pub elapsed: Duration,
    /// CPU time (user and system, all threads) when last seen.
    pub cpu: Duration,
    pub timed_out: bool,
}

/// Runs `exe args` in `dir` with `env` set, under the bounds.
pub fn bounded(exe: &Path, args: &[String], dir: &Path, env: &[(&str, &str)]) -> Ran {
    let mut cmd = Command::new(exe);
    cmd.args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: setrlimit is async-signal-safe; nothing else runs in the hook.
    unsafe {
        use std::os::unix::process::CommandExt;
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: MEMORY_BOUND as libc::rlim_t,
                rlim_max: MEMORY_BOUND as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let start = Instant::now();
    let mut child = cmd.spawn().expect("start lloom-monctl");
    let out = drain(child.stdout.take().expect("stdout"));
    let err = drain(child.stderr.take().expect("stderr"));
    let mut timed_out = false;
    let mut cpu = Duration::ZERO;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        cpu = cpu_time(child.id()).unwrap_or(cpu);
        if cpu > TIME_BOUND || start.elapsed() > WALL_BOUND {
            timed_out = true;
            let _ = child.kill();
            break child.wait().expect("wait");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    let (stdout, o1) = out.join().expect("stdout reader");
    let (stderr, o2) = err.join().expect("stderr reader");
    Ran {
        code: status.code(),
        stdout,
        stderr,
        overflow: o1 + o2,
        elapsed,
        cpu,
        timed_out,
    }
}

/// User and system time of a running process, from `/proc/PID/stat`.
fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the command name, which is in parentheses.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // SAFETY: sysconf only reads a configuration value.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
    Some(Duration::from_millis(ticks * 1000 / per_second))
}

/// Reads a stream to its end on a thread, keeping [`OUTPUT_BOUND`] bytes.
fn drain(mut stream: impl Read + Send + 'static) -> std::thread::JoinHandle<(Vec<u8>, usize)> {
    std::thread::spawn(move || {
        let (mut kept, mut over) = (Vec::new(), 0);
        let mut buf = [0u8; 1 << 16];
        while let Ok(n) = stream.read(&mut buf) {
            if n == 0 {
                break;
            }
            let room = OUTPUT_BOUND.saturating_sub(kept.len()).min(n);
            kept.extend_from_slice(&buf[..room]);
            over += n - room;
        }
        (kept, over)
    })
}
