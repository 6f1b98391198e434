//! `feedbrief summarize --input pairs.jsonl [--method extractive|llm] --format jsonl`:
//! summaries of `{"id","text","title"?,"lang"?}` lines as `{"id","summary",...}` lines,
//! one sentence per line inside `summary` (what `rouge.py` reads). Output keeps input
//! order. With `--method llm` the `[summarizer]` section of `--config` is used.

use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Args as ClapArgs, ValueEnum};
use futures::StreamExt;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Args, UsageError};
use crate::config::{Config, DEFAULT_CONFIG, SummarizerConfig};
use crate::fetch::Fetcher;
use crate::model::{Summary, SummaryInput, SummaryMethod};
use crate::summarize::{ExtractiveOptions, MemoryCache, Summarizers, extractive};

#[derive(Debug, ClapArgs)]
pub(crate) struct SummarizeArgs {
    /// JSONL file of {"id","text","title"?,"lang"?} lines ("-" reads standard input).
    #[arg(long)]
    pub(crate) input: PathBuf,
    /// Summarizer to use (default: extractive).
    #[arg(long, value_enum, default_value_t = MethodArg::Extractive)]
    pub(crate) method: MethodArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    pub(crate) format: Format,
    /// Target number of sentences (overrides `[summarizer] sentences`).
    #[arg(long)]
    pub(crate) sentences: Option<usize>,
    /// Target number of words (overrides `[summarizer] words`).
    #[arg(long)]
    pub(crate) words: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum MethodArg {
    Extractive,
    Llm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Jsonl,
}

#[derive(Deserialize)]
struct Record {
    id: Value,
    text: String,
    title: Option<String>,
    lang: Option<String>,
}

pub(crate) fn run(args: &Args, a: &SummarizeArgs) -> anyhow::Result<ExitCode> {
    let mut cfg = summarizer_config(args, a.method)?;
    if let Some(n) = a.sentences {
        if n == 0 {
            return Err(UsageError("--sentences must be at least 1".into()).into());
        }
        cfg.summarizer.sentences = n;
    }
    if let Some(n) = a.words {
        if n == 0 {
            return Err(UsageError("--words must be at least 1".into()).into());
        }
        cfg.summarizer.words = n;
    }
    let records = read_records(&a.input)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match a.method {
        MethodArg::Extractive => {
            let opts = ExtractiveOptions::from_config(&cfg.summarizer);
            for r in &records {
                let s = extractive(input_of(r), &opts);
                write_line(&mut out, r, &s)?;
            }
        }
        MethodArg::Llm => run_llm(&cfg, &records, &mut out)?,
    }
    out.flush().context("writing the summaries")?;
    Ok(ExitCode::SUCCESS)
}

/// The config for this command. The llm needs `--config`; extractive summaries only
/// use its length settings, and run on defaults when the default file is absent.
fn summarizer_config(args: &Args, method: MethodArg) -> anyhow::Result<Config> {
    let default_missing = args.config == Path::new(DEFAULT_CONFIG) && !args.config.exists();
    if default_missing && method == MethodArg::Extractive {
        return Ok(Config::default());
    }
    let cfg =
        super::load_config(args).with_context(|| format!("loading {}", args.config.display()))?;
    if method == MethodArg::Llm && cfg.summarizer.llm.is_none() {
        return Err(UsageError(format!(
            "--method llm needs a [summarizer.llm] section in {}",
            args.config.display()
        ))
        .into());
    }
    Ok(cfg)
}

fn read_records(path: &Path) -> anyhow::Result<Vec<Record>> {
    let reader: Box<dyn BufRead> = if path == Path::new("-") {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        let f = std::fs::File::open(path).map_err(|e| super::unreadable(path, e))?;
        Box::new(std::io::BufReader::new(f))
    };
    let mut records = Vec::new();
    for (n, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| super::unreadable(path, format!("line {}: {e}", n + 1)))?;
        if line.trim().is_empty() {
            continue;
        }
        let r: Record = serde_json::from_str(&line).with_context(|| {
            format!(
                "{}:{}: expected {{\"id\", \"text\", \"title\"?, \"lang\"?}}",
                path.display(),
                n + 1
            )
        })?;
        records.push(r);
    }
    Ok(records)
}

fn input_of(r: &Record) -> SummaryInput<'_> {
    SummaryInput {
        text: &r.text,
        title: r.title.as_deref(),
        lang: r.lang.as_deref(),
    }
}

fn write_line(out: &mut impl Write, r: &Record, s: &Summary) -> anyhow::Result<()> {
    let mut v = json!({
        "id": r.id,
        "summary": s.sentences.join("\n"),
        "method": s.method.as_str(),
    });
    if let Some(reason) = &s.fallback_reason {
        v["fallback_reason"] = json!(reason);
    }
    if s.method == SummaryMethod::Llm {
        v["model"] = json!(s.model);
        v["prompt_version"] = json!(s.prompt_version);
        v["unsupported"] = json!(s.unsupported);
    }
    writeln!(out, "{v}").context("writing the summaries")?;
    Ok(())
}

fn run_llm(cfg: &Config, records: &[Record], out: &mut impl Write) -> anyhow::Result<()> {
    let rt = super::runtime()?;
    rt.block_on(async {
        let fetcher = Fetcher::new(&cfg.settings)?;
        let summarizers = Summarizers::new(&cfg.summarizer, fetcher, Arc::new(MemoryCache::new()))?;
        let concurrency = llm_concurrency(&cfg.summarizer);
        // `buffered` keeps input order while up to `concurrency` requests run.
        let mut results = futures::stream::iter(records.iter())
            .map(|r| {
                let s = &summarizers;
                async move { (r, s.summarize(Some(SummaryMethod::Llm), input_of(r)).await) }
            })
            .buffered(concurrency);
        let (mut total, mut fallbacks) = (0usize, 0usize);
        while let Some((r, s)) = results.next().await {
            total += 1;
            fallbacks += usize::from(s.fallback_reason.is_some());
            write_line(out, r, &s)?;
        }
        if let Some(spent) = summarizers.llm_spent() {
            tracing::info!(
                calls = spent.calls,
                tokens = spent.tokens,
                "Model usage for this run."
            );
        }
        if fallbacks > 0 {
            tracing::warn!(
                total,
                fallbacks,
                "Some texts fell back to extractive summaries."
            );
        }
        anyhow::Ok(())
    })
}

fn llm_concurrency(cfg: &SummarizerConfig) -> usize {
    cfg.llm.as_ref().map_or(1, |l| l.concurrency.max(1))
}
