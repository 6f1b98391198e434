//! The demo's loopback web server: a minimal HTTP/1.1 responder that serves a fixed
//! table of resources on 127.0.0.1 (a free port the OS picks) for the length of one
//! `feedbrief demo`. Demo-only code: the pipeline talks to it through the ordinary
//! Fetcher, exactly as it would talk to a publisher.
//!
//! What it does, because reqwest (the Fetcher's client) relies on it: persistent
//! connections (HTTP/1.1 keeps the connection unless `Connection: close`; HTTP/1.0
//! closes unless `keep-alive`), several requests on one connection (pipelined bytes
//! stay buffered), `Content-Length` on every response, `HEAD`, and request bodies
//! skipped by their length. What it does not: TLS, chunked request bodies (refused
//! with 501), conditional GET, ranges.
//!
//! It runs on its own thread with its own single-threaded runtime, so `demo` can call
//! the same blocking `run_pass` that `feedbrief run` uses.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

use crate::error::{Error, Result};

/// A request head larger than this is refused (431); ours are a few hundred bytes.
const MAX_HEAD_BYTES: usize = 16 * 1024;
/// Request bodies are read and dropped up to this size; larger ones close the connection.
const MAX_BODY_BYTES: u64 = 1024 * 1024;
/// An idle keep-alive connection is closed after this long, so a client that keeps its
/// pool open cannot pin a task until the demo ends.
const IDLE_TIMEOUT: Duration = Duration::from_secs(5);

/// One response the server can give for a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub status: u16,
    /// `Content-Type` header value, charset included where it matters.
    pub content_type: String,
    pub body: Vec<u8>,
}

/// Path (without query) -> resource.
pub type Routes = HashMap<String, Resource>;

