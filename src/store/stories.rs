//! Stories (issue 13): which story each stored item belongs to, with the clustering
//! method that put it there, and the recent items a clusterer resumes from after a
//! restart. The clustering itself is `cluster::Clusterer`; this file only stores it.

use rusqlite::params;

use super::Store;
use crate::error::Result;

/// An item already in a story, as a clusterer needs it to resume.
#[derive(Debug, Clone)]
pub struct StoryMember {
    pub item_id: i64,
    pub story: i64,
    /// The feed's name: the outlet.
    pub source: String,
    /// Seconds since the epoch (published, else first stored).
    pub published: i64,
    pub title: String,
    pub text: String,
    pub lang: Option<String>,
}

/// One item of a story, for `query --story`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StoryItem {
    pub item_id: i64,
    pub feed: String,
    pub title: Option<String>,
    pub link: Option<String>,
    pub published: Option<i64>,
}

impl Store {
    /// Put the item in `story` (made by clustering method `method_version`).
    pub fn set_story(&self, item_id: i64, story: i64, method_version: u32, now: i64) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT OR IGNORE INTO stories (id, method_version, created_at) VALUES (?1, ?2, ?3)",
            params![story, method_version, now],
        )?;
        tx.execute(
            "UPDATE items SET story_id = ?2 WHERE id = ?1",
            params![item_id, story],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The first story id not yet used.
    pub fn next_story_id(&self) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM stories", [], |r| {
                r.get(0)
            })?)
    }

    /// Items in a story published (or, undated, first stored) at or after `since`,
    /// oldest first: what a clusterer's window holds.
    pub fn story_members_since(&self, since: i64) -> Result<Vec<StoryMember>> {
        let conn = self.conn();
        let mut st = conn.prepare(
            "SELECT i.id, i.story_id, f.name, COALESCE(i.published, i.first_seen_at),
                    COALESCE(i.title, ''), a.text, a.language
             FROM items i JOIN feeds f ON f.id = i.feed_id JOIN articles a ON a.item_id = i.id
             WHERE i.story_id IS NOT NULL AND COALESCE(i.published, i.first_seen_at) >= ?1
             ORDER BY 4, i.id",
        )?;
        let rows = st.query_map([since], |r| {
            Ok(StoryMember {
                item_id: r.get(0)?,
                story: r.get(1)?,
                source: r.get(2)?,
                published: r.get(3)?,
                title: r.get(4)?,
                text: r.get(5)?,
                lang: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The story an item is in, if it has been clustered.
    pub fn story_of(&self, item_id: i64) -> Result<Option<i64>> {
        Ok(self
            .conn()
            .query_row("SELECT story_id FROM items WHERE id = ?1", [item_id], |r| {
                r.get(0)
            })?)
    }

    /// A story's items, oldest first.
    pub fn story_items(&self, story: i64) -> Result<Vec<StoryItem>> {
        let conn = self.conn();
        let mut st = conn.prepare(
            "SELECT i.id, f.name, i.title, i.link, i.published
             FROM items i JOIN feeds f ON f.id = i.feed_id
             WHERE i.story_id = ?1
             ORDER BY COALESCE(i.published, i.first_seen_at), i.id",
        )?;
        let rows = st.query_map([story], |r| {
            Ok(StoryItem {
                item_id: r.get(0)?,
                feed: r.get(1)?,
                title: r.get(2)?,
                link: r.get(3)?,
                published: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
