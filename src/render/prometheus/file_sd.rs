//! `prometheus/targets/*.json`: the file_sd target files lloom-monctl writes
//! itself (the GPU job under `[hardware]`), in Prometheus's file_sd format.

use crate::model::{LabelMap, Model, Targets};
use crate::render::{Artifact, RenderError};
use serde::Serialize;
use std::path::PathBuf;

/// One entry of a file_sd file, as Prometheus reads it.
#[derive(Serialize)]
pub struct TargetGroup {
    pub targets: Vec<String>,
    #[serde(skip_serializing_if = "LabelMap::is_empty")]
    pub labels: LabelMap,
}

/// A file per job with generated targets, under `prometheus/` (file_sd paths
/// are relative to `prometheus.yml`).
pub fn files(model: &Model) -> Result<Vec<Artifact>, RenderError> {
    let mut out = Vec::new();
    for job in &model.jobs {
        let Targets::Files {
            files, generated, ..
        } = &job.targets
        else {
            continue;
        };
        let (Some(file), false) = (files.first(), generated.is_empty()) else {
            continue;
        };
        let groups: Vec<TargetGroup> = generated
            .iter()
            .map(|g| TargetGroup {
                targets: g.targets.clone(),
                labels: g.labels.clone(),
            })
            .collect();
        let mut contents = serde_json::to_string_pretty(&groups)
            .map_err(|e| RenderError(format!("{file}: {e}")))?;
        contents.push('\n');
        out.push(Artifact {
            path: PathBuf::from("prometheus").join(file),
            contents,
        });
    }
    Ok(out)
}
