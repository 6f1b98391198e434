//! Backbone benchmark: serve N feeds on loopback (each on its own 127.x.y.z host, so
//! per-host politeness does not serialize them), run `feedbrief run --all` twice with
//! the real binary, and report for the no-change runs: requests made (goal: exactly one
//! conditional request per feed, no page fetches), wall time and peak RSS.
//!
//!     cargo build --release && cargo run --release --example bench_backbone -- [FEEDS] [ROUNDS]
//!
//! Defaults: 1000 feeds, 5 no-change rounds (median reported).

use std::io::{BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};

#[path = "common/child.rs"]
mod child;
#[path = "common/loopback.rs"]
mod loopback;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const ITEMS_PER_FEED: usize = 5;

#[derive(Default)]
struct Counters {
    feed_200: AtomicUsize,
    feed_304: AtomicUsize,
    conditional: AtomicUsize,
    pages: AtomicUsize,
}

fn page_html(n: usize, i: usize) -> String {
    let para = "The council met on Tuesday to discuss the new budget, which includes funding for roads, schools and the harbour. Officials said the plan would be published next week after a final review by the finance committee.";
    format!(
        "<html><head><title>Story {i} of feed {n}</title></head><body><article><h1>Story {i}</h1><p>{para}</p><p>{para}</p><p>{para}</p></article></body></html>"
    )
}

fn handle(stream: TcpStream, counters: Arc<Counters>) {
    let Ok(peer) = stream.try_clone() else { return };
    let mut reader = BufReader::new(peer);
    let mut stream = stream;
    loop {
        let Some(loopback::RequestHead {
            target,
            hostname,
            port,
            if_none_match: inm,
        }) = loopback::read_head(&mut reader)
        else {
            return;
        };
        let parts: Vec<&str> = target.trim_start_matches('/').split('/').collect();
        let response = match parts.as_slice() {
            ["feed", n] => {
                let n: usize = n.parse().unwrap_or(0);
                if inm {
                    counters.conditional.fetch_add(1, Ordering::Relaxed);
                    counters.feed_304.fetch_add(1, Ordering::Relaxed);
                    "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nContent-Length: 0\r\n\r\n"
                        .to_string()
                } else {
                    counters.feed_200.fetch_add(1, Ordering::Relaxed);
                    let body = loopback::feed_xml(&hostname, port, n, ITEMS_PER_FEED);
                    format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nETag: \"v1\"\r\nContent-Length: {}\r\n\r\n{body}",
                        body.len()
                    )
                }
            }
            ["page", n, i] => {
                counters.pages.fetch_add(1, Ordering::Relaxed);
                let body = page_html(n.parse().unwrap_or(0), i.parse().unwrap_or(0));
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                )
            }
            _ => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".to_string(),
        };
        if stream.write_all(response.as_bytes()).is_err() {
            return;
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let feeds: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let rounds: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(5);

    // 0.0.0.0 so that every 127.x.y.z loopback address reaches this one listener.
    let listener = TcpListener::bind("0.0.0.0:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let counters = Arc::new(Counters::default());
    {
        let counters = counters.clone();
        std::thread::spawn(move || {
            for s in listener.incoming().flatten() {
                let c = counters.clone();
                std::thread::spawn(move || handle(s, c));
            }
        });
    }

    let dir = tempfile::tempdir().expect("tempdir");
    let mut cfg = String::from(
        "[settings]\ndatabase = \"bench.db\"\nallow_private_networks = true\nconcurrency = 64\nmin_host_interval = \"0s\"\n",
    );
    for n in 0..feeds {
        let host = format!("127.0.{}.{}", 1 + n / 250, 1 + n % 250);
        cfg.push_str(&format!(
            "\n[[feed]]\nname = \"feed {n}\"\nurl = \"http://{host}:{port}/feed/{n}\"\n"
        ));
    }
    let config = dir.path().join("feeds.toml");
    std::fs::write(&config, cfg).expect("write config");
    let bin = binary();

    let run = |label: &str| -> (Duration, u64) {
        let t = Instant::now();
        let (ok, rss_kb) = run_child(&bin, &config);
        let wall = t.elapsed();
        assert!(ok, "{label}: feedbrief run failed");
        (wall, rss_kb)
    };

    let (wall1, rss1) = run("first run");
    let first_feeds = counters.feed_200.load(Ordering::Relaxed);
    let first_pages = counters.pages.load(Ordering::Relaxed);
    println!(
        "first run: {feeds} feeds, {first_feeds} feed fetches, {first_pages} page fetches, wall {:.2}s, peak RSS {} MB",
        wall1.as_secs_f64(),
        rss1 / 1024
    );

    let mut walls = Vec::new();
    let mut rsss = Vec::new();
    for r in 0..rounds {
        let before = (
            counters.feed_200.load(Ordering::Relaxed),
            counters.feed_304.load(Ordering::Relaxed),
            counters.pages.load(Ordering::Relaxed),
        );
        let (wall, rss) = run("no-change run");
        let after = (
            counters.feed_200.load(Ordering::Relaxed),
            counters.feed_304.load(Ordering::Relaxed),
            counters.pages.load(Ordering::Relaxed),
        );
        let (full, cond, pages) = (after.0 - before.0, after.1 - before.1, after.2 - before.2);
        println!(
            "no-change run {}: requests {} ({} conditional -> 304, {} unconditional, {} page fetches), wall {:.3}s, peak RSS {} MB",
            r + 1,
            full + cond + pages,
            cond,
            full,
            pages,
            wall.as_secs_f64(),
            rss / 1024
        );
        assert_eq!(
            (full, cond, pages),
            (0, feeds, 0),
            "expected exactly one conditional request per feed"
        );
        walls.push(wall);
        rsss.push(rss);
    }
    walls.sort();
    rsss.sort();
    let med_wall = walls[walls.len() / 2];
    let med_rss = rsss[rsss.len() / 2];
    println!(
        "RESULT feeds={feeds} requests_per_run={feeds} (1 conditional per feed, 0 pages) median_wall={:.3}s (goal < 2s) median_peak_rss={}MB first_run_wall={:.2}s",
        med_wall.as_secs_f64(),
        med_rss / 1024,
        wall1.as_secs_f64()
    );
}

fn binary() -> PathBuf {
    // The example lives in target/<profile>/examples/; the binary one level up.
    let exe = std::env::current_exe().expect("current exe");
    let bin = exe
        .parent()
        .and_then(|p| p.parent())
        .map(|p| p.join("feedbrief"))
        .expect("binary path");
    assert!(
        bin.exists(),
        "build the binary first: cargo build --release"
    );
    bin
}

/// Run the binary and return (success, peak RSS in KiB).
fn run_child(bin: &Path, config: &Path) -> (bool, u64) {
    let dir = config.parent().expect("config dir");
    let cfg = config.to_string_lossy();
    let r = child::run(bin, dir, &["--config", &cfg, "run", "--all", "--quiet"]);
    (r.success, r.peak_rss_kb)
}
