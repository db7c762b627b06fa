//! Runbook pages, one per alert whose `runbook_url` lloom-monctl generates:
//! what fired, why it matters and what to check first. The text of the
//! built-in alerts is in `runbooks.toml`; custom alerts bring theirs in the
//! spec. Diagnostic queries are model expressions, so the lint reads them
//! like rules and a page never shows a query on an unknown metric.

use crate::diagnostics::Finding;
use crate::model::core::runbook::{Check, Related, Runbook, RunbookQuery};
use crate::model::core::{parse, AlertRule, Ctx, Expr, Rule, RuleGroup, ScrapeJob, Stack, Targets};
use crate::model::rules::custom::{brings, fill, runbook};
use crate::model::rules::pack::{Needs, ALERTS};
use crate::spec::{InstanceLabel, Spec, SpecCode};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    line: String,
    meaning: String,
    impact: String,
    labels: BTreeMap<String, String>,
    #[serde(default)]
    check: Vec<CheckEntry>,
    #[serde(default)]
    query: Vec<QueryEntry>,
    #[serde(default)]
    related: Vec<RelatedEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckEntry {
    text: String,
    /// Jobs whose `/metrics` page to read, one command per job present.
    #[serde(default)]
    metrics: Vec<String>,
    grep: Option<String>,
    #[serde(default)]
    shell: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QueryEntry {
    title: String,
    expr: String,
    needs: Option<Part>,
}

/// `pack::Needs` as the data file names it.
#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum Part {
    Client,
    Executor,
    Validator,
    NodeExporter,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RelatedEntry {
    alert: String,
    why: String,
}

/// The built-in alerts' runbook data and their queries' trees, parsed once
/// per process rather than at every build.
fn data() -> &'static BTreeMap<String, (Entry, Vec<Expr>)> {
    static DATA: OnceLock<BTreeMap<String, (Entry, Vec<Expr>)>> = OnceLock::new();
    DATA.get_or_init(|| {
        let entries: BTreeMap<String, Entry> =
            toml::from_str(include_str!("runbooks.toml")).expect("runbooks.toml parses");
        entries
            .into_iter()
            .map(|(name, e)| {
                let queries = e
                    .query
                    .iter()
                    .map(|q| Expr::builtin(q.expr.clone()))
                    .collect();
                (name, (e, queries))
            })
            .collect()
    })
}

/// A page for every alert of `groups` whose URL is the generated one, in
/// rule order. `provided` pages (generated alerts, such as SLO burn rates)
/// take precedence over the built-in data and the spec's.
pub(crate) fn resolve(
    cx: &mut Ctx,
    spec: &Spec,
    stack: &Stack,
    jobs: &[ScrapeJob],
    groups: &[RuleGroup],
    provided: Vec<Runbook>,
) -> Vec<Runbook> {
    let mut provided: HashMap<String, Runbook> =
        provided.into_iter().map(|r| (r.alert.clone(), r)).collect();
    let custom: HashMap<&str, &crate::spec::AlertSpec> = spec
        .alert
        .iter()
        .map(|a| (a.name.get_ref().as_str(), a))
        .collect();
    for a in &spec.alert {
        let url = runbook(stack, a.name.get_ref());
        if let (Some(_), Some(u)) = (&a.runbook, &a.runbook_url) {
            if u.get_ref() != &url {
                cx.push(
                    Finding::new(SpecCode::Conflict, "`runbook` describes the page lloom-monctl writes, but `runbook_url` sends on-call elsewhere")
                        .at(u.span())
                        .help("drop `runbook_url` to get the generated page, or move the checks to the page it links"),
                );
            }
        }
    }
    let mut pages = Vec::new();
    let mut present = BTreeSet::new();
    for rule in groups.iter().flat_map(|g| &g.rules) {
        let Rule::Alert(alert) = rule else { continue };
        let name = alert.name.as_str();
        // Rules may share a name (an SLO's page and ticket tiers): one page.
        if alert.annotations.get("runbook_url") != Some(&runbook(stack, name))
            || !present.insert(name.to_string())
        {
            continue;
        }
        // A custom alert may take a pack alert's name when the pack is off.
        let page = if let Some(p) = provided.remove(name) {
            p
        } else if let Some(a) = custom.get(name) {
            from_spec(cx, a, alert)
        } else if let Some((entry, queries)) = data().get(name) {
            builtin(spec, jobs, name, entry, queries)
        } else {
            Runbook::bare(name)
        };
        pages.push(page);
    }
    for p in &mut pages {
        p.related.retain(|r| present.contains(&r.alert));
    }
    pages
}

