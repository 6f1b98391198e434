//! The llm summarizer: any OpenAI-compatible `/v1/chat/completions` endpoint (Ollama,
//! llama.cpp server, vLLM, OpenAI). Owns the request shape, the per-run budget (calls
//! and tokens), the concurrency limit, and turning a reply into summary sentences
//! (sanitizing, refusal and wrong-language checks, faithfulness). HTTP itself goes
//! through `fetch::Fetcher::post_json`, and whether to retry is `fetch::retry`'s call.
//!
//! Failures are returned as `Error::Llm(LlmFailure)` (or the fetch error) and the
//! caller falls back to the extractive summary, recording the reason.

use std::sync::Arc;
use std::sync::atomic::{AtomicU16, AtomicU32, AtomicU64, Ordering};

use chrono::Utc;
use futures::future::BoxFuture;
use serde_json::{Value, json};
use tokio::sync::Semaphore;
use url::Url;

use super::extractive::ExtractiveOptions;
use super::prompt::{Prompt, PromptVars};
use super::{Summarizer, faithfulness, sanitize, split, text};
use crate::config::LlmConfig;
use crate::error::{Error, LlmFailure, Result};
use crate::fetch::{Fetcher, retry};
use crate::model::{Summary, SummaryInput, SummaryMethod};
use crate::text::language;
use crate::text::scripts::is_unspaced;
use crate::util::sha256_hex;

/// Calls and tokens one run may spend.
#[derive(Debug)]
struct Budget {
    max_calls: u32,
    max_tokens: u64,
    calls: AtomicU32,
    tokens: AtomicU64,
}

impl Budget {
    /// Reserve one call and `estimate` tokens, or say which limit is spent.
    fn reserve(&self, estimate: u64) -> Result<()> {
        self.calls
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |c| {
                (c < self.max_calls).then_some(c + 1)
            })
            .map_err(|_| {
                Error::Llm(LlmFailure::BudgetCalls {
                    max: self.max_calls,
                })
            })?;
        let reserved = self
            .tokens
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |t| {
                (t + estimate <= self.max_tokens).then_some(t + estimate)
            });
        if reserved.is_err() {
            // Give the call back: nothing was sent.
            self.calls.fetch_sub(1, Ordering::SeqCst);
            return Err(Error::Llm(LlmFailure::BudgetTokens {
                max: self.max_tokens,
            }));
        }
        Ok(())
    }

    /// Replace a reservation's estimate by what the server reported.
    fn settle(&self, estimate: u64, actual: u64) {
        if actual >= estimate {
            self.tokens.fetch_add(actual - estimate, Ordering::SeqCst);
        } else {
            self.tokens.fetch_sub(estimate - actual, Ordering::SeqCst);
        }
    }
}

/// Spending so far, for logs and the CLI's report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Spent {
    pub calls: u32,
    pub tokens: u64,
}

/// One configured model endpoint.
pub(crate) struct LlmSummarizer {
    cfg: LlmConfig,
    endpoint: Url,
    host: Option<String>,
    api_key: Option<String>,
    /// Set after the endpoint answered 401/403: credentials do not fix themselves
    /// within a run, so later items fall back without asking again.
    auth_failed: AtomicU16,
    prompt: Prompt,
    fetcher: Arc<Fetcher>,
    permits: Semaphore,
    budget: Budget,
    length: ExtractiveOptions,
}

impl LlmSummarizer {
    /// Build from the config. Reads the API key from the environment once and the prompt
    /// template (bundled, or `prompt_file`).
    pub(crate) fn new(
        cfg: &LlmConfig,
        length: ExtractiveOptions,
        fetcher: Arc<Fetcher>,
    ) -> Result<Self> {
        let prompt = match &cfg.prompt_file {
            Some(p) => Prompt::load(p)?,
            None => Prompt::bundled()?,
        };
        let api_key = match &cfg.api_key_env {
            None => None,
            Some(var) => match std::env::var(var) {
                Ok(v) if !v.trim().is_empty() => Some(v.trim().to_string()),
                _ => {
                    // Local servers (Ollama, llama.cpp) need no key, so this is not fatal;
                    // an endpoint that does need one answers 401 and the run stops asking.
                    tracing::warn!(
                        variable = %var,
                        "The API key variable named by api_key_env is not set; sending requests without a key."
                    );
                    None
                }
            },
        };
        Ok(LlmSummarizer {
            endpoint: chat_endpoint(&cfg.base_url)?,
            host: cfg.base_url.host_str().map(str::to_string),
            api_key,
            auth_failed: AtomicU16::new(0),
            prompt,
            fetcher,
            permits: Semaphore::new(cfg.concurrency.max(1)),
            budget: Budget {
                max_calls: cfg.max_calls_per_run,
                max_tokens: cfg.max_tokens_per_run,
                calls: AtomicU32::new(0),
                tokens: AtomicU64::new(0),
            },
            length,
            cfg: cfg.clone(),
        })
    }

