//! Digest memory benchmark (issue 11): a store of N items (default 100,000) first
//! stored over the last D days (default 30), then `digest --since {D+1}d` in every
//! format, reporting wall time, output size and the child's peak RSS. Extra arguments
//! name other feedbrief binaries to measure on the same database (a baseline build).
//!
//!     cargo build --release --examples
//!     target/release/examples/bench_digest [ITEMS] [DAYS] [OTHER_FEEDBRIEF_BINARY...]

use std::path::{Path, PathBuf};

use chrono::{Duration, Utc};

#[path = "common/child.rs"]
mod child;
#[path = "common/fill.rs"]
mod fill;

const FORMATS: [&str; 5] = ["markdown", "html", "json", "atom", "jsonfeed"];

fn sibling_bin() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.parent()
        .and_then(|p| p.parent())
        .unwrap()
        .join("feedbrief")
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let days: i64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(30);
    let mut bins = vec![sibling_bin()];
    bins.extend(args.iter().skip(3).map(PathBuf::from));
    for b in &bins {
        assert!(b.exists(), "{}: build it first", b.display());
    }
    let dir = tempfile::tempdir().unwrap();
    fill::build(dir.path(), n, Utc::now() - Duration::days(days), days);
    let since = format!("{}d", days + 1);
    for bin in &bins {
        measure(bin, dir.path(), n, &since);
    }
}

fn measure(bin: &Path, dir: &Path, n: usize, since: &str) {
    let cfg = format!("feeds-{n}.toml");
    println!("{}", bin.display());
    for fmt in FORMATS {
        let r = child::run(
            bin,
            dir,
            &[
                "--config", &cfg, "digest", "--since", since, "--format", fmt,
            ],
        );
        assert!(r.success, "{fmt} failed");
        println!(
            "  digest --since {since} of {n} items as {fmt:<8}: {:6.2} s, {:5} MB out, peak RSS {:4} MB",
            r.wall.as_secs_f64(),
            r.stdout_bytes / (1024 * 1024),
            r.peak_rss_kb / 1024
        );
    }
}
