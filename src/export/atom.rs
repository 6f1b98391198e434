//! The Atom 1.0 digest (RFC 4287), so any feed reader can subscribe to it. Each entry
//! carries `atom:source` (the feed it came from), `link rel="related"` (the source
//! article), categories (our source type, its schema.org type, the feed's own terms,
//! the digest tags) and one `fb:disclosure` element in feedbrief's namespace.
//!
//! Written with quick-xml's `Writer`, which escapes text and attribute values; what it
//! cannot escape (characters XML forbids) is removed first by `escape::xml_safe`.

use std::io::{self, Write};

use chrono::{DateTime, Utc};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::Source;
use super::escape::{html, safe_href, xml_safe};
use super::jsonfeed::digest_id;
use super::view::{EntryView, changed_at, read_more_label, rfc3339, timezone};
use crate::disclose::atom::{PREFIX, categories};
use crate::disclose::{NAMESPACE, entry_id};
use crate::model::{DigestEntry, Disclosure};

pub(crate) const ATOM_NS: &str = "http://www.w3.org/2005/Atom";

pub(crate) fn render<S: Source + ?Sized, W: Write + ?Sized>(
    digest: &S,
    out: &mut W,
) -> io::Result<()> {
    render_at(digest, None, out)
}

/// `render`, with the address the document will be served from for `rel="self"`.
pub(crate) fn render_at<S: Source + ?Sized, W: Write + ?Sized>(
    digest: &S,
    self_url: Option<&str>,
    out: &mut W,
) -> io::Result<()> {
    let h = digest.head();
    let head = FeedHead {
        id: digest_id(&h),
        title: h.title.to_string(),
        subtitle: h.period.to_string(),
        updated: digest.updated(),
        self_url: self_url.map(str::to_string),
    };
    let mut stream = AtomStream::start(&mut *out, &head, timezone(h.timezone))?;
    for i in 0..digest.groups().len() {
        digest.each_entry(i, &mut |entry| stream.entry(entry))?;
    }
    stream.finish()
}

/// What an Atom document says about itself.
pub(crate) struct FeedHead {
    pub(crate) id: String,
    pub(crate) title: String,
    /// Empty for none.
    pub(crate) subtitle: String,
    /// The newest change among the entries.
    pub(crate) updated: DateTime<Utc>,
    /// Where the document will be read from (`rel="self"`, as feed validators ask);
    /// `None`: the document's own id, which names it when no address is known.
    pub(crate) self_url: Option<String>,
}

/// An Atom document written entry by entry, so an export of any size streams in
/// constant memory. `render` uses it for digests.
pub(crate) struct AtomStream<W: Write> {
    w: Writer<W>,
    tz: Option<chrono_tz::Tz>,
}

impl<W: Write> AtomStream<W> {
    pub(crate) fn start(out: W, head: &FeedHead, tz: Option<chrono_tz::Tz>) -> io::Result<Self> {
        let mut w = Writer::new_with_indent(out, b' ', 2);
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
        let xmlns_fb = format!("xmlns:{PREFIX}");
        let mut root = BytesStart::new("feed");
        root.push_attribute(("xmlns", ATOM_NS));
        root.push_attribute((xmlns_fb.as_str(), NAMESPACE));
        w.write_event(Event::Start(root))?;

        text_element(&mut w, "id", &head.id)?;
        text_element(&mut w, "title", &head.title)?;
        if !head.subtitle.trim().is_empty() {
            text_element(&mut w, "subtitle", &head.subtitle)?;
        }
        text_element(&mut w, "updated", &rfc3339(head.updated))?;
        let self_href = head.self_url.as_deref().unwrap_or(&head.id);
        let mut link = BytesStart::new("link");
        link.push_attribute(("rel", "self"));
        link.push_attribute(("type", "application/atom+xml"));
        link.push_attribute(("href", xml_safe(self_href).as_ref()));
        w.write_event(Event::Empty(link))?;
        // A feed-level author makes every entry valid without claiming the source's
        // authors wrote our summary (they are in the disclosure record instead).
        w.create_element("author")
            .write_inner_content(|w| text_element(w, "name", "feedbrief"))?;
        w.create_element("generator")
            .with_attribute(("version", env!("CARGO_PKG_VERSION")))
            .write_text_content(BytesText::new("feedbrief"))?;
        Ok(AtomStream { w, tz })
    }

