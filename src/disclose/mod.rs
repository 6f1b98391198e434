//! (Article, Summary, Item) -> `Disclosure`: provenance of our output, type of the
//! source with its evidence, paywall and basis, attribution, and the visible lines; plus
//! the machine-readable forms every export uses (schema.org JSON-LD, Atom pieces).
//!
//! Pure: no I/O, no clock. The same inputs always give the same `Disclosure`, which is
//! what lets a digest be re-rendered byte for byte from the store.

pub mod atom;
mod evidence;
mod heuristic;
pub mod jsonld;
pub mod lines;
mod source_type;
mod terms;

use crate::model::{
    Article, AssertedBy, Attribution, DigestEntry, Disclosure, EditorialCommentary, Item,
    MachineSummary, SourceLabel, SourceType, Summary, SummaryMethod,
};
use crate::util::site_domain;

pub use heuristic::{EditorialScore, editorial_score};
pub(crate) use source_type::classify;

pub const TOOL_VERSION: &str = concat!("feedbrief ", env!("CARGO_PKG_VERSION"));

/// XML/JSON-LD namespace of feedbrief's own disclosure vocabulary (the Atom
/// `fb:disclosure` element, the `fb:` terms in JSON-LD, the JSON Feed `_feedbrief`
/// extension's `about`). Version 1 of the vocabulary is documented in
/// `docs/disclosure-namespace.md`.
///
/// Why `.invalid`: namespace URIs only have to be stable and unique; the project owns no
/// domain, and RFC 6761 reserves `.invalid` so nobody else can ever mint a name under it.
/// If feedbrief gets a home page, a v2 namespace can move there.
pub const NAMESPACE: &str = "https://feedbrief.invalid/ns/disclosure/1";

/// IPTC digital source type for text written by a language model.
pub const IPTC_TRAINED_ALGORITHMIC_MEDIA: &str =
    "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

/// IPTC digital source type for extractive summaries: "Composite of elements — mix or
/// composite of several elements, any of which may or may not be generative AI".
///
/// Why this one: an extractive summary is the publisher's own sentences, verbatim,
/// chosen and ordered by a rule-based (non-generative) scorer. Nothing in it was
/// written by a machine, so `trainedAlgorithmicMedia` and `algorithmicMedia` (content
/// created by an algorithm) would be false; `compositeCapture` is defined for captures
/// of real life (camera, recorder), which sentences are not. `composite` is the term
/// that is true: several existing elements assembled into a new work. The record's
/// `method: extractive` says precisely that no generative model was involved.
pub const IPTC_COMPOSITE: &str = "http://cv.iptc.org/newscodes/digitalsourcetype/composite";

/// The IPTC digital source type that describes a summary made by `method`.
pub(crate) fn digital_source_type(method: SummaryMethod) -> &'static str {
    match method {
        SummaryMethod::Llm => IPTC_TRAINED_ALGORITHMIC_MEDIA,
        SummaryMethod::Extractive => IPTC_COMPOSITE,
    }
}

/// Label one stored item: what we made, what the source is, who published it.
///
/// `feed_url` is the URL of the feed the item came from (after permanent redirects).
pub fn label(article: &Article, summary: &Summary, item: &Item, feed_url: &str) -> Disclosure {
    let machine_summary = MachineSummary {
        method: summary.method,
        model: summary.model.clone(),
        endpoint_host: summary.endpoint_host.clone(),
        prompt_version: summary.prompt_version.clone(),
        tool_version: TOOL_VERSION.to_string(),
        generated_at: summary.generated_at,
        input_hash: summary.input_hash.clone(),
        input_basis: article.extraction.basis,
        human_reviewed: false,
        digital_source_type: Some(digital_source_type(summary.method).to_string()),
        unsupported: summary.unsupported.clone(),
        fallback_reason: summary.fallback_reason.clone(),
    };
    let source_type = classify(article, item);
    let editorial_commentary = commentary(article, item, &source_type);
    // Only the publisher's own markup can say a page is paywalled; a short text alone
    // is recorded as the `partial` basis, not as a paywall.
    let paywalled = article.accessible_for_free == Some(false);
    let attribution = attribute(article, item, feed_url);
    let lines = lines::visible_lines(
        &machine_summary,
        &source_type,
        &editorial_commentary,
        paywalled,
    );
    Disclosure {
        machine_summary,
        source_type,
        editorial_commentary,
        paywalled,
        attribution,
        lines,
    }
}