    /// Calls and tokens used so far in this run.
    pub(crate) fn spent(&self) -> Spent {
        Spent {
            calls: self.budget.calls.load(Ordering::SeqCst),
            tokens: self.budget.tokens.load(Ordering::SeqCst),
        }
    }

    /// What exactly is sent for `input`: (language, system, user).
    fn request_parts(&self, input: &SummaryInput<'_>) -> (Option<String>, String, String) {
        let lang = input
            .lang
            .and_then(language::normalize_lang)
            .or_else(|| language::detect(input.text));
        let body = cut_at_sentence(input.text, self.cfg.max_input_chars);
        let (system, user) = self.prompt.render(&PromptVars {
            title: input.title,
            text: body,
            lang: lang.as_deref(),
            sentences: self.length.sentences,
            words: self.length.words,
        });
        (lang, system, user)
    }

    async fn run(&self, input: SummaryInput<'_>) -> Result<Summary> {
        if !input.text.chars().any(char::is_alphanumeric) {
            return Err(Error::Llm(LlmFailure::EmptyInput));
        }
        let auth = self.auth_failed.load(Ordering::SeqCst);
        if auth != 0 {
            return Err(Error::Llm(LlmFailure::AuthFailedEarlier { status: auth }));
        }
        let (lang, system, user) = self.request_parts(&input);
        let body = json!({
            "model": self.cfg.model,
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": user},
            ],
            "temperature": self.cfg.temperature,
            "max_tokens": self.cfg.max_output_tokens,
            "stream": false,
        });
        let estimate = estimate_tokens(&system)
            + estimate_tokens(&user)
            + u64::from(self.cfg.max_output_tokens);

        // The permit bounds concurrent calls; it is held through retry waits on purpose:
        // a rate-limited endpoint should see fewer requests, not the same number later.
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| Error::Llm(LlmFailure::Shutdown))?;
        let reply = self.call(&body, estimate).await?;
        let completion = parse_completion(&reply)?;
        self.budget.settle(
            estimate,
            completion.total_tokens.unwrap_or_else(|| {
                estimate - u64::from(self.cfg.max_output_tokens)
                    + estimate_tokens(&completion.content)
            }),
        );
        self.finish(&input, lang, completion)
    }

    /// POST, retrying as `fetch::retry::api_retry` allows (429 and 5xx, honouring
    /// Retry-After). Every attempt counts against the budget.
    async fn call(&self, body: &Value, estimate: u64) -> Result<Vec<u8>> {
        let bearer = self.api_key.as_deref();
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.budget.reserve(estimate)?;
            let reply = match self
                .fetcher
                .post_json(&self.endpoint, bearer, body, self.cfg.timeout)
                .await
            {
                Ok(r) => r,
                Err(e) => {
                    // A timed-out request may still have been processed: keep the
                    // estimate charged. A refused connection cost nothing.
                    if !matches!(e, Error::Timeout { .. }) {
                        self.budget.settle(estimate, 0);
                    }
                    return Err(e);
                }
            };
            if (200..300).contains(&reply.status) {
                return Ok(reply.body);
            }
            // The server did not do the work.
            self.budget.settle(estimate, 0);
            let status = reply.status;
            if matches!(status, 401 | 403) {
                self.auth_failed.store(status, Ordering::SeqCst);
            }
            let Some(wait) = retry::api_retry(status, reply.retry_after, attempt, self.cfg.timeout)
            else {
                return Err(Error::Llm(LlmFailure::HttpStatus {
                    status,
                    retry_after: reply.retry_after.map(|d| d.as_secs()),
                    attempts: attempt,
                    detail: error_detail(&reply.body),
                }));
            };
            tracing::info!(
                status,
                wait_ms = wait.as_millis() as u64,
                "Model endpoint asked us to wait; retrying."
            );
            tokio::time::sleep(wait).await;
        }
    }

    /// Sanitize the reply and build the summary record.
    fn finish(
        &self,
        input: &SummaryInput<'_>,
        lang: Option<String>,
        completion: Completion,
    ) -> Result<Summary> {
        let cleaned = sanitize::sanitize(&completion.content, input.title);
        if !cleaned.removed.is_empty() {
            tracing::debug!(removed = ?cleaned.removed, "Removed model chatter.");
        }
        if let Some(refusal) = cleaned.refusal {
            return Err(Error::Llm(LlmFailure::Refusal(
                text::prefix_chars(&refusal, 160).to_string(),
            )));
        }
        let mut sentences = cleaned.sentences;
        if completion.truncated {
            // Cut off by max_tokens: the last sentence may stop mid-way.
            if sentences.last().is_some_and(|s| !ends_sentence(s)) {
                sentences.pop();
            }
        }
        if sentences.is_empty() {
            return Err(Error::Llm(LlmFailure::EmptyReply));
        }
        let joined = sentences.join(" ");
        if let Some(expected) = lang.as_deref()
            && let Some(got) = wrong_language(&joined, expected)
        {
            return Err(Error::Llm(LlmFailure::WrongLanguage {
                expected: expected.to_string(),
                got,
            }));
        }
        let unsupported = faithfulness::unsupported(&sentences, input.text);
        Ok(Summary {
            sentences,
            method: SummaryMethod::Llm,
            model: Some(self.cfg.model.clone()),
            endpoint_host: self.host.clone(),
            prompt_version: Some(self.prompt.version.clone()),
            input_hash: sha256_hex(&[input.text]),
            generated_at: Utc::now(),
            language: lang,
            unsupported,
            fallback_reason: None,
        })
    }
}

