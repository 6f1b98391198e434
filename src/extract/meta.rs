//! Page metadata: `<meta>`/`<link>` tags, `<html lang>`, `<title>`, and JSON-LD
//! (every `@type`, also inside `@graph`, arrays and nested objects), merged into one
//! record with the publisher's structured data preferred over loose tags.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde_json::Value;

use super::dom::{Flat, Tag};
use crate::text::collapse_ws;

/// What the page says about itself.
#[derive(Debug, Default)]
pub(crate) struct PageMeta {
    pub(crate) html_lang: Option<String>,
    pub(crate) title_tag: Option<String>,
    pub(crate) og_title: Option<String>,
    pub(crate) og_type: Option<String>,
    pub(crate) og_url: Option<String>,
    pub(crate) og_locale: Option<String>,
    pub(crate) site_name: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) canonical: Option<String>,
    pub(crate) meta_lang: Option<String>,
    pub(crate) published: Option<DateTime<Utc>>,
    pub(crate) modified: Option<DateTime<Utc>>,
    pub(crate) authors: Vec<String>,
    pub(crate) sections: Vec<String>,
    pub(crate) keywords: Vec<String>,
    /// `article:opinion` meta (true/false).
    pub(crate) article_opinion: Option<bool>,
    /// `generator` meta.
    pub(crate) generator: Option<String>,
    /// Microdata rating markup (`itemprop="ratingValue"`...).
    pub(crate) rating: Vec<String>,
    /// Short texts next to the first `<h1>` (kicker, label, byline), page order.
    pub(crate) header: Vec<String>,
    /// Short notices that speak about money (affiliate, sponsorship), outside
    /// navigation and footers, page order.
    pub(crate) notices: Vec<String>,
    pub(crate) ld: JsonLd,
}

/// The parts of a page's JSON-LD that extraction uses.
#[derive(Debug, Default)]
pub(crate) struct JsonLd {
    pub(crate) types: Vec<String>,
    pub(crate) headline: Option<String>,
    /// The headline came from a WebPage node; a story node's headline replaces it.
    pub(crate) headline_from_page: bool,
    pub(crate) body: Option<String>,
    pub(crate) authors: Vec<String>,
    pub(crate) published: Option<DateTime<Utc>>,
    pub(crate) modified: Option<DateTime<Utc>>,
    pub(crate) sections: Vec<String>,
    pub(crate) keywords: Vec<String>,
    pub(crate) free: Option<bool>,
    pub(crate) publisher: Option<String>,
    pub(crate) language: Option<String>,
    pub(crate) url: Option<String>,
    pub(crate) description: Option<String>,
    /// Rating markup in the JSON-LD (`reviewRating`, `aggregateRating`, `ratingValue`).
    pub(crate) rating: Vec<String>,
}

fn push_unique(v: &mut Vec<String>, s: &str) {
    let s = collapse_ws(s);
    if !s.is_empty() && !v.iter().any(|x| x.eq_ignore_ascii_case(&s)) {
        v.push(s);
    }
}

fn set_once(slot: &mut Option<String>, s: &str) {
    if slot.is_none() {
        let s = collapse_ws(s);
        if !s.is_empty() {
            *slot = Some(s);
        }
    }
}

/// Parse a date as pages write it; values without an offset are taken as UTC.
/// Placeholder dates (`0001-01-01`, `1970-01-01`) and far-future ones are rejected.
pub(crate) fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    use chrono::Datelike;
    parse_any_date(s).filter(|d| (1991..=2100).contains(&d.year()))
}

fn parse_any_date(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S %z",
        "%Y%m%dT%H%M%S%z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(s, f) {
            return Some(d.with_timezone(&Utc));
        }
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d.with_timezone(&Utc));
    }
    let naive = s.trim_end_matches('Z');
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(naive, f) {
            return Some(d.and_utc());
        }
    }
    let day = s.get(..10).unwrap_or(s);
    for f in ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(day, f) {
            return d.and_hms_opt(0, 0, 0).map(|d| d.and_utc());
        }
    }
    None
}

