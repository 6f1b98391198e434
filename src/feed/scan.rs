//! Facts feed-rs's model does not keep, read in one streaming pass over the prepared
//! document: per entry the document's own id (RSS guid with `isPermaLink`, Atom id,
//! RSS 1.0 `rdf:about`), raw date strings by element (so `pubDate`, `dcterms:*` and
//! `dc:date` are all seen and parsed by our lenient parser), every author source
//! (`author`, `dc:creator`, `itunes:author`, Atom `author/name`), every category source
//! (`category`, `dc:subject`, `itunes:keywords`, `itunes:category`), links with their
//! xml:base and RSS enclosures; per feed the site link and language.
//!
//! Entries are counted exactly where feed-rs looks for them (`rss/channel/item`,
//! `rdf:RDF/item`, `feed/entry`, a lone `entry`), so facts line up with feed-rs entries
//! by position; the caller checks the counts agree before using them.
//!
//! Input: only a repaired XML document (`Prepared`, whose documentation is the contract:
//! balanced tags, canonical namespaces, RSS flavours as `rss/channel/item`, Atom 0.3 as
//! 1.0). Every entry child `prepare::scan_reads_entry_child` names is left out of
//! feed-rs's copy, so this scan is those facts' only source and reads each of them.
//!
//! Speed: elements whose content nothing here reads (descriptions, content, extension
//! blocks) are stepped over by searching for their end tag in the text rather than
//! tokenized; the prepared text's tags are balanced, which makes that safe.

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use url::Url;

use super::prepare::{
    NS_ATOM, NS_CONTENT, NS_DC, NS_DCTERMS, NS_ITUNES, NS_MEDIA, NS_RDF, NS_RSS1, Prepared,
};

/// A link as written, with the xml:base in force where it appeared.
#[derive(Debug, Clone, Default)]
pub(crate) struct RawLink {
    pub(crate) href: String,
    pub(crate) rel: Option<String>,
    pub(crate) mime: Option<String>,
    pub(crate) length: Option<u64>,
    pub(crate) base: Option<Url>,
}

