//! digest / query / export from a real SQLite store, through the real binary.

use std::path::Path;

use crate::common::{feedbrief, ok};
use chrono::{DateTime, TimeZone, Utc};
use feedbrief::config::FeedConfig;
use feedbrief::model::{
    Article, AssertedBy, Basis, Extraction, Item, SourceLabel, SourceType, Summary,
};
use feedbrief::store::Store;

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

struct Story {
    feed: usize,
    key: &'static str,
    title: &'static str,
    /// Day of November 2026, hour, minute (UTC).
    when: (u32, u32, u32),
    text: &'static str,
    label: SourceType,
}

const fn story(
    feed: usize,
    key: &'static str,
    title: &'static str,
    when: (u32, u32, u32),
    text: &'static str,
    label: SourceType,
) -> Story {
    Story {
        feed,
        key,
        title,
        when,
        text,
        label,
    }
}

const STORIES: &[Story] = &[
    story(
        0,
        "w1",
        "Harbour reopens after the storm",
        (27, 23, 30),
        "The harbour reopened after engineers rebuilt the sea wall. Ferries resumed their timetable.",
        SourceType::Reportage,
    ),
    story(
        0,
        "w2",
        "Budget vote delayed again",
        (28, 9, 0),
        "Parliament delayed the budget vote for a second week. The harbour fund remains frozen.",
        SourceType::Reportage,
    ),
    story(
        1,
        "t1",
        "Why the new database matters",
        (28, 11, 15),
        "I believe the new database is the most important release this year. Everyone should try it.",
        SourceType::Opinion,
    ),
    story(
        1,
        "t2",
        "Sponsored: upgrade your laptop",
        (28, 12, 0),
        "This partner content explains laptop upgrades and their prices.",
        SourceType::Sponsored,
    ),
    story(
        0,
        "z1",
        "前十个月工业企业利润增长",
        (26, 2, 30),
        "国家统计局发布数据显示，今年前十个月全国规模以上工业企业利润同比增长。",
        SourceType::Reportage,
    ),
    story(
        0,
        "w3",
        "Rail strike called off",
        (29, 0, 30),
        "Unions called off the strike after overnight talks.",
        SourceType::Reportage,
    ),
];

fn setup(dir: &Path, timezone: &str) {
    let feeds = [
        ("World Desk", "https://world.example/rss", "world"),
        ("Tech Desk", "https://tech.example/atom", "tech"),
    ];
    let mut toml = format!(
        "[settings]\ndatabase = \"f.db\"\n\n[digest]\ntimezone = \"{timezone}\"\ngroup_by = \"tag\"\ntitle = \"Test digest\"\n"
    );
    for (name, url, tag) in feeds {
        toml.push_str(&format!(
            "\n[[feed]]\nname = \"{name}\"\nurl = \"{url}\"\ntags = [\"{tag}\"]\n"
        ));
    }
    std::fs::write(dir.join("feeds.toml"), toml).unwrap();
    let store = Store::open(&dir.join("f.db")).unwrap();
    let cfgs: Vec<FeedConfig> = feeds
        .iter()
        .map(|(n, u, t)| {
            let mut f = FeedConfig::new(*n, url::Url::parse(u).unwrap());
            f.tags = vec![t.to_string()];
            f
        })
        .collect();
    store.sync_feeds(&cfgs).unwrap();
    let states = store.feed_states().unwrap();
    for s in STORIES {
        let (d, h, mi) = s.when;
        let when = at(2026, 11, d, h, mi);
        let feed_id = states
            .iter()
            .find(|st| st.name == feeds[s.feed].0)
            .unwrap()
            .id;
        let link = format!(
            "https://{}/{}",
            if s.feed == 0 {
                "world.example"
            } else {
                "tech.example"
            },
            s.key
        );
        let item = Item {
            key: s.key.into(),
            guid: Some(s.key.into()),
            link: Some(link.clone()),
            title: Some(s.title.into()),
            published: Some(when),
            ..Item::default()
        };
        let ids = store
            .upsert_items(feed_id, std::slice::from_ref(&item), when)
            .unwrap();
        let article = Article {
            url: link.clone(),
            title: Some(s.title.into()),
            text: s.text.into(),
            language: Some("en".into()),
            extraction: Extraction {
                method: "scored".into(),
                word_count: 12,
                basis: Basis::FullText,
                note: None,
            },
            ..Article::default()
        };
        let summary = Summary {
            sentences: vec![
                s.text
                    .split(". ")
                    .next()
                    .unwrap()
                    .trim_end_matches('.')
                    .to_string()
                    + ".",
            ],
            generated_at: when,
            ..Summary::default()
        };
        let mut disclosure = feedbrief::disclose::label(&article, &summary, &item, feeds[s.feed].1);
        disclosure.source_type = SourceLabel {
            label: s.label,
            asserted_by: AssertedBy::Publisher,
            score: None,
            evidence: vec![],
        };
        store
            .save_result(ids[0], &article, &summary, &disclosure)
            .unwrap();
    }
}

