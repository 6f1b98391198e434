//! Feed bytes -> UTF-8 text that feed-rs and the fact scanner can read: the character
//! encoding settled (`text::charset`), and the XML repaired the way readers recover from what
//! publishers send (`xml`: bare `&`, HTML and DOCTYPE entities, unclosed CDATA and
//! elements, stray end tags, junk before the root, truncation, and the dialects: Atom 0.3
//! and RSS 0.9x, RSS 1.0 and 1.1 and CDF read as RSS 2.0, namespace URIs misspelled,
//! values feed-rs rejects a whole feed for or panics on). JSON Feed documents are left as
//! they are, with a reshaping (`json`) for when feed-rs rejects them.
//!
//! What the later stages may rely on is written down once, on `Prepared`.

mod emails;
mod json;
mod xml;

pub(crate) use json::repair_json;

use crate::text::charset;

/// A document ready for parsing: the contract between this module and its readers.
///
/// For XML, `text` is the repairer's output, and the fact scan (`feed::scan`) reads it
/// relying on all of this:
/// - UTF-8, with no XML declaration, DOCTYPE (its entities are expanded, within a budget),
///   comment or processing instruction, and nothing outside the one root element;
/// - tags balanced and properly nested, attribute values double-quoted with no `<` in
///   them: an element's content can be stepped over by searching for its end tag;
/// - namespace URIs canonical (the `NS_*` constants below): matched by equality;
/// - every RSS flavour as `rss/channel/item` (RSS 0.9x, 1.0, 1.1, CDF, a bare channel),
///   Atom 0.3 names as Atom 1.0, an Atom `item` as `entry`, RSS names in RSS's case;
/// - no entry the document ended inside (a cut-off entry is not an item).
///
/// `feed_rs_text` is the same document without the entry children `scan_reads_entry_child`
/// names: each such fact has one source, the scan, which must read every one of them.
#[derive(Debug)]
pub struct Prepared {
    /// The whole repaired document: what the fact scan reads.
    pub text: String,
    /// The same document without the entry children only the scan reads (ids, dates,
    /// links, people, categories, enclosures; see `scan_reads_entry_child`): what
    /// feed-rs reads, so it does not parse what it is not asked for. `None` when nothing
    /// was left out (or for JSON).
    pub(crate) feed_rs_text: Option<String>,
    /// The document is JSON (JSON Feed), left as it is.
    pub(crate) is_json: bool,
}

pub fn prepare(bytes: &[u8], content_type: Option<&str>) -> Prepared {
    let charset = content_type.and_then(charset::http_charset);
    let (text, _) = charset::decode_xml(bytes, charset.as_deref());
    let trimmed = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        let text = match emails::email_hazard(trimmed) {
            true => json::separate_json_author_emails(trimmed),
            false => None,
        };
        return Prepared {
            feed_rs_text: None,
            text: text.unwrap_or_else(|| trimmed.to_string()),
            is_json: true,
        };
    }
    let repaired = xml::repair(&text);
    let mut omitted = repaired.omitted;
    let feed_rs_text = without_ranges(&repaired.text, &mut omitted);
    Prepared {
        feed_rs_text,
        text: repaired.text,
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

// Canonical namespace URIs feed-rs and the scanner recognise (the repairer writes
// publishers' variants as these).
pub(crate) const NS_ATOM: &str = "http://www.w3.org/2005/Atom";
pub(crate) const NS_RSS1: &str = "http://purl.org/rss/1.0/";
pub(crate) const NS_CONTENT: &str = "http://purl.org/rss/1.0/modules/content/";
pub(crate) const NS_DC: &str = "http://purl.org/dc/elements/1.1/";
pub(crate) const NS_DCTERMS: &str = "http://purl.org/dc/terms/";
pub(crate) const NS_MEDIA: &str = "http://search.yahoo.com/mrss/";
pub(crate) const NS_ITUNES: &str = "http://www.itunes.com/dtds/podcast-1.0.dtd";
pub(crate) const NS_RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

/// Is `qname`, a child of an entry (RSS `item`, Atom `entry`), one that only the fact scan
/// reads, so feed-rs's copy of the document leaves it out? Conservative: names feed-rs
/// would map onto ids, dates, links, people, categories and enclosures, in no namespace,
/// Atom, Dublin Core and a few link/comment modules; everything else (unknown prefixes
/// too) stays. The scan reads each of these (see `Prepared`).
pub(super) fn scan_reads_entry_child(qname: &str) -> bool {
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
        assert!(out.len() < 2 * 1024 * 1024 + 20_000, "{}", out.len());
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
