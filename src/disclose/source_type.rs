//! The type of the source (reportage, opinion, review, sponsored, blog, ...) from the
//! evidence the page and the feed carry, each kept with where it was seen, strongest
//! first; the strongest decides. Where the evidence is weak, the answer is `unknown`.
//!
//! Strength, strongest first (see ARCHITECTURE.md, "Disclosure metadata"):
//! 0. the publisher's JSON-LD `@type` (a specific kind: OpinionNewsArticle,
//!    ClaimReview...), a paid-content disclosure in the article's own header, first or
//!    last paragraphs ("Sponsored by ...", "#ad", "paid media partner", "Anzeige"),
//! 1. `article:section` / JSON-LD articleSection / og:type, `article:opinion=true`,
//!    a kicker or byline next to the headline ("Opinion", "Analysis by ..."),
//! 2. the URL path (`/opinion/`, `/sponsored/`, ...),
//! 3. the feed's categories,
//! 4. a headline label ("Opinion |", "Analysis:", "X review") or a buying-guide
//!    headline or slug backed by a second review mark (affiliate note, rating markup,
//!    "we tested"),
//! 5. blog marks: JSON-LD `BlogPosting`, a `/blog/` path, a blog host or generator,
//! 6. the bare JSON-LD `NewsArticle` type (reportage, but publishers put it on columns
//!    too, so any explicit label above outranks it).
//!
//! The text's wording never sets the type: that reading is `editorial_commentary`.
//! `article:opinion=false` is recorded but never decides (sites set it on columns).
//! Forum threads carry no guide, review or blog label: they are not articles.
//!
//! Inside one level, a conflict goes to the label a reader most needs to know about
//! (sponsored, satire, opinion, analysis, review, background, blog, reportage): a page
//! that marks itself both "News" and "Sponsored" in its sections is sponsored.

use url::Url;

use super::evidence::{
    affiliate_in_notices, affiliate_notes, guide_headline, header_labels, is_forum, kicker_label,
    paid_disclosures, paid_notices, review_headline, shopping_headline, slug_label, tested_marks,
};
use super::terms::{
    is_blog_type, is_generic_news_type, jsonld_type_label, path_segment_label, phrase_label,
};
use crate::model::{Article, AssertedBy, Evidence, Item, SourceLabel, SourceType};

/// Evidence signal names, as stored in `Evidence::signal`.
pub(crate) const SIGNAL_JSONLD_TYPE: &str = "jsonld_type";
pub(crate) const SIGNAL_DISCLOSURE_LINE: &str = "disclosure_line";
pub(crate) const SIGNAL_SECTION: &str = "section_meta";
pub(crate) const SIGNAL_OG_TYPE: &str = "og_type";
pub(crate) const SIGNAL_ARTICLE_OPINION: &str = "article_opinion";
pub(crate) const SIGNAL_HEADER_LABEL: &str = "header_label";
pub(crate) const SIGNAL_BYLINE: &str = "byline";
pub(crate) const SIGNAL_URL_PATH: &str = "url_path";
pub(crate) const SIGNAL_FEED_CATEGORY: &str = "feed_category";
pub(crate) const SIGNAL_HEADLINE_PREFIX: &str = "headline_prefix";
pub(crate) const SIGNAL_HEADLINE_SUFFIX: &str = "headline_suffix";
pub(crate) const SIGNAL_HEADLINE_REVIEW: &str = "headline_review";
pub(crate) const SIGNAL_HEADLINE_GUIDE: &str = "headline_guide";
pub(crate) const SIGNAL_URL_SLUG: &str = "url_slug";
pub(crate) const SIGNAL_AFFILIATE: &str = "affiliate_note";
pub(crate) const SIGNAL_TESTED: &str = "tested_mark";
pub(crate) const SIGNAL_RATING: &str = "rating_markup";
pub(crate) const SIGNAL_BLOG: &str = "blog_mark";

