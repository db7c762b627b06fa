//! Command line: argument parsing, the sinks, and exit codes.

use crate::conform::Role;
use crate::diagnostics::{Finding, JsonFinding, Source};
use crate::output;
use crate::pipeline::{Compiled, Failure};
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod conform_page;
mod inventory;
mod read;

/// Exit codes; every command follows this table (README.md, "Exit codes").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    /// Findings (lint errors) or drift.
    Findings = 1,
    /// Invalid spec or usage.
    Invalid = 2,
    /// Environment or I/O: a file cannot be read or written.
    Io = 3,
    /// `discover`: NVML cannot be loaded, so there is no NVIDIA driver to ask;
    /// apart from I/O so that provisioning scripts can tell "no GPU stack here".
    NoGpuDriver = 4,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

const DEFAULT_SPEC: &str = "specs/lloom.toml";

#[derive(Parser)]
#[command(
    name = "lloom-monctl",
    version,
    about = "Monitoring-as-code for the Lloom network: one TOML spec renders a validated Prometheus setup."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The project root: files a spec names must lie inside it. Default: the
    /// nearest directory above the spec that holds `.git`.
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Render the spec into the output directory (nothing is written if the spec has errors).
    Render {
        /// The spec file.
        #[arg(default_value = DEFAULT_SPEC)]
        spec: PathBuf,
        /// The output directory.
        #[arg(long, default_value = "generated")]
        out: PathBuf,
        /// Write nothing; exit 1 with a unified diff if the output directory differs.
        #[arg(long)]
        check: bool,
        /// Adopt and overwrite existing files that lloom-monctl did not write
        /// (they are listed); without it, render refuses to touch them.
        #[arg(long, conflicts_with = "check")]
        force: bool,
        /// Seconds to wait for another render of the same directory to finish.
        #[arg(long, value_name = "SECONDS", default_value_t = 120)]
        lock_timeout: u64,
        /// `--deny warnings`: treat lint warnings as errors.
        #[arg(long, value_name = "warnings")]
        deny: Option<Deny>,
        /// How findings are printed: `text` (like a compiler) or `json` (on stdout, for CI
        /// annotations; the `--check` diff then goes to stderr).
        #[arg(long, default_value = "text")]
        format: Format,
    },
    /// Validate specs without writing anything (for pre-commit and CI).
    Check {
        /// Spec files.
        #[arg(default_value = DEFAULT_SPEC)]
        specs: Vec<PathBuf>,
        /// `--deny warnings`: treat lint warnings as errors.
        #[arg(long, value_name = "warnings")]
        deny: Option<Deny>,
        /// How findings are printed: `text` (like a compiler) or `json` (on stdout, for CI annotations).
        #[arg(long, default_value = "text")]
        format: Format,
    },
    /// Check a node's /metrics page against the catalog: missing, renamed or
    /// retyped metrics, missing or extra labels, naming.
    Conform {
        /// A saved /metrics page, or the http:// URL of a running node.
        source: String,
        /// The spec whose catalog (built-in plus its `[[metric]]` entries) is the contract.
        #[arg(long, default_value = DEFAULT_SPEC)]
        spec: PathBuf,
        /// What the node runs as (repeat or comma-separate); inferred from its metrics if absent.
        #[arg(long, value_delimiter = ',')]
        role: Vec<Role>,
        /// `--deny warnings`: treat warnings as errors.
        #[arg(long, value_name = "warnings")]
        deny: Option<Deny>,
        /// How findings are printed: `text` (like a compiler) or `json` (on stdout, for CI annotations).
        #[arg(long, default_value = "text")]
        format: Format,
    },
    /// Write this host's GPU inventory (TOML) with NVML, or from nvidia-smi's CSV.
    Discover {
        /// Where to write it (atomically); stdout if absent.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The host's name as the spec's targets name it; this machine's hostname if absent.
        #[arg(long, value_name = "NAME")]
        host: Option<String>,
        /// Read the CSV of `nvidia-smi --query-gpu=... --format=csv,noheader,nounits`
        /// from FILE (`-`: stdin) instead of asking NVML.
        #[arg(long, value_name = "FILE|-")]
        from_smi: Option<String>,
    },
    /// Validate inventory files (exit 2 if one is invalid).
    CheckInventory {
        /// Inventory files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// How findings are printed: `text` (like a compiler) or `json` (on stdout, for CI annotations).
        #[arg(long, default_value = "text")]
        format: Format,
    },
}

