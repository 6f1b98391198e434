//! `feedbrief query` (issue 7; not built yet).

use std::process::ExitCode;

use clap::Args as ClapArgs;

use super::Args;

#[derive(Debug, ClapArgs)]
pub struct QueryArgs {}

pub fn run(_args: &Args, _a: &QueryArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`query` is not available yet")
}