/// Where an author name came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthorSource {
    AtomName,
    RssAuthor,
    DcCreator,
    ItunesAuthor,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct EntryFacts {
    pub(crate) guid: Option<String>,
    pub(crate) guid_is_permalink: bool,
    pub(crate) atom_id: Option<String>,
    pub(crate) about: Option<String>,
    /// Raw date text by feedparser's mapping: pubDate, published (Atom 0.3 issued),
    /// dcterms:issued -> published; updated (0.3 modified), dc:date, dcterms:modified -> updated.
    pub(crate) published: Option<String>,
    pub(crate) updated: Option<String>,
    pub(crate) authors: Vec<(AuthorSource, String)>,
    pub(crate) categories: Vec<String>,
    /// RSS `<link>` texts and Atom `<link>` elements, in order.
    pub(crate) links: Vec<RawLink>,
    pub(crate) enclosures: Vec<RawLink>,
    /// `xml:base` in force on the entry element.
    pub(crate) base: Option<Url>,
    /// Summary-like text from elements feed-rs does not read (`dc:description`,
    /// `itunes:summary`, `media:description`), first one seen.
    pub(crate) alt_summary: Option<String>,
    /// `dc:title` or a Media RSS title (first seen), for entries without a `<title>`.
    pub(crate) alt_title: Option<String>,
    /// Body from `xhtml:body` / `fullitem` (as HTML or text).
    pub(crate) alt_content: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct FeedFacts {
    pub(crate) links: Vec<RawLink>,
    /// Channel `dc:title`, for feeds without a `<title>`.
    pub(crate) alt_title: Option<String>,
    pub(crate) language: Option<String>,
    pub(crate) root_lang: Option<String>,
    pub(crate) entries: Vec<EntryFacts>,
    /// The scan stopped on an XML error: facts past that point are missing.
    pub(crate) incomplete: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    None,
    Atom,
    Rss1,
    Dc,
    DcTerms,
    Itunes,
    Media,
    Content,
    Rdf,
    Other,
}

fn ns_of(r: &ResolveResult<'_>) -> Ns {
    match r {
        ResolveResult::Bound(n) => match n.0 {
            NS_ATOM => Ns::Atom,
            NS_RSS1 => Ns::Rss1,
            NS_DC => Ns::Dc,
            NS_DCTERMS => Ns::DcTerms,
            NS_ITUNES => Ns::Itunes,
            NS_MEDIA => Ns::Media,
            NS_CONTENT => Ns::Content,
            NS_RDF => Ns::Rdf,
            _ => Ns::Other,
        },
        _ => Ns::None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Rss,
    Rdf,
    Feed,
    Channel,
    Entry,
    AtomAuthor,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Guid,
    AtomId,
    Published,
    Updated,
    Author(AuthorSource),
    Category,
    Subject,
    Keywords,
    RssLink,
    /// An Atom 0.3 `<link>` with its URL as text: index into `links`/`enclosures`.
    AtomLinkText {
        enclosure: bool,
    },
    AltSummary,
    /// An Atom author's e-mail: the author when it has no name.
    AtomAuthorEmail,
    AltTitle,
    FeedAltTitle,
    /// All text below the element (xhtml:body).
    AltContentDeep,
    AltContentText,
    FeedLink,
    FeedLanguage,
}

struct Frame {
    tag: Tag,
    /// xml:base declared on this element (resolved).
    base: Option<Url>,
}

/// The facts of a prepared XML document (see `Prepared` for what that promises).
pub(crate) fn scan(prepared: &Prepared, doc_base: Option<&Url>) -> FeedFacts {
    let text = prepared.text.as_str();
    let mut reader = NsReader::from_str(text);
    {
        let cfg = reader.config_mut();
        cfg.expand_empty_elements = true;
        cfg.check_end_names = false;
        cfg.trim_text(false);
    }
    let mut s = Scanner::new(doc_base);
    // The element just started (its qualified name): if nothing captures its text and the
    // text holds no markup, the reader jumps straight to its end tag.
    let mut skip_name: Vec<u8> = Vec::with_capacity(32);
    let mut try_skip = false;
    // ... and when nothing below it is read either, its whole subtree.
    let mut skip_tree = false;
    loop {
        if std::mem::take(&mut try_skip) && s.capture.is_none() {
            skip_content(
                &mut reader,
                text,
                &skip_name,
                std::mem::take(&mut skip_tree),
            );
        }
        skip_tree = false;
        let (res, ev) = match reader.read_resolved_event() {
            Ok(x) => x,
            Err(_) => {
                s.facts.incomplete = true;
                break;
            }
        };
        match ev {
            Event::Start(e) => {
                skip_name.clear();
                let qname = e.name();
                let qname: &str = qname.as_ref();
                skip_name.extend_from_slice(qname.as_bytes());
                try_skip = true;
                skip_tree = s.start(&e, ns_of(&res));
            }
            Event::End(_) => s.end(),
            Event::Text(t) if s.direct() => s.buf.push_str(&t.xml10_content()),
            Event::CData(t) if s.direct() => s.buf.push_str(&t),
            Event::GeneralRef(r) if s.direct() => {
                if let Ok(Some(ch)) = r.resolve_char_ref() {
                    s.buf.push(ch);
                } else if let Some(v) = quick_xml::escape::resolve_predefined_entity(&r) {
                    s.buf.push_str(v);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    s.facts
}

/// The scan's state between events.
struct Scanner<'d> {
    doc_base: Option<&'d Url>,
    facts: FeedFacts,
    stack: Vec<Frame>,
    /// Depth of the open entry.
    entry_depth: Option<usize>,
    /// The element whose text is being read (what it is, its depth).
    capture: Option<(Target, usize)>,
    buf: String,
    root: Tag,
    /// Inside a deep capture: depth of a script/style element being skipped.
    skip_from: Option<usize>,
    pending_link: Option<RawLink>,
    /// The open Atom author: (depth, authors the entry had before it, its e-mail).
    atom_author: Option<(usize, usize, Option<String>)>,
}

/// The xml:base in force at the top of `stack`.
fn current_base(stack: &[Frame], doc_base: Option<&Url>) -> Option<Url> {
    stack
        .iter()
        .rev()
        .find_map(|f| f.base.clone())
        .or_else(|| doc_base.cloned())
}

impl<'d> Scanner<'d> {
    fn new(doc_base: Option<&'d Url>) -> Self {
        Scanner {
            doc_base,
            facts: FeedFacts::default(),
            stack: Vec::with_capacity(16),
            entry_depth: None,
            capture: None,
            buf: String::new(),
            root: Tag::Other,
            skip_from: None,
            pending_link: None,
            atom_author: None,
        }
    }

    /// Text events go to the capture: its own text, or all text below a deep one.
    fn direct(&self) -> bool {
        direct(self.capture, &self.stack, self.skip_from)
    }

    fn capture(&mut self, target: Target, depth: usize) {
        self.capture = Some((target, depth));
        self.buf.clear();
    }

    /// An element starts. True when nothing below it is read (its subtree can be skipped).
    fn start(&mut self, e: &BytesStart<'_>, ns: Ns) -> bool {
        let depth = self.stack.len() + 1;
        let local = e.local_name();
        let local: &str = local.as_ref();
        let parent = self.stack.last().map(|f| f.tag);
        let base = xml_base(e).and_then(|b| match current_base(&self.stack, self.doc_base) {
            Some(cur) => cur.join(&b).ok(),
            None => Url::parse(&b).ok(),
        });
        let rss_ns = matches!(ns, Ns::None | Ns::Rss1);
        let atom_ns = matches!(ns, Ns::None | Ns::Atom);
        let mut tag = Tag::Other;
        if depth == 1 {
            tag = match local {
                "rss" => Tag::Rss,
                "RDF" => Tag::Rdf,
                "feed" => Tag::Feed,
                "entry" => Tag::Entry,
                _ => Tag::Other,
            };
            self.root = tag;
            if let Some(l) = attr(e, "xml:lang") {
                self.facts.root_lang = Some(l);
            }
        } else if local == "channel" && rss_ns && depth == 2 {
            tag = Tag::Channel;
        }
        let root = self.root;
        let is_entry = self.entry_depth.is_none()
            && ((local == "item"
                && rss_ns
                && ((depth == 3 && parent == Some(Tag::Channel))
                    || (depth == 2 && root == Tag::Rdf)))
                || (local == "entry"
                    && atom_ns
                    && (depth == 1 || (depth == 2 && root == Tag::Feed))));
        self.stack.push(Frame { tag, base });
        if is_entry {
            if let Some(f) = self.stack.last_mut() {
                f.tag = Tag::Entry;
            }
            self.entry_depth = Some(depth);
            self.facts.entries.push(EntryFacts {
                about: attr(e, "rdf:about").or_else(|| attr(e, "about")),
                base: current_base(&self.stack, self.doc_base),
                ..Default::default()
            });
            return false;
        }
        if let Some((target, _)) = self.capture {
            match target {
                Target::AltContentDeep => {
                    if self.skip_from.is_none() && matches!(local, "script" | "style") {
                        self.skip_from = Some(depth);
                    }
                    self.buf.push(' ');
                }
                // An RSS author written as a small record: its name is the author.
                Target::Author(src) if local == "name" => self.capture(Target::Author(src), depth),
                _ => {}
            }
            return false;
        }
        match self.entry_depth {
            Some(ed) => self.entry_start(e, ns, local, depth, ed, parent),
            None => self.feed_start(e, ns, local, depth, parent),
        }
    }

    /// An element starts inside an entry (not inside a capture).
    fn entry_start(
        &mut self,
        e: &BytesStart<'_>,
        ns: Ns,
        local: &str,
        depth: usize,
        ed: usize,
        parent: Option<Tag>,
    ) -> bool {
        let Some(entry) = self.facts.entries.last_mut() else {
            return false;
        };
        let atom_ns = matches!(ns, Ns::None | Ns::Atom);
        // Media RSS and iTunes elements at any depth.
        let target = match (ns, local) {
            (Ns::Media, "category") => Some(Target::Category),
            (Ns::Media, "description") if entry.alt_summary.is_none() => Some(Target::AltSummary),
            (Ns::Media, "title") if entry.alt_title.is_none() => Some(Target::AltTitle),
            _ => None,
        };
        if let Some(t) = target {
            self.capture(t, depth);
            return false;
        }
        if ns == Ns::Itunes && local == "category" {
            // Nested itunes:category elements are categories too.
            if let Some(t) = attr(e, "text") {
                entry.categories.push(t);
            }
            return false;
        }
        if depth == ed + 2 && parent == Some(Tag::AtomAuthor) {
            if local == "name" && atom_ns {
                self.capture(Target::Author(AuthorSource::AtomName), depth);
            } else if local == "email" && atom_ns {
                self.capture(Target::AtomAuthorEmail, depth);
            }
            return false;
        }
        if depth != ed + 1 {
            return false;
        }
        match self.entry_child(e, ns, local, depth) {
            Some(t) => {
                self.capture(t, depth);
                false
            }
            // Nothing below it is read: an Atom author's name, Media RSS and
            // iTunes elements (at any depth) and a body are.
            None => {
                self.stack.last().is_some_and(|f| f.tag != Tag::AtomAuthor)
                    && !matches!(ns, Ns::Media | Ns::Itunes)
                    && local != "body"
            }
        }
    }

    /// A direct child of the entry starts: what its text is, if it is read; facts held in
    /// attributes are stored at once.
    fn entry_child(
        &mut self,
        e: &BytesStart<'_>,
        ns: Ns,
        local: &str,
        depth: usize,
    ) -> Option<Target> {
        let in_atom = matches!(self.root, Tag::Feed | Tag::Entry);
        let base = || current_base(&self.stack, self.doc_base);
        let entry = self.facts.entries.last_mut()?;
        match (ns, local) {
            (Ns::None | Ns::Rss1, "guid") => {
                entry.guid_is_permalink =
                    attr(e, "isPermaLink").is_none_or(|v| v.trim().eq_ignore_ascii_case("true"));
                Some(Target::Guid)
            }
            (Ns::None | Ns::Atom, "id") if in_atom || ns == Ns::Atom => Some(Target::AtomId),
            (Ns::None | Ns::Rss1, "pubDate") => Some(Target::Published),
            (Ns::None | Ns::Atom, "published") => Some(Target::Published),
            (Ns::DcTerms, "issued") => Some(Target::Published),
            (Ns::None | Ns::Atom, "updated") => Some(Target::Updated),
            (Ns::Dc, "date") | (Ns::DcTerms, "modified") => Some(Target::Updated),
            (Ns::None | Ns::Atom, "author") if in_atom || ns == Ns::Atom => {
                let before = entry.authors.len();
                if let Some(f) = self.stack.last_mut() {
                    f.tag = Tag::AtomAuthor;
                }
                self.atom_author = Some((depth, before, None));
                None
            }
            (Ns::None | Ns::Rss1, "author") => Some(Target::Author(AuthorSource::RssAuthor)),
            (Ns::Dc, "creator" | "author") => Some(Target::Author(AuthorSource::DcCreator)),
            (Ns::Dc, "description") | (Ns::Itunes, "summary") => Some(Target::AltSummary),
            (Ns::Dc, "title") => Some(Target::AltTitle),
            (_, "body") => Some(Target::AltContentDeep),
            (Ns::None, "fullitem") => Some(Target::AltContentText),
            (Ns::Itunes, "author") => Some(Target::Author(AuthorSource::ItunesAuthor)),
            (Ns::None | Ns::Atom | Ns::Rss1, "category") => {
                if in_atom || ns == Ns::Atom || attr(e, "term").is_some() {
                    if let Some(t) = attr(e, "term") {
                        entry.categories.push(t);
                    }
                    None
                } else {
                    Some(Target::Category)
                }
            }
            (Ns::Dc, "subject") => Some(Target::Subject),
            (Ns::Itunes, "keywords") => Some(Target::Keywords),
            (Ns::None | Ns::Atom | Ns::Rss1, "link") => {
                let [href, rel, mime, length] = attrs(e, ["href", "rel", "type", "length"]);
                if let Some(href) = href {
                    let l = RawLink {
                        href,
                        rel,
                        mime,
                        length: length.and_then(|v| v.trim().parse().ok()),
                        base: base(),
                    };
                    if l.rel.as_deref() == Some("enclosure") {
                        entry.enclosures.push(l);
                    } else {
                        entry.links.push(l);
                    }
                    None
                } else if !in_atom && ns != Ns::Atom {
                    Some(Target::RssLink)
                } else {
                    // Atom 0.3 style: the URL is the element's text.
                    let l = RawLink {
                        href: String::new(),
                        rel,
                        mime,
                        length: None,
                        base: base(),
                    };
                    let enclosure = l.rel.as_deref() == Some("enclosure");
                    self.pending_link = Some(l);
                    Some(Target::AtomLinkText { enclosure })
                }
            }
            (Ns::None | Ns::Rss1, "enclosure") => {
                let [href, mime, length] = attrs(e, ["url", "type", "length"]);
                if let Some(href) = href {
                    entry.enclosures.push(RawLink {
                        href,
                        rel: Some("enclosure".into()),
                        mime,
                        length: length.and_then(|v| v.trim().parse().ok()),
                        base: base(),
                    });
                }
                None
            }
            _ => None,
        }
    }

    /// An element starts outside any entry: channel children (RSS, RDF) or feed children
    /// (Atom) are read.
    fn feed_start(
        &mut self,
        e: &BytesStart<'_>,
        ns: Ns,
        local: &str,
        depth: usize,
        parent: Option<Tag>,
    ) -> bool {
        let root = self.root;
        let feed_child = (depth == 3 && parent == Some(Tag::Channel))
            || (depth == 2 && matches!(root, Tag::Feed | Tag::Rdf));
        if !feed_child {
            return false;
        }
        match (ns, local) {
            (Ns::None | Ns::Atom | Ns::Rss1, "link") => {
                let [href, rel, mime] = attrs(e, ["href", "rel", "type"]);
                if let Some(href) = href {
                    let base = current_base(&self.stack, self.doc_base);
                    self.facts.links.push(RawLink {
                        href,
                        rel,
                        mime,
                        length: None,
                        base,
                    });
                } else if ns != Ns::Atom && root != Tag::Feed {
                    self.capture(Target::FeedLink, depth);
                }
                false
            }
            (Ns::None | Ns::Rss1, "language") | (Ns::Dc, "language") => {
                self.capture(Target::FeedLanguage, depth);
                false
            }
            (Ns::Dc, "title") => {
                self.capture(Target::FeedAltTitle, depth);
                false
            }
            // Feed-level elements read nothing below them (entries are handled above).
            _ => true,
        }
    }

    /// An element ends: a capture it closes is stored, an Atom author without a name
    /// takes its address.
    fn end(&mut self) {
        let depth = self.stack.len();
        if self.skip_from == Some(depth) {
            self.skip_from = None;
        }
        if let Some((target, d)) = self.capture {
            if d == depth {
                self.capture = None;
                let value = std::mem::take(&mut self.buf);
                self.finish_capture(target, value);
            } else if target == Target::AltContentDeep {
                self.buf.push(' ');
            }
        }
        if let Some((_, before, email)) = self.atom_author.take_if(|(d, _, _)| *d == depth) {
            // An author with an address and no name: the address names it.
            if let Some(entry) = self.facts.entries.last_mut()
                && entry.authors.len() == before
                && let Some(email) = email.filter(|e| !e.trim().is_empty())
            {
                entry.authors.push((AuthorSource::AtomName, email));
            }
        }
        if self.entry_depth == Some(depth) {
            self.entry_depth = None;
        }
        self.stack.pop();
    }

    fn finish_capture(&mut self, target: Target, value: String) {
        if let (Target::AtomLinkText { enclosure }, Some(mut l)) =
            (target, self.pending_link.take())
        {
            l.href = value.trim().to_string();
            if let Some(entry) = self.facts.entries.last_mut().filter(|_| !l.href.is_empty()) {
                if enclosure {
                    entry.enclosures.push(l);
                } else {
                    entry.links.push(l);
                }
            }
        } else if target == Target::AtomAuthorEmail {
            if let Some((_, _, email)) = &mut self.atom_author {
                email.get_or_insert(value);
            }
        } else {
            // Only links need the base in force (a Url clone otherwise).
            let base = matches!(target, Target::RssLink | Target::FeedLink)
                .then(|| current_base(&self.stack, self.doc_base))
                .flatten();
            store(&mut self.facts, target, value, base);
        }
    }
}

/// Move the reader to the end tag of the element that just started, past content
/// nothing here reads: escaped HTML in a description is thousands of entity events for
/// quick-xml, a CDATA section a long UTF-8 check, XHTML content a tree of elements.
/// With `children` false only text, CDATA and comments may come before the end tag.
/// The text is the repairer's output, so tags are balanced and no attribute holds `<`.
fn skip_content(reader: &mut NsReader<&[u8]>, text: &str, qname: &[u8], children: bool) {
    let rest: &[u8] = reader.get_mut();
    let pos = text.len() - rest.len();
    // `<x/>` read as start + end: the end is still to come from the reader's state.
    if text.as_bytes()[..pos].ends_with(b"/>") {
        return;
    }
    let name_ends = |t: &[u8], at: usize| {
        t.len() > at + qname.len()
            && t[at..].starts_with(qname)
            && matches!(
                t[at + qname.len()],
                b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n'
            )
    };
    // Elements of the same name inside: their end tags are not the one sought.
    let mut nested = 0usize;
    let mut from = 0;
    loop {
        let Some(lt) = memchr::memchr(b'<', &rest[from..]).map(|i| from + i) else {
            return;
        };
        let tag = &rest[lt..];
        let skip_to = |end: &[u8]| memchr::memmem::find(tag, end).map(|e| lt + e + end.len());
        let next = if tag.starts_with(b"<![CDATA[") {
            skip_to(b"]]>")
        } else if tag.starts_with(b"<!--") {
            skip_to(b"-->")
        } else if tag.starts_with(b"<?") {
            skip_to(b"?>")
        } else if tag.get(1) == Some(&b'/') {
            if name_ends(tag, 2) {
                if nested == 0 {
                    *reader.get_mut() = tag;
                    return;
                }
                nested -= 1;
            } else if !children {
                return;
            }
            Some(lt + 2)
        } else {
            if !children {
                return;
            }
            if name_ends(tag, 1) {
                // Same name: nested unless `<x .../>` (quotes respected: values may hold `>`).
                let end = start_tag_end(tag).map(|e| lt + e);
                if end.is_some_and(|e| rest[e - 2] != b'/') {
                    nested += 1;
                }
                end
            } else {
                // No `<` inside attribute values here: the next one starts the next markup.
                Some(lt + 1)
            }
        };
        match next {
            Some(n) => from = n,
            None => return,
        }
    }
}

/// Index just past the `>` ending the start tag at the start of `tag`, quotes respected.
fn start_tag_end(tag: &[u8]) -> Option<usize> {
    let mut quote = None;
    for (i, &c) in tag.iter().enumerate() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => return Some(i + 1),
            None => {}
        }
    }
    None
}

/// Text belongs to the capture: directly inside the captured element (feedparser ignores
/// text of nested elements), or anywhere below it for a deep capture outside script/style.
fn direct(capture: Option<(Target, usize)>, stack: &[Frame], skip_from: Option<usize>) -> bool {
    match capture {
        Some((Target::AltContentDeep, _)) => skip_from.is_none(),
        Some((_, d)) => d == stack.len(),
        None => false,
    }
}

fn store(facts: &mut FeedFacts, target: Target, value: String, base: Option<Url>) {
    let value_trim = value.trim();
    if value_trim.is_empty() {
        return;
    }
    if matches!(
        target,
        Target::FeedLink | Target::FeedLanguage | Target::FeedAltTitle
    ) {
        match target {
            Target::FeedLink => facts.links.push(RawLink {
                href: value_trim.to_string(),
                base,
                ..Default::default()
            }),
            Target::FeedAltTitle => {
                facts.alt_title.get_or_insert(value);
            }
            _ => {
                facts.language.get_or_insert_with(|| value_trim.to_string());
            }
        }
        return;
    }
    let Some(e) = facts.entries.last_mut() else {
        return;
    };
    match target {
        Target::Guid => e.guid = Some(value),
        Target::AtomId => e.atom_id = Some(value),
        Target::Published => e.published = Some(value),
        Target::Updated => e.updated = Some(value),
        Target::Author(src) => e.authors.push((src, value)),
        Target::Category | Target::Subject => e.categories.push(value),
        Target::Keywords => e.categories.extend(
            value
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from),
        ),
        Target::RssLink => e.links.push(RawLink {
            href: value_trim.to_string(),
            base,
            ..Default::default()
        }),
        Target::AltSummary => {
            e.alt_summary.get_or_insert(value);
        }
        Target::AltTitle => {
            e.alt_title.get_or_insert(value);
        }
        Target::AltContentDeep => {
            // Already text: escape nothing, but keep it from being read as HTML.
            e.alt_content
                .get_or_insert_with(|| value.replace('&', "&amp;").replace('<', "&lt;"));
        }
        Target::AltContentText => {
            e.alt_content.get_or_insert(value);
        }
        Target::FeedLink
        | Target::FeedLanguage
        | Target::FeedAltTitle
        | Target::AtomAuthorEmail
        | Target::AtomLinkText { .. } => {}
    }
}

/// Several attributes' unescaped values by qualified name, in one walk over them.
fn attrs<const N: usize>(e: &BytesStart<'_>, names: [&str; N]) -> [Option<String>; N] {
    let mut out: [Option<String>; N] = std::array::from_fn(|_| None);
    for a in e.attributes().with_checks(false).flatten() {
        let k: &str = a.key.as_ref();
        if let Some(i) = names.iter().position(|n| *n == k)
            && out[i].is_none()
        {
            out[i] = Some(
                quick_xml::escape::unescape(&a.value)
                    .map(|v| v.into_owned())
                    .unwrap_or_else(|_| a.value.to_string()),
            );
        }
    }
    out
}

/// An attribute's unescaped value by qualified name.
fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| {
            let k: &str = a.key.as_ref();
            k == name
        })
        .map(|a| {
            quick_xml::escape::unescape(&a.value)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.to_string())
        })
}

fn xml_base(e: &BytesStart<'_>) -> Option<String> {
    // Asked of every element; nearly none has one, so look at the raw bytes first
    // rather than walk (and unescape) the attributes.
    static XML_BASE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("xml:base"));
    let raw = e.attributes_raw();
    if raw.len() < 8 {
        return None;
    }
    XML_BASE.find(raw.as_bytes())?;
    attr(e, "xml:base").map(|b| b.trim().to_string())
}
