//! `conform` as an operator runs it: against saved `/metrics` pages in
//! `tests/fixtures/conform/` and against a node served over HTTP, through the
//! built binary.

use crate::common;

use common::run;
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

const FIXTURES: &str = "tests/fixtures/conform";

fn fixture(name: &str) -> String {
    format!("{FIXTURES}/{name}")
}

fn code(out: &std::process::Output) -> i32 {
    out.status.code().expect("exited normally")
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `conform --format json`: the exit code and the findings.
fn conform_json(source: &str, extra: &[&str]) -> (i32, Vec<Value>) {
    let mut args = vec!["conform", "--format", "json", source];
    args.extend(extra);
    let out = run(&args);
    let findings: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{source}: no JSON array on stdout ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            stderr(&out)
        )
    });
    (code(&out), findings)
}

#[test]
fn conforming_pages_have_no_findings_even_with_deny_warnings() {
    for (name, role) in [
        ("client-ok.prom", "client"),
        ("executor-ok.prom", "executor"),
    ] {
        let source = fixture(name);
        for deny in [&[][..], &["--deny", "warnings"][..]] {
            let (exit, findings) = conform_json(&source, deny);
            assert_eq!(findings, Vec::<Value>::new(), "{source} {deny:?}");
            assert_eq!(exit, 0, "{source} {deny:?}");
        }
        let out = run(&["conform", &source]);
        assert_eq!(code(&out), 0);
        assert_eq!(
            stderr(&out),
            format!("{source}: 0 error(s), 0 warning(s) against the catalog (roles: {role}; inferred)\n")
        );
    }
}

/// Each defect fixture: the one finding it must produce, and where.
const DEFECTS: &[(&str, &str, u64, u64)] = &[
    ("client-renamed.prom", "conform/renamed-metric", 38, 8),
    ("client-changed-type.prom", "conform/wrong-type", 39, 36),
    ("client-missing-label.prom", "conform/missing-label", 18, 1),
];

#[test]
fn each_defect_is_exactly_one_error_at_its_place() {
    for &(name, expected, line, column) in DEFECTS {
        let source = fixture(name);
        let (exit, findings) = conform_json(&source, &[]);
        assert_eq!(exit, 1, "{source}");
        assert_eq!(findings.len(), 1, "{source}: {findings:#?}");
        let f = &findings[0];
        assert_eq!(f["file"], source.as_str());
        assert_eq!(f["code"], expected, "{source}");
        assert_eq!(f["severity"], "error", "{source}");
        assert_eq!(
            (f["line"].as_u64(), f["column"].as_u64()),
            (Some(line), Some(column)),
            "{source}: {f}"
        );
    }
}

#[test]
fn defects_read_like_compiler_diagnostics() {
    for &(name, ..) in DEFECTS {
        let out = run(&["conform", &fixture(name)]);
        assert_eq!(code(&out), 1);
        assert!(out.stdout.is_empty(), "text findings go to stderr");
        insta::assert_snapshot!(name.trim_end_matches(".prom"), stderr(&out));
    }
}

#[test]
fn roles_can_be_given_and_are_checked() {
    let source = fixture("client-ok.prom");
    let (exit, findings) = conform_json(&source, &["--role", "client,executor"]);
    assert_eq!(exit, 1);
    assert!(!findings.is_empty());
    assert!(findings
        .iter()
        .all(|f| f["code"] == "conform/missing-metric"
            && f["message"]
                .as_str()
                .unwrap()
                .starts_with("`lloom_executor_")));
    let out = run(&["conform", &source, "--role", "client", "--role", "executor"]);
    assert!(
        stderr(&out).ends_with("against the catalog (roles: client, executor; given)\n"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        code(&run(&["conform", &source, "--role", "miner"])),
        2,
        "unknown role"
    );
}

#[test]
fn the_catalog_is_the_specs() {
    // many-hosts.toml declares `lloom_executor_batch_size` for executors.
    let (exit, findings) = conform_json(
        &fixture("executor-ok.prom"),
        &["--spec", "tests/fixtures/valid/many-hosts.toml"],
    );
    assert_eq!(exit, 1);
    let messages: Vec<&str> = findings
        .iter()
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].starts_with("`lloom_executor_batch_size` is not exposed"),
        "{}",
        messages[0]
    );
    assert!(messages[0].contains("declared with `[[metric]]` in the spec"));

    let invalid = run(&[
        "conform",
        &fixture("client-ok.prom"),
        "--spec",
        "tests/fixtures/invalid/unknown-key.toml",
    ]);
    assert_eq!(code(&invalid), 2, "{}", stderr(&invalid));
    assert!(stderr(&invalid).contains("error[spec/unknown-key]"));
}