/// Strength levels, strongest (lowest) first. `pub(crate)` so tests and docs agree.
pub(crate) const TIER_JSONLD: u8 = 0;
pub(crate) const TIER_SECTION: u8 = 1;
pub(crate) const TIER_URL: u8 = 2;
pub(crate) const TIER_FEED: u8 = 3;
pub(crate) const TIER_HEADLINE: u8 = 4;
pub(crate) const TIER_BLOG: u8 = 5;
pub(crate) const TIER_GENERIC_TYPE: u8 = 6;
/// Marks that support a label but never decide one alone.
pub(crate) const TIER_SUPPORT: u8 = 7;

/// Headline labels longer than this are not labels but the headline itself.
const MAX_HEADLINE_LABEL_CHARS: usize = 32;

/// Generators of blog platforms (the `generator` meta). WordPress is absent on
/// purpose: it runs news sites and shops as much as blogs.
const BLOG_GENERATORS: &[&str] = &[
    "blogger",
    "ghost",
    "hugo",
    "jekyll",
    "hexo",
    "substack",
    "medium",
    "typepad",
    "tumblr",
    "write.as",
    "micro.blog",
];

/// Hosts of blog platforms and `blog.` subdomains.
const BLOG_HOSTS: &[&str] = &[
    "substack.com",
    "medium.com",
    "blogspot.com",
    "wordpress.com",
    "tumblr.com",
    "ghost.io",
    "typepad.com",
    "hashnode.dev",
    "dev.to",
];

struct Found {
    tier: u8,
    evidence: Evidence,
}

/// Who stands behind the label that `signal` produced.
fn asserted_by(signal: &str) -> AssertedBy {
    match signal {
        SIGNAL_FEED_CATEGORY => AssertedBy::Feed,
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
        SourceType::Blog => 6,
        SourceType::Reportage => 7,
        SourceType::Unknown => 8,
    }
}

