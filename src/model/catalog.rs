//! The metric catalog: the built-in one, less proposed metrics if asked,
//! plus the spec's `[[metric]]`s.

use crate::catalog::{Catalog, Exporter, Metric, MetricType, Status};
use crate::diagnostics::Finding;
use crate::model::core::names::Charset;
use crate::model::core::Ctx;
use crate::spec::{Spec, SpecCode};

pub(crate) fn resolve(cx: &mut Ctx, spec: &Spec) -> Catalog {
    let mut catalog = Catalog::builtin();
    if spec.catalog.include_proposed == Some(false) {
        catalog.retain(|m| m.status != Status::Proposed);
    }
    for m in &spec.metric {
        let name = m.name.get_ref();
        if !cx.metric_name(&m.name, "metric") {
            continue;
        }
        let Some(type_) = MetricType::parse(m.type_.get_ref()) else {
            cx.push(
                Finding::new(
                    SpecCode::UnknownValue,
                    format!("unknown metric type `{}`", m.type_.get_ref()),
                )
                .at(m.type_.span())
                .help("use counter, gauge, histogram or summary"),
            );
            continue;
        };
        let exporter = match &m.role {
            None => Exporter::Custom,
            Some(r) => match Exporter::parse(r.get_ref()) {
                Some(e) => e,
                None => {
                    cx.push(
                        Finding::new(
                            SpecCode::UnknownValue,
                            format!("unknown role `{}` for metric `{name}`", r.get_ref()),
                        )
                        .at(r.span())
                        .help("use client, executor, validator, system or custom"),
                    );
                    Exporter::Custom
                }
            },
        };
        let labels = m
            .labels
            .iter()
            .filter(|l| match cx.series_label(l, "metric label") {
                Some(Charset::Utf8) => {
                    cx.utf8_warning(l, "label");
                    true
                }
                Some(Charset::Legacy) => true,
                None => false,
            })
            .map(|l| l.get_ref().clone())
            .collect();
        let metric = Metric {
            name: name.clone(),
            type_,
            exporter,
            help: m.help.get_ref().clone(),
            labels,
            values: Default::default(),
            unit: None,
            status: Status::Spec,
            decision: None,
        };
        if !catalog.insert(metric) {
            cx.push(
                Finding::new(SpecCode::Duplicate, format!("metric `{name}` is already in the catalog"))
                    .at(m.name.span())
                    .help("remove this entry; the built-in catalog (generated/METRICS.md) already defines it"),
            );
        }
    }
    catalog
}
