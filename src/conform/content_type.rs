//! The `Content-Type` of a fetched page, as Prometheus 3 judges it: a scrape
//! whose answer has none, or one that is not a format Prometheus reads, fails
//! (Prometheus 2 guessed the text format). Only the media type counts,
//! case-insensitively; its parameters (`version=0.0.4`) do not.

use super::fetch::Origin;
use super::ConformCode;
use crate::diagnostics::Finding;

/// The media types Prometheus 3 reads without `fallback_scrape_protocol`
/// (protobuf too, which `conform` does not ask for).
const READ: [&str; 3] = [
    "text/plain",
    "application/openmetrics-text",
    "application/vnd.google.protobuf",
];

/// A finding when Prometheus 3 would refuse the scrape of a page served so.
pub fn check(origin: &Origin) -> Option<Finding> {
    let Origin::Http { content_type } = origin else {
        return None;
    };
    let help = "serve `/metrics` with `Content-Type: text/plain; version=0.0.4; charset=utf-8` (or OpenMetrics): Prometheus 3 refuses a scrape without a known one, unless the job sets `fallback_scrape_protocol`";
    let message = match content_type.as_deref().map(str::trim) {
        None | Some("") => "the page was served without a `Content-Type`: Prometheus 3 fails the scrape".to_string(),
        Some(value) if READ.contains(&media_type(value).as_str()) => return None,
        Some(value) => format!("the page was served as `{value}`, a `Content-Type` Prometheus 3 does not read: it fails the scrape"),
    };
    Some(Finding::new(ConformCode::ContentType, message).help(help))
}

/// `text/plain` of `Text/Plain; version=0.0.4`.
fn media_type(value: &str) -> String {
    value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn served(content_type: Option<&str>) -> Option<Finding> {
        check(&Origin::Http {
            content_type: content_type.map(str::to_string),
        })
    }

    #[test]
    fn prometheus_3s_media_types_pass_and_others_fail() {
        for ok in [
            "text/plain; version=0.0.4; charset=utf-8",
            "Text/Plain",
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        ] {
            assert!(served(Some(ok)).is_none(), "{ok}");
        }
        for bad in [None, Some(""), Some("text/html"), Some("application/json")] {
            let finding = served(bad).expect("a finding");
            assert_eq!(finding.code, ConformCode::ContentType.code());
        }
        assert!(check(&Origin::File).is_none());
    }
}
