//! The library's one error type. Stages return it as a value; the binary adds context.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// feeds.toml (or another config file) is unusable; names file, line and key.
    #[error("{file}:{line}: {message}")]
    Config {
        file: PathBuf,
        line: usize,
        message: String,
    },

    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// Another process holds the database lock.
    #[error("another feedbrief run holds {path} (pid {pid}); try again when it finishes")]
    Locked { path: PathBuf, pid: String },

    #[error("database error: {0}")]
    Store(#[from] rusqlite::Error),

    /// The database cannot be opened, migrated or written. `reason` is what a person
    /// can act on (often the source's own text).
    #[error("database {path} is unusable: {reason}")]
    StoreUnusable {
        path: PathBuf,
        reason: String,
        #[source]
        source: rusqlite::Error,
    },

    /// A record that would not serialize, or a stored one that would not read back.
    #[error("{context}: {source}")]
    Record {
        context: String,
        #[source]
        source: serde_json::Error,
    },

    // --- fetching ---
    #[error("{url}: HTTP {status}")]
    HttpStatus {
        url: String,
        status: u16,
        /// Seconds from a Retry-After header, if the server sent one.
        retry_after: Option<u64>,
    },
    #[error("{url}: timed out after {seconds}s")]
    Timeout { url: String, seconds: u64 },
    #[error("{url}: body larger than the {limit}-byte limit")]
    TooLarge { url: String, limit: u64 },
    #[error(
        "{url}: refused to connect to non-public address {addr} (set allow_private_networks = true to allow)"
    )]
    PrivateAddress { url: String, addr: String },
    /// The host asked us (429/503 Retry-After) to wait longer than a run waits.
    #[error("{url}: the host asked for a pause of {seconds}s (Retry-After); not contacted")]
    HostPaused { url: String, seconds: u64 },
    /// The site's robots.txt does not allow this article page (feeds are not checked).
    #[error("{url}: robots_disallowed: the site's robots.txt does not allow fetching this page")]
    RobotsDisallowed { url: String },
    /// robots.txt answered with a server error: no page of the site is fetched this run.
    #[error(
        "{url}: robots_unavailable: robots.txt answered HTTP {status}; the site's pages are not fetched this run"
    )]
    RobotsUnavailable { url: String, status: u16 },
    #[error("{url}: too many redirects (more than {max})")]
    TooManyRedirects { url: String, max: usize },
    #[error("{url}: unsupported URL ({reason})")]
    BadUrl {
        url: String,
        reason: String,
        #[source]
        source: Option<url::ParseError>,
    },
    /// A transport failure (DNS, connect, TLS, reset...). `message` is what the
    /// transport's causes say; the reqwest error itself is kept as the source.
    #[error("{url}: {message}")]
    Network {
        url: String,
        message: String,
        #[source]
        source: Option<Transport>,
    },
    #[error("cannot build the HTTP client: {0}")]
    HttpClient(#[source] Transport),

    // --- stages ---
    /// A stage's error about the document at `url` (a feed that would not parse): the
    /// URL is added once and the stage's error kept whole, kind included.
    #[error("{url}: {source}")]
    Located {
        url: String,
        #[source]
        source: Box<Error>,
    },
    /// A stage's worker thread panicked or was cancelled: a bug, not bad input. `kind`
    /// is the stage's own (`parse`, `extract`), so the row reads as before.
    #[error("the {kind} task failed: {source}")]
    Task {
        kind: &'static str,
        #[source]
        source: tokio::task::JoinError,
    },
    #[error("feed could not be parsed: {0}")]
    Feed(String),
    /// feed-rs could not read the (prepared) document; its error is the cause.
    #[error("feed could not be parsed: {0}")]
    FeedSyntax(#[source] feed_rs::parser::ParseFeedError),
    #[error("page could not be extracted: {0}")]
    Extract(String),
    /// A summarizer backend's own reason (free text, `code: detail`).
    #[error("summarizer: {0}")]
    Summarize(String),
    /// Why the built-in llm summarizer gave no usable summary.
    #[error("summarizer: {0}")]
    Llm(LlmFailure),
    /// An OPML file that XML cannot read; the parser's error is the cause.
    #[error("not a readable OPML document at byte {position}")]
    Opml {
        position: u64,
        #[source]
        source: quick_xml::Error,
    },
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// Short machine-friendly reason stored on a failed feed's row.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Config { .. } => "config",
            Error::Io { .. } => "io",
            Error::Locked { .. } => "locked",
            Error::Store(_) | Error::StoreUnusable { .. } => "store",
            Error::Record { .. } | Error::HttpClient(_) => "other",
            Error::HttpStatus { .. } => "http_status",
            Error::Timeout { .. } => "timeout",
            Error::TooLarge { .. } => "too_large",
            Error::PrivateAddress { .. } => "private_address",
            Error::TooManyRedirects { .. } => "redirects",
            Error::HostPaused { .. } => "rate_limited",
            Error::RobotsDisallowed { .. } => "robots_disallowed",
            Error::RobotsUnavailable { .. } => "robots_unavailable",
            Error::BadUrl { .. } => "bad_url",
            Error::Network { .. } => "network",
            Error::Located { source, .. } => source.kind(),
            Error::Task { kind, .. } => kind,
            Error::Feed(_) | Error::FeedSyntax(_) => "parse",
            Error::Extract(_) => "extract",
            Error::Summarize(_) | Error::Llm(_) => "summarize",
            Error::Opml { .. } | Error::Other(_) => "other",
        }
    }

    /// How long the server asked us to wait before trying again, if it said.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            Error::HttpStatus {
                retry_after: Some(s),
                ..
            }
            | Error::HostPaused { seconds: s, .. } => Some(std::time::Duration::from_secs(*s)),
            Error::Located { source, .. } => source.retry_after(),
            _ => None,
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// A reqwest error kept whole (callers can ask `is_timeout()`, `is_connect()`...) but
/// shown by its causes only: reqwest's own top line repeats the URL that our error
/// already names, and `cli::error_message` prints each cause once.
#[derive(Debug)]
pub struct Transport(pub reqwest::Error);

