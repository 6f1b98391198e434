//! The command line under hostile or careless use (issue 11): a reader that closes the
//! pipe early, `--out` naming a device or a FIFO, typos in `--feed`/`--tag`, missing
//! input files, back-dated items, filters without search words, and digests that must
//! stream. Runs the real binary over a real SQLite store.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::common::{cmd, feedbrief, ok, stderr};
use chrono::{DateTime, Duration, Utc};
use feedbrief::config::{Config, FeedConfig};
use feedbrief::export::digest::{Period, StoreDigest};
use feedbrief::export::{self, Format};
use feedbrief::model::{Article, Basis, Extraction, Item, Summary};
use feedbrief::store::Store;

const FEEDS: [(&str, &str, &[&str]); 2] = [
    (
        "World Desk",
        "https://world.example/rss",
        &["world", "daily"],
    ),
    ("Tech Desk", "https://tech.example/atom", &["tech"]),
];

fn write_config(dir: &Path) {
    let mut toml = String::from(
        "[settings]\ndatabase = \"f.db\"\n\n[digest]\ntimezone = \"UTC\"\ngroup_by = \"tag\"\ntitle = \"Hostile\"\n",
    );
    for (name, url, tags) in FEEDS {
        let tags: Vec<String> = tags.iter().map(|t| format!("\"{t}\"")).collect();
        toml.push_str(&format!(
            "\n[[feed]]\nname = \"{name}\"\nurl = \"{url}\"\ntags = [{}]\n",
            tags.join(", ")
        ));
    }
    std::fs::write(dir.join("feeds.toml"), toml).unwrap();
}

/// `n` summarized items, alternating between the two feeds, first stored at
/// `first_seen` and published `age` before it (minus one minute per item, so the
/// order is known).
fn fill(dir: &Path, n: usize, first_seen: DateTime<Utc>, age: Duration) {
    write_config(dir);
    let store = Store::open(&dir.join("f.db")).unwrap();
    let cfgs: Vec<FeedConfig> = FEEDS
        .iter()
        .map(|(n, u, t)| {
            let mut f = FeedConfig::new(*n, url::Url::parse(u).unwrap());
            f.tags = t.iter().map(|t| t.to_string()).collect();
            f
        })
        .collect();
    store.sync_feeds(&cfgs).unwrap();
    let states = store.feed_states().unwrap();
    let state = |name: &str| states.iter().find(|s| s.name == name).unwrap();
    let body = "The harbour reopened after engineers rebuilt the sea wall. ".repeat(20);
    for i in 0..n {
        let feed = state(FEEDS[i % 2].0);
        let link = format!(
            "https://{}/story/{i}",
            if i % 2 == 0 {
                "world.example"
            } else {
                "tech.example"
            }
        );
        let item = Item {
            key: format!("k{i}"),
            guid: Some(format!("k{i}")),
            link: Some(link.clone()),
            title: Some(format!("Story {i}")),
            authors: vec![format!("Reporter {i}"), "Ann Example".into()],
            published: Some(first_seen - age - Duration::minutes(i as i64)),
            ..Item::default()
        };
        let ids = store
            .upsert_items(feed.id, std::slice::from_ref(&item), first_seen)
            .unwrap();
        let article = Article {
            url: link,
            title: item.title.clone(),
            text: body.clone(),
            language: Some("en".into()),
            extraction: Extraction {
                method: "scored".into(),
                word_count: 200,
                basis: Basis::FullText,
                note: None,
            },
            ..Article::default()
        };
        let summary = Summary {
            sentences: vec![format!("Story {i} says the harbour reopened.")],
            generated_at: first_seen,
            ..Summary::default()
        };
        let d = feedbrief::disclose::label(&article, &summary, &item, &feed.url);
        store.save_result(ids[0], &article, &summary, &d).unwrap();
    }
}