fn builtin(
    spec: &Spec,
    jobs: &[ScrapeJob],
    name: &str,
    entry: &Entry,
    queries: &[Expr],
) -> Runbook {
    let pack = ALERTS
        .iter()
        .find(|a| a.name == name)
        .expect("data keys are pack alerts");
    let threshold = spec
        .pack
        .alert
        .iter()
        .find(|(k, _)| k.get_ref() == name)
        .and_then(|(_, t)| t.threshold.as_ref())
        .map_or(pack.threshold, |t| *t.get_ref());
    let text = |s: &str| fill(s, threshold);
    let host_mode = spec.stack.instance_label == InstanceLabel::Host;
    Runbook {
        line: Some(text(&entry.line)),
        meaning: Some(text(&entry.meaning)),
        impact: Some(text(&entry.impact)),
        labels: entry
            .labels
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        checks: entry
            .check
            .iter()
            .map(|c| {
                let mut commands = metrics_commands(jobs, host_mode, c);
                commands.extend(c.shell.iter().cloned());
                Check {
                    text: text(&c.text),
                    commands,
                }
            })
            .collect(),
        queries: entry
            .query
            .iter()
            .zip(queries)
            .filter(|(q, _)| brings(spec, q.needs.map_or(pack.needs, Part::needs)))
            .map(|(q, expr)| RunbookQuery {
                title: Some(q.title.clone()),
                expr: expr.clone(),
            })
            .collect(),
        related: entry
            .related
            .iter()
            .map(|r| Related {
                alert: r.alert.clone(),
                why: r.why.clone(),
            })
            .collect(),
        ..Runbook::bare(name)
    }
}

impl Part {
    fn needs(self) -> Needs {
        match self {
            Part::Client => Needs::Client,
            Part::Executor => Needs::Executor,
            Part::Validator => Needs::Validator,
            Part::NodeExporter => Needs::NodeExporter,
        }
    }
}

/// `curl` of each listed job's metrics page, as the operator can type it:
/// `<instance>` is the alert's label, with the job's port where `instance`
/// holds only the host. Without static jobs, the address is the operator's.
fn metrics_commands(jobs: &[ScrapeJob], host_mode: bool, c: &CheckEntry) -> Vec<String> {
    if c.metrics.is_empty() {
        return Vec::new();
    }
    let tail = match &c.grep {
        Some(re) => format!(" | grep -E '^{re}'"),
        None => " -o /dev/null -w '%{http_code} %{time_total}s\\n'".to_string(),
    };
    let found: Vec<(&str, String)> = c
        .metrics
        .iter()
        .filter_map(|name| jobs.iter().find(|j| &j.name == name))
        .filter_map(|j| {
            let Targets::Static(groups) = &j.targets else {
                return None;
            };
            let ports: BTreeSet<&str> = groups
                .iter()
                .flat_map(|g| &g.targets)
                .filter_map(|t| t.rsplit_once(':').map(|(_, p)| p))
                .collect();
            let address = match (host_mode, ports.len()) {
                (false, _) => "<instance>".to_string(),
                (true, 1) => format!("<instance>:{}", ports.first().expect("one port")),
                (true, _) => "<instance>:<port>".to_string(),
            };
            let scheme = j.scheme.as_deref().unwrap_or("http");
            let path = j.metrics_path.as_deref().unwrap_or("/metrics");
            Some((j.name.as_str(), format!("{scheme}://{address}{path}")))
        })
        .collect();
    let curl = |url: &str| format!("curl -sS --max-time 10 {url}{tail}");
    match found.as_slice() {
        [] => vec![curl("http://<address>/metrics")],
        [(_, url)] => vec![curl(url)],
        many => many
            .iter()
            .map(|(job, url)| format!("{}  # {job}", curl(url)))
            .collect(),
    }
}

