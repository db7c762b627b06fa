//! `discover` and `check-inventory` through the built binary, and the
//! inventory fixtures through `discover::validate::load`. NVML discovery
//! itself is tested with fakes in `src/discover/nvml.rs`, and on a GPU host
//! by the ignored test at the end; the no-driver test points NVML at a
//! missing library, so the suite passes on GPU hosts too.

use crate::common;

use common::{bin, root, run};
use lloom_monctl::diagnostics::Source;
use lloom_monctl::discover::validate;
use std::io::Write;
use std::process::Stdio;

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The (fixture, host, GPU count) of each recorded host.
const HOSTS: [(&str, &str, usize); 4] = [
    ("h100", "executor2", 1),
    ("8xh100", "executor1", 8),
    ("mixed", "executor3", 2),
    ("none", "client1", 0),
];

/// Runs on any machine, GPU or not: the library is pointed at a path where
/// none is, as on a host without the driver.
#[test]
fn without_nvml_discover_exits_4_says_what_is_missing_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("inventory/executor1.toml");
    let out = bin()
        .args([
            "discover",
            "--host",
            "executor1",
            "--output",
            output.to_str().unwrap(),
        ])
        .env(
            "LLOOM_MONCTL_NVML_LIB",
            dir.path().join("libnvidia-ml.so.1"),
        )
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.contains("libnvidia-ml.so.1"), "{err}");
    assert!(err.contains("--from-smi"), "{err}");
    assert!(
        err.contains("nvidia-smi --query-gpu=index,uuid,name,memory.total,pci.bus_id,power.limit,driver_version --format=csv,noheader,nounits > gpus.csv"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    assert!(!output.exists() && !output.parent().unwrap().exists());
}

#[test]
fn from_smi_prints_the_committed_inventory() {
    for (name, host, _) in HOSTS {
        let csv = format!("tests/fixtures/nvidia-smi/{name}.csv");
        let out = run(&["discover", "--from-smi", &csv, "--host", host]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            read(&format!("tests/fixtures/inventory/{name}.toml")),
            "{name}: regenerate with `lloom-monctl discover --from-smi {csv} --host {host} --output tests/fixtures/inventory/{name}.toml`"
        );
    }
}

#[test]
fn from_smi_reads_stdin_and_writes_the_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("executor1.toml");
    let mut child = bin()
        .args([
            "discover",
            "--from-smi",
            "-",
            "--host",
            "executor1",
            "--output",
        ])
        .arg(&output)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let csv = read("tests/fixtures/nvidia-smi/8xh100.csv");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(csv.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    assert_eq!(
        std::fs::read_to_string(&output).unwrap(),
        read("tests/fixtures/inventory/8xh100.toml")
    );
}

#[test]
fn a_bad_csv_line_is_located_exits_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("gpus.csv");
    let good = read("tests/fixtures/nvidia-smi/h100.csv");
    std::fs::write(
        &csv,
        format!("{good}1, GPU-x, B, 80 GB, 00000000:19:00.0, 700.00, 550.54.15\n"),
    )
    .unwrap();
    let output = dir.path().join("out.toml");
    let out = bin()
        .args(["discover", "--host", "h", "--from-smi"])
        .arg(&csv)
        .arg("--output")
        .arg(&output)
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "gpus.csv:2:14: error[inventory/smi]: memory.total `80 GB` is not a number of MiB"
        ),
        "{err}"
    );
    assert!(!output.exists());
}

#[test]
fn the_valid_fixtures_load_with_their_hosts_and_gpus() {
    for (name, host, gpus) in HOSTS {
        let path = format!("tests/fixtures/inventory/{name}.toml");
        let inv = validate::load(&path, &read(&path)).unwrap_or_else(|f| panic!("{path}: {f:?}"));
        assert_eq!((inv.host.as_str(), inv.gpu.len()), (host, gpus), "{path}");
        assert_eq!(inv.source, "nvidia-smi");
    }
}

#[test]
fn the_invalid_fixtures_give_located_findings() {
    for (name, expected) in [
        (
            "duplicate-index",
            "duplicate-index.toml:16:9: error[inventory/invalid]: index `0` is also that of an earlier `[[gpu]]`",
        ),
        (
            "missing-uuid",
            "missing-uuid.toml:15:1: error[inventory/invalid]: missing key `uuid` in `[[gpu]]`",
        ),
        (
            "wrong-type",
            "wrong-type.toml:19:22: error[inventory/invalid]: `gpu.memory_total_bytes` must be an integer, not string `\"24GB\"`",
        ),
        (
            "unknown-key",
            "unknown-key.toml:21:1: error[inventory/invalid]: unknown key `power_limit` in `[[gpu]]`",
        ),
    ] {
        let file = format!("{name}.toml");
        let text = read(&format!("tests/fixtures/inventory/invalid/{file}"));
        let findings = validate::load(&file, &text).expect_err(name);
        let shown = Source::new(&file, &text).render_all(&findings);
        let first: Vec<_> = shown.lines().filter(|l| l.starts_with(&file)).collect();
        assert_eq!(first, [expected], "{shown}");
    }
}

#[test]
fn check_inventory_passes_valid_files() {
    let files: Vec<String> = HOSTS
        .iter()
        .map(|(name, _, _)| format!("tests/fixtures/inventory/{name}.toml"))
        .collect();
    let mut args = vec!["check-inventory"];
    args.extend(files.iter().map(String::as_str));
    let out = run(&args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(
            "tests/fixtures/inventory/8xh100.toml: ok: host executor1, 8 GPU(s) via nvidia-smi"
        ),
        "{err}"
    );
}

#[test]
fn check_inventory_reports_every_invalid_file_and_exits_2() {
    let out = run(&[
        "check-inventory",
        "tests/fixtures/inventory/h100.toml",
        "tests/fixtures/inventory/invalid/unknown-key.toml",
        "tests/fixtures/inventory/invalid/wrong-type.toml",
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("tests/fixtures/inventory/invalid/unknown-key.toml:21:1: error[inventory/invalid]: unknown key `power_limit` in `[[gpu]]`"), "{err}");
    assert!(
        err.contains("= help: did you mean `power_limit_watts`? (the keys of `[[gpu]]` are"),
        "{err}"
    );
    assert!(
        err.contains("tests/fixtures/inventory/invalid/wrong-type.toml:19:22:"),
        "{err}"
    );
    assert!(
        err.contains("tests/fixtures/inventory/h100.toml: ok"),
        "{err}"
    );

    let json = run(&[
        "check-inventory",
        "--format",
        "json",
        "tests/fixtures/inventory/invalid/missing-uuid.toml",
    ]);
    assert_eq!(json.status.code(), Some(2));
    let found: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(found[0]["line"], 15);
    assert_eq!(found[0]["code"], "inventory/invalid");
}

#[test]
fn check_inventory_of_a_missing_file_exits_3() {
    let out = run(&["check-inventory", "tests/fixtures/inventory/absent.toml"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
}

/// Needs an NVIDIA GPU and driver: on a GPU host, run
/// `cargo test --test it discover::nvml -- --ignored`.
#[test]
#[ignore = "needs an NVIDIA GPU and driver (libnvidia-ml.so.1)"]
fn nvml_discovers_this_hosts_gpus() {
    let out = run(&["discover", "--host", "gpu-host"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    let inv = validate::load("stdout", &text).unwrap();
    assert_eq!(inv.source, "nvml");
    assert!(!inv.gpu.is_empty(), "{text}");
    assert!(inv.driver_version.is_some() && inv.cuda_driver_version.is_some());
    assert!(inv.gpu.iter().all(|g| g.memory_total_bytes > 0));
}