impl Transport {
    pub fn reqwest(&self) -> &reqwest::Error {
        &self.0
    }
}

impl std::fmt::Display for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut src = std::error::Error::source(&self.0);
        if src.is_none() {
            return write!(f, "{}", self.0);
        }
        let mut first = true;
        while let Some(s) = src {
            if !first {
                f.write_str(": ")?;
            }
            write!(f, "{s}")?;
            first = false;
            src = s.source();
        }
        Ok(())
    }
}

impl std::error::Error for Transport {
    /// The reqwest error's own causes: everything the Display already shows.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.0)
    }
}

/// Why the llm summarizer produced nothing usable; its Display is the `code: detail`
/// text stored as a summary's `fallback_reason`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LlmFailure {
    /// `method = "llm"` without a `[summarizer.llm]` section.
    NotConfigured,
    /// Nothing alphanumeric to summarize.
    EmptyInput,
    /// The run's call budget is spent.
    BudgetCalls {
        max: u32,
    },
    /// The run's token budget is spent.
    BudgetTokens {
        max: u64,
    },
    /// The endpoint refused our credentials earlier in this run.
    AuthFailedEarlier {
        status: u16,
    },
    /// A non-2xx answer after the retries `fetch::retry` allows.
    HttpStatus {
        status: u16,
        retry_after: Option<u64>,
        attempts: u32,
        /// The message an OpenAI-style error body carried.
        detail: Option<String>,
    },
    /// The summarizer was shut down while waiting for its turn.
    Shutdown,
    MalformedReply(String),
    /// Nothing was left after removing the model's chatter.
    EmptyReply,
    /// The model declined; the start of what it said.
    Refusal(String),
    WrongLanguage {
        expected: String,
        got: String,
    },
}

impl LlmFailure {
    /// The code before the colon in the stored reason.
    pub fn code(&self) -> &'static str {
        match self {
            LlmFailure::NotConfigured => "not_configured",
            LlmFailure::EmptyInput => "empty_input",
            LlmFailure::BudgetCalls { .. } => "budget_calls",
            LlmFailure::BudgetTokens { .. } => "budget_tokens",
            LlmFailure::AuthFailedEarlier { .. } | LlmFailure::HttpStatus { .. } => "http_status",
            LlmFailure::Shutdown => "shutdown",
            LlmFailure::MalformedReply(_) => "malformed_reply",
            LlmFailure::EmptyReply => "empty_reply",
            LlmFailure::Refusal(_) => "refusal",
            LlmFailure::WrongLanguage { .. } => "wrong_language",
        }
    }

    /// The model answered, but unusably in a way asking again would repeat: the
    /// fallback is worth caching.
    pub fn is_final_answer(&self) -> bool {
        matches!(
            self,
            LlmFailure::Refusal(_) | LlmFailure::WrongLanguage { .. } | LlmFailure::EmptyReply
        )
    }
}

