//! `feedbrief extract FILE|DIR... --format json` (issue 4; not built yet).

use std::process::ExitCode;

use clap::Args as ClapArgs;

#[derive(Debug, ClapArgs)]
pub struct ExtractArgs {}

pub fn run(_a: &ExtractArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`extract` is not available yet")
}