#[test]
fn digest_covers_one_local_day_grouped_by_tag_newest_first_and_is_repeatable() {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path(), "UTC");
    let md = ok(&feedbrief(dir.path(), &["digest", "--date", "2026-11-28"]));
    // 28 Nov UTC holds w2, t1, t2 (w1 is the 27th, w3 the 29th).
    assert!(md.contains("Budget vote delayed again"));
    assert!(md.contains("Why the new database matters"));
    assert!(!md.contains("Harbour reopens"), "{md}");
    assert!(!md.contains("Rail strike"), "{md}");
    // Groups in feeds.toml order (world before tech); newest first inside a group.
    let world = md.find("world").unwrap();
    let tech = md.find("tech").unwrap();
    assert!(world < tech, "{md}");
    assert!(md.find("Sponsored: upgrade").unwrap() < md.find("Why the new database").unwrap());
    assert!(md.contains("This publication is a summary or evaluation of another publication"));
    assert!(md.contains("Read the full"));
    // Same database, same bytes.
    let again = ok(&feedbrief(dir.path(), &["digest", "--date", "2026-11-28"]));
    assert_eq!(md, again);
    // --out writes the same bytes to a file.
    ok(&feedbrief(
        dir.path(),
        &["digest", "--date", "2026-11-28", "--out", "d.md"],
    ));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("d.md")).unwrap(),
        md
    );
}

#[test]
fn the_day_is_a_calendar_day_in_the_configured_time_zone() {
    let dir = tempfile::tempdir().unwrap();
    // Tokyo is UTC+9: 27 Nov 23:30 UTC and 28 Nov 09:00/11:15/12:00 UTC fall on the 28th
    // (08:30, 18:00, 20:15, 21:00 JST); 29 Nov 00:30 UTC is 09:30 JST on the 29th.
    setup(dir.path(), "Asia/Tokyo");
    let md = ok(&feedbrief(dir.path(), &["digest", "--date", "2026-11-28"]));
    assert!(md.contains("Harbour reopens"), "{md}");
    assert!(!md.contains("Rail strike"), "{md}");
    let md29 = ok(&feedbrief(
        dir.path(),
        &["digest", "--date", "2026-11-29", "--tag", "world"],
    ));
    assert!(
        md29.contains("Rail strike") && !md29.contains("database"),
        "{md29}"
    );
}

#[test]
fn atom_digest_parses_back_with_entries_sources_and_categories() {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path(), "UTC");
    let xml = ok(&feedbrief(
        dir.path(),
        &["digest", "--date", "2026-11-28", "--format", "atom"],
    ));
    let feed = feed_rs::parser::parse(xml.as_bytes()).unwrap();
    assert_eq!(feed.entries.len(), 3);
    for e in &feed.entries {
        assert!(
            !e.categories.is_empty(),
            "entry {:?} has categories",
            e.title
        );
        assert!(
            e.links.iter().any(|l| l.rel.as_deref() == Some("related")),
            "{:?}",
            e.links
        );
    }
    assert!(xml.contains("<source>"), "atom:source present");
    let json = ok(&feedbrief(
        dir.path(),
        &["digest", "--date", "2026-11-28", "--format", "jsonfeed"],
    ));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(v["items"].as_array().unwrap().len(), 3);
    let html = ok(&feedbrief(
        dir.path(),
        &["digest", "--date", "2026-11-28", "--format", "html"],
    ));
    assert_eq!(html.matches("application/ld+json").count(), 3);
}

/// `feedbrief query ARGS --format json`, parsed.
fn query(dir: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["query"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let out = ok(&feedbrief(dir, &all));
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"))
}

#[test]
fn query_finds_ranks_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    setup(d, "UTC");
    let hits = query(d, &["harbour"]);
    assert_eq!(hits.len(), 2, "{hits:?}");
    // The title match ranks above the body-only match.
    assert_eq!(hits[0]["title"], "Harbour reopens after the storm");
    let snippet = hits[0]["snippet"].as_str().unwrap().to_lowercase();
    assert!(snippet.contains("[harbour]"), "{snippet}");

    assert_eq!(query(d, &["database", "--type", "opinion"]).len(), 1);
    assert_eq!(query(d, &["database", "--type", "reportage"]).len(), 0);
    assert_eq!(query(d, &["harbour", "--feed", "tech desk"]).len(), 0);
    assert_eq!(query(d, &["harbour", "--tag", "world"]).len(), 2);

    // Chinese is written without spaces: words are found inside the text.
    let hits = query(d, &["工业"]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(hits[0]["snippet"].as_str().unwrap().contains("[工业]"));
    assert_eq!(query(d, &["利润", "工业"]).len(), 1);
    assert_eq!(query(d, &["工业", "harbour"]).len(), 0);

    // Hostile input is just words.
    query(d, &["\"harbour\" AND ("]);
    let o = feedbrief(d, &["query", "x", "--type", "gossip"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn export_streams_every_stored_item() {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path(), "UTC");
    let out = ok(&feedbrief(dir.path(), &["export"]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), STORIES.len());
    for l in &lines {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        assert!(
            v["item"]["title"].is_string()
                && v["summary"]["sentences"].is_array()
                && v["disclosure"]["lines"].is_array()
        );
    }
    let xml = ok(&feedbrief(dir.path(), &["export", "--format", "atom"]));
    let feed = feed_rs::parser::parse(xml.as_bytes()).unwrap();
    assert_eq!(feed.entries.len(), STORIES.len());
    let csv = ok(&feedbrief(dir.path(), &["export", "--format", "csv"]));
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(r.records().count(), STORIES.len());
}
