//! `conform`: does a running Lloom node keep the catalog's contract?
//!
//! Every alert, rule and panel lloom-monctl renders is checked against the
//! catalog, but only the node decides what it exports. A release that renames
//! a metric, changes its type or drops a label makes the alerts on it go
//! silent without any error. This reads a node's `/metrics` page and reports
//! each such difference at its line, before the alerts depend on it.

mod checks;
mod codes;
mod content_type;
pub mod excerpts;
pub mod exposition;
pub mod fetch;
#[cfg(test)]
mod tests;

use crate::catalog::{Catalog, Exporter, Metric, MetricType, Status};
pub use codes::ConformCode;

use crate::diagnostics::{did_you_mean, Finding};
use exposition::{ExposedType, Family};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, BufRead};

/// What a node runs as; decides which catalog metrics it must export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Role {
    Client,
    Executor,
    Validator,
    /// The machine's node exporter (the catalog's `system` metrics).
    Node,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Client => "client",
            Role::Executor => "executor",
            Role::Validator => "validator",
            Role::Node => "node",
        }
    }

    fn exporter(self) -> Exporter {
        match self {
            Role::Client => Exporter::Client,
            Role::Executor => Exporter::Executor,
            Role::Validator => Exporter::Validator,
            Role::Node => Exporter::System,
        }
    }

    fn of(exporter: Exporter) -> Option<Role> {
        match exporter {
            Exporter::Client => Some(Role::Client),
            Exporter::Executor => Some(Role::Executor),
            Exporter::Validator => Some(Role::Validator),
            Exporter::System => Some(Role::Node),
            Exporter::Scrape | Exporter::Custom | Exporter::Gpu => None,
        }
    }
}

/// The outcome of one comparison.
#[derive(Debug)]
pub struct Conformance {
    /// In the order of the text; findings without a place first.
    pub findings: Vec<Finding>,
    /// The roles checked.
    pub roles: Vec<Role>,
    /// Whether `roles` was inferred rather than given.
    pub inferred: bool,
}

