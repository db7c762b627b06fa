//! Expands alert annotations and labels as Prometheus would for one firing
//! alert, so that a rule test can state the exact text promtool compares.
//!
//! Only the subset alert texts use is understood: `$labels.x`, `.Labels.x`,
//! `$externalLabels.x`, `index $labels "x"`, `$value`, the `humanize*`
//! functions, `printf` with `%v %s %f %e %g` (and a precision), pipes, trim
//! markers and comments. Anything else is an error naming the action, never
//! a guess: the test then needs its annotations written out.

use super::go_fmt;
use super::LabelMap;

/// What a template sees: the alert's series labels (rule labels are not part
/// of `$labels`), the external labels and `$value`.
pub struct Data<'a> {
    pub labels: &'a LabelMap,
    pub external_labels: &'a LabelMap,
    /// `None` when the test gives no value: printing `$value` is then an error.
    pub value: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExpandError {
    /// An action outside the supported subset, as written.
    Unsupported(String),
    /// The text prints `$value`, and no value was given.
    NoValue,
}

impl std::fmt::Display for ExpandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExpandError::Unsupported(action) => write!(
                f,
                "`{action}` is outside the template subset lloom-monctl expands"
            ),
            ExpandError::NoValue => f.write_str("it prints `$value`, and no `value` is given"),
        }
    }
}

/// A value inside a pipeline.
enum Val {
    Float(f64),
    Str(String),
}

