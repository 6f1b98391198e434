//! Start tags, where most repairs happen: the tag read leniently (unquoted, duplicate,
//! valueless and misnamed attributes), an HTML page wrapped around the feed looked
//! through, the root's dialect noted, entries closing what their container left open,
//! wrappers RSS 2.0 lacks dropped, and the tag written back as well-formed XML.

use std::borrow::Cow;

use url::Url;

use super::dialects::{NS_ATOM03, atom_text_type, canonical_ns, media_text_type};
use super::{Repairer, find_ci, is_void, local_part};

type Attrs<'s> = Vec<(&'s str, Cow<'s, str>)>;

/// A start tag as read from the source.
struct Tag<'s> {
    raw_name: &'s str,
    attrs: Attrs<'s>,
    self_closing: bool,
}

/// Namespace URIs of Atom 0.3 and its earlier names, compared without a trailing `/`.
const ATOM03_NAMES: [&str; 4] = [
    NS_ATOM03,
    "http://purl.org/atom/ns",
    "http://purl.org/echo",
    "http://purl.org/pie",
];

impl<'a> Repairer<'a> {
    pub(super) fn start_tag(&mut self) {
        let Tag {
            raw_name,
            mut attrs,
            self_closing,
        } = self.read_tag();
        let local = local_part(raw_name);
        if self.skip_html_wrapper(local, self_closing) {
            return;
        }
        let is_root = !self.root_seen;
        if is_root {
            self.root_seen = true;
            self.root_fixups(local, &mut attrs);
        }
        self.track_atom03_prefix(is_root, local, &attrs);
        if is_root {
            self.atom_doc = matches!(local, "feed" | "entry");
            // `Channel` (RSS 1.1) and `CHANNEL` (CDF) roots are channels too.
            self.rss_doc = matches!(local, "rss" | "RDF") || local.eq_ignore_ascii_case("channel");
            self.rdf_root = local == "RDF";
        }
        let name = self.rename(raw_name).into_owned();
        let is_entry = self.close_open_in_entry_container(&name);
        let base64 = self.fix_text_types(raw_name, &name, &mut attrs, self_closing);

        if is_root && local.eq_ignore_ascii_case("channel") {
            // A bare <channel> document: give it the <rss> it lacks.
            self.out.push_str("<rss version=\"2.0\">");
            self.stack.push("rss".to_string());
        }
        if self.is_dropped_wrapper(&name) {
            if !self_closing {
                self.silent.push(self.stack.len());
                self.stack.push(name);
            }
            return;
        }
        let tag_start = self.out.len();
        let omit = self.omit_open.is_none() && self.scan_only_entry_child(&name);
        self.write_open_tag(&name, &attrs);
        let cdf = self.rss_doc && matches!(name.as_str(), "channel" | "item");
        let void = !self_closing && is_void(&name);
        if (self_closing || void) && !(cdf || self.rdf_root && is_root) {
            self.out.push_str("/>");
            self.closed_at_once(omit, tag_start, is_root);
            return;
        }
        self.out.push('>');
        if cdf {
            self.cdf_attributes_as_children(&attrs);
        }
        if self_closing {
            self.close(&name);
            self.closed_at_once(omit, tag_start, is_root);
            return;
        }
        if omit {
            self.omit_open = Some((self.stack.len() + 1, tag_start));
        }
        if base64 {
            self.base64 = Some(self.stack.len() + 1);
        } else if self.escape.is_none() && self.is_text_only(&name, &attrs) {
            // The source's own name: Atom 0.3 names are rewritten, end tags too.
            self.escape = Some((self.stack.len() + 1, raw_name.to_string()));
        }
        // Elements feed-rs splits into name and address (RSS author, managingEditor,
        // webMaster, dc:creator, itunes:author, itunes:owner's name).
        // The innermost one counts (an Atom author's name, not the author).
        if matches!(
            local_part(&name),
            "author" | "managingEditor" | "webMaster" | "creator" | "name"
        ) {
            self.person = Some((self.stack.len() + 1, self.out.len()));
        }
        if is_entry && self.open_entry.is_none() {
            self.open_entry = Some((self.stack.len() + 1, tag_start));
        }
        self.stack.push(name);
        if is_root {
            self.open_implied_channel(local);
        }
    }

