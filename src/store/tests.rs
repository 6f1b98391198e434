//! Store tests on real SQLite (in memory and on disk).

use super::*;
use crate::model::{Basis, Extraction, SourceType};

/// A configured feed as the store sees it (the store does not know `config`).
struct TestFeed {
    name: String,
    url: url::Url,
    tags: Vec<String>,
}

impl FeedIdentity for TestFeed {
    fn name(&self) -> &str {
        &self.name
    }
    fn url(&self) -> &url::Url {
        &self.url
    }
    fn tags(&self) -> &[String] {
        &self.tags
    }
}

fn feed_cfg(name: &str, url: &str) -> TestFeed {
    TestFeed {
        name: name.to_string(),
        url: url::Url::parse(url).unwrap(),
        tags: Vec::new(),
    }
}

fn item(key: &str, title: &str) -> Item {
    Item {
        key: key.into(),
        guid: Some(key.into()),
        link: Some(format!("https://ex.com/{key}")),
        title: Some(title.into()),
        ..Item::default()
    }
}

fn now() -> DateTime<Utc> {
    from_ts(1_700_000_000)
}

#[test]
fn migrating_twice_is_harmless_and_sets_user_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/feedbrief.db");
    drop(Store::open(&path).unwrap());
    let store = Store::open(&path).unwrap();
    let v: i64 = store
        .conn()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v as usize, schema::MIGRATIONS.len());
    let mode: String = store
        .conn()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.db");
    drop(Store::open(&path).unwrap());
    {
        let c = Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
    }
    assert!(matches!(
        Store::open(&path),
        Err(Error::StoreUnusable { .. }) | Err(Error::Other(_))
    ));
}

/// A file that is not a database is refused with its path, and SQLite's own error is
/// kept as the cause (printed once: the message already holds its text).
#[test]
fn a_file_that_is_not_a_database_is_unusable_with_its_cause() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.db");
    std::fs::write(&path, vec![b'x'; 4096]).unwrap();
    let err = match Store::open(&path) {
        Err(e) => e,
        Ok(_) => panic!("a text file opened as a database"),
    };
    assert!(matches!(err, Error::StoreUnusable { .. }), "{err:?}");
    let shown = err.to_string();
    assert!(shown.contains("notes.db"), "{shown}");
    let cause = std::error::Error::source(&err).expect("the rusqlite error is kept");
    assert!(
        cause.downcast_ref::<rusqlite::Error>().is_some(),
        "{cause:?}"
    );
    assert!(shown.contains(&cause.to_string()), "{shown} / {cause}");
}

#[test]
fn upsert_returns_only_new_items_and_updates_changed_ones() {
    let store = Store::open_in_memory().unwrap();
    store
        .sync_feeds(&[feed_cfg("A", "https://a.example/feed")])
        .unwrap();
    let feed = &store.feed_states().unwrap()[0];
    let first = store
        .upsert_items(feed.id, &[item("1", "one"), item("2", "two")], now())
        .unwrap();
    assert_eq!(first.len(), 2);
    // Same items again: nothing new. One changed title: updated in place.
    let again = store
        .upsert_items(
            feed.id,
            &[
                item("1", "one"),
                item("2", "two (corrected)"),
                item("3", "three"),
            ],
            now(),
        )
        .unwrap();
    assert_eq!(again.len(), 1);
    let (count, title): (i64, String) = store
        .conn()
        .query_row(
            "SELECT (SELECT COUNT(*) FROM items), (SELECT title FROM items WHERE key = '2')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(count, 3);
    assert_eq!(title, "two (corrected)");
    assert_eq!(store.feed_states().unwrap()[0].item_count, 3);
}

#[test]
fn pending_items_are_those_without_results_until_attempts_run_out() {
    let store = Store::open_in_memory().unwrap();
    store
        .sync_feeds(&[feed_cfg("A", "https://a.example/feed")])
        .unwrap();
    let fid = store.feed_states().unwrap()[0].id;
    let ids = store
        .upsert_items(fid, &[item("1", "one"), item("2", "two")], now())
        .unwrap();
    assert_eq!(store.pending_items(fid).unwrap().len(), 2);

    let article = Article {
        url: "https://ex.com/1".into(),
        text: "Body text about a harbour.".into(),
        extraction: Extraction {
            method: "scored".into(),
            word_count: 5,
            basis: Basis::FullText,
            note: None,
        },
        ..Article::default()
    };
    let summary = Summary {
        sentences: vec!["Body text.".into()],
        ..Summary::default()
    };
    let mut disclosure = Disclosure::default();
    disclosure.source_type.label = SourceType::Opinion;
    store
        .save_result(ids[0], &article, &summary, &disclosure)
        .unwrap();
    let pending = store.pending_items(fid).unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].id, ids[1]);

    for _ in 0..MAX_ATTEMPTS {
        store.note_attempt_failed(ids[1]).unwrap();
    }
    assert!(store.pending_items(fid).unwrap().is_empty());

    let hits: i64 = store
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM search WHERE search MATCH 'harbour'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(hits, 1);
    let t: String = store
        .conn()
        .query_row("SELECT source_type FROM disclosures", [], |r| r.get(0))
        .unwrap();
    assert_eq!(t, "opinion");
}