/// A running server; dropping it stops the server and waits for its thread.
pub struct Server {
    addr: SocketAddr,
    answered: Arc<AtomicUsize>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Bind 127.0.0.1 on a free port, build the routes for that origin (the resources
    /// link to each other by absolute URL, so they need to know it), and serve them.
    pub fn start(routes_for: impl FnOnce(&str) -> Routes) -> Result<Server> {
        let io_err = |e: std::io::Error| Error::Io {
            path: "127.0.0.1 (demo server)".into(),
            source: e,
        };
        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(io_err)?;
        listener.set_nonblocking(true).map_err(io_err)?;
        let addr = listener.local_addr().map_err(io_err)?;
        let routes = Arc::new(routes_for(&origin_of(addr)));

        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .map_err(io_err)?;
        // The listener must be registered with the runtime that will poll it.
        let listener = {
            let _guard = rt.enter();
            TcpListener::from_std(listener).map_err(io_err)?
        };
        let answered = Arc::new(AtomicUsize::new(0));
        let (tx, rx) = oneshot::channel();
        let count = answered.clone();
        let thread = std::thread::Builder::new()
            .name("feedbrief-demo-server".into())
            .spawn(move || rt.block_on(accept_loop(listener, routes, count, rx)))
            .map_err(io_err)?;
        tracing::debug!(%addr, "Demo server listening.");
        Ok(Server {
            addr,
            answered,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn origin(&self) -> String {
        origin_of(self.addr)
    }

    /// How many requests have been answered so far (any status).
    pub fn answered(&self) -> usize {
        self.answered.load(Ordering::Relaxed)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            // An error means the loop already ended; nothing left to stop.
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            // The runtime is dropped when its thread ends, which also ends any
            // connection still open; a panic there has nothing left to clean up.
            let _ = t.join();
        }
    }
}

fn origin_of(addr: SocketAddr) -> String {
    format!("http://{addr}")
}

async fn accept_loop(
    listener: TcpListener,
    routes: Arc<Routes>,
    answered: Arc<AtomicUsize>,
    mut shutdown: oneshot::Receiver<()>,
) {
    loop {
        tokio::select! {
            // Resolves on a send and when the Server is dropped without one.
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    tokio::spawn(serve_connection(stream, routes.clone(), answered.clone()));
                }
                Err(e) => {
                    // Typically out of file descriptors: wait a little rather than spin.
                    tracing::debug!(error = %e, "Demo server could not accept a connection.");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
        }
    }
}

/// A parsed request head.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Request {
    method: String,
    /// Path without query or fragment.
    path: String,
    keep_alive: bool,
    content_length: u64,
    chunked: bool,
}

/// Why a head could not be used; each maps to one status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BadRequest {
    Malformed,
    Version,
}

async fn serve_connection(mut stream: TcpStream, routes: Arc<Routes>, answered: Arc<AtomicUsize>) {
    // Bytes read but not yet used: a client may send the next request before we answer.
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    loop {
        let head_len = loop {
            if let Some(i) = find(&buf, b"\r\n\r\n") {
                break i + 4;
            }
            if buf.len() > MAX_HEAD_BYTES {
                let r = plain(431, "Request header fields too large.\n");
                let _ = write_response(&mut stream, &r, false, false, &[]).await;
                answered.fetch_add(1, Ordering::Relaxed);
                return;
            }
            if !read_more(&mut stream, &mut buf).await {
                return;
            }
        };
        let parsed = parse_head(&buf[..head_len]);
        buf.drain(..head_len);
        let req = match parsed {
            Ok(r) => r,
            Err(bad) => {
                let r = match bad {
                    BadRequest::Malformed => plain(400, "Bad request.\n"),
                    BadRequest::Version => plain(505, "HTTP version not supported.\n"),
                };
                let _ = write_response(&mut stream, &r, false, false, &[]).await;
                answered.fetch_add(1, Ordering::Relaxed);
                return;
            }
        };
        // Without a length we cannot find where the next request starts: answer, close.
        if req.chunked {
            let r = plain(501, "Chunked request bodies are not supported.\n");
            let _ = write_response(&mut stream, &r, false, false, &[]).await;
            answered.fetch_add(1, Ordering::Relaxed);
            return;
        }
        if req.content_length > MAX_BODY_BYTES {
            let r = plain(413, "Request body too large.\n");
            let _ = write_response(&mut stream, &r, false, false, &[]).await;
            answered.fetch_add(1, Ordering::Relaxed);
            return;
        }
        if !skip_body(&mut stream, &mut buf, req.content_length).await {
            return;
        }

        let (resource, extra): (Resource, &[(&str, &str)]) = match req.method.as_str() {
            "GET" | "HEAD" => match routes.get(&req.path) {
                Some(r) => (r.clone(), &[]),
                None => (not_found(), &[]),
            },
            _ => (
                plain(405, "Method not allowed.\n"),
                &[("Allow", "GET, HEAD")],
            ),
        };
        tracing::debug!(method = %req.method, path = %req.path, status = resource.status, "Demo server answered.");
        let head_only = req.method == "HEAD";
        let ok = write_response(&mut stream, &resource, head_only, req.keep_alive, extra).await;
        answered.fetch_add(1, Ordering::Relaxed);
        if !ok || !req.keep_alive {
            let _ = stream.shutdown().await;
            return;
        }
    }
}

/// Read what the peer sent next into `buf`. False when the connection is done: closed,
/// reset, or idle past the timeout.
async fn read_more(stream: &mut TcpStream, buf: &mut Vec<u8>) -> bool {
    let mut chunk = [0u8; 4096];
    match tokio::time::timeout(IDLE_TIMEOUT, stream.read(&mut chunk)).await {
        Ok(Ok(0)) | Ok(Err(_)) | Err(_) => false,
        Ok(Ok(n)) => {
            buf.extend_from_slice(&chunk[..n]);
            true
        }
    }
}

/// Drop `len` body bytes (some may already sit in `buf`). False if the peer went away.
async fn skip_body(stream: &mut TcpStream, buf: &mut Vec<u8>, len: u64) -> bool {
    let mut left = len;
    loop {
        let take = left.min(buf.len() as u64) as usize;
        buf.drain(..take);
        left -= take as u64;
        if left == 0 {
            return true;
        }
        if !read_more(stream, buf).await {
            return false;
        }
    }
}

fn parse_head(head: &[u8]) -> std::result::Result<Request, BadRequest> {
    let text = std::str::from_utf8(head).map_err(|_| BadRequest::Malformed)?;
    let mut lines = text.split("\r\n");
    let request_line = lines.next().ok_or(BadRequest::Malformed)?;
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(BadRequest::Malformed);
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(BadRequest::Malformed);
    }
    let http11 = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        v if v.starts_with("HTTP/") => return Err(BadRequest::Version),
        _ => return Err(BadRequest::Malformed),
    };

    let mut connection_tokens: Vec<String> = Vec::new();
    let mut content_length: Option<u64> = None;
    let mut chunked = false;
    for line in lines.filter(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':').ok_or(BadRequest::Malformed)?;
        // RFC 9112 §5.1: no whitespace between the field name and the colon.
        if name.is_empty() || name.ends_with([' ', '\t']) {
            return Err(BadRequest::Malformed);
        }
        let value = value.trim();
        match name.to_ascii_lowercase().as_str() {
            "connection" => connection_tokens.extend(
                value
                    .split(',')
                    .map(|t| t.trim().to_ascii_lowercase())
                    .filter(|t| !t.is_empty()),
            ),
            "content-length" => {
                let n: u64 = value.parse().map_err(|_| BadRequest::Malformed)?;
                // Two different lengths make the message boundary ambiguous.
                if content_length.is_some_and(|m| m != n) {
                    return Err(BadRequest::Malformed);
                }
                content_length = Some(n);
            }
            "transfer-encoding" => chunked = true,
            _ => {}
        }
    }
    let has = |t: &str| connection_tokens.iter().any(|c| c == t);
    let keep_alive = if http11 {
        !has("close")
    } else {
        has("keep-alive")
    };
    Ok(Request {
        method: method.to_string(),
        path: request_path(target).ok_or(BadRequest::Malformed)?,
        keep_alive,
        content_length: content_length.unwrap_or(0),
        chunked,
    })
}