/// Label the source from the page (`article`) and the feed entry (`item`).
///
/// Never labels without evidence: with no signal at all the result is `unknown`,
/// asserted by nobody, with an empty evidence list.
pub(crate) fn classify(article: &Article, item: &Item) -> SourceLabel {
    let mut found: Vec<Found> = Vec::new();
    let mut push = |tier: u8, signal: &str, value: &str, label: SourceType, place: &str| {
        let value = crate::text::collapse_ws(value);
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
                    place: Some(place.to_string()),
                },
            });
        }
    };
    let urls: Vec<&str> = [
        article.canonical_url.as_deref(),
        Some(article.url.as_str()),
        item.link.as_deref(),
    ]
    .into_iter()
    .flatten()
    .filter(|u| !u.trim().is_empty())
    .collect();
    let forum = is_forum(&article.jsonld_types, &urls);
    let signals = &article.signals;

    for t in &article.jsonld_types {
        if let Some(label) = jsonld_type_label(t) {
            push(TIER_JSONLD, SIGNAL_JSONLD_TYPE, t, label, "jsonld");
        } else if is_generic_news_type(t) {
            push(
                TIER_GENERIC_TYPE,
                SIGNAL_JSONLD_TYPE,
                t,
                SourceType::Reportage,
                "jsonld",
            );
        } else if is_blog_type(t) && !forum {
            push(TIER_BLOG, SIGNAL_JSONLD_TYPE, t, SourceType::Blog, "jsonld");
        }
    }
    for f in paid_disclosures(&signals.header, &article.text)
        .into_iter()
        .chain(paid_notices(&signals.notices))
    {
        push(
            TIER_JSONLD,
            SIGNAL_DISCLOSURE_LINE,
            &f.value,
            f.label,
            f.place,
        );
    }
    for s in &article.sections {
        for part in split_label_parts(s) {
            if let Some(label) = phrase_label(part) {
                push(TIER_SECTION, SIGNAL_SECTION, s, label, "meta");
            }
        }
    }
    if let Some(og) = &article.og_type {
        // og:type is almost always "article"; a few publishers put the kind after it
        // ("article:opinion").
        let kind = og.rsplit([':', '.', '/']).next().unwrap_or(og);
        if let Some(label) = phrase_label(kind) {
            push(TIER_SECTION, SIGNAL_OG_TYPE, og, label, "meta");
        }
    }
    // `true` is the publisher saying "opinion"; `false` is set by some templates on
    // every page, columns included, so it is no evidence of anything.
    if signals.article_opinion == Some(true) {
        push(
            TIER_SECTION,
            SIGNAL_ARTICLE_OPINION,
            "true",
            SourceType::Opinion,
            "meta",
        );
    }
    for (signal, f) in header_labels(&signals.header) {
        push(TIER_SECTION, signal, &f.value, f.label, f.place);
    }
    for url in &urls {
        for (segment, label) in url_path_labels(url) {
            push(
                TIER_URL,
                SIGNAL_URL_PATH,
                &format!("/{segment}/"),
                label,
                "url",
            );
        }
    }
    for c in &item.categories {
        for part in split_label_parts(c) {
            if let Some(label) = phrase_label(part) {
                push(TIER_FEED, SIGNAL_FEED_CATEGORY, c, label, "feed");
            }
        }
    }
    let titles: Vec<&str> = [article.title.as_deref(), item.title.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    for title in &titles {
        for (signal, value, label) in headline_labels(title) {
            push(TIER_HEADLINE, signal, &value, label, "headline");
        }
    }

    let mut demote_blog_type = false;
    // Reviews and buying guides: an "X review" headline says it alone; a guide
    // headline or slug needs a second, independent review mark.
    if !forum {
        for title in &titles {
            if let Some(v) = review_headline(title) {
                push(
                    TIER_HEADLINE,
                    SIGNAL_HEADLINE_REVIEW,
                    &v,
                    SourceType::Review,
                    "headline",
                );
            }
        }
        let mut support: Vec<(&str, String, &str)> = Vec::new();
        for title in &titles {
            if let Some(v) = guide_headline(title).or_else(|| shopping_headline(title)) {
                support.push((SIGNAL_HEADLINE_GUIDE, v, "headline"));
            }
        }
        for url in &urls {
            if let Some((v, _)) = slug_label(url) {
                support.push((SIGNAL_URL_SLUG, v, "url"));
            }
        }
        for f in affiliate_notes(&signals.header, &article.text)
            .into_iter()
            .chain(affiliate_in_notices(&signals.notices))
        {
            support.push((SIGNAL_AFFILIATE, f.value, f.place));
        }
        for f in tested_marks(&signals.header, &article.text) {
            support.push((SIGNAL_TESTED, f.value, f.place));
        }
        for r in &signals.rating {
            // A crowd's aggregate rating sits on shops and business listings too;
            // only a review's own rating is a review mark.
            if !r.to_ascii_lowercase().contains("aggregaterating") {
                support.push((
                    SIGNAL_RATING,
                    r.clone(),
                    if r.starts_with("jsonld") {
                        "jsonld"
                    } else {
                        "markup"
                    },
                ));
            }
        }
        let kinds = |s: &str| support.iter().any(|(k, _, _)| *k == s);
        let guide = kinds(SIGNAL_HEADLINE_GUIDE) || kinds(SIGNAL_URL_SLUG);
        let independent = [
            SIGNAL_HEADLINE_GUIDE,
            SIGNAL_URL_SLUG,
            SIGNAL_AFFILIATE,
            SIGNAL_TESTED,
            SIGNAL_RATING,
        ]
        .iter()
        .filter(|k| kinds(k))
        .count();
        let decided = guide && independent >= 2;
        for (signal, value, place) in support {
            let tier = if decided && matches!(signal, SIGNAL_HEADLINE_GUIDE | SIGNAL_URL_SLUG) {
                TIER_HEADLINE
            } else {
                TIER_SUPPORT
            };
            push(tier, signal, &value, SourceType::Review, place);
        }

        // A blog folder on a site whose structured data says NewsArticle is the
        // news site's blog section: the publisher's type is the more specific word.
        // And a post with review or commerce marks that do not settle it as a review
        // is not plainly a blog post either: say nothing rather than guess.
        let news_typed = article.jsonld_types.iter().any(|t| is_generic_news_type(t));
        let commerce = independent > 0 && !decided;
        demote_blog_type = commerce;
        for (value, place) in blog_marks(article, &urls) {
            let tier = if commerce || (news_typed && value == "/blog/") {
                TIER_SUPPORT
            } else {
                TIER_BLOG
            };
            push(tier, SIGNAL_BLOG, &value, SourceType::Blog, place);
        }
    }

    if demote_blog_type {
        for f in found.iter_mut() {
            if f.evidence.label == SourceType::Blog {
                f.tier = TIER_SUPPORT;
            }
        }
    }
    // Stable sort: equal (tier, urgency) keep the order they were found in.
    found.sort_by_key(|f| (f.tier, urgency(f.evidence.label)));
    let Some(winner) = found.first().filter(|f| f.tier < TIER_SUPPORT) else {
        // Supporting marks alone decide nothing; they are not kept as if they had.
        return SourceLabel::default();
    };
    SourceLabel {
        label: winner.evidence.label,
        asserted_by: asserted_by(&winner.evidence.signal),
        score: None,
        evidence: found.into_iter().map(|f| f.evidence).collect(),
    }
}

