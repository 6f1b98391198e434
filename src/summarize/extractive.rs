//! The offline extractive summarizer: split, score every sentence, pick a few without
//! repeating ourselves, and return them in document order. Deterministic: the same
//! input and options always give the same sentences.
//!
//! Why this shape: in news the lead carries most of the story, so a sentence's position
//! is the strongest single signal and centrality alone (TextRank/LexRank) loses to the
//! first three sentences. Position therefore sets the base score; centrality (tf-idf
//! cosine to the rest of the article), similarity to the headline and to the opening
//! sentence move sentences up; page furniture (captions, "Scroll down for video"),
//! direct quotes and questions move them down. Length is controlled twice: a number of
//! candidates, then a word budget that drops the weakest candidates first.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::Utc;
use regex::Regex;

use super::split::{self, Sentence};
use super::text::{self, Analyzer, TermVec, Vocab};
use crate::config::{DEFAULT_SUMMARY_SENTENCES, DEFAULT_SUMMARY_WORDS, SummarizerConfig};
use crate::model::{Summary, SummaryInput, SummaryMethod};
use crate::text::language;
use crate::util::sha256_hex;

/// How long an extractive summary may be.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExtractiveOptions {
    /// Target number of sentences (the summary has at most one more, and fewer when the
    /// word budget is reached).
    pub sentences: usize,
    /// Word budget; CJK characters count as half a word (see `text::word_len`).
    pub words: usize,
}

impl Default for ExtractiveOptions {
    fn default() -> Self {
        ExtractiveOptions {
            sentences: DEFAULT_SUMMARY_SENTENCES,
            words: DEFAULT_SUMMARY_WORDS,
        }
    }
}

impl ExtractiveOptions {
    pub(crate) fn from_config(cfg: &SummarizerConfig) -> Self {
        ExtractiveOptions {
            sentences: cfg.sentences.max(1),
            words: cfg.words.max(1),
        }
    }
}

/// Scoring weights. Tuned once on development data; kept in one place so the reasons
/// for each stay next to the numbers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Weights {
    /// Position prior `exp(-i / tau)` for the i-th sentence (0-based).
    pub(crate) tau: f32,
    /// Cosine to the rest of the article (how central the sentence is).
    pub(crate) centrality: f32,
    /// Cosine to the opening sentence (stays on the main story).
    pub(crate) first: f32,
    /// Cosine to the headline, when there is one.
    pub(crate) title: f32,
    /// Page furniture: "Scroll down for video", "Click here", bylines.
    pub(crate) junk: f32,
    /// Photo captions: "Heroic: Alyssa, 9, saved her brother".
    pub(crate) caption: f32,
    /// Sentences that open with a quotation mark (direct speech).
    pub(crate) quote: f32,
    pub(crate) question: f32,
    /// Attribution verbs ("said", "told"): the fact is usually also stated plainly.
    pub(crate) said: f32,
    /// Share of capitalized words after the first: names and places carry the facts.
    pub(crate) names: f32,
    /// Redundancy: a candidate this similar (cosine) to a chosen sentence is skipped.
    pub(crate) redundancy: f32,
}

pub(crate) const WEIGHTS: Weights = Weights {
    tau: 2.0,
    centrality: 1.5,
    first: 0.25,
    title: 1.0,
    junk: 1.0,
    caption: 1.0,
    quote: 0.3,
    question: 0.5,
    said: 0.2,
    names: 0.5,
    redundancy: 0.3,
};

/// A sentence with what the scorer knows about it.
pub(crate) struct Scored<'a> {
    pub(crate) sentence: Sentence<'a>,
    pub(crate) words: f32,
    pub(crate) vec: TermVec,
    pub(crate) features: Features,
    pub(crate) score: f32,
}

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Features {
    pub(crate) index: usize,
    pub(crate) centrality: f32,
    pub(crate) first: f32,
    pub(crate) title: f32,
    pub(crate) junk: bool,
    pub(crate) caption: bool,
    pub(crate) quote: bool,
    pub(crate) question: bool,
    pub(crate) said: bool,
    pub(crate) names: f32,
}