impl std::fmt::Display for LlmFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: ", self.code())?;
        match self {
            LlmFailure::NotConfigured => f.write_str("no [summarizer.llm] section in the config"),
            LlmFailure::EmptyInput => f.write_str("there is no text to summarize"),
            LlmFailure::BudgetCalls { max } => {
                write!(f, "the run's limit of {max} model calls is spent")
            }
            LlmFailure::BudgetTokens { max } => {
                write!(f, "the run's limit of {max} tokens is spent")
            }
            LlmFailure::AuthFailedEarlier { status } => write!(
                f,
                "HTTP {status} earlier in this run (check api_key_env); not asked again"
            ),
            LlmFailure::HttpStatus {
                status,
                retry_after,
                attempts,
                detail,
            } => {
                write!(f, "HTTP {status}")?;
                if let Some(s) = retry_after {
                    write!(f, ", retry after {s}s")?;
                }
                write!(f, " after {attempts} attempt(s)")?;
                if let Some(d) = detail {
                    write!(f, " ({d})")?;
                }
                Ok(())
            }
            LlmFailure::Shutdown => f.write_str("summarizer closed"),
            LlmFailure::MalformedReply(why) => f.write_str(why),
            LlmFailure::EmptyReply => {
                f.write_str("nothing was left after removing the model's chatter")
            }
            LlmFailure::Refusal(text) => f.write_str(text),
            LlmFailure::WrongLanguage { expected, got } => {
                write!(f, "expected {expected}, the reply is in {got}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn llm_failures_print_the_stored_code_and_detail() {
        let cases = [
            (
                LlmFailure::NotConfigured,
                "not_configured: no [summarizer.llm] section in the config",
            ),
            (
                LlmFailure::EmptyInput,
                "empty_input: there is no text to summarize",
            ),
            (
                LlmFailure::BudgetCalls { max: 2 },
                "budget_calls: the run's limit of 2 model calls is spent",
            ),
            (
                LlmFailure::BudgetTokens { max: 100 },
                "budget_tokens: the run's limit of 100 tokens is spent",
            ),
            (
                LlmFailure::AuthFailedEarlier { status: 401 },
                "http_status: HTTP 401 earlier in this run (check api_key_env); not asked again",
            ),
            (
                LlmFailure::HttpStatus {
                    status: 429,
                    retry_after: Some(90),
                    attempts: 1,
                    detail: Some("slow down".into()),
                },
                "http_status: HTTP 429, retry after 90s after 1 attempt(s) (slow down)",
            ),
            (
                LlmFailure::HttpStatus {
                    status: 500,
                    retry_after: None,
                    attempts: 3,
                    detail: None,
                },
                "http_status: HTTP 500 after 3 attempt(s)",
            ),
            (LlmFailure::Shutdown, "shutdown: summarizer closed"),
            (
                LlmFailure::MalformedReply("no choices".into()),
                "malformed_reply: no choices",
            ),
            (
                LlmFailure::EmptyReply,
                "empty_reply: nothing was left after removing the model's chatter",
            ),
            (
                LlmFailure::Refusal("I can't help with that.".into()),
                "refusal: I can't help with that.",
            ),
            (
                LlmFailure::WrongLanguage {
                    expected: "en".into(),
                    got: "fr".into(),
                },
                "wrong_language: expected en, the reply is in fr",
            ),
        ];
        for (failure, text) in cases {
            assert_eq!(failure.to_string(), text);
            assert!(text.starts_with(failure.code()), "{text}");
        }
    }

    #[test]
    fn only_answers_the_model_would_repeat_are_final() {
        assert!(LlmFailure::Refusal("no".into()).is_final_answer());
        assert!(LlmFailure::EmptyReply.is_final_answer());
        assert!(
            LlmFailure::WrongLanguage {
                expected: "en".into(),
                got: "de".into()
            }
            .is_final_answer()
        );
        for transient in [
            LlmFailure::BudgetCalls { max: 1 },
            LlmFailure::HttpStatus {
                status: 503,
                retry_after: None,
                attempts: 3,
                detail: None,
            },
            LlmFailure::MalformedReply("not JSON".into()),
            LlmFailure::NotConfigured,
        ] {
            assert!(!transient.is_final_answer(), "{transient}");
        }
    }

    #[test]
    fn a_located_error_names_the_url_once_and_keeps_the_kind_of_its_cause() {
        let e = Error::Located {
            url: "http://127.0.0.1:1/g.xml".into(),
            source: Box::new(Error::Feed("unable to parse feed: no root element".into())),
        };
        assert_eq!(e.kind(), "parse");
        assert_eq!(
            e.to_string(),
            "http://127.0.0.1:1/g.xml: feed could not be parsed: unable to parse feed: no root element"
        );
        let cause = std::error::Error::source(&e).map(|c| c.to_string());
        assert!(e.to_string().contains(&cause.unwrap_or_default()));
    }

    #[tokio::test]
    async fn a_failed_stage_task_keeps_its_stage_kind_and_cause() {
        let join = tokio::task::spawn(std::future::pending::<()>());
        join.abort();
        let source = join.await.expect_err("an aborted task");
        let e = Error::Task {
            kind: "extract",
            source,
        };
        assert_eq!(e.kind(), "extract");
        let cause = std::error::Error::source(&e).expect("the JoinError is kept");
        assert!(cause.downcast_ref::<tokio::task::JoinError>().is_some());
    }

    #[test]
    fn llm_failures_and_free_text_reasons_share_the_summarize_kind() {
        assert_eq!(Error::Llm(LlmFailure::EmptyReply).kind(), "summarize");
        assert_eq!(Error::Summarize("network: down".into()).kind(), "summarize");
    }
}
