//! Story clustering: each new article joins an open story or starts one, one article at
//! a time in `published` order, so ingest never re-clusters history. Pure and
//! deterministic (no I/O, no clock, no hash-map order); memory is bounded by the window.
//!
//! The method (`METHOD_VERSION`): an article is a TF-IDF vector over its title (counted
//! twice) and lead, less the lines its source repeats on every page (boilerplate), names
//! (capitalised words and pairs of them) and numbers weighing `ENTITY_BOOST` times a
//! common word, with document frequencies learnt as articles arrive (hashed, fixed
//! size). It is scored against every story with a member published within the window:
//! the average over those members of the cosine, less `AGE_PENALTY` per log-day apart
//! and `SAME_SOURCE_PENALTY` for the same outlet (average link), found through an inverted index of the open articles. The best story
//! at or above the threshold takes it; otherwise it starts a story.

pub mod features;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};

use features::{LEAD_CHARS, Token, Tokenizer};

/// Bumped whenever a change would assign different stories, so stored stories made by
/// an older method can be told apart and reclustered.
pub const METHOD_VERSION: u32 = 1;

/// How long a story stays open after its last member, by default: follow-ups (an
/// arrest, a charge, a name released) come weeks after the first report.
pub const DEFAULT_WINDOW_SECS: i64 = 60 * 86_400;
/// The average cosine an article needs to join a story, by default.
pub const DEFAULT_THRESHOLD: f32 = 0.12;

/// A name or number is rarer evidence than a common word: it weighs this much more.
const ENTITY_BOOST: f32 = 2.0;
/// Each day between two articles costs this much similarity per log-day: a follow-up
/// weeks later needs to match more closely than a same-day report.
const AGE_PENALTY: f32 = 0.03;
/// An outlet seldom files two reports of one event: a pair from the same source needs
/// this much more similarity (its shared house style and page furniture are not news).
const SAME_SOURCE_PENALTY: f32 = 0.06;
/// The title says what the story is: its tokens count this many times.
const TITLE_WEIGHT: f32 = 2.0;
/// An article keeps only its strongest terms: the rest add time, not evidence.
const MAX_TERMS: usize = 200;
/// Hashed document-frequency table (2^20 counters, 4 MB): bounded whatever the history.
const DF_BITS: u32 = 20;

/// Hashed table of a source's repeated lines (2^20 one-byte counters).
const LINE_BITS: u32 = 20;
/// A line a source has printed in this many earlier articles is its boilerplate (a
/// sign-up box, a site name in the title), not the story. Two, not one, so a source
/// re-publishing its own article still matches it.
const BOILERPLATE_SEEN: u8 = 2;

/// The title and text without the source's own boilerplate: lines (and title parts
/// between " - " or " | ") it has already printed in `BOILERPLATE_SEEN` earlier
/// articles. Otherwise two stories from one site match on its page furniture.
fn strip_boilerplate(table: &mut [u8], a: &ArticleIn<'_>) -> (String, String) {
    let mask = (1u64 << LINE_BITS) - 1;
    let mut seen = Vec::new();
    let mut keep = |part: &str, kind: u8, out: &mut String| {
        let part = part.trim();
        if part.is_empty() {
            return;
        }
        let mut key = Vec::with_capacity(a.source.len() + part.len() + 2);
        key.extend_from_slice(a.source.as_bytes());
        key.push(kind);
        key.extend_from_slice(part.as_bytes());
        let slot = (features::hash(&key) & mask) as usize;
        if !seen.contains(&slot) {
            seen.push(slot);
        }
        if table[slot] < BOILERPLATE_SEEN {
            out.push_str(part);
            out.push('\n');
        }
    };
    let mut title = String::new();
    for part in a
        .title
        .split([' ', '\u{a0}'])
        .collect::<Vec<_>>()
        .join(" ")
        .split(" - ")
        .flat_map(|p| p.split(" | "))
    {
        keep(part, 0, &mut title);
    }
    let mut text = String::new();
    for line in a.text.lines() {
        if text.len() >= LEAD_CHARS * 2 {
            break;
        }
        keep(line, 1, &mut text);
    }
    for slot in seen {
        table[slot] = table[slot].saturating_add(1);
    }
    (title, text)
}

/// How many of an article's strongest terms the inverted index holds and queries.
const INDEX_TERMS: usize = 24;

/// A candidate whose strongest shared terms give at least this cosine is scored on
/// all its terms; below it, those terms' part is its score.
const EXACT_FROM: f32 = 0.03;

/// The strongest `INDEX_TERMS` terms of a vector (ties by term, so it is repeatable).
fn keys_of(terms: &[(u32, f32)]) -> Vec<(u32, f32)> {
    let mut by_weight = terms.to_vec();
    by_weight.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    by_weight.truncate(INDEX_TERMS);
    by_weight
}

/// Terms are hashes already: hashing them again is wasted time.
#[derive(Default)]
struct TermHasher(u64);

