//! End-to-end benchmark under DEFAULT politeness (issue 17): 200 feeds x 10 items on
//! 16 loopback hosts, every item's article page a real development page, run by the
//! real `feedbrief run --all` binary. Reports the first run's wall time (fresh database,
//! 2,000 pages fetched, extracted, summarized) and the no-change pass (one conditional
//! request per feed), medians over rounds, and what the server saw per host: the
//! shortest gap between two requests to one host and the most in flight at once.
//!
//!     cargo build --release
//!     cargo run --release --example bench_polite -- ../shared/data/extraction/dev/html [FIRST_ROUNDS] [NOCHANGE_ROUNDS] [fixed]
//!
//! `fixed` runs with the politeness feedbrief had before pacing adapted (a fixed 1 s
//! gap per host, no robots.txt): `adaptive_pacing = false`, `min_host_interval = "1s"`,
//! `robots_txt = false`. Without a pages folder (`-`), small synthetic pages are served.

use std::collections::HashMap;
use std::io::{BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[path = "common/child.rs"]
mod child;
#[path = "common/loopback.rs"]
mod loopback;

const FEEDS: usize = 200;
const ITEMS: usize = 10;
const HOSTS: usize = 16;

#[derive(Default)]
struct Seen {
    feed_200: AtomicUsize,
    feed_304: AtomicUsize,
    pages: AtomicUsize,
    robots: AtomicUsize,
    /// Per host: last request start, shortest gap, in flight now, most in flight.
    hosts: Mutex<HashMap<String, HostSeen>>,
}

#[derive(Default, Clone)]
struct HostSeen {
    last: Option<Instant>,
    min_gap: Option<Duration>,
    in_flight: usize,
    max_in_flight: usize,
}

impl Seen {
    fn start(&self, host: &str) {
        let mut m = self.hosts.lock().unwrap();
        let h = m.entry(host.to_string()).or_default();
        let now = Instant::now();
        if let Some(last) = h.last {
            let g = now - last;
            h.min_gap = Some(h.min_gap.map_or(g, |m| m.min(g)));
        }
        h.last = Some(now);
        h.in_flight += 1;
        h.max_in_flight = h.max_in_flight.max(h.in_flight);
    }

    fn end(&self, host: &str) {
        if let Some(h) = self.hosts.lock().unwrap().get_mut(host) {
            h.in_flight = h.in_flight.saturating_sub(1);
        }
    }

    fn reset_hosts(&self) -> Vec<HostSeen> {
        let mut m = self.hosts.lock().unwrap();
        let out = m.values().cloned().collect();
        m.clear();
        out
    }
}

fn host_of(n: usize) -> String {
    format!("127.0.1.{}", 1 + n % HOSTS)
}

fn synthetic_page(n: usize, i: usize) -> Vec<u8> {
    let para = "The council met on Tuesday to discuss the new budget, which includes funding for roads, schools and the harbour. Officials said the plan would be published next week after a final review by the finance committee. ";
    format!(
        "<html><head><title>Story {i} of feed {n}</title></head><body><article><h1>Story {i}</h1><p>{}</p><p>{}</p></article></body></html>",
        para.repeat(4),
        para.repeat(3)
    )
    .into_bytes()
}

fn respond(stream: &mut TcpStream, head: &str, body: &[u8]) -> bool {
    let h = format!("{head}Content-Length: {}\r\n\r\n", body.len());
    stream.write_all(h.as_bytes()).is_ok() && stream.write_all(body).is_ok()
}

fn handle(stream: TcpStream, seen: Arc<Seen>, pages: Arc<Vec<Vec<u8>>>) {
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
        seen.start(&hostname);
        let parts: Vec<&str> = target.trim_start_matches('/').split('/').collect();
        let ok = match parts.as_slice() {
            ["robots.txt"] => {
                seen.robots.fetch_add(1, Ordering::Relaxed);
                respond(
                    &mut stream,
                    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n",
                    b"User-agent: *\nDisallow: /admin/\n",
                )
            }
            ["feed", n] => {
                let n: usize = n.parse().unwrap_or(0);
                if inm {
                    seen.feed_304.fetch_add(1, Ordering::Relaxed);
                    respond(
                        &mut stream,
                        "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n",
                        b"",
                    )
                } else {
                    seen.feed_200.fetch_add(1, Ordering::Relaxed);
                    let body = loopback::feed_xml(&hostname, port, n, ITEMS);
                    respond(
                        &mut stream,
                        "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nETag: \"v1\"\r\n",
                        body.as_bytes(),
                    )
                }
            }
            ["page", n, i] => {
                seen.pages.fetch_add(1, Ordering::Relaxed);
                let (n, i): (usize, usize) = (n.parse().unwrap_or(0), i.parse().unwrap_or(0));
                let synthetic;
                let body = if pages.is_empty() {
                    synthetic = synthetic_page(n, i);
                    &synthetic
                } else {
                    &pages[(n * ITEMS + i) % pages.len()]
                };
                respond(
                    &mut stream,
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n",
                    body,
                )
            }
            _ => respond(&mut stream, "HTTP/1.1 404 Not Found\r\n", b""),
        };
        seen.end(&hostname);
        if !ok {
            return;
        }
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn politeness(hosts: &[HostSeen]) -> String {
    let min_gap = hosts.iter().filter_map(|h| h.min_gap).min();
    let max_in = hosts.iter().map(|h| h.max_in_flight).max().unwrap_or(0);
    format!(
        "{} hosts, shortest gap on one host {:.1} ms, most in flight on one host {max_in}",
        hosts.len(),
        min_gap.map_or(0.0, |g| g.as_secs_f64() * 1000.0)
    )
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "../shared/data/extraction/dev/html".into());
    let first_rounds: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(3);
    let nochange_rounds: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(5);
    let fixed = args.get(4).is_some_and(|a| a == "fixed");

    let pages: Vec<Vec<u8>> = if dir == "-" {
        Vec::new()
    } else {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "html" || x == "htm"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|p| std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
            .collect()
    };
    let page_bytes: usize = pages.iter().map(Vec::len).sum();
    let pages = Arc::new(pages);

    let listener = TcpListener::bind("0.0.0.0:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let seen = Arc::new(Seen::default());
    {
        let (seen, pages) = (seen.clone(), pages.clone());
        std::thread::spawn(move || {
            for s in listener.incoming().flatten() {
                let (seen, pages) = (seen.clone(), pages.clone());
                std::thread::spawn(move || handle(s, seen, pages));
            }
        });
    }

    let tmp = tempfile::tempdir().expect("tempdir");
    // Default politeness: only what loopback needs, and a database per round.
    let mut feeds = String::new();
    for n in 0..FEEDS {
        feeds.push_str(&format!(
            "\n[[feed]]\nname = \"feed {n}\"\nurl = \"http://{}:{port}/feed/{n}\"\n",
            host_of(n)
        ));
    }
    let politeness_keys = if fixed {
        "adaptive_pacing = false\nmin_host_interval = \"1s\"\nrobots_txt = false\n"
    } else {
        ""
    };
    let bin = binary();
    println!(
        "{FEEDS} feeds x {ITEMS} items on {HOSTS} hosts; pages: {} ({} files, {:.0} KB average); politeness: {}",
        if pages.is_empty() { "synthetic" } else { &dir },
        pages.len(),
        page_bytes as f64 / pages.len().max(1) as f64 / 1024.0,
        if fixed {
            "fixed 1 s gap (before issue 17)"
        } else {
            "defaults"
        }
    );

    let mut firsts = Vec::new();
    let mut nochanges = Vec::new();
    for r in 0..first_rounds {
        let round = tmp.path().join(format!("r{r}"));
        std::fs::create_dir_all(&round).expect("round dir");
        let config = round.join("feeds.toml");
        std::fs::write(
            &config,
            format!(
                "[settings]\ndatabase = \"bench.db\"\nallow_private_networks = true\n{politeness_keys}{feeds}"
            ),
        )
        .expect("config");
        let before = seen.pages.load(Ordering::Relaxed);
        let run = run_child(&bin, &config);
        assert!(run.success, "first run failed");
        let fetched = seen.pages.load(Ordering::Relaxed) - before;
        println!(
            "first run {}: wall {:.2}s, {fetched} pages, peak RSS {} MB; {}",
            r + 1,
            run.wall.as_secs_f64(),
            run.peak_rss_kb / 1024,
            politeness(&seen.reset_hosts())
        );
        assert_eq!(fetched, FEEDS * ITEMS, "every page fetched once");
        firsts.push(run.wall);
        // The no-change passes run on the last round's database.
        if r + 1 == first_rounds {
            for k in 0..nochange_rounds {
                let before = (
                    seen.feed_200.load(Ordering::Relaxed),
                    seen.feed_304.load(Ordering::Relaxed),
                    seen.pages.load(Ordering::Relaxed),
                );
                let run = run_child(&bin, &config);
                assert!(run.success, "no-change run failed");
                let after = (
                    seen.feed_200.load(Ordering::Relaxed),
                    seen.feed_304.load(Ordering::Relaxed),
                    seen.pages.load(Ordering::Relaxed),
                );
                let d = (after.0 - before.0, after.1 - before.1, after.2 - before.2);
                println!(
                    "no-change run {}: wall {:.3}s, {} conditional -> 304, {} full, {} pages; {}",
                    k + 1,
                    run.wall.as_secs_f64(),
                    d.1,
                    d.0,
                    d.2,
                    politeness(&seen.reset_hosts())
                );
                assert_eq!(d, (0, FEEDS, 0), "one conditional request per feed");
                nochanges.push(run.wall);
            }
        }
    }
    println!(
        "RESULT politeness={} first_run_median={:.2}s (of {}) no_change_median={:.3}s (of {}) robots_fetches={} | peer: first run 41-59 s, no-change 0.5 s; feedbrief before issue 17: 250 s, 12 s",
        if fixed { "fixed-1s" } else { "default" },
        median(firsts).as_secs_f64(),
        first_rounds,
        if nochanges.is_empty() {
            0.0
        } else {
            median(nochanges).as_secs_f64()
        },
        nochange_rounds,
        seen.robots.load(Ordering::Relaxed)
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

fn run_child(bin: &Path, config: &Path) -> child::ChildRun {
    let dir = config.parent().expect("config dir");
    let cfg = config.to_string_lossy();
    child::run(bin, dir, &["--config", &cfg, "run", "--all", "--quiet"])
}
