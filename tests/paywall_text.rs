//! Issue 12: subscription and login walls written in the page text itself. The teaser
//! pages in `tests/fixtures/extract/teasers/` go through the real extractor, the
//! page-or-feed choice and the disclosure stage; and a whole run against a loopback
//! server shows the feed's longer text used and the record saying paywalled / partial.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use feedbrief::config::Config;
use feedbrief::pipeline::{NoProgress, Pipeline, RunOptions};
use feedbrief::store::Store;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common;

fn teaser_dir() -> PathBuf {
    common::fixtures().join("extract/teasers")
}

/// Serve these (path, body, content type) on the server.
async fn serve_all(server: &MockServer, pages: Vec<(String, Vec<u8>, &str)>) {
    for (p, body, ct) in pages {
        Mock::given(method("GET"))
            .and(path(p))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, ct))
            .mount(server)
            .await;
    }
}

/// One pipeline run over the feed at `{base}/feed.xml`, its database in `dir`.
async fn run_feed(dir: &Path, base: &str) -> usize {
    let config_path = dir.join("feeds.toml");
    std::fs::write(
        &config_path,
        format!(
            "[settings]\ndatabase = \"test.db\"\nallow_private_networks = true\nmin_host_interval = \"0s\"\ntimeout = \"5s\"\n\n[[feed]]\nname = \"Gazette\"\nurl = \"{base}/feed.xml\"\n"
        ),
    )
    .expect("feeds.toml");
    let cfg = Config::load(&config_path).expect("config");
    let store = Arc::new(Store::open(&dir.join("test.db")).expect("store"));
    let report = Pipeline::new(cfg, store)
        .expect("pipeline")
        .run_once(
            &RunOptions {
                all: true,
                feed: None,
            },
            &NoProgress,
        )
        .await
        .expect("run");
    report.processed
}

/// What the store holds for the item with this key: disclosure basis, paywalled,
/// disclosure record, article record, article text.
fn stored(dir: &Path, key: &str) -> (String, i64, String, String, String) {
    let c = rusqlite::Connection::open(dir.join("test.db")).expect("db");
    c.query_row(
        "SELECT d.basis, d.paywalled, d.record, a.record, a.text FROM disclosures d
         JOIN articles a USING (item_id) JOIN items i ON i.id = d.item_id
         WHERE i.key = ?1",
        [key],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )
    .expect("a record")
}

