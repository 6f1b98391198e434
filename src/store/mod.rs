//! The only SQL: open (WAL, migrations by `user_version`), feeds and their fetch state,
//! items (unique per feed and key), the records made from each item (article, summary,
//! disclosure), the llm summary cache and full-text search.

mod entries;
mod lock;
mod schema;
mod stories;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, TimeZone, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::Serialize;

pub use entries::{EntryQuery, SearchHit};
pub use lock::RunLock;
pub use stories::{StoryItem, StoryMember};

use crate::error::{Error, Result};
use crate::model::{
    Article, Disclosure, FeedIdentity, FeedState, FeedStatus, Item, Summary, Validators,
};
use crate::util::sha256_hex;

/// Processing of an item (page, extraction, summary) is retried on later runs until
/// it has failed this many times; then the item stays without a summary.
pub(crate) const MAX_ATTEMPTS: i64 = 3;

/// The database. One connection behind a std mutex that is never held across an
/// `.await` (every method is synchronous and short).
pub struct Store {
    conn: Mutex<Connection>,
    path: Option<PathBuf>,
}

/// How a feed's check ended, written by `finish_feed`.
#[derive(Debug, Clone)]
pub(crate) enum FeedResult {
    /// New content was fetched and stored.
    Fetched {
        validators: Validators,
        title: Option<String>,
        site_link: Option<String>,
        /// The feed moved permanently: fetch this URL from now on.
        moved_to: Option<String>,
    },
    /// 304: only the schedule changes.
    NotModified,
    Failed {
        kind: String,
        message: String,
    },
    /// 410 Gone: the feed is not polled again until it is resumed.
    Gone {
        message: String,
    },
}

/// An item that still needs its page, summary and disclosure.
#[derive(Debug, Clone)]
pub(crate) struct PendingItem {
    pub(crate) id: i64,
    pub(crate) item: Item,
    /// Transient page failures so far (a retry of a stored item when > 0).
    pub(crate) page_attempts: i64,
}

/// Whether an item's article page is to be fetched again, written with its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageRetry {
    /// The page worked, failed for good (404, 410...) or was not wanted: never again.
    Done,
    /// The page failed transiently for the `attempts`-th time; try again at `at`.
    At { attempts: i64, at: DateTime<Utc> },
    /// The page failed transiently for the `attempts`-th time, the last one allowed.
    GiveUp { attempts: i64 },
}

/// The status column holds `FeedStatus::as_str`, the same words as before the enum.
impl rusqlite::ToSql for FeedStatus {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

impl rusqlite::types::FromSql for FeedStatus {
    fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        let text = v.as_str()?;
        FeedStatus::parse(text).ok_or_else(|| {
            rusqlite::types::FromSqlError::Other(format!("unknown feed status {text:?}").into())
        })
    }
}

fn ts(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

pub(crate) fn from_ts(t: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(t, 0).single().unwrap_or_default()
}

fn to_json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|source| Error::Record {
        context: "cannot serialize record".into(),
        source,
    })
}

