//! Readers for the evidence a page carries in its own words, each returning where it was
//! seen: disclosure lines in the header, first or last paragraphs ("Sponsored by ...",
//! "#ad", "paid media partner", "Anzeige", "广告", affiliate notes), bylines and kickers
//! ("Analysis by", "Opinion Columnist"), buying-guide and review headlines ("The 10 best
//! X of 2026", "X review"), review and guide slugs, and pages that are not articles
//! (forums).
//!
//! Placement is the point: a label is evidence only where a publisher puts labels. The
//! extracted text has no menus or ad slots (the extractor drops them), and only its
//! first and last paragraphs are read, sentence by sentence, so "employer-sponsored
//! plans" in the middle of a report or a bill "sponsored by Sen. X" never counts.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::SourceType;

use super::source_type::{SIGNAL_BYLINE, SIGNAL_HEADER_LABEL};
use super::terms::{header_label, normalize_phrase, phrase_label};

/// Paragraphs read at each end of the text.
const FIRST_PARAGRAPHS: usize = 3;
const LAST_PARAGRAPHS: usize = 3;
/// A disclosure is a short statement; a longer sentence is the article talking.
const MAX_DISCLOSURE_WORDS: usize = 45;
/// A label line ("Sponsored by Acme") is shorter still.
const MAX_LABEL_LINE_WORDS: usize = 10;

/// One finding: what was seen, where, and the label it points to.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Found {
    pub(crate) value: String,
    pub(crate) place: &'static str,
    pub(crate) label: SourceType,
}

pub(crate) const PLACE_HEADER: &str = "header";
pub(crate) const PLACE_FIRST: &str = "first_paragraph";
pub(crate) const PLACE_LAST: &str = "last_paragraph";

fn re(p: &str) -> Regex {
    // The patterns are constants of this file; a typo is caught by the unit tests.
    Regex::new(p).unwrap_or_else(|e| panic!("disclosure pattern {p:?}: {e}"))
}

/// Sentences that disclose paid content, in any position of a short sentence. A
/// newsletter, episode or video "sponsored by" a brand carries an ad read; its content
/// is not paid for, so those words are not in the list.
static PAID: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?ix)
        \b(this|the\ following|today's|our)\s+(post|article|content|story|piece|series|feature|list|guide|page)\s+(is|was|has\ been|are|were)\s+(sponsored|paid\ for|underwritten|produced\ in\ (paid\ )?partnership|created\ in\ (paid\ )?partnership|brought\ to\ you)
      | \b(is|are|was)\ a\ paid\ (media\ )?partner\b
      | \bpaid\ media\ partner\b
      | (^|[^\w-])(paid\ post|paid\ partnership|paid\ promotion|sponsored\ (post|content|article|story|feature|listing|list))\b
      | (^|\s)\#(ad|ads|sponsored|spon|anzeige|werbung|publicidad|pub)\b
      | \badvertorial\b
      | \badvertisement\ feature\b
      | \b(i|we)\s+(was|were|have\ been|am|are|got)\s+(compensated|paid)\s+(by|for|to)\b
      | \breceived\ compensation\b
      | \bin\ (paid\ )?partnership\ with\b
      | \bwhy\ this\ sponsored\b
      | \bpublireportage\b | \bpublirreportaje\b | \bcontenido\ patrocinado\b | \bconteúdo\ patrocinado\b
      | \bcontenu\ sponsorisé\b | \bcontenu\ partenaire\b | \ben\ partenariat\ avec\b
      | \bbezahlte\ (partnerschaft|kooperation)\b | \benthält\ werbung\b | \bwerbliche[rn]?\ inhalt
      | 赞助内容 | 推广内容 | 广告内容 | 本文为广告 | 기사형\ 광고 | 광고\s*기사 | 협찬 | スポンサー記事 | タイアップ広告 | 広告企画
    ")
});

/// Self-referential paid-content statements, the only kind a notice outside the
/// article's header and ends may carry ("Sponsored content" over a box of other
/// stories is not about this page).
static NOTICE_PAID: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?ix)
        \b(this|the\ following|our)\s+(post|article|content|story|piece|series|feature|list|guide|page)\s+(is|was|has\ been|contains|includes)\s+(sponsored|paid|underwritten|produced\ in\ (paid\ )?partnership|created\ in\ (paid\ )?partnership|brought\ to\ you)
      | \b(is|are|was)\ a\ paid\ (media\ )?partner\b
      | \b(i|we)\s+(was|were|have\ been|am|are)\s+(compensated|paid)\s+(by|for|to)\b
      | \bwhy\ this\ sponsored\b
      | \bcompanies\ listed\ pay\b
    ")
});

