//! Our own reading of an XML feed feed-rs rejects as a whole (an empty `media:title`
//! is "missing text" to it; other values it will not take): the feed's and each entry's
//! title, summary and content, read here, on top of the facts `scan` reads (ids, dates,
//! links, people, categories, enclosures), so one bad element costs no feed.
//!
//! Entries are counted exactly where `scan` counts them (`rss/channel/item`,
//! `rdf:RDF/item`, `feed/entry`, a lone `entry`), so the two line up by position; the
//! caller checks the counts agree. Input: the repaired document (`Prepared::text`),
//! whose tags are balanced.

use feed_rs::model::{Content, Entry, Feed, FeedType, Text};
use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;

use super::prepare::{NS_ATOM, NS_CONTENT, NS_RSS1};

/// What an element's text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Plain,
    Html,
    /// Atom `type="xhtml"`: the element's children are the HTML.
    Xhtml,
}

/// Which text of an entry (or of the feed) an element holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Title,
    Summary,
    Content,
}

/// The feed read without feed-rs: its title and, per entry, title, summary and content.
/// `None` when the document is no feed (its root is not `rss`, `rdf:RDF`, `feed` or a
/// lone `entry`) or cannot be read that far.
pub(super) fn read(text: &str) -> Option<Feed> {
    let mut reader = NsReader::from_str(text);
    reader.config_mut().check_end_names = false;
    let mut feed = empty_feed();
    // Local names of the open elements.
    let mut stack: Vec<String> = Vec::new();
    let mut entry_depth: Option<usize> = None;
    let mut saw_root = false;
    // Past an XML error the facts are incomplete too; what was read stands.
    while let Ok((res, ev)) = reader.read_resolved_event() {
        let (e, empty) = match ev {
            Event::Start(e) => (e.into_owned(), false),
            Event::Empty(e) => (e.into_owned(), true),
            Event::End(_) => {
                if entry_depth == Some(stack.len()) {
                    entry_depth = None;
                }
                stack.pop();
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let local = {
            let l = e.local_name();
            let l: &str = l.as_ref();
            l.to_string()
        };
        let depth = stack.len() + 1;
        let ns = namespace(&res);
        if depth == 1 {
            if saw_root || !matches!(local.as_str(), "rss" | "RDF" | "feed" | "entry") {
                return None;
            }
            saw_root = true;
        }
        let root = stack.first().map(String::as_str).unwrap_or(local.as_str());
        let parent = stack.last().map(String::as_str);
        let rss_ns = matches!(ns, Ns::None | Ns::Rss1);
        let atom_ns = matches!(ns, Ns::None | Ns::Atom);
        let is_entry = entry_depth.is_none()
            && ((local == "item"
                && rss_ns
                && ((depth == 3 && parent == Some("channel") && root == "rss")
                    || (depth == 2 && root == "RDF")))
                || (local == "entry" && atom_ns && (depth == 1 || (depth == 2 && root == "feed"))));
        if is_entry {
            feed.entries.push(Entry::default());
            if empty {
                continue;
            }
            entry_depth = Some(depth);
            stack.push(local);
            continue;
        }
        let field = match entry_depth {
            Some(ed) if depth == ed + 1 => entry_field(ns, &local),
            Some(_) => None,
            None => {
                let feed_child = (depth == 3 && parent == Some("channel") && root == "rss")
                    || (depth == 2 && matches!(root, "feed" | "RDF"));
                (feed_child && local == "title" && (rss_ns || atom_ns)).then_some(Field::Title)
            }
        };
        let Some(field) = field else {
            if !empty {
                stack.push(local);
            }
            continue;
        };
        let kind = kind_of(&e, ns, field);
        let raw = if empty {
            ""
        } else {
            match reader.read_to_end(e.name()) {
                Ok(span) => text
                    .get(usize::try_from(span.start).ok()?..usize::try_from(span.end).ok()?)
                    .unwrap_or(""),
                Err(_) => break,
            }
        };
        let value = match kind {
            Kind::Xhtml => raw.trim().to_string(),
            Kind::Plain | Kind::Html => xml_text(raw),
        };
        if value.trim().is_empty() {
            continue;
        }
        let html = kind != Kind::Plain;
        match entry_depth {
            Some(_) => {
                let Some(entry) = feed.entries.last_mut() else {
                    continue;
                };
                match field {
                    Field::Title => {
                        entry
                            .title
                            .get_or_insert_with(|| text_construct(value, html));
                    }
                    Field::Summary => {
                        entry
                            .summary
                            .get_or_insert_with(|| text_construct(value, html));
                    }
                    Field::Content => {
                        entry.content.get_or_insert_with(|| Content {
                            length: Some(value.len() as u64),
                            body: Some(value),
                            content_type: media_type(html).parse().expect("a valid media type"),
                            ..Default::default()
                        });
                    }
                }
            }
            None => {
                feed.title
                    .get_or_insert_with(|| text_construct(value, html));
            }
        }
    }
    saw_root.then_some(feed)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    None,
    Atom,
    Rss1,
    Content,
    Other,
}

fn namespace(r: &ResolveResult<'_>) -> Ns {
    match r {
        ResolveResult::Bound(n) => match n.0 {
            NS_ATOM => Ns::Atom,
            NS_RSS1 => Ns::Rss1,
            NS_CONTENT => Ns::Content,
            _ => Ns::Other,
        },
        _ => Ns::None,
    }
}

/// The entry children whose text is read: RSS `title`, `description`,
/// `content:encoded`; Atom `title`, `summary`, `content`.
fn entry_field(ns: Ns, local: &str) -> Option<Field> {
    match (ns, local) {
        (Ns::None | Ns::Rss1 | Ns::Atom, "title") => Some(Field::Title),
        (Ns::None | Ns::Rss1, "description") | (Ns::None | Ns::Atom, "summary") => {
            Some(Field::Summary)
        }
        (Ns::Content, "encoded") | (Ns::None | Ns::Atom, "content") => Some(Field::Content),
        _ => None,
    }
}

/// Atom text constructs say their type (`text` by default); RSS descriptions and
/// `content:encoded` are HTML, RSS titles plain text.
fn kind_of(e: &BytesStart<'_>, ns: Ns, field: Field) -> Kind {
    let declared = e
        .attributes()
        .with_checks(false)
        .flatten()
        .find(|a| {
            let k: &str = a.key.as_ref();
            k == "type"
        })
        .map(|a| a.value.trim().to_ascii_lowercase());
    match declared.as_deref() {
        Some("xhtml") | Some("application/xhtml+xml") => Kind::Xhtml,
        Some("html") | Some("text/html") => Kind::Html,
        Some("text") | Some("text/plain") => Kind::Plain,
        _ if ns == Ns::Content => Kind::Html,
        _ if field == Field::Title => Kind::Plain,
        // RSS descriptions are HTML; so are Atom bodies of other types, as feedparser
        // reads them.
        _ => Kind::Html,
    }
}

/// An element's content as text: CDATA sections as written, character and predefined
/// entity references decoded; markup left in it (HTML written unescaped) kept.
fn xml_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find("<![CDATA[") {
        out.push_str(&unescape(&rest[..at]));
        let body = &rest[at + 9..];
        match body.find("]]>") {
            Some(end) => {
                out.push_str(&body[..end]);
                rest = &body[end + 3..];
            }
            None => {
                out.push_str(body);
                rest = "";
            }
        }
    }
    out.push_str(&unescape(rest));
    out
}

fn unescape(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return std::borrow::Cow::Borrowed(s);
    }
    quick_xml::escape::unescape(s)
        .map(|c| std::borrow::Cow::Owned(c.into_owned()))
        .unwrap_or(std::borrow::Cow::Borrowed(s))
}

