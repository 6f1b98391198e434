//! Story clustering (issue 13): the `cluster` stage on hand-written local news
//! (`tests/fixtures/cluster/`: a background of unrelated items, a wire story syndicated
//! three times, two shootings in one city on one day, and a follow-up in a later run),
//! and the `feedbrief cluster` evaluation command.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use feedbrief::cluster::{ArticleIn, Clusterer, Params};
use serde_json::Value;

use crate::common::{feedbrief, fixtures, ok, stderr};

struct Art {
    id: String,
    source: String,
    published: i64,
    title: String,
    text: String,
}

fn load(name: &str) -> Vec<Art> {
    let path = fixtures().join("cluster").join(name);
    let body = std::fs::read_to_string(&path).expect("fixture is readable");
    body.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("fixture line is JSON");
            let s = |k: &str| v[k].as_str().expect("string field").to_string();
            let day = NaiveDate::parse_from_str(&s("published"), "%Y-%m-%d").expect("a date");
            Art {
                id: s("id"),
                source: s("source"),
                published: day
                    .and_hms_opt(0, 0, 0)
                    .expect("midnight")
                    .and_utc()
                    .timestamp(),
                title: s("title"),
                text: s("text"),
            }
        })
        .collect()
}

fn input(a: &Art) -> ArticleIn<'_> {
    ArticleIn {
        source: &a.source,
        lang: Some("en"),
        published: a.published,
        title: &a.title,
        text: &a.text,
    }
}

/// Cluster `arts` (already in published order) with `c`: id -> story.
fn run(c: &mut Clusterer, arts: &[Art]) -> BTreeMap<String, u64> {
    arts.iter()
        .map(|a| (a.id.clone(), c.assign(&input(a))))
        .collect()
}

fn background_and(name: &str) -> Vec<Art> {
    let mut arts = load("background.jsonl");
    arts.extend(load(name));
    arts
}

#[test]
fn syndicated_copies_join() {
    let arts = background_and("articles.jsonl");
    let stories = run(&mut Clusterer::new(Params::default(), 1), &arts);
    assert_eq!(stories["wire-1"], stories["wire-2"]);
    assert_eq!(stories["wire-1"], stories["wire-3"]);
    // The wire story is its own: no background item is in it.
    let members = stories
        .values()
        .filter(|&&s| s == stories["wire-1"])
        .count();
    assert_eq!(members, 3, "{stories:?}");
}

#[test]
fn two_shootings_in_one_city_on_one_day_stay_apart() {
    let arts = background_and("articles.jsonl");
    let stories = run(&mut Clusterer::new(Params::default(), 1), &arts);
    assert_ne!(stories["city-a"], stories["city-b"], "{stories:?}");
    // ... while another outlet's report of the second one, the next day, joins it.
    assert_eq!(stories["city-b"], stories["city-b2"], "{stories:?}");
    assert_ne!(stories["city-a"], stories["city-b2"]);
}

#[test]
fn a_story_spanning_two_runs_joins() {
    let first = background_and("run1.jsonl");
    let second = load("run2.jsonl");
    let mut c = Clusterer::new(Params::default(), 1);
    let run1 = run(&mut c, &first);
    // A later run starts from what is stored: the window's articles and their stories.
    let mut resumed = Clusterer::new(Params::default(), 1);
    for a in &first {
        resumed.resume(&input(a), run1[&a.id]);
    }
    let run2 = run(&mut resumed, &second);
    assert_eq!(
        run2["later-1"], run1["city-b"],
        "the follow-up joins its story"
    );
    assert!(
        !run1.values().any(|&s| s == run2["later-2"]),
        "an unrelated item starts a new story"
    );
    // The same as one uninterrupted clusterer would have said.
    assert_eq!(run(&mut c, &second), run2);
}

#[test]
fn stories_close_after_the_window() {
    let arts = load("articles.jsonl");
    let params = Params {
        window_secs: 86_400,
        ..Params::default()
    };
    let mut c = Clusterer::new(params, 1);
    run(&mut c, &arts);
    let mut late = load("run2.jsonl");
    late.truncate(1);
    let s = c.assign(&input(&late[0]));
    // Eleven days later, with a one-day window, everything before has closed.
    assert_eq!(c.open_articles(), 1);
    assert_eq!(c.open_stories(), 1);
    assert!(s > 0);
}

#[test]
fn reclustering_the_same_input_gives_the_same_result() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let input = combined(dir.path(), &["background.jsonl", "articles.jsonl"]);
    let args = ["cluster", "--input", &input, "--format", "jsonl"];
    let a = ok(&feedbrief(dir.path(), &args));
    let b = ok(&feedbrief(dir.path(), &args));
    assert!(!a.is_empty());
    assert_eq!(a, b);
    // And the library agrees with the command, story for story.
    let arts = background_and("articles.jsonl");
    let lib = run(&mut Clusterer::new(Params::default(), 1), &arts);
    for line in a.lines() {
        let v: Value = serde_json::from_str(line).expect("a JSON line");
        let id = v["id"].as_str().expect("id");
        assert_eq!(v["story"].as_u64(), Some(lib[id]), "{id}");
    }
}

#[test]
fn the_command_prints_one_line_per_article_and_names_bad_lines() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let input = combined(dir.path(), &["background.jsonl", "articles.jsonl"]);
    let good = std::fs::read_to_string(&input).expect("readable");
    let n = good.lines().count();
    let out = ok(&feedbrief(dir.path(), &["cluster", "--input", &input]));
    let ids: Vec<String> = out
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("a JSON line");
            assert!(v["story"].is_u64(), "{l}");
            v["id"].as_str().expect("id").to_string()
        })
        .collect();
    assert_eq!(ids.len(), n);
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), n, "each article once");

    // A broken line and a bad date are reported by line; the others are still clustered.
    let bad = dir.path().join("bad.jsonl");
    let mut body = good.clone();
    body.push_str("{not json\n");
    body.push_str(
        r#"{"id":"x","source":"s","lang":"en","published":"yesterday","title":"t","text":"t"}"#,
    );
    body.push('\n');
    std::fs::write(&bad, body).expect("writable");
    let o = feedbrief(dir.path(), &["cluster", "--input", "bad.jsonl"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains(&format!("bad.jsonl:{}", n + 1)), "{err}");
    assert!(
        err.contains(&format!("bad.jsonl:{}", n + 2)) && err.contains("yesterday"),
        "{err}"
    );
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), n);
}

/// The named fixtures in one file (as one input), returned as its path.
fn combined(dir: &Path, names: &[&str]) -> String {
    let mut body = String::new();
    for name in names {
        body.push_str(
            &std::fs::read_to_string(fixtures().join("cluster").join(name)).expect("fixture"),
        );
    }
    let path = dir.join("articles.jsonl");
    std::fs::write(&path, body).expect("writable");
    path.to_string_lossy().into_owned()
}
