//! Reading stored items back as `DigestEntry`s (digests, exports) and full-text search.
//! Rows are streamed to a callback, so an export of any size runs in constant memory.

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{Row, params_from_iter};
use serde::Serialize;

use super::{Store, from_ts};
use crate::error::{Error, Result};
use crate::model::{Article, DigestEntry, Disclosure, Item, SourceType, Summary};
use crate::text::scripts::is_cjk;

/// Which stored items to read. Times apply to the item's date (published, else
/// updated, else first seen), or with `by_first_seen` to when we first stored it.
#[derive(Debug, Clone, Default)]
pub struct EntryQuery {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// `from`/`to` select by first-seen time: a digest covers what arrived in its
    /// period, so a late or back-dated item is in the digest of the day it came.
    pub by_first_seen: bool,
    /// One feed by name (any case).
    pub feed: Option<String>,
    /// Only these feeds, by exact stored name (empty: no restriction).
    pub feeds: Vec<String>,
    pub tag: Option<String>,
    pub source_type: Option<SourceType>,
    /// Only items that have a summary (digests); exports take everything.
    pub summarized_only: bool,
    /// Storage order (oldest stored first) instead of newest first: lets exports
    /// stream straight off the table without sorting everything first.
    pub storage_order: bool,
    pub limit: Option<usize>,
}

/// One full-text search result.
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub item_id: i64,
    pub feed: String,
    pub title: Option<String>,
    pub link: Option<String>,
    pub when: DateTime<Utc>,
    pub source_type: Option<String>,
    /// bm25 rank (lower is better).
    pub rank: f64,
    /// Matching text with hits marked `[` ... `]`.
    pub snippet: String,
}

const WHEN: &str = "COALESCE(i.published, i.updated, i.first_seen_at)";

impl EntryQuery {
    /// WHERE clauses and their parameters, shared by entries and search.
    fn filters(&self) -> (Vec<String>, Vec<Value>) {
        let mut clauses = Vec::new();
        let mut params: Vec<Value> = Vec::new();
        let time = if self.by_first_seen {
            "i.first_seen_at"
        } else {
            WHEN
        };
        if let Some(from) = self.from {
            clauses.push(format!("{time} >= ?"));
            params.push(Value::Integer(from.timestamp()));
        }
        if let Some(to) = self.to {
            // Times are stored in whole seconds (rounded down): an item stored earlier
            // in the same second as `to` is before it.
            let ceil = to.timestamp() + i64::from(to.timestamp_subsec_nanos() > 0);
            clauses.push(format!("{time} < ?"));
            params.push(Value::Integer(ceil));
        }
        if let Some(feed) = &self.feed {
            clauses.push("f.name = ? COLLATE NOCASE".into());
            params.push(Value::Text(feed.clone()));
        }
        if !self.feeds.is_empty() {
            clauses.push(format!(
                "f.name IN ({})",
                vec!["?"; self.feeds.len()].join(", ")
            ));
            params.extend(self.feeds.iter().cloned().map(Value::Text));
        }
        if let Some(tag) = &self.tag {
            clauses.push(
                "EXISTS (SELECT 1 FROM json_each(f.tags) t WHERE t.value = ? COLLATE NOCASE)"
                    .into(),
            );
            params.push(Value::Text(tag.clone()));
        }
        if let Some(t) = self.source_type {
            clauses.push("d.source_type = ?".into());
            params.push(Value::Text(t.as_str().into()));
        }
        if self.summarized_only {
            clauses.push("s.item_id IS NOT NULL".into());
        }
        (clauses, params)
    }
}

fn parse<T: serde::de::DeserializeOwned>(
    what: &str,
    id: i64,
    json: Option<String>,
) -> Result<Option<T>> {
    match json {
        None => Ok(None),
        Some(j) => serde_json::from_str(&j)
            .map(Some)
            .map_err(|source| Error::Record {
                context: format!("stored {what} of item {id} is unreadable"),
                source,
            }),
    }
}

