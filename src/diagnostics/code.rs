//! Finding codes: each stage (spec, lint, conform, inventory) lists its codes
//! once, as an enum made by [`code_table!`], and a [`Finding`](super::Finding)
//! can only be made from a variant of such a table, so that a code that is not
//! listed cannot be reported and a code always has its listed severity.

use super::Severity;

/// A stable finding code, its severity and what it means: each stage's table
/// of codes is the source of its table in `docs/` ([`markdown_table`]) and is
/// checked against the spec's `allow`s.
#[derive(Debug, PartialEq, Eq)]
pub struct Code {
    pub code: &'static str,
    pub severity: Severity,
    pub meaning: &'static str,
}

impl Code {
    pub const fn new(code: &'static str, severity: Severity, meaning: &'static str) -> Code {
        Code {
            code,
            severity,
            meaning,
        }
    }
}

/// A variant of a stage's code table: what [`Finding::new`](super::Finding::new)
/// takes, so that findings carry listed codes only.
pub trait Coded: Copy {
    /// The variant's row of the table.
    fn info(self) -> &'static Code;
}

/// Defines a stage's codes as an enum, one variant per code, each with its
/// code string, severity (`Error` or `Warning`) and a one-line meaning:
///
/// ```ignore
/// code_table! {
///     /// The spec's codes.
///     pub enum SpecCode {
///         Syntax("spec/syntax", Error, "the file is not valid TOML"),
///     }
/// }
/// ```
///
/// The enum gets `ALL` (the variants in order), `CODES` (their rows, for the
/// docs' tables), `info()`, `code()`, `find()` by code string, and [`Coded`].
macro_rules! code_table {
    (
        $(#[$attr:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$vattr:meta])*
                $variant:ident($code:literal, $severity:ident, $meaning:literal)
            ),* $(,)?
        }
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $( $(#[$vattr])* $variant, )*
        }

        // Not every table uses every helper (the tests' tables, say).
        #[allow(dead_code)]
        impl $name {
            /// Every code, in the table's order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// Every code's row, in the table's order: the docs' table.
            pub const CODES: &'static [$crate::diagnostics::Code] = &[$(
                $crate::diagnostics::Code::new(
                    $code,
                    $crate::diagnostics::Severity::$severity,
                    $meaning,
                )
            ),*];

            /// This code's row of the table.
            pub const fn info(self) -> &'static $crate::diagnostics::Code {
                &Self::CODES[self as usize]
            }

            /// The stable code string, e.g. `spec/unknown-key`.
            pub const fn code(self) -> &'static str {
                self.info().code
            }

            pub const fn severity(self) -> $crate::diagnostics::Severity {
                self.info().severity
            }

            /// The variant whose code string is `code`.
            pub fn find(code: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|c| c.code() == code)
            }
        }

        impl $crate::diagnostics::Coded for $name {
            fn info(self) -> &'static $crate::diagnostics::Code {
                $name::info(self)
            }
        }
    };
}
pub(crate) use code_table;

/// The Markdown table of `codes` that the pages in `docs/` show between
/// `<!-- codes:NAME begin -->` and `<!-- codes:NAME end -->`: one row per
/// code, in the list's order. A test keeps the pages in step with the lists.
pub fn markdown_table(codes: &[Code]) -> String {
    let mut table = String::from("| code | severity | fires on |\n|---|---|---|\n");
    for c in codes {
        table.push_str(&format!(
            "| `{}` | {} | {} |\n",
            c.code,
            c.severity.as_str(),
            c.meaning.replace('|', "\\|")
        ));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    code_table! {
        /// A table for the tests.
        enum Demo {
            One("demo/one", Error, "the first"),
            Two("demo/two", Warning, "the second"),
        }
    }

    #[test]
    fn a_variant_is_its_row() {
        assert_eq!(Demo::ALL, [Demo::One, Demo::Two]);
        assert_eq!(Demo::Two.code(), "demo/two");
        assert_eq!(Demo::Two.severity(), Severity::Warning);
        assert_eq!(Demo::One.info().meaning, "the first");
        assert_eq!(Demo::find("demo/two"), Some(Demo::Two));
        assert_eq!(Demo::find("demo/three"), None);
    }

    #[test]
    fn a_finding_takes_the_severity_of_its_code() {
        let f = super::super::Finding::new(Demo::Two, "m");
        assert_eq!((f.code, f.severity), ("demo/two", Severity::Warning));
    }
}
