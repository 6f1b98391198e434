//! Command-line types (clap) and dispatch, one file per subcommand. Errors get their
//! context here (anyhow); `exit_code` maps them to the documented codes.

mod cluster;
mod demo;
mod digest;
mod export;
mod extract;
mod feeds;
mod parse;
mod query;
mod run;
mod summarize;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::{Config, DEFAULT_CONFIG};
use crate::error::Error;

/// Exit codes (documented in the README).
pub(crate) const EXIT_FAILURE: u8 = 1;
pub(crate) const EXIT_USAGE: u8 = 2;
pub(crate) const EXIT_LOCKED: u8 = 3;

#[derive(Debug, Parser)]
#[command(
    name = "feedbrief",
    version,
    about = "Feeds in, summarized and labelled digests out."
)]
pub struct Args {
    /// Configuration file.
    #[arg(long, global = true, env = "FEEDBRIEF_CONFIG", default_value = DEFAULT_CONFIG)]
    pub(crate) config: PathBuf,
    /// Database file (overrides `database` in the config).
    #[arg(long, global = true, env = "FEEDBRIEF_DB")]
    pub(crate) db: Option<PathBuf>,
    /// More log output (-v info, -vv debug); RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub(crate) verbose: u8,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// One pass over the due feeds (for cron).
    Run(run::RunArgs),
    /// Keep running: refresh feeds as they come due until SIGINT/SIGTERM.
    Watch(run::WatchArgs),
    /// List, add, remove, import and export feeds.
    #[command(subcommand)]
    Feeds(feeds::FeedsCommand),
    /// Render a digest of stored items.
    Digest(digest::DigestArgs),
    /// Full-text search over stored items.
    Query(query::QueryArgs),
    /// Export everything stored (streamed).
    Export(export::ExportArgs),
    /// Offline end-to-end demonstration on bundled sample feeds.
    Demo(run::DemoArgs),
    /// Parse feed files and print normalized records (evaluation).
    Parse(parse::ParseArgs),
    /// Extract article text from saved pages (evaluation).
    Extract(extract::ExtractArgs),
    /// Summarize texts from a JSONL file (evaluation).
    Summarize(summarize::SummarizeArgs),
    /// Cluster articles from a JSONL file into stories (evaluation).
    Cluster(cluster::ClusterArgs),
}

pub fn init_logging(args: &Args) {
    let quiet = match &args.command {
        Command::Run(a) => a.quiet,
        Command::Watch(a) => a.quiet,
        _ => false,
    };
    let default = match (args.verbose, quiet) {
        // `--quiet` is for cron: any output mails someone, so only fatal errors (printed
        // by main, not through tracing) get through. `-v` still wins when asked for.
        (0, true) => "off",
        (0, false) => "warn",
        (1, _) => "info",
        _ => "debug",
    };
    // html5ever warns about every quirk of real-world markup ("foster parenting not
    // implemented"); that is noise to a user, so it only speaks up for errors.
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new(format!("{default},html5ever=error,selectors=error"))
    });
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(use_colour())
        .try_init();
}

/// Colours only for a person at a terminal: never into a file or a cron mail, and never
/// when NO_COLOR (https://no-color.org) is set to anything non-empty.
fn use_colour() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Run(ref a) => run::run(&args, a),
        Command::Watch(ref a) => run::watch(&args, a),
        Command::Feeds(ref c) => feeds::run(&args, c),
        Command::Digest(ref a) => digest::run(&args, a),
        Command::Query(ref a) => query::run(&args, a),
        Command::Export(ref a) => export::run(&args, a),
        Command::Demo(ref a) => demo::run(&args, a),
        Command::Parse(ref a) => parse::run(a),
        Command::Extract(ref a) => extract::run(a),
        Command::Summarize(ref a) => summarize::run(&args, a),
        Command::Cluster(ref a) => cluster::run(a),
    }
}

/// Load the config named on the command line and apply `--db`.
pub(crate) fn load_config(args: &Args) -> anyhow::Result<Config> {
    let mut cfg = match Config::load(&args.config) {
        Err(Error::Io { path, source }) => {
            return Err(UsageError(format!(
                "cannot read the configuration {}: {source} (copy feeds.example.toml, or pass --config FILE)",
                path.display()
            ))
            .into());
        }
        other => other?,
    };
    if let Some(db) = &args.db {
        cfg.settings.database = db.clone();
    }
    Ok(cfg)
}

/// The error and its causes on one line, each cause only once: our error messages
/// already name their source (a path's I/O error), so the chain would repeat it.
pub fn error_message(err: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

/// True when the error is a closed output pipe (however the writer wrapped it).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == BrokenPipe)
            || c.downcast_ref::<Error>().is_some_and(
                |e| matches!(e, Error::Io { source, .. } if source.kind() == BrokenPipe),
            )
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(BrokenPipe))
            || c.downcast_ref::<csv::Error>().is_some_and(
                |e| matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == BrokenPipe),
            )
    })
}

/// Map an error to the documented exit code.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<Error>() {
            return match e {
                Error::Config { .. } => EXIT_USAGE,
                Error::Locked { .. } => EXIT_LOCKED,
                _ => EXIT_FAILURE,
            };
        }
        if cause.downcast_ref::<UsageError>().is_some() {
            return EXIT_USAGE;
        }
    }
    EXIT_FAILURE
}

/// A `--feed` or `--tag` that names nothing would give an empty result that looks
/// like a quiet day: name the known ones instead. Feeds count when they are in the
/// config or still in the store.
pub(crate) fn check_filters(
    cfg: &Config,
    store: &crate::store::Store,
    feed: Option<&str>,
    tag: Option<&str>,
) -> anyhow::Result<()> {
    if feed.is_none() && tag.is_none() {
        return Ok(());
    }
    let (mut feeds, mut tags) = store.feed_names_and_tags()?;
    for f in &cfg.feeds {
        feeds.push(f.name.clone());
        tags.extend(f.tags.iter().cloned());
    }
    for (flag, want, list, what) in [
        ("--feed", feed, &mut feeds, ("no such feed", "known feeds")),
        (
            "--tag",
            tag,
            &mut tags,
            ("no feed has this tag", "known tags"),
        ),
    ] {
        let Some(want) = want else { continue };
        list.sort_by_key(|s| s.to_lowercase());
        list.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        if !list.iter().any(|s| s.eq_ignore_ascii_case(want)) {
            let known: Vec<String> = list.iter().map(|s| format!("{s:?}")).collect();
            let known = if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            };
            return Err(
                UsageError(format!("{flag} {want:?}: {} ({}: {known})", what.0, what.1)).into(),
            );
        }
    }
    Ok(())
}

/// The one rule for input files: a file or folder the user named (an argument, a
/// flag) that is missing or unreadable is a usage error (exit 2), whichever command
/// names it.
pub(crate) fn unreadable(path: &std::path::Path, err: impl std::fmt::Display) -> UsageError {
    UsageError(format!("cannot read {}: {err}", path.display()))
}

/// How an output is named in an error message.
pub(crate) fn output_name(path: Option<&std::path::Path>) -> PathBuf {
    path.map(std::path::Path::to_path_buf)
        .unwrap_or_else(|| "<stdout>".into())
}

/// A mistake in how the command was called (bad flag value, missing file argument).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct UsageError(pub(crate) String);

/// Build a multi-threaded runtime for commands that do I/O.
pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}
