//! The crash hook: every change to the output directory is one step, and
//! `LLOOM_MONCTL_CRASH_AFTER=N` aborts the process (as `kill -9` would, with
//! no clean-up) just before step N+1. The crash test uses it to stop a render
//! at every step and prove that the next render converges (docs/cli.md).

/// The environment variable that sets the step to abort at.
pub const CRASH_AFTER: &str = "LLOOM_MONCTL_CRASH_AFTER";

/// Counts the changes a write makes.
#[derive(Debug)]
pub struct Steps {
    taken: u64,
    abort_after: Option<u64>,
}

impl Steps {
    /// Reads the hook from the environment; without it, steps are only counted.
    pub fn from_env() -> Steps {
        let abort_after = std::env::var(CRASH_AFTER)
            .ok()
            .and_then(|v| v.trim().parse().ok());
        Steps {
            taken: 0,
            abort_after,
        }
    }

    /// Called before each change; aborts when the hook says so.
    pub fn step(&mut self) {
        if self.abort_after == Some(self.taken) {
            eprintln!("{CRASH_AFTER}: aborting before step {}", self.taken + 1);
            std::process::abort();
        }
        self.taken += 1;
    }

    /// How many changes were made.
    pub fn taken(&self) -> u64 {
        self.taken
    }
}
