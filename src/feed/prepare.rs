//! Feed bytes -> UTF-8 text that feed-rs and the fact scanner can read: the character
//! encoding settled (BOM, HTTP charset, XML declaration, and what the bytes really are),
//! and the XML repaired the way readers recover from what publishers send: bare `&`,
//! HTML entities, DOCTYPE-defined entities, unclosed CDATA and elements, stray end tags,
//! junk before the root, Atom 0.3 and RSS 0.9x dialects, RSS 1.0 and 1.1 and CDF read as
//! RSS 2.0, namespace URIs misspelled, values feed-rs rejects a whole feed for (content
//! `src` typed "text", Media RSS text types, a bad xml:base) or panics on (an e-mail
//! address next to a non-ASCII character in a person's name).
//!
//! The output is always UTF-8 without an XML declaration, so no later stage decodes twice.

use std::borrow::Cow;
use std::collections::HashMap;
use std::rc::Rc;

use encoding_rs::Encoding;
use memchr::memmem;
use url::Url;

use super::text::{char_from_ref, html5_entity};

/// A document ready for parsing.
#[derive(Debug)]
pub struct Prepared {
    /// The whole repaired document: what the fact scan reads.
    pub text: String,
    /// The same document without the entry children only the scan reads (ids, dates,
    /// links, people, categories, enclosures): what feed-rs reads, so it does not parse
    /// what it is not asked for. `None` when nothing was left out (or for JSON).
    pub feed_rs_text: Option<String>,
    /// The encoding the bytes were read as (`UTF-8`, `windows-1252`, `KOI8-R`, ...).
    pub encoding: &'static str,
    /// The document is JSON (JSON Feed), left as it is.
    pub is_json: bool,
    /// The document needed repairs to be read (feedparser's "bozo").
    pub repaired: bool,
}

pub fn prepare(bytes: &[u8], content_type: Option<&str>) -> Prepared {
    let charset = content_type.and_then(http_charset);
    let (text, encoding) = decode(bytes, charset.as_deref());
    let trimmed = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        let text = match email_hazard(trimmed) {
            true => separate_json_author_emails(trimmed),
            false => None,
        };
        return Prepared {
            feed_rs_text: None,
            text: text.unwrap_or_else(|| trimmed.to_string()),
            encoding,
            is_json: true,
            repaired: false,
        };
    }
    let mut r = Repairer::new(&text);
    r.run();
    let feed_rs_text = without_ranges(&r.out, &mut r.omitted);
    Prepared {
        repaired: r.changed,
        feed_rs_text,
        text: r.out,
        encoding,
        is_json: false,
    }
}

/// `text` without the given byte ranges (element boundaries), or `None` if there are
/// none. Ranges inside others (an entry nested in a broken entry's child) are covered
/// by the outer one; a range that does not fit the text leaves the text whole.
fn without_ranges(text: &str, ranges: &mut [(usize, usize)]) -> Option<String> {
    if ranges.is_empty() {
        return None;
    }
    ranges.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for &(from, to) in ranges.iter() {
        if from < last {
            last = last.max(to);
            continue;
        }
        out.push_str(text.get(last..from)?);
        last = to;
    }
    out.push_str(text.get(last..)?);
    Some(out)
}

/// A JSON Feed whose values have the wrong shapes, reshaped the way readers take them:
/// `tags` as one comma-separated string, `author(s)` as bare names, numeric ids, and
/// non-string dates or URLs dropped. `None` when it is not JSON at all.
pub fn repair_json(text: &str) -> Option<String> {
    use serde_json::Value;
    let mut v: Value = serde_json::from_str(text).ok()?;
    fn person(p: &mut Value) {
        if let Value::String(s) = p {
            *p = serde_json::json!({ "name": s.clone() });
        }
    }
    fn fix_authors(o: &mut serde_json::Map<String, Value>) {
        if let Some(a) = o.get_mut("author") {
            person(a);
            if !a.is_object() {
                o.remove("author");
            }
        }
        if let Some(Value::Array(list)) = o.get_mut("authors") {
            list.iter_mut().for_each(person);
            list.retain(Value::is_object);
        } else if let Some(a) = o.get_mut("authors") {
            person(a);
            let one = a.take();
            o.insert(
                "authors".into(),
                Value::Array(vec![one].into_iter().filter(Value::is_object).collect()),
            );
        }
    }
    let feed = v.as_object_mut()?;
    fix_authors(feed);
    for key in [
        "title",
        "home_page_url",
        "feed_url",
        "description",
        "language",
    ] {
        if feed.get(key).is_some_and(|x| !x.is_string()) {
            feed.remove(key);
        }
    }
    if let Some(Value::Array(items)) = feed.get_mut("items") {
        items.retain(Value::is_object);
        for item in items.iter_mut().filter_map(Value::as_object_mut) {
            fix_authors(item);
            match item.get("id") {
                Some(Value::Number(n)) => {
                    let s = n.to_string();
                    item.insert("id".into(), Value::String(s));
                }
                Some(Value::String(_)) | None => {}
                Some(_) => {
                    item.remove("id");
                }
            }
            if let Some(Value::String(t)) = item.get("tags") {
                let tags: Vec<Value> = t
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.to_string()))
                    .collect();
                item.insert("tags".into(), Value::Array(tags));
            } else if let Some(Value::Array(tags)) = item.get_mut("tags") {
                tags.retain(Value::is_string);
            } else {
                item.remove("tags");
            }
            for key in [
                "url",
                "external_url",
                "title",
                "content_html",
                "content_text",
                "summary",
                "image",
                "banner_image",
                "date_published",
                "date_modified",
                "language",
            ] {
                if item.get(key).is_some_and(|x| !x.is_string()) {
                    item.remove(key);
                }
            }
            if item.get("attachments").is_some_and(|a| !a.is_array()) {
                item.remove("attachments");
            }
        }
    }
    serde_json::to_string(&v).ok()
}

/// ASCII characters an e-mail address can be written with in a person's text, as
/// feed-rs's address pattern sees it (`<[(`, `mailto:`, the address, `>])`).
fn emailish(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"._%+-@:<>[]()".contains(&c)
}

/// feed-rs 3.0 splits a person's text ("Name <jane@x.org>") by slicing one byte before
/// or after the first e-mail address it finds, and panics when that neighbour is a
/// multi-byte character (`Jörg–jörg@x.org`): one bad author then costs the whole feed.
/// Is there an address with a non-ASCII neighbour in `s`?
fn email_hazard(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr_iter(b'@', b).any(|at| {
        let start = b[..at]
            .iter()
            .rposition(|&c| !emailish(c))
            .map_or(0, |p| p + 1);
        let end = b[at..]
            .iter()
            .position(|&c| !emailish(c))
            .map_or(b.len(), |p| at + p);
        (start > 0 && b[start - 1] >= 0x80) || (end < b.len() && b[end] >= 0x80)
    })
}

