//! The corpus' inputs too large to commit, built from the committed base
//! spec, and the files a case's `setup` makes in the project.

use std::fs;
use std::path::Path;

/// The spec a `generate` names.
pub fn spec(name: &str, base: &str) -> String {
    let alert = |expr: String| {
        format!("{base}\n[[alert]]\nname = \"X\"\nexpr = '''{expr}'''\nfor = \"5m\"\nseverity = \"warning\"\nsummary = \"s\"\ndescription = \"d\"\n")
    };
    match name {
        "deep-promql" => alert(format!("{}up{}", "abs(".repeat(8000), ")".repeat(8000))),
        // 16,002 bytes, within the length cap: only the depth limit stands
        // between it and the parser's recursion (without it, a stack overflow).
        "deep-promql-within-the-length-cap" => {
            alert(format!("{}up{}", "(".repeat(8000), ")".repeat(8000)))
        }
        "chain-promql" => alert(format!("up{}", " + 1".repeat(100_000))),
        "or-chain" => alert(format!("up{}", " or up".repeat(50_000))),
        "matchers" => {
            let m: Vec<String> = (0..20_000).map(|i| format!("a{i}=\"1\"")).collect();
            alert(format!("up{{{}}} > 1", m.join(",")))
        }
        "deep-array" => format!("{base}x = {}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
        "deep-table" => format!(
            "{base}x = {}1{}\n",
            "{a = ".repeat(10_000),
            "}".repeat(10_000)
        ),
        "dotted-key" => format!("{base}{} = 1\n", vec!["a"; 10_000].join(".")),
        "errors-on-one-line" => {
            let one = "{ name = \"A\", expr = \"up +\", for = \"5m\", severity = \"warning\", summary = \"s\", description = \"d\" }";
            format!("{base}alert = [{}]\n", vec![one; 10_000].join(", "))
        }
        "syntax-errors-on-one-line" => format!("{base}x = [{}]\n", "@, ".repeat(700_000)),
        "at-the-limits" => {
            let expr = format!(
                "{}up{}{} > 1",
                "abs(".repeat(60),
                " + 1".repeat(400),
                ")".repeat(60)
            );
            // More than 256 expressions: parsed on threads, with their smaller stacks.
            let alerts: String = (0..260)
                .map(|i| format!("\n[[alert]]\nname = \"X{i}\"\nexpr = '{expr}'\nfor = \"5m\"\nseverity = \"warning\"\nsummary = \"s\"\ndescription = \"d\"\n"))
                .collect();
            format!("{base}{alerts}")
        }
        other => panic!("no generator `{other}`"),
    }
}

/// Makes the files of a `setup` step in the project `proj`.
pub fn setup(step: &str, proj: &Path, outside: &Path) {
    match step {
        "fifo" => {
            let path = std::ffi::CString::new(proj.join("fifo.toml").to_str().unwrap()).unwrap();
            // SAFETY: a valid C string; mkfifo only creates the node.
            assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o600) }, 0, "mkfifo");
        }
        "huge-spec" => sparse(&proj.join("huge.toml"), 17 << 20),
        "huge-page" => sparse(&proj.join("metrics.prom"), 40 << 20),
        "high-cardinality-page" => high_cardinality(&proj.join("metrics.prom")),
        "long-line-page" => {
            let line = format!("lloom_x{{a=\"{}\"}} oops\n", "b".repeat(2 << 20));
            fs::write(proj.join("metrics.prom"), line).unwrap();
        }
        "smi-20k" | "smi-100k-duplicates" => {
            let dup = step.ends_with("duplicates");
            let n = if dup { 100_000 } else { 20_000 };
            let rows: String = (0..n)
                .map(|i| {
                    let index = if dup { 0 } else { i };
                    format!("{index}, GPU-{i:08x}-0000-0000-0000-000000000000, NVIDIA H100 80GB HBM3, 81559, {:08X}:{:02X}:00.0, 700.00, 550.54.15\n", i / 256, i % 256)
                })
                .collect();
            fs::write(proj.join("gpus.csv"), rows).unwrap();
        }
        "links" => {
            fs::create_dir_all(proj.join("inv")).unwrap();
            std::os::unix::fs::symlink(outside.join("environ.toml"), proj.join("inv/evil.toml"))
                .unwrap();
            fs::create_dir_all(proj.join("dev")).unwrap();
            std::os::unix::fs::symlink("/dev/zero", proj.join("dev/zero.toml")).unwrap();
            let fifo =
                std::ffi::CString::new(proj.join("dev/fifo.toml").to_str().unwrap()).unwrap();
            // SAFETY: a valid C string; mkfifo only creates the node.
            assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0, "mkfifo");
            fs::create_dir_all(proj.join("big")).unwrap();
            sparse(&proj.join("big/big.toml"), 17 << 20);
        }
        other => panic!("no setup `{other}`"),
    }
}

/// 6 MiB past three of `conform`'s caps (not its byte budget): a family with 400 label names, one
/// label with 50,000 distinct values, 3,000 lines that do not parse.
fn high_cardinality(path: &Path) {
    let mut page = String::new();
    for i in 0..400 {
        page.push_str(&format!("lloom_wide{{l{i}=\"v\"}} 1\n"));
    }
    for i in 0..50_000 {
        page.push_str(&format!(
            "lloom_client_requests_total{{model=\"m{i:040}\",status=\"success\"}} {i}\n"
        ));
    }
    page.push_str(&"lloom_bad{\n".repeat(3000));
    fs::write(path, page).unwrap();
}

fn sparse(path: &Path, len: u64) {
    fs::File::create(path).unwrap().set_len(len).unwrap();
}
