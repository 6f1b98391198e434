//! `Summarizer`s: article text -> `Summary`. `extractive` (default, offline,
//! deterministic) and `llm` (OpenAI-compatible chat completions) backends, chosen
//! globally and per feed; output sanitizing and the faithfulness check for model text;
//! the cache that keeps a re-run from paying twice.
//!
//! `Summarizers` is built once per run from the config and never fails to summarize:
//! an llm error, timeout, refusal, wrong-language reply or spent budget falls back to
//! the extractive summary, with the reason in `Summary::fallback_reason` as
//! `code: detail`: the Display of `error::LlmFailure` (`not_configured`, `empty_input`,
//! `budget_calls`, `budget_tokens`, `http_status`, `malformed_reply`, `empty_reply`,
//! `refusal`, `wrong_language`), or a fetch error's kind (`timeout`, `network`, ...).

pub(crate) mod extractive;
pub mod faithfulness;
pub(crate) mod llm;
pub(crate) mod prompt;
pub mod sanitize;
pub mod split;
pub(crate) mod text;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use futures::future::BoxFuture;

pub use extractive::{ExtractiveOptions, extractive};
pub(crate) use llm::LlmSummarizer;
pub use llm::Spent;

use crate::config::SummarizerConfig;
use crate::error::{Error, LlmFailure, Result};
use crate::fetch::Fetcher;
use crate::model::{Summary, SummaryInput, SummaryMethod};
use crate::util::sha256_hex;

/// Where summaries worth keeping (llm answers) are cached between runs. The pipeline
/// adapts the store to it; `MemoryCache` serves tests and the `summarize` command.
pub trait SummaryCache: Send + Sync {
    fn get(&self, key: &str) -> Option<Summary>;
    fn put(&self, key: &str, summary: &Summary);
}

/// The cache key for a summary of the input with hash `input_hash` by `model` with
/// prompt `prompt_version`: `sha256:` + 64 hex digits.
pub fn cache_key(input_hash: &str, model: &str, prompt_version: &str) -> String {
    sha256_hex(&[
        "feedbrief-summary-cache-v1",
        input_hash,
        model,
        prompt_version,
    ])
}

/// An in-process `SummaryCache`.
#[derive(Debug, Default)]
pub struct MemoryCache {
    map: Mutex<HashMap<String, Summary>>,
}

impl MemoryCache {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.map.lock().map_or(0, |m| m.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl SummaryCache for MemoryCache {
    fn get(&self, key: &str) -> Option<Summary> {
        self.map.lock().ok()?.get(key).cloned()
    }

    fn put(&self, key: &str, summary: &Summary) {
        if let Ok(mut m) = self.map.lock() {
            m.insert(key.to_string(), summary.clone());
        }
    }
}

/// One way of summarizing. Object-safe so a run can hold `Arc<dyn Summarizer>` and
/// tests can plug in a fake.
pub trait Summarizer: Send + Sync {
    /// The method this summarizer reports on its summaries.
    fn method(&self) -> SummaryMethod;

    /// The cache key for `input`, or None when a result is not worth caching (the
    /// extractive method costs less than a cache lookup).
    fn cache_key(&self, _input: &SummaryInput<'_>) -> Option<String> {
        None
    }

    /// Summarize, or say why not (the caller falls back to extractive).
    fn summarize<'a>(&'a self, input: SummaryInput<'a>) -> BoxFuture<'a, Result<Summary>>;
}

/// The extractive method as a `Summarizer`.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Extractive {
    pub(crate) options: ExtractiveOptions,
}

impl Summarizer for Extractive {
    fn method(&self) -> SummaryMethod {
        SummaryMethod::Extractive
    }

    fn summarize<'a>(&'a self, input: SummaryInput<'a>) -> BoxFuture<'a, Result<Summary>> {
        let s = extractive(input, &self.options);
        Box::pin(async move { Ok(s) })
    }
}

/// The summarizers a run may use, built once from the config. Holds the llm budget,
/// concurrency limit and cache, so one `Summarizers` should serve a whole run.
pub struct Summarizers {
    default: SummaryMethod,
    extractive: Extractive,
    llm: Option<Arc<dyn Summarizer>>,
    /// The same backend as `llm` when it is the built-in one, for its spending report.
    endpoint: Option<Arc<LlmSummarizer>>,
    cache: Arc<dyn SummaryCache>,
}

impl Summarizers {
    /// Build from `[summarizer]`. Fails only on an unusable prompt template file or
    /// endpoint URL.
    pub fn new(
        cfg: &SummarizerConfig,
        fetcher: Arc<Fetcher>,
        cache: Arc<dyn SummaryCache>,
    ) -> Result<Self> {
        let options = ExtractiveOptions::from_config(cfg);
        let endpoint = match &cfg.llm {
            Some(l) => Some(Arc::new(LlmSummarizer::new(l, options, fetcher)?)),
            None => None,
        };
        Ok(Summarizers {
            default: cfg.method,
            extractive: Extractive { options },
            llm: endpoint.clone().map(|e| e as Arc<dyn Summarizer>),
            endpoint,
            cache,
        })
    }

