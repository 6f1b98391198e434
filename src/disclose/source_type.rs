//! The type of the source (reportage, opinion, sponsored, ...) from every signal the page
//! and the feed carry, each kept as evidence, strongest first; the strongest decides.
//!
//! Strength, strongest first (see ARCHITECTURE.md, "Disclosure metadata"):
//! 1. the publisher's JSON-LD `@type` (a specific kind: OpinionNewsArticle, ...),
//! 2. `article:section` / JSON-LD articleSection / og:type,
//! 3. the URL path (`/opinion/`, `/sponsored/`, ...),
//! 4. the feed's categories,
//! 5. a headline label ("Opinion |", "Analysis:", "... | Opinion"),
//! 6. the bare JSON-LD `NewsArticle` type (reportage, but publishers put it on columns
//!    too, so any explicit label above outranks it),
//! 7. our editorial-language heuristic (`inferred`, with its score).
//!
//! Inside one level, a conflict goes to the label a reader most needs to know about
//! (sponsored, satire, opinion, analysis, review, background, reportage): a page that
//! marks itself both "News" and "Sponsored" in its sections is sponsored.

use url::Url;

use super::heuristic::editorial_score;
use super::terms::{is_generic_news_type, jsonld_type_label, path_segment_label, phrase_label};
use crate::model::{Article, AssertedBy, Evidence, Item, SourceLabel, SourceType};

/// Evidence signal names, as stored in `Evidence::signal`.
pub const SIGNAL_JSONLD_TYPE: &str = "jsonld_type";
pub const SIGNAL_SECTION: &str = "section_meta";
pub const SIGNAL_OG_TYPE: &str = "og_type";
pub const SIGNAL_URL_PATH: &str = "url_path";
pub const SIGNAL_FEED_CATEGORY: &str = "feed_category";
pub const SIGNAL_HEADLINE_PREFIX: &str = "headline_prefix";
pub const SIGNAL_HEADLINE_SUFFIX: &str = "headline_suffix";
pub const SIGNAL_TEXT_HEURISTIC: &str = "text_heuristic";

/// Strength levels, strongest (lowest) first.
const TIER_JSONLD: u8 = 0;
const TIER_SECTION: u8 = 1;
const TIER_URL: u8 = 2;
const TIER_FEED: u8 = 3;
const TIER_HEADLINE: u8 = 4;
const TIER_GENERIC_TYPE: u8 = 5;
const TIER_HEURISTIC: u8 = 6;

/// Headline labels longer than this are not labels but the headline itself.
const MAX_HEADLINE_LABEL_CHARS: usize = 32;

struct Found {
    tier: u8,
    evidence: Evidence,
}

/// Who stands behind the label that `signal` produced.
fn asserted_by(signal: &str) -> AssertedBy {
    match signal {
        SIGNAL_FEED_CATEGORY => AssertedBy::Feed,
        SIGNAL_TEXT_HEURISTIC => AssertedBy::Inferred,
        _ => AssertedBy::Publisher,
    }
}

/// Within one tier, the label a reader most needs to be told about wins.
fn urgency(t: SourceType) -> u8 {
    match t {
        SourceType::Sponsored => 0,
        SourceType::Satire => 1,
        SourceType::Opinion => 2,
        SourceType::Analysis => 3,
        SourceType::Review => 4,
        SourceType::Background => 5,
        SourceType::Reportage => 6,
        SourceType::Unknown => 7,
    }
}

/// Label the source from the page (`article`) and the feed entry (`item`).
///
/// Never labels without evidence: with no signal at all the result is `unknown`,
/// asserted by nobody, with an empty evidence list.
pub fn classify(article: &Article, item: &Item) -> SourceLabel {
    let mut found: Vec<Found> = Vec::new();
    let mut push = |tier: u8, signal: &str, value: &str, label: SourceType| {
        let value = crate::util::collapse_ws(value);
        let dup = found.iter().any(|f| {
            f.evidence.signal == signal
                && f.evidence.label == label
                && f.evidence.value.eq_ignore_ascii_case(&value)
        });
        if !dup {
            found.push(Found {
                tier,
                evidence: Evidence {
                    signal: signal.to_string(),
                    value,
                    label,
                },
            });
        }
    };

    for t in &article.jsonld_types {
        if let Some(label) = jsonld_type_label(t) {
            push(TIER_JSONLD, SIGNAL_JSONLD_TYPE, t, label);
        } else if is_generic_news_type(t) {
            push(
                TIER_GENERIC_TYPE,
                SIGNAL_JSONLD_TYPE,
                t,
                SourceType::Reportage,
            );
        }
    }
    for s in &article.sections {
        for part in split_label_parts(s) {
            if let Some(label) = phrase_label(part) {
                push(TIER_SECTION, SIGNAL_SECTION, s, label);
            }
        }
    }
    if let Some(og) = &article.og_type {
        // og:type is almost always "article"; a few publishers put the kind after it
        // ("article:opinion").
        let kind = og.rsplit([':', '.', '/']).next().unwrap_or(og);
        if let Some(label) = phrase_label(kind) {
            push(TIER_SECTION, SIGNAL_OG_TYPE, og, label);
        }
    }
    let urls = [
        article.canonical_url.as_deref(),
        Some(article.url.as_str()),
        item.link.as_deref(),
    ];
    for url in urls.into_iter().flatten() {
        for (segment, label) in url_path_labels(url) {
            push(TIER_URL, SIGNAL_URL_PATH, &format!("/{segment}/"), label);
        }
    }
    for c in &item.categories {
        for part in split_label_parts(c) {
            if let Some(label) = phrase_label(part) {
                push(TIER_FEED, SIGNAL_FEED_CATEGORY, c, label);
            }
        }
    }
    for title in [item.title.as_deref(), article.title.as_deref()]
        .into_iter()
        .flatten()
    {
        for (signal, value, label) in headline_labels(title) {
            push(TIER_HEADLINE, signal, &value, label);
        }
    }
    let heuristic =
        editorial_score(&article.text, article.language.as_deref()).filter(|s| s.is_editorial());
    if let Some(s) = heuristic {
        push(
            TIER_HEURISTIC,
            SIGNAL_TEXT_HEURISTIC,
            &s.to_string(),
            SourceType::Opinion,
        );
    }

    // Stable sort: equal (tier, urgency) keep the order they were found in.
    found.sort_by_key(|f| (f.tier, urgency(f.evidence.label)));
    let Some(winner) = found.first() else {
        return SourceLabel::default();
    };
    let asserted = asserted_by(&winner.evidence.signal);
    SourceLabel {
        label: winner.evidence.label,
        asserted_by: asserted,
        score: match (asserted, heuristic) {
            (AssertedBy::Inferred, Some(s)) => Some(s.score),
            _ => None,
        },
        evidence: found.into_iter().map(|f| f.evidence).collect(),
    }
}

