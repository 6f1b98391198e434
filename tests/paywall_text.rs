//! Issue 12: subscription and login walls written in the page text itself. The teaser
//! pages in `tests/fixtures/extract/teasers/` go through the real extractor, the
//! page-or-feed choice and the disclosure stage; and a whole run against a loopback
//! server shows the feed's longer text used and the record saying paywalled / partial.

use std::path::PathBuf;
use std::sync::Arc;

use feedbrief::config::Config;
use feedbrief::disclose;
use feedbrief::extract::choose::{self, Page};
use feedbrief::extract::{self, ExtractOptions, SiteRules};
use feedbrief::model::{Article, Basis, Item};
use feedbrief::pipeline::{NoProgress, Pipeline, RunOptions};
use feedbrief::store::Store;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common;

fn teaser_dir() -> PathBuf {
    common::fixtures().join("extract/teasers")
}

fn read_page(name: &str) -> Article {
    let html = std::fs::read(teaser_dir().join(name)).expect("teaser page");
    let url = url::Url::parse("https://news.example.org/2024/harbour").expect("url");
    let rules = SiteRules::default();
    let opts = ExtractOptions {
        selector: None,
        rules: &rules,
        content_type: Some("text/html; charset=utf-8"),
    };
    extract::article(&html, &url, &opts).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn item(summary: &str) -> Item {
    Item {
        key: "k".into(),
        title: Some("Harbour plan".into()),
        link: Some("https://news.example.org/2024/harbour".into()),
        summary: Some(summary.into()),
        ..Item::default()
    }
}

fn summary() -> feedbrief::model::Summary {
    common::overlay(&serde_json::json!({
        "sentences": ["A summary."], "input_hash": "sha256:00", "generated_at": "2026-12-04T12:00:00Z"
    }))
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

#[test]
fn teaser_pages_are_partial_and_paywalled() {
    // Every teaser fixture is listed (and so checked).
    let mut on_disk: Vec<String> = std::fs::read_dir(teaser_dir())
        .expect("teasers dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".html") && !n.contains("mentions"))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = TEASERS.iter().map(|(n, _)| n.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed);

    for (name, wall) in TEASERS {
        let page = read_page(name);
        assert!(page.text.contains(wall), "{name}: extractor lost the wall");
        // A feed excerpt shorter than the teaser: the page's text is used.
        let it = item("Harbour plan approved.");
        let a = choose::article(&it, Page::Extracted(Box::new(page)));
        assert_eq!(a.extraction.basis, Basis::Partial, "{name}");
        assert_ne!(a.extraction.method, "feed", "{name}");
        assert!(!a.text.contains(wall), "{name}: {}", a.text);
        assert!(!a.text.is_empty(), "{name}");
        let note = a.extraction.note.clone().unwrap_or_default();
        assert!(note.contains(wall), "{name}: note {note:?}");
        let d = disclose::label(&a, &summary(), &it, "https://news.example.org/feed.xml");
        assert!(d.paywalled, "{name}");
        assert_eq!(d.machine_summary.input_basis, Basis::Partial, "{name}");
        assert!(
            d.lines.iter().any(|l| l.contains("paywall")),
            "{name}: {:?}",
            d.lines
        );
    }
}

#[test]
fn a_page_that_mentions_subscribers_is_no_wall() {
    let page = read_page("en_mentions_subscribers.html");
    assert!(page.text.contains("three million subscribers"));
    let text = page.text.clone();
    let it = item("Streaming service grows.");
    let a = choose::article(&it, Page::Extracted(Box::new(page)));
    assert_eq!(a.extraction.basis, Basis::FullText);
    assert_eq!(a.text, text);
    let d = disclose::label(&a, &summary(), &it, "https://news.example.org/feed.xml");
    assert!(!d.paywalled);
    assert!(
        !d.lines.iter().any(|l| l.contains("paywall")),
        "{:?}",
        d.lines
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
    for (p, body, ct) in [
        ("/feed.xml", feed.into_bytes(), "application/rss+xml"),
        ("/harbour", teaser("en_subscribers_only.html"), "text/html"),
        ("/ferry", teaser("en_login_wall.html"), "text/html"),
    ] {
        Mock::given(method("GET"))
            .and(path(p))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, ct))
            .mount(&server)
            .await;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let config_path = dir.path().join("feeds.toml");
    std::fs::write(
        &config_path,
        format!(
            "[settings]\ndatabase = \"test.db\"\nallow_private_networks = true\nmin_host_interval = \"0s\"\ntimeout = \"5s\"\n\n[[feed]]\nname = \"Gazette\"\nurl = \"{base}/feed.xml\"\n"
        ),
    )
    .expect("feeds.toml");
    let db = dir.path().join("test.db");
    let cfg = Config::load(&config_path).expect("config");
    let store = Arc::new(Store::open(&db).expect("store"));
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
    assert_eq!(report.processed, 2);

    let c = rusqlite::Connection::open(&db).expect("db");
    let row = |key: &str| -> (String, i64, String, String, String) {
        c.query_row(
            "SELECT d.basis, d.paywalled, d.record, a.record, a.text FROM disclosures d
             JOIN articles a USING (item_id) JOIN items i ON i.id = d.item_id
             WHERE i.key = ?1",
            [key],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .expect("a record")
    };

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
    assert!(disclosure.contains("paywall"), "{disclosure}");

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
