//! `feedbrief feeds list|add|remove|import|export`: the subscriptions in feeds.toml and
//! their stored fetch state.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Subcommand, ValueEnum};
use serde::Serialize;
use url::Url;

use super::{Args, UsageError, load_config, runtime};
use crate::config::{self, Config, FeedConfig};
use crate::feed::{self, FeedContext};
use crate::fetch::{FetchOutcome, Fetcher};
use crate::model::{FeedState, Validators};
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub(crate) enum FeedsCommand {
    /// Show the configured feeds with their state.
    List {
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Subscribe to a feed (a feed URL, or a web page that links to its feed).
    Add {
        url: String,
        /// Name for the feed (default: the feed's own title).
        #[arg(long)]
        name: Option<String>,
        /// Tag(s) for grouping in digests.
        #[arg(long = "tag")]
        tags: Vec<String>,
        /// Do not fetch the URL to check it and find its title.
        #[arg(long)]
        no_check: bool,
    },
    /// Unsubscribe and delete what was stored from the feed.
    Remove { name: String },
    /// Add the feeds of an OPML file.
    Import { file: PathBuf },
    /// Print the configured feeds as OPML 2.0.
    Export {
        /// Write to this file instead of standard output (atomically when it is a
        /// regular file or new; straight into a device or FIFO).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ListFormat {
    Table,
    Json,
}

pub(crate) fn run(args: &Args, cmd: &FeedsCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        FeedsCommand::List { format } => list(args, *format),
        FeedsCommand::Add {
            url,
            name,
            tags,
            no_check,
        } => add(args, url, name.as_deref(), tags, *no_check),
        FeedsCommand::Remove { name } => remove(args, name),
        FeedsCommand::Import { file } => import(args, file),
        FeedsCommand::Export { out } => export(args, out.as_deref()),
    }
}

#[derive(Serialize)]
struct FeedRow<'a> {
    name: &'a str,
    url: &'a str,
    tags: &'a [String],
    enabled: bool,
    full_text: bool,
    #[serde(flatten)]
    state: Option<&'a FeedState>,
}

