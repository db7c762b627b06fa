//! Model → files. One module per artifact; each maps the model to typed
//! output structs and serializes them. Nothing here reads the spec.

mod metrics_md;
pub mod prometheus;
mod readme;
pub mod rule_file;
mod yaml;

use crate::model::Model;
use std::path::PathBuf;

/// One generated file, by path relative to the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    pub path: PathBuf,
    pub contents: String,
}

/// A serializer or template failed: a bug in lloom-monctl, not in the spec.
#[derive(Debug)]
pub struct RenderError(pub String);

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Renders every artifact, sorted by path.
pub fn render(model: &Model) -> Result<Vec<Artifact>, RenderError> {
    let mut files = vec![Artifact {
        path: PathBuf::from("prometheus/prometheus.yml"),
        contents: yaml::to_yaml(&prometheus::config(model))?,
    }];
    for group in &model.groups {
        files.push(Artifact {
            path: PathBuf::from(format!("prometheus/rules/{}.yml", group.file_stem())),
            contents: yaml::to_yaml(&rule_file::rule_file(group))?,
        });
    }
    files.push(Artifact {
        path: PathBuf::from("METRICS.md"),
        contents: metrics_md::render(&model.catalog)?,
    });
    files.push(Artifact {
        path: PathBuf::from("README.md"),
        contents: readme::render(model)?,
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}
