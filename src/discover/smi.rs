//! The fallback for hosts where lloom-monctl cannot run or cannot load NVML:
//! the CSV of [`SMI_COMMAND`](super::SMI_COMMAND), into the same inventory.
//!
//! Each line is `index, uuid, name, memory.total (MiB), pci.bus_id,
//! power.limit (W), driver_version`. Every bad line is reported, located.

use super::inventory::{Gpu, Inventory};
use super::InventoryCode;
use crate::diagnostics::Finding;
use std::collections::HashMap;
use std::ops::Range;

const FIELDS: &str = "index, uuid, name, memory.total, pci.bus_id, power.limit, driver_version";

/// What nvidia-smi prints instead of rows on a host whose driver sees no GPU.
const NO_DEVICES: &str = "No devices were found";

/// One comma-separated field: its trimmed text and where that is.
struct Field<'a> {
    text: &'a str,
    span: Range<usize>,
}

/// Parses the CSV; the inventory's source is `nvidia-smi`. nvidia-smi
/// reports no CUDA version per GPU, so `cuda_driver_version` stays absent.
pub fn parse(text: &str, host: &str) -> Result<Inventory, Vec<Finding>> {
    let mut findings = Vec::new();
    let mut gpu: Vec<(Gpu, Range<usize>, usize)> = Vec::new();
    let mut driver: Option<(String, usize)> = None;
    let mut start = 0;
    for (n, raw) in text.split_inclusive('\n').enumerate() {
        let line_start = start;
        start += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() || line.trim() == NO_DEVICES {
            continue;
        }
        let fields = split(line, line_start);
        match row(text, &fields, line_start..line_start + line.len()) {
            Ok((g, version)) => {
                let version_span = fields[fields.len() - 1].span.clone();
                match &driver {
                    None => driver = Some((version, n + 1)),
                    Some((first, at)) if *first != version => findings.push(
                        Finding::new(
                            InventoryCode::Smi,
                            format!(
                                "driver version `{version}` differs from `{first}` on line {at}"
                            ),
                        )
                        .at(version_span)
                        .label("one host has one driver")
                        .help("record all lines in one run of nvidia-smi on one host"),
                    ),
                    Some(_) => {}
                }
                gpu.push((g, line_start..line_start + line.len(), n + 1));
            }
            Err(f) => findings.push(*f),
        }
    }
    duplicates(&gpu, &mut findings);
    if !findings.is_empty() {
        return Err(findings);
    }
    let mut gpu: Vec<Gpu> = gpu.into_iter().map(|(g, _, _)| g).collect();
    gpu.sort_by_key(|g| g.index);
    Ok(Inventory {
        host: host.to_string(),
        source: "nvidia-smi".to_string(),
        driver_version: driver.map(|(v, _)| v),
        cuda_driver_version: None,
        gpu,
    })
}

/// The fields of a line, trimmed, with their spans in the whole text.
fn split(line: &str, offset: usize) -> Vec<Field<'_>> {
    let mut fields = Vec::new();
    let mut from = 0;
    for part in line.split(',') {
        let lead = part.len() - part.trim_start().len();
        let text = part.trim();
        let at = offset + from + lead;
        fields.push(Field {
            text,
            span: at..at + text.len(),
        });
        from += part.len() + 1;
    }
    fields
}

