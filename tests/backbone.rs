//! The backbone end to end: feeds.toml -> polite fetch -> parse -> SQLite, against real
//! HTTP servers on 127.0.0.1 and real SQLite files. No internet.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use feedbrief::config::Config;
use feedbrief::pipeline::{FeedOutcome, NoProgress, Pipeline, RunOptions, RunReport};
use feedbrief::store::Store;
use wiremock::matchers::{header_exists, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

fn fixture(name: &str, base: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/backbone")
        .join(name);
    std::fs::read_to_string(p).unwrap().replace("{BASE}", base)
}

fn article(title: &str) -> String {
    fixture("article.html", "").replace("{TITLE}", title)
}

struct Env {
    _dir: tempfile::TempDir,
    config_path: PathBuf,
    db: PathBuf,
}

/// A feeds.toml in a temp dir with the given feed tables and settings lines.
fn env(settings: &str, feeds: &[(&str, String)]) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let mut text = format!(
        "[settings]\ndatabase = \"test.db\"\nallow_private_networks = true\nmin_host_interval = \"0s\"\ntimeout = \"5s\"\n{settings}\n"
    );
    for (name, url) in feeds {
        text.push_str(&format!(
            "\n[[feed]]\nname = \"{name}\"\nurl = \"{url}\"\ntags = [\"test\"]\n"
        ));
    }
    let config_path = dir.path().join("feeds.toml");
    std::fs::write(&config_path, text).unwrap();
    let db = dir.path().join("test.db");
    Env {
        _dir: dir,
        config_path,
        db,
    }
}

async fn run(env: &Env, all: bool) -> RunReport {
    let cfg = Config::load(&env.config_path).unwrap();
    let store = Arc::new(Store::open(&env.db).unwrap());
    let p = Pipeline::new(cfg, store).unwrap();
    p.run_once(&RunOptions { all, feed: None }, &NoProgress)
        .await
        .unwrap()
}