/// The path of an origin-form (`/a/b?q`) or absolute-form (`http://h/a/b`) target.
fn request_path(target: &str) -> Option<String> {
    let path = if target.starts_with('/') {
        target
    } else {
        let rest = target
            .strip_prefix("http://")
            .or_else(|| target.strip_prefix("https://"))?;
        match rest.find('/') {
            Some(i) => &rest[i..],
            None => "/",
        }
    };
    let end = path.find(['?', '#']).unwrap_or(path.len());
    Some(path[..end].to_string())
}

/// Write a whole response. False if the peer is gone (the connection is then dropped).
async fn write_response(
    stream: &mut TcpStream,
    r: &Resource,
    head_only: bool,
    keep_alive: bool,
    extra: &[(&str, &str)],
) -> bool {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nDate: {}\r\nServer: feedbrief-demo\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: {}\r\n",
        r.status,
        reason(r.status),
        chrono::Utc::now().format("%a, %d %b %Y %H:%M:%S GMT"),
        r.content_type,
        r.body.len(),
        if keep_alive { "keep-alive" } else { "close" },
    );
    for (name, value) in extra {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut out = head.into_bytes();
    if !head_only {
        out.extend_from_slice(&r.body);
    }
    stream.write_all(&out).await.is_ok() && stream.flush().await.is_ok()
}

fn plain(status: u16, text: &str) -> Resource {
    Resource {
        status,
        content_type: "text/plain; charset=utf-8".into(),
        body: text.as_bytes().to_vec(),
    }
}

