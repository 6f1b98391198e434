//! The binary's contract: exit codes, messages that name file and line, the run lock,
//! and OPML import/export round trips. Runs the real `feedbrief` executable.

use std::path::Path;
use std::process::{Command, Output};

fn feedbrief(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_feedbrief"))
        .current_dir(dir)
        .args(args)
        .env_remove("FEEDBRIEF_CONFIG")
        .env_remove("FEEDBRIEF_DB")
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

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

    let out = feedbrief(dir.path(), &["--config", "missing.toml", "run"]);
    assert_ne!(out.status.code(), Some(0));
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