/// `s` with a space between every e-mail address and a non-ASCII neighbour (see
/// `email_hazard`); `None` when there is nothing to separate.
fn separate_emails(s: &str) -> Option<String> {
    if !email_hazard(s) {
        return None;
    }
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len() + 8);
    let mut last = 0;
    for at in memchr::memchr_iter(b'@', b) {
        let start = b[..at]
            .iter()
            .rposition(|&c| !emailish(c))
            .map_or(0, |p| p + 1);
        let end = b[at..]
            .iter()
            .position(|&c| !emailish(c))
            .map_or(b.len(), |p| at + p);
        if start < last {
            continue;
        }
        out.push_str(&s[last..start]);
        if start > 0 && b[start - 1] >= 0x80 {
            out.push(' ');
        }
        out.push_str(&s[start..end]);
        if end < b.len() && b[end] >= 0x80 {
            out.push(' ');
        }
        last = end;
    }
    out.push_str(&s[last..]);
    Some(out)
}

/// A JSON Feed whose author names hold an address with a non-ASCII neighbour (see
/// `email_hazard`), those names separated. `None` if it is not JSON or needs nothing.
fn separate_json_author_emails(text: &str) -> Option<String> {
    use serde_json::Value;
    fn fix(o: &mut serde_json::Map<String, Value>) {
        let fix_person = |p: &mut Value| {
            if let Some(Value::String(n)) = p.get_mut("name")
                && let Some(fixed) = separate_emails(n)
            {
                *n = fixed;
            }
        };
        if let Some(a) = o.get_mut("author") {
            fix_person(a);
        }
        if let Some(Value::Array(list)) = o.get_mut("authors") {
            list.iter_mut().for_each(fix_person);
        }
    }
    let mut v: Value = serde_json::from_str(text).ok()?;
    let feed = v.as_object_mut()?;
    fix(feed);
    if let Some(Value::Array(items)) = feed.get_mut("items") {
        items
            .iter_mut()
            .filter_map(Value::as_object_mut)
            .for_each(fix);
    }
    serde_json::to_string(&v).ok()
}

/// The text an XML fragment of text, references and CDATA sections stands for; `None`
/// when it holds elements.
fn xml_text(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while !rest.is_empty() {
        let (text, cdata) = match rest.find("<![CDATA[") {
            Some(i) => (&rest[..i], Some(&rest[i + 9..])),
            None => (rest, None),
        };
        if text.contains('<') {
            return None;
        }
        match quick_xml::escape::unescape(text) {
            Ok(t) => out.push_str(&t),
            Err(_) => out.push_str(text),
        }
        match cdata {
            Some(c) => {
                let end = c.find("]]>").unwrap_or(c.len());
                out.push_str(&c[..end]);
                rest = c.get(end + 3..).unwrap_or("");
            }
            None => rest = "",
        }
    }
    Some(out)
}

/// `charset` parameter of a Content-Type header value.
fn http_charset(ct: &str) -> Option<String> {
    ct.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(['"', '\'']).to_string())
            .filter(|v| !v.is_empty())
    })
}

/// The `encoding` pseudo-attribute of an XML declaration near the start, if any.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(2048)];
    let start = memmem::find(head, b"<?xml")?;
    let end = memmem::find(&head[start..], b"?>").map_or(head.len(), |e| start + e);
    let decl = std::str::from_utf8(&head[start..end]).ok()?;
    let at = decl.find("encoding")?;
    let rest = decl[at + 8..].trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next()?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let val = rest[1..].split(quote).next()?;
    Some(val.trim().to_string()).filter(|v| !v.is_empty())
}

/// Decode bytes to text. Order: BOM and UTF-16/32 byte patterns; then the HTTP charset,
/// else the declared encoding, else UTF-8. A single-byte declaration on bytes that are
/// valid multi-byte UTF-8 is wrong (the classic `CafÃ©`), so UTF-8 wins there; bytes that
/// are not valid UTF-8 in a document said to be UTF-8 are read as windows-1252 one by one.
fn decode<'b>(bytes: &'b [u8], http_charset: Option<&str>) -> (Cow<'b, str>, &'static str) {
    // Byte order marks and the UTF-16/32 shape of "<?".
    let utf32 = |be: bool, skip: usize| -> (Cow<'b, str>, &'static str) {
        let body = &bytes[skip..];
        let s = body
            .chunks_exact(4)
            .map(|c| {
                let v = if be {
                    u32::from_be_bytes([c[0], c[1], c[2], c[3]])
                } else {
                    u32::from_le_bytes([c[0], c[1], c[2], c[3]])
                };
                char::from_u32(v).unwrap_or('\u{fffd}')
            })
            .collect::<String>();
        (s.into(), if be { "UTF-32BE" } else { "UTF-32LE" })
    };
    let utf16 = |enc: &'static Encoding, skip: usize| -> (Cow<'b, str>, &'static str) {
        let (s, _) = enc.decode_without_bom_handling(&bytes[skip..]);
        (s, enc.name())
    };
    match bytes {
        [0x00, 0x00, 0xFE, 0xFF, ..] => return utf32(true, 4),
        [0xFF, 0xFE, 0x00, 0x00, ..] => return utf32(false, 4),
        [0x00, 0x00, 0x00, 0x3C, ..] => return utf32(true, 0),
        [0x3C, 0x00, 0x00, 0x00, ..] => return utf32(false, 0),
        [0xFE, 0xFF, ..] => return utf16(encoding_rs::UTF_16BE, 2),
        [0xFF, 0xFE, ..] => return utf16(encoding_rs::UTF_16LE, 2),
        [0x00, 0x3C, ..] | [0x00, 0x09..=0x20, 0x00, 0x3C, ..] => {
            return utf16(encoding_rs::UTF_16BE, 0);
        }
        [0x3C, 0x00, ..] | [0x09..=0x20, 0x00, 0x3C, 0x00, ..] => {
            return utf16(encoding_rs::UTF_16LE, 0);
        }
        _ => {}
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let declared = declared_encoding(bytes);
    let label = http_charset
        .and_then(|c| Encoding::for_label(c.as_bytes()))
        .or_else(|| declared.and_then(|d| Encoding::for_label(d.as_bytes())))
        // ASCII-compatible bytes said to be UTF-16: the label is wrong.
        .filter(|e| *e != encoding_rs::UTF_16LE && *e != encoding_rs::UTF_16BE)
        .filter(|e| *e != encoding_rs::UTF_8);
    // Fast path, most feeds: valid UTF-8 and nothing (or UTF-8) declared. (SIMD
    // validation: this looks at every byte of every feed.)
    if let Ok(s) = simdutf8::basic::from_utf8(bytes)
        && (label.is_none() || s.is_ascii())
    {
        return (
            Cow::Borrowed(s),
            if s.is_ascii() { "US-ASCII" } else { "UTF-8" },
        );
    }
    let (multibyte, invalid) = utf8_stats(bytes);
    match label {
        None => {
            if invalid == 0 {
                return (String::from_utf8_lossy(bytes), "UTF-8");
            }
            if multibyte > invalid {
                // UTF-8 with a few stray single-byte characters.
                return (mixed(bytes, encoding_rs::WINDOWS_1252).into(), "UTF-8");
            }
            // Not UTF-8 at all and nothing (true) said: detect.
            let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            det.feed(bytes, true);
            let enc = det.guess(None, chardetng::Utf8Detection::Deny);
            let (s, _) = enc.decode_without_bom_handling(bytes);
            (s, enc.name())
        }
        Some(enc) if enc.is_single_byte() => {
            // A single-byte label on bytes that hold UTF-8 sequences: the label is wrong
            // (the classic `CafÃ©`), at least for those sequences.
            if multibyte > 0 && multibyte >= invalid {
                if invalid == 0 {
                    return (String::from_utf8_lossy(bytes), "UTF-8");
                }
                return (mixed(bytes, enc).into(), "UTF-8");
            }
            let (s, _) = enc.decode_without_bom_handling(bytes);
            (s, enc.name())
        }
        Some(enc) => {
            let (s, _) = enc.decode_without_bom_handling(bytes);
            (s, enc.name())
        }
    }
}

