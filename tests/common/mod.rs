//! Shared test helpers: load disclosure cases (partial `Article`/`Item`/`Summary` JSON
//! over defaults) from `tests/fixtures/disclose/cases/`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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

use feedbrief::model::{Digest, DigestEntry, DigestGroup};

/// One entry made from a disclosure case, with the summary sentences given.
pub fn entry_from_case(
    name: &str,
    item_id: i64,
    feed_name: &str,
    published: &str,
    sentences: &[&str],
) -> DigestEntry {
    let mut c = case(name);
    c.item.published = Some(t(published));
    c.summary.sentences = sentences.iter().map(|s| s.to_string()).collect();
    let disclosure = feedbrief::disclose::label(&c.article, &c.summary, &c.item, &c.feed_url);
    DigestEntry {
        item_id,
        feed_name: feed_name.to_string(),
        feed_url: format!("https://feeds.example.net/{feed_name}.xml"),
        feed_title: Some(format!("{feed_name} (feed)")),
        tags: vec![],
        first_seen: t(published),
        item: c.item,
        article: Some(c.article),
        summary: Some(c.summary),
        disclosure: Some(disclosure),
    }
}

/// The digest the export tests render: two groups, every kind of label, an llm summary
/// with unsupported claims, a Chinese item, a paywalled one, a hostile title, and an
/// item that has no summary at all. Fixed times only.
pub fn sample_digest() -> Digest {
    let mut wire = entry_from_case(
        "llm_summary_with_unsupported_claims",
        11,
        "wire",
        "2026-11-28T18:41:00Z",
        &[
            "The city council approved a $48 million plan to replace the Harbor Street bridge by a vote of 7-2.",
            "The bridge would close for about 18 months from spring 2027, pending state approval.",
        ],
    );
    wire.tags = vec!["news".into()];
    let opinion = entry_from_case(
        "graph_opinion_jsonld",
        12,
        "herald",
        "2026-11-28T10:00:00Z",
        &[
            "So let me be plain about the council's vote this week: it was the right decision, and it came far too late.",
            "It is time to stop treating infrastructure as a problem for the next council.",
        ],
    );
    let mut chinese = entry_from_case(
        "chinese_news_not_scored",
        13,
        "xinwen",
        "2026-11-28T01:30:00Z",
        &[
            "国家统计局28日发布数据显示，今年前十个月，全国规模以上工业企业实现利润总额同比增长百分之四点二。",
            "十月份工业企业利润继续恢复。",
        ],
    );
    if let Some(s) = chinese.summary.as_mut() {
        s.language = Some("zh".into());
    }
    let sponsored = entry_from_case(
        "sponsored_type_array",
        21,
        "techpaper",
        "2026-11-28T16:00:00Z",
        &[
            "Northwind Resorts has renovated its mountain lodges and offers a 20 percent discount before Dec. 15.",
        ],
    );
    let paywalled = entry_from_case(
        "paywalled_partial",
        22,
        "finance",
        "2026-11-28T05:00:00Z",
        &["US cities are selling record amounts of debt to repair crumbling bridges."],
    );
    let mut hostile = entry_from_case(
        "feed_excerpt_feed_category",
        23,
        "citypaper",
        "2026-11-28T08:15:00Z",
        &[
            "The council's bridge vote came two years too late, and residents paid for the delay <b>&amp;</b> more.",
        ],
    );
    hostile.item.title = Some(
        "# Breaking: <script>alert(\"x\")</script> & *stars* [click](javascript:alert(1)) \u{0c}"
            .into(),
    );
    let mut bare = entry_from_case("blog_host_only", 24, "notes", "2026-11-28T07:00:00Z", &[]);
    bare.summary = None;
    bare.disclosure = None;
    bare.article = None;
    Digest {
        title: "Morning brief".into(),
        period: "2026-11-28 (Europe/Berlin)".into(),
        from: t("2026-11-27T23:00:00Z"),
        to: t("2026-11-28T23:00:00Z"),
        timezone: Some("Europe/Berlin".into()),
        groups: vec![
            DigestGroup {
                name: "World".into(),
                entries: vec![wire, opinion, chinese],
            },
            DigestGroup {
                name: "Tech & money".into(),
                entries: vec![sponsored, hostile, bare, paywalled],
            },
        ],
    }
}

/// Assert `actual` equals the golden file `path`; with `FEEDBRIEF_UPDATE_GOLDEN=1` the
/// file is rewritten instead (review the diff before committing it).
pub fn assert_golden(path: &Path, actual: &str) {
    if std::env::var_os("FEEDBRIEF_UPDATE_GOLDEN").is_some() {
        std::fs::write(path, actual).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}\n(run with FEEDBRIEF_UPDATE_GOLDEN=1 to create it)",
            path.display()
        )
    });
    if expected == actual {
        return;
    }
    let (el, al): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let first = el
        .iter()
        .zip(&al)
        .position(|(e, a)| e != a)
        .unwrap_or(el.len().min(al.len()));
    let mut diff = String::new();
    let lo = first.saturating_sub(3);
    for i in lo..(first + 4).max(lo) {
        match (el.get(i), al.get(i)) {
            (Some(e), Some(a)) if e == a => diff.push_str(&format!("  {:>4} | {e}\n", i + 1)),
            (e, a) => {
                if let Some(e) = e {
                    diff.push_str(&format!("- {:>4} | {e}\n", i + 1));
                }
                if let Some(a) = a {
                    diff.push_str(&format!("+ {:>4} | {a}\n", i + 1));
                }
            }
        }
    }
    panic!(
        "{} differs from the rendered output, first at line {} (- golden, + actual):\n{diff}\n\
         ===== golden =====\n{expected}\n===== actual =====\n{actual}\n\
         (if the change is intended, re-run with FEEDBRIEF_UPDATE_GOLDEN=1 and review the diff)",
        path.display(),
        first + 1
    );
}

/// The real binary, run in `dir`, with none of the caller's feedbrief environment.
pub fn cmd(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_feedbrief"));
    c.current_dir(dir)
        .args(args)
        .env_remove("FEEDBRIEF_CONFIG")
        .env_remove("FEEDBRIEF_DB")
        .env_remove("RUST_LOG");
    c
}

pub fn feedbrief(dir: &Path, args: &[&str]) -> Output {
    cmd(dir, args).output().expect("the feedbrief binary runs")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Stdout of a run that must have succeeded (stderr shown when it did not).
pub fn ok(o: &Output) -> String {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}
