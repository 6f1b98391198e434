//! `feedbrief summarize --input pairs.jsonl` (issue 5; not built yet).

use std::process::ExitCode;

use clap::Args as ClapArgs;

use super::Args;

#[derive(Debug, ClapArgs)]
pub struct SummarizeArgs {}

pub fn run(_args: &Args, _a: &SummarizeArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`summarize` is not available yet")
}