/// (valid multi-byte UTF-8 sequences, bytes that are not UTF-8).
fn utf8_stats(mut bytes: &[u8]) -> (usize, usize) {
    let (mut multi, mut invalid) = (0, 0);
    loop {
        let (good, bad) = match std::str::from_utf8(bytes) {
            Ok(s) => (s, None),
            Err(e) => (
                std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default(),
                Some(
                    e.error_len()
                        .unwrap_or(bytes.len() - e.valid_up_to())
                        .max(1),
                ),
            ),
        };
        // In valid UTF-8 every multi-byte character has exactly one lead byte >= 0xC0.
        multi += good.bytes().filter(|&b| b >= 0xC0).count();
        match bad {
            None => return (multi, invalid),
            Some(n) => {
                invalid += n;
                bytes = &bytes[good.len() + n..];
            }
        }
    }
}

/// UTF-8 where the bytes are UTF-8, `fallback` for each byte that is not.
fn mixed(mut bytes: &[u8], fallback: &'static Encoding) -> String {
    let mut out = String::with_capacity(bytes.len() + 16);
    loop {
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                out.push_str(s);
                return out;
            }
            Err(e) => {
                let good = e.valid_up_to();
                out.push_str(std::str::from_utf8(&bytes[..good]).unwrap_or_default());
                let bad_len = e.error_len().unwrap_or(bytes.len() - good).max(1);
                let (s, _) = fallback.decode_without_bom_handling(&bytes[good..good + bad_len]);
                out.push_str(&s);
                bytes = &bytes[good + bad_len..];
            }
        }
    }
}

// Canonical namespace URIs feed-rs and the scanner recognise.
pub const NS_ATOM: &str = "http://www.w3.org/2005/Atom";
pub const NS_RSS1: &str = "http://purl.org/rss/1.0/";
pub const NS_CONTENT: &str = "http://purl.org/rss/1.0/modules/content/";
pub const NS_DC: &str = "http://purl.org/dc/elements/1.1/";
pub const NS_DCTERMS: &str = "http://purl.org/dc/terms/";
pub const NS_MEDIA: &str = "http://search.yahoo.com/mrss/";
pub const NS_ITUNES: &str = "http://www.itunes.com/dtds/podcast-1.0.dtd";
pub const NS_RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const NS_ATOM03: &str = "http://purl.org/atom/ns#";

/// Namespace URIs as publishers misspell them -> the canonical URI.
fn canonical_ns(v: &str) -> Option<&'static str> {
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

/// HTML elements that never have content: an unclosed `<br>` must not swallow its
/// following siblings.
fn is_void(name: &str) -> bool {
    let mut buf = [0u8; 8];
    if name.len() > buf.len() {
        return false;
    }
    for (d, c) in buf.iter_mut().zip(name.bytes()) {
        *d = c.to_ascii_lowercase();
    }
    matches!(
        &buf[..name.len()],
        b"br"
            | b"img"
            | b"hr"
            | b"input"
            | b"wbr"
            | b"area"
            | b"col"
            | b"embed"
            | b"param"
            | b"track"
            | b"basefont"
    )
}

/// The local part of a qualified name (after the last `:`).
fn local_part(qname: &str) -> &str {
    match qname.as_bytes().iter().rposition(|&c| c == b':') {
        Some(i) => &qname[i + 1..],
        None => qname,
    }
}

/// Limit on one DOCTYPE entity's expansion.
const MAX_ENTITY_EXPANSION: usize = 64 * 1024;

/// What DOCTYPE entity expansion may cost in one document, all references together: the
/// bytes written by expansions at every nesting level (output and the work of building
/// it) and the number of references resolved. Past it the references are left as text
/// (`&name;`), so a billion laughs, wide or plain, or one large entity referenced
/// thousands of times, costs a few MB and milliseconds, never gigabytes.
#[derive(Debug)]
struct EntityBudget {
    bytes: usize,
    expansions: usize,
    exhausted: bool,
}

impl EntityBudget {
    const BYTES: usize = 2 * 1024 * 1024;
    const EXPANSIONS: usize = 100_000;

    fn new() -> Self {
        EntityBudget {
            bytes: Self::BYTES,
            expansions: Self::EXPANSIONS,
            exhausted: false,
        }
    }

    /// One more reference to resolve, if the budget allows it.
    fn take_expansion(&mut self) -> bool {
        if self.exhausted || self.expansions == 0 {
            self.exhausted = true;
            return false;
        }
        self.expansions -= 1;
        true
    }

    /// Charge `n` bytes written by an expansion; false (and spent for good) past the budget.
    fn spend(&mut self, n: usize) -> bool {
        if self.exhausted || n > self.bytes {
            self.exhausted = true;
            return false;
        }
        self.bytes -= n;
        true
    }
}