/// One GPU and the driver version from a line's fields.
fn row(text: &str, f: &[Field<'_>], line: Range<usize>) -> Result<(Gpu, String), Box<Finding>> {
    check_shape(f, line)?;
    // A comma inside a product name would add fields: the name is all that
    // lies between the uuid and the last four fields.
    let last = f.len() - 4;
    let (memory, bus, power, driver) = (&f[last], &f[last + 1], &f[last + 2], &f[last + 3]);
    let name_span = f[2].span.start..f[last - 1].span.end;
    let index = f[0].text.parse::<u32>().map_err(|_| {
        bad(
            f[0].span.clone(),
            format!("index `{}` is not a whole number", f[0].text),
        )
    })?;
    if !f[1].text.starts_with("GPU-") {
        return Err(bad(
            f[1].span.clone(),
            format!("uuid `{}` does not start with `GPU-`", f[1].text),
        )
        .into());
    }
    let bytes = memory_bytes(memory)?;
    let power_limit_watts = power_limit(power)?;
    for (what, field) in [
        ("name", &f[2]),
        ("pci.bus_id", bus),
        ("driver_version", driver),
    ] {
        if field.text.is_empty() {
            return Err(bad(field.span.clone(), format!("{what} is empty")).into());
        }
    }
    let gpu = Gpu {
        index,
        uuid: f[1].text.to_string(),
        name: text[name_span].to_string(),
        memory_total_bytes: bytes,
        pci_bus_id: bus.text.to_string(),
        power_limit_watts,
    };
    Ok((gpu, driver.text.to_string()))
}

fn bad(span: Range<usize>, message: String) -> Finding {
    Finding::new(InventoryCode::Smi, message).at(span)
}

/// A data line of the recorded query, not its header and not short of fields.
fn check_shape(f: &[Field<'_>], line: Range<usize>) -> Result<(), Box<Finding>> {
    if f[0].text == "index" {
        return Err(bad(line, "this is nvidia-smi's header line".into())
            .help(format!("record it with `{}`", super::SMI_COMMAND))
            .into());
    }
    if f.len() < 7 {
        return Err(bad(
            line,
            format!(
                "expected 7 comma-separated fields ({FIELDS}), found {}",
                f.len()
            ),
        )
        .help(format!("record it with `{}`", super::SMI_COMMAND))
        .into());
    }
    Ok(())
}

/// `memory.total` in MiB, as bytes.
fn memory_bytes(memory: &Field<'_>) -> Result<u64, Box<Finding>> {
    let bytes = memory
        .text
        .parse::<u64>()
        .ok()
        .and_then(|mib| mib.checked_mul(1024 * 1024));
    bytes.ok_or_else(|| {
        bad(
            memory.span.clone(),
            format!("memory.total `{}` is not a number of MiB", memory.text),
        )
        .help("record it with `--format=csv,noheader,nounits`, which leaves out ` MiB`")
        .into()
    })
}

/// `power.limit` in watts; `None` where the driver reports none.
fn power_limit(power: &Field<'_>) -> Result<Option<f64>, Box<Finding>> {
    Ok(match power.text {
        "[N/A]" | "[Not Supported]" | "N/A" => None,
        w => Some(
            w.parse::<f64>()
                .ok()
                .filter(|w| w.is_finite() && *w > 0.0)
                .ok_or_else(|| {
                    bad(
                        power.span.clone(),
                        format!("power.limit `{w}` is not a number of watts nor `[N/A]`"),
                    )
                })?,
        ),
    })
}

/// Two lines with one index or one uuid: the second is reported. Each
/// index and uuid is looked up once, so that a long CSV stays linear.
fn duplicates(gpu: &[(Gpu, Range<usize>, usize)], findings: &mut Vec<Finding>) {
    let mut indexes: HashMap<u32, usize> = HashMap::new();
    let mut uuids: HashMap<&str, usize> = HashMap::new();
    for (g, span, line) in gpu {
        let first_index = *indexes.entry(g.index).or_insert(*line);
        let first_uuid = *uuids.entry(g.uuid.as_str()).or_insert(*line);
        if first_index != *line {
            findings.push(
                Finding::new(
                    InventoryCode::Smi,
                    format!("index {} is also on line {first_index}", g.index),
                )
                .at(span.clone())
                .focus(g.index.to_string()),
            );
        } else if first_uuid != *line {
            findings.push(
                Finding::new(
                    InventoryCode::Smi,
                    format!("uuid `{}` is also on line {first_uuid}", g.uuid),
                )
                .at(span.clone())
                .focus(g.uuid.clone()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Source;

    fn fixture(name: &str) -> String {
        let path = format!(
            "{}/tests/fixtures/nvidia-smi/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(path).unwrap()
    }

    /// The findings as the CLI shows them, one `file:line:col` line each.
    fn errors(text: &str) -> Vec<String> {
        let findings = parse(text, "h").unwrap_err();
        Source::new("gpus.csv", text)
            .render_all(&findings)
            .lines()
            .filter(|l| l.starts_with("gpus.csv:"))
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn reads_the_recorded_outputs() {
        let one = parse(&fixture("h100.csv"), "executor2").unwrap();
        assert_eq!(one.source, "nvidia-smi");
        assert_eq!(one.driver_version.as_deref(), Some("550.54.15"));
        assert_eq!(one.cuda_driver_version, None);
        assert_eq!(one.gpu[0].memory_total_bytes, 85_520_809_984);
        assert_eq!(one.gpu[0].power_limit_watts, Some(700.0));
        assert_eq!(parse(&fixture("8xh100.csv"), "e").unwrap().gpu.len(), 8);
        let mixed = parse(&fixture("mixed.csv"), "e").unwrap();
        assert_eq!(mixed.gpu[1].name, "NVIDIA GeForce RTX 4090");
        assert_eq!(mixed.gpu[1].memory_total_bytes, 24564 * 1024 * 1024);
        let none = parse(&fixture("none.csv"), "client1").unwrap();
        assert!(none.gpu.is_empty());
        assert_eq!(none.driver_version, None);
    }

    #[test]
    fn no_devices_spaces_crlf_and_an_unknown_power_limit() {
        assert!(parse("No devices were found\n", "h")
            .unwrap()
            .gpu
            .is_empty());
        let text = "1 ,GPU-b, B ,1, 00000000:02:00.0,[Not Supported],550.54.15\r\n\
                    0, GPU-a, A, 1, 00000000:01:00.0, [N/A], 550.54.15\r\n";
        let inv = parse(text, "h").unwrap();
        assert_eq!(inv.gpu[0].uuid, "GPU-a", "sorted by index");
        assert_eq!(inv.gpu[1].name, "B");
        assert!(inv.gpu.iter().all(|g| g.power_limit_watts.is_none()));
    }

    #[test]
    fn a_comma_in_a_name_stays_in_the_name() {
        let text = "0, GPU-a, NVIDIA RTX A6000, Ada, 49140, 00000000:01:00.0, 300.00, 550.54.15\n";
        assert_eq!(
            parse(text, "h").unwrap().gpu[0].name,
            "NVIDIA RTX A6000, Ada"
        );
    }

    #[test]
    fn every_bad_line_is_reported_at_its_line_and_field() {
        let text =
            "index, uuid, name, memory.total [MiB], pci.bus_id, power.limit [W], driver_version\n\
                    0, GPU-a, A, 81559 MiB, 00000000:01:00.0, 700.00, 550.54.15\n\
                    x, GPU-b, B, 1, 00000000:02:00.0, 700.00, 550.54.15\n\
                    2, b, B, 1, 00000000:03:00.0, 700.00, 550.54.15\n\
                    3, GPU-d, D, 1, 00000000:04:00.0, lots, 550.54.15\n\
                    4, GPU-e\n\
                    5, GPU-f, F, 1, 00000000:06:00.0, 700.00, 550.54.15\n\
                    6, GPU-f, F, 1, 00000000:07:00.0, 700.00, 535.183.01\n\
                    6, GPU-g, G, 1, 00000000:08:00.0, 700.00, 550.54.15\n";
        assert_eq!(
            errors(text),
            [
                "gpus.csv:1:1: error[inventory/smi]: this is nvidia-smi's header line",
                "gpus.csv:2:14: error[inventory/smi]: memory.total `81559 MiB` is not a number of MiB",
                "gpus.csv:3:1: error[inventory/smi]: index `x` is not a whole number",
                "gpus.csv:4:4: error[inventory/smi]: uuid `b` does not start with `GPU-`",
                "gpus.csv:5:35: error[inventory/smi]: power.limit `lots` is not a number of watts nor `[N/A]`",
                "gpus.csv:6:1: error[inventory/smi]: expected 7 comma-separated fields (index, uuid, name, memory.total, pci.bus_id, power.limit, driver_version), found 2",
                "gpus.csv:8:4: error[inventory/smi]: uuid `GPU-f` is also on line 7",
                "gpus.csv:8:43: error[inventory/smi]: driver version `535.183.01` differs from `550.54.15` on line 7",
                "gpus.csv:9:1: error[inventory/smi]: index 6 is also on line 8",
            ]
        );
    }
}
