//! `feedbrief export`: every stored item with its article, summary and disclosure, as
//! JSON Lines, CSV or Atom, streamed row by row (constant memory) for use in other
//! tools.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::Utc;
use clap::{Args as ClapArgs, ValueEnum};

use super::{Args, UsageError, load_config};
use crate::config::parse_duration;
use crate::export::atom;
use crate::model::DigestEntry;
use crate::store::{EntryQuery, Store};

#[derive(Debug, ClapArgs)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
    pub format: ExportFormat,
    /// Write to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Only items from this recent span, e.g. "7d".
    #[arg(long)]
    pub since: Option<String>,
    #[arg(long)]
    pub feed: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// One JSON record per line: item, article, summary, disclosure.
    Jsonl,
    /// One row per item with the main fields.
    Csv,
    /// An Atom 1.0 feed of every item, with the disclosure elements of the digest.
    Atom,
}

const CSV_HEADER: [&str; 16] = [
    "item_id",
    "feed",
    "title",
    "link",
    "published",
    "updated",
    "first_seen",
    "authors",
    "categories",
    "language",
    "basis",
    "source_type",
    "asserted_by",
    "summary_method",
    "summary",
    "disclosure",
];

pub fn run(args: &Args, a: &ExportArgs) -> anyhow::Result<ExitCode> {
    let cfg = load_config(args)?;
    let from = match &a.since {
        None => None,
        Some(s) => Some(
            Utc::now()
                - parse_duration(s)
                    .and_then(|d| chrono::Duration::from_std(d).ok())
                    .ok_or_else(|| UsageError(format!("--since {s:?}: write a span such as 7d")))?,
        ),
    };
    let store = Store::open(&cfg.settings.database)?;
    let q = EntryQuery {
        from,
        feed: a.feed.clone(),
        storage_order: true,
        ..EntryQuery::default()
    };
    let sink: Box<dyn Write> = match &a.out {
        Some(p) => {
            Box::new(std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?)
        }
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::new(sink);
    match a.format {
        ExportFormat::Jsonl => {
            store.entries(&q, |e| {
                serde_json::to_writer(&mut out, &e)
                    .map_err(|e| crate::Error::Other(e.to_string()))?;
                out.write_all(b"\n")
                    .map_err(|e| crate::Error::io("<output>", e))
            })?;
        }
        ExportFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(CSV_HEADER)?;
            store.entries(&q, |e| {
                w.write_record(csv_row(&e))
                    .map_err(|e| crate::Error::Other(e.to_string()))
            })?;
            w.flush()?;
        }
        ExportFormat::Atom => {
            let head = atom::FeedHead {
                id: crate::disclose::uuid_urn(&["feedbrief-export", &cfg.digest.title]),
                title: format!("{} (all items)", cfg.digest.title),
                subtitle: String::new(),
                updated: store.newest(&q)?.unwrap_or_default(),
            };
            let mut stream = atom::AtomStream::start(&mut out, &head, Some(cfg.digest.timezone))?;
            store.entries(&q, |e| {
                stream
                    .entry(&e)
                    .map_err(|e| crate::Error::io("<output>", e))
            })?;
            stream.finish()?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn csv_row(e: &DigestEntry) -> Vec<String> {
    let t = |d: Option<chrono::DateTime<Utc>>| d.map(|d| d.to_rfc3339()).unwrap_or_default();
    let d = e.disclosure.as_ref();
    vec![
        e.item_id.to_string(),
        e.feed_name.clone(),
        e.item.title.clone().unwrap_or_default(),
        e.item.link.clone().unwrap_or_default(),
        t(e.item.published),
        t(e.item.updated),
        e.first_seen.to_rfc3339(),
        e.item.authors.join("; "),
        e.item.categories.join("; "),
        e.article
            .as_ref()
            .and_then(|a| a.language.clone())
            .unwrap_or_default(),
        e.article
            .as_ref()
            .map(|a| a.extraction.basis.as_str().to_string())
            .unwrap_or_default(),
        d.map(|d| d.source_type.label.as_str().to_string())
            .unwrap_or_default(),
        d.and_then(|d| serde_json::to_value(d.source_type.asserted_by).ok())
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        e.summary
            .as_ref()
            .map(|s| s.method.as_str().to_string())
            .unwrap_or_default(),
        e.summary.as_ref().map(|s| s.text()).unwrap_or_default(),
        d.map(|d| d.lines.join(" | ")).unwrap_or_default(),
    ]
}