#[test]
fn feed_state_records_success_failure_and_moves() {
    let store = Store::open_in_memory().unwrap();
    store
        .sync_feeds(&[feed_cfg("A", "https://a.example/feed")])
        .unwrap();
    let id = store.feed_states().unwrap()[0].id;
    let fail = FeedResult::Failed {
        kind: "http_status".into(),
        message: "https://a.example/feed: HTTP 500".into(),
    };
    store
        .finish_feed(id, &fail, now(), from_ts(1_700_000_600))
        .unwrap();
    store
        .finish_feed(id, &fail, now(), from_ts(1_700_001_200))
        .unwrap();
    let s = &store.feed_states().unwrap()[0];
    assert_eq!((s.status.as_str(), s.error_count), ("failed", 2));
    assert_eq!(s.next_check_at, from_ts(1_700_001_200));
    assert!(s.last_error.as_deref().unwrap().contains("HTTP 500"));

    let ok = FeedResult::Fetched {
        validators: Validators {
            etag: Some("\"v1\"".into()),
            last_modified: None,
        },
        title: Some("Feed A".into()),
        site_link: None,
        moved_to: Some("https://new.example/feed".into()),
    };
    store
        .finish_feed(id, &ok, now(), from_ts(1_700_003_600))
        .unwrap();
    let s = &store.feed_states().unwrap()[0];
    assert_eq!((s.status.as_str(), s.error_count), ("ok", 0));
    assert_eq!(s.url, "https://new.example/feed");
    assert_eq!(s.config_url, "https://a.example/feed");
    assert_eq!(s.validators.etag.as_deref(), Some("\"v1\""));

    // Changing the URL in the config starts the feed over.
    store
        .sync_feeds(&[feed_cfg("A", "https://other.example/rss")])
        .unwrap();
    let s = &store.feed_states().unwrap()[0];
    assert_eq!(s.url, "https://other.example/rss");
    assert_eq!(s.validators, Validators::default());
}

#[test]
fn run_lock_is_exclusive_and_released_on_drop() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("f.db");
    let held = RunLock::acquire(&db).unwrap();
    match RunLock::acquire(&db) {
        Err(Error::Locked { pid, .. }) => assert_eq!(pid, std::process::id().to_string()),
        other => panic!("expected Locked, got {:?}", other.map(|_| ())),
    }
    drop(held);
    assert!(RunLock::acquire(&db).is_ok());
}

#[test]
fn llm_cache_round_trips() {
    let store = Store::open_in_memory().unwrap();
    assert!(store.cache_get("k").unwrap().is_none());
    let s = Summary {
        sentences: vec!["A.".into()],
        model: Some("m".into()),
        ..Summary::default()
    };
    store.cache_put("k", &s).unwrap();
    assert_eq!(store.cache_get("k").unwrap(), Some(s));
}
