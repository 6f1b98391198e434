//! Feed bytes + final URL -> normalized `Item`s: identity decided here, once; links
//! absolute without tracking parameters; dates in UTC; titles and texts as plain text.

use std::collections::HashMap;

use url::Url;

use crate::error::{Error, Result};
use crate::model::{Enclosure, Item, ParsedFeed};
use crate::util::{absolute_link, collapse_ws, sha256_hex};

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

/// Parse one feed document. Never panics: a document feed-rs cannot read is an `Err`.
pub fn parse(bytes: &[u8], ctx: &FeedContext) -> Result<ParsedFeed> {
    let parser = feed_rs::parser::Builder::new()
        .base_uri(ctx.base_url.map(|u| u.as_str()))
        // An empty id marks "the document has none"; identity is decided below.
        .id_generator(|_, _, _| String::new())
        .build();
    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parser.parse(bytes)))
        .map_err(|_| Error::Feed("the feed parser crashed on this document".into()))?
        .map_err(|e| Error::Feed(e.to_string()))?;

    let base = ctx.base_url;
    let mut items: Vec<Item> = parsed
        .entries
        .iter()
        .map(|e| {
            let link = e
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .and_then(|l| absolute_link(&l.href, base));
            let guid = Some(collapse_ws(&e.id)).filter(|s| !s.is_empty());
            let summary = e.summary.as_ref().map(|t| plain_text(&t.content));
            let content_html = e.content.as_ref().and_then(|c| c.body.clone());
            Item {
                key: String::new(),
                guid,
                link,
                title: e.title.as_ref().map(|t| plain_text(&t.content)),
                published: e.published,
                updated: e.updated,
                authors: e
                    .authors
                    .iter()
                    .filter_map(|p| p.name.as_deref().map(collapse_ws))
                    .filter(|n| !n.is_empty())
                    .collect(),
                summary: summary.filter(|s| !s.is_empty()),
                content_text: content_html
                    .as_deref()
                    .map(plain_text)
                    .filter(|s| !s.is_empty()),
                content_html,
                enclosures: e
                    .links
                    .iter()
                    .filter(|l| l.rel.as_deref() == Some("enclosure"))
                    .filter_map(|l| {
                        Some(Enclosure {
                            url: absolute_link(&l.href, base)?,
                            mime_type: l.media_type.clone(),
                            length: l.length,
                        })
                    })
                    .collect(),
                categories: e.categories.iter().map(|c| collapse_ws(&c.term)).collect(),
            }
        })
        .collect();
    assign_keys(&mut items);

    Ok(ParsedFeed {
        title: parsed.title.map(|t| plain_text(&t.content)),
        site_link: parsed
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .and_then(|l| absolute_link(&l.href, base)),
        language: parsed
            .language
            .or_else(|| ctx.content_language.map(str::to_string)),
        ttl_minutes: parsed.ttl,
        items,
    })
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

/// HTML or text -> plain text: tags dropped, entities decoded, whitespace collapsed.
pub fn plain_text(s: &str) -> String {
    if !s.contains('<') && !s.contains('&') {
        return collapse_ws(s);
    }
    let frag = scraper::Html::parse_fragment(s);
    let mut out = String::new();
    for node in frag.root_element().descendants() {
        if let Some(t) = node.value().as_text() {
            let in_script = node.ancestors().any(|a| {
                a.value()
                    .as_element()
                    .is_some_and(|e| matches!(e.name(), "script" | "style"))
            });
            if !in_script {
                out.push_str(t);
            }
        } else if let Some(e) = node.value().as_element() {
            if matches!(
                e.name(),
                "p" | "div" | "br" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "tr" | "td"
            ) {
                out.push(' ');
            }
        }
    }
    collapse_ws(&out)
}
