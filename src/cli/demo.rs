//! `feedbrief demo`: serve the bundled sample sites on 127.0.0.1, write a feeds.toml
//! for them in a fresh folder, run one real pass (`run_pass`, the code path of
//! `feedbrief run`) into a new database there, and print the sample day's digest.
//! Never reads or writes the user's feeds.toml or database: `--config` and `--db`
//! are ignored.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args as ClapArgs;

use super::run::run_pass;
use super::{Args, EXIT_FAILURE, UsageError};
use crate::config::{Config, write_atomically};
use crate::demo::{self, Server};
use crate::export::{self, Format, digest::Period};
use crate::pipeline::{FeedOutcome, RunOptions};
use crate::store::Store;

#[derive(Debug, ClapArgs)]
pub(crate) struct DemoArgs {
    /// Digest format: markdown, html, json, atom or jsonfeed.
    #[arg(long, value_name = "FORMAT", default_value = "markdown")]
    pub(crate) format: Format,
    /// Keep the demo's feeds.toml and database in DIR (a new or empty folder) instead
    /// of a temporary folder removed at exit.
    #[arg(long, value_name = "DIR")]
    pub(crate) keep: Option<PathBuf>,
}

pub(crate) fn run(args: &Args, a: &DemoArgs) -> anyhow::Result<ExitCode> {
    if args.db.is_some() {
        tracing::info!("The demo uses its own database; --db is ignored.");
    }
    let work = WorkDir::new(a.keep.as_deref())?;
    let server = Server::start(demo::routes).context("cannot start the demo web server")?;
    let origin = server.origin();

    let config_path = work.path().join("feeds.toml");
    write_atomically(&config_path, demo::config_toml(&origin).as_bytes())
        .context("cannot write the demo's feeds.toml")?;
    let cfg = Config::load(&config_path)?;
    let opts = RunOptions {
        all: true,
        feed: None,
    };
    let report = run_pass(cfg.clone(), &opts, false).context("the demo run failed")?;

    let store = Store::open(&cfg.settings.database)?;
    // The sample items are dated on one fixed day; the demo shows that day's digest
    // whenever it runs, so it selects by published date.
    let mut digest = store
        .read_snapshot(|| {
            export::digest::StoreDigest::by_published_date(&store, &cfg, Period::Day(demo::DAY))?
                .collect()
        })
        .context("cannot build the demo digest")?;
    drop(store);
    demo::show_public_names(&mut digest, &origin)?;
    let answered = server.answered();
    drop(server);

    let bytes = export::render_to_vec(&digest, a.format).context("cannot render the digest")?;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(&bytes).and_then(|_| stdout.flush()) {
        Ok(()) => {}
        // `feedbrief demo | head`: the reader has seen what it wanted.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
        Err(e) => return Err(anyhow::Error::new(e).context("cannot write the digest to stdout")),
    }

    let (pages, failing) = demo::page_counts();
    let fails = if failing == 1 {
        "1 page fails".to_string()
    } else {
        format!("{failing} pages fail")
    };
    eprintln!(
        "feedbrief demo: served {} sample feeds and {pages} article pages from {origin} ({answered} requests; {fails} on purpose, so the feed's excerpt is used).",
        demo::FEEDS.len()
    );
    eprintln!("feedbrief demo: {}.", report.summary_line());
    let failed: Vec<&(String, FeedOutcome)> = report
        .feeds
        .iter()
        .filter(|(_, o)| matches!(o, FeedOutcome::Failed { .. }))
        .collect();
    for (name, outcome) in &failed {
        if let FeedOutcome::Failed { reason } = outcome {
            eprintln!("feedbrief demo: feed {name:?} failed: {reason}");
        }
    }
    eprintln!(
        "feedbrief demo: digest for {} (UTC); links name the sample sites' own addresses (*.example, which do not exist).",
        demo::DAY
    );
    match a.keep.as_deref() {
        Some(dir) => eprintln!(
            "feedbrief demo: kept the database and feeds.toml in {0}; e.g. `feedbrief --config {1} digest --date {2}` (stored links point at the stopped demo server).",
            dir.display(),
            config_path.display(),
            demo::DAY
        ),
        None => eprintln!(
            "feedbrief demo: the temporary database is removed now; pass --keep DIR to keep it."
        ),
    }

    // Every sample feed is bundled and known to parse; a failure here is a bug in
    // feedbrief, and the digest above is missing part of what it should show.
    if !failed.is_empty() || report.item_failures > 0 {
        match proxy_variable() {
            Some(var) => eprintln!(
                "feedbrief demo: {var} is set, so requests go through that proxy, which cannot reach this machine's 127.0.0.1; run it as `NO_PROXY=127.0.0.1 feedbrief demo`."
            ),
            None => {
                eprintln!("feedbrief demo: the demo did not run completely; please report this.")
            }
        }
        return Ok(ExitCode::from(EXIT_FAILURE));
    }
    Ok(ExitCode::SUCCESS)
}

