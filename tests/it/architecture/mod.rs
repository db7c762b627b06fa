//! The house rules of `src/`, held by a test. Every path a file names (its
//! `use`s and inline `a::b::c` paths, parsed with `syn`; `#[cfg(test)]`
//! items left out) is resolved to the module that defines the name, through
//! any re-exports. Then:
//!
//! 1. **Layers.** spec → model → lint → render → output, one way:
//!    `spec` reads no later layer; `model` reads the spec, the catalog, the
//!    diagnostics and discover's inventory types only; `lint` and `render`
//!    read the model, never the spec; `output` never reads `pipeline` or the
//!    CLI. `discover` and `conform` stand beside the pipeline.
//! 2. **The model's core** (`model/core/`, the shared IR and the `Ctx`)
//!    imports nothing else of the model.
//! 3. **Concerns take arguments.** A model concern (every model folder and
//!    file but `core/`, `build.rs` and `mod.rs`) never names `build.rs` nor
//!    anything `model/mod.rs` defines, where `Model` lives: what it needs
//!    comes as arguments (`&Stack`, `&[RuleGroup]`).
//! 4. **No cycles** between the files of `model/`, nor between its folders.

mod resolve;

use resolve::{module_path, Crate, ModPath};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What each top-level module may read of the crate's other top-level modules.
const LAYERS: &[(&str, &[&str])] = &[
    ("diagnostics", &[]),
    ("spec", &["diagnostics"]),
    ("catalog", &["diagnostics"]),
    ("discover", &["diagnostics"]),
    ("model", &["spec", "catalog", "diagnostics", "discover"]),
    ("lint", &["model", "catalog", "diagnostics"]),
    ("render", &["model", "catalog", "diagnostics"]),
    ("output", &["render", "diagnostics"]),
    ("conform", &["catalog", "diagnostics"]),
];

/// Of `discover`, the model may read the inventory's types only.
const MODEL_MAY_READ_OF_DISCOVER: &str = "discover::inventory";

fn src_files() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src/ is readable") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                // The binary is its own crate; it reads the library's API.
                if rel != "main.rs" {
                    out.push((rel, std::fs::read_to_string(&path).expect("readable")));
                }
            }
        }
    }
    out.sort();
    out
}

fn joined(p: &[String]) -> String {
    p.join("::")
}

/// The model folder (or top file) a model module belongs to: `slo`, `core`, `build`.
fn concern(m: &ModPath) -> Option<&str> {
    (m.first().map(String::as_str) == Some("model")).then(|| m.get(1).map_or("mod", String::as_str))
}

/// A file naming a module: (file's module, module named, path as written,
/// whether it is a `pub use` re-export).
type Edge = (ModPath, ModPath, ModPath, bool);

/// Every edge of the crate, resolved to the module that defines the name.
fn edges(krate: &Crate) -> Vec<Edge> {
    let mut out = Vec::new();
    for (at, m) in &krate.modules {
        for (p, reexport) in &m.paths {
            let to = krate.resolve(p);
            if to != *at {
                out.push((at.clone(), to, p.clone(), *reexport));
            }
        }
    }
    out
}

fn layer_breaks(from: &ModPath, to: &ModPath, written: &ModPath) -> Option<String> {
    let (a, b) = (from.first()?.as_str(), to.first()?.as_str());
    if a == b {
        return None;
    }
    let (_, allowed) = LAYERS.iter().find(|(l, _)| *l == a)?;
    let ok = allowed.contains(&b)
        && !(a == "model"
            && b == "discover"
            && !joined(to).starts_with(MODEL_MAY_READ_OF_DISCOVER));
    (!ok).then(|| {
        format!(
            "layer: `{}` names `{}` (`{}`), but {a} may read only {allowed:?}{}",
            joined(from),
            joined(to),
            joined(written),
            if a == "model" && b == "discover" {
                " and discover::inventory"
            } else {
                ""
            }
        )
    })
}

fn model_breaks(from: &ModPath, to: &ModPath, written: &ModPath) -> Option<String> {
    let (Some(a), Some(b)) = (concern(from), concern(to)) else {
        return None;
    };
    let says = || {
        format!(
            "`{}` names `{}` (`{}`)",
            joined(from),
            joined(to),
            joined(written)
        )
    };
    if a == "core" && b != "core" {
        return Some(format!(
            "core: {}: model/core imports nothing else of the model",
            says()
        ));
    }
    let is_concern = !matches!(a, "core" | "build" | "mod");
    if is_concern && matches!(b, "build" | "mod") {
        return Some(format!("concern: {}: a concern takes what it needs as arguments, never build.rs or what model/mod.rs defines (Model)", says()));
    }
    None
}

