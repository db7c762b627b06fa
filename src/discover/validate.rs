//! Reading an inventory file back. It comes from another host and may be
//! hand-edited, so it is checked against the JSON Schema derived from the
//! types (one source of truth for what a valid file is) and then for what
//! the schema cannot say; every problem is a located [`Finding`].

use super::inventory::{Gpu, Inventory};
use super::places::{pointer, Document};
use super::InventoryCode;
use crate::diagnostics::{suggest, Finding};
use jsonschema::error::ValidationErrorKind;
use jsonschema::{ValidationError, Validator};
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::OnceLock;
use toml::de::DeTable;

/// The inventory's JSON Schema, derived from [`Inventory`].
pub fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        serde_json::to_value(schemars::schema_for!(Inventory)).expect("the schema is JSON")
    })
}

fn validator() -> &'static Validator {
    static VALIDATOR: OnceLock<Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| jsonschema::validator_for(schema()).expect("the schema is valid"))
}

/// Parses and checks an inventory file; `name` is shown in the rare
/// finding that has no place in the text.
pub fn load(name: &str, text: &str) -> Result<Inventory, Vec<Finding>> {
    let (root, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        return Err(syntax
            .iter()
            .map(|e| {
                let msg = e.message().lines().next().unwrap_or_default().trim();
                Finding::new(InventoryCode::Syntax, format!("TOML syntax: {msg}"))
                    .at_opt(e.span())
                    .help("fix the TOML syntax here, or run `lloom-monctl discover` again")
            })
            .collect());
    }
    let doc = Document::new(root.get_ref());
    let mut findings = Vec::new();
    for e in validator().iter_errors(&doc.json) {
        schema_findings(&e, &doc, &mut findings);
    }
    if !findings.is_empty() {
        return Err(findings);
    }
    // What the schema lets through but the types do not (an index past
    // u32::MAX): toml's deserializer still says where.
    let inventory = Inventory::deserialize(toml::de::Deserializer::from(root)).map_err(|e| {
        let msg = e.message().lines().next().unwrap_or_default().trim();
        // The file name only where no place in it can be shown.
        let msg = match e.span() {
            Some(_) => msg.to_string(),
            None => format!("{name}: {msg}"),
        };
        vec![Finding::new(InventoryCode::Invalid, msg).at_opt(e.span())]
    })?;
    consistency(&inventory, &doc, &mut findings);
    if findings.is_empty() {
        Ok(inventory)
    } else {
        Err(findings)
    }
}

/// The subschema at a JSON pointer into [`schema`].
fn subschema(pointer: &str) -> Option<&'static Value> {
    schema().pointer(pointer)
}

