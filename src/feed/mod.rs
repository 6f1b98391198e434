//! Feed bytes + final URL -> normalized `Item`s: identity decided here, once; links
//! absolute; dates in UTC; titles and texts as plain text.
//!
//! Links: `Item::document_link` is the main link as the document gives it (made
//! absolute): what `feedbrief parse` reports. Tracking parameters (utm_*, fbclid, ...)
//! are removed at one point, `without_tracking`, giving `Item::link` (what the pipeline
//! stores, fetches and keys items on), enclosures and the site link.
//!
//! Three steps, each its own module:
//! 1. `prepare`: bytes -> UTF-8 XML a strict parser accepts (encoding settled, XML
//!    repaired, Atom 0.3 / RSS 0.9x / RSS 1.0 / RSS 1.1 / CDF / namespace variants mapped
//!    onto what feed-rs reads).
//! 2. feed-rs parses that text (titles, summaries, content: its text constructs, xml:base).
//!    `scan` reads the facts feed-rs's model drops (ids as written, raw dates, every
//!    author and category source, links, enclosures, permalink guids). Each fact has one
//!    source: feed-rs gets a copy of the document without the entry children only the
//!    scan reads, so it does not parse them too (the whole document when the two
//!    disagree on the entries and feed-rs alone must be used).
//!    When feed-rs rejects a whole XML document (one value it will not take), `fallback`
//!    reads the texts it would have given, and the scan's facts do the rest.
//! 3. Normalization here merges both into `Item`s the way a reader expects them
//!    (feedparser's behaviour is the reference; README of the feed corpus lists where we
//!    deliberately differ).
//!
//! `parse` never panics: a document that cannot be read is an `Err` for that feed only.

pub(crate) mod date;
mod discover;
mod fallback;
// Public for `examples/prep.rs`, which prints what the parsers are handed.
pub mod prepare;
mod sanitize;
mod scan;
pub(crate) mod text;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use url::Url;

use crate::error::{Error, Result};
use crate::model::{Enclosure, Item, ParsedFeed};
use crate::text::collapse_ws;
use crate::util::{sha256_hex, strip_tracking};

pub(crate) use discover::discover;
pub use sanitize::sanitize_items;
use scan::{AuthorSource, EntryFacts, FeedFacts, RawLink};
pub(crate) use text::{html_to_text, text_to_plain};

/// What came with the feed bytes besides the bytes themselves.
#[derive(Debug, Clone, Copy, Default)]
pub struct FeedContext<'a> {
    /// The URL the document was finally fetched from: the base for relative links.
    pub base_url: Option<&'a Url>,
    /// HTTP `Content-Type` (its charset wins over the document's own declaration).
    pub content_type: Option<&'a str>,
    /// HTTP `Content-Language`, used when the document declares none.
    pub content_language: Option<&'a str>,
}

/// Parse one feed document. Never panics: a document that cannot be read is an `Err`.
pub fn parse(bytes: &[u8], ctx: &FeedContext) -> Result<ParsedFeed> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parse_inner(bytes, ctx)))
        .unwrap_or_else(|_| {
            Err(Error::Feed(
                "the feed parser crashed on this document".into(),
            ))
        })
}

/// feed-rs set up for our normalization. `dates`: whether feed-rs parses dates at all;
/// for XML the scan reads every date element itself, so feed-rs's are needed only when
/// the two disagree on the entries.
fn feed_rs_parser(ctx: &FeedContext, dates: bool) -> feed_rs::parser::Parser {
    let builder = feed_rs::parser::Builder::new()
        .base_uri(ctx.base_url.map(|u| u.as_str()))
        // An empty id marks "the document has none"; identity is decided below.
        .id_generator(|_, _, _| String::new())
        .sanitize_content(false);
    if dates {
        builder.timestamp_parser(date::parse_date)
    } else {
        builder.timestamp_parser(|_| None)
    }
    .build()
}

fn parse_inner(bytes: &[u8], ctx: &FeedContext) -> Result<ParsedFeed> {
    let prepared = prepare::prepare(bytes, ctx.content_type);
    let parser = feed_rs_parser(ctx, prepared.is_json);
    let feed_rs_text = prepared.feed_rs_text.as_deref().unwrap_or(&prepared.text);
    if prepared.is_json {
        let parsed = match parser.parse(feed_rs_text.as_bytes()) {
            Ok(p) => p,
            // JSON Feed with values of the wrong shape (tags as one string, an author as
            // a bare name, a version feed-rs does not take): fix them and try once more.
            Err(e) => prepare::repair_json(&prepared.text)
                .and_then(|fixed| parser.parse(fixed.as_bytes()).ok())
                .ok_or(Error::FeedSyntax(e))?,
        };
        return Ok(normalize(parsed, FeedFacts::default(), ctx, true));
    }
    let first = parser.parse(feed_rs_text.as_bytes());
    let facts = scan::scan(&prepared, ctx.base_url);
    let parsed = match first {
        Ok(p) if facts.entries.len() == p.entries.len() => p,
        // Entries will come from feed-rs alone: with its dates, from the whole document.
        Ok(_) => match feed_rs_parser(ctx, true).parse(prepared.text.as_bytes()) {
            Ok(p) => p,
            Err(e) => read_ourselves(&prepared, &facts, e)?,
        },
        Err(e) => read_ourselves(&prepared, &facts, e)?,
    };
    Ok(normalize(parsed, facts, ctx, false))
}

