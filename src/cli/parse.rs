//! `feedbrief parse FILE|DIR... [--manifest manifest.jsonl] [--base-url URL] --format jsonl`:
//! one JSON record per feed file, in the schema of the feed corpus README, made by the same
//! `feed::parse` the pipeline uses. A file that cannot be parsed gets an error record.
//! An entry's `link` is the document's (absolute, tracking parameters kept, as the schema
//! asks); the pipeline stores the same link without them (`Item::link`).

use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args as ClapArgs, ValueEnum};
use serde_json::{Value, json};
use url::Url;

use super::UsageError;
use crate::feed::{self, FeedContext, iso_utc};
use crate::model::ParsedFeed;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ParseFormat {
    Jsonl,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct ParseArgs {
    /// Feed files, or folders searched recursively (`.md` and `.jsonl` files are skipped).
    #[arg(required = true)]
    pub(crate) paths: Vec<PathBuf>,
    /// Corpus manifest (JSON Lines with `file`, `base_url`, `http_headers`): inputs per file.
    #[arg(long)]
    pub(crate) manifest: Option<PathBuf>,
    /// Base URL for files the manifest does not cover.
    #[arg(long)]
    pub(crate) base_url: Option<Url>,
    #[arg(long, value_enum, default_value = "jsonl")]
    pub(crate) format: ParseFormat,
}

/// Inputs for one file, from the manifest.
#[derive(Debug, Default)]
struct FileInputs {
    base_url: Option<Url>,
    headers: HashMap<String, String>,
}

pub(crate) fn run(a: &ParseArgs) -> anyhow::Result<ExitCode> {
    let (manifest, manifest_dir) = match &a.manifest {
        Some(p) => (
            load_manifest(p)?,
            p.parent().map(Path::to_path_buf).unwrap_or_default(),
        ),
        None => (HashMap::new(), PathBuf::new()),
    };
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    for p in &a.paths {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found).map_err(|e| super::unreadable(p, e))?;
            found.sort();
            for f in found {
                let key = relative_key(&f, &manifest_dir, Some(p));
                files.push((f, key));
            }
        } else if p.is_file() {
            let key = relative_key(p, &manifest_dir, None);
            files.push((p.clone(), key));
        } else {
            return Err(UsageError(format!("{}: no such file or folder", p.display())).into());
        }
    }

    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut failed = 0usize;
    for (path, key) in &files {
        let inputs = manifest.get(key);
        let base = inputs
            .and_then(|i| i.base_url.clone())
            .or_else(|| a.base_url.clone());
        let header = |name: &str| {
            inputs.and_then(|i| {
                i.headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.as_str())
            })
        };
        let ctx = FeedContext {
            base_url: base.as_ref(),
            content_type: header("Content-Type"),
            content_language: header("Content-Language"),
        };
        let record = match std::fs::read(path) {
            Ok(bytes) => match feed::parse(&bytes, &ctx) {
                Ok(parsed) => record(key, &parsed),
                Err(e) => {
                    failed += 1;
                    error_record(key, &e.to_string())
                }
            },
            Err(e) => {
                failed += 1;
                error_record(key, &format!("{}: {e}", path.display()))
            }
        };
        serde_json::to_writer(&mut out, &record)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    if failed > 0 {
        tracing::warn!(
            failed,
            total = files.len(),
            "Some feeds could not be parsed."
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if !matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("md") | Some("jsonl")
        ) {
            out.push(path);
        }
    }
    Ok(())
}

/// The record's `file`: relative to the manifest's folder when the file is under it,
/// else relative to the folder argument, else the path as given.
fn relative_key(path: &Path, manifest_dir: &Path, dir_arg: Option<&Path>) -> String {
    let rel = (!manifest_dir.as_os_str().is_empty())
        .then(|| path.strip_prefix(manifest_dir).ok())
        .flatten()
        .or_else(|| dir_arg.and_then(|d| path.strip_prefix(d).ok()))
        .unwrap_or(path);
    rel.to_string_lossy().replace('\\', "/")
}

fn load_manifest(path: &Path) -> anyhow::Result<HashMap<String, FileInputs>> {
    let text = std::fs::read_to_string(path).map_err(|e| super::unreadable(path, e))?;
    let mut out = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line)
            .map_err(|e| UsageError(format!("{}:{}: {e}", path.display(), n + 1)))?;
        let Some(file) = v.get("file").and_then(Value::as_str) else {
            continue;
        };
        let base_url = v
            .get("base_url")
            .and_then(Value::as_str)
            .and_then(|u| Url::parse(u).ok());
        let headers = v
            .get("http_headers")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        out.insert(file.to_string(), FileInputs { base_url, headers });
    }
    Ok(out)
}

/// One record in the corpus schema.
fn record(file: &str, f: &ParsedFeed) -> Value {
    let entries: Vec<Value> = f
        .items
        .iter()
        .map(|it| {
            json!({
                "id": it.guid,
                // The corpus schema's link is the document's (absolute); the stored
                // `link` differs only by the tracking parameters the pipeline drops.
                "link": it.document_link.as_ref().or(it.link.as_ref()),
                "title": it.title,
                "published": it.published.as_ref().map(iso_utc),
                "updated": it.updated.as_ref().map(iso_utc),
                "author": it.authors.first(),
                "summary": it.summary,
                "content": it.content_text,
                "enclosures": it.enclosures.iter().map(|e| e.url.as_str()).collect::<Vec<_>>(),
                "categories": it.categories,
            })
        })
        .collect();
    json!({
        "file": file,
        "feed": {"title": f.title, "link": f.site_link, "language": f.language},
        "n_entries": entries.len(),
        "entries": entries,
    })
}

fn error_record(file: &str, message: &str) -> Value {
    json!({"file": file, "bozo": true, "error": message, "feed": {}, "entries": []})
}
