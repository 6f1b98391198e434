//! Parse + normalize throughput (`feed::parse`) against raw feed-rs on the same files in
//! the same run. Usage:
//!
//!     cargo run --release --example parse_bench -- ../shared/data/feeds [ROUNDS] [ours|raw]
//!
//! Every file under the folder (except `.md`/`.jsonl`) is read into memory first; each
//! round parses every document with both, one right after the other (alternating which
//! goes first), summing the time per side. Prints the median MB/s of each over the
//! rounds, their ratio, and the median of the per-round ratios.
//!
//! With `ours` or `raw` as third argument only that side runs, ROUNDS times, without warm-up:
//! for instruction counts under `valgrind --tool=callgrind`, which are stable on a
//! shared machine where wall-clock times are not.

use std::path::{Path, PathBuf};
use std::time::Instant;

use feedbrief::feed::{self, FeedContext};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if !matches!(p.extension().and_then(|e| e.to_str()), Some("md" | "jsonl")) {
            out.push(p);
        }
    }
}

/// Raw feed-rs on the same bytes, as the pipeline used it before normalization: the
/// baseline the parse benchmark compares against. The library does not use it.
fn parse_raw_feed_rs(bytes: &[u8], base: Option<&url::Url>) -> Option<usize> {
    std::panic::catch_unwind(|| {
        feed_rs::parser::Builder::new()
            .base_uri(base.map(|u| u.as_str()))
            .build()
            .parse(bytes)
            .ok()
            .map(|f| f.entries.len())
    })
    .ok()
    .flatten()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "../shared/data/feeds".into()));
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(7);
    let only = args.next();
    let mut files = Vec::new();
    walk(&dir, &mut files);
    files.sort();
    let docs: Vec<Vec<u8>> = files.iter().filter_map(|f| std::fs::read(f).ok()).collect();
    let total: usize = docs.iter().map(Vec::len).sum();
    let mb = total as f64 / 1e6;
    let base = url::Url::parse("https://example.com/feed.xml").ok();
    let ctx = FeedContext {
        base_url: base.as_ref(),
        ..Default::default()
    };
    println!("{} files, {:.2} MB, {} rounds", docs.len(), mb, rounds);

    let run_raw = || {
        let t = Instant::now();
        let mut entries = 0;
        for d in &docs {
            entries += parse_raw_feed_rs(d, base.as_ref()).unwrap_or(0);
        }
        (t.elapsed().as_secs_f64(), entries)
    };
    let run_ours = || {
        let t = Instant::now();
        let mut entries = 0;
        for d in &docs {
            entries += feed::parse(d, &ctx).map(|f| f.items.len()).unwrap_or(0);
        }
        (t.elapsed().as_secs_f64(), entries)
    };
    // A silent panic hook: raw feed-rs panics on some documents (caught, counted as 0).
    std::panic::set_hook(Box::new(|_| {}));
    match only.as_deref() {
        Some("ours") => {
            for _ in 0..rounds {
                let (t, n) = run_ours();
                println!("feed::parse (ours): {:.1} MB/s ({n} entries)", mb / t);
            }
            return;
        }
        Some("raw") => {
            for _ in 0..rounds {
                let (t, n) = run_raw();
                println!("raw feed-rs: {:.1} MB/s ({n} entries)", mb / t);
            }
            return;
        }
        _ => {}
    }
    // Warm-up (page cache, allocator).
    let _ = (run_raw(), run_ours());
    // Each round times both on every document, one right after the other (alternating
    // which goes first), and sums per side: on a shared machine a burst of load then
    // slows both sides alike instead of whichever round it fell in.
    let (mut raw, mut ours, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    let (mut raw_entries, mut our_entries) = (0, 0);
    for r in 0..rounds {
        let (mut t_raw, mut t_ours) = (0.0, 0.0);
        (raw_entries, our_entries) = (0, 0);
        for (i, d) in docs.iter().enumerate() {
            let time_raw = |n: &mut usize| {
                let t = Instant::now();
                *n += parse_raw_feed_rs(d, base.as_ref()).unwrap_or(0);
                t.elapsed().as_secs_f64()
            };
            let time_ours = |n: &mut usize| {
                let t = Instant::now();
                *n += feed::parse(d, &ctx).map(|f| f.items.len()).unwrap_or(0);
                t.elapsed().as_secs_f64()
            };
            if (i + r) % 2 == 0 {
                t_raw += time_raw(&mut raw_entries);
                t_ours += time_ours(&mut our_entries);
            } else {
                t_ours += time_ours(&mut our_entries);
                t_raw += time_raw(&mut raw_entries);
            }
        }
        raw.push(mb / t_raw);
        ours.push(mb / t_ours);
        ratios.push(t_raw / t_ours);
    }
    let (r, o) = (median(raw), median(ours));
    println!("raw feed-rs:            {r:8.1} MB/s  ({raw_entries} entries)");
    println!("feed::parse (ours):     {o:8.1} MB/s  ({our_entries} entries)");
    println!("ratio ours / raw:       {:8.2}  (of the medians)", o / r);
    println!("median per-round ratio: {:8.2}", median(ratios));
}
