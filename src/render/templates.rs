//! The tera templates of the human-text files (README, METRICS.md, runbooks)
//! and of Alertmanager's notification templates: one registry, parsed once,
//! so that every family renders through the same escaping rules.

use std::sync::OnceLock;

/// The built-in templates, parsed on first use; they are compiled in, so a
/// parse error is a bug caught by any render.
pub(super) fn built_in() -> &'static tera::Tera {
    static TERA: OnceLock<tera::Tera> = OnceLock::new();
    TERA.get_or_init(|| {
        let mut t = tera::Tera::default();
        t.add_raw_templates([
            (
                "METRICS.md",
                include_str!("../../templates/METRICS.md.tera"),
            ),
            ("README.md", include_str!("../../templates/README.md.tera")),
            (
                "runbook.md",
                include_str!("../../templates/runbook.md.tera"),
            ),
            (
                "runbooks-index.md",
                include_str!("../../templates/runbooks-index.md.tera"),
            ),
            (
                "alertmanager.tmpl",
                include_str!("../../templates/alertmanager.tmpl.tera"),
            ),
        ])
        .expect("built-in templates parse");
        t
    })
}