    /// Read the start tag at `pos` (name and attributes), leaving `pos` after it.
    fn read_tag(&mut self) -> Tag<'a> {
        let src = self.src;
        let b = src.as_bytes();
        let start = self.pos;
        let mut i = start + 1;
        while i < b.len()
            && !b[i].is_ascii_whitespace()
            && !matches!(b[i], b'>' | b'/' | b'<' | b'"' | b'\'' | b'=')
        {
            i += 1;
        }
        let raw_name = &src[start + 1..i];
        let mut attrs: Attrs<'a> = Vec::new();
        let mut self_closing = false;
        loop {
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i >= b.len() {
                break;
            }
            match b[i] {
                b'>' => {
                    i += 1;
                    break;
                }
                b'/' if b.get(i + 1) == Some(&b'>') => {
                    self_closing = true;
                    i += 2;
                    break;
                }
                b'<' => {
                    // A tag that never ended; the next one starts here.
                    break;
                }
                _ => {}
            }
            let ns = i;
            while i < b.len()
                && !b[i].is_ascii_whitespace()
                && !matches!(b[i], b'>' | b'=' | b'<')
                && (b[i] != b'/' || b.get(i + 1) != Some(&b'>'))
            {
                i += 1;
            }
            let aname = &src[ns..i];
            if aname.is_empty() {
                // Stray '/', '=' or quote.
                i += 1;
                continue;
            }
            let value = self.read_attr_value(&mut i, aname);
            if self.keep_attr(aname, &value, &attrs) {
                attrs.push((aname, value));
            }
        }
        self.pos = i;
        Tag {
            raw_name,
            attrs,
            self_closing,
        }
    }

    /// The value of the attribute `aname` whose name ends at `*i`, moving `*i` past it:
    /// quoted, unterminated (up to the tag's end), unquoted, or missing (the name).
    fn read_attr_value(&mut self, i: &mut usize, aname: &'a str) -> Cow<'a, str> {
        let src = self.src;
        let b = src.as_bytes();
        while *i < b.len() && b[*i].is_ascii_whitespace() {
            *i += 1;
        }
        if b.get(*i) != Some(&b'=') {
            return Cow::Borrowed(aname);
        }
        *i += 1;
        while *i < b.len() && b[*i].is_ascii_whitespace() {
            *i += 1;
        }
        match b.get(*i) {
            Some(&q) if q == b'"' || q == b'\'' => {
                let vs = *i + 1;
                match memchr::memchr(q, &b[vs..]) {
                    Some(e) => {
                        *i = vs + e + 1;
                        Cow::Borrowed(&src[vs..vs + e])
                    }
                    None => {
                        let e = memchr::memchr(b'>', &b[vs..]).unwrap_or(b.len() - vs);
                        *i = vs + e;
                        Cow::Borrowed(&src[vs..vs + e])
                    }
                }
            }
            _ => {
                let vs = *i;
                while *i < b.len() && !b[*i].is_ascii_whitespace() && b[*i] != b'>' {
                    *i += 1;
                }
                Cow::Borrowed(&src[vs..*i])
            }
        }
    }

    /// Whether an attribute read from the source is written back: not with an invalid
    /// or repeated name, and not an xml:base that is not a URL reference (feed-rs rejects
    /// the whole document over one; readers ignore such a base).
    fn keep_attr(&self, aname: &str, value: &str, attrs: &Attrs<'_>) -> bool {
        let valid_name = aname.bytes().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b':') || c >= 0x80
        }) && !aname.as_bytes()[0].is_ascii_digit();
        if !valid_name || attrs.iter().any(|(n, _)| *n == aname) {
            return false;
        }
        !(aname == "xml:base"
            && matches!(Url::parse(value.trim()), Err(e) if e != url::ParseError::RelativeUrlWithoutBase))
    }

    /// A feed served inside an HTML page: before the root, `html`, `body` and `head` are
    /// looked through (a head skipped whole). True when the tag was such a wrapper.
    fn skip_html_wrapper(&mut self, local: &str, self_closing: bool) -> bool {
        if self.root_seen
            || !matches!(
                local.to_ascii_lowercase().as_str(),
                "html" | "body" | "head"
            )
        {
            return false;
        }
        if local.eq_ignore_ascii_case("head") && !self_closing {
            let rest = &self.src[self.pos..];
            self.pos += find_ci(rest.as_bytes(), b"</head").map_or(0, |e| e);
        }
        true
    }

    /// Note the prefix bound to Atom 0.3 (declared on the root nearly always; tracked
    /// anywhere), or a `version="0.3"` Atom root with no default namespace.
    fn track_atom03_prefix(&mut self, is_root: bool, local: &str, attrs: &Attrs<'_>) {
        for (n, v) in attrs {
            if let Some(p) = n.strip_prefix("xmlns") {
                let v = v.trim().trim_end_matches('/');
                if ATOM03_NAMES.iter().any(|n| v.eq_ignore_ascii_case(n)) {
                    self.atom03_prefix = Some(p.trim_start_matches(':').to_string());
                }
            }
        }
        if is_root && local == "feed" && self.atom03_prefix.is_none() {
            let declares_default = attrs.iter().any(|(n, _)| *n == "xmlns");
            let v03 = attrs
                .iter()
                .any(|(n, v)| *n == "version" && v.trim() == "0.3");
            if v03 && !declares_default {
                self.atom03_prefix = Some(String::new());
            }
        }
    }

    /// A new entry (output `name`) implies the end of whatever is still open inside its
    /// container (an unclosed `<itunes:category>` must not swallow the items after it).
    /// True when `name` is an entry in its container.
    fn close_open_in_entry_container(&mut self, name: &str) -> bool {
        let entry_container = match (self.rss_doc, self.atom_doc, name) {
            (true, _, "item") => self.stack.iter().rposition(|n| n == "channel"),
            (_, true, "entry") => self
                .stack
                .iter()
                .rposition(|n| n == "feed" || n.ends_with(":feed")),
            _ => None,
        };
        let Some(k) = entry_container else {
            return false;
        };
        while self.stack.len() > k + 1 {
            self.pop_close();
        }
        true
    }

    /// Atom text constructs' and Media RSS texts' `type` made one feed-rs accepts, and an
    /// Atom content with `src` made empty. True when the element's text is base64.
    fn fix_text_types(
        &mut self,
        raw_name: &str,
        name: &str,
        attrs: &mut Attrs<'_>,
        self_closing: bool,
    ) -> bool {
        let mut base64 = false;
        if self.atom_doc && !raw_name.contains(':') || raw_name.starts_with("atom:") {
            let new_local = local_part(name);
            if matches!(
                new_local,
                "title" | "subtitle" | "summary" | "rights" | "content"
            ) {
                base64 = atom_text_type(new_local, attrs);
            }
            if new_local == "content" && !self_closing {
                self.content_src_body(attrs);
            }
        }
        if let Some(local) = raw_name.strip_prefix("media:")
            && matches!(local, "title" | "description" | "text")
        {
            media_text_type(attrs);
        }
        base64
    }

    /// Wrappers RSS 2.0 does not have, dropped so their children are the channel's:
    /// RSS 1.0's own `channel` (its items are its siblings; the rewritten root already
    /// opened the channel) and `items` (RSS 1.1 puts the items in it).
    fn is_dropped_wrapper(&self, name: &str) -> bool {
        let new_local = local_part(name);
        (self.rdf_root && new_local == "channel" && self.stack.len() == 2)
            || (self.rss_doc
                && new_local == "items"
                && self
                    .stack
                    .last()
                    .is_some_and(|p| local_part(p) == "channel"))
    }

    /// `<name attrs...` (without the closing `>`), namespace URIs canonical.
    fn write_open_tag(&mut self, name: &str, attrs: &Attrs<'_>) {
        self.out.push('<');
        self.out.push_str(name);
        for (n, v) in attrs {
            self.out.push(' ');
            self.out.push_str(n);
            self.out.push_str("=\"");
            let v: &str = if n.starts_with("xmlns") {
                canonical_ns(v).unwrap_or(v)
            } else {
                v
            };
            self.attr_value(v);
            self.out.push('"');
        }
    }

    /// An element closed where it opened (empty or void).
    fn closed_at_once(&mut self, omit: bool, tag_start: usize, is_root: bool) {
        if omit {
            self.omitted.push((tag_start, self.out.len()));
        }
        if is_root {
            self.root_done = true;
        }
    }

    /// CDF gives an item's link and date as attributes: RSS has them as children.
    fn cdf_attributes_as_children(&mut self, attrs: &Attrs<'_>) {
        for (n, v) in attrs {
            let child = if n.eq_ignore_ascii_case("href") {
                "link"
            } else if n.eq_ignore_ascii_case("lastmod") {
                "updated"
            } else {
                continue;
            };
            self.out.push('<');
            self.out.push_str(child);
            self.out.push('>');
            self.attr_value(v);
            self.close(child);
        }
    }

    /// The channel a root implies: RSS 1.0 read as RSS 2.0 (which feed-rs reads fully:
    /// HTML descriptions, items without a link) puts the items, siblings of RDF's
    /// channel, in one; items straight under `<rss>` need one too.
    fn open_implied_channel(&mut self, local: &str) {
        let implied = self.rdf_root
            || (local == "rss" && !self.src.contains("<channel") && !self.src.contains(":channel"));
        if implied {
            self.out.push_str("<channel>");
            self.stack.push("channel".to_string());
        }
    }
}
