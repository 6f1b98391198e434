//! `feedbrief digest` (issue 7; not built yet).

use std::process::ExitCode;

use clap::Args as ClapArgs;

use super::Args;

#[derive(Debug, ClapArgs)]
pub struct DigestArgs {}

pub fn run(_args: &Args, _a: &DigestArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`digest` is not available yet")
}
