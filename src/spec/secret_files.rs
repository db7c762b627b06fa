//! `*_file` keys take the path of a file holding a secret. A value that is
//! no path is most likely the secret itself, pasted into the wrong key: it
//! would be written into the generated config as a "path", so it is refused
//! (and, like every secret, shown masked). An empty one is refused too: it
//! would be written as a path Alertmanager or Prometheus cannot open (or, for
//! Alertmanager's required keys, refuses), where leaving the key out says
//! what was meant.

use super::SpecCode;
use crate::diagnostics::{looks_like_path, Finding};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// A finding for every `*_file` string in the document that is not a path.
/// Iterative: the document's depth does not matter.
pub fn check(root: &DeTable<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut stack: Vec<(Option<&str>, &Spanned<DeValue<'_>>)> = Vec::new();
    let mut tables = vec![root];
    loop {
        if let Some(table) = tables.pop() {
            stack.extend(table.iter().map(|(k, v)| (Some(k.get_ref().as_ref()), v)));
            continue;
        }
        let Some((key, value)) = stack.pop() else {
            break;
        };
        match value.get_ref() {
            DeValue::Table(t) => tables.push(t),
            DeValue::Array(items) => stack.extend(items.iter().map(|v| (key, v))),
            DeValue::String(s) => {
                if let Some(key) = key.filter(|k| k.ends_with("_file")) {
                    if s.trim().is_empty() {
                        findings.push(empty(key, value));
                    } else if !looks_like_path(s) {
                        findings.push(finding(key, value));
                    }
                }
            }
            _ => {}
        }
    }
    findings.sort_by_key(|f| f.span.as_ref().map(|s| s.start));
    findings
}

fn finding(key: &str, value: &Spanned<DeValue<'_>>) -> Finding {
    Finding::new(
        SpecCode::SecretNotAPath,
        format!("`{key}` takes the path of a file, and this is not one: it looks like the secret itself"),
    )
    .at(value.span())
    .redact()
    .label("not a path")
    .help(format!("put the secret into a file on the host that runs the service and give its absolute path: `{key} = \"/run/secrets/<name>\"`; if the secret was committed, rotate it"))
}

fn empty(key: &str, value: &Spanned<DeValue<'_>>) -> Finding {
    Finding::new(SpecCode::Empty, format!("`{key}` is empty"))
        .at(value.span())
        .label("no path")
        .help(format!("give the absolute path of the file holding the secret, or remove `{key}` if there is none"))
}

#[cfg(test)]
mod tests {
    fn codes(alertmanager: &str) -> Vec<&'static str> {
        let text = format!(
            "[stack]\nname = \"t\"\nrunbook_base_url = \"https://runbooks.example.org\"\n[roles.client]\nhosts = [\"c1\"]\n[alertmanager]\nroute = {{ receiver = \"ops\" }}\n{alertmanager}"
        );
        crate::spec::load(&text).1.iter().map(|f| f.code).collect()
    }

    #[test]
    fn an_empty_file_key_is_refused() {
        let slack = "receiver = [{ name = \"ops\", slack = [{ channel = \"#ops\" }] }]\n";
        assert_eq!(
            codes(&format!("slack_api_url_file = \"\"\n{slack}")),
            ["spec/empty"]
        );
        let smtp = "[alertmanager.smtp]\nfrom = \"a@example.org\"\nsmarthost = \"smtp.example.org:587\"\nauth_password_file = \" \"\n";
        assert_eq!(codes(&format!("{slack}{smtp}")), ["spec/empty"]);
        let webhook = "receiver = [{ name = \"ops\", webhook = [{ url = \"http://x:1/\", credentials_file = \"\" }] }]\n";
        assert_eq!(codes(webhook), ["spec/empty"]);
    }

    #[test]
    fn a_path_is_quiet() {
        let slack = "receiver = [{ name = \"ops\", slack = [{ channel = \"#ops\" }] }]\n";
        assert!(codes(&format!(
            "slack_api_url_file = \"/run/secrets/slack\"\n{slack}"
        ))
        .is_empty());
    }
}