impl Hasher for TermHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u32(&mut self, n: u32) {
        // Spread the bits the table's bucket index reads.
        self.0 = u64::from(n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// What the clusterer reads of an article.
#[derive(Debug, Clone, Copy)]
pub struct ArticleIn<'a> {
    pub source: &'a str,
    pub lang: Option<&'a str>,
    /// Seconds since the Unix epoch.
    pub published: i64,
    pub title: &'a str,
    pub text: &'a str,
}

/// Tunable settings (few, general).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// A story closes this long after its last member's publication.
    pub window_secs: i64,
    /// Minimum average cosine to join a story.
    pub threshold: f32,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            window_secs: DEFAULT_WINDOW_SECS,
            threshold: DEFAULT_THRESHOLD,
        }
    }
}

/// One open article: its sparse unit vector, sorted by term.
struct Doc {
    seq: u64,
    story: u64,
    published: i64,
    /// Hash of the source's name.
    source: u64,
    terms: Vec<(u32, f32)>,
    /// Its `INDEX_TERMS` strongest terms: the ones the inverted index finds it by.
    keys: Vec<u32>,
}

/// The incremental clusterer. Feed it articles in `published` order.
pub struct Clusterer {
    params: Params,
    df: Vec<u32>,
    docs_seen: u64,
    open: VecDeque<Doc>,
    next_seq: u64,
    /// Term -> sequence numbers of the open articles that have it (ascending).
    postings: HashMap<u32, VecDeque<(u64, f32)>, BuildHasherDefault<TermHasher>>,
    /// Story -> how many of its members are open.
    open_members: HashMap<u64, u32>,
    next_story: u64,
    latest: i64,
    tokenizers: BTreeMap<String, Tokenizer>,
    scratch_tokens: Vec<Token>,
    scratch_partial: Vec<f32>,
    scratch_touched: Vec<usize>,
    /// Hashed (source, line) -> how many earlier articles of that source had the line.
    lines: Vec<u8>,
}

impl Clusterer {
    /// A clusterer whose new stories are numbered from `first_story` on.
    pub fn new(params: Params, first_story: u64) -> Self {
        Clusterer {
            params,
            df: vec![0; 1 << DF_BITS],
            docs_seen: 0,
            open: VecDeque::new(),
            next_seq: 0,
            postings: HashMap::default(),
            open_members: HashMap::new(),
            next_story: first_story,
            latest: i64::MIN,
            tokenizers: BTreeMap::new(),
            scratch_tokens: Vec::new(),
            scratch_partial: Vec::new(),
            scratch_touched: Vec::new(),
            lines: vec![0; 1 << LINE_BITS],
        }
    }

    pub fn params(&self) -> Params {
        self.params
    }

    /// Articles held open (what memory grows with).
    pub fn open_articles(&self) -> usize {
        self.open.len()
    }

    /// Stories with a member inside the window.
    pub fn open_stories(&self) -> usize {
        self.open_members.len()
    }

    /// The story `a` belongs to: an open one, or a new one.
    pub fn assign(&mut self, a: &ArticleIn<'_>) -> u64 {
        self.evict(a.published);
        let terms = self.vectorize(a);
        let source = features::hash(a.source.as_bytes());
        let story = self
            .best_story(&terms, a.published, source)
            .unwrap_or_else(|| {
                let s = self.next_story;
                self.next_story += 1;
                s
            });
        self.insert(terms, story, a.published, source);
        story
    }

    /// Take in an article already assigned to `story` (a store resuming after a
    /// restart replays the window's articles this way), without scoring it.
    pub fn resume(&mut self, a: &ArticleIn<'_>, story: u64) {
        self.evict(a.published);
        let terms = self.vectorize(a);
        self.insert(
            terms,
            story,
            a.published,
            features::hash(a.source.as_bytes()),
        );
        self.next_story = self.next_story.max(story + 1);
    }

    fn evict(&mut self, now: i64) {
        self.latest = self.latest.max(now);
        let horizon = self.latest.saturating_sub(self.params.window_secs);
        while let Some(d) = self.open.front() {
            if d.published >= horizon {
                break;
            }
            let Some(d) = self.open.pop_front() else {
                break;
            };
            for t in &d.keys {
                if let Some(p) = self.postings.get_mut(t) {
                    // Postings are in insertion order, which is eviction order.
                    if p.front().is_some_and(|f| f.0 == d.seq) {
                        p.pop_front();
                    } else {
                        p.retain(|f| f.0 != d.seq);
                    }
                    if p.is_empty() {
                        self.postings.remove(t);
                    }
                }
            }
            if let Some(n) = self.open_members.get_mut(&d.story) {
                *n -= 1;
                if *n == 0 {
                    self.open_members.remove(&d.story);
                }
            }
        }
    }

