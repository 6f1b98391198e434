//! Store benchmark (issue 7): builds a database of N items (default 100,000) spread
//! over 100 days, then measures with the real binary:
//! - `query` median latency (goal < 50 ms), several different queries;
//! - one day's `digest` (goal < 1 s), markdown and html;
//! - `export` throughput (items/s) and peak RSS, at N/10 and N items (goal: RSS
//!   constant in the number of items).
//!
//!     cargo build --release && cargo run --release --example bench_store -- [ITEMS] [ROUNDS]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};

#[path = "common/child.rs"]
mod child;
#[path = "common/fill.rs"]
mod fill;
use feedbrief::store::Store;
use fill::{build, word};

fn bin() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.parent()
        .and_then(|p| p.parent())
        .unwrap()
        .join("feedbrief")
}

/// Run the binary; return (wall time, peak RSS KiB, stdout bytes).
fn run(dir: &Path, args: &[&str]) -> (Duration, u64, usize) {
    let r = child::run(&bin(), dir, args);
    assert!(r.success, "{args:?} failed");
    (r.wall, r.peak_rss_kb, r.stdout_bytes)
}

/// The FTS5 form of a benchmark query (for counting matches only).
fn fts(q: &str) -> String {
    q.split_whitespace()
        .map(|w| {
            if w == "OR" {
                w.to_string()
            } else if let Some(p) = w.strip_suffix('*') {
                format!("\"{p}\"*")
            } else {
                format!("\"{w}\"")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let rounds: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(7);
    assert!(bin().exists(), "cargo build --release first");
    let dir = tempfile::tempdir().unwrap();
    if let Ok(keep) = std::env::var("BENCH_KEEP") {
        // Keep the databases for a closer look (e.g. under a profiler).
        let dir = dir.keep();
        std::fs::write(keep, dir.display().to_string()).unwrap();
        return main_in(&dir, n, rounds);
    }
    main_in(dir.path(), n, rounds)
}

fn main_in(dir: &Path, n: usize, rounds: usize) {
    let start = Utc.with_ymd_and_hms(2026, 8, 20, 0, 0, 0).unwrap();
    build(dir, n / 10, start, 100);
    build(dir, n, start, 100);
    let cfg_big = format!("feeds-{n}.toml");
    let cfg_small = format!("feeds-{}.toml", n / 10);

    // In-process query latency (the store's own cost, no process start).
    let store = Store::open(&dir.join(format!("bench-{n}.db"))).unwrap();
    // Words of different frequency ranks: very common (rank 3), common (30), mid (300),
    // rare (3000); a two-word AND, an OR and a prefix.
    let (w3, w30, w300, w3000) = (word(3), word(30), word(300), word(3000));
    let q = [
        w3.clone(),
        w30.clone(),
        w300.clone(),
        w3000.clone(),
        format!("{w30} {w300}"),
        format!("{w300} OR {w3000}"),
        format!("{}*", &w300[..w300.len().min(4)]),
    ];
    let queries: Vec<&str> = q.iter().map(String::as_str).collect();
    let mut inproc = Vec::new();
    for _ in 0..rounds {
        for q in &queries {
            let t = Instant::now();
            let hits = store
                .search(
                    q,
                    &feedbrief::store::EntryQuery {
                        limit: Some(20),
                        ..Default::default()
                    },
                )
                .unwrap();
            inproc.push(t.elapsed());
            assert!(!hits.is_empty(), "{q}");
        }
    }
    // Per query, for the record: how many documents match, and the median latency.
    for q in &queries {
        let matches: i64 = rusqlite::Connection::open(dir.join(format!("bench-{n}.db")))
            .unwrap()
            .query_row(
                "SELECT COUNT(*) FROM search WHERE search MATCH ?1",
                [fts(q)],
                |r| r.get(0),
            )
            .unwrap_or(-1);
        let mut t = Vec::new();
        for _ in 0..rounds {
            let s = Instant::now();
            store
                .search(
                    q,
                    &feedbrief::store::EntryQuery {
                        limit: Some(20),
                        ..Default::default()
                    },
                )
                .unwrap();
            t.push(s.elapsed());
        }
        println!(
            "  query {q:?}: {matches} matching documents, median {:.1} ms",
            median(t).as_secs_f64() * 1e3
        );
    }
    // The command as a user runs it (process start, open, migrate check, search, print).
    let mut cli = Vec::new();
    for _ in 0..rounds {
        for q in &queries {
            let (w, _, _) = run(dir, &["--config", &cfg_big, "query", q]);
            cli.push(w);
        }
    }
    println!(
        "query over {n} items: median {:.1} ms in-process, {:.1} ms as a command (goal < 50 ms)",
        median(inproc).as_secs_f64() * 1e3,
        median(cli).as_secs_f64() * 1e3
    );

    // One day's digest: ~n/100 items.
    for fmt in ["markdown", "html"] {
        let mut w = Vec::new();
        let mut size = 0;
        for _ in 0..rounds {
            let (t, _, b) = run(
                dir,
                &[
                    "--config",
                    &cfg_big,
                    "digest",
                    "--date",
                    "2026-10-01",
                    "--format",
                    fmt,
                ],
            );
            w.push(t);
            size = b;
        }
        println!(
            "digest of one day ({} items) as {fmt}: median {:.0} ms, {} KB (goal < 1 s)",
            n / 100,
            median(w).as_secs_f64() * 1e3,
            size / 1024
        );
    }

    // Export throughput and peak RSS at n/10 and n items.
    for (cfg, items) in [(&cfg_small, n / 10), (&cfg_big, n)] {
        for fmt in ["jsonl", "csv", "atom"] {
            let mut w = Vec::new();
            let mut rss = Vec::new();
            let mut size = 0;
            for _ in 0..3 {
                let (t, r, b) = run(dir, &["--config", cfg, "export", "--format", fmt]);
                w.push(t);
                rss.push(Duration::from_micros(r));
                size = b;
            }
            let t = median(w);
            println!(
                "export {fmt} of {items} items: median {:.2} s, {:.0} items/s, {} MB out, peak RSS {} MB",
                t.as_secs_f64(),
                items as f64 / t.as_secs_f64(),
                size / (1024 * 1024),
                median(rss).as_micros() / 1024
            );
        }
    }
}
