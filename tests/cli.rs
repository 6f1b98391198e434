//! The binary's contract: exit codes, messages that name file and line, the run lock,
//! and OPML import/export round trips. Runs the real `feedbrief` executable.

use crate::common::{feedbrief, stderr};
use std::path::Path;
use std::process::{Command, Output};

#[test]
fn config_errors_name_file_line_and_key_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("feeds.toml"),
        "[settings]\ndatabase = \"x.db\"\n\n[[feed]]\nname = \"A\"\nurl = \"https://a.example/f\"\nintervall = \"1h\"\n",
    )
    .unwrap();
    let out = feedbrief(dir.path(), &["run"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("feeds.toml:7"), "{err}");
    assert!(err.contains("intervall"), "{err}");

    std::fs::write(
        dir.path().join("feeds.toml"),
        "[[feed]]\nname = \"A\"\nurl = \"not a url\"\n",
    )
    .unwrap();
    let out = feedbrief(dir.path(), &["run"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("feeds.toml:3"), "{}", stderr(&out));
    assert!(stderr(&out).contains("url"), "{}", stderr(&out));

    // A folder the config names must exist.
    std::fs::write(
        dir.path().join("feeds.toml"),
        "[settings]\ndatabase = \"x.db\"\n[extract]\nrules_dir = \"no-such-rules\"\n",
    )
    .unwrap();
    let out = feedbrief(dir.path(), &["run"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("feeds.toml:4: key `rules_dir`"),
        "{}",
        stderr(&out)
    );

    let out = feedbrief(dir.path(), &["--config", "missing.toml", "run"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.toml"), "{}", stderr(&out));
}

#[test]
fn a_second_run_while_one_holds_the_database_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("feeds.toml"),
        "[settings]\ndatabase = \"f.db\"\n",
    )
    .unwrap();
    let held = feedbrief::store::RunLock::acquire(&dir.path().join("f.db")).unwrap();
    let out = feedbrief(dir.path(), &["run", "--quiet"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("another feedbrief run"),
        "{}",
        stderr(&out)
    );
    drop(held);
    let out = feedbrief(dir.path(), &["run", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn an_unusable_database_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("feeds.toml"),
        "[settings]\ndatabase = \"f.db\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("f.db"),
        b"this is not a sqlite database, just text",
    )
    .unwrap();
    let out = feedbrief(dir.path(), &["run", "--quiet"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("f.db"), "{}", stderr(&out));
}

#[test]
fn opml_import_then_export_round_trips_and_keeps_comments() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("feeds.toml"),
        "# my feeds\n[settings]\ndatabase = \"f.db\"\n\n[[feed]]\nname = \"Existing\" # keep me\nurl = \"https://existing.example/rss\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("subs.opml"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Subscriptions</title></head>
  <body>
    <outline text="World" title="World">
      <outline type="rss" text="Example &amp; World" xmlUrl="https://world.example/feed.xml" htmlUrl="https://world.example/"/>
      <outline type="rss" text="Existing again" xmlUrl="https://existing.example/rss"/>
    </outline>
    <outline type="rss" text="Tech Daily" xmlUrl="https://tech.example/atom.xml"/>
  </body>
</opml>"#,
    )
    .unwrap();
    let out = feedbrief(dir.path(), &["feeds", "import", "subs.opml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("imported 2 of 3"), "{}", stderr(&out));
    let toml = std::fs::read_to_string(dir.path().join("feeds.toml")).unwrap();
    assert!(
        toml.contains("# my feeds") && toml.contains("# keep me"),
        "{toml}"
    );

    let out = feedbrief(dir.path(), &["feeds", "export"]);
    assert_eq!(out.status.code(), Some(0));
    let opml = String::from_utf8(out.stdout).unwrap();
    let (feeds, skipped) = feedbrief::opml::parse(opml.as_bytes()).unwrap();
    assert!(skipped.is_empty());
    let mut got: Vec<(String, String, Vec<String>)> = feeds
        .into_iter()
        .map(|f| (f.name, f.url.to_string(), f.tags))
        .collect();
    // Export groups feeds under their first tag, so compare without order.
    got.sort();
    assert_eq!(
        got,
        vec![
            (
                "Example & World".into(),
                "https://world.example/feed.xml".into(),
                vec!["World".into()]
            ),
            (
                "Existing".into(),
                "https://existing.example/rss".into(),
                vec![]
            ),
            (
                "Tech Daily".into(),
                "https://tech.example/atom.xml".into(),
                vec![]
            ),
        ]
    );

    // Re-importing the export adds nothing.
    std::fs::write(dir.path().join("again.opml"), &opml).unwrap();
    let out = feedbrief(dir.path(), &["feeds", "import", "again.opml"]);
    assert!(stderr(&out).contains("imported 0 of 3"), "{}", stderr(&out));

    // list --format json shows each feed's state.
    let out = feedbrief(dir.path(), &["feeds", "list", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 3);
    assert_eq!(arr[0]["status"], "new");
    assert_eq!(arr[0]["error_count"], 0);

    // remove drops it from the file.
    let out = feedbrief(dir.path(), &["feeds", "remove", "tech daily"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let toml = std::fs::read_to_string(dir.path().join("feeds.toml")).unwrap();
    assert!(!toml.contains("Tech Daily"));
    assert!(toml.contains("# keep me"));
    let out = feedbrief(dir.path(), &["feeds", "remove", "nope"]);
    assert_eq!(out.status.code(), Some(2));
}

const TINY_RSS: &str = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Tiny News</title><link>https://tiny.example/</link><description>d</description>
<item><title>One</title><guid>tiny-1</guid><description>The first story has a body long enough to summarize. It has two sentences.</description></item>
</channel></rss>"#;

#[test]
fn feeds_add_discovers_the_feed_behind_a_web_page_and_uses_its_title() {
    use wiremock::matchers::path;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(async {
        let s = MockServer::start().await;
        Mock::given(path("/"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(
                "<html><head><link rel=\"alternate\" type=\"application/rss+xml\" href=\"/feed.xml\"></head><body>hi</body></html>",
                "text/html",
            ))
            .mount(&s)
            .await;
        Mock::given(path("/feed.xml"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(TINY_RSS, "application/rss+xml"))
            .mount(&s)
            .await;
        s
    });
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("feeds.toml"),
        "[settings]\ndatabase = \"f.db\"\nallow_private_networks = true\n",
    )
    .unwrap();
    let page = format!("{}/", server.uri());
    let out = feedbrief(dir.path(), &["feeds", "add", &page, "--tag", "misc"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let cfg = feedbrief::config::Config::load(&dir.path().join("feeds.toml")).unwrap();
    assert_eq!(cfg.feeds.len(), 1);
    assert_eq!(cfg.feeds[0].name, "Tiny News");
    assert_eq!(
        cfg.feeds[0].url.as_str(),
        format!("{}/feed.xml", server.uri())
    );
    assert_eq!(cfg.feeds[0].tags, vec!["misc".to_string()]);
    // Adding it again is refused with exit 2.
    let out = feedbrief(
        dir.path(),
        &["feeds", "add", &format!("{}/feed.xml", server.uri())],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[cfg(unix)]
#[test]
fn watch_refreshes_feeds_and_stops_cleanly_on_sigterm() {
    use wiremock::matchers::path;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(async {
        let s = MockServer::start().await;
        Mock::given(path("/feed.xml"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(TINY_RSS, "application/rss+xml"))
            .mount(&s)
            .await;
        s
    });
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("feeds.toml"),
        format!(
            "[settings]\ndatabase = \"f.db\"\nallow_private_networks = true\n\n[[feed]]\nname = \"Tiny\"\nurl = \"{}/feed.xml\"\nfull_text = false\n",
            server.uri()
        ),
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_feedbrief"))
        .current_dir(dir.path())
        .args(["watch", "--quiet"])
        .spawn()
        .unwrap();
    let db = dir.path().join("f.db");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let stored = loop {
        let n = rusqlite::Connection::open(&db)
            .and_then(|c| c.query_row("SELECT COUNT(*) FROM summaries", [], |r| r.get::<_, i64>(0)))
            .unwrap_or(0);
        if n > 0 || std::time::Instant::now() > deadline {
            break n;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert_eq!(stored, 1, "watch stored and summarized the item");
    // While watch holds the database, a cron run is refused with exit 3.
    let out = feedbrief(dir.path(), &["run", "--quiet"]);
    assert_eq!(out.status.code(), Some(3));
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    // One fetch: the feed is not due again within its hour.
    let hits = rt.block_on(server.received_requests()).unwrap().len();
    assert_eq!(hits, 1);
}

/// A feeds.toml with a good feed and two failing ones (a 503 and a 404) on `base`.
fn failing_feeds_config(dir: &Path, base: &str) {
    std::fs::write(
        dir.join("feeds.toml"),
        format!(
            "[settings]\ndatabase = \"f.db\"\nallow_private_networks = true\nmin_host_interval = \"0s\"\n\n\
             [[feed]]\nname = \"Good\"\nurl = \"{base}/feed.xml\"\nfull_text = false\n\n\
             [[feed]]\nname = \"Down\"\nurl = \"{base}/down.xml\"\n\n\
             [[feed]]\nname = \"Missing\"\nurl = \"{base}/missing.xml\"\n"
        ),
    )
    .unwrap();
}

fn failing_feeds_server(rt: &tokio::runtime::Runtime) -> wiremock::MockServer {
    use wiremock::matchers::path;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    rt.block_on(async {
        let s = MockServer::start().await;
        Mock::given(path("/feed.xml"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(TINY_RSS, "application/rss+xml"))
            .mount(&s)
            .await;
        Mock::given(path("/down.xml"))
            .respond_with(ResponseTemplate::new(503))
            .mount(&s)
            .await;
        Mock::given(path("/missing.xml"))
            .respond_with(ResponseTemplate::new(404))
            .mount(&s)
            .await;
        s
    })
}

fn run_captured(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_feedbrief"))
        .current_dir(dir)
        .args(args)
        .env_remove("FEEDBRIEF_CONFIG")
        .env_remove("FEEDBRIEF_DB")
        .env_remove("RUST_LOG")
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

#[test]
fn failing_feeds_print_one_plain_line_each_and_nothing_under_quiet() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = failing_feeds_server(&rt);
    let dir = tempfile::tempdir().unwrap();
    failing_feeds_config(dir.path(), &server.uri());

    // stderr is a pipe here, not a terminal: no colours, one line per failure.
    let out = run_captured(dir.path(), &["run", "--all"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        !out.stderr.contains(&0x1b),
        "ANSI escape in {:?}",
        stderr(&out)
    );
    let err = stderr(&out);
    for (name, url) in [("Down", "/down.xml"), ("Missing", "/missing.xml")] {
        let lines: Vec<&str> = err.lines().filter(|l| l.contains(name)).collect();
        assert_eq!(lines.len(), 1, "one line for {name}: {err}");
        assert!(
            lines[0].contains(&format!("{}{url}", server.uri())),
            "{err}"
        );
        assert!(lines[0].contains("HTTP"), "{err}");
    }
    assert!(!err.contains("WARN"), "{err}");
    assert_eq!(
        err.lines().count(),
        3,
        "two failures and the summary: {err}"
    );

    // Under --quiet (cron) nothing at all, and the run still succeeds.
    let out = run_captured(dir.path(), &["run", "--all", "--quiet"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stderr(&out), "");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_plain_run_while_feeds_back_off_says_so_and_names_run_all() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = failing_feeds_server(&rt);
    let dir = tempfile::tempdir().unwrap();
    failing_feeds_config(dir.path(), &server.uri());
    let out = run_captured(dir.path(), &["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The two failing feeds now back off; the good one is not due for an hour.
    let out = run_captured(dir.path(), &["run"]);
    let err = stderr(&out);
    assert!(err.contains("0 feeds"), "{err}");
    assert!(
        err.contains("2 feeds are backing off after errors (next check "),
        "{err}"
    );
    assert!(
        err.contains("`feedbrief run --all` checks them now"),
        "{err}"
    );
    // --all checks them; no hint then.
    let out = run_captured(dir.path(), &["run", "--all"]);
    let err = stderr(&out);
    assert!(err.contains("3 feeds"), "{err}");
    assert!(!err.contains("backing off"), "{err}");
    let out = run_captured(dir.path(), &["run", "--quiet"]);
    assert_eq!(stderr(&out), "");
}

#[test]
fn feeds_list_shows_a_410_feed_as_gone_with_the_reason_and_how_to_resume() {
    use wiremock::matchers::path;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(async {
        let s = MockServer::start().await;
        Mock::given(path("/old.xml"))
            .respond_with(ResponseTemplate::new(410))
            .mount(&s)
            .await;
        s
    });
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("feeds.toml"),
        format!(
            "[settings]\ndatabase = \"f.db\"\nallow_private_networks = true\n\n[[feed]]\nname = \"Old\"\nurl = \"{}/old.xml\"\n",
            server.uri()
        ),
    )
    .unwrap();
    let out = run_captured(dir.path(), &["run", "--all"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = run_captured(dir.path(), &["run", "--all"]);
    assert!(stderr(&out).contains("0 feeds"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("gone (HTTP 410): Old"),
        "{}",
        stderr(&out)
    );
    let out = run_captured(dir.path(), &["feeds", "list"]);
    let list = String::from_utf8_lossy(&out.stdout).into_owned();
    let row = list
        .lines()
        .find(|l| l.starts_with("Old"))
        .unwrap_or_default();
    assert!(row.contains("gone"), "{list}");
    assert!(row.contains("gone since 20"), "{list}");
    assert!(row.contains("HTTP 410"), "{list}");
    assert!(row.contains("run --feed \"Old\""), "{list}");
    let hits = rt.block_on(server.received_requests()).unwrap().len();
    assert_eq!(hits, 1, "the second run did not poll it");
}
