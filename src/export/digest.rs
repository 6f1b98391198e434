//! The digest query: stored entries for a period -> a `Digest` grouped by tag or feed,
//! newest first. Everything comes from the store (no clock reads for `--date`), so
//! one database gives the same digest, and the same bytes once rendered.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};

use crate::config::{Config, GroupBy};
use crate::error::{Error, Result};
use crate::model::{Digest, DigestEntry, DigestGroup};
use crate::store::{EntryQuery, Store};

/// What a digest covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// A calendar day in the digest's time zone.
    Day(NaiveDate),
    /// The span before `until`.
    Since {
        span: Duration,
        until: DateTime<Utc>,
    },
}

/// Name of the group for entries whose feed has no tag.
pub const UNTAGGED: &str = "Other";

impl Period {
    /// [from, to) in UTC, and a human label.
    pub fn bounds(&self, tz: chrono_tz::Tz) -> Result<(DateTime<Utc>, DateTime<Utc>, String)> {
        match *self {
            Period::Day(d) => {
                let start = |day: NaiveDate| {
                    day.and_hms_opt(0, 0, 0)
                        .and_then(|t| tz.from_local_datetime(&t).earliest())
                        .map(|t| t.with_timezone(&Utc))
                        .ok_or_else(|| Error::Other(format!("{day} has no midnight in {tz}")))
                };
                let next = d
                    .succ_opt()
                    .ok_or_else(|| Error::Other(format!("{d} is out of range")))?;
                Ok((start(d)?, start(next)?, format!("{d} ({tz})")))
            }
            Period::Since { span, until } => {
                let hours = span.num_hours();
                let label = if hours > 0 && span.num_seconds() % 3600 == 0 {
                    format!(
                        "the {hours} hours before {}",
                        until.with_timezone(&tz).format("%Y-%m-%d %H:%M %Z")
                    )
                } else {
                    format!(
                        "the {} minutes before {}",
                        span.num_minutes(),
                        until.with_timezone(&tz).format("%Y-%m-%d %H:%M %Z")
                    )
                };
                Ok((until - span, until, label))
            }
        }
    }
}

/// Build the digest for `period`, filtered by feed and/or tag.
pub fn build(
    store: &Store,
    cfg: &Config,
    period: Period,
    feed: Option<&str>,
    tag: Option<&str>,
) -> Result<Digest> {
    let tz = cfg.digest.timezone;
    let (from, to, label) = period.bounds(tz)?;
    let q = EntryQuery {
        from: Some(from),
        to: Some(to),
        feed: feed.map(str::to_string),
        tag: tag.map(str::to_string),
        summarized_only: true,
        ..EntryQuery::default()
    };
    let mut entries = Vec::new();
    store.entries(&q, |e| {
        entries.push(e);
        Ok(())
    })?;
    Ok(Digest {
        title: cfg.digest.title.clone(),
        period: label,
        from,
        to,
        groups: group(entries, cfg),
        timezone: Some(tz.name().to_string()),
    })
}

/// Group entries (already newest first) by the configured key. Groups come in the
/// order their tag or feed first appears in feeds.toml; the untagged group last.
fn group(entries: Vec<DigestEntry>, cfg: &Config) -> Vec<DigestGroup> {
    let key = |e: &DigestEntry| -> String {
        match cfg.digest.group_by {
            GroupBy::Tag => e
                .tags
                .first()
                .cloned()
                .unwrap_or_else(|| UNTAGGED.to_string()),
            GroupBy::Feed => e.feed_name.clone(),
            GroupBy::None => String::new(),
        }
    };
    let order: Vec<String> = match cfg.digest.group_by {
        GroupBy::Tag => cfg
            .feeds
            .iter()
            .filter_map(|f| f.tags.first().cloned())
            .collect(),
        GroupBy::Feed => cfg.feeds.iter().map(|f| f.name.clone()).collect(),
        GroupBy::None => Vec::new(),
    };
    let rank = |name: &str| {
        order
            .iter()
            .position(|o| o == name)
            .unwrap_or(if name == UNTAGGED {
                usize::MAX
            } else {
                order.len()
            })
    };
    let mut groups: Vec<DigestGroup> = Vec::new();
    for e in entries {
        let k = key(&e);
        match groups.iter_mut().find(|g| g.name == k) {
            Some(g) => g.entries.push(e),
            None => groups.push(DigestGroup {
                name: k,
                entries: vec![e],
            }),
        }
    }
    // Stable: groups not in the config keep alphabetical order among themselves.
    groups.sort_by(|a, b| rank(&a.name).cmp(&rank(&b.name)).then(a.name.cmp(&b.name)));
    groups
}
