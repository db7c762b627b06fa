//! `alertmanager/templates/lloom.tmpl`: Alertmanager's notification
//! templates.

use crate::model::Model;
use crate::render::{templates, RenderError};

/// Go templates, passed through tera untouched (`{% raw %}`), with the
/// stack's name in the header.
pub fn render(model: &Model) -> Result<String, RenderError> {
    let mut ctx = tera::Context::new();
    ctx.insert("stack", &model.stack.name);
    templates::built_in()
        .render("alertmanager.tmpl", &ctx)
        .map_err(|e| RenderError(format!("alertmanager.tmpl: {e}")))
}