pub(crate) const PLACE_NOTICE: &str = "notice";

/// Paid-content statements in the page's notices (`PageSignals::notices`).
pub(crate) fn paid_notices(notices: &[String]) -> Vec<Found> {
    notices
        .iter()
        .filter(|n| NOTICE_PAID.is_match(n) && !is_quoted(n))
        .map(|n| Found {
            value: clip(n),
            place: PLACE_NOTICE,
            label: SourceType::Sponsored,
        })
        .collect()
}

/// Affiliate notes in the page's notices.
pub(crate) fn affiliate_in_notices(notices: &[String]) -> Vec<Found> {
    notices
        .iter()
        .filter(|n| AFFILIATE.is_match(n))
        .map(|n| Found {
            value: clip(n),
            place: PLACE_NOTICE,
            label: SourceType::Review,
        })
        .collect()
}

/// Reported speech: the words are a source's, not the publisher's.
static REPORTED: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(said|says|told|according to|added|explained)\b"));

/// Somebody quoted ("We are paid to be nosy," she said): not the publisher speaking.
/// A quoted title inside a disclosure ('partner for the "Cloud Forward" series') does
/// not make it speech; opening with a quote or a reporting verb does.
fn is_quoted(s: &str) -> bool {
    s.trim_start().starts_with(['"', '“', '„', '«']) || REPORTED.is_match(s)
}

/// Label lines that open a short sentence: "Sponsored by Acme", "Paid for by ...",
/// "Presented by ...", "Anzeige".
static PAID_LABEL_START: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?ix)^\W*(sponsored\ by|paid\ for\ by|presented\ by|brought\ to\ you\ by|in\ partnership\ with|sponsored|anzeige|werbung|publicidad|patrocinado\ por|sponsorisé\ par|gesponsert\ von|präsentiert\ von|广告|推广|赞助|광고|広告|\[pr\]|【pr】)\b",
    )
});

/// Words before "sponsored" that make it an adjective of something else
/// ("employer-sponsored", "state-sponsored terrorism", "government sponsored").
static SPONSORED_COMPOUND: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(\w-sponsored|\b(state|government|employer|company|university|school|church|federal|taxpayer|publicly|privately|self)\s+sponsored)",
    )
});

/// Affiliate-commerce notes: the page earns from what it recommends.
static AFFILIATE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?ix)
        \baffiliate\ (link|links|commission|commissions|partner|partners|program)\b
      | \b(may|might|will|could)\s+(earn|receive|get|make)\s+(a\ |an\ )?(small\ )?(affiliate\ )?(commission|compensation|share\ of\ sales|fee)
      | \b(earns?|receives?)\s+(a\ )?(small\ )?(affiliate\ )?commissions?\b
      | \bwhen\ you\ (buy|shop|purchase)\ (something\ )?(through|via|using)\ (our\ |the\ )?links\b
      | \bamazon\ (services\ llc\ )?associates?\b
      | \bincome\ earning\ auto\ affiliate\b
      | \badvertising\ disclosure\b
    ")
});

/// The writer tested the things judged: "we tested", "tested by", "after testing".
static TESTED: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?ix)
        \b(we|i)('ve|\ have)?\ (tested|reviewed|tried|rated|ranked)\b
      | \btested\ (by|and\ reviewed|&\ ranked|and\ ranked)\b
      | \bafter\ testing\b | \bhow\ we\ test(ed)?\b | \bour\ (top\ )?picks?\b | \bfinal\ verdict\b
      | \bour\ verdict\b | \bthe\ verdict\b | \bour\ rating\b | \brating\ methodology\b
    ")
});

