//! Seeded mutations of a spec: one scalar value replaced by a value a typo,
//! a paste or a hostile pull request would put there.

use toml::{Table, Value};

/// A small, seeded generator (SplitMix64): the same seed, the same mutants.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// One step from a table to a value inside it.
#[derive(Debug, Clone)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// Where a value is, as the spec's dotted path (`alertmanager.receiver[0].name`).
pub fn dotted(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(k) if out.is_empty() => out.push_str(k),
            Step::Key(k) => out.push_str(&format!(".{k}")),
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// The path of every scalar (string, number, boolean, date) of `table`.
pub fn scalars(table: &Table) -> Vec<Vec<Step>> {
    fn walk(v: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
        match v {
            Value::Table(t) => {
                for (k, v) in t {
                    path.push(Step::Key(k.clone()));
                    walk(v, path, out);
                    path.pop();
                }
            }
            Value::Array(a) => {
                for (i, v) in a.iter().enumerate() {
                    path.push(Step::Index(i));
                    walk(v, path, out);
                    path.pop();
                }
            }
            _ => out.push(path.clone()),
        }
    }
    let mut out = Vec::new();
    walk(&Value::Table(table.clone()), &mut Vec::new(), &mut out);
    out
}

fn at<'a>(table: &'a mut Table, path: &[Step]) -> &'a mut Value {
    let (Step::Key(first), rest) = path.split_first().expect("a path") else {
        panic!("a path starts with a key");
    };
    let mut v = table.get_mut(first).expect("the path exists");
    for step in rest {
        v = match step {
            Step::Key(k) => v.get_mut(k.as_str()),
            Step::Index(i) => v.get_mut(*i),
        }
        .expect("the path exists");
    }
    v
}

/// Strings put in place of a string, or after it (`true`: appended).
const STRINGS: &[(&str, bool)] = &[
    ("", false),
    (" ", false),
    ("\t", true),
    (" ", true),
    ("\u{0}", true),
    ("\u{1b}[31m", true),
    ("\n", true),
    ("\r", true),
    ("\u{7f}", true),
    ("é", true),
    ("\"", true),
    ("'", true),
    ("\\", true),
    ("`", true),
    ("{{", true),
    ("}}", true),
    ("{{ $labels.instance }", true),
    ("{{ humanizePercent 1 }}", true),
    ("{{ end }}", true),
    ("a**", false),
    ("(?u)x", false),
    ("[", true),
    ("a{1001}", false),
    ("(", true),
    ("*", true),
    ("$1", true),
    ("${1}", true),
    ("bogus", false),
    ("Europe/Berlinn", false),
    ("0", false),
    ("-1", false),
    ("1e309", false),
    ("99999999999999999999", false),
    ("0s", false),
    ("-5m", false),
    ("1y", false),
    ("::1", false),
    ("[::1]:9090", false),
    ("host:99999", false),
    ("http://", false),
    ("/", false),
    ("../x", false),
    ("a b", false),
    ("=", true),
    (":", true),
    (",", true),
    ("#", true),
    ("/", true),
    ("?", true),
    ("%", true),
];

/// Numbers put in place of a number.
const INTEGERS: &[i64] = &[0, -1, 1, 2, 1001, 65535, 65536, i64::MAX, i64::MIN];
const FLOATS: &[f64] = &[
    0.0,
    -0.0,
    -1.0,
    1.0,
    1e-12,
    1e308,
    f64::INFINITY,
    f64::NAN,
    100.0,
    0.999999,
];

/// Replaces one scalar of `table`, chosen by `rng`: returns what it did.
pub fn mutate(table: &mut Table, paths: &[Vec<Step>], rng: &mut Rng) -> String {
    let path = &paths[rng.below(paths.len())];
    let value = at(table, path);
    let new = match &*value {
        Value::String(s) => match rng.below(8) {
            0 => Value::String("x".repeat([300, 5_000, 100_000][rng.below(3)])),
            _ => {
                let (text, append) = STRINGS[rng.below(STRINGS.len())];
                Value::String(if append {
                    format!("{s}{text}")
                } else {
                    text.into()
                })
            }
        },
        Value::Integer(_) => Value::Integer(INTEGERS[rng.below(INTEGERS.len())]),
        Value::Float(_) => Value::Float(FLOATS[rng.below(FLOATS.len())]),
        Value::Boolean(b) => Value::Boolean(!b),
        other => Value::String(format!("{other}x")),
    };
    let what = format!("{} = {}", dotted(path), shown(&new));
    *value = new;
    what
}

/// A value as a short, printable text.
fn shown(v: &Value) -> String {
    let text = format!("{v}");
    if text.chars().count() > 60 {
        let head: String = text.chars().take(40).collect();
        format!("{head}… ({} bytes)", text.len())
    } else {
        text
    }
}