/// The object schema a keyword at `schema_path` belongs to.
fn object_schema(e: &ValidationError<'_>) -> Option<&'static Value> {
    let path = e.schema_path().as_str();
    subschema(&path[..path.rfind('/')?])
}

fn schema_findings(e: &ValidationError<'_>, doc: &Document, out: &mut Vec<Finding>) {
    let at = e.instance_path().as_str();
    match e.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let allowed: Vec<&str> = object_schema(e)
                .and_then(|s| s.get("properties")?.as_object())
                .map(|p| p.keys().map(String::as_str).collect())
                .unwrap_or_default();
            let list = allowed
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ");
            for key in unexpected {
                let known = format!("the keys of {} are {list}", table_name(at));
                let help = suggest(key, allowed.iter().copied(), || known.clone());
                let help = if help == known {
                    help
                } else {
                    format!("{help} ({known})")
                };
                out.push(
                    Finding::new(
                        InventoryCode::Invalid,
                        format!("unknown key `{key}` in {}", table_name(at)),
                    )
                    .at_opt(doc.key_span(&pointer(at, key)))
                    .label("unknown key")
                    .help(help),
                );
            }
        }
        ValidationErrorKind::Required { property } => {
            let key = property.as_str().unwrap_or_default();
            let required = object_schema(e)
                .and_then(|s| s.get("required")?.as_array())
                .map(|r| {
                    r.iter()
                        .filter_map(Value::as_str)
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            out.push(
                Finding::new(
                    InventoryCode::Invalid,
                    format!("missing key `{key}` in {}", table_name(at)),
                )
                .at_opt(doc.value_span(at))
                .label(format!("`{key}` is missing here"))
                .help(format!("{} needs {required}", table_name(at))),
            );
        }
        ValidationErrorKind::Type { .. } => {
            let expected = subschema(e.schema_path().as_str()).map_or_else(String::new, expected);
            let span = doc.value_span(at);
            out.push(
                Finding::new(
                    InventoryCode::Invalid,
                    format!(
                        "`{}` must be {expected}, not {} {}",
                        dotted(at),
                        doc.kind(at),
                        shown(&e.instance().to_string())
                    ),
                )
                .at_opt(span)
                .label(format!("expected {expected}")),
            );
        }
        _ => out.push(
            Finding::new(InventoryCode::Invalid, format!("`{}`: {e}", dotted(at)))
                .at_opt(doc.value_span(at)),
        ),
    }
}

/// A schema's `type` in words, leaving out the `null` of optional fields:
/// TOML has no null, an optional key is simply left out.
fn expected(types: &Value) -> String {
    let word = |t: &str| match t {
        "integer" => "an integer",
        "number" => "a number",
        "string" => "a string",
        "boolean" => "a boolean",
        "array" => "an array",
        "object" => "a table",
        _ => "something else",
    };
    match types {
        Value::String(t) => word(t).to_string(),
        Value::Array(ts) => ts
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .map(word)
            .collect::<Vec<_>>()
            .join(" or "),
        _ => "something else".to_string(),
    }
}

/// A value as it is shown in a message: its first 40 characters.
fn shown(json: &str) -> String {
    let short: String = json.chars().take(40).collect();
    if short.len() < json.len() {
        format!("`{short}…`")
    } else {
        format!("`{short}`")
    }
}

/// `/gpu/1/uuid` → `gpu.uuid`: the line and column say which GPU.
fn dotted(pointer: &str) -> String {
    pointer
        .split('/')
        .skip(1)
        .filter(|s| s.parse::<usize>().is_err())
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect::<Vec<_>>()
        .join(".")
}

/// The table at `pointer` as the file writes it: `the top level`, `[[gpu]]`.
fn table_name(pointer: &str) -> String {
    match pointer.rsplit('/').next() {
        _ if pointer.is_empty() => "the top level".to_string(),
        Some(last) if last.parse::<usize>().is_ok() => format!("`[[{}]]`", dotted(pointer)),
        _ => format!("`[{}]`", dotted(pointer)),
    }
}

/// What the schema cannot express: GPUs indexed 0..n-1 in order, unique
/// `GPU-` UUIDs and bus ids, sizes above zero, a known source.
fn consistency(inv: &Inventory, doc: &Document, out: &mut Vec<Finding>) {
    let err = |p: String, msg: String| {
        Finding::new(InventoryCode::Invalid, msg).at_opt(doc.value_span(&p))
    };
    if !matches!(inv.source.as_str(), "nvml" | "nvidia-smi") {
        out.push(
            err("/source".into(), format!("unknown source `{}`", inv.source))
                .help("discover writes `nvml` or `nvidia-smi`"),
        );
    }
    if inv.host.trim().is_empty() {
        out.push(
            err("/host".into(), "host is empty".into())
                .help("name the host as the spec's targets do"),
        );
    }
    let n = inv.gpu.len();
    let mut index_ok = true;
    let mut seen: HashMap<(&str, String), usize> = HashMap::new();
    for (i, g) in inv.gpu.iter().enumerate() {
        index_ok &= gpu_values(g, i, n, &err, out);
        index_ok &= unique_ids(g, i, &mut seen, &err, out);
    }
    if index_ok {
        if let Some(i) = inv
            .gpu
            .iter()
            .enumerate()
            .position(|(i, g)| g.index as usize != i)
        {
            out.push(
                err(
                    format!("/gpu/{i}/index"),
                    "the `[[gpu]]` tables are not in index order".into(),
                )
                .help("list them by index, 0 first, as discover writes them"),
            );
        }
    }
}

/// A finding at a JSON pointer of the inventory.
type At<'a> = dyn Fn(String, String) -> Finding + 'a;

/// The `i`th GPU's own values, of `n` GPUs; false when its index is out of range.
fn gpu_values(g: &Gpu, i: usize, n: usize, err: &At, out: &mut Vec<Finding>) -> bool {
    let p = |key: &str| format!("/gpu/{i}/{key}");
    let index_ok = (g.index as usize) < n;
    if !index_ok {
        out.push(
            err(p("index"), format!("index {} is out of range", g.index))
                .help(format!("this host has {n} GPU(s), indexed 0 to {}", n - 1)),
        );
    }
    if !g.uuid.starts_with("GPU-") {
        out.push(
            err(
                p("uuid"),
                format!("uuid `{}` does not start with `GPU-`", g.uuid),
            )
            .help("write the UUID as NVML and nvidia-smi show it: `GPU-` and 32 hex digits"),
        );
    }
    if g.memory_total_bytes == 0 {
        out.push(err(
            p("memory_total_bytes"),
            "memory_total_bytes is 0".into(),
        ));
    }
    if let Some(w) = g.power_limit_watts.filter(|w| !(*w > 0.0 && w.is_finite())) {
        out.push(
            err(
                p("power_limit_watts"),
                format!("power limit {w} W is not above 0"),
            )
            .help("leave the key out where the driver reports no limit"),
        );
    }
    index_ok
}

/// The `i`th GPU's index, uuid and bus id, each unseen in an earlier GPU;
/// false when its index was.
fn unique_ids(
    g: &Gpu,
    i: usize,
    seen: &mut HashMap<(&'static str, String), usize>,
    err: &At,
    out: &mut Vec<Finding>,
) -> bool {
    let mut index_ok = true;
    for (key, value) in [
        ("index", g.index.to_string()),
        ("uuid", g.uuid.clone()),
        ("pci_bus_id", g.pci_bus_id.clone()),
    ] {
        if let Some(first) = seen.insert((key, value.clone()), i) {
            index_ok &= key != "index";
            out.push(
                err(
                    format!("/gpu/{i}/{key}"),
                    format!("{key} `{value}` is also that of an earlier `[[gpu]]`"),
                )
                .label("duplicate")
                .help(format!("each GPU has its own {key}")),
            );
            seen.insert((key, value), first);
        }
    }
    index_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Source;

    const GPU: &str = "[[gpu]]\nindex = 0\nuuid = \"GPU-a\"\nname = \"A\"\nmemory_total_bytes = 1\npci_bus_id = \"00000000:01:00.0\"\n";

    /// `line:col: message` of each finding, in source order.
    fn errors(text: &str) -> Vec<String> {
        let findings = load("t.toml", text).unwrap_err();
        Source::new("t.toml", text)
            .render_all(&findings)
            .lines()
            .filter_map(|l| l.strip_prefix("t.toml:"))
            .map(|l| l.replace("error[inventory/invalid]: ", ""))
            .collect()
    }

    fn host(body: &str) -> String {
        format!("host = \"h\"\nsource = \"nvml\"\n{body}")
    }

    #[test]
    fn a_minimal_inventory_loads() {
        let inv = load("t.toml", &host(GPU)).unwrap();
        assert_eq!(inv.gpu[0].uuid, "GPU-a");
        assert!(load("t.toml", &host("")).unwrap().gpu.is_empty());
    }

    #[test]
    fn schema_problems_are_located_and_all_reported() {
        let text = format!(
            "host = 1\nsource = \"nvml\"\ncolour = \"x\"\n{}",
            GPU.replace("index = 0", "index = -1")
                .replace("name = \"A\"", "name = [\"A\"]")
        );
        assert_eq!(
            errors(&text),
            [
                "1:8: `host` must be a string, not integer `1`",
                "3:1: unknown key `colour` in the top level",
                "5:9: `gpu.index`: -1 is less than the minimum of 0",
                "7:8: `gpu.name` must be a string, not array `[\"A\"]`",
            ]
        );
    }

    #[test]
    fn a_missing_top_level_key_points_at_the_first_key() {
        assert_eq!(
            errors("host = \"h\"\n"),
            ["1:1: missing key `source` in the top level"]
        );
    }

    #[test]
    fn a_value_the_schema_allows_but_the_type_does_not_is_located() {
        let text = host(&GPU.replace("index = 0", "index = 4294967296"));
        let found = errors(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0],
            "4:9: invalid value: integer `4294967296`, expected u32"
        );
    }

    #[test]
    fn consistency_problems_are_located() {
        let second = GPU
            .replace("index = 0", "index = 5")
            .replace("GPU-a", "gpu-b")
            .replace(
                "memory_total_bytes = 1",
                "memory_total_bytes = 0\npower_limit_watts = -3.0",
            );
        let text = format!("host = \" \"\nsource = \"nvml2\"\n{GPU}{second}");
        assert_eq!(
            errors(&text),
            [
                "1:8: host is empty",
                "2:10: unknown source `nvml2`",
                "10:9: index 5 is out of range",
                "11:8: uuid `gpu-b` does not start with `GPU-`",
                "13:22: memory_total_bytes is 0",
                "14:21: power limit -3 W is not above 0",
                "15:14: pci_bus_id `00000000:01:00.0` is also that of an earlier `[[gpu]]`",
            ]
        );
    }

    #[test]
    fn gpus_out_of_index_order_are_reported() {
        let text = host(&format!(
            "{}{GPU}",
            GPU.replace("index = 0", "index = 1")
                .replace("GPU-a", "GPU-b")
                .replace(":01:", ":02:")
        ));
        assert_eq!(
            errors(&text),
            ["4:9: the `[[gpu]]` tables are not in index order"]
        );
    }

    #[test]
    fn syntax_errors_are_located() {
        let text = "host = \"h\nsource = \"nvml\"\n";
        let findings = load("t.toml", text).unwrap_err();
        assert_eq!(findings[0].code, "inventory/syntax");
        let shown = Source::new("t.toml", text).render_all(&findings);
        assert!(shown.starts_with("t.toml:1:"), "{shown}");
    }
}