/// Read a little of the output, then close the pipe as `head -1` does.
fn read_then_close(dir: &Path, args: &[&str]) -> Output {
    let mut child = cmd(dir, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    let got = stdout.read(&mut first).unwrap();
    assert!(got > 0, "{args:?} wrote nothing");
    drop(stdout);
    child.wait_with_output().unwrap()
}

#[test]
fn closed_pipe_exits_0_quietly_for_export_digest_and_query() {
    let dir = tempfile::tempdir().unwrap();
    // ~2 MB of output in every format: far more than a pipe buffer holds, so the
    // writer is still writing when the reader goes away.
    fill(
        dir.path(),
        600,
        Utc::now() - Duration::hours(1),
        Duration::zero(),
    );
    let cases: &[&[&str]] = &[
        &["export", "--format", "jsonl"],
        &["export", "--format", "csv"],
        &["export", "--format", "atom"],
        &["digest", "--since", "1d", "--format", "markdown"],
        &["digest", "--since", "1d", "--format", "html"],
        &["digest", "--since", "1d", "--format", "json"],
        &["digest", "--since", "1d", "--format", "atom"],
        &["digest", "--since", "1d", "--format", "jsonfeed"],
        &["query", "harbour", "--limit", "600"],
        &["query", "--limit", "600", "--format", "json"],
    ];
    for args in cases {
        let out = read_then_close(dir.path(), args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).is_empty(), "{args:?}: {}", stderr(&out));
    }
}

/// The streamed digest (what the binary writes) is byte for byte the digest built in
/// memory and rendered by the same renderer, in every format.
#[test]
fn streamed_digest_is_the_same_bytes_as_the_digest_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let seen = Utc::now() - Duration::hours(2);
    fill(dir.path(), 40, seen, Duration::days(3));
    let cfg = Config::load(&dir.path().join("feeds.toml")).unwrap();
    let store = Store::open(&dir.path().join("f.db")).unwrap();
    let day = seen.date_naive();
    let date = day.format("%Y-%m-%d").to_string();
    let digest = export::digest::build(&store, &cfg, Period::Day(day), None, None).unwrap();
    assert_eq!(
        digest.groups.iter().map(|g| g.entries.len()).sum::<usize>(),
        40
    );
    for f in Format::ALL {
        let from_cli = feedbrief(
            dir.path(),
            &["digest", "--date", &date, "--format", f.as_str()],
        );
        let in_memory = export::render_to_vec(&digest, f).unwrap();
        assert!(
            from_cli.stdout == in_memory,
            "{f}: streamed and in-memory renderings differ\n{}",
            stderr(&from_cli)
        );
        // The store-backed source rendered in-process gives the same bytes too.
        let streamed = store
            .read_snapshot(|| {
                let s = StoreDigest::new(&store, &cfg, Period::Day(day), None, None)?;
                Ok(export::render_to_vec(&s, f).unwrap())
            })
            .unwrap();
        assert!(streamed == in_memory, "{f}: StoreDigest differs");
    }
}

#[cfg(unix)]
#[test]
fn out_over_a_device_or_fifo_writes_into_it_and_keeps_it() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    fill(
        dir.path(),
        3,
        Utc::now() - Duration::hours(1),
        Duration::zero(),
    );

    // A link to /dev/null: `--out` must write through it to the device. (Not
    // /dev/null itself: if this ever regressed, the test would replace the machine's
    // /dev/null when run as root.)
    let null = dir.path().join("null");
    std::os::unix::fs::symlink("/dev/null", &null).unwrap();
    for args in [
        &["digest", "--since", "1d", "--out", "null"][..],
        &["feeds", "export", "--out", "null"][..],
        &["export", "--out", "null"][..],
    ] {
        ok(&feedbrief(dir.path(), args));
        let link = std::fs::symlink_metadata(&null).unwrap();
        assert!(link.file_type().is_symlink(), "{args:?} replaced the link");
        assert!(
            std::fs::metadata(&null)
                .unwrap()
                .file_type()
                .is_char_device()
        );
    }

    let fifo = dir.path().join("fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    for (args, want) in [
        (
            &["digest", "--since", "1d", "--out", "fifo"][..],
            "# Hostile",
        ),
        (&["feeds", "export", "--out", "fifo"][..], "<opml"),
    ] {
        let path = fifo.clone();
        // Opening a FIFO for reading waits for the writer.
        let reader = std::thread::spawn(move || std::fs::read_to_string(path).unwrap());
        ok(&feedbrief(dir.path(), args));
        let text = reader.join().unwrap();
        assert!(text.contains(want), "{args:?}: {text}");
        let m = std::fs::symlink_metadata(&fifo).unwrap();
        assert!(m.file_type().is_fifo(), "{args:?} replaced the FIFO");
    }
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp"))
        .collect();
    assert!(names.is_empty(), "temporary files left: {names:?}");

    // A regular file is still replaced whole.
    ok(&feedbrief(
        dir.path(),
        &["digest", "--since", "1d", "--out", "d.md"],
    ));
    let text = std::fs::read_to_string(dir.path().join("d.md")).unwrap();
    assert!(text.starts_with("# Hostile"), "{text}");
}