impl Summarizer for LlmSummarizer {
    fn method(&self) -> SummaryMethod {
        SummaryMethod::Llm
    }

    /// (input hash, model, prompt version) — where "input" is everything the request
    /// depends on: the article text as cut, the headline, the language and the length
    /// asked for. A different endpoint serving the same model name shares the entry.
    fn cache_key(&self, input: &SummaryInput<'_>) -> Option<String> {
        let (_, system, user) = self.request_parts(input);
        let input_hash = sha256_hex(&[&system, &user]);
        Some(super::cache_key(
            &input_hash,
            &self.cfg.model,
            &self.prompt.version,
        ))
    }

    fn summarize<'a>(&'a self, input: SummaryInput<'a>) -> BoxFuture<'a, Result<Summary>> {
        Box::pin(self.run(input))
    }
}

/// `{base_url}/chat/completions`, unless the base already is the full endpoint.
fn chat_endpoint(base: &Url) -> Result<Url> {
    if base
        .path()
        .trim_end_matches('/')
        .ends_with("/chat/completions")
    {
        return Ok(base.clone());
    }
    let mut b = base.clone();
    if !b.path().ends_with('/') {
        let p = format!("{}/", b.path());
        b.set_path(&p);
    }
    b.join("chat/completions").map_err(|e| Error::BadUrl {
        url: base.to_string(),
        reason: e.to_string(),
        source: Some(e),
    })
}

/// Rough token count: about four bytes per token for Latin text, one per CJK character.
fn estimate_tokens(s: &str) -> u64 {
    let cjk = s.chars().filter(|c| is_unspaced(*c)).count() as u64;
    let other_bytes = s.len() as u64 - cjk * 3;
    cjk + other_bytes / 4 + 1
}

/// The longest prefix of `text` of at most `max_chars` characters that ends at a
/// sentence boundary (or, if the first sentence is already longer, at a word boundary).
pub(crate) fn cut_at_sentence(text: &str, max_chars: usize) -> &str {
    let limit = text::prefix_chars(text, max_chars);
    if limit.len() == text.len() {
        return text;
    }
    let mut end = 0;
    for s in split::split(text) {
        let e = s.start + s.text.len();
        if e > limit.len() {
            break;
        }
        end = e;
    }
    if end == 0 {
        end = limit.rfind(char::is_whitespace).unwrap_or(limit.len());
    }
    text[..end].trim_end()
}

struct Completion {
    content: String,
    truncated: bool,
    total_tokens: Option<u64>,
}

fn parse_completion(body: &[u8]) -> Result<Completion> {
    let malformed = |why: &str| Error::Llm(LlmFailure::MalformedReply(why.to_string()));
    let v: Value =
        serde_json::from_slice(body).map_err(|e| malformed(&format!("not JSON ({e})")))?;
    let choice = v
        .get("choices")
        .and_then(Value::as_array)
        .and_then(|c| c.first())
        .ok_or_else(|| malformed("no choices"))?;
    let content = choice
        .pointer("/message/content")
        .and_then(Value::as_str)
        // Some servers still answer in the legacy completions shape.
        .or_else(|| choice.get("text").and_then(Value::as_str))
        .ok_or_else(|| malformed("no message content"))?;
    let usage = v.get("usage");
    let total_tokens = usage
        .and_then(|u| u.get("total_tokens"))
        .and_then(Value::as_u64)
        .or_else(|| {
            let p = usage?.get("prompt_tokens")?.as_u64()?;
            let c = usage?.get("completion_tokens")?.as_u64()?;
            Some(p + c)
        });
    Ok(Completion {
        content: content.to_string(),
        truncated: choice.get("finish_reason").and_then(Value::as_str) == Some("length"),
        total_tokens,
    })
}