/// Summarize `input` extractively. Never fails; an empty text gives no sentences.
pub fn extractive(input: SummaryInput<'_>, opts: &ExtractiveOptions) -> Summary {
    let lang = input
        .lang
        .and_then(language::normalize_lang)
        .or_else(|| language::detect(input.text));
    let sentences = select(input.text, input.title, lang.as_deref(), opts, &WEIGHTS);
    Summary {
        sentences,
        method: SummaryMethod::Extractive,
        input_hash: sha256_hex(&[input.text]),
        generated_at: Utc::now(),
        language: lang,
        ..Summary::default()
    }
}

/// The chosen sentences, in document order.
pub(crate) fn select(
    text: &str,
    title: Option<&str>,
    lang: Option<&str>,
    opts: &ExtractiveOptions,
    w: &Weights,
) -> Vec<String> {
    let scored = analyze(text, title, lang, w);
    if scored.is_empty() {
        return Vec::new();
    }
    let budget = word_budget(&scored, lang, opts);
    let mut order: Vec<usize> = (0..scored.len()).collect();
    // Ties go to the earlier sentence; total_cmp keeps the order total and deterministic.
    order.sort_by(|&a, &b| scored[b].score.total_cmp(&scored[a].score).then(a.cmp(&b)));
    let max_candidates = opts.sentences.max(1) + 1;
    let mut chosen: Vec<usize> = Vec::with_capacity(max_candidates);
    for i in order {
        if chosen
            .iter()
            .any(|&j| scored[i].vec.cosine(&scored[j].vec) > w.redundancy)
        {
            continue;
        }
        chosen.push(i);
        if chosen.len() >= max_candidates {
            break;
        }
    }
    // Drop the weakest candidates until the budget holds; the best one always stays.
    while chosen.len() > 1 && chosen.iter().map(|&i| scored[i].words).sum::<f32>() > budget {
        chosen.pop();
    }
    chosen.sort_unstable();
    chosen
        .into_iter()
        .map(|i| strip_dateline(scored[i].sentence.text).to_string())
        .collect()
}

/// A wire dateline at the start of a sentence ("WASHINGTON (CNN) -- ", "(Reuters) - ",
/// "LONDON — ") says where the story was filed, not what happened: a digest drops it.
fn strip_dateline(s: &str) -> &str {
    static AGENCY: OnceLock<Regex> = OnceLock::new();
    static CAPS: OnceLock<Regex> = OnceLock::new();
    let agency = AGENCY.get_or_init(|| {
        Regex::new(
            r"^(?:[\p{Lu}][\p{L}\s.,'’-]{0,40}?\s*)?\((?:CNN|Reuters|AP|AFP|dpa|EFE|ANSA|Xinhua|UPI|Bloomberg)\)\s*(?:--|—|–|-)?\s*",
        )
        .unwrap_or_else(|e| panic!("bad built-in regex: {e}"))
    });
    let caps = CAPS.get_or_init(|| {
        Regex::new(r"^\p{Lu}[\p{Lu}\s.,'’-]{2,40}\s(?:--|—|–)\s+")
            .unwrap_or_else(|e| panic!("bad built-in regex: {e}"))
    });
    static CJK: OnceLock<Regex> = OnceLock::new();
    let cjk = CJK.get_or_init(|| {
        // "本报讯（记者 林晓舟 通讯员 何佳）", "新华社北京11月12日电（记者 …）".
        Regex::new(
            r"^(?:本报讯|新华社[^，。（(]{0,16}电|中新[网社][^，。（(]{0,16}电)?\s*[（(](?:本报)?(?:记者|通讯员|实习生|见习记者|特约记者)[^）)]{0,40}[）)]\s*|^本报讯\s*",
        )
        .unwrap_or_else(|e| panic!("bad built-in regex: {e}"))
    });
    if let Some(m) = cjk.find(s) {
        let rest = &s[m.end()..];
        if rest.chars().next().is_some_and(char::is_alphanumeric) {
            return rest;
        }
    }
    for re in [agency, caps] {
        if let Some(m) = re.find(s) {
            let rest = &s[m.end()..];
            if rest
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "\"'‘“".contains(c))
            {
                return rest;
            }
        }
    }
    s
}