/// How findings are printed.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

/// Prints findings as text at once, or collects them for one JSON array.
struct Report {
    format: Format,
    json: Vec<JsonFinding>,
}

impl Report {
    fn new(format: Format) -> Report {
        Report {
            format,
            json: Vec::new(),
        }
    }

    fn findings(&mut self, source: &Source, findings: &[Finding]) {
        match self.format {
            Format::Text => eprint!("{}", source.render_all(findings)),
            Format::Json => self.json.extend(source.json(findings)),
        }
    }

    fn finish(self) {
        if self.format == Format::Json {
            let json = serde_json::to_string_pretty(&self.json).expect("findings serialize");
            println!("{json}");
        }
    }
}

/// What `--deny` makes fatal.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Deny {
    Warnings,
}

pub fn run() -> Exit {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                Exit::Invalid
            } else {
                Exit::Ok
            };
        }
    };
    let root = cli.root.as_deref();
    match cli.command {
        Command::Render {
            spec,
            out,
            check,
            force,
            lock_timeout,
            deny,
            format,
        } => {
            let mut report = Report::new(format);
            let loaded = load(&spec, root, deny.is_some(), &mut report);
            report.finish();
            let compiled = match loaded {
                Ok(c) => c,
                Err(exit) => return exit,
            };
            let options = output::WriteOptions {
                force,
                lock_timeout: std::time::Duration::from_secs(lock_timeout),
                on_wait: Some(|out| {
                    eprintln!(
                        "waiting for another lloom-monctl render of {} to finish...",
                        out.display()
                    )
                }),
            };
            if check {
                // stdout carries the findings' JSON; the diff goes beside it.
                check_drift(&out, &compiled, &options, format == Format::Json)
            } else {
                write(&out, &compiled, &options)
            }
        }
        Command::Check {
            specs,
            deny,
            format,
        } => {
            let mut report = Report::new(format);
            let exit = specs
                .iter()
                .map(|s| match load(s, root, deny.is_some(), &mut report) {
                    Ok(compiled) => {
                        eprintln!("{}", passed(&s.display().to_string(), &compiled));
                        Exit::Ok
                    }
                    Err(exit) => exit,
                })
                .max_by_key(|e| *e as u8)
                .unwrap_or(Exit::Ok);
            report.finish();
            exit
        }
        Command::Conform {
            source,
            spec,
            role,
            deny,
            format,
        } => {
            let mut report = Report::new(format);
            let exit = conform_page::conform_source(
                &source,
                (&spec, root),
                &role,
                deny.is_some(),
                &mut report,
            );
            report.finish();
            exit
        }
        Command::Discover {
            output,
            host,
            from_smi,
        } => inventory::discover(output.as_deref(), host, from_smi.as_deref()),
        Command::CheckInventory { files, format } => {
            let mut report = Report::new(format);
            let exit = inventory::check(&files, &mut report);
            report.finish();
            exit
        }
    }
}

/// Reads and compiles a spec, printing its findings.
fn load(
    path: &Path,
    root: Option<&Path>,
    deny_warnings: bool,
    report: &mut Report,
) -> Result<Compiled, Exit> {
    let text = read::spec(path)?;
    let name = path.display().to_string();
    match read::compile(path, &text, root) {
        Ok(compiled) => {
            let source = Source::new(&name, &text);
            report.findings(&source, &compiled.warnings);
            if deny_warnings && !compiled.warnings.is_empty() {
                eprintln!("{}", summary(&name, &compiled.warnings));
                return Err(Exit::Findings);
            }
            Ok(compiled)
        }
        Err(failure) => Err(failed(&name, &text, failure, report)),
    }
}