    /// Build with a given llm summarizer (a fake in tests, or a custom backend).
    pub fn with_llm(
        cfg: &SummarizerConfig,
        llm: Option<Arc<dyn Summarizer>>,
        cache: Arc<dyn SummaryCache>,
    ) -> Self {
        Summarizers {
            default: cfg.method,
            extractive: Extractive {
                options: ExtractiveOptions::from_config(cfg),
            },
            llm,
            endpoint: None,
            cache,
        }
    }

    /// Model calls and tokens this run has used (None without a configured endpoint).
    pub fn llm_spent(&self) -> Option<Spent> {
        self.endpoint.as_ref().map(|e| e.spent())
    }

    /// The method used when a feed does not choose one.
    pub fn default_method(&self) -> SummaryMethod {
        self.default
    }

    /// Summarize with `method` (None = the configured default). Never fails: an llm
    /// problem falls back to the extractive summary and says why in `fallback_reason`.
    /// An llm answer (including a refusal or a wrong-language reply, which would only be
    /// paid for again) is cached; transient failures are not.
    pub async fn summarize(
        &self,
        method: Option<SummaryMethod>,
        input: SummaryInput<'_>,
    ) -> Summary {
        let method = method.unwrap_or(self.default);
        let llm = match (method, &self.llm) {
            (SummaryMethod::Extractive, _) => return extractive(input, &self.extractive.options),
            (SummaryMethod::Llm, None) => {
                return self.fallback(input, LlmFailure::NotConfigured.to_string());
            }
            (SummaryMethod::Llm, Some(l)) => l,
        };
        let key = llm.cache_key(&input);
        if let Some(hit) = key.as_deref().and_then(|k| self.cache.get(k)) {
            tracing::debug!(key = key.as_deref(), "Summary cache hit.");
            return hit;
        }
        match llm.summarize(input).await {
            Ok(s) => {
                if let Some(k) = &key {
                    self.cache.put(k, &s);
                }
                s
            }
            Err(e) => {
                let reason = fallback_reason(&e);
                tracing::warn!(reason = %reason, "Llm summary unavailable; using the extractive summary.");
                let s = self.fallback(input, reason);
                if is_final_answer(&e)
                    && let Some(k) = &key
                {
                    self.cache.put(k, &s);
                }
                s
            }
        }
    }

    fn fallback(&self, input: SummaryInput<'_>, reason: String) -> Summary {
        let mut s = extractive(input, &self.extractive.options);
        s.fallback_reason = Some(reason);
        s
    }
}

/// `code: detail` for a summary record.
fn fallback_reason(e: &Error) -> String {
    match e {
        Error::Llm(f) => f.to_string(),
        // A custom backend's own reason, already `code: detail`.
        Error::Summarize(m) => m.clone(),
        other => format!("{}: {other}", other.kind()),
    }
}

/// The model answered, but the answer is unusable in a way asking again would repeat.
fn is_final_answer(e: &Error) -> bool {
    matches!(e, Error::Llm(f) if f.is_final_answer())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fallback_reasons_start_with_their_code() {
        let refusal = Error::Llm(LlmFailure::Refusal("I cannot.".into()));
        assert_eq!(fallback_reason(&refusal), "refusal: I cannot.");
        assert!(is_final_answer(&refusal));
        let custom = Error::Summarize("network: connection refused".into());
        assert_eq!(fallback_reason(&custom), "network: connection refused");
        assert!(
            !is_final_answer(&custom),
            "a custom backend's text is not parsed"
        );
        let timeout = Error::Timeout {
            url: "http://127.0.0.1:1/v1/chat/completions".into(),
            seconds: 5,
        };
        assert_eq!(
            fallback_reason(&timeout),
            "timeout: http://127.0.0.1:1/v1/chat/completions: timed out after 5s"
        );
        assert!(!is_final_answer(&timeout));
    }
}
