//! `discover` and `check-inventory`: a GPU host's inventory, taken or checked.

use super::{Exit, Report};
use crate::diagnostics::{Finding, Source};
use crate::discover::inventory::Inventory;
use crate::discover::nvml::{self, NvmlSource};
use crate::discover::{self, smi, validate, DiscoverError};
use crate::inputs::{read_capped, read_text, MAX_INPUT};
use std::path::{Path, PathBuf};

/// `discover`: writes nothing unless the whole inventory was taken and
/// passes the same checks as `check-inventory`.
pub(super) fn discover(
    output: Option<&Path>,
    host: Option<String>,
    from_smi: Option<&str>,
) -> Exit {
    let Some(host) = host.or_else(discover::hostname) else {
        eprintln!("error: cannot tell this machine's hostname (no /proc/sys/kernel/hostname, no $HOSTNAME); name it with --host NAME");
        return Exit::Io;
    };
    let inventory = match from_smi {
        Some(file) => from_csv(file, &host),
        None => from_nvml(&host),
    };
    let inventory = match inventory {
        Ok(inv) => inv,
        Err(exit) => return exit,
    };
    let text = discover::to_toml(&inventory);
    let name = format!("inventory of {host}");
    if let Err(findings) = validate::load(&name, &text) {
        eprint!("{}", Source::new(&name, &text).render_all(&findings));
        eprintln!(
            "error: the inventory taken from {} does not pass check-inventory; nothing was written",
            inventory.source
        );
        return if from_smi.is_some() {
            Exit::Invalid
        } else {
            Exit::Io
        };
    }
    let what = format!(
        "{host}: {} GPU(s) via {}",
        inventory.gpu.len(),
        inventory.source
    );
    match output {
        None => {
            print!("{text}");
            eprintln!("{what}");
            Exit::Ok
        }
        Some(path) => match crate::output::write_file(path, text.as_bytes()) {
            Ok(_) => {
                eprintln!("wrote {}: {what}", path.display());
                Exit::Ok
            }
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                Exit::Io
            }
        },
    }
}

fn from_nvml(host: &str) -> Result<Inventory, Exit> {
    let source = NvmlSource::open().map_err(|e| {
        eprintln!("error: {e}");
        Exit::NoGpuDriver
    })?;
    nvml::inventory(&source, host).map_err(|e| {
        eprintln!("error: {e}");
        match e {
            DiscoverError::NoDriver(_) => Exit::NoGpuDriver,
            DiscoverError::Query { .. } => Exit::Io,
        }
    })
}

fn from_csv(file: &str, host: &str) -> Result<Inventory, Exit> {
    let (name, text) = if file == "-" {
        let text = read_capped(std::io::stdin(), MAX_INPUT).map_err(|e| {
            eprintln!("error: cannot read nvidia-smi CSV from stdin: {e}");
            Exit::Io
        })?;
        ("<stdin>".to_string(), text)
    } else {
        let text = read_text(Path::new(file), MAX_INPUT).map_err(|e| {
            eprintln!("error: cannot read nvidia-smi CSV {file}: {e}");
            Exit::Io
        })?;
        (file.to_string(), text)
    };
    smi::parse(&text, host).map_err(|findings| {
        eprint!("{}", Source::new(&name, &text).render_all(&findings));
        eprintln!(
            "{name}: {} error(s); nothing was written (record it with `{}`)",
            findings.len(),
            discover::SMI_COMMAND
        );
        Exit::Invalid
    })
}

/// `check-inventory`: exit 2 if any file is invalid, 3 if one cannot be read.
pub(super) fn check(files: &[PathBuf], report: &mut Report) -> Exit {
    files
        .iter()
        .map(|path| {
            let name = path.display().to_string();
            let text = match read_text(path, MAX_INPUT) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("error: cannot read inventory {name}: {e}");
                    return Exit::Io;
                }
            };
            match validate::load(&name, &text) {
                Ok(inv) => {
                    eprintln!(
                        "{name}: ok: host {}, {} GPU(s) via {}",
                        inv.host,
                        inv.gpu.len(),
                        inv.source
                    );
                    Exit::Ok
                }
                Err(findings) => {
                    report.findings(&Source::new(&name, &text), &findings);
                    eprintln!("{name}: {} error(s)", count(&findings));
                    Exit::Invalid
                }
            }
        })
        .max_by_key(|e| *e as u8)
        .unwrap_or(Exit::Ok)
}

fn count(findings: &[Finding]) -> usize {
    findings.iter().filter(|f| f.is_error()).count()
}
