//! Where the exposition text comes from: a saved `/metrics` page, or the
//! `http://` URL of a running node.
//!
//! Plain HTTP only: ureq is built without TLS to keep the dependency tree
//! small. `https://` needs ureq's `rustls` feature; until then, save the page
//! with `curl` and pass the file.

use std::io::Read;
use std::time::Duration;

/// A node that does not answer within this is reported, not waited for.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Node exporter pages are a few hundred KiB; this is far above any real
/// page, and what the parse of a page this large holds stays well under
/// 512 MiB. A file or body over it is refused before it is read.
pub const MAX_BODY: u64 = 32 * 1024 * 1024;

/// The text of `source`: fetched if it is an `http://` or `https://` URL, else
/// read as a file path. The error is one line, for the command's stderr.
pub fn read(source: &str) -> Result<String, String> {
    if source.starts_with("https://") {
        return Err(format!("cannot fetch {source}: this build speaks plain http only; save the page with `curl -o metrics.prom {source}` and pass the file"));
    }
    if source.starts_with("http://") {
        return get(source).map_err(|e| format!("cannot fetch {source}: {e}"));
    }
    read_file(source).map_err(|e| format!("cannot read {source}: {e}"))
}

/// A regular file of at most [`MAX_BODY`] bytes, checked on the opened file.
fn read_file(path: &str) -> Result<String, String> {
    // Before opening too: opening a FIFO would wait for a writer.
    if !std::fs::metadata(path)
        .map_err(|e| e.to_string())?
        .is_file()
    {
        return Err("not a regular file".into());
    }
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let meta = file.metadata().map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    if meta.len() > MAX_BODY {
        return Err(format!(
            "{} bytes, larger than the {} MiB cap",
            meta.len(),
            MAX_BODY >> 20
        ));
    }
    let mut bytes = Vec::new();
    file.take(MAX_BODY + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_BODY {
        return Err(format!("larger than the {} MiB cap", MAX_BODY >> 20));
    }
    String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())
}

fn get(url: &str) -> Result<String, String> {
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
    response
        .body_mut()
        .with_config()
        .limit(MAX_BODY)
        .read_to_string()
        .map_err(|e| e.to_string())
}