struct Repairer<'a> {
    src: &'a str,
    pos: usize,
    out: String,
    stack: Vec<String>,
    /// Stack positions of wrappers whose tags are dropped while their children are kept
    /// (RSS 1.0's `channel` beside its items, RSS 1.1's `items`): ascending.
    silent: Vec<usize>,
    entities: HashMap<String, Rc<str>>,
    entity_budget: EntityBudget,
    /// Prefix bound to the Atom 0.3 namespace ("" for the default namespace).
    atom03_prefix: Option<String>,
    root_done: bool,
    root_seen: bool,
    /// The root is Atom (`feed` or `entry`).
    atom_doc: bool,
    /// The root is RSS (`rss`, `channel`, `rdf:RDF`).
    rss_doc: bool,
    /// The root is `rdf:RDF` (RSS 1.0 / 0.90), rewritten as `<rss><channel>`.
    rdf_root: bool,
    /// Inside a text-only element (depth, name): markup in it is the publisher's HTML
    /// left unescaped, so it is escaped into text (what readers make of it).
    escape: Option<(usize, String)>,
    /// Inside a base64 text construct (depth): its text is decoded.
    base64: Option<usize>,
    /// Inside an element feed-rs reads as a person (depth, output offset of its text).
    person: Option<(usize, usize)>,
    /// An open entry child left out of feed-rs's copy (depth, output offset of its tag).
    omit_open: Option<(usize, usize)>,
    /// Output ranges of entry children feed-rs's copy leaves out (see `Prepared`).
    omitted: Vec<(usize, usize)>,
    /// The open entry (`item`, `entry`) below the root: its depth and the output offset
    /// of its start tag. An entry the document ends inside is cut off, not an item.
    open_entry: Option<(usize, usize)>,
    changed: bool,
}

impl<'a> Repairer<'a> {
    fn new(src: &'a str) -> Self {
        Repairer {
            src,
            pos: 0,
            out: String::with_capacity(src.len() + src.len() / 16),
            stack: Vec::new(),
            silent: Vec::new(),
            entities: HashMap::new(),
            entity_budget: EntityBudget::new(),
            atom03_prefix: None,
            root_done: false,
            root_seen: false,
            atom_doc: false,
            rss_doc: false,
            rdf_root: false,
            escape: None,
            base64: None,
            person: None,
            omit_open: None,
            omitted: Vec::new(),
            open_entry: None,
            changed: false,
        }
    }

    fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    fn run(&mut self) {
        let b = self.src.as_bytes();
        while self.pos < b.len() && !self.root_done {
            // Text runs to the next markup or reference; the five predefined references
            // (escaped HTML is full of them) are valid as they are and stay in the run.
            let mut from = self.pos;
            let p = loop {
                match memchr::memchr2(b'<', b'&', &b[from..]) {
                    None => break b.len(),
                    Some(off) => {
                        let p = from + off;
                        match predefined_ref_len(&b[p..]) {
                            Some(n) => from = p + n,
                            None => break p,
                        }
                    }
                }
            };
            if p == b.len() {
                self.text(self.pos, b.len());
                self.pos = b.len();
                break;
            }
            self.text(self.pos, p);
            self.pos = p;
            if b[p] == b'&' {
                let s = self.src;
                let n = self.entity(&s[p..], false);
                self.pos = p + n;
            } else {
                self.markup();
            }
        }
        // A truncated document: the entry it ends inside goes, whatever is still open
        // around it is closed.
        if !self.root_done {
            self.drop_open_entry();
        }
        while !self.stack.is_empty() {
            self.changed = true;
            self.pop_close();
        }
    }

    /// Forget the open entry and everything written since its start tag.
    fn drop_open_entry(&mut self) {
        let Some((depth, from)) = self.open_entry.take() else {
            return;
        };
        self.changed = true;
        self.out.truncate(from);
        self.omitted.retain(|&(start, _)| start < from);
        let keep = depth - 1;
        self.stack.truncate(keep);
        self.silent.retain(|&k| k < keep);
        self.escape = self.escape.take().filter(|(d, _)| *d <= keep);
        self.base64 = self.base64.filter(|d| *d <= keep);
        self.person = self.person.filter(|(d, _)| *d <= keep);
        self.omit_open = self.omit_open.filter(|(d, _)| *d <= keep);
    }

    /// The text of a person element written since `from`, with e-mail addresses kept
    /// apart from non-ASCII neighbours (see `email_hazard`).
    fn separate_person_emails(&mut self, from: usize) {
        let Some(written) = self.out.get(from..) else {
            return;
        };
        if !written.contains('@') {
            return;
        }
        if let Some(fixed) = xml_text(written).and_then(|t| separate_emails(&t)) {
            self.changed = true;
            self.out.truncate(from);
            for ch in fixed.chars() {
                push_escaped(&mut self.out, ch, false);
            }
        }
    }

    /// Pop the innermost open element and write its end tag (none for a dropped wrapper).
    fn pop_close(&mut self) {
        if let Some((depth, from)) = self.person
            && depth == self.stack.len()
        {
            self.person = None;
            self.separate_person_emails(from);
        }
        if let Some(name) = self.stack.pop() {
            if self.open_entry.is_some_and(|(d, _)| d > self.stack.len()) {
                self.open_entry = None;
            }
            if self.silent.last() == Some(&self.stack.len()) {
                self.silent.pop();
            } else {
                self.close(&name);
            }
        }
        if let Some((depth, from)) = self.omit_open
            && depth == self.stack.len() + 1
        {
            self.omit_open = None;
            self.omitted.push((from, self.out.len()));
        }
    }

    /// Is the element about to start (`qname`, output name) a child of an entry that
    /// only the fact scan reads? Conservative: names feed-rs would map onto ids, dates,
    /// links, people, categories and enclosures, in no namespace, Atom, Dublin Core and
    /// a few link/comment modules; everything else (unknown prefixes too) stays.
    fn scan_only_entry_child(&self, qname: &str) -> bool {
        let Some(parent) = self.stack.last() else {
            return false;
        };
        let parent = local_part(parent);
        if !((self.rss_doc && parent == "item") || (self.atom_doc && parent == "entry")) {
            return false;
        }
        let (prefix, local) = qname.split_once(':').unwrap_or(("", qname));
        match prefix {
            "" | "atom" => matches!(
                local,
                "guid"
                    | "pubDate"
                    | "author"
                    | "category"
                    | "enclosure"
                    | "comments"
                    | "source"
                    | "link"
                    | "id"
                    | "published"
                    | "updated"
                    | "contributor"
                    | "issued"
                    | "modified"
                    | "created"
            ),
            "dc" | "dcterms" | "wfw" | "slash" | "feedburner" | "thr" | "georss" | "geo" => true,
            "itunes" => matches!(local, "author" | "keywords" | "category"),
            _ => false,
        }
    }