/// Does the text voice the source's own judgements? The publisher's label answers
/// first (an opinion piece, a review, paid content: judgement or advocacy is what they
/// are); otherwise feedbrief reads the text, and says so. No answer (`present: null`)
/// for short or non-English texts, and for forum threads (many people's words, not one
/// source's).
fn commentary(article: &Article, item: &Item, source: &SourceLabel) -> EditorialCommentary {
    let labelled = matches!(source.asserted_by, AssertedBy::Publisher | AssertedBy::Feed)
        && matches!(
            source.label,
            SourceType::Opinion | SourceType::Review | SourceType::Sponsored
        );
    if labelled {
        let evidence = source
            .evidence
            .first()
            .map(|e| format!("{}: {} ({})", e.signal, e.value, e.label.as_str()))
            .into_iter()
            .collect();
        return EditorialCommentary {
            present: Some(true),
            asserted_by: source.asserted_by,
            score: None,
            evidence,
        };
    }
    let urls: Vec<&str> = [
        article.canonical_url.as_deref(),
        Some(article.url.as_str()),
        item.link.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if evidence::is_forum(&article.jsonld_types, &urls) {
        return EditorialCommentary {
            evidence: vec!["forum thread: not one source's voice".into()],
            ..EditorialCommentary::default()
        };
    }
    match editorial_score(&article.text, article.language.as_deref()) {
        Some(s) => EditorialCommentary {
            present: Some(s.is_editorial()),
            asserted_by: AssertedBy::Inferred,
            score: Some(s.score),
            evidence: s.cues(),
        },
        None => EditorialCommentary::default(),
    }
}

/// Attribution from the page first (it is the publisher's own account), the feed entry
/// where the page says nothing (e.g. when only the feed excerpt was available).
fn attribute(article: &Article, item: &Item, feed_url: &str) -> Attribution {
    let page_url = Some(article.url.as_str()).filter(|u| !u.trim().is_empty());
    let canonical_url = article
        .canonical_url
        .clone()
        .or_else(|| page_url.map(str::to_string))
        .or_else(|| item.link.clone());
    let domain = canonical_url
        .as_deref()
        .and_then(site_domain)
        .or_else(|| page_url.and_then(site_domain))
        .or_else(|| item.link.as_deref().and_then(site_domain));
    let authors = if article.authors.is_empty() {
        item.authors.clone()
    } else {
        article.authors.clone()
    };
    Attribution {
        publisher: article
            .site_name
            .as_deref()
            .map(crate::text::collapse_ws)
            .filter(|s| !s.is_empty()),
        domain,
        canonical_url,
        authors,
        published: article.published.or(item.published),
        updated: article.modified.or(item.updated),
        language: article.language.clone(),
        feed_url: Some(feed_url.to_string()).filter(|u| !u.is_empty()),
    }
}

/// A stable identifier for our record about one item: a name-based UUID (RFC 9562
/// version 8, from SHA-256 of the feed URL and the item key) as a `urn:uuid:` IRI.
///
/// Why not the row id: it differs between databases; feed URL + item key are the item's
/// identity everywhere, so a re-built store re-exports the same Atom/JSON Feed ids and
/// readers do not show old entries as new.
pub fn entry_id(entry: &DigestEntry) -> String {
    uuid_urn(&["feedbrief-entry", &entry.feed_url, &entry.item.key])
}

/// `urn:uuid:` of a version-8 UUID built from the first 16 bytes of the SHA-256 of
/// `parts` (the uuid crate sets the version and variant bits).
pub(crate) fn uuid_urn(parts: &[&str]) -> String {
    let digest = <sha2::Sha256 as sha2::Digest>::digest(parts.join("\0").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Uuid::new_v8(bytes).urn().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_urn_is_stable_and_well_formed() {
        let a = uuid_urn(&["x", "y"]);
        assert_eq!(a, uuid_urn(&["x", "y"]));
        assert_ne!(a, uuid_urn(&["xy"]));
        let body = a.trim_start_matches("urn:uuid:");
        let groups: Vec<usize> = body.split('-').map(str::len).collect();
        assert_eq!(groups, vec![8, 4, 4, 4, 12]);
        assert_eq!(body.as_bytes()[14], b'8', "version nibble: {a}");
        assert!(matches!(body.as_bytes()[19], b'8' | b'9' | b'a' | b'b'));
    }

    /// Ids already written into exported feeds must never change: these were computed
    /// by the hand-built UUID code this function replaced (and checked with Python's
    /// hashlib + uuid), so a different byte layout fails here.
    #[test]
    fn uuid_urn_keeps_the_ids_already_exported() {
        assert_eq!(
            uuid_urn(&["feedbrief-entry", "https://a.example/feed", "guid-1"]),
            "urn:uuid:3c3f2ecd-7290-8a98-98d3-470ddcdd7d6c"
        );
        assert_eq!(
            uuid_urn(&["x", "y"]),
            "urn:uuid:ce3890a8-16f5-837a-97aa-7e1436113bba"
        );
    }

    #[test]
    fn digital_source_type_follows_the_method() {
        assert_eq!(
            digital_source_type(SummaryMethod::Llm),
            IPTC_TRAINED_ALGORITHMIC_MEDIA
        );
        assert_eq!(
            digital_source_type(SummaryMethod::Extractive),
            IPTC_COMPOSITE
        );
    }
}