/// How an exposed family relates to the catalog.
enum Match<'c> {
    /// It is the catalog metric.
    Metric(&'c Metric),
    /// An untyped `x_bucket`, `x_sum` or `x_count` of catalog histogram or summary `x`.
    Part(&'c Metric),
    NotInCatalog,
}

/// Compares a fetched or saved page with the catalog, and a fetched page's
/// `Content-Type` with what Prometheus 3 reads (that finding first).
pub fn conform_page(page: &fetch::Page, catalog: &Catalog, roles: &[Role]) -> Conformance {
    let mut result = conform(&page.text, catalog, roles);
    served_as(&page.origin, &mut result);
    result
}

/// Adds the finding on how the page was served, if any, first.
pub fn served_as(origin: &fetch::Origin, result: &mut Conformance) {
    if let Some(finding) = content_type::check(origin) {
        result.findings.insert(0, finding);
    }
}

/// Compares exposition text with the catalog. `roles` empty: inferred from
/// the catalog metrics the text exposes.
pub fn conform(text: &str, catalog: &Catalog, roles: &[Role]) -> Conformance {
    compare_page(exposition::parse(text), catalog, roles)
}

/// [`conform`] of a page as it streams in, in bounded memory whatever its
/// size; fails only when `page` does. The findings point into the page: show
/// them with [`excerpts::gather`] over a second read of it.
pub fn conform_read(
    page: impl BufRead,
    catalog: &Catalog,
    roles: &[Role],
) -> io::Result<Conformance> {
    Ok(compare_page(exposition::read(page)?, catalog, roles))
}

fn compare_page(parsed: exposition::Exposition, catalog: &Catalog, roles: &[Role]) -> Conformance {
    let mut findings = parsed.problems;
    let families: Vec<&Family> = parsed.families.iter().collect();
    let (exposed, outside) = by_catalog_metric(catalog, &families);
    let inferred = roles.is_empty();
    let roles = checked_roles(catalog, &exposed, roles);
    if roles.is_empty() {
        findings.push(
            Finding::new(ConformCode::NoRole, "no catalog metric of a client, executor, validator or node exporter is exposed, so it is unknown which metrics this node must export")
                .help("pass `--role client|executor|validator|node` to check against that role's catalog metrics"),
        );
    }
    compare(
        catalog,
        &roles,
        &families,
        &exposed,
        &outside,
        &mut findings,
    );
    findings.sort_by(|a, b| {
        let key = |f: &Finding| (f.span.as_ref().map_or(0, |s| s.start), f.severity, f.code);
        key(a).cmp(&key(b)).then_with(|| a.message.cmp(&b.message))
    });
    Conformance {
        findings,
        roles,
        inferred,
    }
}

/// The exposed families of each catalog metric, a histogram's parts under its name.
type Exposed<'f> = BTreeMap<&'f str, Vec<&'f Family>>;

/// Families with samples, by the catalog metric they are, and those
/// outside the catalog.
fn by_catalog_metric<'f>(
    catalog: &'f Catalog,
    families: &[&'f Family],
) -> (Exposed<'f>, Vec<&'f Family>) {
    let mut exposed = Exposed::new();
    let mut outside: Vec<&Family> = Vec::new();
    for &family in families.iter().filter(|f| f.samples > 0) {
        match resolve(catalog, family) {
            Match::Metric(m) | Match::Part(m) => exposed.entry(&m.name).or_default().push(family),
            Match::NotInCatalog => outside.push(family),
        }
    }
    (exposed, outside)
}

/// The roles given, or else those whose catalog metrics are exposed; sorted, each once.
fn checked_roles(catalog: &Catalog, exposed: &Exposed, roles: &[Role]) -> Vec<Role> {
    if roles.is_empty() {
        exposed
            .keys()
            .filter_map(|name| catalog.get(name).and_then(|m| Role::of(m.exporter)))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    } else {
        roles
            .iter()
            .copied()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    }
}

/// The roles' catalog metrics against the text: missing (or renamed),
/// exposed and checked; then the Lloom families the catalog lacks, and names.
fn compare(
    catalog: &Catalog,
    roles: &[Role],
    families: &[&Family],
    exposed: &Exposed,
    outside: &[&Family],
    findings: &mut Vec<Finding>,
) {
    let checks_node = roles.contains(&Role::Node);
    let lloom_family =
        |f: &Family| f.name.starts_with("lloom_") || (checks_node && f.name.starts_with("node_"));
    let candidates: Vec<&Family> = outside
        .iter()
        .copied()
        .filter(|f| lloom_family(f))
        .collect();
    let missing: Vec<&Metric> = catalog
        .iter()
        .filter(|m| roles.iter().any(|r| r.exporter() == m.exporter))
        .filter(|m| !exposed.contains_key(m.name.as_str()))
        .collect();
    let renames = pair_renames(&missing, &candidates);

    for m in &missing {
        match renames.iter().find(|(metric, _)| metric.name == m.name) {
            Some((_, family)) => findings.push(renamed(m, family)),
            None => findings.push(missing_metric(m, families)),
        }
    }
    for (name, fams) in exposed {
        if let Some(m) = catalog.get(name) {
            checks::metric(m, fams, findings);
        }
    }
    // Node exporter exports hundreds of families the catalog leaves out on
    // purpose: `node_` names only count as renames, never as unknown.
    for family in candidates.iter().filter(|f| f.name.starts_with("lloom_")) {
        if !renames.iter().any(|(_, f)| std::ptr::eq(*f, *family)) {
            findings.push(unknown_metric(family));
        }
    }
    for family in families.iter().filter(|f| f.name.starts_with("lloom_")) {
        let match_ = resolve(catalog, family);
        checks::naming(family, &match_, findings);
    }
}

fn resolve<'c>(catalog: &'c Catalog, family: &Family) -> Match<'c> {
    if let Some(m) = catalog.get(&family.query_name()) {
        return Match::Metric(m);
    }
    let untyped = matches!(family.type_(), None | Some(ExposedType::Untyped));
    match catalog.series(&family.name) {
        Some(m) if untyped && m.exporter != Exporter::Scrape => Match::Part(m),
        _ => Match::NotInCatalog,
    }
}