/// Read all metadata from the flattened page and its JSON-LD blocks.
pub(crate) fn read(flat: &Flat, jsonld: &[&str]) -> PageMeta {
    let mut m = PageMeta::default();
    let mut meta_date: Option<String> = None;
    let mut meta_modified: Option<String> = None;
    for node in &flat.nodes {
        let Some(e) = node.element() else { continue };
        match node.tag {
            Tag::Html => {
                if let Some(l) = e.attr("lang").or_else(|| e.attr("xml:lang")) {
                    set_once(&mut m.html_lang, l);
                }
            }
            Tag::Title if m.title_tag.is_none() => {
                let t: String = node
                    .node
                    .children()
                    .filter_map(|c| c.value().as_text())
                    .map(|t| &**t)
                    .collect();
                set_once(&mut m.title_tag, &t);
            }
            Tag::Link => {
                if e.attr("rel")
                    .is_some_and(|r| r.eq_ignore_ascii_case("canonical"))
                    && let Some(h) = e.attr("href")
                {
                    set_once(&mut m.canonical, h);
                }
            }
            Tag::Meta => {
                let key = e
                    .attr("property")
                    .or_else(|| e.attr("name"))
                    .or_else(|| e.attr("itemprop"))
                    .or_else(|| e.attr("http-equiv"));
                let (Some(key), Some(val)) = (key, e.attr("content")) else {
                    continue;
                };
                let key = key.trim().to_ascii_lowercase();
                match key.as_str() {
                    "og:title" | "twitter:title" => set_once(&mut m.og_title, val),
                    "og:type" => set_once(&mut m.og_type, val),
                    "og:url" => set_once(&mut m.og_url, val),
                    "og:locale" => set_once(&mut m.og_locale, val),
                    "og:site_name" | "application-name" => set_once(&mut m.site_name, val),
                    "description" | "og:description" | "twitter:description" => {
                        set_once(&mut m.description, val)
                    }
                    "content-language" | "language" | "dc.language" => {
                        set_once(&mut m.meta_lang, val)
                    }
                    "article:published_time"
                    | "datepublished"
                    | "date"
                    | "pubdate"
                    | "publishdate"
                    | "publish-date"
                    | "dc.date"
                    | "dc.date.issued"
                    | "dcterms.created"
                    | "sailthru.date"
                    | "parsely-pub-date"
                    | "article.published"
                    | "og:published_time"
                    | "citation_publication_date" => {
                        set_once(&mut meta_date, val);
                    }
                    "article:modified_time"
                    | "datemodified"
                    | "og:updated_time"
                    | "last-modified"
                    | "dcterms.modified"
                    | "article.updated" => {
                        set_once(&mut meta_modified, val);
                    }
                    // article:author is often a profile URL; a URL is not a name.
                    "author" | "article:author" | "dc.creator" | "parsely-author"
                    | "sailthru.author"
                        if !val.starts_with("http") =>
                    {
                        for a in val.split(" and ") {
                            push_unique(&mut m.authors, a);
                        }
                    }
                    "article:section" | "parsely-section" => push_unique(&mut m.sections, val),
                    "article:opinion" if m.article_opinion.is_none() => {
                        m.article_opinion = as_bool(&Value::String(val.trim().to_string()));
                    }
                    "generator" => set_once(&mut m.generator, val),
                    "ratingvalue" | "reviewrating" | "bestrating" => {
                        push_unique(&mut m.rating, &format!("microdata:{key}"))
                    }
                    "article:tag" | "keywords" | "news_keywords" | "parsely-tags" => {
                        for k in val.split(',') {
                            push_unique(&mut m.keywords, k);
                        }
                    }
                    _ => {}
                }
            }
            _ if e.attr("itemprop").is_some_and(|p| {
                matches!(p.trim(), "ratingValue" | "reviewRating" | "bestRating")
            }) =>
            {
                let p = e
                    .attr("itemprop")
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_lowercase();
                push_unique(&mut m.rating, &format!("microdata:{p}"));
            }
            Tag::Time if meta_date.is_none() => {
                if e.attr("itemprop")
                    .is_some_and(|p| p.contains("datePublished"))
                    && let Some(d) = e.attr("datetime")
                {
                    set_once(&mut meta_date, d);
                }
            }
            _ => {}
        }
    }
    m.published = meta_date.as_deref().and_then(parse_date);
    m.modified = meta_modified.as_deref().and_then(parse_date);
    m.header = header_texts(flat);
    m.notices = notices(flat);
    for block in jsonld {
        read_jsonld(block, &mut m.ld);
    }
    m
}