fn count(db: &Path, sql: &str) -> i64 {
    let c = rusqlite::Connection::open(db).unwrap();
    c.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Answer GETs of `p` with `t`.
async fn serve(server: &MockServer, p: &str, t: impl Respond + 'static) {
    Mock::given(method("GET"))
        .and(path(p))
        .respond_with(t)
        .mount(server)
        .await;
}

/// A 200 response with this body and content type.
fn body(text: impl Into<Vec<u8>>, content_type: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(text.into(), content_type)
}

async fn mount_pages(server: &MockServer) {
    for (p, t) in [
        ("/world/harbour-reopens", "Harbour reopens"),
        ("/world/budget-passes", "Budget passes"),
        ("/world/rail-strike", "Rail strike called off"),
        ("/tech/db-1-0", "Database 1.0"),
    ] {
        Mock::given(method("GET"))
            .and(path(p))
            .respond_with(
                ResponseTemplate::new(200).set_body_raw(article(t), "text/html; charset=utf-8"),
            )
            .mount(server)
            .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_run_stores_items_second_run_is_a_304_with_no_writes() {
    let server = MockServer::start().await;
    let base = server.uri();
    // The conditional request gets a 304 (mounted first so it wins when it matches).
    Mock::given(method("GET"))
        .and(path("/world.xml"))
        .and(header_exists("if-none-match"))
        .respond_with(ResponseTemplate::new(304))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/world.xml"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("etag", "\"w1\"")
                .insert_header("last-modified", "Sat, 28 Nov 2026 08:20:00 GMT")
                .set_body_raw(fixture("world.xml", &base), "application/rss+xml"),
        )
        .mount(&server)
        .await;
    mount_pages(&server).await;
    let e = env("", &[("World", format!("{base}/world.xml"))]);

    let first = run(&e, true).await;
    assert_eq!(
        first.feeds,
        vec![("World".to_string(), FeedOutcome::Fetched { new_items: 2 })]
    );
    assert_eq!(first.processed, 2);
    assert_eq!(count(&e.db, "SELECT COUNT(*) FROM items"), 2);
    assert_eq!(count(&e.db, "SELECT COUNT(*) FROM summaries"), 2);
    // Tracking parameters are gone from the stored link.
    assert_eq!(
        count(&e.db, "SELECT COUNT(*) FROM items WHERE link LIKE '%utm_%'"),
        0
    );
    let reqs = server.received_requests().await.unwrap();
    let reqs_after_first = reqs.len();
    let robots = reqs
        .iter()
        .filter(|r| r.url.path() == "/robots.txt")
        .count();
    assert_eq!(robots, 1, "robots.txt is read once, for the pages");
    assert_eq!(
        reqs_after_first - robots,
        3,
        "one feed request and two page requests"
    );
    let items_before = count(&e.db, "SELECT COUNT(*) FROM items");

    let second = run(&e, true).await;
    assert_eq!(
        second.feeds,
        vec![("World".to_string(), FeedOutcome::NotModified)]
    );
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(
        reqs.len(),
        reqs_after_first + 1,
        "exactly one conditional request, no page fetches"
    );
    let last = reqs.last().unwrap();
    assert_eq!(last.headers.get("if-none-match").unwrap(), "\"w1\"");
    assert_eq!(
        last.headers.get("if-modified-since").unwrap(),
        "Sat, 28 Nov 2026 08:20:00 GMT"
    );
    assert_eq!(count(&e.db, "SELECT COUNT(*) FROM items"), items_before);
    assert_eq!(
        count(
            &e.db,
            "SELECT COUNT(*) FROM feeds WHERE status = 'not_modified'"
        ),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_feed_adds_only_its_new_items() {
    let server = MockServer::start().await;
    let base = server.uri();
    Mock::given(method("GET"))
        .and(path("/world.xml"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(fixture("world.xml", &base), "application/rss+xml"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    serve(
        &server,
        "/world.xml",
        body(fixture("world-updated.xml", &base), "application/rss+xml"),
    )
    .await;
    mount_pages(&server).await;
    let e = env("", &[("World", format!("{base}/world.xml"))]);
    assert_eq!(run(&e, true).await.new_items(), 2);
    let second = run(&e, true).await;
    assert_eq!(second.new_items(), 1);
    assert_eq!(
        second.processed, 1,
        "only the new item is fetched and summarized"
    );
    assert_eq!(count(&e.db, "SELECT COUNT(*) FROM items"), 3);
    let pages: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.path().to_string())
        .filter(|p| p.starts_with("/world/"))
        .collect();
    assert_eq!(
        pages.len(),
        3,
        "old items never cost a second page fetch: {pages:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_feeds_are_recorded_while_the_others_succeed() {
    let server = MockServer::start().await;
    let base = server.uri();
    serve(
        &server,
        "/ok.xml",
        body(fixture("tech.xml", &base), "application/atom+xml"),
    )
    .await;
    serve(&server, "/500.xml", ResponseTemplate::new(500)).await;
    serve(
        &server,
        "/slow.xml",
        ResponseTemplate::new(200)
            .set_delay(Duration::from_secs(4))
            .set_body_raw(fixture("tech.xml", &base), "application/atom+xml"),
    )
    .await;
    serve(
        &server,
        "/huge.xml",
        body(vec![b' '; 300_000], "application/rss+xml"),
    )
    .await;
    serve(
        &server,
        "/garbage.xml",
        body(b"\x00\x01not a feed at all".to_vec(), "application/rss+xml"),
    )
    .await;
    mount_pages(&server).await;
    let e = env(
        "timeout = \"1s\"\nmax_feed_bytes = \"200KB\"",
        &[
            ("Ok", format!("{base}/ok.xml")),
            ("Broken", format!("{base}/500.xml")),
            ("Slow", format!("{base}/slow.xml")),
            ("Huge", format!("{base}/huge.xml")),
            ("Garbage", format!("{base}/garbage.xml")),
        ],
    );
    // The settings line above repeats `timeout`; TOML forbids that, so write it cleanly.
    let text = std::fs::read_to_string(&e.config_path)
        .unwrap()
        .replace("timeout = \"5s\"\n", "");
    std::fs::write(&e.config_path, text).unwrap();

    let report = run(&e, true).await;
    let outcome = |n: &str| {
        report
            .feeds
            .iter()
            .find(|(name, _)| name == n)
            .unwrap()
            .1
            .clone()
    };
    assert_eq!(outcome("Ok"), FeedOutcome::Fetched { new_items: 1 });
    for n in ["Broken", "Slow", "Huge", "Garbage"] {
        assert!(
            matches!(outcome(n), FeedOutcome::Failed { .. }),
            "{n}: {:?}",
            outcome(n)
        );
    }
    let store = Store::open(&e.db).unwrap();
    let states = store.feed_states().unwrap();
    let st = |n: &str| states.iter().find(|s| s.name == n).unwrap().clone();
    assert_eq!(st("Broken").error_kind.as_deref(), Some("http_status"));
    assert!(st("Broken").last_error.unwrap().contains("500"));
    assert_eq!(st("Slow").error_kind.as_deref(), Some("timeout"));
    assert_eq!(st("Huge").error_kind.as_deref(), Some("too_large"));
    assert_eq!(st("Garbage").error_kind.as_deref(), Some("parse"));
    // The URL is added to the parser's error once, not the parser's wording twice.
    let garbage = st("Garbage").last_error.unwrap_or_default();
    assert_eq!(
        garbage.matches("could not be parsed").count(),
        1,
        "{garbage}"
    );
    for n in ["Broken", "Slow", "Huge", "Garbage"] {
        let s = st(n);
        assert_eq!((s.status.as_str(), s.error_count), ("failed", 1), "{n}");
        assert!(
            s.next_check_at > chrono::Utc::now(),
            "{n} gets a retry time"
        );
    }
    assert_eq!(st("Ok").status, "ok");
    assert_eq!(count(&e.db, "SELECT COUNT(*) FROM items"), 1);
}

/// Records when each request arrived, to check politeness from the server's side.
#[derive(Clone)]
struct Clocked {
    times: Arc<Mutex<Vec<(String, Instant)>>>,
    template: ResponseTemplate,
}

impl Respond for Clocked {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        self.times
            .lock()
            .unwrap()
            .push((req.url.path().to_string(), Instant::now()));
        self.template.clone()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_after_delays_the_next_request_to_that_host() {
    let server = MockServer::start().await;
    let base = server.uri();
    let times = Arc::new(Mutex::new(Vec::new()));
    serve(
        &server,
        "/a.xml",
        Clocked {
            times: times.clone(),
            template: ResponseTemplate::new(429).insert_header("retry-after", "2"),
        },
    )
    .await;
    serve(
        &server,
        "/b.xml",
        Clocked {
            times: times.clone(),
            template: ResponseTemplate::new(200)
                .set_body_raw(fixture("tech.xml", &base), "application/atom+xml"),
        },
    )
    .await;
    mount_pages(&server).await;
    // One feed at a time, so "A" (429) is asked first and "B" must wait for the pause.
    let e = env(
        "concurrency = 1",
        &[
            ("A", format!("{base}/a.xml")),
            ("B", format!("{base}/b.xml")),
        ],
    );
    let report = run(&e, true).await;
    assert!(matches!(report.feeds[0].1, FeedOutcome::Failed { .. }));
    let t = times.lock().unwrap().clone();
    assert_eq!(t.len(), 2, "{t:?}");
    assert_eq!(t[0].0, "/a.xml");
    let gap = t[1].1 - t[0].1;
    // Tolerance: Retry-After is whole seconds; allow 100 ms of clock slack.
    assert!(
        gap >= Duration::from_millis(1900),
        "second request came after {gap:?}"
    );
    // And the failing feed is not retried before the server's Retry-After.
    let store = Store::open(&e.db).unwrap();
    let a = store
        .feed_states()
        .unwrap()
        .into_iter()
        .find(|s| s.name == "A")
        .unwrap();
    assert!(a.next_check_at >= a.last_checked_at.unwrap() + chrono::Duration::seconds(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_addresses_are_refused_unless_allowed() {
    let server = MockServer::start().await;
    let base = server.uri();
    serve(
        &server,
        "/world.xml",
        body(fixture("world.xml", &base), "application/rss+xml"),
    )
    .await;
    mount_pages(&server).await;
    let port = server.address().port();
    let e = env(
        "",
        &[
            ("Literal", format!("{base}/world.xml")),
            // A name that resolves to loopback: refused on the resolved address.
            ("Named", format!("http://localhost:{port}/world.xml")),
        ],
    );
    let text = std::fs::read_to_string(&e.config_path).unwrap().replace(
        "allow_private_networks = true",
        "allow_private_networks = false",
    );
    std::fs::write(&e.config_path, text).unwrap();
    let report = run(&e, true).await;
    for (name, outcome) in &report.feeds {
        match outcome {
            FeedOutcome::Failed { reason } => {
                assert!(reason.contains("non-public"), "{name}: {reason}")
            }
            other => panic!("{name} should be refused, got {other:?}"),
        }
    }
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        0,
        "nothing reached the server"
    );
    assert_eq!(
        count(
            &e.db,
            "SELECT COUNT(*) FROM feeds WHERE error_kind = 'private_address'"
        ),
        2
    );

    // Allowed: the same feeds are fetched.
    let text = std::fs::read_to_string(&e.config_path).unwrap().replace(
        "allow_private_networks = false",
        "allow_private_networks = true",
    );
    std::fs::write(&e.config_path, text).unwrap();
    let report = run(&e, true).await;
    assert!(
        report
            .feeds
            .iter()
            .all(|(_, o)| matches!(o, FeedOutcome::Fetched { .. })),
        "{:?}",
        report.feeds
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_permanent_redirect_updates_the_stored_url_and_too_many_redirects_fail() {
    let server = MockServer::start().await;
    let base = server.uri();
    serve(
        &server,
        "/old.xml",
        ResponseTemplate::new(301).insert_header("location", "/new.xml"),
    )
    .await;
    serve(
        &server,
        "/new.xml",
        body(fixture("tech.xml", &base), "application/atom+xml"),
    )
    .await;
    serve(
        &server,
        "/temp.xml",
        ResponseTemplate::new(302).insert_header("location", "/new.xml"),
    )
    .await;
    serve(
        &server,
        "/loop.xml",
        ResponseTemplate::new(302).insert_header("location", "/loop.xml"),
    )
    .await;
    mount_pages(&server).await;
    let e = env(
        "",
        &[
            ("Moved", format!("{base}/old.xml")),
            ("Temp", format!("{base}/temp.xml")),
            ("Loop", format!("{base}/loop.xml")),
        ],
    );
    run(&e, true).await;
    let store = Store::open(&e.db).unwrap();
    let states = store.feed_states().unwrap();
    let st = |n: &str| states.iter().find(|s| s.name == n).unwrap().clone();
    assert_eq!(st("Moved").url, format!("{base}/new.xml"));
    assert_eq!(
        st("Temp").url,
        format!("{base}/temp.xml"),
        "a temporary redirect keeps the URL"
    );
    assert_eq!(st("Loop").error_kind.as_deref(), Some("redirects"));
    let loop_hits = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/loop.xml")
        .count();
    assert_eq!(loop_hits, 6, "the first request and at most 5 redirects");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_page_falls_back_to_the_feed_excerpt() {
    let server = MockServer::start().await;
    let base = server.uri();
    serve(
        &server,
        "/world.xml",
        body(fixture("world.xml", &base), "application/rss+xml"),
    )
    .await;
    serve(
        &server,
        "/world/harbour-reopens",
        ResponseTemplate::new(503),
    )
    .await;
    serve(
        &server,
        "/world/budget-passes",
        body(article("Budget passes"), "text/html"),
    )
    .await;
    let e = env("", &[("World", format!("{base}/world.xml"))]);
    let report = run(&e, true).await;
    assert_eq!(report.processed, 2);
    assert_eq!(
        count(
            &e.db,
            "SELECT COUNT(*) FROM articles WHERE basis = 'feed_excerpt'"
        ),
        1
    );
    assert_eq!(
        count(
            &e.db,
            "SELECT COUNT(*) FROM articles WHERE basis = 'full_text'"
        ),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_with_less_text_than_the_feed_yields_to_the_feed_text() {
    let server = MockServer::start().await;
    let base = server.uri();
    // The feed carries the whole article (content:encoded); the page is a teaser.
    let para = "The regional council voted on Thursday to extend the tram line to the \
                northern districts, a project that has been debated for more than a decade. ";
    let content = format!("<p>{}</p>", para.repeat(12));
    let feed = format!(
        r#"<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Full</title><link>{base}/</link><description>d</description>
<item><title>Tram line extended</title><link>{base}/tram</link><guid>tram-1</guid>
<description>Council extends the tram line.</description>
<content:encoded><![CDATA[{content}]]></content:encoded></item></channel></rss>"#
    );
    serve(&server, "/full.xml", body(feed, "application/rss+xml")).await;
    serve(
        &server,
        "/tram",
        body(
            "<html><body><article><p>Subscribe to read the rest of this story about the tram.</p></article></body></html>",
            "text/html",
        ),
    )
    .await;
    let e = env("", &[("Full", format!("{base}/full.xml"))]);
    let report = run(&e, true).await;
    assert_eq!(report.processed, 1);
    let c = rusqlite::Connection::open(&e.db).unwrap();
    let (basis, record): (String, String) = c
        .query_row("SELECT basis, record FROM articles", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(
        basis, "full_text",
        "the feed's full content is the full text"
    );
    let v: serde_json::Value = serde_json::from_str(&record).unwrap();
    assert_eq!(v["extraction"]["method"], "feed");
    assert!(
        v["extraction"]["note"]
            .as_str()
            .unwrap()
            .contains("using the feed's text"),
        "{v}"
    );
    let words: i64 = v["extraction"]["word_count"].as_i64().unwrap();
    assert!(words > 150, "{words}");
}

/// Requests the server received for this path.
async fn hits(server: &MockServer, p: &str) -> usize {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.url.path() == p)
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_that_failed_with_503_is_retried_and_its_full_text_replaces_the_excerpt() {
    let server = MockServer::start().await;
    let base = server.uri();
    serve(
        &server,
        "/world.xml",
        body(fixture("world.xml", &base), "application/rss+xml"),
    )
    .await;
    // The first request for the page gets a 503, later ones the article.
    Mock::given(method("GET"))
        .and(path("/world/harbour-reopens"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    serve(
        &server,
        "/world/harbour-reopens",
        body(article("Harbour reopens"), "text/html"),
    )
    .await;
    // A 404 is not going to change: it is not retried.
    serve(&server, "/world/budget-passes", ResponseTemplate::new(404)).await;
    let e = env("", &[("World", format!("{base}/world.xml"))]);
    let basis = |key: &str| -> String {
        let c = rusqlite::Connection::open(&e.db).unwrap();
        c.query_row(
            "SELECT a.basis FROM articles a JOIN items i ON i.id = a.item_id WHERE i.key LIKE ?1",
            [format!("%{key}%")],
            |r| r.get(0),
        )
        .unwrap()
    };

    let report = run(&e, true).await;
    assert_eq!(report.processed, 2);
    assert_eq!(basis("1001"), "feed_excerpt");
    assert_eq!(basis("1002"), "feed_excerpt");
    assert_eq!(
        count(
            &e.db,
            "SELECT COUNT(*) FROM items WHERE page_retry_at IS NOT NULL AND page_attempts = 1"
        ),
        1,
        "only the 503 is scheduled again"
    );

    // `--all` ignores the retry's 15-minute wait, as it ignores feed schedules.
    let report = run(&e, true).await;
    assert_eq!(report.pages_recovered, 1, "{}", report.summary_line());
    assert_eq!(basis("1001"), "full_text");
    assert_eq!(basis("1002"), "feed_excerpt");
    assert_eq!(
        count(
            &e.db,
            "SELECT COUNT(*) FROM items WHERE page_retry_at IS NOT NULL"
        ),
        0
    );
    // The summary, disclosure and search row now come from the full text.
    let c = rusqlite::Connection::open(&e.db).unwrap();
    let (disclosed, record): (String, String) = c
        .query_row(
            "SELECT d.basis, a.record FROM disclosures d JOIN articles a USING (item_id)
             JOIN items i ON i.id = d.item_id WHERE i.key LIKE '%1001%'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(disclosed, "full_text");
    assert!(!record.contains("page not retrieved"), "{record}");
    let body_words: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM search WHERE search MATCH 'body:harbour' AND rowid =
             (SELECT id FROM items WHERE key LIKE '%1001%')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(body_words, 1);
    assert_eq!(count(&e.db, "SELECT COUNT(*) FROM search"), 2);
    // What a digest reads shows the better record.
    let store = Store::open(&e.db).unwrap();
    let mut entries = Vec::new();
    store
        .entries(&feedbrief::store::EntryQuery::default(), |d| {
            entries.push(d);
            Ok(())
        })
        .unwrap();
    let harbour = entries
        .iter()
        .find(|d| d.item.key.contains("1001"))
        .unwrap();
    let disclosure = harbour.disclosure.as_ref().unwrap();
    assert_eq!(
        disclosure.machine_summary.input_basis,
        feedbrief::model::Basis::FullText
    );
    let art = harbour.article.as_ref().unwrap();
    assert!(art.extraction.word_count > 100, "{:?}", art.extraction);

    // A third run fetches neither page again.
    run(&e, true).await;
    assert_eq!(hits(&server, "/world/harbour-reopens").await, 2);
    assert_eq!(hits(&server, "/world/budget-passes").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_retry_waits_for_its_backoff_and_gives_up_after_a_few_tries() {
    let server = MockServer::start().await;
    let base = server.uri();
    serve(
        &server,
        "/world.xml",
        body(fixture("world.xml", &base), "application/rss+xml"),
    )
    .await;
    serve(
        &server,
        "/world/harbour-reopens",
        ResponseTemplate::new(502),
    )
    .await;
    serve(
        &server,
        "/world/budget-passes",
        body(article("Budget passes"), "text/html"),
    )
    .await;
    let e = env("", &[("World", format!("{base}/world.xml"))]);
    let only = |all| RunOptions {
        all,
        feed: Some("World".into()),
    };
    let cfg = Config::load(&e.config_path).unwrap();
    let store = Arc::new(Store::open(&e.db).unwrap());
    let p = Pipeline::new(cfg, store).unwrap();
    p.run_once(&only(false), &NoProgress).await.unwrap();
    // A plain pass (the feed due again, but the page's 15 minutes not up) leaves it.
    rusqlite::Connection::open(&e.db)
        .unwrap()
        .execute("UPDATE feeds SET next_check_at = 0", [])
        .unwrap();
    run(&e, false).await;
    assert_eq!(hits(&server, "/world/harbour-reopens").await, 1);
    // Forced passes retry it until the tries are used up (1 + 3), then never again.
    for _ in 0..5 {
        p.run_once(&only(true), &NoProgress).await.unwrap();
    }
    assert_eq!(hits(&server, "/world/harbour-reopens").await, 4);
    assert_eq!(
        count(
            &e.db,
            "SELECT page_attempts FROM items WHERE key LIKE '%1001%' AND page_retry_at IS NULL"
        ),
        4
    );
    assert_eq!(
        count(
            &e.db,
            "SELECT COUNT(*) FROM articles WHERE basis = 'feed_excerpt'"
        ),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feed_that_answers_410_gone_is_no_longer_polled_until_named() {
    let server = MockServer::start().await;
    let base = server.uri();
    Mock::given(method("GET"))
        .and(path("/gone.xml"))
        .respond_with(ResponseTemplate::new(410))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    serve(
        &server,
        "/gone.xml",
        body(fixture("world.xml", &base), "application/rss+xml"),
    )
    .await;
    mount_pages(&server).await;
    let e = env("", &[("Old", format!("{base}/gone.xml"))]);
    let report = run(&e, true).await;
    assert!(matches!(report.feeds[0].1, FeedOutcome::Failed { .. }));
    let state = |db: &Path| -> (String, Option<i64>) {
        rusqlite::Connection::open(db)
            .unwrap()
            .query_row("SELECT status, gone_since FROM feeds", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap()
    };
    let (status, since) = state(&e.db);
    assert_eq!(status, "gone");
    assert!(since.is_some());
    // Neither a plain pass nor `--all` polls it again; the report says it is gone.
    rusqlite::Connection::open(&e.db)
        .unwrap()
        .execute("UPDATE feeds SET next_check_at = 0", [])
        .unwrap();
    let report = run(&e, false).await;
    assert!(report.feeds.is_empty());
    assert_eq!(report.gone, ["Old"]);
    run(&e, true).await;
    assert_eq!(hits(&server, "/gone.xml").await, 1);

    // Naming it checks it: still gone (the 'since' stays), then back (polled again).
    let cfg = Config::load(&e.config_path).unwrap();
    let p = Pipeline::new(cfg, Arc::new(Store::open(&e.db).unwrap())).unwrap();
    let named = RunOptions {
        all: false,
        feed: Some("Old".into()),
    };
    p.run_once(&named, &NoProgress).await.unwrap();
    assert_eq!(state(&e.db), (status.clone(), since));
    let report = p.run_once(&named, &NoProgress).await.unwrap();
    assert!(
        matches!(report.feeds[0].1, FeedOutcome::Fetched { new_items: 2 }),
        "{report:?}"
    );
    assert_eq!(state(&e.db), ("ok".to_string(), None));
    assert_eq!(hits(&server, "/gone.xml").await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_truncated_feed_stores_no_partial_item_and_the_full_feed_completes_it() {
    // Issue 11: the first answer is cut off inside the second item's title (so that item
    // would have had an identity of its own); the next run gets the whole feed.
    let server = MockServer::start().await;
    let base = server.uri();
    let full = fixture("world.xml", &base);
    let cut = full
        .find("passes budget")
        .expect("world.xml has the second item");
    Mock::given(method("GET"))
        .and(path("/world.xml"))
        .respond_with(body(full[..cut].to_string(), "application/rss+xml"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    serve(&server, "/world.xml", body(full, "application/rss+xml")).await;
    mount_pages(&server).await;
    let e = env("", &[("World", format!("{base}/world.xml"))]);
    assert_eq!(run(&e, true).await.new_items(), 1);
    assert_eq!(run(&e, true).await.new_items(), 1);
    assert_eq!(count(&e.db, "SELECT COUNT(*) FROM items"), 2);
    assert_eq!(
        count(
            &e.db,
            "SELECT COUNT(*) FROM items WHERE title LIKE 'Parliament passes budget%'"
        ),
        1
    );
}
