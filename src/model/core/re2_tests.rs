//! The RE2 checker against Go's verdicts (each confirmed with Go 1.26's
//! `regexp.Compile`): what Go refuses is refused here, what it takes passes.

use super::re2::check;

/// (pattern, part pointed at)
const REFUSED: &[(&str, &str)] = &[
    // Nested repetition operators.
    ("a**", "**"),
    ("a++", "++"),
    ("a*?*", "*?*"),
    ("a+*", "+*"),
    ("a?+", "?+"),
    ("a{2}*", "{2}*"),
    ("a{2}{3}", "{2}{3}"),
    ("x(a**)", "**"),
    // Counts above 1000, alone or multiplied.
    ("a{1001}", "{1001}"),
    ("a{2,1001}", "{2,1001}"),
    ("a{1001,}", "{1001,}"),
    ("(a{500}){3}", "(a{500}){3}"),
    ("(?:a{3}){334}", "(?:a{3}){334}"),
    ("((a{10}b){10}){11}", "((a{10}b){10}){11}"),
    // Flags Go lacks.
    ("(?u)x", "u"),
    ("(?x) a", "x"),
    ("(?R)a", "R"),
    ("(?iu:a)", "u"),
    // Escapes, assertions and classes Go lacks or reads otherwise.
    (r"\u0041", r"\u0041"),
    (r"\<a", r"\<"),
    (r"a\>", r"\>"),
    (r"\b{start}a", r"\b{start}"),
    (r"[a-z&&[^aeiou]]", "a-z&&[^aeiou]"),
    (r"[a-z--b]", "a-z--b"),
    (r"[a~~b]", "a~~b"),
    (r"[a[bc]]", "[bc]"),
    (r"\p{Letter}", r"\p{Letter}"),
    (r"\p{greek}", r"\p{greek}"),
    (r"\p{Alphabetic}", r"\p{Alphabetic}"),
    (r"\p{gc=L}", r"\p{gc=L}"),
    (r"[\p{Letter}]", r"\p{Letter}"),
    // Go 1.26 refuses every script name of more than one word.
    (r"\p{Old_Italic}", r"\p{Old_Italic}"),
    (r"\p{SignWriting}", r"\p{SignWriting}"),
    ("(?P<a.b>x)", "a.b"),
    ("a{ 2 }", "{ 2 }"),
    // Rust refuses these too.
    (r"(?=a)b", "(?="),
    (r"(?!a)b", "(?!"),
    (r"(?<=a)b", "(?<="),
    (r"(?<!a)b", "(?<!"),
    (r"(a)\1", r"\1"),
    (r"\Z", r"\Z"),
];

const ACCEPTED: &[&str] = &[
    "(a*)*",
    "(?:a*)*",
    "(a+)+",
    "a*?",
    "a+?",
    "a??",
    "a{2}?",
    "a{1000}",
    "a{0,1000}",
    "a{1000,}",
    "(a{500}){2}",
    "(?:a{3}){333}",
    "(a{1000}){1}",
    "(a{1000}){0,1}",
    "(?i)x",
    "(?ims-U:x)",
    "(?U)a+",
    "(?P<n>a)",
    "(?<n>a)",
    r"\pL",
    r"\PL",
    r"\p{Lu}",
    r"\p{Greek}",
    r"\p{Any}",
    r"\p{Nko}",
    "[[:alpha:]]",
    "[[:word:]]",
    r"[^\d\s]",
    r"\bx\B",
    r"\Ax\z",
    r"\x41\x{263a}",
    r"\.\*\+",
    "a{2}",
    "a{2,}",
    "a{2,5}",
    "([^:]+):.*",
    r"([^:]+)(?::\d+)?;(\d+)",
];

#[test]
fn go_refuses_these() {
    for (p, focus) in REFUSED {
        let e = check(p).expect_err(p);
        assert_eq!(e.focus.as_deref(), Some(*focus), "{p}: {}", e.message);
    }
}

#[test]
fn go_takes_these() {
    for p in ACCEPTED {
        assert_eq!(check(p), Ok(()), "{p}");
    }
}

#[test]
fn messages_say_what_go_refuses_and_what_to_write() {
    let msg = |p: &str| check(p).unwrap_err().message;
    assert!(msg("a**").contains("nested repetition"));
    assert!(msg("a**").contains("(?:a*)*"));
    assert!(msg("a{1001}").contains("more than 1000 times"));
    assert!(msg("(a{500}){3}").contains("more than 1000"));
    assert!(msg("(?u)x").contains("`i`, `m`, `s` and `U`"));
    assert!(msg("(?=a)").contains("look-around"));
    assert!(msg(r"(a)\1").contains("backreference"));
    assert!(msg(r"\101").contains("octal"), "{}", msg(r"\101"));
    assert!(msg(r"a\0").contains("octal"));
    assert!(msg(r"\18").contains("backreference"), "{}", msg(r"\18"));
    assert!(msg(r"\91").contains("backreference"));
    // Go reads `{,5}` as literal text; Rust refuses it.
    assert!(msg("a{,5}").contains("does not compile"));
}