    /// Copy text between markup; text outside the root element is dropped.
    fn text(&mut self, from: usize, to: usize) {
        if from >= to {
            return;
        }
        if self.stack.is_empty() {
            if !self.src[from..to].trim().is_empty() {
                self.changed = true;
            }
            return;
        }
        if self.base64 == Some(self.stack.len()) {
            self.changed = true;
            let cleaned: Vec<u8> = self.src[from..to]
                .bytes()
                .filter(|c| !c.is_ascii_whitespace())
                .collect();
            use base64::Engine as _;
            if let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(&cleaned) {
                let text = String::from_utf8_lossy(&decoded).into_owned();
                for ch in text.chars() {
                    push_escaped(&mut self.out, ch, false);
                }
                return;
            }
        }
        // '>' is legal in text; nothing to repair.
        self.out.push_str(&self.src[from..to]);
    }

    fn close(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// Handle `&...` at the start of `s`; returns bytes consumed. Appends valid XML.
    fn entity(&mut self, s: &str, in_attr: bool) -> usize {
        let mut out = std::mem::take(&mut self.out);
        let n = self.entity_into(s, in_attr, &mut out, 0);
        self.out = out;
        n
    }

    fn entity_into(&mut self, s: &str, in_attr: bool, out: &mut String, depth: u8) -> usize {
        let b = s.as_bytes();
        if b.get(1) == Some(&b'#') {
            let hex = matches!(b.get(2), Some(b'x') | Some(b'X'));
            let start = if hex { 3 } else { 2 };
            let digits = b[start..]
                .iter()
                .take_while(|c| {
                    if hex {
                        c.is_ascii_hexdigit()
                    } else {
                        c.is_ascii_digit()
                    }
                })
                .count();
            if digits > 0 {
                let end = start + digits;
                let v = u32::from_str_radix(&s[start..end], if hex { 16 } else { 10 })
                    .unwrap_or(0xFFFD);
                let len = if b.get(end) == Some(&b';') {
                    end + 1
                } else {
                    end
                };
                let ch = char_from_ref(v);
                let valid_xml = matches!(ch, '\t' | '\n' | '\r')
                    || (ch >= ' ' && ch != '\u{fffe}' && ch != '\u{ffff}');
                if len == end + 1 && valid_xml && !(0x80..=0x9F).contains(&v) {
                    out.push_str(&s[..len]);
                } else {
                    self.changed = true;
                    if valid_xml {
                        push_escaped(out, ch, in_attr);
                    }
                }
                return len;
            }
            self.changed = true;
            out.push_str("&amp;");
            return 1;
        }
        let name_len = b[1..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b':'))
            .count();
        if name_len == 0 || b.get(1 + name_len) != Some(&b';') {
            // A bare ampersand (or a reference missing its ';').
            self.changed = true;
            out.push_str("&amp;");
            return 1;
        }
        let name = &s[1..1 + name_len];
        let len = name_len + 2;
        if matches!(name, "amp" | "lt" | "gt" | "quot" | "apos") {
            out.push_str(&s[..len]);
            return len;
        }
        self.changed = true;
        if let Some(value) = self.entities.get(name).cloned() {
            if depth < 8 {
                if !self.entity_budget.take_expansion() {
                    push_unexpanded(out, name);
                    return len;
                }
                let mut expanded = String::new();
                self.expand_into(&value, &mut expanded, depth + 1);
                if !self.entity_budget.spend(expanded.len()) {
                    push_unexpanded(out, name);
                } else if expanded.len() <= MAX_ENTITY_EXPANSION {
                    out.push_str(&expanded);
                }
            }
            return len;
        }
        if let Some((c1, c2)) = html5_entity(name) {
            push_escaped(out, c1, in_attr);
            if let Some(c2) = c2 {
                push_escaped(out, c2, in_attr);
            }
            return len;
        }
        out.push_str("&amp;");
        1
    }

    /// A DOCTYPE entity's value, its own references resolved, escaped as text.
    fn expand_into(&mut self, value: &str, out: &mut String, depth: u8) {
        let b = value.as_bytes();
        let mut i = 0;
        while i < b.len() && out.len() <= MAX_ENTITY_EXPANSION && !self.entity_budget.exhausted {
            match memchr::memchr2(b'&', b'<', &b[i..]) {
                None => {
                    out.push_str(&value[i..]);
                    break;
                }
                Some(off) => {
                    out.push_str(&value[i..i + off]);
                    let p = i + off;
                    if b[p] == b'<' {
                        out.push_str("&lt;");
                        i = p + 1;
                    } else {
                        i = p + self.entity_into(&value[p..], false, out, depth);
                    }
                }
            }
        }
    }

    fn markup(&mut self) {
        let rest = self.rest();
        let b = rest.as_bytes();
        if rest.starts_with("<!--") {
            self.pos += memmem::find(&b[4..], b"-->").map_or(b.len(), |e| e + 7);
            return;
        }
        if rest.starts_with("<![CDATA[") {
            self.cdata();
            return;
        }
        if let Some((_, ename)) = &self.escape {
            let closes_it = rest
                .strip_prefix("</")
                .and_then(|r| r.strip_prefix(ename.as_str()))
                .is_some_and(|r| r.trim_start().starts_with('>'));
            // A text element left open: the structure resumes at an end tag of an
            // enclosing element or at the next entry.
            let resumes = closes_it
                || rest.strip_prefix("</").is_some_and(|r| {
                    let n = r
                        .split(|c: char| c == '>' || c.is_whitespace())
                        .next()
                        .unwrap_or("");
                    self.stack.iter().any(|s| s == n)
                })
                || ["<item>", "<item ", "<entry>", "<entry "]
                    .iter()
                    .any(|t| rest.starts_with(t));
            if resumes {
                self.escape = None;
            } else {
                // The publisher's own markup inside a text element: keep it as text.
                self.changed = true;
                let end = html_tag_end(b);
                for ch in rest[..end].chars() {
                    push_escaped(&mut self.out, ch, false);
                }
                self.pos += end;
                return;
            }
        }
        if rest.starts_with("<?") {
            self.pos += memmem::find(b, b"?>").map_or(b.len(), |e| e + 2);
            return;
        }
        if b.len() >= 9 && b[..9].eq_ignore_ascii_case(b"<!DOCTYPE") {
            self.doctype();
            return;
        }
        if rest.starts_with("<!") {
            self.changed = true;
            self.pos += memchr::memchr(b'>', b).map_or(b.len(), |e| e + 1);
            return;
        }
        if rest.starts_with("</") {
            self.end_tag();
            return;
        }
        if b.get(1)
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_' || *c >= 0x80)
        {
            self.start_tag();
            return;
        }
        // A bare '<' in text.
        self.changed = true;
        if !self.stack.is_empty() {
            self.out.push_str("&lt;");
        }
        self.pos += 1;
    }

