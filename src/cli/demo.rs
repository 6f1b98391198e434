//! `feedbrief demo` (issue 7; not built yet).

use std::process::ExitCode;

use clap::Args as ClapArgs;

use super::Args;

#[derive(Debug, ClapArgs)]
pub struct DemoArgs {}

pub fn run(_args: &Args, _a: &DemoArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`demo` is not available yet")
}
