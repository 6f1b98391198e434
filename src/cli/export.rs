//! `feedbrief export` (issue 7; not built yet).

use std::process::ExitCode;

use clap::Args as ClapArgs;

use super::Args;

#[derive(Debug, ClapArgs)]
pub struct ExportArgs {}

pub fn run(_args: &Args, _a: &ExportArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`export` is not available yet")
}
