//! `feedbrief parse FILE|DIR... --format jsonl` (issue 3; not built yet).

use std::process::ExitCode;

use clap::Args as ClapArgs;

#[derive(Debug, ClapArgs)]
pub struct ParseArgs {}

pub fn run(_a: &ParseArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`parse` is not available yet")
}