/// Nodes before and after the first `<h1>` that count as its header.
const HEADER_WINDOW: usize = 80;
/// Longer texts are sentences of the article or teasers, not labels or bylines.
const HEADER_TEXT_MAX_CHARS: usize = 80;
const HEADER_TEXTS_MAX: usize = 24;

/// The short texts next to the headline, where publishers put kickers ("Opinion",
/// "Sponsored", "Analysis"), labels and bylines ("Analysis by ...", "Opinion
/// Columnist"). Only inside the headline's own container (its grandparent, so a
/// teaser list elsewhere never counts), within a few dozen nodes of it, and never
/// inside navigation, asides, footers or forms: a "Sponsored" menu entry is not a
/// disclosure.
fn header_texts(flat: &Flat) -> Vec<String> {
    // The article's headline: the first `<h1>` inside `<article>` or `<main>`, else the
    // first one that is not a link (a site logo is often an `<h1><a href="/">`).
    let h1s: Vec<usize> = (0..flat.nodes.len())
        .filter(|&i| flat.nodes[i].tag == Tag::H1 && !flat.nodes[i].hard)
        .collect();
    let inside = |i: usize, tags: &[Tag]| {
        let mut j = i;
        for _ in 0..64 {
            let p = flat.nodes[j].parent as usize;
            if p == j {
                return false;
            }
            if tags.contains(&flat.nodes[p].tag) {
                return true;
            }
            j = p;
        }
        false
    };
    let linked = |i: usize| {
        let n = &flat.nodes[i];
        n.link > 0 && n.link >= n.text
    };
    let Some(h1) = h1s
        .iter()
        .copied()
        .find(|&i| inside(i, &[Tag::Article, Tag::Main]))
        .or_else(|| {
            h1s.iter()
                .copied()
                .find(|&i| !linked(i) && !inside(i, &[Tag::A]))
        })
    else {
        return Vec::new();
    };
    let mut container = h1;
    for _ in 0..2 {
        let p = flat.nodes[container].parent as usize;
        if p == container {
            break;
        }
        container = p;
    }
    let start = container.max(h1.saturating_sub(HEADER_WINDOW));
    let end = (flat.nodes[container].end as usize)
        .min(flat.nodes[h1].end as usize + HEADER_WINDOW)
        .min(flat.nodes.len());
    let mut out: Vec<String> = Vec::new();
    for i in start..end {
        let n = &flat.nodes[i];
        let parent_hard = flat.nodes[n.parent as usize].hard;
        if (i >= h1 && i < flat.nodes[h1].end as usize) || n.hard || parent_hard {
            continue;
        }
        let Some(t) = n.text_str() else { continue };
        let t = collapse_ws(t);
        if t.is_empty() || t.chars().count() > HEADER_TEXT_MAX_CHARS || in_chrome(flat, i) {
            continue;
        }
        push_unique(&mut out, &t);
        if out.len() >= HEADER_TEXTS_MAX {
            break;
        }
    }
    out
}

