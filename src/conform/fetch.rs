//! The exposition text of a running node, fetched from its `http://` URL
//! with the `Content-Type` it was served with, and spooled to an unnamed
//! temporary file rather than held: `conform` reads it twice (the checks,
//! then the lines it shows), in bounded memory.
//!
//! Plain HTTP only: ureq is built without TLS to keep the dependency tree
//! small. `https://` needs ureq's `rustls` feature; until then, save the page
//! with `curl` and pass the file.

use std::fs::File;
use std::io::{self, Seek};
use std::time::Duration;

/// A node that does not answer within this is reported, not waited for.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Node exporter pages are a few hundred KiB; a body over this is cut off
/// and refused, so that a server that never stops sending cannot fill the
/// disk. (Within the timeout, a page this large does not arrive anyway.)
pub const MAX_BODY: u64 = 1 << 30;

/// A fetched page, spooled, and how it was served.
#[derive(Debug)]
pub struct Spooled {
    pub file: File,
    pub origin: Origin,
}

/// A `/metrics` page held in memory, and where it came from.
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
pub fn read(source: &str) -> Result<Spooled, String> {
    if source.starts_with("https://") {
        return Err(format!("cannot fetch {source}: this build speaks plain http only; save the page with `curl -o metrics.prom {source}` and pass the file"));
    }
    get(source).map_err(|e| format!("cannot fetch {source}: {e}"))
}

/// Whether `source` names a URL rather than a saved page.
pub fn is_url(source: &str) -> bool {
    source.starts_with("http://") || source.starts_with("https://")
}

fn get(url: &str) -> Result<Spooled, String> {
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
    let mut body = response.body_mut().with_config().limit(MAX_BODY).reader();
    let mut file = spool().map_err(|e| format!("cannot make a temporary file: {e}"))?;
    io::copy(&mut body, &mut file).map_err(|e| e.to_string())?;
    file.rewind().map_err(|e| e.to_string())?;
    Ok(Spooled {
        file,
        origin: Origin::Http { content_type },
    })
}

/// A new file in the temporary directory, already unlinked: nothing is
/// left behind, whatever happens. Created exclusively, so a planted file
/// or symlink of the same name is never opened.
fn spool() -> io::Result<File> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let path =
        std::env::temp_dir().join(format!("lloom-monctl-page-{}-{nanos}", std::process::id()));
    let file = File::options()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)?;
    std::fs::remove_file(&path)?;
    Ok(file)
}