/// The first cycle in `graph`, as the nodes around it.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == n) {
            return Some([&path[i..], &[n.to_string()]].concat());
        }
        if done.contains(n) {
            return None;
        }
        path.push(n.to_string());
        for next in g.get(n).into_iter().flatten() {
            if let Some(c) = visit(next, g, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

/// Cycles among the model's files and folders; re-exports are structure
/// (a folder showing its parts), not dependencies, and are left out.
fn cycle_breaks(krate: &Crate, edges: &[Edge]) -> Vec<String> {
    let (mut files, mut folders) = (BTreeMap::new(), BTreeMap::new());
    for (from, to, _, _) in edges.iter().filter(|e| !e.3) {
        let (Some(a), Some(b)) = (concern(from), concern(to)) else {
            continue;
        };
        let file = |m: &ModPath| krate.modules[m].file.clone();
        files
            .entry(file(from))
            .or_insert_with(BTreeSet::new)
            .insert(file(to));
        if a != b {
            folders
                .entry(a.to_string())
                .or_insert_with(BTreeSet::new)
                .insert(b.to_string());
        }
    }
    let mut out = Vec::new();
    if let Some(c) = cycle(&files) {
        out.push(format!("cycle between files of model/: {}", c.join(" → ")));
    }
    if let Some(c) = cycle(&folders) {
        out.push(format!(
            "cycle between folders of model/: {}",
            c.join(" → ")
        ));
    }
    out
}

/// Every broken rule in a tree of `(file under src/, source)`.
fn breaks(files: &[(String, String)]) -> Vec<String> {
    let krate = Crate::parse(files).expect("src/ parses");
    let edges = edges(&krate);
    let mut out: Vec<String> = edges
        .iter()
        .filter_map(|(from, to, w, _)| {
            layer_breaks(from, to, w).or_else(|| model_breaks(from, to, w))
        })
        .collect();
    out.extend(cycle_breaks(&krate, &edges));
    out.sort();
    out.dedup();
    out
}

#[test]
fn the_source_keeps_the_house_rules() {
    let found = breaks(&src_files());
    assert!(
        found.is_empty(),
        "{} broken rule(s):\n{}",
        found.len(),
        found.join("\n")
    );
}

/// `src/` with each `(file, line)`'s line added to the end of its file.
fn with_lines(added: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut files = src_files();
    for (file, line) in added {
        let f = files
            .iter_mut()
            .find(|(p, _)| p == file)
            .expect("file exists");
        f.1.push_str(&format!("\n{line}\n"));
    }
    files
}

/// Asserts that adding the lines breaks a rule whose message starts so.
fn refused(added: &[(&str, &str)], message: &str) {
    let found = breaks(&with_lines(added));
    assert!(found.iter().any(|b| b.starts_with(message)), "{found:?}");
}

#[test]
fn a_renderer_reading_the_spec_is_refused() {
    refused(
        &[("render/mod.rs", "use crate::spec::Spec;")],
        "layer: `render` names `spec`",
    );
}

#[test]
fn the_core_reading_a_concern_is_refused() {
    refused(
        &[("model/core/expr.rs", "use crate::model::slo::Slo;")],
        "core: `model::core::expr` names `model::slo`",
    );
}

#[test]
fn a_concern_reading_the_model_is_refused() {
    refused(
        &[("model/slo/rules.rs", "fn f(_: &crate::model::Model) {}")],
        "concern: `model::slo::rules` names `model`",
    );
}

#[test]
fn a_cycle_between_concerns_is_refused() {
    let logs_reads_deploy = ("model/logs/mod.rs", "use crate::model::deploy::Deploy;");
    let deploy_reads_logs = ("model/deploy/mod.rs", "use crate::model::logs::Logs;");
    for one_way in [logs_reads_deploy, deploy_reads_logs] {
        let found = breaks(&with_lines(&[one_way]));
        assert!(
            !found.iter().any(|b| b.starts_with("cycle")),
            "one way is fine: {found:?}"
        );
    }
    refused(
        &[logs_reads_deploy, deploy_reads_logs],
        "cycle between folders of model/: ",
    );
}

#[test]
fn module_paths_follow_the_files() {
    assert_eq!(module_path("model/slo/mod.rs"), ["model", "slo"]);
    assert_eq!(module_path("model/slo/rules.rs"), ["model", "slo", "rules"]);
    assert!(module_path("lib.rs").is_empty());
}