/// Longest notice kept: a disclosure is a sentence or two.
const NOTICE_MAX_CHARS: usize = 400;
const NOTICES_MAX: usize = 12;
const NOTICE_MAX_NODES: usize = 200;
/// Words every affiliate or sponsorship notice contains one of (a cheap first test).
const NOTICE_WORDS: &[&str] = &[
    "commission",
    "affiliate",
    "sponsor",
    "paid",
    "partner",
    "compensat",
    "advertis",
    "anzeige",
    "werbung",
    "patrocin",
    "publireportage",
    "#ad",
    "associate",
];

/// Paragraph-sized blocks, wherever they sit outside navigation, footers and forms,
/// whose text speaks about money: "When you buy through our links, we may earn a
/// commission", "This post contains affiliate links", "TheCUBE is a paid media
/// partner". Publishers put these in bars and asides the article text leaves out.
fn notices(flat: &Flat) -> Vec<String> {
    let is_block = |t: Tag| matches!(t, Tag::P | Tag::Div | Tag::Aside | Tag::Section | Tag::Span);
    let mut out: Vec<String> = Vec::new();
    for (i, n) in flat.nodes.iter().enumerate() {
        // Boilerplate-marked subtrees (asides, bars) have no text statistics, and
        // notices live there: measure those directly, capped.
        if !is_block(n.tag) || n.hard || (!n.skip && n.text == 0) {
            continue;
        }
        let Some(len) = capped_text_len(flat, i) else {
            continue;
        };
        if len == 0 {
            continue;
        }
        // The innermost block that holds the whole notice: skip a wrapper whose only
        // text is one child block's, and a child whose parent holds it all.
        let parent = n.parent as usize;
        if parent != i
            && is_block(flat.nodes[parent].tag)
            && capped_text_len(flat, parent).is_some()
        {
            continue;
        }
        let Some(el) = scraper::ElementRef::wrap(n.node) else {
            continue;
        };
        let t = collapse_ws(&el.text().collect::<String>());
        let lower = t.to_lowercase();
        if t.is_empty() || !NOTICE_WORDS.iter().any(|w| lower.contains(w)) {
            continue;
        }
        if in_chrome_strict(flat, i) {
            continue;
        }
        push_unique(&mut out, &t);
        if out.len() >= NOTICES_MAX {
            break;
        }
    }
    out
}

/// The text length of node `i`'s subtree, or `None` when it passes `NOTICE_MAX_CHARS`
/// (counted without walking further than that).
fn capped_text_len(flat: &Flat, i: usize) -> Option<usize> {
    let n = &flat.nodes[i];
    if !n.skip {
        return (n.text as usize <= NOTICE_MAX_CHARS).then_some(n.text as usize);
    }
    let end = (n.end as usize).min(flat.nodes.len());
    // A notice is a handful of nodes; a big subtree is not one, whatever its text.
    if end - i > NOTICE_MAX_NODES {
        return None;
    }
    let mut len = 0usize;
    for j in i + 1..end {
        if let Some(t) = flat.nodes[j].text_str() {
            len += t.trim().len();
            if len > NOTICE_MAX_CHARS {
                return None;
            }
        }
    }
    Some(len)
}

/// Inside navigation, a footer or a form (asides are allowed: publishers put their
/// disclosure statements in them).
fn in_chrome_strict(flat: &Flat, i: usize) -> bool {
    within(flat, i, |t| {
        matches!(t, Tag::Nav | Tag::Footer | Tag::Form | Tag::Li | Tag::A)
    })
}

/// Inside navigation, an aside, a footer, a form, or a list item (menus built from
/// plain lists; a kicker is never a list item).
fn in_chrome(flat: &Flat, i: usize) -> bool {
    within(flat, i, |t| {
        matches!(t, Tag::Nav | Tag::Aside | Tag::Footer | Tag::Form | Tag::Li)
    })
}

/// Node `i` or one of its nearest 64 ancestors has a tag `hit` accepts.
fn within(flat: &Flat, mut i: usize, hit: impl Fn(&Tag) -> bool) -> bool {
    for _ in 0..64 {
        if hit(&flat.nodes[i].tag) {
            return true;
        }
        let p = flat.nodes[i].parent as usize;
        if p == i {
            return false;
        }
        i = p;
    }
    false
}