fn not_found() -> Resource {
    Resource {
        status: 404,
        content_type: "text/html; charset=utf-8".into(),
        body: b"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head>\n<body><h1>Not found</h1><p>The demo server has no page at this address.</p></body></html>\n".to_vec(),
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        410 => "Gone",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Status",
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    fn routes(_origin: &str) -> Routes {
        let mut r = Routes::new();
        r.insert(
            "/feed.xml".into(),
            Resource {
                status: 200,
                content_type: "application/rss+xml; charset=utf-8".into(),
                body: b"<rss/>".to_vec(),
            },
        );
        r.insert("/broken".into(), plain(500, "boom\n"));
        r
    }

    /// Send raw bytes, read until the server closes, return everything it said.
    fn exchange(server: &Server, raw: &[u8]) -> String {
        let addr = server.addr;
        let mut s = std::net::TcpStream::connect(addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        s.write_all(raw).expect("write");
        let mut out = Vec::new();
        s.read_to_end(&mut out).expect("read");
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn heads_parse_with_keep_alive_rules_of_each_version() {
        let r = parse_head(b"GET /a/b?x=1 HTTP/1.1\r\nHost: h\r\n\r\n").unwrap();
        assert_eq!((r.path.as_str(), r.keep_alive), ("/a/b", true));
        let r = parse_head(b"GET /a HTTP/1.1\r\nConnection: Keep-Alive, Close\r\n\r\n").unwrap();
        assert!(!r.keep_alive);
        let r = parse_head(b"GET / HTTP/1.0\r\n\r\n").unwrap();
        assert!(!r.keep_alive);
        let r =
            parse_head(b"GET http://h:1/x#f HTTP/1.0\r\nconnection: keep-alive\r\n\r\n").unwrap();
        assert_eq!((r.path.as_str(), r.keep_alive), ("/x", true));
        assert_eq!(
            parse_head(b"GET / HTTP/2.0\r\n\r\n"),
            Err(BadRequest::Version)
        );
        assert_eq!(
            parse_head(b"GET  / HTTP/1.1\r\n\r\n"),
            Err(BadRequest::Malformed)
        );
        assert_eq!(
            parse_head(b"GET / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n"),
            Err(BadRequest::Malformed)
        );
        assert_eq!(
            parse_head(b"GET / HTTP/1.1\r\nHost : h\r\n\r\n"),
            Err(BadRequest::Malformed)
        );
    }

    #[test]
    fn answers_pipelined_requests_on_one_connection_then_honours_close() {
        let server = Server::start(routes).unwrap();
        let out = exchange(
            &server,
            b"GET /feed.xml HTTP/1.1\r\nHost: x\r\n\r\nHEAD /feed.xml HTTP/1.1\r\nHost: x\r\n\r\nGET /broken HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        );
        // Bodies carry no trailing newline, so a status line can follow one directly.
        let statuses: Vec<&str> = out
            .split("HTTP/1.1 ")
            .skip(1)
            .filter_map(|r| r.split("\r\n").next())
            .collect();
        assert_eq!(
            statuses,
            vec!["200 OK", "200 OK", "500 Internal Server Error"],
            "{out}"
        );
        // The body is sent for GET only; HEAD carries the same length header.
        assert_eq!(out.matches("<rss/>").count(), 1, "{out}");
        assert_eq!(out.matches("Content-Length: 6\r\n").count(), 2, "{out}");
        assert!(out.ends_with("boom\n"), "{out}");
        assert_eq!(server.answered(), 3);
    }

    #[test]
    fn unknown_paths_other_methods_and_chunked_bodies_get_their_statuses() {
        let server = Server::start(routes).unwrap();
        let out = exchange(
            &server,
            b"POST /feed.xml HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET /nope HTTP/1.0\r\n\r\n",
        );
        assert!(out.starts_with("HTTP/1.1 405 "), "{out}");
        assert!(out.contains("Allow: GET, HEAD\r\n"), "{out}");
        assert!(out.contains("HTTP/1.1 404 Not Found"), "{out}");
        let out = exchange(
            &server,
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        );
        assert!(out.starts_with("HTTP/1.1 501 "), "{out}");
        assert!(out.contains("Connection: close\r\n"), "{out}");
    }

    #[test]
    fn stops_when_dropped() {
        let server = Server::start(routes).unwrap();
        let addr = server.addr;
        drop(server);
        assert!(std::net::TcpStream::connect(addr).is_err());
    }
}
