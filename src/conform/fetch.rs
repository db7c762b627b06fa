//! The exposition text of a running node, fetched from its `http://` URL
//! with the `Content-Type` it was served with (a saved `/metrics` page is a
//! file, which the CLI reads under the same cap as a body).
//!
//! Plain HTTP only: ureq is built without TLS to keep the dependency tree
//! small. `https://` needs ureq's `rustls` feature; until then, save the page
//! with `curl` and pass the file.

use std::time::Duration;

/// A node that does not answer within this is reported, not waited for.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Node exporter pages are a few hundred KiB; this is far above any real
/// page, and what the parse of a page this large holds stays well under
/// 512 MiB (docs/benchmarks.md). A body or file over it is refused before
/// it is read.
pub const MAX_BODY: u64 = 32 * 1024 * 1024;

/// A `/metrics` page and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub text: String,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A saved page: no HTTP header to check.
    File,
    /// Fetched over HTTP, with the `Content-Type` the server sent, if any.
    Http { content_type: Option<String> },
}

/// The page at an `http://` URL; an `https://` one is refused with what to
/// do instead. The error is one line, for the command's stderr.
pub fn read(source: &str) -> Result<Page, String> {
    if source.starts_with("https://") {
        return Err(format!("cannot fetch {source}: this build speaks plain http only; save the page with `curl -o metrics.prom {source}` and pass the file"));
    }
    get(source).map_err(|e| format!("cannot fetch {source}: {e}"))
}

/// Whether `source` names a URL rather than a saved page.
pub fn is_url(source: &str) -> bool {
    source.starts_with("http://") || source.starts_with("https://")
}

fn get(url: &str) -> Result<Page, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = agent
        .get(url)
        // What Prometheus asks for, less protobuf: both text formats parse.
        .header(
            "Accept",
            "text/plain;version=0.0.4;q=1,application/openmetrics-text;version=1.0.0;q=0.5,*/*;q=0.1",
        )
        .call()
        .map_err(|e| e.to_string())?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("the server answered {status}"));
    }
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let text = response
        .body_mut()
        .with_config()
        .limit(MAX_BODY)
        .read_to_string()
        .map_err(|e| e.to_string())?;
    Ok(Page {
        text,
        origin: Origin::Http { content_type },
    })
}