    /// The article's unit TF-IDF vector; counts it into the document frequencies first,
    /// so its own rare terms have a finite weight.
    fn vectorize(&mut self, a: &ArticleIn<'_>) -> Vec<(u32, f32)> {
        let lang = a.lang.unwrap_or("en");
        let tok = self
            .tokenizers
            .entry(lang.to_string())
            .or_insert_with(|| Tokenizer::new(Some(lang)));
        let mut toks = std::mem::take(&mut self.scratch_tokens);
        toks.clear();
        let (title, text) = strip_boilerplate(&mut self.lines, a);
        tok.tokens(&title, LEAD_CHARS, &mut toks);
        let title_len = toks.len();
        tok.tokens(&text, LEAD_CHARS, &mut toks);
        let mut tf: BTreeMap<u32, (f32, bool)> = BTreeMap::new();
        for (i, t) in toks.iter().enumerate() {
            let w = if i < title_len { TITLE_WEIGHT } else { 1.0 };
            let e = tf.entry(t.hash as u32).or_insert((0.0, false));
            e.0 += w;
            e.1 |= t.entity;
        }
        self.scratch_tokens = toks;
        self.docs_seen += 1;
        let mask = (1u32 << DF_BITS) - 1;
        for &t in tf.keys() {
            let slot = &mut self.df[(t & mask) as usize];
            *slot = slot.saturating_add(1);
        }
        let n = self.docs_seen as f32;
        let mut terms: Vec<(u32, f32)> = tf
            .into_iter()
            .map(|(t, (count, entity))| {
                let df = self.df[(t & mask) as usize] as f32;
                let idf = ((n + 1.0) / (df + 1.0)).ln() + 1.0;
                let boost = if entity { ENTITY_BOOST } else { 1.0 };
                (t, (1.0 + count.ln()) * idf * boost)
            })
            .collect();
        if terms.len() > MAX_TERMS {
            terms.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            terms.truncate(MAX_TERMS);
            terms.sort_by_key(|t| t.0);
        }
        let norm = terms.iter().map(|t| t.1 * t.1).sum::<f32>().sqrt();
        if norm > 0.0 {
            for t in &mut terms {
                t.1 /= norm;
            }
        }
        terms
    }

    fn best_story(&mut self, terms: &[(u32, f32)], published: i64, source: u64) -> Option<u64> {
        let front = self.open.front()?.seq;
        let mut partial = std::mem::take(&mut self.scratch_partial);
        let mut touched = std::mem::take(&mut self.scratch_touched);
        partial.clear();
        partial.resize(self.open.len(), 0.0);
        touched.clear();
        // Candidates share one of their strongest terms with ours: a pair with none in
        // common is far below any threshold, and common words' long postings are where
        // the time would go.
        for (t, w) in keys_of(terms) {
            if let Some(p) = self.postings.get(&t) {
                for &(s, dw) in p {
                    let i = (s - front) as usize;
                    if partial[i] == 0.0 {
                        touched.push(i);
                    }
                    partial[i] += w * dw;
                }
            }
        }
        touched.sort_unstable();
        // Per story: the sum of (age-discounted) cosines to its open members; a
        // BTreeMap so ties go to the oldest story, whatever the hash seed.
        let mut sums: BTreeMap<u64, f32> = BTreeMap::new();
        for &i in &touched {
            let Some(d) = self.open.get(i) else {
                continue;
            };
            // The strongest terms carry most of a cosine: only a pair they already
            // make close is worth the full product.
            let s = if partial[i] >= EXACT_FROM {
                crate::text::sparse::dot(terms, &d.terms)
            } else {
                partial[i]
            };
            let gap = (published - d.published).max(0) as f32 / 86_400.0;
            let same = if d.source == source {
                SAME_SOURCE_PENALTY
            } else {
                0.0
            };
            *sums.entry(d.story).or_insert(0.0) += s - same - AGE_PENALTY * (1.0 + gap).ln();
        }
        self.scratch_partial = partial;
        self.scratch_touched = touched;
        let mut best: Option<(u64, f32)> = None;
        for (story, sum) in sums {
            let n = self.open_members.get(&story).copied().unwrap_or(1).max(1);
            let avg = sum / n as f32;
            if avg >= self.params.threshold && best.is_none_or(|(_, b)| avg > b) {
                best = Some((story, avg));
            }
        }
        best.map(|b| b.0)
    }

    fn insert(&mut self, terms: Vec<(u32, f32)>, story: u64, published: i64, source: u64) {
        let seq = self.next_seq;
        self.next_seq += 1;
        let keys = keys_of(&terms);
        for &(t, w) in &keys {
            self.postings.entry(t).or_default().push_back((seq, w));
        }
        let keys = keys.into_iter().map(|k| k.0).collect();
        *self.open_members.entry(story).or_insert(0) += 1;
        self.open.push_back(Doc {
            seq,
            story,
            published,
            source,
            terms,
            keys,
        });
    }
}