/// feed-rs rejected the document: our own reading of its texts (`fallback`), lined up
/// with the scan's facts, rather than no feed. When that reading finds no feed, or
/// other entries than the scan, feed-rs's error stands.
fn read_ourselves(
    prepared: &prepare::Prepared,
    facts: &FeedFacts,
    e: feed_rs::parser::ParseFeedError,
) -> Result<feed_rs::model::Feed> {
    match fallback::read(&prepared.text) {
        Some(f) if f.entries.len() == facts.entries.len() => {
            tracing::debug!(error = %e, entries = f.entries.len(), "feed-rs rejected the feed; read without it");
            Ok(f)
        }
        _ => Err(Error::FeedSyntax(e)),
    }
}

fn normalize(
    parsed: feed_rs::model::Feed,
    mut facts: FeedFacts,
    ctx: &FeedContext,
    is_json: bool,
) -> ParsedFeed {
    let base = ctx.base_url;
    // Facts line up with feed-rs entries by position; if the two disagree on the count
    // (a document broken in a way the scan saw differently), use feed-rs alone.
    let aligned = facts.entries.len() == parsed.entries.len();
    if !aligned {
        tracing::debug!(
            feed_rs = parsed.entries.len(),
            scan = facts.entries.len(),
            "Entry counts differ; using feed-rs values only."
        );
        facts.entries.clear();
    }
    let feed_authors: Vec<String> = parsed
        .authors
        .iter()
        .filter_map(|p| person_name(p.name.as_deref().unwrap_or(""), p.email.as_deref()))
        .collect();

    let empty = EntryFacts::default();
    let mut items: Vec<Item> = parsed
        .entries
        .into_iter()
        .enumerate()
        .map(|(i, e)| {
            let f = facts.entries.get(i).unwrap_or(&empty);
            let mut it = entry_item(e, f, aligned, is_json, base);
            if is_json && it.authors.is_empty() {
                it.authors = feed_authors.clone();
            }
            it
        })
        .collect();
    assign_keys(&mut items);

    let site_link = if aligned && !facts.links.is_empty() {
        choose_link(&facts.links).and_then(|l| resolve(&l.href, l.base.as_ref().or(base)))
    } else {
        None
    }
    .or_else(|| {
        parsed
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .and_then(|l| resolve(&l.href, base))
    })
    .map(|l| without_tracking(&l));
    let language = facts
        .language
        .take()
        .or(facts.root_lang.take())
        .or(parsed.language)
        .or_else(|| ctx.content_language.map(str::to_string))
        .map(|l| collapse_ws(&l))
        .filter(|l| !l.is_empty());

    ParsedFeed {
        title: parsed
            .title
            .as_ref()
            .map(text_of)
            .filter(|s| !s.is_empty())
            .or_else(|| facts.alt_title.as_deref().map(text_to_plain))
            .filter(|s| !s.is_empty()),
        site_link,
        language,
        ttl_minutes: parsed.ttl,
        items,
    }
}