pub fn expand(text: &str, data: &Data) -> Result<String, ExpandError> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let close = closing(after).ok_or_else(|| ExpandError::Unsupported(rest[open..].into()))?;
        let whole = &rest[open..open + 2 + close + 2];
        let mut body = &after[..close];
        // `{{- ` and ` -}}` trim the white space around the action.
        if let Some(b) = body
            .strip_prefix('-')
            .filter(|b| b.starts_with(char::is_whitespace))
        {
            out.truncate(out.trim_end().len());
            body = b;
        }
        let trim_after = match body.strip_suffix('-') {
            Some(b) if b.ends_with(char::is_whitespace) => {
                body = b;
                true
            }
            _ => false,
        };
        let body = body.trim();
        if !(body.starts_with("/*") && body.ends_with("*/")) {
            match pipeline(body, data).ok_or_else(|| ExpandError::Unsupported(whole.into()))? {
                Ok(Val::Float(v)) => out.push_str(&go_fmt::v(v)),
                Ok(Val::Str(s)) => out.push_str(&s),
                Err(e) => return Err(e),
            }
        }
        rest = &after[close + 2..];
        if trim_after {
            rest = rest.trim_start();
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// Where the action's `}}` is, outside string literals.
fn closing(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut quote = None;
    let mut i = 0;
    while i < bytes.len() {
        match (quote, bytes[i]) {
            (Some(b'"'), b'\\') => i += 1,
            (Some(q), c) if c == q => quote = None,
            (None, b'"' | b'`') => quote = Some(bytes[i]),
            (None, b'}') if bytes.get(i + 1) == Some(&b'}') => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Tokens of an action: words, `|`, and string literals (unquoted, tagged).
fn tokens(body: &str) -> Option<Vec<(bool, String)>> {
    let mut out = Vec::new();
    let mut chars = body.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '|' {
            chars.next();
            out.push((false, "|".into()));
        } else if c == '"' || c == '`' {
            chars.next();
            let mut s = String::new();
            loop {
                match chars.next()? {
                    q if q == c => break,
                    '\\' if c == '"' => s.push(match chars.next()? {
                        'n' => '\n',
                        't' => '\t',
                        e @ ('\\' | '"') => e,
                        _ => return None,
                    }),
                    x => s.push(x),
                }
            }
            out.push((true, s));
        } else if c == '(' || c == ')' {
            return None;
        } else {
            let mut w = String::new();
            while let Some(&x) = chars.peek() {
                if x.is_whitespace() || matches!(x, '|' | '"' | '`' | '(' | ')') {
                    break;
                }
                w.push(x);
                chars.next();
            }
            out.push((false, w));
        }
    }
    Some(out)
}

/// `None`: not in the subset; `Some(Err)`: in the subset but not expandable here.
fn pipeline(body: &str, data: &Data) -> Option<Result<Val, ExpandError>> {
    let toks = tokens(body)?;
    let mut acc: Option<Val> = None;
    for cmd in toks.split(|t| !t.0 && t.1 == "|") {
        let (head, rest) = cmd.split_first()?;
        if !head.0 && head.1 == "index" {
            // `index $labels "x"`: a map and a literal key, nothing piped in.
            let [(false, map), (true, key)] = rest else {
                return None;
            };
            if acc.is_some() {
                return None;
            }
            acc = Some(Val::Str(label(map_of(map, data)?, key)));
            continue;
        }
        let mut args = Vec::new();
        for a in rest {
            match operand(a, data)? {
                Ok(v) => args.push(v),
                Err(e) => return Some(Err(e)),
            }
        }
        args.extend(acc.take());
        let val = if is_function(head) {
            call(&head.1, &args)?
        } else if args.is_empty() {
            match operand(head, data)? {
                Ok(v) => v,
                Err(e) => return Some(Err(e)),
            }
        } else {
            return None;
        };
        acc = Some(val);
    }
    acc.map(Ok)
}

fn is_function(tok: &(bool, String)) -> bool {
    !tok.0
        && matches!(
            tok.1.as_str(),
            "humanize" | "humanize1024" | "humanizeDuration" | "humanizePercentage" | "printf"
        )
}

fn map_of<'a>(word: &str, data: &Data<'a>) -> Option<&'a LabelMap> {
    match word {
        "$labels" | ".Labels" => Some(data.labels),
        "$externalLabels" | ".ExternalLabels" => Some(data.external_labels),
        _ => None,
    }
}

/// A missing key prints as empty: Prometheus runs templates with `missingkey=zero`.
fn label(map: &LabelMap, key: &str) -> String {
    map.get(key).cloned().unwrap_or_default()
}

fn operand(tok: &(bool, String), data: &Data) -> Option<Result<Val, ExpandError>> {
    let (literal, word) = tok;
    if *literal {
        return Some(Ok(Val::Str(word.clone())));
    }
    if matches!(word.as_str(), "$value" | ".Value") {
        return Some(data.value.map(Val::Float).ok_or(ExpandError::NoValue));
    }
    let (map, key) = [
        ("$labels.", data.labels),
        (".Labels.", data.labels),
        ("$externalLabels.", data.external_labels),
        (".ExternalLabels.", data.external_labels),
    ]
    .into_iter()
    .find_map(|(prefix, map)| word.strip_prefix(prefix).map(|key| (map, key)))?;
    if key.is_empty() || key.contains('.') {
        return None;
    }
    Some(Ok(Val::Str(label(map, key))))
}

/// A function of the subset; `None` for other arguments than it takes.
fn call(name: &str, args: &[Val]) -> Option<Val> {
    Some(Val::Str(match (name, args) {
        ("humanize", [Val::Float(v)]) => go_fmt::humanize(*v),
        ("humanize1024", [Val::Float(v)]) => go_fmt::humanize1024(*v),
        ("humanizeDuration", [Val::Float(v)]) => go_fmt::humanize_duration(*v),
        ("humanizePercentage", [Val::Float(v)]) => go_fmt::humanize_percentage(*v),
        ("printf", [Val::Str(format), rest @ ..]) => printf(format, rest)?,
        _ => return None,
    }))
}

/// Go's `printf` for the verbs alert texts use; `None` for anything else.
fn printf(format: &str, args: &[Val]) -> Option<String> {
    let mut out = String::new();
    let mut args = args.iter();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut precision = None;
        if chars.peek() == Some(&'.') {
            chars.next();
            let mut n = String::new();
            while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                n.push(*d);
                chars.next();
            }
            precision = Some(n.parse().unwrap_or(0));
        }
        let verb = chars.next()?;
        if verb == '%' && precision.is_none() {
            out.push('%');
            continue;
        }
        out.push_str(&match (verb, args.next()?) {
            ('v', Val::Float(x)) if precision.is_none() => go_fmt::v(*x),
            ('g', Val::Float(x)) => go_fmt::g(*x, precision),
            ('e', Val::Float(x)) => go_fmt::e(*x, precision),
            ('f' | 'F', Val::Float(x)) => go_fmt::f(*x, precision),
            ('s' | 'v', Val::Str(s)) if precision.is_none() => s.clone(),
            _ => return None,
        });
    }
    args.next().is_none().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, value: Option<f64>) -> Result<String, ExpandError> {
        let labels = LabelMap::from([
            ("instance".to_string(), "client1".to_string()),
            ("job".to_string(), "lloom-client".to_string()),
        ]);
        let external = LabelMap::from([("cluster".to_string(), "prod".to_string())]);
        expand(
            text,
            &Data {
                labels: &labels,
                external_labels: &external,
                value,
            },
        )
    }

    #[test]
    fn expands_labels_values_and_functions() {
        let ok = |text: &str, value: f64| run(text, Some(value)).unwrap();
        assert_eq!(
            ok(
                "{{ $value | humanizePercentage }} of {{ $labels.instance }}",
                0.1
            ),
            "10% of client1"
        );
        assert_eq!(ok("{{ humanize $value }}/s", 0.2), "200m/s");
        assert_eq!(
            ok("{{ .Value }} on {{ .Labels.job }}", 200.0),
            "200 on lloom-client"
        );
        assert_eq!(ok("{{ $value }}", 1e6), "1e+06");
        assert_eq!(ok("{{$value|humanize1024}}B", 1048576.0), "1MiB");
        assert_eq!(ok("{{ humanizeDuration $value }}", 90.0), "1m 30s");
        assert_eq!(ok(r#"{{ printf "%.2f" $value }}"#, 1.125), "1.12");
        assert_eq!(ok(r#"{{ $value | printf "%.1f%%" }}"#, 95.25), "95.2%");
        assert_eq!(
            ok(r#"{{ printf "%s is at %g" $labels.instance $value }}"#, 0.5),
            "client1 is at 0.5"
        );
        assert_eq!(ok(r#"{{ index $labels "job" }}"#, 0.0), "lloom-client");
        assert_eq!(
            ok(
                "{{ $externalLabels.cluster }}/{{ .ExternalLabels.region }}",
                0.0
            ),
            "prod/"
        );
        assert_eq!(ok("{{ $labels.missing }}", 0.0), "", "missingkey=zero");
        assert_eq!(
            ok("a  {{- $labels.job -}}  b{{/* note */}}", 0.0),
            "alloom-clientb"
        );
        assert_eq!(ok("no templates at all", 0.0), "no templates at all");
    }

    #[test]
    fn value_is_needed_only_where_printed() {
        assert_eq!(
            run("{{ $labels.instance }} is down", None).unwrap(),
            "client1 is down"
        );
        assert_eq!(
            run("{{ $value | humanize }}", None),
            Err(ExpandError::NoValue)
        );
    }

    #[test]
    fn refuses_what_it_does_not_know() {
        for text in [
            "{{ if gt $value 1.0 }}high{{ end }}",
            "{{ range $labels }}x{{ end }}",
            "{{ $labels.instance | toUpper }}",
            "{{ humanizePercent $value }}",
            "{{ $labels }}",
            "{{ (humanize $value) }}",
            r#"{{ printf "%d" $value }}"#,
            r#"{{ printf "%5.2f" $value }}"#,
            r#"{{ printf "%s" $value }}"#,
            "{{ $value ",
            "{{ $x := 1 }}",
            "{{ $labels.a.b }}",
        ] {
            assert!(
                matches!(run(text, Some(1.0)), Err(ExpandError::Unsupported(_))),
                "{text} should be refused"
            );
        }
    }
}
