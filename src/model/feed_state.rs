//! Plain data about a feed's fetch state, shared by `fetch` (which produces validators
//! and cache hints), `store` (which keeps them on the feed's row) and `scheduler`
//! (which turns them into the next check). Living here lets those three import only
//! downward.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;
use url::Url;

/// Validators from the previous successful fetch, sent back as a conditional GET.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// What the server said about caching, for the scheduler's next-check math.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CacheHints {
    /// Cache-Control max-age.
    pub max_age: Option<Duration>,
    /// Expires header.
    pub expires: Option<DateTime<Utc>>,
}

/// How a feed's last check ended. Stored as its `as_str` text in the `status` column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedStatus {
    /// Never checked since it was added (or since its URL changed).
    #[default]
    New,
    Ok,
    NotModified,
    Failed,
    /// The feed answered 410 Gone: not polled again until it is resumed.
    Gone,
}

impl FeedStatus {
    /// The text stored in SQLite and shown by `feeds list`.
    pub fn as_str(self) -> &'static str {
        match self {
            FeedStatus::New => "new",
            FeedStatus::Ok => "ok",
            FeedStatus::NotModified => "not_modified",
            FeedStatus::Failed => "failed",
            FeedStatus::Gone => "gone",
        }
    }

    /// Read the stored text back; None for text this version does not know.
    pub fn parse(s: &str) -> Option<FeedStatus> {
        [
            FeedStatus::New,
            FeedStatus::Ok,
            FeedStatus::NotModified,
            FeedStatus::Failed,
            FeedStatus::Gone,
        ]
        .into_iter()
        .find(|f| f.as_str() == s)
    }
}

impl std::fmt::Display for FeedStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for FeedStatus {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// A feed's row: its identity and fetch state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeedState {
    pub id: i64,
    pub name: String,
    /// Where the feed is fetched from now (after permanent redirects).
    pub url: String,
    pub config_url: String,
    pub title: Option<String>,
    pub site_link: Option<String>,
    #[serde(skip)]
    pub validators: Validators,
    pub status: FeedStatus,
    pub error_kind: Option<String>,
    pub last_error: Option<String>,
    pub error_count: i64,
    pub last_checked_at: Option<DateTime<Utc>>,
    pub last_success_at: Option<DateTime<Utc>>,
    pub next_check_at: DateTime<Utc>,
    pub item_count: i64,
    /// When the feed first answered 410 Gone (it is not polled until resumed).
    pub gone_since: Option<DateTime<Utc>>,
}

/// What the store keeps of a configured feed: `config::FeedConfig` implements it, so
/// the store can follow the config without depending on it.
pub trait FeedIdentity {
    fn name(&self) -> &str;
    fn url(&self) -> &Url;
    fn tags(&self) -> &[String];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_text_round_trips_and_matches_the_stored_words() {
        for (s, text) in [
            (FeedStatus::New, "new"),
            (FeedStatus::Ok, "ok"),
            (FeedStatus::NotModified, "not_modified"),
            (FeedStatus::Failed, "failed"),
            (FeedStatus::Gone, "gone"),
        ] {
            assert_eq!(s.as_str(), text);
            assert_eq!(FeedStatus::parse(text), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), text);
        }
        assert_eq!(FeedStatus::parse("bogus"), None);
    }
}
