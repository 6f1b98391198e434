//! Story clustering benchmark (issue 13): one core, 100,000 stories already seen (their
//! articles at 100,000 a year, so the 60-day window holds about a sixth of them),
//! then N more articles timed (half copies of a recent article from another outlet, half
//! new stories). Prints articles/s, what is held open, and the process's peak RSS.
//!
//!     cargo build --release --examples
//!     target/release/examples/bench_cluster [SEEN_STORIES] [TIMED_ARTICLES]
//!
//! Defaults: 100,000 seen, 20,000 timed. Articles are synthetic (Zipf-distributed words,
//! names and numbers, about 300 words each), generated before timing starts.

use std::time::Instant;

use feedbrief::cluster::{ArticleIn, Clusterer, Params};

/// xorshift64*: a fixed sequence, so every run measures the same articles.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// Roughly Zipf over 0..n: small indices far more often.
    fn zipf(&mut self, n: u64) -> u64 {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n as f64).powf(u) as u64).saturating_sub(1).min(n - 1)
    }
}

fn word(i: u64) -> String {
    const SYL: [&str; 16] = [
        "ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "bi", "da", "fe", "gu", "ho", "ji", "pe",
        "zo",
    ];
    let mut w = String::new();
    let mut i = i + 16;
    while i > 0 {
        w.push_str(SYL[(i % 16) as usize]);
        i /= 16;
    }
    w
}

struct Synth {
    title: String,
    text: String,
    published: i64,
    source: String,
}

fn article(rng: &mut Rng, published: i64) -> Synth {
    let mut text = String::new();
    for s in 0..15 {
        for k in 0..20 {
            // About one word in ten a name, one in thirty a number (small ones common).
            let r = rng.next() % 30;
            let w = if r < 3 {
                let mut n = word(rng.zipf(200_000));
                n[..1].make_ascii_uppercase();
                n
            } else if r == 3 && k > 0 {
                rng.zipf(3000).to_string()
            } else {
                word(rng.zipf(50_000))
            };
            text.push_str(&w);
            text.push(' ');
        }
        text.push_str(if s % 5 == 4 { ".\n" } else { ". " });
    }
    let title = (0..8)
        .map(|_| word(rng.zipf(50_000)))
        .collect::<Vec<_>>()
        .join(" ");
    Synth {
        title,
        text,
        published,
        source: format!("outlet{}.example", rng.next() % 700),
    }
}

fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn input(a: &Synth) -> ArticleIn<'_> {
    ArticleIn {
        source: &a.source,
        lang: Some("en"),
        published: a.published,
        title: &a.title,
        text: &a.text,
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let seen: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let timed: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let year = 365 * 86_400i64;
    // A fixed rate (100,000 a year, about 270 a day), so a longer history adds only
    // closed stories: what the window holds stays the same.
    let step = year / 100_000;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut clusterer = Clusterer::new(Params::default(), 1);

    // The history: made and clustered in chunks so it never sits in memory at once,
    // until `seen` stories exist (story ids count up from 1).
    let started = Instant::now();
    let mut t = 1_600_000_000i64;
    let (mut articles, mut stories_seen) = (0usize, 0u64);
    while stories_seen < seen as u64 {
        let chunk: Vec<Synth> = (0..1000)
            .map(|_| {
                t += step;
                article(&mut rng, t)
            })
            .collect();
        for a in &chunk {
            stories_seen = stories_seen.max(clusterer.assign(&input(a)));
        }
        articles += chunk.len();
    }
    let history_secs = started.elapsed().as_secs_f64();

    // The timed articles, generated first: half copies of a recent one (syndicated).
    let mut batch: Vec<Synth> = Vec::with_capacity(timed);
    for i in 0..timed {
        t += step;
        if i % 2 == 1 {
            let prev = &batch[i - 1];
            batch.push(Synth {
                title: prev.title.clone(),
                text: prev.text.clone(),
                published: t,
                source: format!("copy{}.example", i % 50),
            });
        } else {
            batch.push(article(&mut rng, t));
        }
    }
    let start = Instant::now();
    let mut stories = std::collections::BTreeSet::new();
    for a in &batch {
        stories.insert(clusterer.assign(&input(a)));
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "history: {stories_seen} stories ({articles} articles) seen in {history_secs:.1} s ({:.0} articles/s)",
        articles as f64 / history_secs
    );
    println!(
        "timed: {timed} articles in {secs:.2} s = {:.0} articles/s on one core; {} stories",
        timed as f64 / secs,
        stories.len()
    );
    println!(
        "held open: {} articles, {} stories (window {} days); peak RSS {} MB",
        clusterer.open_articles(),
        clusterer.open_stories(),
        clusterer.params().window_secs / 86_400,
        peak_rss_kb().map_or("?".into(), |k| (k / 1024).to_string())
    );
}
