//! Feed dialects and publisher variants mapped onto what feed-rs reads: namespace URIs
//! as misspelled, Atom 0.3 names, RSS names in the wrong case, CDF, RSS 1.0's root,
//! Atom and Media RSS text types feed-rs rejects, and which elements hold only text.

use std::borrow::Cow;

use super::{Repairer, local_part};
use crate::feed::prepare::{NS_ATOM, NS_CONTENT, NS_DC, NS_DCTERMS, NS_ITUNES, NS_MEDIA, NS_RSS1};

pub(super) const NS_ATOM03: &str = "http://purl.org/atom/ns#";

/// Namespace URIs as publishers misspell them -> the canonical URI.
pub(super) fn canonical_ns(v: &str) -> Option<&'static str> {
    let t = v.trim().trim_end_matches('/').to_ascii_lowercase();
    Some(match t.as_str() {
        "http://www.w3.org/2005/atom" | "https://www.w3.org/2005/atom" => NS_ATOM,
        "http://purl.org/atom/ns#" | "http://purl.org/atom/ns" => NS_ATOM,
        // Atom's names before 0.3 ("Echo", "Pie"): read as Atom 0.3.
        "http://purl.org/echo" | "http://purl.org/pie" => NS_ATOM,
        "http://purl.org/rss/1.0"
        | "https://purl.org/rss/1.0"
        | "http://my.netscape.com/rdf/simple/0.9"
        | "http://channel.netscape.com/rdf/simple/0.9"
        // RSS 1.1 and the namespaces UserLand once gave RSS 0.92/2.0: the same
        // vocabulary (RSS elements), read as RSS like the rest.
        | "http://purl.org/net/rss1.1#"
        | "http://backend.userland.com/rss2"
        | "http://backend.userland.com/rss" => NS_RSS1,
        "http://purl.org/rss/1.0/modules/content" | "https://purl.org/rss/1.0/modules/content" => {
            NS_CONTENT
        }
        "http://purl.org/dc/elements/1.1"
        | "https://purl.org/dc/elements/1.1"
        | "http://purl.org/dc/elements/1.0" => NS_DC,
        "http://purl.org/dc/terms" | "https://purl.org/dc/terms" => NS_DCTERMS,
        "http://search.yahoo.com/mrss" | "https://search.yahoo.com/mrss" => NS_MEDIA,
        "http://www.itunes.com/dtds/podcast-1.0.dtd"
        | "https://www.itunes.com/dtds/podcast-1.0.dtd" => NS_ITUNES,
        _ => return None,
    })
}