/// "Opinion | Columnists", "News > Analysis", "World/Opinion" → the parts.
fn split_label_parts(value: &str) -> impl Iterator<Item = &str> {
    value
        .split(['|', '>', '/', ',', ';', '»', '·', '｜', '›'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
}

/// Labelled path segments of `url`; the host and query never count.
fn url_path_labels(url: &str) -> Vec<(String, SourceType)> {
    let Ok(u) = Url::parse(url.trim()) else {
        return Vec::new();
    };
    let Some(segments) = u.path_segments() else {
        return Vec::new();
    };
    segments
        .filter_map(|s| path_segment_label(s).map(|l| (s.to_ascii_lowercase(), l)))
        .collect()
}

/// A label before the first separator ("Opinion | ...", "Analysis: ...", "[Sponsored]
/// ...", "社论：...") or after a `|` ("... | Opinion").
fn headline_labels(title: &str) -> Vec<(&'static str, String, SourceType)> {
    let title = title.trim();
    let mut out = Vec::new();
    if let Some(prefix) = headline_prefix(title)
        && let Some(label) = phrase_label(prefix)
    {
        out.push((SIGNAL_HEADLINE_PREFIX, prefix.trim().to_string(), label));
    }
    let parts: Vec<&str> = title.split(['|', '｜']).collect();
    for part in parts.iter().skip(1) {
        let p = part.trim();
        if p.chars().count() <= MAX_HEADLINE_LABEL_CHARS
            && let Some(label) = phrase_label(p)
        {
            out.push((SIGNAL_HEADLINE_SUFFIX, p.to_string(), label));
        }
    }
    out
}

fn headline_prefix(title: &str) -> Option<&str> {
    // Bracketed: "[Sponsored] ...", "(Opinion) ...", "【社论】...".
    for (open, close) in [('[', ']'), ('(', ')'), ('【', '】')] {
        if let Some(rest) = title.strip_prefix(open) {
            let end = rest.find(close)?;
            return Some(&rest[..end]);
        }
    }
    let seps = [": ", ":", "|", "：", "｜", " — ", " – ", " - "];
    let (idx, _) = seps
        .iter()
        .filter_map(|s| title.find(s).map(|i| (i, *s)))
        .min_by_key(|&(i, _)| i)?;
    let prefix = &title[..idx];
    let words = prefix.split_whitespace().count();
    (idx > 0 && prefix.chars().count() <= MAX_HEADLINE_LABEL_CHARS && words <= 4).then_some(prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_prefixes_and_suffixes() {
        assert_eq!(
            headline_prefix("Opinion | The case for X"),
            Some("Opinion ")
        );
        assert_eq!(headline_prefix("Analysis: Why X"), Some("Analysis"));
        assert_eq!(headline_prefix("[Sponsored] Ten ways"), Some("Sponsored"));
        assert_eq!(headline_prefix("社论：必须改革"), Some("社论"));
        assert_eq!(headline_prefix("Markets rally as rates fall"), None);
        let l = headline_labels("Why the plan fails | Opinion");
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].0, SIGNAL_HEADLINE_SUFFIX);
        assert_eq!(l[0].2, SourceType::Opinion);
    }

    #[test]
    fn url_segments_count_but_slugs_and_hosts_do_not() {
        let l = url_path_labels("https://opinion.example.com/politics/opinion-poll-x?s=opinion");
        assert!(l.is_empty(), "{l:?}");
        let l = url_path_labels("https://example.com/2024/05/01/Opinions/the-case.html");
        assert_eq!(l, vec![("opinions".to_string(), SourceType::Opinion)]);
    }
}
