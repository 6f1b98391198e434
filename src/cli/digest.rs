//! `feedbrief digest`: render the stored items of one day (or a recent span) as
//! Markdown, HTML, JSON, Atom or JSON Feed, to stdout or atomically to a file.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::{NaiveDate, Utc};
use clap::Args as ClapArgs;

use super::{Args, UsageError, load_config};
use crate::config::{self, parse_duration};
use crate::export::digest::{self, Period};
use crate::export::{self, Format};
use crate::store::Store;

#[derive(Debug, ClapArgs)]
pub struct DigestArgs {
    /// The day to cover (YYYY-MM-DD, "today" or "yesterday"), a calendar day in the
    /// `[digest] timezone`. Default: today.
    #[arg(long, conflicts_with = "since")]
    pub date: Option<String>,
    /// Cover a span up to now instead of a day, e.g. "24h", "90m", "2d".
    #[arg(long)]
    pub since: Option<String>,
    /// markdown, html, json, atom or jsonfeed.
    #[arg(long, default_value = "markdown")]
    pub format: Format,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Only feeds with this tag.
    #[arg(long)]
    pub tag: Option<String>,
    /// Only this feed.
    #[arg(long)]
    pub feed: Option<String>,
}

impl clap::builder::ValueParserFactory for Format {
    type Parser = clap::builder::ValueParser;
    fn value_parser() -> Self::Parser {
        clap::builder::ValueParser::new(|s: &str| s.parse::<Format>())
    }
}

pub fn run(args: &Args, a: &DigestArgs) -> anyhow::Result<ExitCode> {
    let cfg = load_config(args)?;
    let tz = cfg.digest.timezone;
    let period = match (&a.date, &a.since) {
        (_, Some(s)) => {
            let span = parse_duration(s)
                .and_then(|d| chrono::Duration::from_std(d).ok())
                .filter(|d| *d > chrono::Duration::zero())
                .ok_or_else(|| {
                    UsageError(format!(
                        "--since {s:?}: write a span such as 24h, 90m or 2d"
                    ))
                })?;
            Period::Since {
                span,
                until: Utc::now(),
            }
        }
        (Some(d), None) => Period::Day(parse_day(d, tz)?),
        (None, None) => Period::Day(Utc::now().with_timezone(&tz).date_naive()),
    };
    let store = Store::open(&cfg.settings.database)?;
    let digest = digest::build(&store, &cfg, period, a.feed.as_deref(), a.tag.as_deref())?;
    let bytes = export::render_to_vec(&digest, a.format)?;
    match &a.out {
        Some(path) => config::write_atomically(path, &bytes)
            .with_context(|| format!("writing the digest to {}", path.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_day(s: &str, tz: chrono_tz::Tz) -> Result<NaiveDate, UsageError> {
    let today = Utc::now().with_timezone(&tz).date_naive();
    match s.trim().to_ascii_lowercase().as_str() {
        "today" => Ok(today),
        "yesterday" => today
            .pred_opt()
            .ok_or_else(|| UsageError("no day before today".into())),
        other => NaiveDate::parse_from_str(other, "%Y-%m-%d").map_err(|_| {
            UsageError(format!(
                "--date {s:?}: write YYYY-MM-DD, today or yesterday"
            ))
        }),
    }
}