fn parse_lenient(block: &str) -> Option<Value> {
    let t = block.trim();
    let t = t.strip_prefix("<!--").unwrap_or(t);
    let t = t.strip_suffix("-->").unwrap_or(t);
    let t = t
        .trim()
        .trim_start_matches("//<![CDATA[")
        .trim_end_matches("//]]>");
    if let Ok(v) = serde_json::from_str(t.trim()) {
        return Some(v);
    }
    // Raw newlines and tabs inside strings are a common publisher mistake.
    let fixed: String = t
        .chars()
        .map(|c| {
            if c == '\n' || c == '\r' || c == '\t' {
                ' '
            } else {
                c
            }
        })
        .collect();
    serde_json::from_str(fixed.trim().trim_end_matches(';')).ok()
}

fn is_article_type(t: &str) -> bool {
    t.ends_with("Article")
        || t.ends_with("Posting")
        || matches!(
            t,
            "Report" | "Review" | "Blog" | "Recipe" | "HowTo" | "WebPage"
        )
}

fn read_jsonld(block: &str, ld: &mut JsonLd) {
    let Some(v) = parse_lenient(block) else {
        return;
    };
    walk(&v, ld, 0);
}

fn texts(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => push_unique(out, s),
        Value::Array(a) => a.iter().for_each(|x| texts(x, out)),
        Value::Object(o) => {
            if let Some(n) = o.get("name") {
                texts(n, out);
            }
        }
        _ => {}
    }
}

fn first_text(v: &Value) -> Option<String> {
    let mut out = Vec::new();
    texts(v, &mut out);
    out.into_iter().next()
}

fn as_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