    pub(crate) fn entry(&mut self, entry: &DigestEntry) -> io::Result<()> {
        write_entry(&mut self.w, entry, self.tz)
    }

    pub(crate) fn finish(mut self) -> io::Result<()> {
        self.w.write_event(Event::End(BytesEnd::new("feed")))?;
        writeln!(self.w.get_mut())
    }
}

fn write_entry<W: Write>(
    w: &mut Writer<W>,
    entry: &DigestEntry,
    tz: Option<chrono_tz::Tz>,
) -> io::Result<()> {
    let v = EntryView::new(entry, tz);
    w.write_event(Event::Start(BytesStart::new("entry")))?;
    text_element(w, "id", &entry_id(entry))?;
    text_element(w, "title", &v.title)?;
    // `updated` is when our entry (the summary) was made; `published` is the source's.
    text_element(w, "updated", &rfc3339(changed_at(entry)))?;
    text_element(w, "published", &rfc3339(entry.when()))?;
    // The source's authors wrote the article (not our summary: the feed-level author
    // says who made the entry); readers show them as the byline.
    for name in v.authors {
        let name = crate::text::collapse_ws(name);
        if !name.is_empty() {
            w.create_element("author")
                .write_inner_content(|w| text_element(w, "name", &name))?;
        }
    }
    if let Some(href) = v.url.as_deref().and_then(safe_href) {
        // `alternate` lets every reader open the article on click; `related` states
        // what the entry is about. Our entry has no page of its own.
        for rel in ["alternate", "related"] {
            let mut link = BytesStart::new("link");
            link.push_attribute(("rel", rel));
            link.push_attribute(("type", "text/html"));
            link.push_attribute(("href", xml_safe(&href).as_ref()));
            link.push_attribute(("title", xml_safe(v.site_name()).as_ref()));
            w.write_event(Event::Empty(link))?;
        }
    }
    for c in categories(entry) {
        let mut el = BytesStart::new("category");
        el.push_attribute(("term", xml_safe(&c.term).as_ref()));
        if let Some(s) = &c.scheme {
            el.push_attribute(("scheme", xml_safe(s).as_ref()));
        }
        if let Some(l) = &c.label {
            el.push_attribute(("label", xml_safe(l).as_ref()));
        }
        w.write_event(Event::Empty(el))?;
    }
    if let Some(s) = &v.summary {
        w.create_element("summary")
            .with_attribute(("type", "text"))
            .write_text_content(BytesText::new(&xml_safe(s)))?;
    }
    w.create_element("content")
        .with_attribute(("type", "html"))
        .write_text_content(BytesText::new(&content_html(&v)))?;
    write_source(w, entry)?;
    if let Some(d) = &entry.disclosure {
        write_disclosure(w, d)?;
    }
    w.write_event(Event::End(BytesEnd::new("entry")))?;
    Ok(())
}

/// The entry body as an HTML fragment (escaped once more by the writer, as
/// `type="html"` requires): the disclosure lines, the summary, the source link.
fn content_html(v: &EntryView<'_>) -> String {
    let mut s = String::new();
    s.push_str(&format!("<p>{}</p>", html(&v.byline())));
    if !v.lines.is_empty() {
        s.push_str("<ul>");
        for line in v.lines {
            s.push_str(&format!("<li>{}</li>", html(line)));
        }
        s.push_str("</ul>");
    }
    if let Some(summary) = &v.summary {
        s.push_str(&format!("<p>{}</p>", html(summary)));
    }
    if let Some(url) = &v.url {
        let label = html(&read_more_label(v.site_name()));
        match safe_href(url) {
            Some(h) => s.push_str(&format!(
                "<p>{label} <a href=\"{}\">{}</a></p>",
                html(&h),
                html(url)
            )),
            None => s.push_str(&format!("<p>{label} {}</p>", html(url))),
        }
    }
    s
}

