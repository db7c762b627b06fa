use super::*;

fn family<'a>(e: &'a Exposition, name: &str) -> &'a Family {
    e.families
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no family {name}: {:#?}", e.families))
}

fn clean(text: &str) -> Exposition {
    let e = parse(text);
    assert!(e.problems.is_empty(), "{:#?}", e.problems);
    e
}

#[test]
fn help_and_label_values_unescape() {
    let text = concat!(
        "# HELP x A back\\\\slash,\\na newline and \\t kept.\n",
        "# TYPE x gauge\n",
        "x{path=\"C:\\\\tmp\",quote=\"say \\\"hi\\\"\",nl=\"a\\nb\"} 1\n",
    );
    let e = clean(text);
    let x = family(&e, "x");
    assert_eq!(
        x.help.as_deref(),
        Some("A back\\slash,\na newline and \\t kept.")
    );
    let s = &x.kept[0];
    assert_eq!(s.label("path").unwrap().value, "C:\\tmp");
    assert_eq!(s.label("quote").unwrap().value, "say \"hi\"");
    assert_eq!(s.label("nl").unwrap().value, "a\nb");
}

#[test]
fn spans_point_at_names_and_values() {
    let text = "# TYPE up_a gauge\n  up_a{job=\"j\", mode=\"idle\",} 1\n";
    let e = clean(text);
    let a = family(&e, "up_a");
    assert_eq!(&text[a.name_span.clone()], "up_a");
    let d = a.declared.as_ref().unwrap();
    assert_eq!(&text[d.type_span.clone()], "gauge");
    let s = &a.kept[0];
    assert_eq!(&text[s.name_span.clone()], "up_a");
    assert_eq!(s.name_span.start, 20, "leading blanks are skipped");
    assert_eq!(
        &text[s.line_span.clone()],
        "up_a{job=\"j\", mode=\"idle\",} 1"
    );
    let mode = s.label("mode").unwrap();
    assert_eq!(&text[mode.name_span.clone()], "mode");
    assert_eq!(&text[mode.value_span.clone()], "\"idle\"");
}

#[test]
fn special_floats_and_timestamps() {
    let text = "a NaN\nb +Inf\nc -Inf 1719831020000\nd 1e3\ne{} -0.5e-3 -12\nf 1.5 1719831020.25\ng 7\t\t42\n";
    let e = clean(text);
    let value = |n: &str| family(&e, n).kept[0].value;
    assert!(value("a").is_nan());
    assert_eq!(value("b"), f64::INFINITY);
    assert_eq!(value("c"), f64::NEG_INFINITY);
    assert_eq!(value("d"), 1000.0);
    assert_eq!(value("e"), -0.0005);
    let ts = |n: &str| family(&e, n).kept[0].timestamp;
    assert_eq!(ts("a"), None);
    assert_eq!(ts("c"), Some(1_719_831_020_000.0));
    assert_eq!(ts("e"), Some(-12.0));
    assert_eq!(ts("f"), Some(1_719_831_020.25), "OpenMetrics: seconds");
    assert_eq!(ts("g"), Some(42.0));
}

#[test]
fn a_histogram_owns_its_buckets_sum_and_count() {
    let text = concat!(
        "# HELP d Duration.\n",
        "# TYPE d histogram\n",
        "d_bucket{le=\"0.5\"} 1\n",
        "d_bucket{le=\"+Inf\"} 2\n",
        "d_sum 0.7\n",
        "d_count 2\n",
        "# TYPE other gauge\n",
        "other 1\n",
    );
    let e = clean(text);
    assert_eq!(e.families.len(), 2);
    let d = family(&e, "d");
    assert_eq!(d.type_(), Some(ExposedType::Histogram));
    let names: Vec<&str> = d.kept.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["d_bucket", "d_bucket", "d_sum", "d_count"]);
    assert_eq!(d.kept[1].label("le").unwrap().value, "+Inf");
}

#[test]
fn a_summary_owns_its_quantiles_sum_and_count_but_no_buckets() {
    let text = concat!(
        "# TYPE s summary\n",
        "s{quantile=\"0.99\"} 3\n",
        "s_sum 10\n",
        "s_count 4\n",
        "s_bucket{le=\"1\"} 4\n",
    );
    let e = clean(text);
    let s = family(&e, "s");
    assert_eq!(s.kept.len(), 3);
    assert_eq!(family(&e, "s_bucket").type_(), None);
}