/// A custom alert's page: the operator's checks and queries, and the labels
/// its texts show.
fn from_spec(cx: &mut Ctx, a: &crate::spec::AlertSpec, alert: &AlertRule) -> Runbook {
    let mut page = Runbook {
        spec_alert: true,
        ..Runbook::bare(&alert.name)
    };
    let shown: BTreeSet<String> = ["summary", "description"]
        .iter()
        .filter_map(|k| alert.annotations.get(*k))
        .flat_map(|t| label_refs(t))
        .collect();
    page.labels = shown
        .into_iter()
        .map(|l| {
            (
                l,
                "from the expression's series; the texts show it".to_string(),
            )
        })
        .collect();
    if let Some(rb) = &a.runbook {
        page.checks = rb
            .checks
            .iter()
            .map(|c| Check {
                text: c.get_ref().clone(),
                commands: Vec::new(),
            })
            .collect();
        page.queries = rb
            .queries
            .iter()
            .map(|q| RunbookQuery {
                title: None,
                expr: parse::located(
                    cx,
                    q,
                    crate::model::core::promql::parse(q.get_ref()),
                    "in this runbook query",
                    "check brackets, quotes and function names; https://prometheus.io/docs/prometheus/latest/querying/basics/",
                ),
            })
            .collect();
    }
    page
}

/// Labels a Go template shows as `$labels.x` or `.Labels.x`.
fn label_refs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for prefix in ["$labels.", ".Labels."] {
        for (i, _) in text.match_indices(prefix) {
            let rest = &text[i + prefix.len()..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            if end > 0 {
                out.push(rest[..end].to_string());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::rules::pack::ALERTS;

    /// The jobs lloom-monctl names itself (`jobs.rs`).
    const JOBS: &[&str] = &[
        "lloom-client",
        "lloom-executor",
        "lloom-validator",
        "node",
        "nvidia-gpu",
        "ethereum",
        "alertmanager",
        "prometheus",
    ];

    #[test]
    fn every_pack_alert_has_runbook_data_and_no_entry_names_an_unknown_alert() {
        let names: BTreeSet<&str> = ALERTS.iter().map(|a| a.name).collect();
        let keys: BTreeSet<&str> = data().keys().map(String::as_str).collect();
        assert_eq!(names, keys);
        for (name, (e, _)) in data() {
            assert!(
                !e.check.is_empty() && !e.query.is_empty(),
                "{name}: no checks or queries"
            );
            assert!(e.query.len() <= 3, "{name}: more than 3 diagnostic queries");
            assert!(
                !e.query.iter().any(|q| q.expr.contains("{threshold")),
                "{name}: queries are not filled"
            );
            for r in &e.related {
                assert!(
                    names.contains(r.alert.as_str()),
                    "{name}: related `{}` is no pack alert",
                    r.alert
                );
                assert_ne!(&r.alert, name, "{name} relates to itself");
            }
            for c in &e.check {
                assert!(
                    c.grep.is_none() || !c.metrics.is_empty(),
                    "{name}: `grep` without `metrics`"
                );
                for job in &c.metrics {
                    assert!(
                        JOBS.contains(&job.as_str()),
                        "{name}: `{job}` is no built-in job"
                    );
                }
            }
            // "query N" must name a query every spec with the alert keeps.
            for c in &e.check {
                for (i, _) in c.text.match_indices("query ") {
                    let n: String = c.text[i + 6..]
                        .chars()
                        .take_while(char::is_ascii_digit)
                        .collect();
                    if let Ok(n) = n.parse::<usize>() {
                        assert!(
                            n >= 1
                                && n <= e.query.len()
                                && e.query[..n].iter().all(|q| q.needs.is_none()),
                            "{name}: `query {n}` may not be on the page"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn label_refs_read_both_template_forms() {
        assert_eq!(
            label_refs("{{ $labels.model }} on {{ .Labels.instance }}, {{ $value }}"),
            ["model", "instance"]
        );
    }
}
