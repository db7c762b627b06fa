//! Relabel rules: the spec's, checked field by field, and the built-in ones.

use crate::diagnostics::Finding;
use crate::model::core::{re2, Ctx, Relabel};
use crate::spec::{RelabelAction, RelabelSpec, SpecCode};
use std::ops::Range;

/// The guide's rule: `instance` is the host without its port, so that metrics
/// of one machine from different exporters join on `instance`.
pub(crate) fn instance_from_host() -> Relabel {
    Relabel {
        source_labels: vec!["__address__".into()],
        target_label: Some("instance".into()),
        regex: Some("([^:]+):.*".into()),
        replacement: Some("$1".into()),
        ..Relabel::default()
    }
}

const ACTIONS: [&str; 11] = [
    "replace",
    "keep",
    "drop",
    "hashmod",
    "labelmap",
    "labeldrop",
    "labelkeep",
    "lowercase",
    "uppercase",
    "keepequal",
    "dropequal",
];

pub(crate) fn relabels(cx: &mut Ctx, specs: &[toml::Spanned<RelabelSpec>]) -> Vec<Relabel> {
    specs
        .iter()
        .map(|r| relabel(cx, r.get_ref(), r.span()))
        .collect()
}

fn relabel(cx: &mut Ctx, r: &RelabelSpec, at: Range<usize>) -> Relabel {
    let action = r.action;
    let action_name = ACTIONS[action as usize];
    for l in &r.source_labels {
        cx.label_syntax(l, "relabel source label");
    }
    if let Some(t) = &r.target_label {
        cx.label_syntax(t, "relabel target label");
    }
    if let Some(re) = &r.regex {
        // Prometheus anchors relabel regexes at both ends, and compiles them with Go.
        if let Err(e) = re2::check(&format!("^(?:{})$", re.get_ref())) {
            cx.push(
                Finding::new(SpecCode::BadRegex, format!("relabel regex {}", e.message))
                    .at(re.span())
                    .focus(e.focus.unwrap_or_default())
                    .help("Prometheus uses Go's RE2 syntax; in TOML, write regexes in single quotes so backslashes stay as written"),
            );
        }
    }
    let needs_target = matches!(
        action,
        RelabelAction::Replace
            | RelabelAction::Hashmod
            | RelabelAction::Lowercase
            | RelabelAction::Uppercase
            | RelabelAction::Keepequal
            | RelabelAction::Dropequal
    );
    if needs_target && r.target_label.is_none() {
        cx.push(
            Finding::new(
                SpecCode::MissingKey,
                format!("relabel action `{action_name}` needs `target_label`"),
            )
            .at(at.clone())
            .help("add `target_label = \"...\"`"),
        );
    }
    if action == RelabelAction::Hashmod && r.modulus.is_none() {
        cx.push(
            Finding::new(
                SpecCode::MissingKey,
                "relabel action `hashmod` needs `modulus`",
            )
            .at(at.clone())
            .help("add `modulus = N`"),
        );
    }
    if matches!(
        action,
        RelabelAction::Keep | RelabelAction::Drop | RelabelAction::Hashmod
    ) && r.source_labels.is_empty()
    {
        cx.push(
            Finding::new(
                SpecCode::MissingKey,
                format!("relabel action `{action_name}` needs `source_labels`"),
            )
            .at(at.clone())
            .help("add `source_labels = [\"...\"]`"),
        );
    }
    Relabel {
        source_labels: r
            .source_labels
            .iter()
            .map(|s| s.get_ref().clone())
            .collect(),
        separator: r.separator.as_ref().map(|s| s.get_ref().clone()),
        target_label: r.target_label.as_ref().map(|s| s.get_ref().clone()),
        regex: r.regex.as_ref().map(|s| s.get_ref().clone()),
        replacement: r.replacement.as_ref().map(|s| s.get_ref().clone()),
        modulus: r.modulus,
        action: (action != RelabelAction::Replace).then_some(action_name),
    }
}

/// Annotation-based pod discovery, as in the guide, with its address rule fixed.
pub(crate) fn kubernetes_relabels() -> Vec<Relabel> {
    let r = |src: &[&str], target: &str| Relabel {
        source_labels: src.iter().map(|s| s.to_string()).collect(),
        target_label: Some(target.into()),
        ..Relabel::default()
    };
    vec![
        Relabel {
            source_labels: vec!["__meta_kubernetes_pod_annotation_prometheus_io_scrape".into()],
            regex: Some("true".into()),
            action: Some("keep"),
            ..Relabel::default()
        },
        Relabel {
            source_labels: vec!["__meta_kubernetes_pod_annotation_prometheus_io_path".into()],
            target_label: Some("__metrics_path__".into()),
            regex: Some("(.+)".into()),
            ..Relabel::default()
        },
        // The guide lists only the port annotation here, so its two-group regex
        // never matches; the address must come first.
        Relabel {
            source_labels: vec![
                "__address__".into(),
                "__meta_kubernetes_pod_annotation_prometheus_io_port".into(),
            ],
            target_label: Some("__address__".into()),
            regex: Some(r"([^:]+)(?::\d+)?;(\d+)".into()),
            replacement: Some("$1:$2".into()),
            ..Relabel::default()
        },
        r(&["__meta_kubernetes_namespace"], "namespace"),
        r(&["__meta_kubernetes_pod_name"], "pod"),
    ]
}
