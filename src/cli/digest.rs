//! `feedbrief digest`: render the items stored in one day (or a recent span) as
//! Markdown, HTML, JSON, Atom or JSON Feed, streamed to stdout or to a file.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::{NaiveDate, Utc};
use clap::Args as ClapArgs;

use super::{Args, UsageError, check_filters, load_config, output_name};
use crate::config::parse_duration;
use crate::export::digest::{Period, StoreDigest};
use crate::export::{self, Format, atom, sink};
use crate::store::Store;

#[derive(Debug, ClapArgs)]
pub(crate) struct DigestArgs {
    /// The day to cover (YYYY-MM-DD, "today" or "yesterday"), a calendar day in the
    /// `[digest] timezone`: the items first stored that day. Default: today.
    #[arg(long, conflicts_with = "since")]
    pub(crate) date: Option<String>,
    /// Cover a span up to now instead of a day, e.g. "24h", "90m", "2d": the items
    /// first stored in it.
    #[arg(long)]
    pub(crate) since: Option<String>,
    /// markdown, html, json, atom or jsonfeed.
    #[arg(long, default_value = "markdown")]
    pub(crate) format: Format,
    /// Write to this file instead of standard output (atomically when it is a
    /// regular file or new; straight into a device or FIFO).
    #[arg(long)]
    pub(crate) out: Option<PathBuf>,
    /// The address the Atom digest will be served from, for its `rel="self"` link
    /// (default: the digest's own id, a urn:uuid).
    #[arg(long, value_name = "URL")]
    pub(crate) self_url: Option<String>,
    /// Only feeds with this tag.
    #[arg(long)]
    pub(crate) tag: Option<String>,
    /// Only this feed.
    #[arg(long)]
    pub(crate) feed: Option<String>,
}

impl clap::builder::ValueParserFactory for Format {
    type Parser = clap::builder::ValueParser;
    fn value_parser() -> Self::Parser {
        clap::builder::ValueParser::new(|s: &str| s.parse::<Format>())
    }
}

pub(crate) fn run(args: &Args, a: &DigestArgs) -> anyhow::Result<ExitCode> {
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
    if let Some(u) = &a.self_url
        && url::Url::parse(u).is_err()
    {
        return Err(UsageError(format!("--self-url {u:?}: write an absolute URL")).into());
    }
    let store = Store::open(&cfg.settings.database)?;
    check_filters(&cfg, &store, a.feed.as_deref(), a.tag.as_deref())?;
    // Streamed from the store to the output: memory stays flat however many items
    // the period holds.
    store
        .read_snapshot(|| {
            let digest =
                StoreDigest::new(&store, &cfg, period, a.feed.as_deref(), a.tag.as_deref())?;
            sink::write_to(a.out.as_deref(), |w| {
                match a.format {
                    Format::Atom => atom::render_at(&digest, a.self_url.as_deref(), w),
                    f => export::render(&digest, f, w),
                }
                .map_err(|e| crate::Error::io(output_name(a.out.as_deref()), e))
            })
        })
        .with_context(|| match &a.out {
            Some(p) => format!("writing the digest to {}", p.display()),
            None => "writing the digest".to_string(),
        })?;
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
