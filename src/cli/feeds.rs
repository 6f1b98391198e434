//! `feedbrief feeds list|add|remove|import|export`.

use std::process::ExitCode;

use clap::Subcommand;

use super::Args;

#[derive(Debug, Subcommand)]
pub enum FeedsCommand {
    List,
}

pub fn run(_args: &Args, _c: &FeedsCommand) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not yet")
}
