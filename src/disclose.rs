//! (Article, Summary, Item) -> `Disclosure`: provenance of our output, type of the
//! source with its evidence, and attribution.
//!
//! PLACEHOLDER (to be replaced by the disclosure work of issue 6).

use crate::model::{Article, Attribution, Disclosure, Item, MachineSummary, SourceLabel, Summary};

pub const TOOL_VERSION: &str = concat!("feedbrief ", env!("CARGO_PKG_VERSION"));

pub fn label(article: &Article, summary: &Summary, item: &Item, feed_url: &str) -> Disclosure {
    Disclosure {
        machine_summary: MachineSummary {
            method: summary.method,
            model: summary.model.clone(),
            endpoint_host: summary.endpoint_host.clone(),
            prompt_version: summary.prompt_version.clone(),
            tool_version: TOOL_VERSION.to_string(),
            generated_at: summary.generated_at,
            input_hash: summary.input_hash.clone(),
            input_basis: article.extraction.basis,
            human_reviewed: false,
            digital_source_type: None,
            unsupported: summary.unsupported.clone(),
            fallback_reason: summary.fallback_reason.clone(),
        },
        source_type: SourceLabel::default(),
        paywalled: article.accessible_for_free == Some(false),
        attribution: Attribution {
            publisher: article.site_name.clone(),
            domain: crate::util::site_domain(&article.url),
            canonical_url: article.canonical_url.clone().or_else(|| item.link.clone()),
            authors: article.authors.clone(),
            published: article.published.or(item.published),
            updated: article.modified.or(item.updated),
            language: article.language.clone(),
            feed_url: Some(feed_url.to_string()),
        },
        lines: vec!["This publication is a summary or evaluation of another publication".into()],
    }
}
