//! Secrets in the spec: refused inline wherever they appear (Alertmanager's
//! receivers, Consul's ACL token), so that the committed `generated/` tree
//! never holds one; only a path that the service reads at run time is taken.

use super::Ctx;
use crate::diagnostics::{url_has_credentials, Finding};
use crate::spec::{SpecCode, Str};

/// What an inline secret must become, and where the secret goes instead.
pub fn inline_secret(cx: &mut Ctx, field: Option<&Str>, name: &str, instead: &str) {
    let Some(f) = field else { return };
    cx.push(
        Finding::new(
            SpecCode::InlineSecret,
            format!("`{name}` would write the secret into the generated config, which is committed and readable by anyone with the repository"),
        )
        .at(f.span())
        .redact()
        .label("a secret inline")
        .help(format!("put the value into a file on the host that runs the service (a compose or Kubernetes secret) and reference it: `{instead} = \"/run/secrets/<name>\"`")),
    );
}

/// A URL the generated config would hold may not carry credentials (user
/// and password, or a `?token=`-like parameter): they would be committed.
pub fn url_credentials(cx: &mut Ctx, url: &Str, name: &str) {
    if url_has_credentials(url.get_ref()) {
        cx.push(
            Finding::new(
                SpecCode::InlineSecret,
                format!("`{name}` carries credentials (a user and password, or a token parameter), which the generated config would hold"),
            )
            .at(url.span())
            .redact()
            .label("credentials in a URL")
            .help("leave the credentials out of the URL; give them as a file the service reads (`credentials_file`, `*_file`)"),
        );
    }
}
