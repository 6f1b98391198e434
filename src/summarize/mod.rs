//! `Summarizer`s: Article text -> `Summary`. `extractive` (default, offline) and `llm`
//! (OpenAI-compatible) backends, chosen globally and per feed.
//!
//! PLACEHOLDER (to be replaced by the summaries work of issue 5): LEAD-3.

use std::sync::Arc;

use chrono::Utc;

use crate::config::SummarizerConfig;
use crate::error::Result;
use crate::fetch::Fetcher;
use crate::model::{Summary, SummaryInput, SummaryMethod};
use crate::util::sha256_hex;

/// Where llm summaries are cached, keyed by (input hash, model, prompt version).
/// The store implements it; tests use an in-memory map.
pub trait SummaryCache: Send + Sync {
    fn get(&self, key: &str) -> Option<Summary>;
    fn put(&self, key: &str, summary: &Summary);
}

/// The summarizers a run may use, built once from the config.
pub struct Summarizers {
    cfg: SummarizerConfig,
}

impl Summarizers {
    pub fn new(
        cfg: &SummarizerConfig,
        _fetcher: Arc<Fetcher>,
        _cache: Arc<dyn SummaryCache>,
    ) -> Result<Self> {
        Ok(Summarizers { cfg: cfg.clone() })
    }

    /// Summarize with `method` (None = the configured default); never fails: an llm
    /// problem falls back to the extractive summary and says why.
    pub async fn summarize(
        &self,
        _method: Option<SummaryMethod>,
        input: SummaryInput<'_>,
    ) -> Summary {
        extractive(input, self.cfg.sentences)
    }
}

/// Offline, deterministic extractive summary.
pub fn extractive(input: SummaryInput<'_>, sentences: usize) -> Summary {
    let sents: Vec<String> = input
        .text
        .split_inclusive(['.', '!', '?', '。'])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .take(sentences)
        .collect();
    Summary {
        sentences: sents,
        method: SummaryMethod::Extractive,
        input_hash: sha256_hex(&[input.text]),
        generated_at: Utc::now(),
        language: input.lang.map(str::to_string),
        ..Summary::default()
    }
}
