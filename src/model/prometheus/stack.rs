//! `[stack]`: the stack's identity, intervals and retention.

use crate::diagnostics::Finding;
use crate::model::core::http_url;
use crate::model::core::{ByteSize, Ctx, Duration, LabelMap, Retention, Stack};
use crate::spec::{RetentionSpec, Spec, SpecCode, StackSpec};

/// The stack every other part reads: intervals the rules and dashboards
/// scale to, and the labels that tell one stack's alerts from another's.
pub(crate) fn resolve(cx: &mut Ctx, spec: &Spec) -> Stack {
    let s = &spec.stack;
    let external_labels = external_labels(cx, s);
    let scrape_interval = cx
        .duration(s.scrape_interval.as_ref(), "scrape_interval")
        .unwrap_or(Duration::secs(15));
    let evaluation_interval = cx
        .duration(s.evaluation_interval.as_ref(), "evaluation_interval")
        .unwrap_or(Duration::secs(15));
    let scrape_timeout = scrape_timeout(cx, s, scrape_interval);
    let retention = retention(cx, &s.retention);
    crate::model::core::url_credentials(cx, &s.runbook_base_url, "runbook_base_url");
    let url = s.runbook_base_url.get_ref();
    let checked = http_url::check(url).and_then(|()| match url.contains("{{") {
        true => Err(format!("`{}` holds `{{{{`, which Prometheus would read as a template in each alert's `runbook_url`", url.escape_debug())),
        false => Ok(()),
    });
    // A refused URL is not passed on, so that each alert's `runbook_url`
    // does not report it again.
    let url = if let Err(e) = checked {
        cx.push(
            Finding::new(SpecCode::BadUrl, format!("runbook_base_url: {e}"))
                .at(s.runbook_base_url.span())
                .help("give the URL under which the runbooks are published, e.g. `https://runbooks.example.org/lloom`"),
        );
        "https://runbooks.invalid"
    } else {
        url.as_str()
    };
    Stack {
        name: s.name.get_ref().clone(),
        external_labels,
        scrape_interval,
        scrape_timeout,
        evaluation_interval,
        retention,
        runbook_base_url: url.trim_end_matches('/').to_string(),
    }
}

/// `cluster` and `region` from the stack's name and region, then the
/// operator's own, which may not override them.
fn external_labels(cx: &mut Ctx, s: &StackSpec) -> LabelMap {
    let mut external_labels = LabelMap::new();
    if s.name.get_ref().trim().is_empty() {
        cx.push(
            Finding::new(SpecCode::Empty, "`stack.name` is empty")
                .at(s.name.span())
                .help("name the stack, e.g. `lloom-prod`"),
        );
    }
    cx.label_value(&s.name, "`stack.name` (the `cluster` label)", false);
    external_labels.insert("cluster".into(), s.name.get_ref().clone());
    if let Some(region) = &s.region {
        cx.label_value(region, "`stack.region` (the `region` label)", false);
        external_labels.insert("region".into(), region.get_ref().clone());
    }
    for (k, v) in &s.external_labels {
        if !cx.label_name(k, "external label") || !cx.label_value(v, "external label", false) {
            continue;
        }
        if external_labels.contains_key(k.get_ref()) {
            cx.push(
                Finding::new(SpecCode::Duplicate, format!("external label `{}` is already set by the stack", k.get_ref()))
                    .at(k.span())
                    .help("`cluster` comes from `stack.name` and `region` from `stack.region`; set them there"),
            );
            continue;
        }
        external_labels.insert(k.get_ref().clone(), v.get_ref().clone());
    }
    external_labels
}

/// 10s, or the interval if shorter; a timeout over the interval is kept
/// but reported, as Prometheus would refuse it.
fn scrape_timeout(cx: &mut Ctx, s: &StackSpec, scrape_interval: Duration) -> Duration {
    match cx.duration(s.scrape_timeout.as_ref(), "scrape_timeout") {
        Some(t) if t > scrape_interval => {
            cx.push(
                Finding::new(
                    SpecCode::TimeoutTooLong,
                    format!("scrape_timeout {t} is longer than scrape_interval {scrape_interval}"),
                )
                .at_opt(s.scrape_timeout.as_ref().map(|t| t.span()))
                .help("Prometheus refuses a timeout longer than the interval; shorten it"),
            );
            t
        }
        Some(t) => t,
        None => Duration::secs(10).min(scrape_interval),
    }
}

/// 15 days by default, and no size limit unless one is given.
fn retention(cx: &mut Ctx, r: &RetentionSpec) -> Retention {
    let time = cx
        .duration(r.time.as_ref(), "retention.time")
        .unwrap_or(Duration(15 * 24 * 3_600_000));
    let size = r
        .size
        .as_ref()
        .and_then(|v| match ByteSize::parse(v.get_ref()) {
            Ok(size) => Some(size),
            Err(e) => {
                cx.push(
                    Finding::new(SpecCode::BadSize, format!("retention.size: {e}"))
                        .at(v.span())
                        .help("write a whole number and a unit, e.g. `100GB`"),
                );
                None
            }
        });
    Retention { time, size }
}
