use super::{check, PROMETHEUS_VARS};

/// The functions of these tests: a few of Go's and Prometheus's.
fn function(name: &str) -> bool {
    ["humanize", "toUpper", "printf", "index", "gt", "len", "not"].contains(&name)
}

fn verdict(text: &str) -> Result<(), String> {
    check(text, PROMETHEUS_VARS, &function).map_err(|e| format!("{} at {}", e.message, e.at))
}

#[test]
fn accepts_what_go_parses() {
    for text in [
        "plain text, even } and }} alone",
        "{{ humanize $value }}",
        "{{ $labels.job | toUpper }}",
        "{{ with $labels.x }}{{ . }}{{ end }}",
        "{{- range $i, $v := $labels }}{{ $i }}={{ $v }}{{ end -}}",
        "{{/* c */}}",
        "{{- /* c */ -}}",
        r#"{{ printf "%.2f" $value }}"#,
        r#"{{ "}}" }}"#,
        "{{ `raw }} text` }}",
        "{{ 'x' }} {{ 1.5e3 }} {{ -1 }} {{ 0x1F }} {{ true }} {{ nil | printf \"%v\" }}",
        "{{ if gt $value 1.0 }}high{{ else if gt $value 0.5 }}mid{{ else }}low{{ end }}",
        "{{ with $labels.x }}{{ . }}{{ else with $labels.y }}{{ . }}{{ end }}",
        "{{ range $labels }}{{ if . }}{{ break }}{{ end }}{{ continue }}{{ end }}",
        "{{ range $labels }}{{ . }}{{ else }}none{{ end }}",
        "{{ $x := 1 }}{{ $x = 2 }}{{ $x }}",
        "{{ index $labels \"instance\" }} {{ (len $labels) }} {{ $.Labels.job }}",
        "{{ $externalLabels.cluster }} {{ $externalURL }} {{ .Labels.instance }}",
        r#"{{ define "t" }}{{ . }}{{ end }}{{ template "t" $labels }}{{ block "b" . }}x{{ end }}"#,
        "{{ if not (gt (len $labels) 1) }}few{{ end }}",
        "{{ $labels.instance\n}}",
        "{{ $value | }}",
    ] {
        assert_eq!(verdict(text), Ok(()), "{text}");
    }
}

#[test]
fn refuses_what_go_refuses() {
    for (text, why) in [
        ("{{ $labels.instance }", "unexpected \"}\" in operand"),
        ("{{$labels.instance}", "bad character '}'"),
        ("{{ $labels.instance ", "unclosed action"),
        ("{{ if .x }}a", "{{if}} has no {{end}}"),
        ("{{ end }}", "unexpected {{end}}"),
        ("a {{ else }} b", "unexpected {{else}}"),
        (
            "{{ if .x }}a{{ else }}b{{ else }}c{{ end }}",
            "expected end; found {{else}}",
        ),
        ("{{ range . }}{{ else if .x }}{{ end }}", "unexpected <if>"),
        ("{{ $undefined }}", "undefined variable \"$undefined\""),
        (
            "{{ if $x := 1 }}{{ end }}{{ $x }}",
            "undefined variable \"$x\"",
        ),
        (
            "{{ define \"t\" }}{{ $labels }}{{ end }}",
            "undefined variable \"$labels\"",
        ),
        (
            "{{ humanizePercent $value }}",
            "function \"humanizePercent\" not defined",
        ),
        ("{{ break }}", "{{break}} outside {{range}}"),
        (
            "{{ if . }}{{ continue }}{{ end }}",
            "{{continue}} outside {{range}}",
        ),
        ("{{/* c }}", "unclosed comment"),
        ("{{/* c */ x }}", "comment ends before closing delimiter"),
        ("{{ /* c */ }}", "unexpected \"/\" in command"),
        ("{{ \"abc }}", "unterminated quoted string"),
        ("{{ `abc }}", "unterminated raw quoted string"),
        ("{{ 'ab' }}", "malformed character constant"),
        ("{{ \"\\q\" }}", "bad escape"),
        ("{{ (humanize $value }}", "unclosed left paren"),
        ("{{ humanize $value) }}", "unexpected right paren"),
        ("{{ | humanize }}", "unexpected \"|\" in command"),
        ("{{ $value || humanize }}", "unexpected \"|\" in command"),
        (
            "{{ $value | 1 }}",
            "non executable command in pipeline stage 2",
        ),
        ("{{ x := 1 }}", "function \"x\" not defined"),
        ("{{ .x := 1 }}", "unexpected \":=\" in operand"),
        ("{{ $a, $b := . }}", "too many declarations in command"),
        ("{{ if }}{{ end }}", "missing value for if"),
        ("{{ 1x }}", "bad number syntax"),
        ("{{ 1e }}", "bad number syntax"),
        ("{{ \"a\".b }}", "unexpected . after term"),
        (
            "{{ if . }}{{ define \"t\" }}{{ end }}{{ end }}",
            "unexpected <define>",
        ),
        ("{{ template $x }}", "unexpected \"$x\" in template clause"),
        ("{{ $value : b }}", "expected :="),
    ] {
        let got = verdict(text).expect_err(text);
        assert!(got.contains(why), "{text}: {got}");
    }
}

#[test]
fn points_at_the_action() {
    let e = check("ok {{ $labels.instance } more", PROMETHEUS_VARS, &function).unwrap_err();
    assert_eq!(
        super::action_at("ok {{ $labels.instance } more", e.at),
        "{{ $labels.instance } more"
    );
    let text = "a {{ if .x }}b";
    let e = check(text, PROMETHEUS_VARS, &function).unwrap_err();
    assert_eq!(super::action_at(text, e.at), "{{ if .x }}");
}