fn media_type(html: bool) -> &'static str {
    if html { "text/html" } else { "text/plain" }
}

fn text_construct(content: String, html: bool) -> Text {
    Text {
        content_type: media_type(html).parse().expect("a valid media type"),
        src: None,
        content: content.trim().to_string(),
    }
}

/// A feed with nothing in it, as feed-rs models one.
fn empty_feed() -> Feed {
    Feed {
        feed_type: FeedType::RSS2,
        id: String::new(),
        title: None,
        updated: None,
        authors: Vec::new(),
        description: None,
        links: Vec::new(),
        categories: Vec::new(),
        contributors: Vec::new(),
        generator: None,
        icon: None,
        language: None,
        logo: None,
        published: None,
        rating: None,
        rights: None,
        ttl: None,
        people: Vec::new(),
        entries: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_titles_summaries_and_content_of_rss_and_atom() {
        let rss = r#"<rss xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Chan &amp; co</title>
            <item><title>One</title><description><![CDATA[<p>Hi</p>]]></description>
            <content:encoded>&lt;p&gt;Body&lt;/p&gt;</content:encoded></item>
            <item><title/></item></channel></rss>"#;
        let f = read(rss).expect("a feed");
        assert_eq!(f.title.map(|t| t.content).as_deref(), Some("Chan & co"));
        assert_eq!(f.entries.len(), 2);
        let e = &f.entries[0];
        assert_eq!(e.title.as_ref().map(|t| t.content.as_str()), Some("One"));
        assert_eq!(
            e.summary.as_ref().map(|t| t.content.as_str()),
            Some("<p>Hi</p>")
        );
        let c = e.content.as_ref().expect("content");
        assert_eq!(c.body.as_deref(), Some("<p>Body</p>"));
        assert_eq!(c.content_type.as_str(), "text/html");
        assert!(f.entries[1].title.is_none());

        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">A</title>
            <entry><title type="html">&lt;b&gt;T&lt;/b&gt;</title>
            <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>X</p></div></content></entry></feed>"#;
        let f = read(atom).expect("a feed");
        let e = &f.entries[0];
        assert_eq!(
            e.title.as_ref().map(|t| t.content_type.as_str()),
            Some("text/html")
        );
        let body = e
            .content
            .as_ref()
            .and_then(|c| c.body.as_deref())
            .unwrap_or("");
        assert!(body.contains("<p>X</p>"), "{body}");
    }

    #[test]
    fn a_document_that_is_no_feed_is_none() {
        assert!(read("<html><body><item>x</item></body></html>").is_none());
        assert!(read("").is_none());
    }
}