/// The word budget for this document: the configured words, but never more than a
/// share of a short text (a 100-character post gets a one-sentence summary, not itself).
fn word_budget(scored: &[Scored<'_>], lang: Option<&str>, opts: &ExtractiveOptions) -> f32 {
    let total: f32 = scored.iter().map(|s| s.words).sum();
    // Tuned on development data; CJK sentences are long units (a Weibo post is three or
    // four of them), so they get a slightly smaller share.
    let share = if language::is_cjk_lang(lang) {
        0.25
    } else {
        0.3
    };
    (opts.words as f32 * 1.2).min(total * share)
}

/// Split, vectorize and score every sentence.
pub(crate) fn analyze<'a>(
    text: &'a str,
    title: Option<&str>,
    lang: Option<&str>,
    w: &Weights,
) -> Vec<Scored<'a>> {
    let sentences = split::split(text);
    let n = sentences.len();
    if n == 0 {
        return Vec::new();
    }
    let analyzer = Analyzer::new(lang);
    let mut vocab = Vocab::default();
    let mut terms = Vec::new();
    let mut tfs: Vec<HashMap<u32, u32>> = Vec::with_capacity(n);
    let mut df: Vec<u32> = Vec::new();
    for s in &sentences {
        terms.clear();
        analyzer.terms(s.text, &mut terms);
        let mut tf: HashMap<u32, u32> = HashMap::with_capacity(terms.len());
        for t in terms.drain(..) {
            *tf.entry(vocab.id(t)).or_insert(0) += 1;
        }
        df.resize(vocab.len(), 0);
        for id in tf.keys() {
            df[*id as usize] += 1;
        }
        tfs.push(tf);
    }
    // Sentence-level idf: a term in every sentence says nothing about any of them.
    let idf: Vec<f32> = df
        .iter()
        .map(|&d| ((n as f32 + 1.0) / (d as f32 + 0.5)).ln())
        .collect();
    let vecs: Vec<TermVec> = tfs
        .iter()
        .map(|tf| {
            TermVec::from_weights(
                tf.iter()
                    .map(|(&id, &c)| (id, (1.0 + (c as f32).ln()) * idf[id as usize]))
                    .collect(),
            )
        })
        .collect();
    let mut centroid = vec![0.0f32; vocab.len()];
    for v in &vecs {
        for &(id, x) in &v.entries {
            centroid[id as usize] += x;
        }
    }
    let centroid_sq: f32 = centroid.iter().map(|x| x * x).sum();
    let title_vec = title.map(|t| {
        terms.clear();
        analyzer.terms(t, &mut terms);
        let mut tf: HashMap<u32, u32> = HashMap::new();
        for term in terms.drain(..) {
            if let Some(id) = vocab.get(&term) {
                *tf.entry(id).or_insert(0) += 1;
            }
        }
        TermVec::from_weights(
            tf.iter()
                .map(|(&id, &c)| (id, (1.0 + (c as f32).ln()) * idf[id as usize]))
                .collect(),
        )
    });

    let mut out = Vec::with_capacity(n);
    for (i, (sentence, vec)) in sentences.into_iter().zip(vecs).enumerate() {
        // Cosine to the centroid of all *other* sentences: (C - v)·v / (|C - v| |v|).
        let mut dot_cv = 0.0f32;
        for &(id, x) in &vec.entries {
            dot_cv += centroid[id as usize] * x;
        }
        let rest_dot = dot_cv - vec.norm * vec.norm;
        let rest_sq = (centroid_sq - 2.0 * dot_cv + vec.norm * vec.norm).max(0.0);
        let centrality = if vec.norm > 0.0 && rest_sq > 0.0 {
            (rest_dot / (vec.norm * rest_sq.sqrt())).max(0.0)
        } else {
            0.0
        };
        let features = Features {
            index: i,
            centrality,
            first: 0.0,
            title: title_vec.as_ref().map_or(0.0, |t| vec.cosine(t)),
            junk: is_junk(sentence.text),
            caption: is_caption(sentence.text),
            quote: sentence
                .text
                .starts_with(['"', '\'', '“', '‘', '«', '„', '「']),
            question: sentence
                .text
                .trim_end_matches(['"', '\'', '”', '’', '»', ')', '」'])
                .ends_with(['?', '？']),
            said: has_attribution(sentence.text),
            names: name_share(sentence.text),
        };
        out.push(Scored {
            words: text::word_len(sentence.text),
            sentence,
            vec,
            features,
            score: 0.0,
        });
    }
    let first = out[0].vec.clone();
    for s in out.iter_mut() {
        s.features.first = if s.features.index == 0 {
            1.0
        } else {
            s.vec.cosine(&first)
        };
        s.score = score(&s.features, w);
    }
    out
}