/// The proxy variable the HTTP client will use for `http://127.0.0.1` URLs, if any.
/// reqwest honours these like curl does, and does not exempt loopback addresses unless
/// NO_PROXY names them; the demo cannot work through a proxy on another machine.
fn proxy_variable() -> Option<&'static str> {
    let set = |v: &str| std::env::var_os(v).is_some_and(|x| !x.is_empty());
    let exempt = ["NO_PROXY", "no_proxy"].iter().any(|v| {
        std::env::var(v).is_ok_and(|list| {
            list.split(',')
                .map(str::trim)
                .any(|h| matches!(h, "*" | "127.0.0.1" | "127.0.0.0/8"))
        })
    });
    if exempt {
        return None;
    }
    ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"]
        .into_iter()
        .find(|v| set(v))
}

/// The folder a demo runs in: `--keep DIR` (kept), or a new temporary folder removed
/// when this is dropped.
struct WorkDir {
    path: PathBuf,
    remove: bool,
}

impl WorkDir {
    fn new(keep: Option<&Path>) -> anyhow::Result<WorkDir> {
        match keep {
            Some(dir) => {
                // Only a new or empty folder: `--keep .` in a folder that holds the
                // user's own feeds.toml or database must not write demo feeds into them.
                match std::fs::read_dir(dir) {
                    Ok(mut entries) => {
                        if entries.next().is_some() {
                            return Err(UsageError(format!(
                                "--keep {}: the folder is not empty; give a new or empty folder",
                                dir.display()
                            ))
                            .into());
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        std::fs::create_dir_all(dir)
                            .with_context(|| format!("cannot create {}", dir.display()))?;
                    }
                    Err(e) => {
                        return Err(anyhow::Error::new(e)
                            .context(format!("cannot use {} for --keep", dir.display())));
                    }
                }
                Ok(WorkDir {
                    path: dir.to_path_buf(),
                    remove: false,
                })
            }
            None => {
                let base = std::env::temp_dir();
                let stamp = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or(0);
                // create_dir (not _all) fails if the name exists: nobody else's folder
                // is ever reused or removed.
                for attempt in 0..100u32 {
                    let path = base.join(format!(
                        "feedbrief-demo-{}-{stamp}-{attempt}",
                        std::process::id()
                    ));
                    match std::fs::create_dir(&path) {
                        Ok(()) => return Ok(WorkDir { path, remove: true }),
                        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                        Err(e) => {
                            return Err(anyhow::Error::new(e).context(format!(
                                "cannot create a temporary folder in {}",
                                base.display()
                            )));
                        }
                    }
                }
                anyhow::bail!(
                    "cannot create a temporary folder in {}: every name is taken",
                    base.display()
                )
            }
        }
    }

    fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        if self.remove
            && let Err(e) = std::fs::remove_dir_all(&self.path)
        {
            tracing::warn!(path = %self.path.display(), error = %e, "Could not remove the demo's temporary folder.");
        }
    }
}