/// Prints why a spec did not compile; the exit code that follows from it.
fn failed(name: &str, text: &str, failure: Failure, report: &mut Report) -> Exit {
    let source = Source::new(name, text);
    match failure {
        Failure::Invalid(findings) => {
            report.findings(&source, &findings);
            eprintln!("{}", summary(name, &findings));
            Exit::Invalid
        }
        Failure::Lint(findings) => {
            report.findings(&source, &findings);
            eprintln!("{}", summary(name, &findings));
            Exit::Findings
        }
        Failure::Render(e) => {
            eprintln!("error: internal: {e}; please report this as a bug");
            Exit::Io
        }
        Failure::Inventory { files, spec } => {
            if !spec.is_empty() {
                report.findings(&source, &spec);
                eprintln!("{}", summary(name, &spec));
            }
            for (file, findings) in &files {
                report.findings(&Source::new(&file.name, &file.text), findings);
                eprintln!("{}", summary(&file.name, findings));
            }
            eprintln!("{name}: its `[hardware]` inventories are invalid; fix them, or run `lloom-monctl discover` again on the hosts");
            Exit::Invalid
        }
    }
}

/// What a passing `check` looked at, so that "nothing printed" never hides
/// "nothing checked".
fn passed(name: &str, compiled: &Compiled) -> String {
    let model = &compiled.model;
    let rules: usize = model.groups.iter().map(|g| g.rules.len()).sum();
    let queries: usize = model
        .dashboards
        .iter()
        .flat_map(|d| &d.panels)
        .map(|p| p.queries.len())
        .sum();
    format!(
        "{name}: ok: {rules} rules, {queries} panel queries and {} scrape jobs checked; {} warning(s)",
        model.jobs.len(),
        compiled.warnings.len()
    )
}

fn summary(name: &str, findings: &[Finding]) -> String {
    let errors = findings.iter().filter(|f| f.is_error()).count();
    let warnings = findings.len() - errors;
    format!("{name}: {errors} error(s), {warnings} warning(s); nothing was written")
}

fn write(out: &Path, compiled: &Compiled, options: &output::WriteOptions) -> Exit {
    match output::write_with(out, &compiled.artifacts, options) {
        Ok(r) => {
            for p in &r.adopted {
                eprintln!(
                    "adopted {} (--force): it is lloom-monctl's now",
                    out.join(p).display()
                );
            }
            if !r.strays_removed.is_empty() {
                eprintln!(
                    "removed {} temp file(s) left by an interrupted render",
                    r.strays_removed.len()
                );
            }
            eprintln!(
                "rendered {} files into {}: {} written, {} unchanged, {} removed",
                compiled.artifacts.len() + 1,
                out.display(),
                r.written.len(),
                r.unchanged,
                r.removed.len()
            );
            Exit::Ok
        }
        Err(e) => {
            eprintln!("error: {e}");
            Exit::Io
        }
    }
}

fn check_drift(
    out: &Path,
    compiled: &Compiled,
    options: &output::WriteOptions,
    diff_to_stderr: bool,
) -> Exit {
    match output::drift(out, &compiled.artifacts, options) {
        Ok(None) => {
            eprintln!("{} is up to date", out.display());
            Exit::Ok
        }
        Ok(Some(drift)) => {
            if diff_to_stderr {
                eprint!("{}", drift.diff);
            } else {
                print!("{}", drift.diff);
            }
            for note in &drift.notes {
                eprintln!("note: {note}");
            }
            eprintln!("{} differs from what the spec renders to; run `lloom-monctl render` and commit the result", out.display());
            Exit::Findings
        }
        Err(e) => {
            eprintln!("error: {e}");
            Exit::Io
        }
    }
}