/// A buying guide or ranking headline: "The 10 Best X of 2026", "Best X for Y",
/// "15 Best HR Consulting Firms 2026", "The best new typefaces for December".
static GUIDE_HEADLINE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?ix)^\W*(the\ )?(\d+\+?\ )?(best|top\ \d+)\ \w[\w'’&.-]*(\ [\w'’&.$-]+){0,8}?\ (of|for|in|under|to\ buy|right\ now|\(?20\d\d\)?)\b",
    )
});
/// "N best X" anywhere in a headline ("Comparing the 8 Best Social Media Platforms").
static GUIDE_COUNTED: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b\d+\+?\s+best\s+\w"));

/// Shopping headlines: deal roundups and gift or buying guides ("Daily Deals: ...",
/// "The 9to5Mac Gift Guide", "Black Friday deals on ..."). The singular "deal" is
/// business news ("Disney's deal"), so only the plural counts.
static SHOPPING_HEADLINE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(deals|gift\s+guide|gift\s+ideas|buying\s+guide|buyer's\s+guide|offerte|angebote|ofertas)\b",
    )
});

/// "Best" phrases that are not rankings of things to buy.
static NOT_A_GUIDE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\bbest\s+(practices?|practice|tips?|ways?|friends?|sellers?|seller|selling|of\s+luck|wishes|man|interests?|actor|actress|picture|director)\b|\?\s*$",
    )
});

/// "X review" headlines: the last word of the headline's first segment.
static REVIEW_HEADLINE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\S\s+(review|reviews|reviewed|test|tested|hands-on)\s*$"));
/// "... review" headlines that are not reviews of a thing.
static NOT_A_REVIEW: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(year|week|month|season|decade|the\ year|\d{4})\s+in\s+review\s*$|\b(judicial|peer|code|performance|policy|safety|strategic|annual|under|legal|security|spending|defence|defense|rate|pay|price)\s+review\s*$|\b(nuclear|drug|blood|covid|virus|stress|driving|beta|crash|missile)\s+test(ed)?\s*$",
    )
});

/// Path segments of forums and Q&A threads: not articles, so no kind of article.
const FORUM_SEGMENTS: &[&str] = &[
    "t",
    "threads",
    "thread",
    "forum",
    "forums",
    "community",
    "discussion",
    "discussions",
    "questions",
    "topic",
    "viewtopic.php",
    "showthread.php",
];
/// JSON-LD types of forum and Q&A pages.
const FORUM_TYPES: &[&str] = &["DiscussionForumPosting", "QAPage", "SocialMediaPosting"];

/// The page is a forum thread or Q&A (by its JSON-LD or its URL path).
pub(crate) fn is_forum(jsonld_types: &[String], urls: &[&str]) -> bool {
    if jsonld_types
        .iter()
        .any(|t| FORUM_TYPES.iter().any(|f| t.eq_ignore_ascii_case(f)))
    {
        return true;
    }
    urls.iter().any(|u| {
        url::Url::parse(u.trim()).ok().is_some_and(|u| {
            let host_forum = u.host_str().is_some_and(|h| {
                h.starts_with("forum.") || h.starts_with("forums.") || h.starts_with("community.")
            });
            host_forum
                || u.path_segments().is_some_and(|mut s| {
                    s.any(|seg| FORUM_SEGMENTS.contains(&seg.to_ascii_lowercase().as_str()))
                })
        })
    })
}

/// Where each paragraph of `text` sits, for the ones that are read.
fn placed_paragraphs(text: &str) -> Vec<(&'static str, &str)> {
    let paras: Vec<&str> = text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let mut out = Vec::new();
    for (i, p) in paras.iter().enumerate() {
        if i < FIRST_PARAGRAPHS {
            out.push((PLACE_FIRST, *p));
        } else if i + LAST_PARAGRAPHS >= paras.len() {
            out.push((PLACE_LAST, *p));
        }
    }
    out
}