fn entry_item(
    mut e: feed_rs::model::Entry,
    f: &EntryFacts,
    aligned: bool,
    is_json: bool,
    base: Option<&Url>,
) -> Item {
    let entry_base = f.base.as_ref().or(base);

    // Identity as written: RSS guid, Atom id, RSS 1.0 rdf:about, JSON id.
    let guid = if aligned {
        f.guid
            .as_deref()
            .or(f.atom_id.as_deref())
            .or(f.about.as_deref())
            .map(collapse_ws)
            .filter(|s| !s.is_empty())
    } else {
        None
    }
    .or_else(|| Some(collapse_ws(&e.id)).filter(|s| !s.is_empty()));

    // feed-rs gives JSON Feed attachments as links without a rel; they are the only
    // JSON links with a media type (attachments require `mime_type`).
    let is_enclosure = |l: &feed_rs::model::Link| {
        l.rel.as_deref() == Some("enclosure") || (is_json && l.media_type.is_some())
    };

    // Main link: the alternate (HTML preferred), else a permalink guid, else an
    // http(s) Atom id (readers treat those as permalinks too). As the document has it;
    // tracking parameters go below, in one place.
    let mut document_link = if aligned {
        choose_link(&f.links).and_then(|l| resolve(&l.href, l.base.as_ref().or(entry_base)))
    } else {
        let links: Vec<RawLink> = e
            .links
            .iter()
            .filter(|l| !is_enclosure(l))
            .map(|l| RawLink {
                href: l.href.clone(),
                rel: l.rel.clone(),
                mime: l.media_type.clone(),
                ..Default::default()
            })
            .collect();
        choose_link(&links).and_then(|l| resolve(&l.href, base))
    };
    if document_link.is_none() {
        let permalink = f
            .guid
            .as_deref()
            .filter(|_| f.guid_is_permalink)
            .or(f.atom_id.as_deref());
        // The scheme is case-insensitive (`HTTP://example.org/x` is a URL too).
        if let Some(g) = permalink.map(str::trim)
            && ["http://", "https://"].iter().any(|p| {
                g.get(..p.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(p))
            })
        {
            document_link = resolve(g, None);
        }
    }
    let link = document_link.as_deref().map(without_tracking);

    // No <title>: `dc:title` or a Media RSS title (readers show those).
    let title = e
        .title
        .as_ref()
        .map(text_of)
        .filter(|s| !s.is_empty())
        .or_else(|| f.alt_title.as_deref().map(text_to_plain))
        .or_else(|| e.media.iter().find_map(|m| m.title.as_ref()).map(text_of))
        .filter(|s| !s.is_empty());
    let summary = e
        .summary
        .as_ref()
        .map(text_of)
        .filter(|s| !s.is_empty())
        .or_else(|| f.alt_summary.as_deref().map(html_to_text))
        .or_else(|| {
            e.media
                .iter()
                .find_map(|m| m.description.as_ref())
                .map(text_of)
        })
        .filter(|s| !s.is_empty());
    let content_text = e
        .content
        .as_ref()
        .and_then(|c| {
            let body = c.body.as_deref()?;
            let t = if c.content_type.subty().as_str() == "plain" {
                text_to_plain(body)
            } else {
                html_to_text(body)
            };
            Some(t).filter(|s| !s.is_empty())
        })
        .or_else(|| {
            f.alt_content
                .as_deref()
                .map(html_to_text)
                .filter(|s| !s.is_empty())
        });
    // The body moves into the item (no copy of what can be the largest text).
    let content_html = e
        .content
        .as_mut()
        .and_then(|c| c.body.take())
        .filter(|b| !b.trim().is_empty());

    let (published, updated) = if aligned {
        (
            f.published.as_deref().and_then(date::parse_date),
            f.updated.as_deref().and_then(date::parse_date),
        )
    } else {
        (e.published, e.updated)
    };
    let (published, updated) = if aligned && published.is_none() && updated.is_none() {
        (e.published, e.updated)
    } else {
        (published, updated)
    };

    let authors = if aligned && !f.authors.is_empty() {
        entry_authors(&f.authors)
    } else {
        e.authors
            .iter()
            .filter_map(|p| person_name(p.name.as_deref().unwrap_or(""), p.email.as_deref()))
            .collect()
    };

    let enclosures = if aligned {
        dedup_enclosures(f.enclosures.iter().filter_map(|l| {
            Some(Enclosure {
                url: without_tracking(&resolve(&l.href, l.base.as_ref().or(entry_base))?),
                mime_type: l.mime.clone().filter(|m| !m.trim().is_empty()),
                length: l.length,
            })
        }))
    } else {
        dedup_enclosures(e.links.iter().filter(|l| is_enclosure(l)).filter_map(|l| {
            Some(Enclosure {
                url: without_tracking(&resolve(&l.href, base)?),
                mime_type: l.media_type.clone().filter(|m| !m.trim().is_empty()),
                length: l.length,
            })
        }))
    };

    let raw_categories: Vec<String> = if aligned {
        f.categories.clone()
    } else {
        e.categories.iter().map(|c| c.term.clone()).collect()
    };
    let mut seen = HashSet::new();
    let categories = raw_categories
        .iter()
        .map(|c| collapse_ws(c))
        .filter(|c| !c.is_empty() && seen.insert(c.to_lowercase()))
        .collect();

    Item {
        key: String::new(),
        guid,
        link,
        document_link,
        title,
        published,
        updated,
        authors,
        // A reader shows the content as the excerpt when the feed gives no summary.
        summary: summary.or_else(|| content_text.clone()),
        content_text,
        content_html,
        enclosures,
        categories,
    }
}

/// A feed-rs text construct as plain text: HTML converted, plain text kept (unless it
/// visibly carries tags, which readers strip from titles too).
fn text_of(t: &feed_rs::model::Text) -> String {
    if t.content_type.subty().as_str() == "plain" {
        text_to_plain(&t.content)
    } else {
        html_to_text(&t.content)
    }
}