    fn cdata(&mut self) {
        let rest = self.rest();
        let body_start = 9;
        match memmem::find(&rest.as_bytes()[body_start..], b"]]>") {
            Some(e) => {
                if !self.stack.is_empty() {
                    self.out.push_str(&rest[..body_start + e + 3]);
                }
                self.pos += body_start + e + 3;
            }
            None => {
                // Unclosed: the section ends where its element does, else at the end.
                self.changed = true;
                let end = self
                    .stack
                    .last()
                    .and_then(|top| memmem::find(rest.as_bytes(), format!("</{top}").as_bytes()))
                    .filter(|e| *e >= body_start)
                    .unwrap_or(rest.len());
                if !self.stack.is_empty() {
                    self.out.push_str("<![CDATA[");
                    self.out
                        .push_str(&rest[body_start..end].replace("]]>", "]]&gt;"));
                    self.out.push_str("]]>");
                }
                self.pos += end;
            }
        }
    }

    /// Harvest `<!ENTITY name "value">` from the internal subset, drop the DOCTYPE.
    fn doctype(&mut self) {
        let rest = self.rest();
        let b = rest.as_bytes();
        let mut i = 9;
        let mut quote: Option<u8> = None;
        let mut depth = 0;
        let mut end = b.len();
        while i < b.len() {
            let c = b[i];
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    b'"' | b'\'' => quote = Some(c),
                    b'[' => depth += 1,
                    b']' => depth -= 1,
                    b'>' if depth <= 0 => {
                        end = i + 1;
                        break;
                    }
                    _ => {}
                },
            }
            i += 1;
        }
        let decl = &rest[..end];
        let mut from = 0;
        while let Some(off) = decl[from..].find("<!ENTITY") {
            let s = from + off + 8;
            from = s;
            let body = decl[s..].trim_start();
            if body.starts_with('%') {
                continue;
            }
            let name_len = body.find(|c: char| c.is_whitespace()).unwrap_or(body.len());
            let name = &body[..name_len];
            let after = body[name_len..].trim_start();
            let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            if let Some(val) = after[1..].split(q).next()
                && !name.is_empty()
                && self.entities.len() < 1024
            {
                self.entities.insert(name.to_string(), Rc::from(val));
            }
        }
        self.pos += end;
    }

    fn end_tag(&mut self) {
        let rest = self.rest();
        let b = rest.as_bytes();
        let close = memchr::memchr(b'>', b);
        let raw = &rest[2..close.unwrap_or(b.len())];
        let name = raw.trim();
        self.pos += close.map_or(b.len(), |e| e + 1);
        let name = self.rename(name);
        let found = self.stack.iter().rposition(|n| *n == name).or_else(|| {
            self.stack
                .iter()
                .rposition(|n| n.eq_ignore_ascii_case(&name))
        });
        match found {
            Some(k) => {
                if k + 1 != self.stack.len() {
                    self.changed = true;
                }
                while self.stack.len() > k {
                    self.pop_close();
                }
                if self.escape.as_ref().is_some_and(|(d, _)| *d > k) {
                    self.escape = None;
                }
                if self.base64.is_some_and(|d| d > k) {
                    self.base64 = None;
                }
                if self.stack.is_empty() {
                    self.root_done = true;
                }
            }
            None => self.changed = true,
        }
    }

    /// Atom 0.3 element names -> Atom 1.0; RSS element names in the wrong case
    /// (`<pubdate>`, `<Title>`) -> RSS's own spelling, as readers match them.
    fn rename<'n>(&self, qname: &'n str) -> Cow<'n, str> {
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

    fn start_tag(&mut self) {
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
        // Attributes.
        let mut attrs: Vec<(&str, Cow<'_, str>)> = Vec::new();
        let mut self_closing = false;
        loop {
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i >= b.len() {
                self.changed = true;
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
                    self.changed = true;
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
                self.changed = true;
                i += 1;
                continue;
            }
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let value: Cow<'_, str> = if b.get(i) == Some(&b'=') {
                i += 1;
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                match b.get(i) {
                    Some(&q) if q == b'"' || q == b'\'' => {
                        let vs = i + 1;
                        match memchr::memchr(q, &b[vs..]) {
                            Some(e) => {
                                i = vs + e + 1;
                                Cow::Borrowed(&src[vs..vs + e])
                            }
                            None => {
                                self.changed = true;
                                let e = memchr::memchr(b'>', &b[vs..]).unwrap_or(b.len() - vs);
                                i = vs + e;
                                Cow::Borrowed(&src[vs..vs + e])
                            }
                        }
                    }
                    _ => {
                        self.changed = true;
                        let vs = i;
                        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                            i += 1;
                        }
                        Cow::Borrowed(&src[vs..i])
                    }
                }
            } else {
                self.changed = true;
                Cow::Borrowed(aname)
            };
            let valid_name = aname.bytes().all(|c| {
                c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b':') || c >= 0x80
            }) && !aname.as_bytes()[0].is_ascii_digit();
            if !valid_name || attrs.iter().any(|(n, _)| *n == aname) {
                self.changed = true;
                continue;
            }
            // feed-rs rejects the whole document over an xml:base that is not a URL
            // reference; readers ignore such a base.
            if aname == "xml:base"
                && matches!(Url::parse(value.trim()), Err(e) if e != url::ParseError::RelativeUrlWithoutBase)
            {
                self.changed = true;
                continue;
            }
            attrs.push((aname, value));
        }
        self.pos = i;

        let local = local_part(raw_name);
        if !self.root_seen
            && matches!(
                local.to_ascii_lowercase().as_str(),
                "html" | "body" | "head"
            )
        {
            // A feed served inside an HTML page: look through the wrapper for the root.
            self.changed = true;
            if local.eq_ignore_ascii_case("head") && !self_closing {
                let rest = &self.src[self.pos..];
                self.pos += find_ci(rest.as_bytes(), b"</head").map_or(0, |e| e);
            }
            return;
        }
        let is_root = !self.root_seen;
        if is_root {
            self.root_seen = true;
            self.root_fixups(local, &mut attrs);
        }
        // Atom 0.3 prefixes are declared on the root (nearly always); track them anywhere.
        for (n, v) in &attrs {
            if let Some(p) = n.strip_prefix("xmlns") {
                let v = v.trim().trim_end_matches('/');
                let is_atom03 = v.eq_ignore_ascii_case(NS_ATOM03)
                    || [
                        "http://purl.org/atom/ns",
                        "http://purl.org/echo",
                        "http://purl.org/pie",
                    ]
                    .iter()
                    .any(|n| v.eq_ignore_ascii_case(n));
                if is_atom03 {
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
        if is_root {
            self.atom_doc = matches!(local, "feed" | "entry");
            // `Channel` (RSS 1.1) and `CHANNEL` (CDF) roots are channels too.
            self.rss_doc = matches!(local, "rss" | "RDF") || local.eq_ignore_ascii_case("channel");
            self.rdf_root = local == "RDF";
        }
        let name = self.rename(raw_name).into_owned();
        let mut base64 = false;
        // A new entry implies the end of whatever is still open inside its container
        // (an unclosed `<itunes:category>` must not swallow the items after it).
        let entry_container = match (self.rss_doc, self.atom_doc, name.as_str()) {
            (true, _, "item") => self.stack.iter().rposition(|n| n == "channel"),
            (_, true, "entry") => self
                .stack
                .iter()
                .rposition(|n| n == "feed" || n.ends_with(":feed")),
            _ => None,
        };
        if let Some(k) = entry_container {
            while self.stack.len() > k + 1 {
                self.changed = true;
                self.pop_close();
            }
        }
        if self.atom_doc && !raw_name.contains(':') || raw_name.starts_with("atom:") {
            let new_local = local_part(&name);
            if matches!(
                new_local,
                "title" | "subtitle" | "summary" | "rights" | "content"
            ) {
                let (changed, b64) = atom_text_type(new_local, &mut attrs);
                self.changed |= changed;
                base64 = b64;
            }
            if new_local == "content" && !self_closing {
                self.content_src_body(&mut attrs);
            }
        }
        if let Some(local) = raw_name.strip_prefix("media:")
            && matches!(local, "title" | "description" | "text")
        {
            self.changed |= media_text_type(&mut attrs);
        }

        if is_root && local.eq_ignore_ascii_case("channel") {
            // A bare <channel> document: give it the <rss> it lacks.
            self.changed = true;
            self.out.push_str("<rss version=\"2.0\">");
            self.stack.push("rss".to_string());
        }
        // Wrappers RSS 2.0 does not have, dropped so their children are the channel's:
        // RSS 1.0's own `channel` (its items are its siblings; the rewritten root already
        // opened the channel) and `items` (RSS 1.1 puts the items in it).
        let new_local = local_part(&name);
        let wrapper = (self.rdf_root && new_local == "channel" && self.stack.len() == 2)
            || (self.rss_doc
                && new_local == "items"
                && self
                    .stack
                    .last()
                    .is_some_and(|p| local_part(p) == "channel"));
        if wrapper {
            self.changed = true;
            if !self_closing {
                self.silent.push(self.stack.len());
                self.stack.push(name);
            }
            return;
        }
        let tag_start = self.out.len();
        let omit = self.omit_open.is_none() && self.scan_only_entry_child(&name);
        self.out.push('<');
        self.out.push_str(&name);
        for (n, v) in &attrs {
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
        let cdf = self.rss_doc && matches!(name.as_str(), "channel" | "item");
        let void = !self_closing && is_void(&name);
        if (self_closing || void) && !(cdf || self.rdf_root && is_root) {
            self.out.push_str("/>");
            if omit {
                self.omitted.push((tag_start, self.out.len()));
            }
            if is_root {
                self.root_done = true;
            }
            return;
        }
        self.out.push('>');
        if cdf {
            // CDF gives an item's link and date as attributes: RSS has them as children.
            for (n, v) in &attrs {
                let child = if n.eq_ignore_ascii_case("href") {
                    "link"
                } else if n.eq_ignore_ascii_case("lastmod") {
                    "updated"
                } else {
                    continue;
                };
                self.changed = true;
                self.out.push('<');
                self.out.push_str(child);
                self.out.push('>');
                self.attr_value(v);
                self.close(child);
            }
        }
        if self_closing {
            self.close(&name);
            if omit {
                self.omitted.push((tag_start, self.out.len()));
            }
            if is_root {
                self.root_done = true;
            }
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
        if entry_container.is_some() && self.open_entry.is_none() {
            self.open_entry = Some((self.stack.len() + 1, tag_start));
        }
        self.stack.push(name);
        if is_root && self.rdf_root {
            // RSS 1.0 read as RSS 2.0 (which feed-rs reads fully: HTML descriptions, items
            // without a link): the items, siblings of RDF's channel, go in this one.
            self.changed = true;
            self.out.push_str("<channel>");
            self.stack.push("channel".to_string());
        }
        if is_root
            && local == "rss"
            && !self.src.contains("<channel")
            && !self.src.contains(":channel")
        {
            // Items straight under <rss>: feed-rs (and RSS) expect a channel.
            self.changed = true;
            self.out.push_str("<channel>");
            self.stack.push("channel".to_string());
        }
    }

    /// Atom content with `src` must be empty (feed-rs rejects the document otherwise):
    /// whitespace before its end tag is skipped; real text wins over the `src`, which
    /// readers then ignore.
    fn content_src_body(&mut self, attrs: &mut Vec<(&str, Cow<'_, str>)>) {
        if !attrs.iter().any(|(n, _)| *n == "src") {
            return;
        }
        let rest = self.rest();
        let ws = rest.len() - rest.trim_start().len();
        if rest[ws..].starts_with("</") {
            self.pos += ws;
        } else {
            self.changed = true;
            attrs.retain(|(n, _)| *n != "src");
        }
    }

    /// Elements that hold only text in every feed format (so any markup inside is the
    /// publisher's unescaped HTML). Atom text constructs qualify unless typed XHTML/XML.
    fn is_text_only(&self, qname: &str, attrs: &[(&str, Cow<'_, str>)]) -> bool {
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
    fn root_fixups(&mut self, local: &str, attrs: &mut Vec<(&str, Cow<'_, str>)>) {
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

    /// An attribute value, repaired and escaped for a double-quoted attribute.
    fn attr_value(&mut self, v: &str) {
        let b = v.as_bytes();
        let mut i = 0;
        while i < b.len() {
            match memchr::memchr3(b'&', b'<', b'"', &b[i..]) {
                None => {
                    self.out.push_str(&v[i..]);
                    break;
                }
                Some(off) => {
                    let p = i + off;
                    self.out.push_str(&v[i..p]);
                    match b[p] {
                        b'&' => {
                            let n = self.entity(&v[p..], true);
                            i = p + n;
                        }
                        b'<' => {
                            self.out.push_str("&lt;");
                            i = p + 1;
                        }
                        _ => {
                            self.out.push_str("&quot;");
                            i = p + 1;
                        }
                    }
                }
            }
        }
    }
}

/// A DOCTYPE entity reference past the expansion budget, kept as the text it was.
fn push_unexpanded(out: &mut String, name: &str) {
    out.push_str("&amp;");
    out.push_str(name);
    out.push(';');
}

/// Length of `&lt;`, `&gt;`, `&amp;`, `&quot;` or `&apos;` at the start of `b`.
fn predefined_ref_len(b: &[u8]) -> Option<usize> {
    [&b"&lt;"[..], b"&gt;", b"&amp;", b"&quot;", b"&apos;"]
        .iter()
        .find(|r| b.starts_with(r))
        .map(|r| r.len())
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

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// Length of the tag (or comment) at the start of `b`, quotes respected; at least 1.
fn html_tag_end(b: &[u8]) -> usize {
    if b.starts_with(b"<!--") {
        return memmem::find(&b[4..], b"-->").map_or(b.len(), |e| e + 7);
    }
    let mut quote: Option<u8> = None;
    for (i, &c) in b.iter().enumerate().skip(1) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => return i + 1,
            // A '<' before the tag ended: the tag was never closed.
            None if c == b'<' => return i,
            None => {}
        }
    }
    memchr::memchr(b'>', b).map_or(b.len(), |e| e + 1)
}

/// Map an Atom text construct's `type` (and Atom 0.3 `mode`) onto the three values
/// Atom 1.0 allows (`content` may also keep a real MIME type when it has `src`).
/// Returns whether anything changed.
fn atom_text_type(local: &str, attrs: &mut Vec<(&str, Cow<'_, str>)>) -> (bool, bool) {
    let mode = attrs
        .iter()
        .position(|(n, _)| *n == "mode")
        .map(|i| attrs.remove(i).1.trim().to_ascii_lowercase());
    let has_src = attrs.iter().any(|(n, _)| *n == "src");
    if mode.as_deref() == Some("base64") && !has_src {
        // Atom 0.3 base64: decoded by the repairer, then read as HTML.
        attrs.retain(|(n, _)| *n != "type");
        attrs.push(("type", Cow::Borrowed("html")));
        return (true, true);
    }
    let Some(idx) = attrs.iter().position(|(n, _)| *n == "type") else {
        if mode.as_deref() == Some("escaped") {
            attrs.push(("type", Cow::Borrowed("html")));
            return (true, false);
        }
        return (mode.is_some(), false);
    };
    let t = attrs[idx].1.trim().to_ascii_lowercase();
    if local == "content" && has_src {
        // With `src`, `type` is the linked document's media type; one feed-rs cannot
        // parse ("text", junk) would fail the whole document, and says nothing useful.
        if !is_media_type(&t) {
            attrs.remove(idx);
            return (true, false);
        }
        return (mode.is_some(), false);
    }
    let new = match t.as_str() {
        "text" | "html" | "xhtml" => return (mode.is_some(), false),
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
            return (true, true);
        }
    };
    attrs[idx].1 = Cow::Borrowed(new);
    (true, false)
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
fn media_text_type(attrs: &mut Vec<(&str, Cow<'_, str>)>) -> bool {
    let Some(idx) = attrs.iter().position(|(n, _)| *n == "type") else {
        return false;
    };
    let new = match attrs[idx].1.as_ref() {
        "plain" | "html" => return false,
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
    true
}

fn push_escaped(out: &mut String, ch: char, in_attr: bool) {
    match ch {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' if in_attr => out.push_str("&quot;"),
        _ => out.push(ch),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(s: &str) -> String {
        prepare(s.as_bytes(), None).text
    }

    #[test]
    fn entities_are_made_well_formed() {
        assert_eq!(
            fix(
                "<rss version=\"2.0\"><channel><title>A & B &eacute; &amp; &#233; &bogus;</title></channel></rss>"
            ),
            "<rss version=\"2.0\"><channel><title>A &amp; B é &amp; &#233; &amp;bogus;</title></channel></rss>"
        );
    }

    #[test]
    fn doctype_entities_expand_and_doctype_goes() {
        let doc = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY who \"W &amp; Co\">]>\
                   <rss version=\"2.0\"><channel><title>&who;</title></channel></rss>";
        assert_eq!(
            fix(doc),
            "<rss version=\"2.0\"><channel><title>W &amp; Co</title></channel></rss>"
        );
    }

    #[test]
    fn structure_is_repaired() {
        // Unclosed CDATA, stray and missing end tags, comment before the declaration.
        let doc =
            "<!-- c --><?xml version=\"1.0\"?><rss><item><title><![CDATA[x</title><br></b></item>";
        assert_eq!(
            fix(doc),
            "<rss version=\"2.0\"><channel><item><title><![CDATA[x]]></title><br/></item></channel></rss>"
        );
    }

    #[test]
    fn an_entry_the_document_ends_inside_is_dropped() {
        let doc = "<rss><channel><item><title>a</title></item><item><title>b</ti";
        assert_eq!(
            fix(doc),
            "<rss version=\"2.0\"><channel><item><title>a</title></item></channel></rss>"
        );
        // An entry closed by the next one is whole; only the last is cut off.
        let doc = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><id>1</id><entry><id>2";
        assert_eq!(
            fix(doc),
            "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><id>1</id></entry></feed>"
        );
    }

    #[test]
    fn entity_expansion_stops_at_the_document_budget() {
        let big = "x".repeat(60_000);
        let doc = format!(
            "<!DOCTYPE rss [<!ENTITY big \"{big}\">]><rss><channel><title>{}</title></channel></rss>",
            "&big;".repeat(2_000)
        );
        let out = fix(&doc);
        assert!(out.len() < EntityBudget::BYTES + 20_000, "{}", out.len());
        assert!(out.contains(&big));
        assert!(out.ends_with("&amp;big;</title></channel></rss>"));
    }

    #[test]
    fn atom03_becomes_atom10() {
        let doc = "<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\"><entry><issued>x</issued><modified>y</modified></entry></feed>";
        assert_eq!(
            fix(doc),
            "<feed version=\"0.3\" xmlns=\"http://www.w3.org/2005/Atom\"><entry><published>x</published><updated>y</updated></entry></feed>"
        );
    }

    #[test]
    fn encodings() {
        // Declared Latin-1 but really UTF-8: the bytes win.
        let doc = "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss><channel><title>Café</title></channel></rss>";
        assert!(fix(doc).contains("Café"));
        // Real Latin-1, charset only in the HTTP header.
        let mut bytes = b"<rss><channel><title>Caf".to_vec();
        bytes.push(0xE9);
        bytes.extend_from_slice(b"</title></channel></rss>");
        assert!(
            prepare(&bytes, Some("text/xml; charset=iso-8859-1"))
                .text
                .contains("Café")
        );
        // UTF-16BE without BOM.
        let utf16: Vec<u8> = "<rss><channel><title>Ω</title></channel></rss>"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        assert!(prepare(&utf16, None).text.contains("<title>Ω</title>"));
        // KOI8-R declared.
        let mut k = b"<?xml version=\"1.0\" encoding=\"koi8-r\"?><rss><channel><title>".to_vec();
        k.extend_from_slice(&[0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4]);
        k.extend_from_slice(b"</title></channel></rss>");
        assert!(prepare(&k, None).text.contains("Привет"));
    }
}
