//! `feedbrief export`: every stored item with its article, summary and disclosure, as
//! JSON Lines, CSV or Atom, streamed row by row (constant memory) for use in other
//! tools.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::Utc;
use clap::{Args as ClapArgs, ValueEnum};

use super::{Args, UsageError, check_filters, load_config, output_name};
use crate::config::parse_duration;
use crate::export::atom;
use crate::export::rows::{CsvStream, JsonlStream};
use crate::export::sink;
use crate::model::DigestEntry;
use crate::store::{EntryQuery, Store};

#[derive(Debug, ClapArgs)]
pub(crate) struct ExportArgs {
    #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
    pub(crate) format: ExportFormat,
    /// Write to this file instead of standard output (atomically when it is a
    /// regular file or new; straight into a device or FIFO).
    #[arg(long)]
    pub(crate) out: Option<PathBuf>,
    /// Only items from this recent span, e.g. "7d".
    #[arg(long)]
    pub(crate) since: Option<String>,
    /// Only this feed.
    #[arg(long)]
    pub(crate) feed: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ExportFormat {
    /// One JSON record per line: item, article, summary, disclosure.
    Jsonl,
    /// One row per item with the main fields.
    Csv,
    /// An Atom 1.0 feed of every item, with the disclosure elements of the digest.
    Atom,
}

pub(crate) fn run(args: &Args, a: &ExportArgs) -> anyhow::Result<ExitCode> {
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
    check_filters(&cfg, &store, a.feed.as_deref(), None)?;
    let q = EntryQuery {
        from,
        feed: a.feed.clone(),
        storage_order: true,
        ..EntryQuery::default()
    };
    let io = |e: std::io::Error| crate::Error::io(output_name(a.out.as_deref()), e);
    let entries = |f: &mut dyn FnMut(&DigestEntry) -> std::io::Result<()>| {
        store.entries(&q, |e| f(&e).map_err(io))
    };
    sink::write_to(a.out.as_deref(), |out| match a.format {
        ExportFormat::Jsonl => {
            let mut s = JsonlStream::new(out);
            entries(&mut |e| s.entry(e))?;
            s.finish().map_err(io)
        }
        ExportFormat::Csv => {
            let mut s = CsvStream::start(&mut *out).map_err(io)?;
            entries(&mut |e| s.entry(e))?;
            s.finish().map_err(io)
        }
        ExportFormat::Atom => {
            let head = atom::FeedHead {
                id: crate::disclose::uuid_urn(&["feedbrief-export", &cfg.digest.title]),
                title: format!("{} (all items)", cfg.digest.title),
                subtitle: String::new(),
                updated: store.newest(&q)?.unwrap_or_default(),
                self_url: None,
            };
            let mut s =
                atom::AtomStream::start(&mut *out, &head, Some(cfg.digest.timezone)).map_err(io)?;
            entries(&mut |e| s.entry(e))?;
            s.finish().map_err(io)
        }
    })
    .with_context(|| match &a.out {
        Some(p) => format!("writing the export to {}", p.display()),
        None => "writing the export".to_string(),
    })?;
    Ok(ExitCode::SUCCESS)
}