fn sentences(p: &str) -> impl Iterator<Item = &str> {
    p.split_inclusive(['.', '!', '?', '\n', '。', '！', '？'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn word_count(s: &str) -> usize {
    let ws = s.split_whitespace().count();
    // CJK sentences have no spaces: count characters as words, roughly.
    let cjk = s.chars().filter(|c| *c as u32 >= 0x2E80).count();
    ws.max(cjk / 2)
}

/// Trim a found sentence for the evidence record.
fn clip(s: &str) -> String {
    let s = crate::text::collapse_ws(s);
    if s.chars().count() <= 140 {
        return s;
    }
    let mut out: String = s.chars().take(137).collect();
    out.push('…');
    out
}

/// A paid-content disclosure in one short sentence, or `None`.
fn paid_sentence(s: &str) -> Option<String> {
    let words = word_count(s);
    if words == 0 || words > MAX_DISCLOSURE_WORDS {
        return None;
    }
    let cleaned = SPONSORED_COMPOUND.replace_all(s, "");
    // Somebody quoted ("We are paid to be nosy," she said) is not the publisher
    // disclosing anything.
    if !is_quoted(s) && PAID.is_match(&cleaned) {
        return Some(clip(s));
    }
    if words <= MAX_LABEL_LINE_WORDS && PAID_LABEL_START.is_match(&cleaned) {
        return Some(clip(s));
    }
    None
}

/// Paid-content disclosures in the header texts and the first and last paragraphs.
pub(crate) fn paid_disclosures(header: &[String], text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    for h in header {
        if let Some(v) = paid_sentence(h) {
            out.push(Found {
                value: v,
                place: PLACE_HEADER,
                label: SourceType::Sponsored,
            });
        }
    }
    for (place, p) in placed_paragraphs(text) {
        for s in sentences(p) {
            if let Some(v) = paid_sentence(s) {
                out.push(Found {
                    value: v,
                    place,
                    label: SourceType::Sponsored,
                });
            }
        }
    }
    out
}

/// Affiliate-commerce notes (header, first or last paragraphs).
pub(crate) fn affiliate_notes(header: &[String], text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut check = |s: &str, place: &'static str| {
        if word_count(s) <= MAX_DISCLOSURE_WORDS + 15 && AFFILIATE.is_match(s) {
            out.push(Found {
                value: clip(s),
                place,
                label: SourceType::Review,
            });
        }
    };
    for h in header {
        check(h, PLACE_HEADER);
    }
    for (place, p) in placed_paragraphs(text) {
        for s in sentences(p) {
            check(s, place);
        }
    }
    out
}

/// "We tested", "Our picks", "Final verdict" in the header or the text's ends.
pub(crate) fn tested_marks(header: &[String], text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut check = |s: &str, place: &'static str| {
        if let Some(m) = TESTED.find(s) {
            out.push(Found {
                value: clip(m.as_str()),
                place,
                label: SourceType::Review,
            });
        }
    };
    for h in header {
        check(h, PLACE_HEADER);
    }
    for (place, p) in placed_paragraphs(text) {
        check(p, place);
    }
    out
}

/// Labels in the header texts: a kicker or label that is a whole label phrase
/// ("Opinion", "Sponsored", "Analysis", "Column", "PR"), or a byline that names the
/// kind ("Analysis by ...", "Opinion Columnist", "Commentary by ...").
pub(crate) fn header_labels(header: &[String]) -> Vec<(&'static str, Found)> {
    let mut out = Vec::new();
    for h in header {
        if let Some(label) = header_label(h) {
            out.push((
                SIGNAL_HEADER_LABEL,
                Found {
                    value: clip(h),
                    place: PLACE_HEADER,
                    label,
                },
            ));
            continue;
        }
        if let Some(label) = byline_label(h) {
            out.push((
                SIGNAL_BYLINE,
                Found {
                    value: clip(h),
                    place: PLACE_HEADER,
                    label,
                },
            ));
        }
    }
    out
}

/// "Analysis by Jane Doe", "Opinion by ...", "Business Columnist", "Guest Columnist".
fn byline_label(s: &str) -> Option<SourceType> {
    let p = normalize_phrase(s);
    let words: Vec<&str> = p.split(' ').collect();
    if words.is_empty() || words.len() > 8 {
        return None;
    }
    for (head, label) in [
        ("analysis by", SourceType::Analysis),
        ("news analysis by", SourceType::Analysis),
        ("opinion by", SourceType::Opinion),
        ("commentary by", SourceType::Opinion),
        ("column by", SourceType::Opinion),
        ("editorial by", SourceType::Opinion),
        ("review by", SourceType::Review),
        ("reviewed by", SourceType::Review),
        ("sponsored by", SourceType::Sponsored),
    ] {
        if p.starts_with(head) && words.len() > head.split(' ').count() {
            return Some(label);
        }
    }
    let last = words[words.len() - 1];
    if words.len() <= 4
        && matches!(
            last,
            "columnist"
                | "columnists"
                | "kolumnist"
                | "chroniqueur"
                | "chroniqueuse"
                | "columnista"
                | "colunista"
                | "editorialist"
        )
    {
        return Some(SourceType::Opinion);
    }
    if words.len() <= 4 && matches!(last, "reviewer" | "critic") {
        return Some(SourceType::Review);
    }
    None
}

/// The headline's first segment (before " | ", " - ", " – ", " — "): the site name and
/// section names publishers append are not the headline.
pub(crate) fn headline_core(title: &str) -> &str {
    let t = title.trim();
    let cut = [" | ", " - ", " – ", " — ", " · ", " :: "]
        .iter()
        .filter_map(|s| t.find(s))
        .min()
        .unwrap_or(t.len());
    t[..cut].trim()
}

/// A buying-guide or ranking headline ("The 10 Best X of 2026").
pub(crate) fn guide_headline(title: &str) -> Option<String> {
    let core = headline_core(title);
    if NOT_A_GUIDE.is_match(core) {
        return None;
    }
    // The guide part may follow a colon ("Music of the Month: The Best Albums of ...").
    let after_colon = core.rsplit_once(": ").map(|(_, b)| b).unwrap_or(core);
    (GUIDE_HEADLINE.is_match(core)
        || GUIDE_HEADLINE.is_match(after_colon)
        || GUIDE_COUNTED.is_match(core))
    .then(|| core.to_string())
}

/// A shopping headline (deals roundup, gift or buying guide).
pub(crate) fn shopping_headline(title: &str) -> Option<String> {
    let core = headline_core(title);
    SHOPPING_HEADLINE.is_match(core).then(|| core.to_string())
}

/// An "X review" headline ("Osprey Atmos 65L Backpack Review").
pub(crate) fn review_headline(title: &str) -> Option<String> {
    let core = headline_core(title);
    (REVIEW_HEADLINE.is_match(core)
        && !NOT_A_REVIEW.is_match(core)
        && core.split_whitespace().count() >= 3)
        .then(|| core.to_string())
}

/// The last non-empty path segment: "-review" slugs and "best-" guide slugs.
pub(crate) fn slug_label(url: &str) -> Option<(String, SourceType)> {
    let u = url::Url::parse(url.trim()).ok()?;
    let segs: Vec<String> = u
        .path_segments()?
        .filter(|s| !s.is_empty())
        .map(|s| s.to_ascii_lowercase())
        .collect();
    let slug = segs.last()?;
    let slug = slug
        .trim_end_matches(".html")
        .trim_end_matches(".htm")
        .trim_end_matches(".php");
    let words: Vec<&str> = slug.split(['-', '_']).filter(|w| !w.is_empty()).collect();
    if words.len() < 2 {
        // "/security-cameras/best/": a "best" folder of its own.
        return (slug == "best" && segs.len() >= 2)
            .then(|| (format!("/{slug}/"), SourceType::Review));
    }
    let not_review = [
        "in",
        "judicial",
        "peer",
        "code",
        "performance",
        "policy",
        "annual",
        "under",
        "year",
        "security",
        "safety",
        "strategic",
    ];
    let n = words.len();
    let review_end = matches!(words[n - 1], "review" | "reviews")
        || (n >= 3
            && matches!(words[n - 2], "review" | "reviews")
            && words[n - 1].chars().all(|c| c.is_ascii_digit()));
    let before = if matches!(words[n - 1], "review" | "reviews") {
        words[n - 2]
    } else {
        words.get(n.wrapping_sub(3)).copied().unwrap_or("")
    };
    if review_end && !not_review.contains(&before) {
        return Some((slug.to_string(), SourceType::Review));
    }
    let best_at = words.iter().position(|w| *w == "best");
    let guide_start = match best_at {
        Some(0) => true,
        Some(1) => words[0] == "the" || words[0].chars().all(|c| c.is_ascii_digit()),
        Some(2) => words[0] == "the" && words[1].chars().all(|c| c.is_ascii_digit()),
        _ => false,
    };
    if guide_start
        && let Some(i) = best_at
        && let Some(next) = words.get(i + 1)
        && !matches!(
            *next,
            "practices"
                | "practice"
                | "tips"
                | "ways"
                | "sellers"
                | "seller"
                | "selling"
                | "friends"
                | "of"
        )
    {
        return Some((slug.to_string(), SourceType::Review));
    }
    None
}

/// The label a section-like value asserts, also for the labels seen only in headers and
/// headline brackets ("PR", "広告").
pub(crate) fn kicker_label(value: &str) -> Option<SourceType> {
    header_label(value).or_else(|| phrase_label(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paid_lines_count_only_as_disclosures() {
        let text = "Sponsored by Northwind Resorts.\n\nThe bill, sponsored by Sen. Ada Park, passed.\n\nMiddle.\n\nMore.\n\nMore.\n\nMore.\n\nMany employers offer employer-sponsored plans to staff.\n\nEnd.";
        let f = paid_disclosures(&[], text);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].place, PLACE_FIRST);
        assert!(f[0].value.starts_with("Sponsored by Northwind"));
        let f = paid_disclosures(
            &[],
            "Disclosure: TheCUBE is a paid media partner for the series.",
        );
        assert_eq!(f.len(), 1);
        let n = vec!["(* Disclosure: TheCUBE is a paid media partner for the series.)".to_string()];
        assert_eq!(paid_notices(&n).len(), 1);
        let n = vec!["Sponsored content".to_string()];
        assert!(
            paid_notices(&n).is_empty(),
            "a box of other stories is not about this page"
        );
        let n = vec!["\"We are paid to be nosy,\" Dempsey said. \"The danger is...\"".to_string()];
        assert!(paid_notices(&n).is_empty());
        let f = paid_disclosures(&["Anzeige".into()], "Text.");
        assert_eq!(f[0].place, PLACE_HEADER);
        assert!(
            paid_disclosures(&[], "State-sponsored hackers hit the grid, officials said.")
                .is_empty()
        );
        assert!(paid_disclosures(&[], "\"We are paid to be nosy,\" Dempsey said.").is_empty());
    }

    #[test]
    fn guide_and_review_headlines() {
        for t in [
            "The 11 Best Wireless Headphones of 2025 — Audiophile ON",
            "15 Best HR Consulting Firms 2026 - HR University",
            "Best GPS Running Watches of 2026 – iRunFar",
            "Comparing the 8 Best Social Media Platforms in 2024",
            "Music of the Month(s): The Best Albums and Tracks of November",
        ] {
            assert!(guide_headline(t).is_some(), "{t}");
        }
        for t in [
            "Top 10 IT Security Best Practices for 2025",
            "Best daily news website for beginner?",
            "Best Books Ever (77141 books)",
            "Amazon Best Sellers: Best Books",
            "Markets rally as rates fall",
        ] {
            assert!(guide_headline(t).is_none(), "{t}");
        }
        assert!(shopping_headline("Daily Deals: AirPods and more").is_some());
        assert!(shopping_headline("Disney closes its deal for Fox").is_none());
        assert!(review_headline("Osprey Atmos 65L Backpack Review - In4adventure").is_some());
        assert!(review_headline("The Space Review: Seeking a bigger role").is_none());
        assert!(review_headline("The year in review").is_none());
        assert!(review_headline("Court orders judicial review").is_none());
    }

    #[test]
    fn slugs() {
        let l = |u: &str| slug_label(u).map(|x| x.1);
        assert_eq!(
            l("https://x.example/osprey-atmos-65l-backpack-review/"),
            Some(SourceType::Review)
        );
        assert_eq!(
            l("https://x.example/best-gps-running-watch"),
            Some(SourceType::Review)
        );
        assert_eq!(
            l("https://x.example/security-cameras/best/"),
            Some(SourceType::Review)
        );
        assert_eq!(l("https://x.example/2024/year-in-review"), None);
        assert_eq!(l("https://x.example/blog/best-practices-for-x"), None);
        assert_eq!(l("https://x.example/news/opinion-poll"), None);
    }

    #[test]
    fn bylines_and_forums() {
        assert_eq!(
            byline_label("Analysis by Stephen Collinson, CNN"),
            Some(SourceType::Analysis)
        );
        assert_eq!(byline_label("Opinion Columnist"), Some(SourceType::Opinion));
        assert_eq!(byline_label("Analysis"), None);
        assert!(is_forum(&[], &["https://x.example/t/best-movies/123"]));
        assert!(!is_forum(&[], &["https://x.example/2024/story"]));
    }
}
