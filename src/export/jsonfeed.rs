//! The JSON Feed 1.1 digest (<https://jsonfeed.org/version/1.1>): one item per entry,
//! `url` pointing at the source article, `content_html`/`content_text` with the visible
//! disclosure lines and the summary, and the full record under the `_feedbrief`
//! extension key (readers that do not know it ignore it, as the spec requires).

use std::io::{self, Write};

use serde::Serialize;

use super::escape::{html, safe_href};
use super::view::{EntryView, read_more_label, rfc3339, timezone};
use super::{EntryAs, Head, LazyEntries, Source};
use crate::disclose::{NAMESPACE, TOOL_VERSION, entry_id, uuid_urn};
use crate::model::{Article, DigestEntry, Disclosure, Item, Summary};

pub(crate) const VERSION: &str = "https://jsonfeed.org/version/1.1";

#[derive(Serialize)]
#[serde(bound = "S: Source")]
struct Feed<'a, S: ?Sized> {
    version: &'static str,
    title: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    authors: [Author; 1],
    #[serde(rename = "_feedbrief")]
    extension: FeedExtension<'a>,
    items: LazyEntries<'a, S, AsItem>,
}

struct AsItem {
    tz: Option<chrono_tz::Tz>,
}

impl EntryAs for AsItem {
    fn element<Q: serde::ser::SerializeSeq>(
        &self,
        seq: &mut Q,
        e: &DigestEntry,
        group: &str,
    ) -> Result<(), Q::Error> {
        seq.serialize_element(&item(e, group, self.tz))
    }
}

#[derive(Serialize)]
struct Author {
    name: &'static str,
}

#[derive(Serialize)]
struct ItemAuthor {
    name: String,
}

#[derive(Serialize)]
struct FeedExtension<'a> {
    about: &'static str,
    id: String,
    generator: &'static str,
    period: &'a str,
    from: String,
    to: String,
    updated: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    timezone: Option<&'a str>,
}

#[derive(Serialize)]
struct FeedItem<'a> {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    title: String,
    content_html: String,
    content_text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    date_published: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    /// The source article's authors (JSON Feed 1.1 `authors`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<ItemAuthor>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    #[serde(rename = "_feedbrief")]
    extension: ItemExtension<'a>,
}

/// The record behind an item: everything `json` gives for an entry, plus the group.
#[derive(Serialize)]
struct ItemExtension<'a> {
    about: &'static str,
    group: &'a str,
    item_id: i64,
    feed_name: &'a str,
    feed_url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    feed_title: Option<&'a str>,
    feed_tags: &'a [String],
    first_seen: String,
    item: &'a Item,
    #[serde(skip_serializing_if = "Option::is_none")]
    article: Option<&'a Article>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a Summary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    disclosure: Option<&'a Disclosure>,
}

pub(crate) fn render<S: Source + ?Sized, W: Write + ?Sized>(
    digest: &S,
    out: &mut W,
) -> io::Result<()> {
    let head = digest.head();
    let tz = timezone(head.timezone);
    let feed = Feed {
        version: VERSION,
        title: head.title,
        description: head.period,
        authors: [Author { name: "feedbrief" }],
        extension: FeedExtension {
            about: NAMESPACE,
            id: digest_id(&head),
            generator: TOOL_VERSION,
            period: head.period,
            from: rfc3339(head.from),
            to: rfc3339(head.to),
            updated: rfc3339(digest.updated()),
            timezone: head.timezone,
        },
        items: LazyEntries {
            source: digest,
            group: None,
            as_: AsItem { tz },
        },
    };
    // serde_json hands a write error back as the io::Error it was.
    serde_json::to_writer_pretty(&mut *out, &feed).map_err(io::Error::from)?;
    writeln!(out)
}

/// Identity of a digest: its title and period (the same digest re-run keeps its id).
pub(crate) fn digest_id(head: &Head<'_>) -> String {
    uuid_urn(&["feedbrief-digest", head.title, head.period])
}

fn item<'a>(entry: &'a DigestEntry, group: &'a str, tz: Option<chrono_tz::Tz>) -> FeedItem<'a> {
    let v = EntryView::new(entry, tz);
    let mut text = Vec::new();
    let mut markup = String::new();
    if !v.lines.is_empty() {
        markup.push_str("<ul>");
        for line in v.lines {
            text.push(format!("- {line}"));
            markup.push_str(&format!("<li>{}</li>", html(line)));
        }
        markup.push_str("</ul>");
    }
    if let Some(s) = &v.summary {
        text.push(s.clone());
        markup.push_str(&format!("<p>{}</p>", html(s)));
    }
    if let Some(url) = &v.url {
        let label = read_more_label(v.site_name());
        text.push(format!("{label} {url}"));
        match safe_href(url) {
            Some(h) => markup.push_str(&format!(
                "<p>{} <a href=\"{}\">{}</a></p>",
                html(&label),
                html(&h),
                html(url)
            )),
            None => markup.push_str(&format!("<p>{} {}</p>", html(&label), html(url))),
        }
    }
    let mut tags: Vec<&str> = Vec::new();
    for t in entry.item.categories.iter().chain(&entry.tags) {
        if !tags.contains(&t.as_str()) {
            tags.push(t);
        }
    }
    FeedItem {
        id: entry_id(entry),
        url: v.url.clone(),
        title: v.title.clone(),
        content_html: markup,
        content_text: text.join("\n\n"),
        summary: v.summary.clone(),
        date_published: rfc3339(entry.when()),
        date_modified: entry.summary.as_ref().map(|s| rfc3339(s.generated_at)),
        authors: v
            .authors
            .iter()
            .map(|a| crate::text::collapse_ws(a))
            .filter(|a| !a.is_empty())
            .map(|name| ItemAuthor { name })
            .collect(),
        tags,
        language: entry.summary.as_ref().and_then(|s| s.language.as_deref()),
        extension: ItemExtension {
            about: NAMESPACE,
            group,
            item_id: entry.item_id,
            feed_name: &entry.feed_name,
            feed_url: &entry.feed_url,
            feed_title: entry.feed_title.as_deref(),
            feed_tags: &entry.tags,
            first_seen: rfc3339(entry.first_seen),
            item: &entry.item,
            article: entry.article.as_ref(),
            summary: entry.summary.as_ref(),
            disclosure: entry.disclosure.as_ref(),
        },
    }
}