/// Pairs missing catalog metrics with exposed names that look like them
/// renamed, closest pairs first.
///
/// `did_you_mean` alone would pair any two names that share `lloom_client_`
/// (Jaro-Winkler weighs the common prefix), so a pair must also be close by
/// edit distance and not declare a different type.
fn pair_renames<'a, 'c>(
    missing: &[&'c Metric],
    candidates: &[&'a Family],
) -> Vec<(&'c Metric, &'a Family)> {
    let mut pairs: Vec<(f64, &'c Metric, &'a Family)> = Vec::new();
    for m in missing {
        for f in candidates {
            let exposed_name = f.query_name();
            let close = did_you_mean(&m.name, [exposed_name.as_str()]).is_some();
            let similarity = strsim::normalized_levenshtein(&m.name, &exposed_name);
            let same_type = f
                .type_()
                .and_then(ExposedType::metric_type)
                .is_none_or(|t| t == m.type_);
            if close && similarity >= 0.75 && same_type {
                pairs.push((similarity, m, f));
            }
        }
    }
    pairs.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| a.1.name.cmp(&b.1.name))
            .then_with(|| a.2.name_span.start.cmp(&b.2.name_span.start))
    });
    let mut chosen: Vec<(&'c Metric, &'a Family)> = Vec::new();
    for (_, m, f) in pairs {
        let taken = chosen
            .iter()
            .any(|(cm, cf)| cm.name == m.name || std::ptr::eq(*cf, f));
        if !taken {
            chosen.push((m, f));
        }
    }
    chosen
}

/// "listed in the operators' guide", etc.: how settled a catalog entry is.
fn provenance(m: &Metric) -> &'static str {
    match m.status {
        Status::Listed => "listed in the operators' monitoring guide",
        Status::Proposed => {
            "proposed: lloom-monctl added it to the contract because the guide's expressions use it"
        }
        Status::Spec => "declared with `[[metric]]` in the spec",
        Status::Prometheus => "written by Prometheus at scrape time",
        Status::Exporter => "exported by a third-party exporter (node, GPU)",
    }
}

/// "a counter", for messages.
fn article(t: MetricType) -> &'static str {
    match t {
        MetricType::Counter => "a counter",
        MetricType::Gauge => "a gauge",
        MetricType::Histogram => "a histogram",
        MetricType::Summary => "a summary",
    }
}

fn missing_metric(m: &Metric, families: &[&Family]) -> Finding {
    // A `# TYPE` line without samples: a labelled metric none of whose label
    // values has been used yet.
    let declared_only = families.iter().find(|f| {
        f.samples == 0
            && (f.name == m.name
                || (m.type_ == MetricType::Counter && format!("{}_total", f.name) == m.name))
    });
    let role = Role::of(m.exporter).map_or("", Role::as_str);
    let message = format!(
        "`{}` is not exposed; it is the catalog's {role} {}, {}",
        m.name,
        m.type_.as_str(),
        provenance(m)
    );
    let finding = Finding::new(ConformCode::MissingMetric, message);
    match declared_only {
        Some(f) => finding
            .at(f.name_span.clone())
            .label("declared, but no sample")
            .help(format!("a metric with labels appears only once a label set is used; initialise each known label set to 0 at start, so that `{}` exists from the first scrape", m.name)),
        None => finding.help(format!(
            "METRICS.md: \"{}\" Alerts, rules and panels on it get no data until the node exports it",
            m.help
        )),
    }
}

fn renamed(m: &Metric, family: &Family) -> Finding {
    let exposed = family.query_name();
    Finding::new(
        ConformCode::RenamedMetric,
        format!("`{exposed}` looks like the catalog's `{}` renamed; alerts and panels on the catalog name would go silent", m.name),
    )
    .at(family.name_span.clone())
    .label(format!("the catalog has `{}`", m.name))
    .help(format!(
        "export it as `{}` again; if the rename is meant, the catalog entry and every expression on it must change first",
        m.name
    ))
}

fn unknown_metric(family: &Family) -> Finding {
    let name = family.query_name();
    Finding::new(
        ConformCode::UnknownMetric,
        format!("`{name}` is not in the catalog, so no alert, rule or panel can be checked against it"),
    )
    .at(family.name_span.clone())
    .help(format!("if it is part of the node's contract, add it to the spec: `[[metric]]` with name = \"{name}\", type, help, labels and role"))
}
