//! `feedbrief run` (one pass, for cron), `watch` (long-running) and `demo`.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::Args as ClapArgs;
use indicatif::{ProgressBar, ProgressStyle};

use super::{Args, load_config, runtime};
use crate::config::Config;
use crate::pipeline::{FeedOutcome, NoProgress, Pipeline, Progress, RunOptions, RunReport};
use crate::store::{RunLock, Store};

#[derive(Debug, ClapArgs)]
pub struct RunArgs {
    /// Check every enabled feed, ignoring schedules.
    #[arg(long)]
    pub all: bool,
    /// Check only this feed (by name), due or not.
    #[arg(long, value_name = "NAME")]
    pub feed: Option<String>,
    /// Print nothing but fatal errors (for cron).
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, ClapArgs)]
pub struct WatchArgs {
    /// Print nothing but fatal errors.
    #[arg(short, long)]
    pub quiet: bool,
}

pub use super::demo::DemoArgs;

pub fn run(args: &Args, a: &RunArgs) -> anyhow::Result<ExitCode> {
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

pub fn watch(args: &Args, a: &WatchArgs) -> anyhow::Result<ExitCode> {
    let cfg = load_config(args)?;
    let db = cfg.settings.database.clone();
    let _lock = RunLock::acquire(&db)?;
    let store = Arc::new(Store::open(&db)?);
    let rt = runtime()?;
    rt.block_on(async move {
        let pipeline = Pipeline::new(cfg, store)?;
        let mut shutdown = Box::pin(shutdown_signal());
        let opts = RunOptions::default();
        loop {
            let report = tokio::select! {
                r = pipeline.run_once(&opts, &NoProgress) => r?,
                _ = &mut shutdown => break,
            };
            if !a.quiet && !report.feeds.is_empty() {
                print_report(&report);
            }
            let next = crate::pipeline::next_due(&pipeline.cfg, &pipeline.store)?;
            let wait = next
                .and_then(|t| (t - chrono::Utc::now()).to_std().ok())
                .unwrap_or(std::time::Duration::from_secs(60))
                // Wake up at least hourly so config-independent retries are not starved,
                // and never spin.
                .clamp(
                    std::time::Duration::from_secs(1),
                    std::time::Duration::from_secs(3600),
                );
            tracing::info!(
                seconds = wait.as_secs(),
                "Sleeping until the next feed is due."
            );
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = &mut shutdown => break,
            }
        }
        if !a.quiet {
            eprintln!("feedbrief: stopped.");
        }
        Ok::<_, anyhow::Error>(())
    })
    .context("watch failed")?;
    Ok(ExitCode::SUCCESS)
}

/// Resolves on SIGINT or SIGTERM.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
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
