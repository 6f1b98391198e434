//! Migrations: an append-only list; `PRAGMA user_version` counts how many have run.
//! Never edit a released entry; add a new one.

pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: feeds with fetch state, items unique per (feed, key), the records made from
    //    each item, the llm summary cache, and full-text search.
    r#"
    CREATE TABLE feeds (
        id              INTEGER PRIMARY KEY,
        name            TEXT NOT NULL UNIQUE,
        -- URL as configured; `url` differs once a permanent redirect moved the feed.
        config_url      TEXT NOT NULL,
        url             TEXT NOT NULL,
        -- Tags from feeds.toml (JSON array), kept in step by sync_feeds for filtering.
        tags            TEXT NOT NULL DEFAULT '[]',
        title           TEXT,
        site_link       TEXT,
        etag            TEXT,
        last_modified   TEXT,
        -- new | ok | not_modified | failed
        status          TEXT NOT NULL DEFAULT 'new',
        error_kind      TEXT,
        last_error      TEXT,
        error_count     INTEGER NOT NULL DEFAULT 0,
        last_checked_at INTEGER,
        last_success_at INTEGER,
        next_check_at   INTEGER NOT NULL DEFAULT 0
    ) STRICT;

    CREATE TABLE items (
        id            INTEGER PRIMARY KEY,
        feed_id       INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        key           TEXT NOT NULL,
        link          TEXT,
        title         TEXT,
        published     INTEGER,
        updated       INTEGER,
        -- The whole normalized `Item` as JSON.
        record        TEXT NOT NULL,
        content_hash  TEXT NOT NULL,
        first_seen_at INTEGER NOT NULL,
        changed_at    INTEGER,
        -- Failed processing attempts (page, summary); given up after a few.
        attempts      INTEGER NOT NULL DEFAULT 0,
        UNIQUE (feed_id, key)
    ) STRICT;
    CREATE INDEX items_when ON items (COALESCE(published, updated, first_seen_at));

    CREATE TABLE articles (
        item_id     INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
        text        TEXT NOT NULL,
        basis       TEXT NOT NULL,
        language    TEXT,
        -- The `Article` as JSON, without `text`.
        record      TEXT NOT NULL
    ) STRICT;

    CREATE TABLE summaries (
        item_id     INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
        text        TEXT NOT NULL,
        method      TEXT NOT NULL,
        record      TEXT NOT NULL
    ) STRICT;

    CREATE TABLE disclosures (
        item_id     INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
        source_type TEXT NOT NULL,
        asserted_by TEXT NOT NULL,
        paywalled   INTEGER NOT NULL,
        basis       TEXT NOT NULL,
        record      TEXT NOT NULL
    ) STRICT;
    CREATE INDEX disclosures_type ON disclosures (source_type);

    CREATE TABLE llm_cache (
        key         TEXT PRIMARY KEY,
        record      TEXT NOT NULL,
        created_at  INTEGER NOT NULL
    ) STRICT;

    -- Full-text index over title, article text and summary; rowid = items.id.
    -- It keeps its own copy so snippets can be highlighted.
    CREATE VIRTUAL TABLE search USING fts5(
        title, body, summary,
        tokenize = 'unicode61 remove_diacritics 2',
        -- Prefix indexes make `word*` queries as fast as whole words for 3-4 letter stems.
        prefix = '3 4'
    );
    -- Rank by bm25 with a title hit worth 8 body hits and a summary hit worth 3, so
    -- `ORDER BY rank` (which FTS5 can serve without computing result columns for every
    -- match) gives the ranking we want.
    INSERT INTO search (search, rank) VALUES ('rank', 'bm25(8.0, 1.0, 3.0)');
    "#,
    // 2: a feed that answered 410 Gone is no longer polled (since when, for `feeds list`);
    //    an article page that failed transiently is fetched again later, with backoff.
    r#"
    ALTER TABLE feeds ADD COLUMN gone_since INTEGER;
    -- Transient page failures so far (5xx, 429, timeouts, connection errors).
    ALTER TABLE items ADD COLUMN page_attempts INTEGER NOT NULL DEFAULT 0;
    -- When to fetch the page again; NULL once it worked or was given up.
    ALTER TABLE items ADD COLUMN page_retry_at INTEGER;
    CREATE INDEX items_page_retry ON items (feed_id, page_retry_at)
        WHERE page_retry_at IS NOT NULL;
    "#,
    // 3: digests select items by when we first stored them (a back-dated item belongs to
    //    the day it arrived), so that range needs its own index.
    r#"
    CREATE INDEX items_first_seen ON items (first_seen_at);
    "#,
    // 4: each item's story (the same event told by several outlets), with the method
    //    version that clustered it, so a later method can redo old stories.
    r#"
    CREATE TABLE stories (
        id             INTEGER PRIMARY KEY,
        method_version INTEGER NOT NULL,
        created_at     INTEGER NOT NULL
    ) STRICT;
    ALTER TABLE items ADD COLUMN story_id INTEGER REFERENCES stories(id);
    CREATE INDEX items_story ON items (story_id) WHERE story_id IS NOT NULL;
    "#,
];
