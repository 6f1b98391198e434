//! The demo's loopback web server: serves a fixed table of resources on 127.0.0.1 (a
//! free port the OS picks) for the length of one `feedbrief demo`. Demo-only code: the
//! pipeline talks to it through the ordinary Fetcher, exactly as it would talk to a
//! publisher.
//!
//! HTTP/1.1 itself (persistent connections, pipelining, HEAD, `Content-Length`, the
//! `Date` header) is hyper's, the same crate reqwest runs on, so nothing here parses
//! requests by hand. What this file decides: the routes (path without query; GET and
//! HEAD only, else 405 with `Allow`), a refusal of chunked request bodies (501) and
//! of bodies over 1 MiB (413), and an idle timeout. No TLS, conditional GET or ranges.
//!
//! It runs on its own thread with its own single-threaded runtime, so `demo` can call
//! the same blocking `run_pass` that `feedbrief run` uses.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::error::{Error, Result};

/// A request head larger than this is refused (431); ours are a few hundred bytes.
const MAX_HEAD_BYTES: usize = 16 * 1024;
/// Request bodies are read and dropped up to this size; larger ones are refused (413).
const MAX_BODY_BYTES: u64 = 1024 * 1024;
/// A connection that sends no complete request head for this long is closed, so a
/// client that keeps its pool open cannot pin a task until the demo ends.
const IDLE_TIMEOUT: Duration = Duration::from_secs(5);

/// One response the server can give for a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resource {
    pub(crate) status: u16,
    /// `Content-Type` header value, charset included where it matters.
    pub(crate) content_type: String,
    pub(crate) body: Vec<u8>,
}

/// Path (without query) -> resource.
pub(crate) type Routes = HashMap<String, Resource>;

