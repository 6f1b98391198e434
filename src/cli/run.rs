//! `feedbrief run` (one pass, for cron), `watch` (long-running) and `demo`.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use chrono::Utc;
use clap::Args as ClapArgs;
use indicatif::{ProgressBar, ProgressStyle};

use super::{Args, load_config, runtime};
use crate::config::Config;
use crate::pipeline::{FeedOutcome, NoProgress, Pipeline, Progress, RunOptions, RunReport};
use crate::scheduler;
use crate::store::{RunLock, Store};

#[derive(Debug, ClapArgs)]
pub(crate) struct RunArgs {
    /// Check every enabled feed, ignoring schedules.
    #[arg(long)]
    pub(crate) all: bool,
    /// Check only this feed (by name), due or not.
    #[arg(long, value_name = "NAME")]
    pub(crate) feed: Option<String>,
    /// Print nothing but fatal errors (for cron).
    #[arg(short, long)]
    pub(crate) quiet: bool,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct WatchArgs {
    /// Print nothing but fatal errors.
    #[arg(short, long)]
    pub(crate) quiet: bool,
}

pub(crate) use super::demo::DemoArgs;

pub(crate) fn run(args: &Args, a: &RunArgs) -> anyhow::Result<ExitCode> {
    let cfg = load_config(args)?;
    if let Some(name) = &a.feed
        && cfg.feed(name).is_none()
    {
        return Err(super::UsageError(format!(
            "no feed named {name:?} in {}",
            args.config.display()
        ))
        .into());
    }
    let opts = RunOptions {
        all: a.all,
        feed: a.feed.clone(),
    };
    let report = run_pass(cfg, &opts, a.quiet)?;
    if !a.quiet {
        print_report(&report);
        print_waiting(&report);
    }
    Ok(ExitCode::SUCCESS)
}

/// Lock, open, run one pass. Shared by `run` and `demo`.
pub(crate) fn run_pass(cfg: Config, opts: &RunOptions, quiet: bool) -> anyhow::Result<RunReport> {
    let db = cfg.settings.database.clone();
    let _lock = RunLock::acquire(&db)?;
    let store = Arc::new(Store::open(&db)?);
    let rt = runtime()?;
    rt.block_on(async {
        let pipeline = Pipeline::new(cfg, store)?;
        let bar = (!quiet && std::io::stderr().is_terminal()).then(Bar::new);
        let progress: &dyn Progress = match &bar {
            Some(b) => b,
            None => &NoProgress,
        };
        let report = pipeline.run_once(opts, progress).await?;
        if let Some(b) = bar {
            b.0.finish_and_clear();
        }
        Ok::<_, anyhow::Error>(report)
    })
}

fn print_report(report: &RunReport) {
    for (name, outcome) in &report.feeds {
        if let FeedOutcome::Failed { reason } = outcome {
            eprintln!("feedbrief: feed {name:?} failed: {reason}");
        }
    }
    eprintln!("feedbrief: {}", report.summary_line());
}

/// Why a pass may have done little: feeds backing off after errors (a fixed config does
/// not make them due sooner) and feeds no longer polled after a 410.
fn print_waiting(report: &RunReport) {
    if report.backing_off > 0 {
        let when = report
            .next_backoff_check
            .map(|t| {
                let mins = (t - Utc::now()).num_minutes().max(0);
                format!(
                    " (next check {} UTC, in {mins} min)",
                    t.format("%Y-%m-%d %H:%M")
                )
            })
            .unwrap_or_default();
        let n = report.backing_off;
        let (s, are) = if n == 1 { ("", "is") } else { ("s", "are") };
        eprintln!(
            "feedbrief: {n} feed{s} {are} backing off after errors{when}; `feedbrief run --all` checks them now."
        );
    }
    if !report.gone.is_empty() {
        eprintln!(
            "feedbrief: not polled, gone (HTTP 410): {}; `feedbrief run --feed NAME` checks one again (see `feeds list`).",
            report.gone.join(", ")
        );
    }
}

pub(crate) fn watch(args: &Args, a: &WatchArgs) -> anyhow::Result<ExitCode> {
    let cfg = load_config(args)?;
    let db = cfg.settings.database.clone();
    let _lock = RunLock::acquire(&db)?;
    let store = Arc::new(Store::open(&db)?);
    let rt = runtime()?;
    rt.block_on(async move {
        let pipeline = &Pipeline::new(cfg, store)?;
        let opts = &RunOptions::default();
        let quiet = a.quiet;
        let pass = move || async move {
            let report = pipeline.run_once(opts, &NoProgress).await?;
            if !quiet && !report.feeds.is_empty() {
                print_report(&report);
            }
            pipeline.next_due()
        };
        scheduler::watch(pass, scheduler::shutdown_signal()).await?;
        if !quiet {
            eprintln!("feedbrief: stopped.");
        }
        Ok::<_, anyhow::Error>(())
    })
    .context("watch failed")?;
    Ok(ExitCode::SUCCESS)
}

/// A progress bar on stderr, one tick per feed.
struct Bar(ProgressBar);

impl Bar {
    fn new() -> Bar {
        let pb = ProgressBar::new(0);
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} feeds {wide_msg}")
        {
            pb.set_style(style.progress_chars("=> "));
        }
        pb.enable_steady_tick(std::time::Duration::from_millis(200));
        Bar(pb)
    }
}

impl Progress for Bar {
    fn start(&self, feeds: usize) {
        self.0.set_length(feeds as u64);
    }
    fn feed_done(&self, name: &str, outcome: &FeedOutcome) {
        self.0.inc(1);
        let what = match outcome {
            FeedOutcome::Fetched { new_items } => format!("{name}: {new_items} new"),
            FeedOutcome::NotModified => format!("{name}: not modified"),
            FeedOutcome::Failed { .. } => format!("{name}: failed"),
        };
        self.0.set_message(what);
    }
}