impl Repairer<'_> {
    /// Atom 0.3 element names -> Atom 1.0; RSS element names in the wrong case
    /// (`<pubdate>`, `<Title>`) -> RSS's own spelling, as readers match them.
    pub(super) fn rename<'n>(&self, qname: &'n str) -> Cow<'n, str> {
        if self.rdf_root && local_part(qname) == "RDF" {
            return Cow::Borrowed("rss");
        }
        let unprefixed = !qname.as_bytes().contains(&b':');
        if self.rss_doc && unprefixed {
            if let Some(c) = rss_canonical(qname) {
                return Cow::Borrowed(c);
            }
            // CDF (Microsoft's Channel Definition Format): its ABSTRACT is a description.
            if qname.eq_ignore_ascii_case("abstract") {
                return Cow::Borrowed("description");
            }
        }
        // An `<item>` in an Atom feed is an entry (as feedparser reads it).
        if self.atom_doc && qname == "item" {
            return Cow::Borrowed("entry");
        }
        let Some(prefix) = &self.atom03_prefix else {
            return Cow::Borrowed(qname);
        };
        let (p, local) = match qname.split_once(':') {
            Some((p, l)) => (p, l),
            None => ("", qname),
        };
        if p != prefix {
            return Cow::Borrowed(qname);
        }
        let new = match local {
            "issued" => "published",
            "modified" => "updated",
            "tagline" => "subtitle",
            "copyright" => "rights",
            _ => return Cow::Borrowed(qname),
        };
        if p.is_empty() {
            Cow::Borrowed(new)
        } else {
            Cow::Owned(format!("{p}:{new}"))
        }
    }

    /// Atom content with `src` must be empty (feed-rs rejects the document otherwise):
    /// whitespace before its end tag is skipped; real text wins over the `src`, which
    /// readers then ignore.
    pub(super) fn content_src_body(&mut self, attrs: &mut Vec<(&str, Cow<'_, str>)>) {
        if !attrs.iter().any(|(n, _)| *n == "src") {
            return;
        }
        let rest = self.rest();
        let ws = rest.len() - rest.trim_start().len();
        if rest[ws..].starts_with("</") {
            self.pos += ws;
        } else {
            attrs.retain(|(n, _)| *n != "src");
        }
    }

    /// Elements that hold only text in every feed format (so any markup inside is the
    /// publisher's unescaped HTML). Atom text constructs qualify unless typed XHTML/XML.
    pub(super) fn is_text_only(&self, qname: &str, attrs: &[(&str, Cow<'_, str>)]) -> bool {
        if self.stack.len() < 2 {
            return false;
        }
        let (prefix, local) = qname.split_once(':').unwrap_or(("", qname));
        if self.atom_doc {
            if !(prefix.is_empty() || prefix == "atom") {
                return false;
            }
            let typ = attrs
                .iter()
                .find(|(n, _)| *n == "type")
                .map(|(_, v)| v.trim());
            return match local {
                "title" | "subtitle" | "summary" | "content" | "rights" => {
                    matches!(typ, None | Some("text") | Some("html"))
                }
                "id" | "published" | "updated" | "name" | "email" | "uri" => true,
                _ => false,
            };
        }
        match prefix {
            "" => matches!(
                local,
                "title"
                    | "description"
                    | "guid"
                    | "pubDate"
                    | "comments"
                    | "lastBuildDate"
                    | "language"
                    | "copyright"
                    | "managingEditor"
                    | "webMaster"
            ),
            "content" => local == "encoded",
            "dc" => matches!(
                local,
                "title" | "description" | "creator" | "date" | "subject"
            ),
            "itunes" => matches!(local, "summary" | "subtitle" | "author" | "keywords"),
            _ => false,
        }
    }

    /// Root-element fixes: every RSS flavour read as RSS 2.0 (a superset of 0.9x), and no
    /// default namespace on `<rss>` (RSS 2.0 has none; one hides every element).
    pub(super) fn root_fixups(&mut self, local: &str, attrs: &mut Vec<(&str, Cow<'_, str>)>) {
        if local == "RDF" {
            attrs.retain(|(n, _)| *n != "version");
            attrs.push(("version", Cow::Borrowed("2.0")));
        }
        if local == "rss" {
            attrs.retain(|(n, _)| *n != "xmlns");
            match attrs.iter_mut().find(|(n, _)| *n == "version") {
                Some((_, v)) if v.trim() == "2.0" => {}
                Some((_, v)) => *v = Cow::Borrowed("2.0"),
                None => attrs.push(("version", Cow::Borrowed("2.0"))),
            }
        }
    }
}

/// RSS's own element names, for documents that spell them in another case.
fn rss_canonical(name: &str) -> Option<&'static str> {
    // Nearly every name is already spelled right (or is no RSS name at all).
    if name.bytes().all(|c| c.is_ascii_lowercase())
        && name != "pubdate"
        && name != "lastbuilddate"
        && name != "managingeditor"
        && name != "webmaster"
        && name != "textinput"
    {
        return None;
    }
    const NAMES: [&str; 22] = [
        "rss",
        "channel",
        "item",
        "title",
        "link",
        "description",
        "guid",
        "pubDate",
        "lastBuildDate",
        "author",
        "category",
        "enclosure",
        "comments",
        "source",
        "language",
        "copyright",
        "managingEditor",
        "webMaster",
        "image",
        "url",
        "ttl",
        "textInput",
    ];
    NAMES
        .iter()
        .find(|n| n.eq_ignore_ascii_case(name))
        .copied()
        .filter(|n| *n != name)
}

/// Map an Atom text construct's `type` (and Atom 0.3 `mode`) onto the three values
/// Atom 1.0 allows (`content` may also keep a real MIME type when it has `src`).
/// Returns whether the text is base64 for the repairer to decode.
pub(super) fn atom_text_type(local: &str, attrs: &mut Vec<(&str, Cow<'_, str>)>) -> bool {
    let mode = attrs
        .iter()
        .position(|(n, _)| *n == "mode")
        .map(|i| attrs.remove(i).1.trim().to_ascii_lowercase());
    let has_src = attrs.iter().any(|(n, _)| *n == "src");
    if mode.as_deref() == Some("base64") && !has_src {
        // Atom 0.3 base64: decoded by the repairer, then read as HTML.
        attrs.retain(|(n, _)| *n != "type");
        attrs.push(("type", Cow::Borrowed("html")));
        return true;
    }
    let Some(idx) = attrs.iter().position(|(n, _)| *n == "type") else {
        if mode.as_deref() == Some("escaped") {
            attrs.push(("type", Cow::Borrowed("html")));
        }
        return false;
    };
    let t = attrs[idx].1.trim().to_ascii_lowercase();
    if local == "content" && has_src {
        // With `src`, `type` is the linked document's media type; one feed-rs cannot
        // parse ("text", junk) would fail the whole document, and says nothing useful.
        if !is_media_type(&t) {
            attrs.remove(idx);
        }
        return false;
    }
    let new = match t.as_str() {
        "text" | "html" | "xhtml" => return false,
        "text/plain" | "" => "text",
        "text/html" => "html",
        "application/xhtml+xml" if mode.as_deref() == Some("escaped") => "html",
        "application/xhtml+xml" => "xhtml",
        t if t.ends_with("+xml") || t.ends_with("/xml") => {
            if mode.as_deref() == Some("escaped") {
                "html"
            } else {
                "xhtml"
            }
        }
        _ if mode.as_deref() == Some("escaped") => "html",
        t if t.starts_with("text/") => "text",
        // Atom 1.0: any other media type is base64 of that type; read it as HTML.
        _ => {
            attrs[idx].1 = Cow::Borrowed("html");
            return true;
        }
    };
    attrs[idx].1 = Cow::Borrowed(new);
    false
}

/// `type/subtype` (parameters allowed) with RFC 6838 name characters.
fn is_media_type(t: &str) -> bool {
    let essence = t.split(';').next().unwrap_or("").trim();
    let name_ok = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(&c))
    };
    essence
        .split_once('/')
        .is_some_and(|(a, b)| name_ok(a) && name_ok(b))
}

/// Media RSS text elements know `type="plain"` and `"html"` only (feed-rs rejects the
/// document over any other): map the usual spellings, drop the rest (plain text).
pub(super) fn media_text_type(attrs: &mut Vec<(&str, Cow<'_, str>)>) {
    let Some(idx) = attrs.iter().position(|(n, _)| *n == "type") else {
        return;
    };
    let new = match attrs[idx].1.as_ref() {
        "plain" | "html" => return,
        t => match t.trim().to_ascii_lowercase().as_str() {
            "html" | "text/html" | "xhtml" | "application/xhtml+xml" => Some("html"),
            _ => None,
        },
    };
    match new {
        Some(v) => attrs[idx].1 = Cow::Borrowed(v),
        None => {
            attrs.remove(idx);
        }
    }
}