/// One matching item as a digest's outline sees it: enough to group it and date the
/// digest without reading its records.
#[derive(Debug, Clone)]
pub(crate) struct EntryKey {
    pub(crate) feed_name: String,
    /// The feed's first tag, if any.
    pub(crate) first_tag: Option<String>,
    /// Published, else updated, else first seen.
    pub(crate) when: DateTime<Utc>,
    pub(crate) summary_generated_at: Option<DateTime<Utc>>,
}

fn where_sql(clauses: &[String]) -> String {
    if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    }
}

/// The columns of one entry row, as stored (JSON records still unparsed).
struct RawEntry {
    id: i64,
    feed_title: Option<String>,
    item: Option<String>,
    article: Option<String>,
    text: Option<String>,
    summary: Option<String>,
    disclosure: Option<String>,
    tags: Option<String>,
    first_seen: i64,
    feed_name: String,
    feed_url: String,
}

impl RawEntry {
    fn from_row(r: &Row) -> rusqlite::Result<RawEntry> {
        Ok(RawEntry {
            id: r.get(0)?,
            feed_title: r.get(1)?,
            item: r.get(2)?,
            article: r.get(3)?,
            text: r.get(4)?,
            summary: r.get(5)?,
            disclosure: r.get(6)?,
            tags: r.get(7)?,
            first_seen: r.get(8)?,
            feed_name: r.get(9)?,
            feed_url: r.get(10)?,
        })
    }

    fn into_entry(self) -> Result<DigestEntry> {
        let id = self.id;
        let mut article: Option<Article> = parse("article", id, self.article)?;
        if let (Some(a), Some(t)) = (article.as_mut(), self.text) {
            a.text = t;
        }
        Ok(DigestEntry {
            item_id: id,
            feed_name: self.feed_name,
            feed_url: self.feed_url,
            feed_title: self.feed_title,
            tags: parse("tags", id, self.tags)?.unwrap_or_default(),
            first_seen: from_ts(self.first_seen),
            item: parse::<Item>("item", id, self.item)?.unwrap_or_default(),
            article,
            summary: parse::<Summary>("summary", id, self.summary)?,
            disclosure: parse::<Disclosure>("disclosure", id, self.disclosure)?,
        })
    }
}