#[test]
fn unreadable_sources_exit_3_with_one_line() {
    for source in [
        "tests/fixtures/conform/does-not-exist.prom",
        "https://127.0.0.1:1/metrics",
    ] {
        let out = run(&["conform", source]);
        assert_eq!(code(&out), 3, "{source}: {}", stderr(&out));
        assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
        assert!(
            stderr(&out).starts_with("error: cannot "),
            "{}",
            stderr(&out)
        );
    }
}

/// Serves `body` on `GET /metrics` (404 elsewhere) from a thread, one
/// connection at a time, until the test process ends; returns the port.
fn serve(body: &'static str) -> u16 {
    serve_as(body, Some("text/plain; version=0.0.4; charset=utf-8"))
}

/// [`serve`], with this `Content-Type` on `/metrics` (`None`: no header).
fn serve_as(body: &'static str, metrics_type: Option<&'static str>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            // The headers, up to the blank line.
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 0) && header != "\r\n" {
                header.clear();
            }
            let (status, content_type, body) = if request_line.starts_with("GET /metrics ") {
                ("200 OK", metrics_type, body)
            } else {
                ("404 Not Found", Some("text/plain"), "404 page not found\n")
            };
            let header = content_type.map_or(String::new(), |t| format!("Content-Type: {t}\r\n"));
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\n{header}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    port
}

#[test]
fn a_running_node_is_fetched_over_http() {
    let ok = serve(include_str!("../fixtures/conform/client-ok.prom"));
    let url = format!("http://127.0.0.1:{ok}/metrics");
    let (exit, findings) = conform_json(&url, &[]);
    assert_eq!((exit, findings), (0, vec![]), "{url}");

    let renamed = serve(include_str!("../fixtures/conform/client-renamed.prom"));
    let url = format!("http://127.0.0.1:{renamed}/metrics");
    let out = run(&["conform", &url]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with(&format!("{url}:38:8: error[conform/renamed-metric]")),
        "findings are named by the URL: {}",
        stderr(&out)
    );

    let out = run(&["conform", &format!("http://127.0.0.1:{ok}/not-metrics")]);
    assert_eq!(code(&out), 3, "a 404 is an I/O failure: {}", stderr(&out));
    assert!(stderr(&out).contains("404"), "{}", stderr(&out));
}

/// Prometheus 3 fails a scrape whose answer has no `Content-Type`, or one it
/// does not read; `conform` says so, once, before the page's own findings.
#[test]
fn a_content_type_prometheus_3_refuses_is_an_error() {
    let page = include_str!("../fixtures/conform/client-ok.prom");
    let openmetrics = serve_as(page, Some("application/openmetrics-text; version=1.0.0"));
    let (exit, findings) = conform_json(&format!("http://127.0.0.1:{openmetrics}/metrics"), &[]);
    assert_eq!((exit, findings), (0, vec![]));
    for (served, says) in [
        (None, "without a `Content-Type`"),
        (
            Some("text/html; charset=utf-8"),
            "served as `text/html; charset=utf-8`",
        ),
    ] {
        let port = serve_as(page, served);
        let url = format!("http://127.0.0.1:{port}/metrics");
        let (exit, findings) = conform_json(&url, &[]);
        assert_eq!(exit, 1, "{served:?}");
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0]["code"], "conform/content-type");
        assert!(
            findings[0]["message"].as_str().unwrap().contains(says),
            "{findings:?}"
        );
    }
}

#[test]
fn an_unreachable_node_exits_3() {
    // A port that was free a moment ago: nothing listens there now.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = run(&["conform", &format!("http://127.0.0.1:{port}/metrics")]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with("error: cannot fetch"),
        "{}",
        stderr(&out)
    );
}