#[test]
fn untyped_samples_form_a_family_per_name() {
    let e = clean("# TYPE u untyped\nu 1\nv_total 2\nv_total{a=\"b\"} 3\n# TYPE w unknown\nw 1\n");
    assert_eq!(family(&e, "u").type_(), Some(ExposedType::Untyped));
    assert_eq!(family(&e, "v_total").type_(), None);
    assert_eq!(family(&e, "v_total").kept.len(), 2);
    assert_eq!(family(&e, "w").type_(), Some(ExposedType::Untyped));
}

#[test]
fn counters_in_both_naming_styles() {
    // 0.0.4: the TYPE line names the series.
    let e = clean("# TYPE r_total counter\nr_total 1\n");
    assert_eq!(family(&e, "r_total").query_name(), "r_total");
    // OpenMetrics: the TYPE line names the family, the series add `_total`.
    let e = clean("# TYPE r counter\n# UNIT r requests\nr_total 1\nr_created 1.7e9\n# EOF\n");
    let r = family(&e, "r");
    assert_eq!(r.query_name(), "r_total");
    assert_eq!(r.kept.len(), 2);
    assert_eq!(e.families.len(), 1);
}

#[test]
fn exemplars_are_skipped() {
    let e = clean("# TYPE h histogram\nh_bucket{le=\"1\"} 4 # {trace_id=\"abc\"} 0.5 1.7e9\n");
    assert_eq!(family(&e, "h").kept[0].value, 4.0);
}

#[test]
fn a_bad_line_is_a_finding_and_parsing_goes_on() {
    let text = "# TYPE a gauge\na{x=\"1} 1\nb 1\nc{x=\"1\" y=\"2\"} 1\nd 1 2 3\ne one\n# TYPE f countr\n{x=\"1\"} 2\ng{x=\"1\",x=\"2\"} 1\nh\n";
    let e = parse(text);
    let lines: Vec<(usize, &str)> = e
        .problems
        .iter()
        .map(|p| {
            let start = p.span.clone().unwrap().start;
            (text[..start].matches('\n').count() + 1, p.message.as_str())
        })
        .collect();
    assert_eq!(
        lines,
        [
            (
                2,
                "this line does not parse: the value of label `x` has no closing quote"
            ),
            (
                4,
                "this line does not parse: expected `,` or `}` after the value of `x`"
            ),
            (
                5,
                "this line does not parse: unexpected text after the timestamp"
            ),
            (6, "this line does not parse: `one` is not a number"),
            (7, "this line does not parse: `countr` is not a metric type"),
            (
                8,
                "this line does not parse: expected a metric name, `#` or a blank line"
            ),
            (9, "this line does not parse: label `x` appears twice"),
            (10, "this line does not parse: `h` has no value"),
        ]
    );
    assert!(e
        .problems
        .iter()
        .all(|p| p.code == crate::conform::ConformCode::BadExposition.code() && p.is_error()));
    assert_eq!(
        family(&e, "b").kept.len(),
        1,
        "the line after a bad one is read"
    );
    let c = &e.problems[1];
    assert_eq!(&text[c.span.clone().unwrap()], "y=\"2\"} 1");
}

#[test]
fn type_after_samples_duplicate_lines_and_text_after_eof_are_findings() {
    let text = "x 1\n# TYPE x gauge\n# HELP y a\n# HELP y b\n# EOF\nz 1\n";
    let e = parse(text);
    let messages: Vec<&str> = e.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "the `# TYPE` line for `x` comes after its samples; it must come first",
            "a second `# HELP` line for `y`",
            "text after `# EOF`, which must be the last line",
        ]
    );
    assert!(e.families.iter().all(|f| f.name != "z"));
}

#[test]
fn comments_blank_lines_and_crlf_are_ignored() {
    let e = clean("# just a comment\n\n   \n#comment without a blank\r\nx 1\r\n");
    assert_eq!(e.families.len(), 1);
    assert_eq!(family(&e, "x").kept[0].value, 1.0);
}

fn too_large(e: &Exposition) -> Vec<&str> {
    e.problems
        .iter()
        .filter(|p| p.code == ConformCode::TooLarge.code())
        .map(|p| p.message.as_str())
        .collect()
}