fn list(args: &Args, format: ListFormat) -> anyhow::Result<ExitCode> {
    let cfg = load_config(args)?;
    let store = Store::open(&cfg.settings.database)?;
    store.sync_feeds(&cfg.feeds)?;
    let states = store.feed_states()?;
    let rows: Vec<FeedRow> = cfg
        .feeds
        .iter()
        .map(|f| FeedRow {
            name: &f.name,
            url: f.url.as_str(),
            tags: &f.tags,
            enabled: f.enabled,
            full_text: f.full_text,
            state: states.iter().find(|s| s.name == f.name),
        })
        .collect();
    let mut out = std::io::stdout().lock();
    match format {
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &rows)?;
            writeln!(out)?;
        }
        ListFormat::Table => {
            let w = rows
                .iter()
                .map(|r| r.name.chars().count())
                .max()
                .unwrap_or(4)
                .max(4);
            writeln!(
                out,
                "{:<w$}  {:<12}  {:>5}  {:<16}  {:<16}  ERROR",
                "NAME", "STATUS", "ITEMS", "LAST CHECK", "NEXT CHECK"
            )?;
            let fmt = |t: Option<chrono::DateTime<chrono::Utc>>| {
                t.map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                    .unwrap_or_else(|| "-".into())
            };
            for r in &rows {
                let (status, items, last, next, err) = match r.state {
                    Some(s) => (
                        if r.enabled {
                            s.status.to_string()
                        } else {
                            "disabled".into()
                        },
                        s.item_count,
                        fmt(s.last_checked_at),
                        fmt(Some(s.next_check_at)
                            .filter(|t| t.timestamp() > 0 && s.gone_since.is_none())),
                        match (s.gone_since, s.last_error.as_deref()) {
                            (Some(since), e) => format!(
                                "gone since {}, not polled: {}; `run --feed {:?}` checks it again",
                                since.format("%Y-%m-%d %H:%M"),
                                e.unwrap_or("HTTP 410"),
                                r.name
                            ),
                            (None, Some(e)) => format!("({}x) {e}", s.error_count),
                            (None, None) => String::new(),
                        },
                    ),
                    None => ("new".into(), 0, "-".into(), "-".into(), String::new()),
                };
                writeln!(
                    out,
                    "{:<w$}  {:<12}  {:>5}  {:<16}  {:<16}  {}",
                    r.name, status, items, last, next, err
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn add(
    args: &Args,
    raw: &str,
    name: Option<&str>,
    tags: &[String],
    no_check: bool,
) -> anyhow::Result<ExitCode> {
    let url = Url::parse(raw.trim())
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
        .ok_or_else(|| UsageError(format!("{raw:?} is not an http(s) URL")))?;
    let cfg = if args.config.exists() {
        load_config(args)?
    } else {
        Config::default()
    };
    let (url, title) = if no_check {
        (url, None)
    } else {
        let rt = runtime()?;
        rt.block_on(discover(&cfg, url))?
    };
    let name = name
        .map(str::to_string)
        .or(title)
        .unwrap_or_else(|| url.host_str().unwrap_or("feed").to_string());
    let mut f = FeedConfig::new(name.clone(), url.clone());
    f.tags = tags.to_vec();
    let added = config::append_feeds(&args.config, &[f])?;
    if added.is_empty() {
        return Err(UsageError(format!(
            "a feed named {name:?} or with URL {url} is already in {}",
            args.config.display()
        ))
        .into());
    }
    eprintln!(
        "feedbrief: added {name:?} ({url}) to {}",
        args.config.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Fetch the URL: a feed gives its title; an HTML page is searched for its
/// `<link rel="alternate">` feed, which is then fetched to check it.
async fn discover(cfg: &Config, url: Url) -> anyhow::Result<(Url, Option<String>)> {
    let fetcher = Fetcher::new(&cfg.settings)?;
    let mut url = url;
    for _ in 0..2 {
        let fetched = match fetcher.feed(&url, &Validators::default()).await {
            FetchOutcome::Fetched(f) => f,
            FetchOutcome::Failed(e) => {
                return Err(e).context("checking the feed (use --no-check to add it anyway)");
            }
            FetchOutcome::NotModified { .. } => anyhow::bail!("{url}: unexpected 304"),
        };
        let ctx = FeedContext {
            base_url: Some(&fetched.final_url),
            content_type: fetched.content_type.as_deref(),
            content_language: fetched.content_language.as_deref(),
        };
        match feed::parse(&fetched.body, &ctx) {
            Ok(parsed) => return Ok((fetched.moved_to.unwrap_or(url), parsed.title)),
            Err(parse_err) => match feed::discover(&fetched.body, &fetched.final_url)
                .into_iter()
                .next()
            {
                Some(found) => url = found,
                None => {
                    return Err(parse_err).with_context(|| {
                        format!("{url} is neither a feed nor a page that links to one")
                    });
                }
            },
        }
    }
    anyhow::bail!("{url}: the page's feed link leads to another page, not a feed")
}

fn remove(args: &Args, name: &str) -> anyhow::Result<ExitCode> {
    let cfg = load_config(args)?;
    let Some(feed) = cfg.feed(name) else {
        return Err(UsageError(format!(
            "no feed named {name:?} in {}",
            args.config.display()
        ))
        .into());
    };
    let canonical = feed.name.clone();
    config::remove_feed(&args.config, &canonical)?;
    let store = Store::open(&cfg.settings.database)?;
    store.remove_feed(&canonical)?;
    eprintln!("feedbrief: removed {canonical:?} and its stored items");
    Ok(ExitCode::SUCCESS)
}

fn import(args: &Args, file: &PathBuf) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(file).map_err(|e| super::unreadable(file, e))?;
    let (feeds, skipped) =
        crate::opml::parse(&bytes).with_context(|| format!("{}", file.display()))?;
    for s in &skipped {
        eprintln!("feedbrief: {}: skipped outline: {s}", file.display());
    }
    // Names must be unique in feeds.toml: a clash gets the host appended.
    let mut feeds = feeds;
    let mut seen = std::collections::HashSet::new();
    for f in &mut feeds {
        if !seen.insert(f.name.to_lowercase()) {
            f.name = format!("{} ({})", f.name, f.url.host_str().unwrap_or("feed"));
            seen.insert(f.name.to_lowercase());
        }
    }
    let added = config::append_feeds(&args.config, &feeds)?;
    eprintln!(
        "feedbrief: imported {} of {} feeds from {} into {}",
        added.len(),
        feeds.len(),
        file.display(),
        args.config.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn export(args: &Args, out: Option<&std::path::Path>) -> anyhow::Result<ExitCode> {
    let cfg = load_config(args)?;
    let text = crate::opml::write("feedbrief subscriptions", &cfg.feeds);
    crate::export::sink::write_to(out, |w| {
        w.write_all(text.as_bytes())
            .map_err(|e| crate::Error::io(super::output_name(out), e))
    })
    .context("writing the OPML export")?;
    Ok(ExitCode::SUCCESS)
}
