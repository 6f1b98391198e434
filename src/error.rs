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

    #[error("database {path} is unusable: {reason}")]
    StoreUnusable { path: PathBuf, reason: String },

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
    #[error("{url}: too many redirects (more than {max})")]
    TooManyRedirects { url: String, max: usize },
    #[error("{url}: unsupported URL ({reason})")]
    BadUrl { url: String, reason: String },
    #[error("{url}: {message}")]
    Network { url: String, message: String },

    // --- stages ---
    #[error("feed could not be parsed: {0}")]
    Feed(String),
    #[error("page could not be extracted: {0}")]
    Extract(String),
    #[error("summarizer: {0}")]
    Summarize(String),
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
            Error::HttpStatus { .. } => "http_status",
            Error::Timeout { .. } => "timeout",
            Error::TooLarge { .. } => "too_large",
            Error::PrivateAddress { .. } => "private_address",
            Error::TooManyRedirects { .. } => "redirects",
            Error::HostPaused { .. } => "rate_limited",
            Error::BadUrl { .. } => "bad_url",
            Error::Network { .. } => "network",
            Error::Feed(_) => "parse",
            Error::Extract(_) => "extract",
            Error::Summarize(_) => "summarize",
            Error::Other(_) => "other",
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
