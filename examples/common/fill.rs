//! Fill a benchmark database: items with 300-word article texts, three-sentence
//! summaries and disclosures; word frequencies follow Zipf's law over a 20,000-word
//! vocabulary, as real text does.

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, Utc};
use feedbrief::config::FeedConfig;
use feedbrief::model::{Article, Basis, Extraction, Item, Summary};
use feedbrief::store::Store;

/// Vocabulary size; word frequencies follow Zipf's law (word r has weight 1/r), as in
/// real text, so a query word matches a realistic share of the documents.
const VOCAB: usize = 20_000;
const SYLLABLES: &[&str] = &[
    "ka", "ro", "mi", "ten", "sa", "lu", "vor", "en", "di", "pa", "gri", "no", "shu", "bel", "ta",
    "re", "mon", "qui", "za", "fel", "o", "an", "dre", "li",
];

/// The r-th most frequent word (r from 1): distinct pseudo-words.
pub fn word(r: usize) -> String {
    let mut w = String::new();
    let mut x = r;
    loop {
        w.push_str(SYLLABLES[x % SYLLABLES.len()]);
        x /= SYLLABLES.len();
        if x == 0 {
            break;
        }
    }
    w
}

fn text(seed: usize, words: usize) -> String {
    let mut s = String::new();
    let mut x = (seed as u64).wrapping_mul(2_654_435_761) | 1;
    for i in 0..words {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let u = (x >> 11) as f64 / (1u64 << 53) as f64;
        // Inverse CDF of a log-uniform rank: P(rank <= r) ~ ln r / ln V (Zipf, s = 1).
        let r = ((VOCAB as f64).powf(u) as usize).clamp(1, VOCAB);
        s.push_str(&word(r));
        s.push(if i % 12 == 11 { '.' } else { ' ' });
        if i % 12 == 11 {
            s.push(' ');
        }
    }
    s
}

/// A database `bench-{n}.db` (and its `feeds-{n}.toml`) of `n` items over 20 feeds,
/// published evenly over `days` days from `start`; each chunk of 1,000 items is first
/// stored when its first item was published (as a run would have found them).
pub fn build(dir: &Path, n: usize, start: DateTime<Utc>, days: i64) -> PathBuf {
    let db = dir.join(format!("bench-{n}.db"));
    let feeds: Vec<FeedConfig> = (0..20)
        .map(|i| {
            let mut f = FeedConfig::new(
                format!("feed {i}"),
                url::Url::parse(&format!("https://f{i}.example/rss")).unwrap(),
            );
            f.tags = vec![["world", "tech", "science", "business"][i % 4].to_string()];
            f
        })
        .collect();
    let mut cfg = String::from("[settings]\ndatabase = \"DB\"\n");
    for f in &feeds {
        cfg.push_str(&format!(
            "\n[[feed]]\nname = \"{}\"\nurl = \"{}\"\ntags = [\"{}\"]\n",
            f.name, f.url, f.tags[0]
        ));
    }
    std::fs::write(
        dir.join(format!("feeds-{n}.toml")),
        cfg.replace("DB", db.file_name().unwrap().to_str().unwrap()),
    )
    .unwrap();
    let store = Store::open(&db).unwrap();
    store.sync_feeds(&feeds).unwrap();
    let states = store.feed_states().unwrap();
    let t = Instant::now();
    let published = |i: usize| {
        // Items spread evenly over the days.
        start + chrono::Duration::seconds((i as i64 * 86_400 * days) / n as i64)
    };
    for chunk in 0..n.div_ceil(1000) {
        let feed = &states[chunk % states.len()];
        let items: Vec<Item> = (chunk * 1000..((chunk + 1) * 1000).min(n))
            .map(|i| Item {
                key: format!("item-{i}"),
                guid: Some(format!("item-{i}")),
                link: Some(format!("https://f.example/story/{i}")),
                title: Some(format!(
                    "Story {i}: {}",
                    text(i + 7_777_777, 8).trim_end_matches('.')
                )),
                published: Some(published(i)),
                ..Item::default()
            })
            .collect();
        let ids = store
            .upsert_items(feed.id, &items, published(chunk * 1000))
            .unwrap();
        for (id, item) in ids.iter().zip(&items) {
            let body = text(*id as usize, 300);
            let article = Article {
                url: item.link.clone().unwrap(),
                title: item.title.clone(),
                text: body.clone(),
                extraction: Extraction {
                    method: "scored".into(),
                    word_count: 300,
                    basis: Basis::FullText,
                    note: None,
                },
                ..Article::default()
            };
            let summary = Summary {
                sentences: body.split(". ").take(3).map(|s| format!("{s}.")).collect(),
                generated_at: published(chunk * 1000),
                ..Summary::default()
            };
            let d = feedbrief::disclose::label(&article, &summary, item, &feed.url);
            store.save_result(*id, &article, &summary, &d).unwrap();
        }
    }
    eprintln!("built {n} items in {:.1}s", t.elapsed().as_secs_f64());
    db
}
