//! `METRICS.md`: the catalog as a reference for Lloom node developers.

use crate::catalog::{Catalog, Exporter, MetricType, Status};
use crate::render::{templates, RenderError};
use serde::Serialize;

#[derive(Serialize)]
struct Row {
    name: String,
    type_: &'static str,
    labels: String,
    unit: String,
    status: &'static str,
    help: String,
}

#[derive(Serialize)]
struct Section {
    title: &'static str,
    metrics: Vec<Row>,
}

#[derive(Serialize)]
struct Decision {
    name: String,
    text: String,
}

/// `METRICS.md`, from the same catalog the lint checks read, so that the
/// reference and the checks agree.
pub fn render(catalog: &Catalog) -> Result<String, RenderError> {
    let order = [
        Exporter::Client,
        Exporter::Executor,
        Exporter::Validator,
        Exporter::System,
        Exporter::Gpu,
        Exporter::Scrape,
        Exporter::Custom,
    ];
    let sections: Vec<Section> = order
        .iter()
        .map(|e| Section {
            title: e.title(),
            metrics: catalog
                .iter()
                .filter(|m| m.exporter == *e)
                .map(row)
                .collect(),
        })
        .filter(|s| !s.metrics.is_empty())
        .collect();
    let decisions = catalog
        .iter()
        .filter_map(|m| {
            m.decision.as_ref().map(|d| Decision {
                name: m.name.clone(),
                text: d.clone(),
            })
        })
        .collect::<Vec<_>>();
    let custom = catalog.iter().filter(|m| m.status == Status::Spec).count();
    let mut ctx = tera::Context::new();
    ctx.insert("sections", &sections);
    ctx.insert("decisions", &decisions);
    ctx.insert("custom", &custom);
    templates::built_in()
        .render("METRICS.md", &ctx)
        .map_err(|e| RenderError(format!("METRICS.md template: {e:?}")))
}

fn row(m: &crate::catalog::Metric) -> Row {
    let labels = m
        .labels
        .iter()
        .map(|l| match m.values.get(l) {
            Some(v) => format!("`{l}` ({})", v.join(", ")),
            None => format!("`{l}`"),
        })
        .chain((m.type_ == MetricType::Histogram).then(|| "`le` (on `_bucket`)".to_string()))
        .collect::<Vec<_>>()
        .join(", ");
    Row {
        name: m.name.clone(),
        type_: m.type_.as_str(),
        labels: cell(&labels),
        unit: cell(m.unit.as_deref().unwrap_or("")),
        status: match m.status {
            Status::Listed => "listed",
            Status::Proposed => "proposed",
            Status::Spec => "spec",
            Status::Prometheus => "prometheus",
            Status::Exporter => "exporter",
        },
        help: cell(&m.help),
    }
}

/// Text safe inside a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}
