//! `feedbrief extract FILE|DIR... [--url URL] [--urls ground-truth.json] --format json`:
//! runs the extractor over saved pages and prints one JSON object keyed by file stem
//! (the shape `extraction_f1.py` reads). Pages that fail are reported on stderr and
//! printed with an empty body, so every input has a row.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args as ClapArgs, ValueEnum};
use serde::Deserialize;
use url::Url;

use super::UsageError;
use crate::extract::{self, ExtractOptions, SiteRules};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ExtractFormat {
    /// `{"<stem>": {"articleBody": ..., "title": ...}}` for evaluation scripts.
    Json,
    /// `{"<stem>": <full Article record>}`.
    Article,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct ExtractArgs {
    /// HTML files, or folders whose `*.html`/`*.htm` files are read.
    #[arg(required = true)]
    pub(crate) inputs: Vec<PathBuf>,
    /// URL of the page(s), used to resolve links and pick site rules.
    #[arg(long)]
    pub(crate) url: Option<Url>,
    /// Ground-truth JSON (`{"<stem>": {"url": ...}}`) giving each page's URL.
    #[arg(long)]
    pub(crate) urls: Option<PathBuf>,
    /// Folder of FiveFilters-format site rules.
    #[arg(long)]
    pub(crate) rules: Option<PathBuf>,
    /// CSS selector for the article body (as a feed's `selector`).
    #[arg(long)]
    pub(crate) selector: Option<String>,
    /// HTTP Content-Type to decode with (e.g. "text/html; charset=iso-8859-1").
    #[arg(long)]
    pub(crate) content_type: Option<String>,
    #[arg(long, value_enum, default_value = "json")]
    pub(crate) format: ExtractFormat,
}

#[derive(Deserialize)]
struct GroundTruthRow {
    #[serde(default)]
    url: Option<String>,
}

fn collect_inputs(inputs: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for p in inputs {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| super::unreadable(p, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| {
                    f.is_file()
                        && f.extension().is_some_and(|x| {
                            x.eq_ignore_ascii_case("html") || x.eq_ignore_ascii_case("htm")
                        })
                })
                .collect();
            found.sort();
            files.extend(found);
        } else if p.is_file() {
            files.push(p.clone());
        } else {
            return Err(UsageError(format!("{}: no such file or folder", p.display())).into());
        }
    }
    Ok(files)
}

fn stem(p: &Path) -> String {
    p.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

pub(crate) fn run(a: &ExtractArgs) -> anyhow::Result<ExitCode> {
    let files = collect_inputs(&a.inputs)?;
    let urls: HashMap<String, String> = match &a.urls {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| super::unreadable(path, e))?;
            let rows: HashMap<String, GroundTruthRow> = serde_json::from_str(&text)
                .with_context(|| format!("{}: not a ground-truth JSON object", path.display()))?;
            rows.into_iter()
                .filter_map(|(k, v)| v.url.filter(|u| !u.is_empty()).map(|u| (k, u)))
                .collect()
        }
        None => HashMap::new(),
    };
    let rules = match &a.rules {
        Some(dir) => SiteRules::load_dir(dir).map_err(|e| match e {
            crate::Error::Io { path, source } => {
                anyhow::Error::from(super::unreadable(&path, source))
            }
            other => other.into(),
        })?,
        None => SiteRules::default(),
    };
    let opts = ExtractOptions {
        selector: a.selector.as_deref(),
        rules: &rules,
        content_type: a.content_type.as_deref(),
    };
    let fallback = Url::parse("http://localhost/").context("static URL")?;
    let mut out: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    let mut failed = 0usize;
    for file in &files {
        let key = stem(file);
        let url = urls
            .get(&key)
            .and_then(|u| Url::parse(u).ok())
            .or_else(|| a.url.clone())
            .unwrap_or_else(|| fallback.clone());
        let bytes = std::fs::read(file).map_err(|e| super::unreadable(file, e))?;
        let value = match extract::article(&bytes, &url, &opts) {
            Ok(art) => match a.format {
                ExtractFormat::Json => serde_json::json!({
                    "articleBody": art.text,
                    "title": art.title,
                }),
                ExtractFormat::Article => serde_json::to_value(&art)?,
            },
            Err(e) => {
                failed += 1;
                eprintln!("feedbrief: {}: {e}", file.display());
                serde_json::json!({ "articleBody": "", "title": null })
            }
        };
        out.insert(key, value);
    }
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    serde_json::to_writer_pretty(&mut w, &out)?;
    writeln!(w)?;
    w.flush()?;
    if failed > 0 {
        eprintln!(
            "feedbrief: {failed} of {} page(s) could not be extracted",
            files.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}
