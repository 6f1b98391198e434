//! The visible English wording of a disclosure: one line per applicable fact, in a fixed
//! order (what this is, what the source is, how much of it we read, how we made it).
//!
//! The wordings are constants so that tests, renderers and users' filters can rely on
//! them; changing one changes every digest, so do it deliberately.

use crate::model::{
    AssertedBy, Basis, EditorialCommentary, MachineSummary, SourceLabel, SourceType, SummaryMethod,
};

/// The glyph that starts each visible line in the Markdown digest. U+25A0 BLACK SQUARE:
/// in WGL4, so every common text and monospace font has it (the seed's U+1F79B is in
/// almost none and showed as an empty box), and it has no emoji form.
pub const MARK: &str = "■";

/// Always present: our item is derived from someone else's publication.
pub const SUMMARY_OF_ANOTHER: &str =
    "This publication is a summary or evaluation of another publication";
/// The text voices judgements of its own; always followed by who says so
/// (`editorial_line`).
pub const EDITORIAL: &str =
    "This publication contains editorial commentary or bias from the source";
pub const SPONSORED: &str = "The source is sponsored content";
pub(crate) const SATIRE: &str = "The source is satire";
pub(crate) const REVIEW: &str =
    "The source is a review: it gives the reviewer's judgement of a work, product or event";
pub(crate) const ANALYSIS: &str =
    "The source is analysis: it interprets the news, not only reports it";
pub(crate) const BACKGROUND: &str =
    "The source is background or explanatory material, not a news report";
pub(crate) const BLOG: &str = "The source is a blog post, not a news report";
/// Our reading, not the publisher's label: worded so it cannot be taken for one.
pub(crate) const INFERRED_READING: &str = "feedbrief's reading of the text";
pub(crate) const INFERRED_NOT_LABELLED: &str = "the publisher does not label it so";
pub(crate) const PAYWALLED: &str =
    "The source is paywalled: the publisher marks it as not free to read";
pub(crate) const FEED_EXCERPT: &str =
    "Summary based on the feed's excerpt only: the article could not be retrieved";
pub(crate) const PARTIAL: &str =
    "Summary based on part of the article only: the page held a preview, not the full text";
pub(crate) const PARTIAL_PAYWALLED: &str =
    "Summary based on part of the article only: the rest is behind the paywall";
pub(crate) const NOT_REVIEWED: &str = "not reviewed by a person";
pub(crate) const UNSUPPORTED_PREFIX: &str = "Contains statements not found in the source: ";

/// The kind as a label word ("Opinion", "Sponsored").
fn kind_word(t: SourceType) -> &'static str {
    match t {
        SourceType::Reportage => "Reportage",
        SourceType::Opinion => "Opinion",
        SourceType::Analysis => "Analysis",
        SourceType::Review => "Review",
        SourceType::Background => "Background",
        SourceType::Sponsored => "Sponsored",
        SourceType::Satire => "Satire",
        SourceType::Blog => "Blog",
        SourceType::Unknown => "Unknown",
    }
}

/// Where the winning evidence was seen, as a reader would look for it.
fn place_words(place: Option<&str>) -> &'static str {
    match place {
        Some("jsonld") => "in its structured data",
        Some("meta") => "in its page metadata",
        Some("url") => "in the address",
        Some("headline") => "in the headline",
        Some("header") => "next to the headline",
        Some("first_paragraph") => "in the first paragraph",
        Some("last_paragraph") => "in the last paragraph",
        Some("notice") => "in a notice on the page",
        Some("feed") => "in its feed",
        _ => "on the page",
    }
}

/// "(labelled Opinion by the publisher, in the address)" / "... in the publisher's feed".
pub(crate) fn who_labelled(source: &SourceLabel) -> String {
    let kind = kind_word(source.label);
    let place = source.evidence.first().and_then(|e| e.place.as_deref());
    match source.asserted_by {
        AssertedBy::Feed => format!("labelled {kind} in the publisher's feed"),
        _ => format!("labelled {kind} by the publisher, {}", place_words(place)),
    }
}

/// The editorial-commentary line, saying who says so; `None` unless `present` is true.
pub(crate) fn editorial_line(c: &EditorialCommentary, source: &SourceLabel) -> Option<String> {
    if c.present != Some(true) {
        return None;
    }
    Some(match c.asserted_by {
        AssertedBy::Publisher | AssertedBy::Feed => {
            format!("{EDITORIAL} ({})", who_labelled(source))
        }
        _ => {
            let score = c
                .score
                .map(|s| format!(", score {s:.2}"))
                .unwrap_or_default();
            format!("{EDITORIAL} ({INFERRED_READING}{score}; {INFERRED_NOT_LABELLED})")
        }
    })
}

/// The "Machine-generated summary (MODEL); not reviewed by a person" line.
pub(crate) fn machine_line(m: &MachineSummary) -> String {
    let what = match m.method {
        SummaryMethod::Llm => {
            let model = m
                .model
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .unwrap_or("language model, name not reported");
            model.to_string()
        }
        // The extractive "model" is a selection of the source's own sentences; say so,
        // because readers assume "machine-generated" means written by a language model.
        SummaryMethod::Extractive => "sentences selected from the source, not rewritten".into(),
    };
    let reviewed = if m.human_reviewed {
        "reviewed by a person"
    } else {
        NOT_REVIEWED
    };
    format!("Machine-generated summary ({what}); {reviewed}")
}

/// One line per applicable fact, in display order: the type of work (with who
/// labelled it), then the editorial-commentary answer (with who says so).
pub(crate) fn visible_lines(
    m: &MachineSummary,
    source: &SourceLabel,
    commentary: &EditorialCommentary,
    paywalled: bool,
) -> Vec<String> {
    let mut lines = vec![SUMMARY_OF_ANOTHER.to_string()];
    let type_line = match (source.label, source.asserted_by) {
        (_, AssertedBy::None | AssertedBy::Inferred) => None,
        // The opinion label is the editorial line itself.
        (SourceType::Unknown | SourceType::Reportage | SourceType::Opinion, _) => None,
        (SourceType::Analysis, _) => Some(ANALYSIS),
        (SourceType::Sponsored, _) => Some(SPONSORED),
        (SourceType::Satire, _) => Some(SATIRE),
        (SourceType::Review, _) => Some(REVIEW),
        (SourceType::Background, _) => Some(BACKGROUND),
        (SourceType::Blog, _) => Some(BLOG),
    };
    if let Some(t) = type_line {
        lines.push(format!("{t} ({})", who_labelled(source)));
    }
    if let Some(l) = editorial_line(commentary, source) {
        lines.push(l);
    }
    if paywalled {
        lines.push(PAYWALLED.into());
    }
    match m.input_basis {
        Basis::FullText => {}
        Basis::FeedExcerpt => lines.push(FEED_EXCERPT.into()),
        Basis::Partial if paywalled => lines.push(PARTIAL_PAYWALLED.into()),
        Basis::Partial => lines.push(PARTIAL.into()),
    }
    lines.push(machine_line(m));
    let claims: Vec<String> = m
        .unsupported
        .iter()
        .map(|c| crate::text::collapse_ws(c))
        .filter(|c| !c.is_empty())
        .collect();
    if !claims.is_empty() {
        lines.push(format!("{UNSUPPORTED_PREFIX}{}", claims.join("; ")));
    }
    lines
}