/// The page's own marks of a blog post: a `/blog/` folder, a `blog.` host or a blog
/// platform's host, a blog platform's generator.
fn blog_marks(article: &Article, urls: &[&str]) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    for url in urls {
        let Ok(u) = Url::parse(url.trim()) else {
            continue;
        };
        if let Some(segs) = u.path_segments() {
            let segs: Vec<&str> = segs.filter(|s| !s.is_empty()).collect();
            // A folder, not the post's own slug, and not the blog's index page.
            if segs.len() >= 2
                && segs[..segs.len() - 1]
                    .iter()
                    .any(|s| matches!(s.to_ascii_lowercase().as_str(), "blog" | "blogs" | "weblog"))
            {
                out.push(("/blog/".to_string(), "url"));
            }
        }
        if let Some(h) = u.host_str() {
            let h = h.to_ascii_lowercase();
            if h.starts_with("blog.")
                || h.starts_with("blogs.")
                || BLOG_HOSTS
                    .iter()
                    .any(|b| h == *b || h.ends_with(&format!(".{b}")))
            {
                out.push((h, "url"));
            }
        }
    }
    if let Some(g) = &article.signals.generator {
        let gl = g.to_ascii_lowercase();
        if BLOG_GENERATORS.iter().any(|b| gl.starts_with(b)) {
            out.push((format!("generator {g}"), "meta"));
        }
    }
    out
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
    let bracketed = title.starts_with(['[', '(', '【']);
    if let Some(prefix) = headline_prefix(title)
        && let Some(label) = if bracketed {
            kicker_label(prefix)
        } else {
            phrase_label(prefix)
        }
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
    fn bracketed_header_only_labels_and_japanese_pr() {
        let l = headline_labels("[PR] 冬のおすすめ旅行プラン");
        assert_eq!(l.len(), 1, "{l:?}");
        assert_eq!(l[0].2, SourceType::Sponsored);
        // Unbracketed, "PR:" is a company's press-release headline, not a label.
        assert!(headline_labels("PR: Acme opens a plant").is_empty());
    }

    #[test]
    fn url_segments_count_but_slugs_and_hosts_do_not() {
        let l = url_path_labels("https://opinion.example.com/politics/opinion-poll-x?s=opinion");
        assert!(l.is_empty(), "{l:?}");
        let l = url_path_labels("https://example.com/2024/05/01/Opinions/the-case.html");
        assert_eq!(l, vec![("opinions".to_string(), SourceType::Opinion)]);
    }
}