/// `atom:source`: the feed the entry was taken from. Its own `atom:id` and site link
/// are not stored (RSS feeds have no id), so the source is its title and `self` link;
/// nothing is invented.
fn write_source<W: Write>(w: &mut Writer<W>, entry: &DigestEntry) -> io::Result<()> {
    w.write_event(Event::Start(BytesStart::new("source")))?;
    let title = entry
        .feed_title
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or(&entry.feed_name);
    text_element(w, "title", title)?;
    if let Some(href) = safe_href(&entry.feed_url) {
        let mut link = BytesStart::new("link");
        link.push_attribute(("rel", "self"));
        link.push_attribute(("href", xml_safe(&href).as_ref()));
        w.write_event(Event::Empty(link))?;
    }
    w.write_event(Event::End(BytesEnd::new("source")))?;
    Ok(())
}

/// `<fb:disclosure>`: the machine-readable facts behind the visible lines. Attributes
/// for the single values, child elements for the lists (evidence, unsupported claims).
/// See docs/disclosure-namespace.md.
fn write_disclosure<W: Write>(w: &mut Writer<W>, d: &Disclosure) -> io::Result<()> {
    let m = &d.machine_summary;
    let s = &d.source_type;
    let name = format!("{PREFIX}:disclosure");
    let mut el = BytesStart::new(name.as_str());
    el.push_attribute(("source-type", s.label.as_str()));
    el.push_attribute(("asserted-by", asserted_by_str(s.asserted_by)));
    let score = s.score.map(|x| format!("{x:.2}"));
    if let Some(score) = &score {
        el.push_attribute(("score", score.as_str()));
    }
    // Editorial commentary is its own answer (not a source type): absent when unanswered.
    let c = &d.editorial_commentary;
    if let Some(present) = c.present {
        el.push_attribute(("editorial-commentary", bool_str(present)));
        el.push_attribute(("commentary-asserted-by", asserted_by_str(c.asserted_by)));
    }
    let commentary_score = c.score.map(|x| format!("{x:.2}"));
    if let Some(score) = &commentary_score {
        el.push_attribute(("commentary-score", score.as_str()));
    }
    el.push_attribute(("paywalled", bool_str(d.paywalled)));
    el.push_attribute(("basis", m.input_basis.as_str()));
    el.push_attribute(("method", m.method.as_str()));
    let optional = [
        ("model", m.model.as_deref()),
        ("endpoint-host", m.endpoint_host.as_deref()),
        ("prompt-version", m.prompt_version.as_deref()),
    ];
    for (k, v) in optional {
        if let Some(v) = v {
            el.push_attribute((k, xml_safe(v).as_ref()));
        }
    }
    el.push_attribute(("tool-version", xml_safe(&m.tool_version).as_ref()));
    let generated = rfc3339(m.generated_at);
    el.push_attribute(("generated-at", generated.as_str()));
    el.push_attribute(("input-hash", xml_safe(&m.input_hash).as_ref()));
    el.push_attribute(("human-reviewed", bool_str(m.human_reviewed)));
    if let Some(t) = &m.digital_source_type {
        el.push_attribute(("digital-source-type", xml_safe(t).as_ref()));
    }
    if let Some(r) = &m.fallback_reason {
        el.push_attribute(("fallback-reason", xml_safe(r).as_ref()));
    }
    w.write_event(Event::Start(el))?;
    let evidence = format!("{PREFIX}:evidence");
    for e in &s.evidence {
        w.create_element(evidence.as_str())
            .with_attribute(("signal", xml_safe(&e.signal).as_ref()))
            .with_attribute(("label", e.label.as_str()))
            .write_text_content(BytesText::new(&xml_safe(&e.value)))?;
    }
    let cue = format!("{PREFIX}:commentary-evidence");
    for e in &c.evidence {
        w.create_element(cue.as_str())
            .write_text_content(BytesText::new(&xml_safe(e)))?;
    }
    let unsupported = format!("{PREFIX}:unsupported");
    for c in &m.unsupported {
        w.create_element(unsupported.as_str())
            .write_text_content(BytesText::new(&xml_safe(c)))?;
    }
    w.write_event(Event::End(BytesEnd::new(name.as_str())))?;
    Ok(())
}

fn asserted_by_str(a: crate::model::AssertedBy) -> &'static str {
    use crate::model::AssertedBy;
    match a {
        AssertedBy::Publisher => "publisher",
        AssertedBy::Feed => "feed",
        AssertedBy::Inferred => "inferred",
        AssertedBy::None => "none",
    }
}

fn bool_str(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

fn text_element<W: Write>(w: &mut Writer<W>, name: &str, text: &str) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(&xml_safe(text)))?;
    Ok(())
}
