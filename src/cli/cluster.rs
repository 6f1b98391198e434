//! `feedbrief cluster --input articles.jsonl --format jsonl`: story clustering of
//! `{"id","source","lang","published","title","text"}` lines, in `published` order as
//! ingest would, printed as `{"id","story"}` lines (what `cluster_score.py` reads).

use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use chrono::{DateTime, NaiveDate};
use clap::{Args as ClapArgs, ValueEnum};
use serde::Deserialize;
use serde_json::{Value, json};

use super::UsageError;
use crate::cluster::{ArticleIn, Clusterer, Params};

#[derive(Debug, ClapArgs)]
pub(crate) struct ClusterArgs {
    /// JSONL file of {"id","source","lang","published","title","text"} lines ("-" reads
    /// standard input).
    #[arg(long)]
    pub(crate) input: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    pub(crate) format: Format,
    /// How long a story stays open after its latest article ("3d", "36h").
    #[arg(long, value_parser = humantime::parse_duration)]
    pub(crate) window: Option<std::time::Duration>,
    /// Average cosine similarity an article needs to join a story (0..1).
    #[arg(long)]
    pub(crate) threshold: Option<f32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Jsonl,
}

#[derive(Deserialize)]
struct Record {
    id: Value,
    #[serde(default)]
    source: String,
    lang: Option<String>,
    published: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
}

pub(crate) fn run(a: &ClusterArgs) -> anyhow::Result<ExitCode> {
    let mut params = Params::default();
    if let Some(w) = a.window {
        params.window_secs = i64::try_from(w.as_secs()).unwrap_or(i64::MAX);
    }
    if let Some(t) = a.threshold {
        if !(0.0..=1.0).contains(&t) {
            return Err(UsageError("--threshold must be between 0 and 1".into()).into());
        }
        params.threshold = t;
    }
    let (mut records, bad) = read_records(&a.input)?;
    // Stable: articles published at the same time keep their input order.
    records.sort_by_key(|r| r.1);
    let mut clusterer = Clusterer::new(params, 1);
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for (r, published) in &records {
        let story = clusterer.assign(&ArticleIn {
            source: &r.source,
            lang: r.lang.as_deref(),
            published: *published,
            title: &r.title,
            text: &r.text,
        });
        writeln!(out, "{}", json!({"id": r.id, "story": story})).context("writing stories")?;
    }
    out.flush().context("writing stories")?;
    if bad > 0 {
        tracing::warn!(skipped = bad, "Some lines could not be read; see above.");
        return Ok(ExitCode::from(super::EXIT_FAILURE));
    }
    Ok(ExitCode::SUCCESS)
}

/// `YYYY-MM-DD` (midnight UTC) or RFC 3339, as seconds since the epoch.
fn parse_published(s: &str) -> Option<i64> {
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.timestamp());
    }
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    Some(d.and_hms_opt(0, 0, 0)?.and_utc().timestamp())
}

/// The readable records; a bad line is reported (file and line) and skipped.
fn read_records(path: &Path) -> anyhow::Result<(Vec<(Record, i64)>, usize)> {
    let reader: Box<dyn BufRead> = if path == Path::new("-") {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        let f = std::fs::File::open(path).map_err(|e| super::unreadable(path, e))?;
        Box::new(std::io::BufReader::new(f))
    };
    let mut records = Vec::new();
    let mut bad = 0;
    for (n, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| super::unreadable(path, format!("line {}: {e}", n + 1)))?;
        if line.trim().is_empty() {
            continue;
        }
        let where_ = format!("{}:{}", path.display(), n + 1);
        match serde_json::from_str::<Record>(&line) {
            Ok(r) => match parse_published(&r.published) {
                Some(p) => records.push((r, p)),
                None => {
                    bad += 1;
                    eprintln!(
                        "{where_}: \"published\" is {:?}: expected YYYY-MM-DD or RFC 3339",
                        r.published
                    );
                }
            },
            Err(e) => {
                bad += 1;
                eprintln!(
                    "{where_}: expected {{\"id\", \"source\", \"lang\", \"published\", \"title\", \"text\"}}: {e}"
                );
            }
        }
    }
    Ok((records, bad))
}