/// The visible lines of a stored disclosure record.
fn lines(disclosure: &str) -> Vec<String> {
    let d: serde_json::Value = serde_json::from_str(disclosure).expect("disclosure json");
    d["lines"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|l| l.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The wall's own words, per fixture: they must leave the text.
const TEASERS: [(&str, &str); 6] = [
    ("en_subscribers_only.html", "subscribers only"),
    ("en_login_wall.html", "Already a member"),
    ("de_abonnenten.html", "nur für Abonnenten"),
    ("fr_abonnes.html", "réservée aux abonnés"),
    ("es_suscriptores.html", "exclusivo para suscriptores"),
    ("zh_huiyuan.html", "会员专享"),
];

const MENTIONS: &str = "en_mentions_subscribers.html";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn teaser_pages_are_partial_and_paywalled_and_a_mention_is_no_wall() {
    // Every teaser fixture is listed (and so checked).
    let mut on_disk: Vec<String> = std::fs::read_dir(teaser_dir())
        .expect("teasers dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".html") && n != MENTIONS)
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = TEASERS.iter().map(|(n, _)| n.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed);

    let server = MockServer::start().await;
    let base = server.uri();
    let names: Vec<&str> = TEASERS.iter().map(|(n, _)| *n).chain([MENTIONS]).collect();
    // A short feed excerpt per page: each page's own text is longer and is used.
    let items: String = names
        .iter()
        .map(|n| {
            format!(
                "<item><title>{n}</title><link>{base}/{n}</link><guid>{n}</guid><description>Short.</description></item>"
            )
        })
        .collect();
    let feed = format!(
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Gazette</title><link>{base}/</link><description>d</description>{items}</channel></rss>"#
    );
    let mut pages = vec![(
        "/feed.xml".to_string(),
        feed.into_bytes(),
        "application/rss+xml",
    )];
    for n in &names {
        let body = std::fs::read(teaser_dir().join(n)).expect("teaser page");
        pages.push((format!("/{n}"), body, "text/html; charset=utf-8"));
    }
    serve_all(&server, pages).await;
    let dir = tempfile::tempdir().expect("temp dir");
    assert_eq!(run_feed(dir.path(), &base).await, names.len());

    for (name, wall) in TEASERS {
        let (basis, paywalled, disclosure, article, text) = stored(dir.path(), name);
        let article: serde_json::Value = serde_json::from_str(&article).expect("article json");
        assert_ne!(article["extraction"]["method"], "feed", "{name}: {article}");
        assert_eq!(basis, "partial", "{name}");
        assert_eq!(paywalled, 1, "{name}");
        assert!(!text.contains(wall), "{name}: {text}");
        assert!(!text.trim().is_empty(), "{name}");
        let note = article["extraction"]["note"].as_str().unwrap_or("");
        assert!(note.contains(wall), "{name}: note {note:?}");
        assert!(
            lines(&disclosure).iter().any(|l| l.contains("paywall")),
            "{name}: {disclosure}"
        );
    }

    let (basis, paywalled, disclosure, _, text) = stored(dir.path(), MENTIONS);
    assert_eq!(basis, "full_text");
    assert_eq!(paywalled, 0);
    assert!(text.contains("three million subscribers"), "{text}");
    assert!(
        !lines(&disclosure).iter().any(|l| l.contains("paywall")),
        "{disclosure}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_uses_the_feeds_longer_text_behind_a_wall_and_says_so() {
    let server = MockServer::start().await;
    let base = server.uri();
    let para = "The town council approved the harbour redevelopment plan on Tuesday, \
                after a four-hour meeting in which residents spoke for and against it. ";
    // Item 1: the feed carries the whole article. Item 2: an excerpt, longer than what
    // the teaser page shows.
    let full = format!("<p>{}</p>", para.repeat(12));
    let excerpt = para.repeat(3);
    let feed = format!(
        r#"<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Gazette</title><link>{base}/</link><description>d</description>
<item><title>Harbour plan approved</title><link>{base}/harbour</link><guid>harbour-1</guid>
<description>Council approves the harbour plan.</description>
<content:encoded><![CDATA[{full}]]></content:encoded></item>
<item><title>Ferry timetable changes</title><link>{base}/ferry</link><guid>ferry-2</guid>
<description>{excerpt}</description></item></channel></rss>"#
    );
    let teaser = |name: &str| std::fs::read(teaser_dir().join(name)).expect("teaser");
    serve_all(
        &server,
        vec![
            ("/feed.xml".into(), feed.into_bytes(), "application/rss+xml"),
            (
                "/harbour".into(),
                teaser("en_subscribers_only.html"),
                "text/html",
            ),
            ("/ferry".into(), teaser("en_login_wall.html"), "text/html"),
        ],
    )
    .await;
    let dir = tempfile::tempdir().expect("temp dir");
    assert_eq!(run_feed(dir.path(), &base).await, 2);
    let row = |key: &str| stored(dir.path(), key);

    let (basis, paywalled, disclosure, article, text) = row("harbour-1");
    let article: serde_json::Value = serde_json::from_str(&article).expect("article json");
    assert_eq!(article["extraction"]["method"], "feed", "{article}");
    assert!(text.contains("four-hour meeting"));
    assert!(!text.contains("subscribers only"));
    let note = article["extraction"]["note"].as_str().unwrap_or("");
    assert!(
        note.contains("This article is for subscribers only."),
        "{note}"
    );
    assert!(note.contains("using the feed's text"), "{note}");
    // The feed's full content is the full text; the source is paywalled.
    assert_eq!(basis, "full_text");
    assert_eq!(paywalled, 1);
    assert!(
        lines(&disclosure).iter().any(|l| l.contains("paywall")),
        "{disclosure}"
    );

    let (basis, paywalled, disclosure, article, _) = row("ferry-2");
    let article: serde_json::Value = serde_json::from_str(&article).expect("article json");
    assert_eq!(article["extraction"]["method"], "feed", "{article}");
    assert_eq!(basis, "partial");
    assert_eq!(paywalled, 1);
    let d: serde_json::Value = serde_json::from_str(&disclosure).expect("disclosure json");
    let lines: Vec<&str> = d["lines"]
        .as_array()
        .map(|a| a.iter().filter_map(|l| l.as_str()).collect())
        .unwrap_or_default();
    assert!(
        lines.iter().any(|l| l.contains("part of the article")),
        "{lines:?}"
    );
    assert!(lines.iter().any(|l| l.contains("paywall")), "{lines:?}");
}