/// A running server; dropping it stops the server and waits for its thread.
pub(crate) struct Server {
    addr: SocketAddr,
    answered: Arc<AtomicUsize>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Bind 127.0.0.1 on a free port, build the routes for that origin (the resources
    /// link to each other by absolute URL, so they need to know it), and serve them.
    pub(crate) fn start(routes_for: impl FnOnce(&str) -> Routes) -> Result<Server> {
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
    pub(crate) fn origin(&self) -> String {
        origin_of(self.addr)
    }

    /// How many requests have been answered so far (any status).
    pub(crate) fn answered(&self) -> usize {
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
                    let routes = routes.clone();
                    let answered = answered.clone();
                    tokio::spawn(async move {
                        let service = service_fn(move |req| {
                            respond(req, routes.clone(), answered.clone())
                        });
                        let served = http1::Builder::new()
                            // Header names as clients and the tests read them.
                            .title_case_headers(true)
                            .max_header_size(MAX_HEAD_BYTES)
                            .timer(TokioTimer::new())
                            .header_read_timeout(IDLE_TIMEOUT)
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                        if let Err(e) = served {
                            tracing::debug!(error = %e, "Demo server connection ended with an error.");
                        }
                    });
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

type Reply = hyper::Response<Full<Bytes>>;

/// Answer one request from the routes.
async fn respond(
    req: hyper::Request<Incoming>,
    routes: Arc<Routes>,
    answered: Arc<AtomicUsize>,
) -> std::result::Result<Reply, Infallible> {
    let reply = route(req, &routes).await;
    answered.fetch_add(1, Ordering::Relaxed);
    Ok(reply)
}

async fn route(req: hyper::Request<Incoming>, routes: &Routes) -> Reply {
    let headers = req.headers();
    if headers.contains_key(header::TRANSFER_ENCODING) {
        return closing(
            plain(501, "Chunked request bodies are not supported.\n"),
            &[],
        );
    }
    let length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    if length > MAX_BODY_BYTES {
        return closing(plain(413, "Request body too large.\n"), &[]);
    }
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    // Read the body (and drop it) so the connection can carry the next request.
    if Limited::new(req.into_body(), MAX_BODY_BYTES as usize)
        .collect()
        .await
        .is_err()
    {
        return closing(plain(400, "Bad request body.\n"), &[]);
    }
    let (resource, extra): (Resource, &[(&str, &str)]) = match method {
        Method::GET | Method::HEAD => match routes.get(&path) {
            Some(r) => (r.clone(), &[]),
            None => (not_found(), &[]),
        },
        _ => (
            plain(405, "Method not allowed.\n"),
            &[("Allow", "GET, HEAD")],
        ),
    };
    tracing::debug!(%method, %path, status = resource.status, "Demo server answered.");
    // hyper sends the head only for HEAD, keeping the length.
    response(&resource, extra)
}

/// A response whose connection ends after it.
fn closing(r: Resource, extra: &[(&str, &str)]) -> Reply {
    let mut reply = response(&r, extra);
    reply
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    reply
}

fn response(r: &Resource, extra: &[(&str, &str)]) -> Reply {
    let mut reply = hyper::Response::new(Full::new(Bytes::from(r.body.clone())));
    *reply.status_mut() =
        StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = reply.headers_mut();
    h.insert(header::SERVER, HeaderValue::from_static("feedbrief-demo"));
    if let Ok(v) = HeaderValue::from_str(&r.content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(r.body.len()));
    for (name, value) in extra {
        if let (Ok(n), Ok(v)) = (
            header::HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            h.insert(n, v);
        }
    }
    reply
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

    /// Keep-alive rules of each version, and paths without query or fragment, seen on
    /// the wire (`exchange` returns only once the server closes).
    #[test]
    fn keep_alive_rules_of_each_version_and_paths_without_query() {
        let server = Server::start(routes).unwrap();
        // hyper answers in the client's version.
        let ok = |out: &str| out.contains(" 200 OK\r\n") && out.contains("<rss/>");
        // HTTP/1.0 closes unless asked to keep the connection.
        let out = exchange(&server, b"GET /feed.xml?x=1 HTTP/1.0\r\n\r\n");
        assert!(ok(&out), "{out}");
        // HTTP/1.1 keeps it unless `close` is among the Connection tokens.
        let out = exchange(
            &server,
            b"GET /feed.xml HTTP/1.1\r\nHost: h\r\nConnection: Keep-Alive, Close\r\n\r\n",
        );
        assert!(ok(&out), "{out}");
        // An absolute-form target on a kept HTTP/1.0 connection, then a second request.
        let out = exchange(
            &server,
            b"GET http://h:1/feed.xml HTTP/1.0\r\nconnection: keep-alive\r\n\r\nGET /feed.xml HTTP/1.0\r\n\r\n",
        );
        assert_eq!(out.matches("<rss/>").count(), 2, "{out}");
        // Heads that are not HTTP/1.x or not well-formed are refused.
        for bad in [
            &b"GET / HTTP/2.0\r\n\r\n"[..],
            b"GET / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost : h\r\n\r\n",
        ] {
            let out = exchange(&server, bad);
            assert!(out.starts_with("HTTP/1.1 400 "), "{out}");
        }
        // A head past MAX_HEAD_BYTES is refused before it is read to the end.
        let mut huge = b"GET /feed.xml HTTP/1.1\r\nX-Pad: ".to_vec();
        huge.resize(huge.len() + MAX_HEAD_BYTES + 1024, b'a');
        huge.extend_from_slice(b"\r\n\r\n");
        // The server may close with bytes of ours unread (a reset), so read what came.
        let mut s = std::net::TcpStream::connect(server.addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        let _ = s.write_all(&huge);
        let mut out = Vec::new();
        let mut chunk = [0u8; 4096];
        while let Ok(n @ 1..) = s.read(&mut chunk) {
            out.extend_from_slice(&chunk[..n]);
        }
        let out = String::from_utf8_lossy(&out);
        assert!(out.starts_with("HTTP/1.1 431 "), "{out}");
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
            // (hyper answers an HTTP/1.0 request as HTTP/1.0, so the last request is 1.1.)
            b"POST /feed.xml HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET /nope HTTP/1.1\r\nConnection: close\r\n\r\n",
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