impl Store {
    /// Stream matching entries, newest first, to `f`.
    pub fn entries(
        &self,
        q: &EntryQuery,
        mut f: impl FnMut(DigestEntry) -> Result<()>,
    ) -> Result<()> {
        const ROWS: &str = "SELECT i.id, f.title, i.record, a.record, a.text, s.record, d.record,
                    f.tags, i.first_seen_at, f.name, f.url
             FROM items i
             JOIN feeds f ON f.id = i.feed_id
             LEFT JOIN articles a ON a.item_id = i.id
             LEFT JOIN summaries s ON s.item_id = i.id
             LEFT JOIN disclosures d ON d.item_id = i.id";
        let (clauses, mut params) = q.filters();
        let limit = |sql: &mut String, params: &mut Vec<Value>| {
            if let Some(n) = q.limit {
                sql.push_str(" LIMIT ?");
                params.push(Value::Integer(n as i64));
            }
        };
        let conn = self.conn();
        if q.storage_order {
            let mut sql = format!("{ROWS} {} ORDER BY i.id", where_sql(&clauses));
            limit(&mut sql, &mut params);
            let mut stmt = conn.prepare(&sql)?;
            let mut rows = stmt.query(params_from_iter(params))?;
            while let Some(row) = rows.next()? {
                f(RawEntry::from_row(row)?.into_entry()?)?;
            }
            return Ok(());
        }
        // Newest first: sort the (date, id) pairs only, then read the rows by id a batch
        // at a time. Sorting whole rows would copy every article text through a
        // temporary B-tree; the ids cost 8 bytes an item.
        let mut sql = format!(
            "SELECT i.id FROM items i
             JOIN feeds f ON f.id = i.feed_id
             LEFT JOIN summaries s ON s.item_id = i.id
             LEFT JOIN disclosures d ON d.item_id = i.id
             {}
             ORDER BY {WHEN} DESC, i.id DESC",
            where_sql(&clauses)
        );
        limit(&mut sql, &mut params);
        let ids: Vec<i64> = conn
            .prepare(&sql)?
            .query_map(params_from_iter(params), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for batch in ids.chunks(256) {
            let sql = format!(
                "{ROWS} WHERE i.id IN ({})",
                vec!["?"; batch.len()].join(", ")
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let mut found: Vec<RawEntry> = stmt
                .query_map(params_from_iter(batch), RawEntry::from_row)?
                .collect::<rusqlite::Result<_>>()?;
            // Back into the sorted order (the batch is small).
            found.sort_by_key(|r| batch.iter().position(|id| *id == r.id));
            for raw in found {
                f(raw.into_entry()?)?;
            }
        }
        Ok(())
    }

    /// The newest item date among the matching entries (an export's `updated`).
    pub(crate) fn newest(&self, q: &EntryQuery) -> Result<Option<DateTime<Utc>>> {
        let (clauses, params) = q.filters();
        let sql = format!(
            "SELECT MAX({WHEN}) FROM items i
             JOIN feeds f ON f.id = i.feed_id
             LEFT JOIN summaries s ON s.item_id = i.id
             LEFT JOIN disclosures d ON d.item_id = i.id {}",
            if clauses.is_empty() {
                String::new()
            } else {
                format!("WHERE {}", clauses.join(" AND "))
            }
        );
        let newest: Option<i64> = self
            .conn()
            .query_row(&sql, params_from_iter(params), |r| r.get(0))?;
        Ok(newest.map(from_ts))
    }

    /// Stream a key per matching entry (any order): what a streamed digest needs to
    /// know before it writes its first byte (its groups, its `updated` time).
    pub(crate) fn entry_keys(&self, q: &EntryQuery, mut f: impl FnMut(EntryKey)) -> Result<()> {
        let (clauses, params) = q.filters();
        let sql = format!(
            "SELECT f.name, json_extract(f.tags, '$[0]'), {WHEN},
                    json_extract(s.record, '$.generated_at')
             FROM items i
             JOIN feeds f ON f.id = i.feed_id
             LEFT JOIN summaries s ON s.item_id = i.id
             LEFT JOIN disclosures d ON d.item_id = i.id
             {}",
            where_sql(&clauses)
        );
        let conn = self.conn();
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query(params_from_iter(params))?;
        while let Some(r) = rows.next()? {
            let generated: Option<String> = r.get(3)?;
            f(EntryKey {
                feed_name: r.get(0)?,
                first_tag: r.get::<_, Option<String>>(1)?,
                when: from_ts(r.get(2)?),
                // The same parse serde does when the record is read in full.
                summary_generated_at: generated
                    .and_then(|g| DateTime::parse_from_rfc3339(&g).ok())
                    .map(|t| t.with_timezone(&Utc)),
            });
        }
        Ok(())
    }

    /// Run `f` inside one read transaction, so several queries (a digest's outline,
    /// then its entries) see the same items even while a run is adding more.
    pub fn read_snapshot<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        self.conn().execute_batch("BEGIN DEFERRED")?;
        let out = f();
        // Nothing was written: ending the transaction cannot lose anything.
        let _ = self.conn().execute_batch("COMMIT");
        out
    }

    /// The matching items newest first, without a text to search for (`query` with
    /// filters only); the snippet is the start of the summary.
    pub(crate) fn latest(&self, q: &EntryQuery) -> Result<Vec<SearchHit>> {
        let (clauses, mut params) = q.filters();
        params.push(Value::Integer(q.limit.unwrap_or(20) as i64));
        let sql = format!(
            "SELECT i.id, f.name, i.title, i.link, {WHEN}, d.source_type,
                    0.0, substr(COALESCE(s.text, ''), 1, 200)
             FROM items i
             JOIN feeds f ON f.id = i.feed_id
             LEFT JOIN summaries s ON s.item_id = i.id
             LEFT JOIN disclosures d ON d.item_id = i.id
             {}
             ORDER BY {WHEN} DESC, i.id DESC
             LIMIT ?",
            where_sql(&clauses)
        );
        self.hits(&sql, params)
    }

    /// Rows of (id, feed, title, link, when, source type, rank, snippet) as hits.
    fn hits(&self, sql: &str, params: Vec<Value>) -> Result<Vec<SearchHit>> {
        self.hits_with(sql, params, |r| Ok((r.get(6)?, r.get(7)?)))
    }

    /// Rows whose first six columns are (id, feed, title, link, when, source type);
    /// `rest` reads the rank and snippet from the others.
    fn hits_with(
        &self,
        sql: &str,
        params: Vec<Value>,
        rest: impl Fn(&Row) -> rusqlite::Result<(f64, String)>,
    ) -> Result<Vec<SearchHit>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map(params_from_iter(params), |r| {
            let (rank, snippet) = rest(r)?;
            Ok(SearchHit {
                item_id: r.get(0)?,
                feed: r.get(1)?,
                title: r.get(2)?,
                link: r.get(3)?,
                when: from_ts(r.get(4)?),
                source_type: r.get(5)?,
                rank,
                snippet,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Feed names and tags present in the store (for naming them when a filter
    /// matches none).
    pub(crate) fn feed_names_and_tags(&self) -> Result<(Vec<String>, Vec<String>)> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT name FROM feeds ORDER BY name")?;
        let names = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut stmt = conn.prepare(
            "SELECT DISTINCT t.value FROM feeds f, json_each(f.tags) t ORDER BY t.value",
        )?;
        let tags = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok((names, tags))
    }

    /// Full-text search over title, article text and summary, best first.
    pub fn search(&self, text: &str, q: &EntryQuery) -> Result<Vec<SearchHit>> {
        // Chinese, Japanese and Korean are written without spaces, so the word
        // tokenizer sees a whole clause as one token; those words are matched as
        // substrings instead (newest first), the others through the index.
        let (cjk, words): (Vec<&str>, Vec<&str>) =
            text.split_whitespace().partition(|w| w.chars().any(is_cjk));
        if !cjk.is_empty() {
            return self.search_substrings(&cjk, fts_query(&words.join(" ")), q);
        }
        let Some(m) = fts_query(text) else {
            return Ok(Vec::new());
        };
        let (clauses, filter_params) = q.filters();
        // Two steps: FTS5 ranks the matches and keeps the best few (filters, if any,
        // restrict the candidate rows first); only those few are joined and get a
        // snippet, which is the costly part.
        let filter = if clauses.is_empty() {
            String::new()
        } else {
            format!(
                "AND rowid IN (SELECT i.id FROM items i JOIN feeds f ON f.id = i.feed_id
                   LEFT JOIN summaries s ON s.item_id = i.id
                   LEFT JOIN disclosures d ON d.item_id = i.id WHERE {})",
                clauses.join(" AND ")
            )
        };
        let mut params = vec![Value::Text(m)];
        params.extend(filter_params);
        params.push(Value::Integer(q.limit.unwrap_or(20) as i64));
        let sql = format!(
            "WITH top AS (
                SELECT rowid AS id, rank FROM search
                WHERE search MATCH ?1 {filter}
                ORDER BY rank LIMIT ?
             )
             SELECT i.id, f.name, i.title, i.link, {WHEN}, d.source_type, top.rank,
                    snippet(search, -1, '[', ']', '…', 16)
             FROM top
             JOIN search ON search.rowid = top.id AND search MATCH ?1
             JOIN items i ON i.id = top.id
             JOIN feeds f ON f.id = i.feed_id
             LEFT JOIN disclosures d ON d.item_id = i.id
             ORDER BY top.rank, i.id DESC"
        );
        self.hits(&sql, params)
    }
}

impl Store {
    /// Items whose title, text or summary contain every one of `needles`, and match
    /// the FTS query `fts` if there is one; newest first, with a snippet around the
    /// first needle.
    fn search_substrings(
        &self,
        needles: &[&str],
        fts: Option<String>,
        q: &EntryQuery,
    ) -> Result<Vec<SearchHit>> {
        let (clauses, filter_params) = q.filters();
        let mut params: Vec<Value> = Vec::new();
        let mut conds: Vec<String> = Vec::new();
        if let Some(m) = fts {
            conds.push("search MATCH ?".into());
            params.push(Value::Text(m));
        }
        for n in needles {
            conds.push(
                "instr(search.title || ' ' || search.body || ' ' || search.summary, ?) > 0".into(),
            );
            params.push(Value::Text((*n).to_string()));
        }
        conds.extend(clauses);
        params.extend(filter_params);
        params.push(Value::Integer(q.limit.unwrap_or(20) as i64));
        let sql = format!(
            "SELECT i.id, f.name, i.title, i.link, {WHEN}, d.source_type,
                    search.title, search.summary, search.body
             FROM search
             JOIN items i ON i.id = search.rowid
             JOIN feeds f ON f.id = i.feed_id
             LEFT JOIN summaries s ON s.item_id = i.id
             LEFT JOIN disclosures d ON d.item_id = i.id
             WHERE {}
             ORDER BY {WHEN} DESC, i.id DESC
             LIMIT ?",
            conds.join(" AND ")
        );
        self.hits_with(&sql, params, |r| {
            let texts: [String; 3] = [r.get(6)?, r.get(7)?, r.get(8)?];
            let snippet = texts
                .iter()
                .find_map(|t| substring_snippet(t, needles[0], 24))
                .unwrap_or_default();
            Ok((0.0, snippet))
        })
    }
}

/// `…before [needle] after…`, `context` characters on each side.
fn substring_snippet(text: &str, needle: &str, context: usize) -> Option<String> {
    let at = text.find(needle)?;
    let before: String = {
        let mut b: Vec<char> = text[..at].chars().rev().take(context).collect();
        b.reverse();
        b.into_iter().collect()
    };
    let after: String = text[at + needle.len()..].chars().take(context).collect();
    let lead = if before.chars().count() < text[..at].chars().count() {
        "…"
    } else {
        ""
    };
    let tail = if at + needle.len() + after.len() < text.len() {
        "…"
    } else {
        ""
    };
    Some(format!("{lead}{before}[{needle}]{after}{tail}"))
}

/// Turn what a user typed into an FTS5 query: every word quoted (so punctuation and
/// FTS operators in the input cannot break the query), all words required; a trailing
/// `*` keeps its prefix meaning, and an upper-case OR between words is kept.
fn fts_query(text: &str) -> Option<String> {
    let mut parts = Vec::new();
    for word in text.split_whitespace() {
        if word == "OR" && !parts.is_empty() {
            parts.push("OR".to_string());
            continue;
        }
        let (core, prefix) = match word.strip_suffix('*') {
            Some(c) => (c, true),
            None => (word, false),
        };
        let cleaned: String = core
            .chars()
            .filter(|c| c.is_alphanumeric() || matches!(c, '\'' | '-' | '_' | '.'))
            .collect();
        if cleaned.is_empty() {
            continue;
        }
        parts.push(format!(
            "\"{}\"{}",
            cleaned.replace('"', ""),
            if prefix { "*" } else { "" }
        ));
    }
    while parts.last().is_some_and(|p| p == "OR") {
        parts.pop();
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::{fts_query, substring_snippet};

    #[test]
    fn snippets_around_a_substring_hit() {
        assert_eq!(
            substring_snippet("国家统计局28日发布数据显示，工业企业利润增长", "工业", 4).as_deref(),
            Some("…据显示，[工业]企业利润…")
        );
        assert_eq!(
            substring_snippet("工业", "工业", 4).as_deref(),
            Some("[工业]")
        );
        assert_eq!(substring_snippet("abc", "x", 4), None);
    }

    #[test]
    fn user_text_becomes_a_safe_fts_query() {
        assert_eq!(
            fts_query("harbour storm").as_deref(),
            Some("\"harbour\" \"storm\"")
        );
        assert_eq!(
            fts_query("budg* OR tax").as_deref(),
            Some("\"budg\"* OR \"tax\"")
        );
        assert_eq!(
            fts_query("\"a\" AND (b) NEAR").as_deref(),
            Some("\"a\" \"AND\" \"b\" \"NEAR\"")
        );
        assert_eq!(fts_query(" ( ) "), None);
        // A lone OR is a word to look for, not an operator.
        assert_eq!(fts_query("OR").as_deref(), Some("\"OR\""));
    }
}