/// The error message an OpenAI-style error body carries, for the fallback reason.
fn error_detail(body: &[u8]) -> Option<String> {
    let v: Option<Value> = serde_json::from_slice(body).ok();
    let msg = v.as_ref().and_then(|v| {
        v.pointer("/error/message")
            .or_else(|| v.get("error"))
            .or_else(|| v.get("message"))
            .and_then(Value::as_str)
    });
    msg.map(str::trim)
        .filter(|m| !m.is_empty())
        .map(|m| text::prefix_chars(m, 160).to_string())
}

fn ends_sentence(s: &str) -> bool {
    s.trim_end_matches(['"', '\'', '”', '’', ')', '」', '』'])
        .ends_with(['.', '!', '?', '…', '。', '！', '？'])
}

/// The language the reply is in, when it is clearly not `expected`. Only confident
/// detections count: a short or mixed reply is given the benefit of the doubt.
fn wrong_language(reply: &str, expected: &str) -> Option<String> {
    let reply_is_cjk = {
        let letters = reply.chars().filter(|c| c.is_alphabetic()).count();
        let cjk = reply
            .chars()
            .filter(|c| c.is_alphabetic() && is_unspaced(*c))
            .count();
        letters > 0 && cjk * 10 >= letters * 3
    };
    if language::is_cjk_lang(Some(expected)) != reply_is_cjk {
        return Some(language::detect(reply).unwrap_or_else(|| {
            if reply_is_cjk {
                "a CJK language"
            } else {
                "a non-CJK language"
            }
            .to_string()
        }));
    }
    if reply_is_cjk || reply.chars().filter(|c| c.is_alphabetic()).count() < 40 {
        return None;
    }
    let got = language::detect(reply)?;
    (got != expected).then_some(got)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_is_joined_once() {
        let e = |s: &str| chat_endpoint(&Url::parse(s).unwrap()).unwrap().to_string();
        assert_eq!(
            e("http://127.0.0.1:11434/v1"),
            "http://127.0.0.1:11434/v1/chat/completions"
        );
        assert_eq!(
            e("http://127.0.0.1:11434/v1/"),
            "http://127.0.0.1:11434/v1/chat/completions"
        );
        assert_eq!(
            e("https://api.example.com/v1/chat/completions"),
            "https://api.example.com/v1/chat/completions"
        );
    }

    #[test]
    fn input_is_cut_at_a_sentence_boundary() {
        let t = "First sentence here. Second sentence is longer. Third.";
        assert_eq!(cut_at_sentence(t, 1000), t);
        assert_eq!(cut_at_sentence(t, 30), "First sentence here.");
        assert_eq!(cut_at_sentence(t, 10), "First");
    }

    #[test]
    fn budget_refuses_when_spent_and_returns_unsent_calls() {
        let b = Budget {
            max_calls: 2,
            max_tokens: 100,
            calls: AtomicU32::new(0),
            tokens: AtomicU64::new(0),
        };
        assert!(b.reserve(60).is_ok());
        let e = b.reserve(60).unwrap_err().to_string();
        assert!(e.contains("budget_tokens"), "{e}");
        b.settle(60, 10);
        assert!(b.reserve(60).is_ok());
        let e = b.reserve(1).unwrap_err().to_string();
        assert!(e.contains("budget_calls"), "{e}");
    }

    #[test]
    fn wrong_language_needs_a_clear_signal() {
        assert_eq!(
            wrong_language("党的十八大以来，生态文明建设取得成效。", "en").as_deref(),
            Some("zh")
        );
        assert!(wrong_language("Short reply.", "de").is_none());
        assert_eq!(
            wrong_language(
                "Le gouvernement a annoncé mardi une hausse des taxes sur le carburant et le tabac pour l'année prochaine.",
                "en"
            )
            .as_deref(),
            Some("fr")
        );
        assert!(wrong_language(
            "The government announced on Tuesday that it would raise taxes on fuel and tobacco next year.",
            "en"
        )
        .is_none());
    }
}
