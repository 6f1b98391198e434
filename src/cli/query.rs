//! `feedbrief query [TEXT]`: ranked full-text search over stored titles, article text
//! and summaries, with highlighted snippets; with filters alone, the matching items
//! newest first.

use std::io::Write;
use std::process::ExitCode;

use chrono::Utc;
use clap::{Args as ClapArgs, ValueEnum};

use super::{Args, UsageError, check_filters, load_config};
use crate::config::parse_duration;
use crate::model::SourceType;
use crate::store::{EntryQuery, Store};

#[derive(Debug, ClapArgs)]
pub(crate) struct QueryArgs {
    /// Words to find (all must match; `word*` matches a prefix; `a OR b`). Without
    /// words, the items matching the filters are listed, newest first.
    pub(crate) text: Vec<String>,
    /// Only items from this recent span, e.g. "24h", "7d".
    #[arg(long)]
    pub(crate) since: Option<String>,
    #[arg(long)]
    pub(crate) feed: Option<String>,
    #[arg(long)]
    pub(crate) tag: Option<String>,
    /// Only sources of this type: reportage, opinion, analysis, review, background,
    /// sponsored, satire, unknown.
    #[arg(long = "type", value_parser = parse_type)]
    pub(crate) source_type: Option<SourceType>,
    #[arg(long, default_value_t = 20)]
    pub(crate) limit: usize,
    /// List the items of this story (the same event from several outlets), oldest
    /// first; each item's story id is `story` in `query --format json`.
    #[arg(long, conflicts_with_all = ["text", "since", "feed", "tag", "source_type"])]
    pub(crate) story: Option<i64>,
    #[arg(long, value_enum, default_value_t = QueryFormat::Table)]
    pub(crate) format: QueryFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum QueryFormat {
    Table,
    Json,
}

fn parse_type(s: &str) -> Result<SourceType, String> {
    SourceType::parse(&s.to_ascii_lowercase()).ok_or_else(|| {
        let all: Vec<&str> = SourceType::ALL.iter().map(|t| t.as_str()).collect();
        format!("unknown type {s:?} (expected one of {})", all.join(", "))
    })
}

pub(crate) fn run(args: &Args, a: &QueryArgs) -> anyhow::Result<ExitCode> {
    let cfg = load_config(args)?;
    let from = match &a.since {
        None => None,
        Some(s) => {
            let d = parse_duration(s)
                .and_then(|d| chrono::Duration::from_std(d).ok())
                .ok_or_else(|| {
                    UsageError(format!("--since {s:?}: write a span such as 24h or 7d"))
                })?;
            Some(Utc::now() - d)
        }
    };
    let store = Store::open(&cfg.settings.database)?;
    if let Some(story) = a.story {
        return list_story(&store, story, a.format);
    }
    check_filters(&cfg, &store, a.feed.as_deref(), a.tag.as_deref())?;
    let q = EntryQuery {
        from,
        feed: a.feed.clone(),
        tag: a.tag.clone(),
        source_type: a.source_type,
        limit: Some(a.limit.max(1)),
        ..EntryQuery::default()
    };
    let text = a.text.join(" ");
    let hits = if text.trim().is_empty() {
        store.latest(&q)?
    } else {
        store.search(&text, &q)?
    };
    let mut out = std::io::stdout().lock();
    match a.format {
        QueryFormat::Json => {
            // Each hit with its story, for `query --story`.
            let mut rows = Vec::with_capacity(hits.len());
            for h in &hits {
                let mut v = serde_json::to_value(h)?;
                v["story"] = serde_json::json!(store.story_of(h.item_id)?);
                rows.push(v);
            }
            serde_json::to_writer_pretty(&mut out, &rows)?;
            writeln!(out)?;
        }
        QueryFormat::Table => {
            if hits.is_empty() {
                eprintln!("feedbrief: no matches");
            }
            for h in &hits {
                writeln!(
                    out,
                    "{}  {}  [{}]  {}",
                    h.when.format("%Y-%m-%d %H:%M"),
                    h.feed,
                    h.source_type.as_deref().unwrap_or("-"),
                    h.title.as_deref().unwrap_or("(untitled)")
                )?;
                writeln!(out, "    {}", h.snippet.replace('\n', " "))?;
                if let Some(link) = &h.link {
                    writeln!(out, "    {link}")?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn list_story(store: &Store, story: i64, format: QueryFormat) -> anyhow::Result<ExitCode> {
    let items = store.story_items(story)?;
    let mut out = std::io::stdout().lock();
    match format {
        QueryFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &items)?;
            writeln!(out)?;
        }
        QueryFormat::Table => {
            if items.is_empty() {
                eprintln!("feedbrief: no story {story}");
            }
            for i in &items {
                let when = i
                    .published
                    .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
                    .map_or_else(
                        || "undated".to_string(),
                        |d| d.format("%Y-%m-%d %H:%M").to_string(),
                    );
                writeln!(
                    out,
                    "{when}  {}  {}",
                    i.feed,
                    i.title.as_deref().unwrap_or("(untitled)")
                )?;
                if let Some(link) = &i.link {
                    writeln!(out, "    {link}")?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
