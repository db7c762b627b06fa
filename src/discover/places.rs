//! A TOML document as JSON, for the schema validator, together with where
//! each of its keys and values is in the text, by JSON pointer: the
//! validator names what is wrong by pointer, the finding needs a span.

use serde_json::{Map, Number, Value};
use std::collections::HashMap;
use std::ops::Range;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// Where one value is, and what TOML type it has.
struct Place {
    key: Option<Range<usize>>,
    value: Range<usize>,
    kind: &'static str,
}

pub struct Document {
    pub json: Value,
    places: HashMap<String, Place>,
    /// The first top-level key: where a key missing from the top level is
    /// reported, since the root table has no place of its own.
    first_key: Option<Range<usize>>,
}

impl Document {
    pub fn new(root: &DeTable<'_>) -> Document {
        let mut places = HashMap::new();
        let json = table(root, "", &mut places);
        let first_key = root.iter().map(|(k, _)| k.span()).min_by_key(|s| s.start);
        Document {
            json,
            places,
            first_key,
        }
    }

    /// The span of the value at `pointer`, or of the nearest enclosing value
    /// that has one (the root has none).
    pub fn value_span(&self, pointer: &str) -> Option<Range<usize>> {
        let mut p = pointer;
        loop {
            if let Some(place) = self.places.get(p) {
                return Some(place.value.clone());
            }
            if p.is_empty() {
                return self.first_key.clone();
            }
            p = &p[..p.rfind('/').unwrap_or(0)];
        }
    }

    /// The span of the key of the entry at `pointer`, else of its value.
    pub fn key_span(&self, pointer: &str) -> Option<Range<usize>> {
        match self.places.get(pointer) {
            Some(Place { key: Some(k), .. }) => Some(k.clone()),
            _ => self.value_span(pointer),
        }
    }

    /// The TOML type of the value at `pointer`: `string`, `integer`, ….
    pub fn kind(&self, pointer: &str) -> &'static str {
        self.places.get(pointer).map_or("value", |p| p.kind)
    }
}

/// `parent` extended by one key, escaped as JSON pointers are (`~0`, `~1`).
pub fn pointer(parent: &str, key: &str) -> String {
    format!("{parent}/{}", key.replace('~', "~0").replace('/', "~1"))
}

fn table(t: &DeTable<'_>, at: &str, places: &mut HashMap<String, Place>) -> Value {
    let mut map = Map::new();
    for (k, v) in t.iter() {
        let p = pointer(at, k.get_ref());
        let json = value(v, &p, Some(k.span()), places);
        map.insert(k.get_ref().to_string(), json);
    }
    Value::Object(map)
}

fn value(
    v: &Spanned<DeValue<'_>>,
    at: &str,
    key: Option<Range<usize>>,
    places: &mut HashMap<String, Place>,
) -> Value {
    let (json, kind) = match v.get_ref() {
        DeValue::String(s) => (Value::String(s.to_string()), "string"),
        DeValue::Integer(i) => (integer(i.as_str(), i.radix()), "integer"),
        DeValue::Float(f) => (
            f.as_str()
                .parse::<f64>()
                .ok()
                .and_then(Number::from_f64)
                .map_or_else(|| Value::String(f.as_str().to_string()), Value::Number),
            "float",
        ),
        DeValue::Boolean(b) => (Value::Bool(*b), "boolean"),
        DeValue::Datetime(d) => (Value::String(d.to_string()), "datetime"),
        DeValue::Array(items) => (
            Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| value(item, &format!("{at}/{i}"), None, places))
                    .collect(),
            ),
            "array",
        ),
        DeValue::Table(t) => (table(t, at, places), "table"),
    };
    places.insert(
        at.to_string(),
        Place {
            key,
            value: v.span(),
            kind,
        },
    );
    json
}

/// TOML integers are i64; larger text still becomes a number, so that the
/// schema, not the conversion, says what is wrong with it.
fn integer(text: &str, radix: u32) -> Value {
    if let Ok(i) = i64::from_str_radix(text, radix) {
        return Value::from(i);
    }
    if let Ok(u) = u64::from_str_radix(text, radix) {
        return Value::from(u);
    }
    text.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map_or(Value::Null, Value::Number)
}
