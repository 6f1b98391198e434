//! Shared test helpers: load disclosure cases (partial `Article`/`Item`/`Summary` JSON
//! over defaults) from `tests/fixtures/disclose/cases/`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};
use feedbrief::model::{Article, Item, Summary};
use serde::de::DeserializeOwned;
use serde_json::Value;

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// `partial` laid over `T::default()` (so fixtures only say what matters).
pub fn overlay<T: Default + serde::Serialize + DeserializeOwned>(partial: &Value) -> T {
    let mut base = serde_json::to_value(T::default()).expect("default serializes");
    merge(&mut base, partial);
    serde_json::from_value(base).unwrap_or_else(|e| panic!("fixture does not fit: {e}\n{partial}"))
}

fn merge(base: &mut Value, over: &Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(k) {
                    Some(slot) if slot.is_object() && v.is_object() => merge(slot, v),
                    _ => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

/// A fixed time, so nothing in a test depends on the clock.
pub fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_else(|e| panic!("bad time {s}: {e}"))
}

pub fn epoch_plus_days(days: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(days * 86_400, 0).single().expect("valid")
}

pub struct Case {
    pub name: String,
    pub about: String,
    pub article: Article,
    pub item: Item,
    pub summary: Summary,
    pub feed_url: String,
    pub expect: Value,
}

pub fn load_case(path: &Path) -> Case {
    let raw = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let v: Value = serde_json::from_str(&raw).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut article: Article = overlay(&v["article"]);
    if let Some(f) = v["text"].as_str() {
        let p = fixtures().join("disclose/texts").join(f);
        article.text =
            std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    }
    if let Some(text) = v["article_text"].as_str() {
        article.text = text.to_string();
    }
    let item: Item = overlay(&v["item"]);
    let mut summary_v = serde_json::json!({
        "sentences": ["The council approved the plan."],
        "input_hash": "sha256:00",
        "generated_at": "2026-11-28T12:00:00Z",
        "language": "en"
    });
    if v["summary"].is_object() {
        merge(&mut summary_v, &v["summary"]);
    }
    let summary: Summary = overlay(&summary_v);
    Case {
        name: path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        about: v["about"].as_str().unwrap_or_default().to_string(),
        article,
        item,
        summary,
        feed_url: v["feed_url"]
            .as_str()
            .unwrap_or("https://feeds.example.net/news.xml")
            .to_string(),
        expect: v["expect"].clone(),
    }
}

pub fn load_cases() -> Vec<Case> {
    let dir = fixtures().join("disclose/cases");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths.iter().map(|p| load_case(p)).collect()
}

pub fn case(name: &str) -> Case {
    load_case(
        &fixtures()
            .join("disclose/cases")
            .join(format!("{name}.json")),
    )
}