/// Alternate links first, HTML ones preferred; other relations never.
fn choose_link(links: &[RawLink]) -> Option<&RawLink> {
    let alternates = || {
        links.iter().filter(|l| {
            l.rel
                .as_deref()
                .is_none_or(|r| r.trim().is_empty() || r.trim().eq_ignore_ascii_case("alternate"))
                && !l.href.trim().is_empty()
        })
    };
    alternates()
        .find(|l| l.mime.as_deref().is_some_and(|m| m.contains("html")))
        .or_else(|| alternates().next())
}

/// A link as written -> absolute (http(s) only), otherwise unchanged. `&amp;` left in a
/// URL is a double escape (a URL never means the five characters), so it is undone first.
/// Without any base (a file read on its own), a relative link is kept as written.
fn resolve(href: &str, base: Option<&Url>) -> Option<String> {
    let href = if href.contains("&amp;") {
        std::borrow::Cow::Owned(href.replace("&amp;", "&"))
    } else {
        std::borrow::Cow::Borrowed(href)
    };
    let h = href.trim();
    if h.is_empty() {
        return None;
    }
    match base.map_or_else(|| Url::parse(h), |b| b.join(h)) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => Some(u.into()),
        Ok(_) => None,
        Err(url::ParseError::RelativeUrlWithoutBase) if base.is_none() => Some(h.to_string()),
        Err(_) => None,
    }
}

/// The one place tracking parameters (utm_*, fbclid, ...) leave a link: the stored
/// `link`, enclosures and site link. A relative link (no base known) has none to drop.
fn without_tracking(link: &str) -> String {
    if !link.contains('?') {
        // No query, no tracking parameters (and no second URL parse).
        return link.to_string();
    }
    match Url::parse(link) {
        Ok(u) => strip_tracking(&u).into(),
        Err(_) => link.to_string(),
    }
}

/// Author names from every source, document order, each cleaned once.
fn entry_authors(raw: &[(AuthorSource, String)]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (_, s) in raw {
        let n = clean_author(s);
        if !n.is_empty() && !out.iter().any(|o| o.eq_ignore_ascii_case(&n)) {
            out.push(n);
        }
    }
    out
}

/// `jane@example.com (Jane Doe)` -> `Jane Doe`; `Jane Doe <jane@example.com>` -> `Jane Doe`;
/// a bare address stays as written (it is all the feed says).
fn clean_author(s: &str) -> String {
    let s = collapse_ws(&text_to_plain(s));
    // `Name (jane@example.com)`
    if let (Some(open), true) = (s.rfind('('), s.ends_with(')')) {
        let before = s[..open].trim();
        let inner = &s[open + 1..s.len() - 1];
        if !before.is_empty() && inner.contains('@') && !before.contains('@') {
            return before.to_string();
        }
    }
    if let (Some(open), true) = (s.find('('), s.ends_with(')')) {
        let before = s[..open].trim();
        let inner = s[open + 1..s.len() - 1].trim();
        if before.contains('@') && !before.contains(' ') && !inner.is_empty() {
            return inner.to_string();
        }
    }
    if let (Some(open), true) = (s.find('<'), s.ends_with('>')) {
        let name = s[..open].trim().trim_matches('"').trim();
        if !name.is_empty() && s[open..].contains('@') {
            return name.to_string();
        }
    }
    s
}

fn person_name(name: &str, email: Option<&str>) -> Option<String> {
    let n = collapse_ws(name);
    if !n.is_empty() {
        return Some(clean_author(&n));
    }
    email.map(collapse_ws).filter(|e| !e.is_empty())
}

fn dedup_enclosures(it: impl Iterator<Item = Enclosure>) -> Vec<Enclosure> {
    let mut seen = HashSet::new();
    it.filter(|e| seen.insert(e.url.clone())).collect()
}

/// Item identity: guid; guid|link when guids collide within the document; else link;
/// else a hash of title and content. Never random, so re-fetching finds the same keys.
fn assign_keys(items: &mut [Item]) {
    let mut guid_counts: HashMap<String, usize> = HashMap::new();
    for it in items.iter() {
        if let Some(g) = &it.guid {
            *guid_counts.entry(g.clone()).or_default() += 1;
        }
    }
    for it in items.iter_mut() {
        it.key = match (&it.guid, &it.link) {
            (Some(g), Some(l)) if guid_counts[g] > 1 => format!("{g}|{l}"),
            (Some(g), _) => g.clone(),
            (None, Some(l)) => l.clone(),
            (None, None) => sha256_hex(&[
                it.title.as_deref().unwrap_or(""),
                it.content_text
                    .as_deref()
                    .or(it.summary.as_deref())
                    .unwrap_or(""),
            ]),
        };
    }
}

/// A UTC date as the evaluation records write it.
pub fn iso_utc(d: &DateTime<Utc>) -> String {
    d.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}
