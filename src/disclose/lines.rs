//! The visible English wording of a disclosure: one line per applicable fact, in a fixed
//! order (what this is, what the source is, how much of it we read, how we made it).
//!
//! The wordings are constants so that tests, renderers and users' filters can rely on
//! them; changing one changes every digest, so do it deliberately.

use crate::model::{AssertedBy, Basis, MachineSummary, SourceLabel, SourceType, SummaryMethod};

/// Always present: our item is derived from someone else's publication.
pub const SUMMARY_OF_ANOTHER: &str =
    "This publication is a summary or evaluation of another publication";
/// Opinion, analysis or editorial language, as labelled by the publisher or its feed.
pub const EDITORIAL: &str =
    "This publication contains editorial commentary or bias from the source";
pub const SPONSORED: &str = "The source is sponsored content";
pub const SATIRE: &str = "The source is satire";
pub const REVIEW: &str =
    "The source is a review: it gives the reviewer's judgement of a work, product or event";
pub const BACKGROUND: &str = "The source is background or explanatory material, not a news report";
/// Our heuristic, not the publisher, thinks the source argues a point. Worded so it
/// cannot be read as the publisher's label.
pub const INFERRED_EDITORIAL_PREFIX: &str = "This publication may contain editorial commentary from the source: feedbrief inferred this from the wording";
pub const INFERRED_EDITORIAL_SUFFIX: &str = "the publisher does not label it so";
pub const PAYWALLED: &str = "The source is paywalled: the publisher marks it as not free to read";
pub const FEED_EXCERPT: &str =
    "Summary based on the feed's excerpt only: the article could not be retrieved";
pub const PARTIAL: &str =
    "Summary based on part of the article only: the page held a preview, not the full text";
pub const PARTIAL_PAYWALLED: &str =
    "Summary based on part of the article only: the rest is behind the paywall";
pub const NOT_REVIEWED: &str = "not reviewed by a person";
pub const UNSUPPORTED_PREFIX: &str = "Contains statements not found in the source: ";

/// The "Machine-generated summary (MODEL); not reviewed by a person" line.
pub fn machine_line(m: &MachineSummary) -> String {
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

/// One line per applicable fact, in display order.
pub fn visible_lines(m: &MachineSummary, source: &SourceLabel, paywalled: bool) -> Vec<String> {
    let mut lines = vec![SUMMARY_OF_ANOTHER.to_string()];
    match (source.label, source.asserted_by) {
        (_, AssertedBy::None) | (SourceType::Unknown | SourceType::Reportage, _) => {}
        (SourceType::Opinion, AssertedBy::Inferred) => {
            let score = source
                .score
                .map(|s| format!(" (score {s:.2})"))
                .unwrap_or_default();
            lines.push(format!(
                "{INFERRED_EDITORIAL_PREFIX}{score}; {INFERRED_EDITORIAL_SUFFIX}"
            ));
        }
        (SourceType::Opinion | SourceType::Analysis, _) => lines.push(EDITORIAL.into()),
        (SourceType::Sponsored, _) => lines.push(SPONSORED.into()),
        (SourceType::Satire, _) => lines.push(SATIRE.into()),
        (SourceType::Review, _) => lines.push(REVIEW.into()),
        (SourceType::Background, _) => lines.push(BACKGROUND.into()),
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
        .map(|c| crate::util::collapse_ws(c))
        .filter(|c| !c.is_empty())
        .collect();
    if !claims.is_empty() {
        lines.push(format!("{UNSUPPORTED_PREFIX}{}", claims.join("; ")));
    }
    lines
}
