//! The digest query: the entries first stored in a period (a late or back-dated item
//! is in the digest of the day it arrived, showing its own date), grouped by tag or
//! feed, newest first; streamed to a renderer (`StoreDigest`) or built in memory.
//! Everything comes from the store (no clock reads for `--date`), so one database
//! gives the same digest, and the same bytes once rendered.

use std::io;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};

use super::{Head, Source};
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
pub(crate) const UNTAGGED: &str = "Other";

impl Period {
    /// [from, to) in UTC, and a human label.
    pub(crate) fn bounds(
        &self,
        tz: chrono_tz::Tz,
    ) -> Result<(DateTime<Utc>, DateTime<Utc>, String)> {
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

/// A digest read from the store as it renders: the outline (groups, their sizes, the
/// `updated` time) comes from one light pass over the matching items; each group's
/// entries are then streamed, newest first. Render it inside `Store::read_snapshot`
/// so both passes see the same items.
pub struct StoreDigest<'a> {
    store: &'a Store,
    query: EntryQuery,
    title: String,
    period: String,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    timezone: String,
    updated: DateTime<Utc>,
    /// Display order: the group's name, its feeds (exact stored names), its size.
    groups: Vec<(String, Vec<String>, usize)>,
}

impl<'a> StoreDigest<'a> {
    /// The digest for `period`: the items first stored in it (a late or back-dated
    /// item belongs to the day it arrived), filtered by feed and/or tag.
    pub fn new(
        store: &'a Store,
        cfg: &Config,
        period: Period,
        feed: Option<&str>,
        tag: Option<&str>,
    ) -> Result<Self> {
        Self::select(store, cfg, period, feed, tag, true)
    }

    /// The digest of the items *published* in `period` (the demo's fixed sample day,
    /// whatever day it is run on).
    pub(crate) fn by_published_date(
        store: &'a Store,
        cfg: &Config,
        period: Period,
    ) -> Result<Self> {
        Self::select(store, cfg, period, None, None, false)
    }

    fn select(
        store: &'a Store,
        cfg: &Config,
        period: Period,
        feed: Option<&str>,
        tag: Option<&str>,
        by_first_seen: bool,
    ) -> Result<Self> {
        let tz = cfg.digest.timezone;
        let (from, to, label) = period.bounds(tz)?;
        let query = EntryQuery {
            from: Some(from),
            to: Some(to),
            by_first_seen,
            feed: feed.map(str::to_string),
            tag: tag.map(str::to_string),
            summarized_only: true,
            ..EntryQuery::default()
        };
        let mut updated: Option<DateTime<Utc>> = None;
        // Group name -> (feeds, count), in the order first seen; sorted below.
        let mut groups: Vec<(String, Vec<String>, usize)> = Vec::new();
        store.entry_keys(&query, |k| {
            let changed = k.summary_generated_at.unwrap_or(k.when);
            updated = Some(updated.map_or(changed, |u| u.max(changed)));
            let name = group_key(cfg.digest.group_by, k.first_tag, &k.feed_name);
            let g = match groups.iter_mut().position(|g| g.0 == name) {
                Some(i) => &mut groups[i],
                None => {
                    groups.push((name, Vec::new(), 0));
                    groups.last_mut().expect("just pushed")
                }
            };
            if !g.1.contains(&k.feed_name) {
                g.1.push(k.feed_name);
            }
            g.2 += 1;
        })?;
        let order = group_order(cfg);
        groups.sort_by(|a, b| {
            rank(&order, &a.0)
                .cmp(&rank(&order, &b.0))
                .then(a.0.cmp(&b.0))
        });
        Ok(StoreDigest {
            store,
            query,
            title: cfg.digest.title.clone(),
            period: label,
            from,
            to,
            timezone: tz.name().to_string(),
            updated: updated.unwrap_or(to),
            groups,
        })
    }

    /// The whole digest in memory (small digests that are edited before rendering,
    /// as the demo does).
    pub(crate) fn collect(&self) -> Result<Digest> {
        let mut groups = Vec::new();
        for (i, (name, _, _)) in self.groups.iter().enumerate() {
            let mut entries = Vec::new();
            self.read_group(i, &mut |e| {
                entries.push(e);
                Ok(())
            })?;
            groups.push(DigestGroup {
                name: name.clone(),
                entries,
            });
        }
        Ok(Digest {
            title: self.title.clone(),
            period: self.period.clone(),
            from: self.from,
            to: self.to,
            groups,
            timezone: Some(self.timezone.clone()),
        })
    }

    fn read_group(&self, group: usize, f: &mut dyn FnMut(DigestEntry) -> Result<()>) -> Result<()> {
        let Some((_, feeds, _)) = self.groups.get(group) else {
            return Ok(());
        };
        let q = EntryQuery {
            feeds: feeds.clone(),
            ..self.query.clone()
        };
        self.store.entries(&q, f)
    }
}

impl Source for StoreDigest<'_> {
    fn head(&self) -> Head<'_> {
        Head {
            title: &self.title,
            period: &self.period,
            from: self.from,
            to: self.to,
            timezone: Some(&self.timezone),
        }
    }

    fn updated(&self) -> DateTime<Utc> {
        self.updated
    }

    fn groups(&self) -> Vec<(&str, usize)> {
        self.groups
            .iter()
            .map(|(name, _, n)| (name.as_str(), *n))
            .collect()
    }

    fn each_entry(
        &self,
        group: usize,
        f: &mut dyn FnMut(&DigestEntry) -> io::Result<()>,
    ) -> io::Result<()> {
        // A write error (a closed pipe) comes back as itself, not as a store error.
        let mut failed: Option<io::Error> = None;
        let read = self.read_group(group, &mut |e| {
            f(&e).map_err(|err| {
                let msg = err.to_string();
                failed = Some(err);
                Error::Other(msg)
            })
        });
        match (failed, read) {
            (Some(err), _) => Err(err),
            (None, Err(e)) => Err(io::Error::other(e)),
            (None, Ok(())) => Ok(()),
        }
    }
}

/// Build the digest for `period` in memory, filtered by feed and/or tag.
pub fn build(
    store: &Store,
    cfg: &Config,
    period: Period,
    feed: Option<&str>,
    tag: Option<&str>,
) -> Result<Digest> {
    store.read_snapshot(|| StoreDigest::new(store, cfg, period, feed, tag)?.collect())
}

/// The group an entry of `feed` (whose first tag is `first_tag`) is shown under.
fn group_key(by: GroupBy, first_tag: Option<String>, feed: &str) -> String {
    match by {
        GroupBy::Tag => first_tag.unwrap_or_else(|| UNTAGGED.to_string()),
        GroupBy::Feed => feed.to_string(),
        GroupBy::None => String::new(),
    }
}

/// Groups come in the order their tag or feed first appears in feeds.toml; groups
/// not in the config after those, alphabetically; the untagged group last.
fn group_order(cfg: &Config) -> Vec<String> {
    match cfg.digest.group_by {
        GroupBy::Tag => cfg
            .feeds
            .iter()
            .filter_map(|f| f.tags.first().cloned())
            .collect(),
        GroupBy::Feed => cfg.feeds.iter().map(|f| f.name.clone()).collect(),
        GroupBy::None => Vec::new(),
    }
}

fn rank(order: &[String], name: &str) -> usize {
    order
        .iter()
        .position(|o| o == name)
        .unwrap_or(if name == UNTAGGED {
            usize::MAX
        } else {
            order.len()
        })
}