fn walk(v: &Value, ld: &mut JsonLd, depth: u32) {
    if depth > 16 {
        return;
    }
    match v {
        Value::Array(a) => a.iter().for_each(|x| walk(x, ld, depth + 1)),
        Value::Object(o) => {
            let mut types = Vec::new();
            if let Some(t) = o.get("@type") {
                texts(t, &mut types);
            }
            for t in &types {
                push_unique(&mut ld.types, t);
            }
            let article = types.iter().any(|t| is_article_type(t));
            // A page's WebPage node describes the page, not the story; take its fields
            // only when no story node supplied them.
            let page_only = types.iter().all(|t| t == "WebPage");
            if article {
                if let Some(h) = o
                    .get("headline")
                    .or_else(|| o.get("name"))
                    .and_then(first_text)
                    && (ld.headline.is_none() || (ld.headline_from_page && !page_only))
                {
                    ld.headline = Some(h);
                    ld.headline_from_page = page_only;
                }
                if let Some(Value::String(b)) = o.get("articleBody").or_else(|| o.get("text"))
                    && b.len() > ld.body.as_ref().map_or(0, |x| x.len())
                {
                    ld.body = Some(b.clone());
                }
                if let Some(a) = o.get("author").or_else(|| o.get("creator")) {
                    texts(a, &mut ld.authors);
                }
                if let Some(d) = o.get("datePublished").and_then(first_text) {
                    ld.published = ld.published.or_else(|| parse_date(&d));
                }
                if let Some(d) = o.get("dateModified").and_then(first_text) {
                    ld.modified = ld.modified.or_else(|| parse_date(&d));
                }
                if let Some(s) = o.get("articleSection") {
                    texts(s, &mut ld.sections);
                }
                if let Some(k) = o.get("keywords") {
                    match k {
                        Value::String(s) => {
                            s.split(',').for_each(|x| push_unique(&mut ld.keywords, x))
                        }
                        other => texts(other, &mut ld.keywords),
                    }
                }
                if let Some(p) = o.get("publisher").and_then(first_text) {
                    ld.publisher.get_or_insert(p);
                }
                if let Some(l) = o.get("inLanguage").and_then(first_text) {
                    ld.language.get_or_insert(l);
                }
                if let Some(d) = o.get("description").and_then(first_text) {
                    ld.description.get_or_insert(d);
                }
                if !page_only {
                    let url = o.get("url").and_then(first_text).or_else(|| {
                        o.get("mainEntityOfPage").and_then(|m| match m {
                            Value::String(s) => Some(s.clone()),
                            Value::Object(mo) => mo.get("@id").and_then(first_text),
                            _ => None,
                        })
                    });
                    if let Some(u) = url {
                        ld.url.get_or_insert(u);
                    }
                }
            }
            for key in ["reviewRating", "aggregateRating", "ratingValue"] {
                if o.contains_key(key) {
                    let on = types.first().map(String::as_str).unwrap_or("?");
                    push_unique(&mut ld.rating, &format!("jsonld:{on}.{key}"));
                }
            }
            if let Some(f) = o.get("isAccessibleForFree").and_then(as_bool) {
                // Any part marked not free makes the page not free.
                ld.free = Some(ld.free.unwrap_or(true) && f);
            }
            for child in o.values() {
                if matches!(child, Value::Object(_) | Value::Array(_)) {
                    walk(child, ld, depth + 1);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_common_shapes_become_utc() {
        let want = "2019-11-18T17:05:00Z";
        for s in [
            "2019-11-18T12:05:00-05:00",
            "2019-11-18T12:05:00-0500",
            "2019-11-18T17:05:00Z",
            "2019-11-18T17:05:00",
            "2019-11-18 17:05:00",
            "Mon, 18 Nov 2019 17:05:00 GMT",
        ] {
            assert_eq!(
                parse_date(s)
                    .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                    .as_deref(),
                Some(want),
                "{s}"
            );
        }
        assert!(parse_date("2019-11-18").is_some());
        assert!(parse_date("yesterday").is_none());
        assert!(parse_date("0001-01-01T00:00:00Z").is_none());
        assert!(parse_date("1970-01-01").is_none());
    }

    #[test]
    fn jsonld_types_are_found_in_graphs_arrays_and_nesting() {
        let mut ld = JsonLd::default();
        read_jsonld(
            r#"{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"X"},
            [{"@type":["OpinionNewsArticle","NewsArticle"],"headline":"H","articleSection":["Opinion","Politics"],
              "author":[{"@type":"Person","name":"Ann Lee"},{"@type":"Person","name":"Bo Li"}],
              "datePublished":"2020-01-02T03:04:05+01:00","isAccessibleForFree":"False",
              "publisher":{"@type":"Organization","name":"The Paper"}}]]}"#,
            &mut ld,
        );
        for t in [
            "WebSite",
            "OpinionNewsArticle",
            "NewsArticle",
            "Person",
            "Organization",
        ] {
            assert!(
                ld.types.iter().any(|x| x == t),
                "{t} missing in {:?}",
                ld.types
            );
        }
        assert_eq!(ld.headline.as_deref(), Some("H"));
        assert_eq!(ld.sections, ["Opinion", "Politics"]);
        assert_eq!(ld.authors, ["Ann Lee", "Bo Li"]);
        assert_eq!(ld.free, Some(false));
        assert_eq!(ld.publisher.as_deref(), Some("The Paper"));
        assert_eq!(
            ld.published.map(|d| d.to_rfc3339()),
            Some("2020-01-02T02:04:05+00:00".into())
        );
    }

    #[test]
    fn broken_jsonld_is_ignored_and_raw_newlines_tolerated() {
        let mut ld = JsonLd::default();
        read_jsonld("{not json", &mut ld);
        assert!(ld.types.is_empty());
        read_jsonld(
            "{\"@type\":\"NewsArticle\",\"articleBody\":\"a\nb\"}",
            &mut ld,
        );
        assert_eq!(ld.body.as_deref(), Some("a b"));
    }
}
