//! Tiny HTTP servers for the end-to-end test, on loopback ports: a synthetic
//! Lloom exporter whose state the test flips, and receivers that record
//! every request body (PagerDuty's Events API, a Slack webhook).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

/// A server answering every request with `respond(method, path, body)`.
pub struct Server {
    pub addr: SocketAddr,
}

impl Server {
    pub fn start(
        respond: impl Fn(&str, &str, &str) -> (u16, String) + Send + Sync + 'static,
    ) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let addr = listener.local_addr().unwrap();
        let respond = Arc::new(respond);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let respond = Arc::clone(&respond);
                thread::spawn(move || {
                    let _ = serve(stream, &*respond);
                });
            }
        });
        Server { addr }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

fn serve(
    stream: TcpStream,
    respond: &dyn Fn(&str, &str, &str) -> (u16, String),
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut parts = request_line.split_whitespace();
    let (method, path) = (
        parts.next().unwrap_or("").to_string(),
        parts.next().unwrap_or("").to_string(),
    );
    let mut length = 0;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header == "\r\n" || header == "\n" {
            break;
        }
        if let Some((k, v)) = header.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let (status, text) = respond(&method, &path, &String::from_utf8_lossy(&body));
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {status} X\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    )
}

/// A receiver that keeps every request body.
pub struct Recorder {
    pub server: Server,
    pub bodies: Arc<Mutex<Vec<String>>>,
}

impl Recorder {
    pub fn start(reply: &'static str) -> Recorder {
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let kept = Arc::clone(&bodies);
        let server = Server::start(move |method, _, body| {
            if method == "POST" {
                kept.lock().unwrap().push(body.to_string());
            }
            (200, reply.to_string())
        });
        Recorder { server, bodies }
    }

    pub fn any(&self, wanted: impl Fn(&str) -> bool) -> bool {
        self.bodies.lock().unwrap().iter().any(|b| wanted(b))
    }

    pub fn all(&self) -> Vec<String> {
        self.bodies.lock().unwrap().clone()
    }
}

/// An executor's `/metrics`: GPU memory and queue past the pack's critical
/// and warning thresholds while `burning`, healthy otherwise.
pub fn executor(burning: Arc<AtomicBool>) -> Server {
    Server::start(move |_, path, _| {
        if path != "/metrics" {
            return (404, "not found\n".into());
        }
        let hot = burning.load(Ordering::SeqCst);
        let (used, queued) = if hot { (95e9, 150) } else { (10e9, 0) };
        (
            200,
            format!(
                "# TYPE lloom_executor_gpu_memory_used_bytes gauge\n\
                 lloom_executor_gpu_memory_used_bytes{{device=\"0\"}} {used}\n\
                 # TYPE lloom_executor_gpu_memory_total_bytes gauge\n\
                 lloom_executor_gpu_memory_total_bytes{{device=\"0\"}} 1e11\n\
                 # TYPE lloom_executor_queue_size gauge\n\
                 lloom_executor_queue_size{{priority=\"high\"}} {queued}\n"
            ),
        )
    })
}
