//! Speed benchmark: pages per CPU-second for feedbrief's extractor, for a bare
//! `scraper::Html::parse_document` of the same pages, and for dom_smoothie (a Rust
//! readability port), all in one run, medians over several rounds, and the ratios.
//!
//!     cargo run --release --example bench_extract -- DIR [--rounds N]
//!
//! DIR holds `*.html` pages (e.g. the shared dev set's `html/`). The three measurements
//! are interleaved within each round so that load on the machine affects them alike.

use std::path::PathBuf;
use std::time::Duration;

use feedbrief::extract::{self, ExtractOptions, SiteRules};

/// CPU time of this thread: the machine is shared, so wall time would measure the
/// neighbours too.
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec through a valid pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut dir: Option<PathBuf> = None;
    let mut rounds = 5usize;
    while let Some(a) = args.next() {
        if a == "--rounds" {
            rounds = args.next().ok_or("--rounds needs a number")?.parse()?;
        } else {
            dir = Some(PathBuf::from(a));
        }
    }
    let dir = dir.ok_or("usage: bench_extract DIR [--rounds N]")?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    files.sort();
    let pages: Vec<Vec<u8>> = files.iter().map(std::fs::read).collect::<Result<_, _>>()?;
    // dom_smoothie and scraper take text; decoding is part of our own timing only.
    let texts: Vec<String> = pages
        .iter()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    let url = url::Url::parse("https://example.com/news/story.html")?;
    let rules = SiteRules::default();
    let opts = ExtractOptions {
        selector: None,
        rules: &rules,
        content_type: None,
    };
    let n = pages.len() as f64;
    let bytes: usize = pages.iter().map(Vec::len).sum();
    println!(
        "{} pages, {:.1} MB, {rounds} rounds (CPU time of one thread)",
        pages.len(),
        bytes as f64 / 1e6
    );

    let (mut ours, mut parse, mut smoothie) = (Vec::new(), Vec::new(), Vec::new());
    let mut words = 0usize;
    for _ in 0..rounds {
        let t = thread_cpu();
        for p in &pages {
            if let Ok(a) = extract::article(p, &url, &opts) {
                words += a.extraction.word_count;
            }
        }
        ours.push(n / (thread_cpu() - t).as_secs_f64());

        let t = thread_cpu();
        for s in &texts {
            let doc = scraper::Html::parse_document(s);
            words += doc.tree.values().len() & 1;
        }
        parse.push(n / (thread_cpu() - t).as_secs_f64());

        let t = thread_cpu();
        for s in &texts {
            let cfg = dom_smoothie::Config {
                text_mode: dom_smoothie::TextMode::Formatted,
                ..Default::default()
            };
            if let Ok(mut r) =
                dom_smoothie::Readability::new(s.as_str(), Some(url.as_str()), Some(cfg))
                && let Ok(a) = r.parse()
            {
                words += a.text_content.len() & 1;
            }
        }
        smoothie.push(n / (thread_cpu() - t).as_secs_f64());
    }
    let (o, p, s) = (median(ours), median(parse), median(smoothie));
    println!("feedbrief extract      {o:8.1} pages/s");
    println!("scraper parse only     {p:8.1} pages/s");
    println!("dom_smoothie           {s:8.1} pages/s");
    println!("extract / dom_smoothie {:8.2}x  (goal >= 1.5)", o / s);
    println!("extract time / parse   {:8.2}x  (goal <= 2.0)", p / o);
    // Keeps the work observable so it is not optimised away.
    eprintln!("checksum {words}");
    Ok(())
}