fn score(f: &Features, w: &Weights) -> f32 {
    let i = f.index as f32;
    let mut s = (-i / w.tau).exp();
    s += w.centrality * f.centrality + w.first * f.first + w.title * f.title;
    s += w.names * f.names;
    if f.junk {
        s -= w.junk;
    }
    if f.caption {
        s -= w.caption;
    }
    if f.quote {
        s -= w.quote;
    }
    if f.question {
        s -= w.question;
    }
    if f.said {
        s -= w.said;
    }
    s
}

/// Page furniture that extraction let through.
fn is_junk(s: &str) -> bool {
    const MARKERS: &[&str] = &[
        "scroll down for",
        "click here",
        "published:",
        "updated:",
        "follow us on",
        "sign up for",
        "subscribe to",
        "all rights reserved",
        "©",
        "this content was paid for",
        "sponsored content",
        "paid partnership",
        "read more:",
        "advertisement",
        "share this article",
        "share or comment",
        "watch the video",
        "for the latest",
        "email to a friend",
    ];
    let lower = text::prefix_chars(s, 200).to_lowercase();
    MARKERS.iter().any(|m| lower.contains(m))
}

/// "Label: Caption text" as photo captions are written (a short capitalized label of at
/// most four words, a colon, then a capitalized sentence).
fn is_caption(s: &str) -> bool {
    let Some(colon) = text::prefix_chars(s, 40).find(": ") else {
        return false;
    };
    let label = s[..colon].trim_start_matches(['"', '\'', '‘', '“']);
    let after = s[colon + 2..].chars().next();
    let starts_upper = label.chars().next().is_some_and(char::is_uppercase);
    let short = label.split_whitespace().count() <= 4;
    let no_digits = !label.chars().any(|c| c.is_ascii_digit());
    starts_upper && short && no_digits && after.is_some_and(char::is_uppercase)
}

fn has_attribution(s: &str) -> bool {
    s.split(|c: char| !c.is_alphabetic()).any(|w| {
        matches!(
            w,
            "said" | "says" | "told" | "added" | "according" | "claimed" | "explained"
        )
    })
}

/// Share of words after the first that start with a capital letter.
fn name_share(s: &str) -> f32 {
    let mut words = 0usize;
    let mut caps = 0usize;
    for (k, w) in s.split_whitespace().enumerate() {
        words += 1;
        if k > 0
            && w.trim_start_matches(['"', '\'', '‘', '“', '('])
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
        {
            caps += 1;
        }
    }
    if words == 0 {
        0.0
    } else {
        caps as f32 / words as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_are_recognized() {
        assert!(is_caption(
            "Heroic: Alyssa McKenna, 9 (right), saved her brother"
        ));
        assert!(!is_caption("He said: 'We have not achieved anything yet."));
        assert!(!is_caption(
            "The minister said there were 3: Paris, Rome and Oslo."
        ));
    }

    #[test]
    fn wire_datelines_are_dropped() {
        assert_eq!(
            strip_dateline("BAGHDAD, Iraq (CNN) -- Six men were shot dead."),
            "Six men were shot dead."
        );
        assert_eq!(
            strip_dateline("(CNN)Six people were hurt."),
            "Six people were hurt."
        );
        assert_eq!(strip_dateline("(Reuters) - Shares fell."), "Shares fell.");
        assert_eq!(
            strip_dateline("WASHINGTON — The Senate voted."),
            "The Senate voted."
        );
        assert_eq!(
            strip_dateline("The CNN (CNN) anchor -- said so."),
            "The CNN (CNN) anchor -- said so."
        );
        assert_eq!(
            strip_dateline("NATO — the alliance — met."),
            "NATO — the alliance — met."
        );
        assert_eq!(
            strip_dateline("本报讯（记者 林晓舟 通讯员 何佳）12日上午10时许，隧道贯通。"),
            "12日上午10时许，隧道贯通。"
        );
        assert_eq!(
            strip_dateline("新华社北京11月12日电（记者 王明）国务院今天召开会议。"),
            "国务院今天召开会议。"
        );
        assert_eq!(strip_dateline("（图）隧道贯通。"), "（图）隧道贯通。");
    }

    #[test]
    fn short_texts_get_a_share_not_the_whole() {
        let text = "One short sentence here. Another short sentence there. A third one ends it.";
        let out = select(
            text,
            None,
            Some("en"),
            &ExtractiveOptions::default(),
            &WEIGHTS,
        );
        assert_eq!(out.len(), 1);
    }
}
