//! Every lint code has a fixture on which it fires and one, its fix, on which
//! the whole spec lints clean (`tests/fixtures/lint/<code>.{fires,quiet}.toml`),
//! run through the binary as CI runs `check`. The text diagnostics of each
//! firing fixture are snapshotted: that is what an operator sees.

use crate::common;

use common::{root, run};
use lloom_monctl::diagnostics::Severity;
use lloom_monctl::lint::codes::LintCode;
use serde_json::Value;

fn fixture(code: &str, kind: &str) -> String {
    let slug = code
        .strip_prefix("lint/")
        .expect("lint codes start with lint/");
    format!("tests/fixtures/lint/{slug}.{kind}.toml")
}

/// `check --format json`: the exit code and the findings.
fn check_json(spec: &str, deny: bool) -> (i32, Vec<Value>) {
    let mut args = vec!["check", "--format", "json", spec];
    if deny {
        args.extend(["--deny", "warnings"]);
    }
    let out = run(&args);
    let findings: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{spec}: --format json printed no JSON array ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (out.status.code().expect("exited normally"), findings)
}

#[test]
fn every_code_has_a_firing_and_a_quiet_fixture() {
    let mut missing = Vec::new();
    for c in LintCode::CODES {
        for kind in ["fires", "quiet"] {
            let path = fixture(c.code, kind);
            if !root().join(&path).is_file() {
                missing.push(path);
            }
        }
    }
    assert!(missing.is_empty(), "lint fixtures missing: {missing:?}");
    // And no fixture for a code that no longer exists.
    for entry in std::fs::read_dir(root().join("tests/fixtures/lint")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let slug = name
            .strip_suffix(".fires.toml")
            .or_else(|| name.strip_suffix(".quiet.toml"))
            .unwrap_or_else(|| {
                panic!("{name}: lint fixtures are <code>.fires.toml or <code>.quiet.toml")
            });
        let code = format!("lint/{slug}");
        assert!(
            LintCode::CODES.iter().any(|c| c.code == code),
            "{name} is for `{code}`, which is not a lint code"
        );
    }
}

#[test]
fn each_code_fires_on_its_fixture_with_its_severity_and_place() {
    for c in LintCode::CODES {
        let spec = fixture(c.code, "fires");
        let (exit, findings) = check_json(&spec, false);
        let hit = findings
            .iter()
            .find(|f| f["code"] == c.code)
            .unwrap_or_else(|| panic!("{} does not fire on {spec}: {findings:#?}", c.code));
        assert_eq!(hit["severity"], c.severity.as_str(), "{spec}");
        assert_eq!(hit["file"], spec.as_str());
        assert!(
            hit["line"].as_u64().is_some_and(|l| l > 1) && hit["column"].as_u64().is_some(),
            "{spec}: a finding on the spec's own rule has a place: {hit}"
        );
        let others: Vec<&Value> = findings.iter().filter(|f| f["code"] != c.code).collect();
        let expected = if c.code == "lint/unknown-allow" {
            // The misspelt allow entry silences nothing, so the finding it
            // meant to silence is reported too.
            vec!["lint/counter-without-rate"]
        } else {
            vec![]
        };
        let other_codes: Vec<&str> = others.iter().filter_map(|f| f["code"].as_str()).collect();
        assert_eq!(other_codes, expected, "{spec}: only {} expected", c.code);
        let want = match c.severity {
            Severity::Error => 1,
            Severity::Warning => 0,
        };
        assert_eq!(exit, want, "{spec}: exit code");
        if c.severity == Severity::Warning {
            assert_eq!(check_json(&spec, true).0, 1, "{spec}: --deny warnings");
        }
    }
}

#[test]
fn each_fix_lints_clean_even_with_deny_warnings() {
    for c in LintCode::CODES {
        let spec = fixture(c.code, "quiet");
        let (exit, findings) = check_json(&spec, true);
        assert_eq!(findings, Vec::<Value>::new(), "{spec}");
        assert_eq!(exit, 0, "{spec}");
    }
}

#[test]
fn firing_fixtures_read_like_compiler_diagnostics() {
    insta::glob!("../fixtures/lint", "*.fires.toml", |path| {
        let rel = path.strip_prefix(root()).unwrap().to_str().unwrap();
        let out = run(&["check", rel]);
        insta::assert_snapshot!(String::from_utf8_lossy(&out.stderr));
    });
}
