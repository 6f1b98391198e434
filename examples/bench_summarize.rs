//! Extractive summaries per second on a JSONL file of `{"id","text","title"?,"lang"?}`
//! lines (e.g. the dev pairs), on one thread; median of several rounds.
//!
//!     cargo run --release --example bench_summarize -- ../shared/data/summaries/pairs.jsonl [ROUNDS] [detect]
//!
//! With `detect`, the `lang` fields are ignored and every language is detected.
//! Pin it to one core with `taskset -c 0` for comparable figures.

use std::io::BufRead;
use std::time::Instant;

use feedbrief::model::SummaryInput;
use feedbrief::summarize::{ExtractiveOptions, extractive};

struct Doc {
    text: String,
    title: Option<String>,
    lang: Option<String>,
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "../shared/data/summaries/pairs.jsonl".to_string());
    let rounds: usize = args.next().map(|r| r.parse()).transpose()?.unwrap_or(5);
    let detect = args.next().as_deref() == Some("detect");
    let file = std::fs::File::open(&path)?;
    let mut docs = Vec::new();
    for line in std::io::BufReader::new(file).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line)?;
        docs.push(Doc {
            text: v["text"].as_str().unwrap_or_default().to_string(),
            title: v["title"].as_str().map(str::to_string),
            lang: v["lang"].as_str().filter(|_| !detect).map(str::to_string),
        });
    }
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let opts = ExtractiveOptions::default();
    let mut rates = Vec::with_capacity(rounds);
    let mut sentences = 0usize;
    for round in 0..rounds.max(1) {
        let start = Instant::now();
        let mut n = 0usize;
        for d in &docs {
            let s = extractive(
                SummaryInput {
                    text: &d.text,
                    title: d.title.as_deref(),
                    lang: d.lang.as_deref(),
                },
                &opts,
            );
            n += s.sentences.len();
        }
        let secs = start.elapsed().as_secs_f64();
        sentences = n;
        let rate = docs.len() as f64 / secs;
        eprintln!("round {round}: {secs:.3}s, {rate:.0} articles/s");
        rates.push(rate);
    }
    rates.sort_by(f64::total_cmp);
    let median = rates[rates.len() / 2];
    println!(
        "extractive{}: {} articles ({:.1} MB), {} rounds, median {:.0} articles/s ({:.1} MB/s), {} summary sentences per round",
        if detect { " (languages detected)" } else { "" },
        docs.len(),
        bytes as f64 / 1e6,
        rates.len(),
        median,
        median * bytes as f64 / docs.len() as f64 / 1e6,
        sentences
    );
    Ok(())
}