#[test]
fn a_family_past_the_label_limit_is_noted_once_and_reading_goes_on() {
    let mut text = String::new();
    for i in 0..families::MAX_LABELS + 10 {
        text.push_str(&format!("x{{l{i}=\"v\"}} 1\n"));
    }
    text.push_str("after 1\n");
    let e = parse(&text);
    let x = family(&e, "x");
    assert_eq!(x.labels.len(), families::MAX_LABELS);
    assert!(!x.labels_complete);
    assert_eq!(
        x.lacking("l300"),
        0,
        "an untracked label is not counted as lacking"
    );
    assert_eq!(too_large(&e).len(), 1, "{:#?}", e.problems);
    assert_eq!(family(&e, "after").samples, 1);
}

#[test]
fn values_past_the_limit_are_noted_and_marked_incomplete() {
    let text: String = (0..families::MAX_VALUES + 5)
        .map(|i| format!("x{{id=\"{i}\"}} 1\n"))
        .collect();
    let e = parse(&text);
    let id = &family(&e, "x").labels["id"];
    assert_eq!(id.values.len(), families::MAX_VALUES);
    assert!(!id.values_complete);
    assert_eq!(id.carried, families::MAX_VALUES as u64 + 5);
    assert_eq!(too_large(&e).len(), 1);
}

#[test]
fn bad_lines_past_the_limit_are_counted_not_kept() {
    let text = "x{\n".repeat(families::MAX_PROBLEMS + 7);
    let e = parse(&text);
    let bad = e
        .problems
        .iter()
        .filter(|p| p.code == ConformCode::BadExposition.code())
        .count();
    assert_eq!(bad, families::MAX_PROBLEMS);
    assert_eq!(too_large(&e), ["7 more line(s) that do not parse, past the first 1000: the checks after this point are incomplete"]);
}

#[test]
fn a_line_over_the_limit_is_skipped_and_noted() {
    let text = format!("x{{a=\"{}\"}} 1\ny 2\n", "b".repeat(lines::MAX_LINE));
    let e = parse(&text);
    assert!(e.families.iter().all(|f| f.name != "x"));
    assert_eq!(family(&e, "y").samples, 1);
    assert_eq!(too_large(&e).len(), 1);
    assert_eq!(e.problems[0].span, Some(0..1));
}

#[test]
fn a_line_that_is_not_utf8_is_a_bad_line() {
    let e = read(&b"x 1\ny\xff 2\nz 3\n"[..]).unwrap();
    assert_eq!(e.problems.len(), 1);
    assert_eq!(e.problems[0].span, Some(4..8));
    assert_eq!(family(&e, "z").samples, 1);
}

#[test]
fn which_samples_lack_a_label_is_kept_without_the_samples() {
    let text = "x{a=\"1\"} 1\nx{a=\"2\",b=\"1\"} 1\nx{b=\"2\"} 1\nx{a=\"3\",b=\"3\"} 1\n";
    let e = clean(text);
    let x = family(&e, "x");
    assert_eq!(
        (x.samples, x.lacking("a"), x.lacking("b"), x.lacking("c")),
        (4, 1, 1, 4)
    );
    let at = |span: Option<Range<usize>>| span.map(|s| s.start);
    assert_eq!(at(x.first_lacking("a")), Some(28), "the third sample");
    assert_eq!(at(x.first_lacking("b")), Some(0), "the first sample");
    assert_eq!(at(x.first_lacking("c")), Some(0));
}

#[test]
fn utf8_names_are_read_quoted_as_prometheus_3_writes_them() {
    let text = concat!(
        "# HELP \"lloom.requests.total\" Requests.\n",
        "# TYPE \"lloom.requests.total\" counter\n",
        "{\"lloom.requests.total\", \"gpu.model\"=\"h100\", status=\"ok\"} 3\n",
        "{\"lloom.requests.total\"} 1\n",
    );
    let e = clean(text);
    let f = family(&e, "lloom.requests.total");
    assert_eq!(f.samples, 2);
    assert_eq!(f.help.as_deref(), Some("Requests."));
    assert_eq!(&text[f.name_span.clone()], "\"lloom.requests.total\"");
    assert_eq!(f.kept[0].label("gpu.model").unwrap().value, "h100");
    assert_eq!(f.lacking("gpu.model"), 1);
    for bad in ["{\"\"} 1\n", "{\"a.b\" 1\n", "{\"a\", \"\"=\"x\"} 1\n"] {
        assert_eq!(parse(bad).problems.len(), 1, "{bad}");
    }
}