impl Store {
    /// Open (creating the file and its folder if needed), switch to WAL and migrate.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let unusable = |source: rusqlite::Error| Error::StoreUnusable {
            path: path.to_path_buf(),
            reason: source.to_string(),
            source,
        };
        let conn = Connection::open(path).map_err(unusable)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(unusable)?;
        Store::setup(conn, Some(path.to_path_buf()))
    }

    #[cfg(test)]
    pub(crate) fn open_in_memory() -> Result<Store> {
        Store::setup(Connection::open_in_memory()?, None)
    }

    fn setup(mut conn: Connection, path: Option<PathBuf>) -> Result<Store> {
        let unusable = |source: rusqlite::Error| Error::StoreUnusable {
            path: path.clone().unwrap_or_default(),
            reason: source.to_string(),
            source,
        };
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(unusable)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(unusable)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(unusable)?;
        migrate(&mut conn).map_err(|e| match e {
            Error::Store(e) => unusable(e),
            other => other,
        })?;
        Ok(Store {
            conn: Mutex::new(conn),
            path,
        })
    }

    /// Name the database in an error that says it cannot take more writes (the disk or
    /// the file size limit is full), so the run can stop with a message a person can act
    /// on; other errors pass through unchanged.
    pub(crate) fn explain(&self, e: Error) -> Error {
        match e {
            Error::Store(source)
                if source.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) =>
            {
                Error::StoreUnusable {
                    path: self.path.clone().unwrap_or_else(|| ":memory:".into()),
                    reason: "the disk is full (SQLITE_FULL); the run stopped, everything \
                             stored before is kept; free some space and run again"
                        .into(),
                    source,
                }
            }
            other => other,
        }
    }

    /// Cap the database at its current size, so the next write that needs a new page
    /// fails as on a full disk.
    #[cfg(test)]
    pub(crate) fn fill_up_for_test(&self) {
        let conn = self.conn();
        let pages: i64 = conn
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .unwrap_or(1);
        let _ = conn.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()));
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a half-done transaction behind
        // (rusqlite rolls back on drop), so a poisoned lock is safe to reuse.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    // ---------------------------------------------------------------- feeds

    /// Make the feeds table match the config: new names are added; a feed whose
    /// configured URL changed starts over (validators and schedule reset). Rows of feeds
    /// no longer configured stay, with their items, but are not scheduled.
    pub fn sync_feeds<F: FeedIdentity>(&self, feeds: &[F]) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for f in feeds {
            let url = f.url().as_str();
            let existing: Option<String> = tx
                .query_row(
                    "SELECT config_url FROM feeds WHERE name = ?1",
                    [f.name()],
                    |r| r.get(0),
                )
                .optional()?;
            match existing {
                None => {
                    tx.execute(
                        "INSERT INTO feeds (name, config_url, url) VALUES (?1, ?2, ?2)",
                        params![f.name(), url],
                    )?;
                }
                Some(old) if old != url => {
                    tx.execute(
                        "UPDATE feeds SET config_url = ?2, url = ?2, etag = NULL,
                         last_modified = NULL, next_check_at = 0, status = ?3,
                         error_count = 0, error_kind = NULL, last_error = NULL,
                         gone_since = NULL
                         WHERE name = ?1",
                        params![f.name(), url, FeedStatus::New],
                    )?;
                }
                Some(_) => {}
            }
            tx.execute(
                "UPDATE feeds SET tags = ?2 WHERE name = ?1",
                params![f.name(), to_json(&f.tags())?],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Every feed row with its state, in name order.
    pub fn feed_states(&self) -> Result<Vec<FeedState>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT f.id, f.name, f.url, f.config_url, f.title, f.site_link, f.etag,
                    f.last_modified, f.status, f.error_kind, f.last_error, f.error_count,
                    f.last_checked_at, f.last_success_at, f.next_check_at,
                    (SELECT COUNT(*) FROM items i WHERE i.feed_id = f.id), f.gone_since
             FROM feeds f ORDER BY f.name COLLATE NOCASE",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(FeedState {
                id: r.get(0)?,
                name: r.get(1)?,
                url: r.get(2)?,
                config_url: r.get(3)?,
                title: r.get(4)?,
                site_link: r.get(5)?,
                validators: Validators {
                    etag: r.get(6)?,
                    last_modified: r.get(7)?,
                },
                status: r.get(8)?,
                error_kind: r.get(9)?,
                last_error: r.get(10)?,
                error_count: r.get(11)?,
                last_checked_at: r.get::<_, Option<i64>>(12)?.map(from_ts),
                last_success_at: r.get::<_, Option<i64>>(13)?.map(from_ts),
                next_check_at: from_ts(r.get(14)?),
                item_count: r.get(15)?,
                gone_since: r.get::<_, Option<i64>>(16)?.map(from_ts),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Record how a check ended and when the next one is due.
    pub(crate) fn finish_feed(
        &self,
        feed_id: i64,
        result: &FeedResult,
        now: DateTime<Utc>,
        next_check: DateTime<Utc>,
    ) -> Result<()> {
        let conn = self.conn();
        match result {
            FeedResult::Fetched {
                validators,
                title,
                site_link,
                moved_to,
            } => {
                conn.execute(
                    "UPDATE feeds SET status = ?9, etag = ?2, last_modified = ?3,
                     title = COALESCE(?4, title), site_link = COALESCE(?5, site_link),
                     url = COALESCE(?6, url), error_count = 0, error_kind = NULL,
                     last_error = NULL, gone_since = NULL, last_checked_at = ?7, last_success_at = ?7,
                     next_check_at = ?8 WHERE id = ?1",
                    params![
                        feed_id,
                        validators.etag,
                        validators.last_modified,
                        title,
                        site_link,
                        moved_to,
                        ts(now),
                        ts(next_check),
                        FeedStatus::Ok
                    ],
                )?;
            }
            FeedResult::NotModified => {
                conn.execute(
                    "UPDATE feeds SET status = ?4, error_count = 0,
                     error_kind = NULL, last_error = NULL, gone_since = NULL,
                     last_checked_at = ?2,
                     last_success_at = ?2, next_check_at = ?3 WHERE id = ?1",
                    params![feed_id, ts(now), ts(next_check), FeedStatus::NotModified],
                )?;
            }
            FeedResult::Failed { kind, message } => {
                conn.execute(
                    "UPDATE feeds SET status = ?6, error_kind = ?2, last_error = ?3,
                     error_count = error_count + 1, last_checked_at = ?4,
                     next_check_at = ?5 WHERE id = ?1",
                    params![
                        feed_id,
                        kind,
                        message,
                        ts(now),
                        ts(next_check),
                        FeedStatus::Failed
                    ],
                )?;
            }
            FeedResult::Gone { message } => {
                conn.execute(
                    "UPDATE feeds SET status = ?5, error_kind = 'gone', last_error = ?2,
                     error_count = error_count + 1, gone_since = COALESCE(gone_since, ?3),
                     last_checked_at = ?3, next_check_at = ?4 WHERE id = ?1",
                    params![feed_id, message, ts(now), ts(next_check), FeedStatus::Gone],
                )?;
            }
        }
        Ok(())
    }

    /// Delete a feed's row and everything stored from it.
    pub(crate) fn remove_feed(&self, name: &str) -> Result<bool> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let id: Option<i64> = tx
            .query_row("SELECT id FROM feeds WHERE name = ?1", [name], |r| r.get(0))
            .optional()?;
        let Some(id) = id else {
            return Ok(false);
        };
        tx.execute(
            "DELETE FROM search WHERE rowid IN (SELECT id FROM items WHERE feed_id = ?1)",
            [id],
        )?;
        tx.execute("DELETE FROM feeds WHERE id = ?1", [id])?;
        tx.commit()?;
        Ok(true)
    }

    // ---------------------------------------------------------------- items

    /// Store a feed's items in one transaction and return the ids of the new ones.
    /// An item already stored under the same key is updated when its content changed,
    /// never duplicated.
    pub fn upsert_items(
        &self,
        feed_id: i64,
        items: &[Item],
        now: DateTime<Utc>,
    ) -> Result<Vec<i64>> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut new_ids = Vec::new();
        {
            let mut find = tx.prepare_cached(
                "SELECT id, content_hash FROM items WHERE feed_id = ?1 AND key = ?2",
            )?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO items (feed_id, key, link, title, published, updated, record,
                 content_hash, first_seen_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            let mut update = tx.prepare_cached(
                "UPDATE items SET link = ?2, title = ?3, published = ?4, updated = ?5,
                 record = ?6, content_hash = ?7, changed_at = ?8 WHERE id = ?1",
            )?;
            let mut retitle = tx.prepare_cached("UPDATE search SET title = ?2 WHERE rowid = ?1")?;
            for item in items {
                let record = to_json(item)?;
                let hash = sha256_hex(&[&record]);
                let found: Option<(i64, String)> = find
                    .query_row(params![feed_id, item.key], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?;
                match found {
                    None => {
                        insert.execute(params![
                            feed_id,
                            item.key,
                            item.link,
                            item.title,
                            item.published.map(ts),
                            item.updated.map(ts),
                            record,
                            hash,
                            ts(now)
                        ])?;
                        new_ids.push(tx.last_insert_rowid());
                    }
                    Some((id, old)) if old != hash => {
                        update.execute(params![
                            id,
                            item.link,
                            item.title,
                            item.published.map(ts),
                            item.updated.map(ts),
                            record,
                            hash,
                            ts(now)
                        ])?;
                        retitle.execute(params![id, item.title.as_deref().unwrap_or("")])?;
                    }
                    Some(_) => {}
                }
            }
        }
        tx.commit()?;
        Ok(new_ids)
    }

    /// Items of a feed that have no summary yet and have not failed too often, newest
    /// first. New items land here, and so do items a crash or a failure left unfinished.
    pub(crate) fn pending_items(&self, feed_id: i64) -> Result<Vec<PendingItem>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT i.id, i.record, i.page_attempts FROM items i
             WHERE i.feed_id = ?1 AND i.attempts < ?2
               AND NOT EXISTS (SELECT 1 FROM summaries s WHERE s.item_id = i.id)
             ORDER BY COALESCE(i.published, i.updated, i.first_seen_at) DESC, i.id DESC",
        )?;
        let rows = stmt.query_map(params![feed_id, MAX_ATTEMPTS], pending_row)?;
        collect_pending(rows)
    }

    /// Stored items of a feed whose article page failed transiently and is due again
    /// (`due_by`; every scheduled one with None), newest first.
    pub(crate) fn page_retries(
        &self,
        feed_id: i64,
        due_by: Option<DateTime<Utc>>,
    ) -> Result<Vec<PendingItem>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT i.id, i.record, i.page_attempts FROM items i
             WHERE i.feed_id = ?1 AND i.page_retry_at IS NOT NULL
               AND (?2 IS NULL OR i.page_retry_at <= ?2)
               AND EXISTS (SELECT 1 FROM summaries s WHERE s.item_id = i.id)
             ORDER BY COALESCE(i.published, i.updated, i.first_seen_at) DESC, i.id DESC",
        )?;
        let rows = stmt.query_map(params![feed_id, due_by.map(ts)], pending_row)?;
        collect_pending(rows)
    }

    /// Record the outcome of a page fetch whose result is not saved (a retry that
    /// failed again, or failed for good).
    pub(crate) fn set_page_retry(&self, item_id: i64, retry: PageRetry) -> Result<()> {
        let conn = self.conn();
        write_page_retry(&conn, item_id, retry)
    }

    /// Count a failed processing attempt (the item is retried on later runs).
    pub(crate) fn note_attempt_failed(&self, item_id: i64) -> Result<()> {
        self.conn().execute(
            "UPDATE items SET attempts = attempts + 1 WHERE id = ?1",
            [item_id],
        )?;
        Ok(())
    }

    /// Store everything made from one item in one transaction, and index it. A record
    /// saved before (from the feed's excerpt) is replaced, search row included.
    pub fn save_result(
        &self,
        item_id: i64,
        article: &Article,
        summary: &Summary,
        disclosure: &Disclosure,
    ) -> Result<()> {
        self.save_result_with_page(item_id, article, summary, disclosure, PageRetry::Done)
    }

    /// `save_result`, also recording whether the article page is to be fetched again.
    pub(crate) fn save_result_with_page(
        &self,
        item_id: i64,
        article: &Article,
        summary: &Summary,
        disclosure: &Disclosure,
        page: PageRetry,
    ) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        write_page_retry(&tx, item_id, page)?;
        let mut meta = article.clone();
        meta.text = String::new();
        let summary_text = summary.text();
        tx.execute(
            "INSERT OR REPLACE INTO articles (item_id, text, basis, language, record)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                item_id,
                article.text,
                article.extraction.basis.as_str(),
                article.language,
                to_json(&meta)?
            ],
        )?;
        tx.execute(
            "INSERT OR REPLACE INTO summaries (item_id, text, method, record)
             VALUES (?1, ?2, ?3, ?4)",
            params![
                item_id,
                summary_text,
                summary.method.as_str(),
                to_json(summary)?
            ],
        )?;
        tx.execute(
            "INSERT OR REPLACE INTO disclosures
             (item_id, source_type, asserted_by, paywalled, basis, record)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                item_id,
                disclosure.source_type.label.as_str(),
                serde_json::to_value(disclosure.source_type.asserted_by)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                disclosure.paywalled,
                disclosure.machine_summary.input_basis.as_str(),
                to_json(disclosure)?
            ],
        )?;
        let title: Option<String> =
            tx.query_row("SELECT title FROM items WHERE id = ?1", [item_id], |r| {
                r.get(0)
            })?;
        tx.execute("DELETE FROM search WHERE rowid = ?1", [item_id])?;
        tx.execute(
            "INSERT INTO search (rowid, title, body, summary) VALUES (?1, ?2, ?3, ?4)",
            params![
                item_id,
                title.unwrap_or_default(),
                article.text,
                summary_text
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    // ---------------------------------------------------------------- llm cache

    pub(crate) fn cache_get(&self, key: &str) -> Result<Option<Summary>> {
        let conn = self.conn();
        let rec: Option<String> = conn
            .query_row("SELECT record FROM llm_cache WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(rec.and_then(|r| serde_json::from_str(&r).ok()))
    }

    pub(crate) fn cache_put(&self, key: &str, summary: &Summary) -> Result<()> {
        self.conn().execute(
            "INSERT OR REPLACE INTO llm_cache (key, record, created_at) VALUES (?1, ?2, ?3)",
            params![key, to_json(summary)?, ts(Utc::now())],
        )?;
        Ok(())
    }
}

fn pending_row(r: &rusqlite::Row) -> rusqlite::Result<(i64, String, i64)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
}

fn collect_pending(
    rows: impl Iterator<Item = rusqlite::Result<(i64, String, i64)>>,
) -> Result<Vec<PendingItem>> {
    let mut out = Vec::new();
    for row in rows {
        let (id, record, page_attempts) = row?;
        match serde_json::from_str::<Item>(&record) {
            Ok(item) => out.push(PendingItem {
                id,
                item,
                page_attempts,
            }),
            Err(e) => tracing::warn!(item_id = id, %e, "Skipping an unreadable stored item."),
        }
    }
    Ok(out)
}

fn write_page_retry(conn: &Connection, item_id: i64, retry: PageRetry) -> Result<()> {
    let (attempts, at) = match retry {
        PageRetry::Done => (None, None),
        PageRetry::At { attempts, at } => (Some(attempts), Some(ts(at))),
        PageRetry::GiveUp { attempts } => (Some(attempts), None),
    };
    conn.execute(
        "UPDATE items SET page_attempts = COALESCE(?2, page_attempts), page_retry_at = ?3
         WHERE id = ?1",
        params![item_id, attempts, at],
    )?;
    Ok(())
}

/// Run the migrations not yet applied, all in one exclusive transaction.
fn migrate(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Exclusive)?;
    let version: usize = tx.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))? as usize;
    if version > schema::MIGRATIONS.len() {
        return Err(Error::Other(format!(
            "the database has schema version {version}, newer than this feedbrief knows ({}); upgrade feedbrief",
            schema::MIGRATIONS.len()
        )));
    }
    for sql in &schema::MIGRATIONS[version..] {
        tx.execute_batch(sql)?;
    }
    tx.pragma_update(None, "user_version", schema::MIGRATIONS.len() as i64)?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests;