#[test]
fn typos_in_feed_or_tag_exit_2_naming_the_known_ones() {
    let dir = tempfile::tempdir().unwrap();
    fill(
        dir.path(),
        2,
        Utc::now() - Duration::hours(1),
        Duration::zero(),
    );
    for args in [
        &["digest", "--feed", "Wrold Desk"][..],
        &["export", "--feed", "Wrold Desk"][..],
        &["query", "harbour", "--feed", "Wrold Desk"][..],
    ] {
        let out = feedbrief(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("Wrold Desk"), "{err}");
        assert!(
            err.contains("\"World Desk\"") && err.contains("\"Tech Desk\""),
            "{err}"
        );
        assert!(out.stdout.is_empty());
    }
    for args in [
        &["digest", "--tag", "wrold"][..],
        &["query", "--tag", "wrold"][..],
    ] {
        let out = feedbrief(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        for tag in ["\"world\"", "\"daily\"", "\"tech\""] {
            assert!(err.contains(tag), "{err}");
        }
    }
    // Right names in another case still work.
    let md = ok(&feedbrief(
        dir.path(),
        &["digest", "--since", "1d", "--feed", "world desk"],
    ));
    assert!(md.contains("Story 0"), "{md}");
    ok(&feedbrief(
        dir.path(),
        &["digest", "--since", "1d", "--tag", "DAILY"],
    ));
}

#[test]
fn missing_or_unreadable_named_files_exit_2_in_every_command() {
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path());
    std::fs::create_dir(dir.path().join("a-folder")).unwrap();
    let cases: &[&[&str]] = &[
        &["--config", "missing.toml", "run"],
        &["feeds", "import", "missing.opml"],
        &["summarize", "--input", "missing.jsonl"],
        // A folder where a file is expected cannot be read either.
        &["summarize", "--input", "a-folder"],
        &["parse", "missing.xml"],
        &["extract", "missing.html"],
        &["extract", "a-folder", "--urls", "missing.json"],
        &["extract", "a-folder", "--rules", "missing-rules"],
        &["parse", "a-folder", "--manifest", "missing.jsonl"],
    ];
    for args in cases {
        let out = feedbrief(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let named = args
            .iter()
            .find(|a| a.starts_with("missing"))
            .or_else(|| args.iter().find(|a| **a == "a-folder"))
            .unwrap();
        assert!(stderr(&out).contains(named), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn query_with_filters_alone_lists_matching_items_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    fill(
        dir.path(),
        6,
        Utc::now() - Duration::hours(1),
        Duration::zero(),
    );
    let out = ok(&feedbrief(
        dir.path(),
        &["query", "--feed", "Tech Desk", "--format", "json"],
    ));
    let hits: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let titles: Vec<&str> = hits.iter().map(|h| h["title"].as_str().unwrap()).collect();
    // Tech Desk has the odd stories; a higher number was published a minute earlier.
    assert_eq!(titles, ["Story 1", "Story 3", "Story 5"]);
    // The README's example: a type filter alone.
    let t = ok(&feedbrief(
        dir.path(),
        &["query", "--type", "unknown", "--limit", "2"],
    ));
    assert_eq!(
        t.lines().filter(|l| l.contains("[unknown]")).count(),
        2,
        "{t}"
    );
    let none = feedbrief(dir.path(), &["query", "--type", "opinion"]);
    assert_eq!(none.status.code(), Some(0), "{}", stderr(&none));
    assert!(stderr(&none).contains("no matches"));
}

#[test]
fn a_back_dated_item_is_in_the_digest_of_the_day_it_arrived_once() {
    let dir = tempfile::tempdir().unwrap();
    let now = Utc::now();
    // First stored now, but says it was published eight days ago.
    fill(dir.path(), 1, now, Duration::days(8));
    let today = now.date_naive();
    let published = (now - Duration::days(8)).date_naive();
    let md = ok(&feedbrief(dir.path(), &["digest", "--date", "today"]));
    assert!(md.contains("Story 0"), "{md}");
    // Shown with its own date.
    assert!(
        md.contains(&published.format("%Y-%m-%d").to_string()),
        "{md}"
    );
    let since = ok(&feedbrief(dir.path(), &["digest", "--since", "24h"]));
    assert!(since.contains("Story 0"), "{since}");
    // Not also in the digest of the day it claims.
    let old = ok(&feedbrief(
        dir.path(),
        &[
            "digest",
            "--date",
            &published.format("%Y-%m-%d").to_string(),
        ],
    ));
    assert!(!old.contains("Story 0"), "{old}");
    assert!(old.contains("No items"), "{old}");
    let _ = today;
}

#[test]
fn opml_export_keeps_every_tag_and_import_reads_them_back() {
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path());
    let opml = ok(&feedbrief(dir.path(), &["feeds", "export"]));
    assert!(opml.contains("category=\"world,daily\""), "{opml}");
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("list.opml"), &opml).unwrap();
    std::fs::write(
        other.path().join("feeds.toml"),
        "[settings]\ndatabase = \"g.db\"\n",
    )
    .unwrap();
    ok(&feedbrief(other.path(), &["feeds", "import", "list.opml"]));
    let cfg = Config::load(&other.path().join("feeds.toml")).unwrap();
    let world = cfg.feed("World Desk").unwrap();
    assert_eq!(world.tags, ["world", "daily"]);
    assert_eq!(cfg.feed("Tech Desk").unwrap().tags, ["tech"]);
}

#[test]
fn atom_and_json_feed_digests_carry_authors_and_atom_a_self_link() {
    let dir = tempfile::tempdir().unwrap();
    fill(
        dir.path(),
        2,
        Utc::now() - Duration::hours(1),
        Duration::zero(),
    );
    let atom = ok(&feedbrief(
        dir.path(),
        &["digest", "--since", "1d", "--format", "atom"],
    ));
    let feed = feed_rs::parser::parse(atom.as_bytes()).unwrap();
    let self_link = feed
        .links
        .iter()
        .find(|l| l.rel.as_deref() == Some("self"))
        .unwrap();
    assert!(
        self_link.href.starts_with("urn:uuid:"),
        "{}",
        self_link.href
    );
    let authors: Vec<&str> = feed.entries[0]
        .authors
        .iter()
        .filter_map(|a| a.name.as_deref())
        .collect();
    assert_eq!(authors, ["Reporter 0", "Ann Example"]);

    let served = ok(&feedbrief(
        dir.path(),
        &[
            "digest",
            "--since",
            "1d",
            "--format",
            "atom",
            "--self-url",
            "https://me.example/brief.atom",
        ],
    ));
    assert!(
        served.contains(
            r#"<link rel="self" type="application/atom+xml" href="https://me.example/brief.atom"/>"#
        ),
        "{served}"
    );
    let bad = feedbrief(
        dir.path(),
        &["digest", "--format", "atom", "--self-url", "not a url"],
    );
    assert_eq!(bad.status.code(), Some(2));

    let jf = ok(&feedbrief(
        dir.path(),
        &["digest", "--since", "1d", "--format", "jsonfeed"],
    ));
    let v: serde_json::Value = serde_json::from_str(&jf).unwrap();
    let names: Vec<&str> = v["items"][0]["authors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Reporter 0", "Ann Example"]);
}
