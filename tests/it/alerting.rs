//! Proof that the right people get paged: the rendered `alertmanager.yml`
//! passes `amtool check-config` (0.28.1, the version the stack deploys, built
//! by `tools/reference/build`; and Debian's 0.25, the floor for manual
//! installs), every route test passes `amtool config routes test
//! --verify.receivers` with both, a wrong routing fails them,
//! and no secret from the spec's secret files or the environment reaches a
//! generated file.

use crate::common;

use common::{read_tree, render_to_temp, root, run, Rendered};
use lloom_monctl::render::alertmanager::config::Config;
use std::path::Path;
use std::process::Command;

/// Debian's amtool 0.25: the floor for manual installs.
fn floor_amtool() -> std::path::PathBuf {
    common::require_tool("amtool", "apt-get install -y prometheus-alertmanager")
}

/// The pinned amtool (0.28.1) and the floor.
fn amtools() -> [std::path::PathBuf; 2] {
    [common::reference_tool("amtool"), floor_amtool()]
}

fn output(cmd: &mut Command) -> std::process::Output {
    cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"))
}

fn text(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Every spec with an `[alertmanager]`, rendered.
fn rendered() -> Vec<(String, std::sync::Arc<Rendered>)> {
    common::valid_specs()
        .into_iter()
        .map(|s| {
            let dir = common::rendered(&s);
            (s, dir)
        })
        .filter(|(_, d)| d.path().join("alertmanager/alertmanager.yml").is_file())
        .collect()
}

/// The route tests with the pinned amtool, then with the floor's; the output
/// of both. The script finds amtool on PATH, as an operator's CI would.
fn route_tests(dir: &Path) -> Vec<std::process::Output> {
    floor_amtool();
    let script = dir.join("alertmanager/route-tests.sh");
    vec![
        output(
            Command::new("sh")
                .arg(&script)
                .env("PATH", common::path_with_reference_tools()),
        ),
        output(Command::new("sh").arg(&script)),
    ]
}

#[test]
fn amtool_accepts_every_rendered_alertmanager_config() {
    for amtool in amtools() {
        amtool_accepts(&amtool);
    }
}

fn amtool_accepts(amtool: &Path) {
    let specs = rendered();
    assert!(
        specs.iter().any(|(s, _)| s == "specs/lloom.toml"),
        "the example spec routes alerts"
    );
    for (spec, dir) in &specs {
        let out = output(
            Command::new(amtool)
                .arg("check-config")
                .arg(dir.path().join("alertmanager/alertmanager.yml")),
        );
        assert!(
            out.status.success(),
            "{} check-config for {spec}:\n{}",
            amtool.display(),
            text(&out)
        );
        // The notification templates were found and parsed.
        assert!(
            text(&out).contains(" - 1 templates"),
            "{spec}: {}",
            text(&out)
        );
        // And the file reads back into the typed model, every key known.
        let yml =
            std::fs::read_to_string(dir.path().join("alertmanager/alertmanager.yml")).unwrap();
        let _: Config = serde_saphyr::from_str(&yml).unwrap_or_else(|e| panic!("{spec}: {e}"));
    }
    let committed = output(
        Command::new(amtool)
            .arg("check-config")
            .arg(root().join("generated/alertmanager/alertmanager.yml")),
    );
    assert!(committed.status.success(), "{}", text(&committed));
}

#[test]
fn every_route_test_passes_with_amtool() {
    for (spec, dir) in rendered() {
        for out in route_tests(dir.path()) {
            assert!(
                out.status.success(),
                "route tests of {spec}:\n{}",
                text(&out)
            );
            assert!(!text(&out).contains("FAIL"), "{}", text(&out));
        }
    }
    for committed in route_tests(&root().join("generated")) {
        assert!(committed.status.success(), "{}", text(&committed));
        // The example's own cases, and one per alert.
        let shown = text(&committed);
        assert!(
            shown.contains("ok   alertname=LloomTargetDown severity=critical -> pagerduty"),
            "{shown}"
        );
        assert!(shown.contains("ok   alertname=HighClientErrorRate cluster=lloom-prod region=us-east-1 severity=warning -> slack"), "{shown}");
    }
}

#[test]
fn route_tests_fail_when_the_routing_is_wrong() {
    let dir = render_to_temp("specs/lloom.toml");
    let path = dir.path().join("alertmanager/alertmanager.yml");
    let yml = std::fs::read_to_string(&path).unwrap();
    // Critical alerts now go to Slack instead of PagerDuty.
    let wrong = yml.replacen("- receiver: pagerduty", "- receiver: slack", 1);
    assert_ne!(wrong, yml);
    std::fs::write(&path, wrong).unwrap();
    for out in route_tests(dir.path()) {
        assert!(
            !out.status.success(),
            "the route tests must catch it:\n{}",
            text(&out)
        );
        assert!(
            text(&out).contains(
                "FAIL alertname=LloomTargetDown severity=critical: expected pagerduty, got slack"
            ),
            "{}",
            text(&out)
        );
    }
}

/// A spec whose receivers read their secrets from files in `dir`.
fn spec_with_secret_files(dir: &Path) -> String {
    let example = std::fs::read_to_string(root().join("specs/lloom.toml")).unwrap();
    example.replace("/run/secrets/", &format!("{}/", dir.display()))
}

#[test]
fn no_secret_reaches_a_generated_file() {
    let secrets = tempfile::tempdir().unwrap();
    let planted = [
        ("smtp_password", "planted-smtp-password-0b7f"),
        ("pagerduty_routing_key", "planted-pagerduty-key-91c2"),
        (
            "slack_webhook_url",
            "https://hooks.slack.com/services/PLANTED/SECRET/3e5d",
        ),
    ];
    for (file, value) in planted {
        std::fs::write(secrets.path().join(file), value).unwrap();
    }
    let spec = secrets.path().join("lloom.toml");
    std::fs::write(&spec, spec_with_secret_files(secrets.path())).unwrap();
    let out_dir = secrets.path().join("generated");
    let out = common::bin()
        .args([
            "render",
            spec.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
        ])
        // Secrets in the environment, as a CI job would have them.
        .env("PAGERDUTY_ROUTING_KEY", planted[1].1)
        .env("SLACK_WEBHOOK_URL", planted[2].1)
        .env("SMTP_PASSWORD", planted[0].1)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let tree = read_tree(&out_dir);
    assert!(tree.len() > 10, "the whole tree was rendered");
    for (path, bytes) in &tree {
        let contents = String::from_utf8_lossy(bytes);
        for (_, value) in planted {
            assert!(
                !contents.contains(value),
                "{} holds the secret {value}",
                path.display()
            );
        }
    }
    // The config refers to the files instead.
    let am =
        String::from_utf8_lossy(&tree[Path::new("alertmanager/alertmanager.yml")]).into_owned();
    for (file, _) in planted {
        assert!(
            am.contains(&format!("{}/{file}", secrets.path().display())),
            "{am}"
        );
    }
}

#[test]
fn an_inline_secret_is_refused_and_nothing_is_written() {
    let out = run(&["check", "tests/fixtures/invalid/am-inline-secret.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    for field in ["auth_password", "routing_key", "api_url"] {
        assert!(
            err.contains(&format!("error[spec/inline-secret]: `{field}`")),
            "{err}"
        );
    }
    // None of the three planted values is echoed back, and nothing is printed
    // to stdout (check renders in memory only).
    for secret in [
        "hunter2",
        "0123456789abcdef",
        "https://hooks.slack.com/services/T000/B000/XXXX",
    ] {
        assert!(!err.contains(secret), "{secret} echoed back: {err}");
    }
    assert!(out.stdout.is_empty());
}
