//! `feedbrief run`, `watch` and `demo`.

use std::process::ExitCode;

use clap::Args as ClapArgs;

use super::Args;

#[derive(Debug, ClapArgs)]
pub struct RunArgs {}
#[derive(Debug, ClapArgs)]
pub struct WatchArgs {}
#[derive(Debug, ClapArgs)]
pub struct DemoArgs {}

pub fn run(_args: &Args, _a: &RunArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not yet")
}
pub fn watch(_args: &Args, _a: &WatchArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not yet")
}
pub fn demo(_args: &Args, _a: &DemoArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not yet")
}
