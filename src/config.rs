//! `feeds.toml` -> validated `Config`: unknown keys and bad values are errors that name
//! the file, line and key; relative paths resolve against the file's folder; CLI
//! overrides are applied on top; defaults live here as `DEFAULT_*`.

use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use serde_spanned::Spanned;
use url::Url;

use crate::error::{Error, Result};
use crate::model::SummaryMethod;

pub(crate) const DEFAULT_CONFIG: &str = "feeds.toml";
pub(crate) const DEFAULT_DATABASE: &str = "feedbrief.db";
pub(crate) const DEFAULT_USER_AGENT: &str = concat!(
    "feedbrief/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/feedbrief/feedbrief; feed reader)"
);
pub(crate) const DEFAULT_CONCURRENCY: usize = 8;
pub(crate) const DEFAULT_PER_HOST_CONCURRENCY: usize = 2;
/// The floor under the adaptive per-host gap (`fetch::pace`): the gap itself follows
/// the host's response times, so the floor only needs to stop a pathological burst.
/// It was the fixed 1 s gap before pacing adapted; `min_host_interval = "1s"` keeps that.
pub(crate) const DEFAULT_MIN_HOST_INTERVAL: Duration = Duration::ZERO;
/// Requests a host should be handling at once on average (AutoThrottle's target
/// concurrency): the gap between requests is the host's response time divided by it.
pub(crate) const DEFAULT_TARGET_HOST_CONCURRENCY: f64 = 1.0;
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
pub(crate) const DEFAULT_MAX_FEED_BYTES: u64 = 10 * 1024 * 1024;
pub(crate) const DEFAULT_MAX_PAGE_BYTES: u64 = 5 * 1024 * 1024;
pub(crate) const DEFAULT_INTERVAL: Duration = Duration::from_secs(3600);
pub(crate) const DEFAULT_MIN_INTERVAL: Duration = Duration::from_secs(15 * 60);
pub(crate) const DEFAULT_MAX_INTERVAL: Duration = Duration::from_secs(24 * 3600);
pub(crate) const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(24 * 3600);
pub(crate) const MAX_REDIRECTS: usize = 5;
pub(crate) const DEFAULT_SUMMARY_SENTENCES: usize = 3;
pub(crate) const DEFAULT_SUMMARY_WORDS: usize = 75;
pub(crate) const DEFAULT_LLM_TIMEOUT: Duration = Duration::from_secs(60);
pub(crate) const DEFAULT_LLM_TEMPERATURE: f32 = 0.2;
pub(crate) const DEFAULT_LLM_MAX_INPUT_CHARS: usize = 12_000;
pub(crate) const DEFAULT_LLM_MAX_OUTPUT_TOKENS: u32 = 300;
pub(crate) const DEFAULT_LLM_CONCURRENCY: usize = 2;
pub(crate) const DEFAULT_LLM_MAX_CALLS: u32 = 500;
pub(crate) const DEFAULT_LLM_MAX_TOKENS: u64 = 2_000_000;

/// The whole validated configuration. Built once; the Fetcher, Store and
/// Summarizers are built from it.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub settings: Settings,
    pub extract: ExtractConfig,
    pub summarizer: SummarizerConfig,
    pub digest: DigestConfig,
    pub feeds: Vec<FeedConfig>,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub database: PathBuf,
    pub allow_private_networks: bool,
    pub user_agent: String,
    pub concurrency: usize,
    pub per_host_concurrency: usize,
    /// The floor under the per-host gap (the fixed gap when `adaptive_pacing` is off).
    pub min_host_interval: Duration,
    /// Pace each host by its own response times and errors (`fetch::pace`).
    pub adaptive_pacing: bool,
    pub target_host_concurrency: f64,
    /// Obey robots.txt (Disallow/Allow, Crawl-delay) for article pages; feeds are
    /// meant to be polled and are not checked.
    pub robots_txt: bool,
    pub connect_timeout: Duration,
    pub timeout: Duration,
    pub max_feed_bytes: u64,
    pub max_page_bytes: u64,
    /// Check interval for feeds that set none.
    pub interval: Duration,
    /// Bounds applied to server hints (TTL, Cache-Control, Expires).
    pub min_interval: Duration,
    pub max_interval: Duration,
    /// Longest wait between retries of a failing feed.
    pub max_backoff: Duration,
}

#[derive(Debug, Clone, Default)]
pub struct ExtractConfig {
    /// Folder of FiveFilters-format site rules (`*.txt`), if any.
    pub rules_dir: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct SummarizerConfig {
    pub method: SummaryMethod,
    /// Target length of extractive summaries.
    pub sentences: usize,
    pub words: usize,
    pub llm: Option<LlmConfig>,
}

#[derive(Debug, Clone)]
pub struct LlmConfig {
    /// Base of an OpenAI-compatible API, e.g. `http://127.0.0.1:11434/v1`.
    pub base_url: Url,
    pub model: String,
    /// Name of the environment variable holding the API key, if any.
    pub api_key_env: Option<String>,
    pub timeout: Duration,
    pub temperature: f32,
    /// Input longer than this is cut at a sentence boundary.
    pub max_input_chars: usize,
    pub max_output_tokens: u32,
    /// Prompt template file; None = the bundled template.
    pub prompt_file: Option<PathBuf>,
    pub concurrency: usize,
    /// Per-run budget.
    pub max_calls_per_run: u32,
    pub max_tokens_per_run: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    #[default]
    Tag,
    Feed,
    None,
}

#[derive(Debug, Clone)]
pub struct DigestConfig {
    /// IANA zone in which a digest "day" is a calendar day.
    pub timezone: chrono_tz::Tz,
    pub group_by: GroupBy,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FeedConfig {
    pub name: String,
    pub url: Url,
    pub tags: Vec<String>,
    /// None = the global `interval`.
    pub interval: Option<Duration>,
    /// Fetch each new item's page and extract its full text.
    pub full_text: bool,
    /// CSS selector for the article body on this feed's pages.
    pub selector: Option<String>,
    /// None = the global summarizer method.
    pub summarizer: Option<SummaryMethod>,
    pub enabled: bool,
}

impl crate::model::FeedIdentity for FeedConfig {
    fn name(&self) -> &str {
        &self.name
    }
    fn url(&self) -> &Url {
        &self.url
    }
    fn tags(&self) -> &[String] {
        &self.tags
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database: PathBuf::from(DEFAULT_DATABASE),
            allow_private_networks: false,
            user_agent: DEFAULT_USER_AGENT.to_string(),
            concurrency: DEFAULT_CONCURRENCY,
            per_host_concurrency: DEFAULT_PER_HOST_CONCURRENCY,
            min_host_interval: DEFAULT_MIN_HOST_INTERVAL,
            adaptive_pacing: true,
            target_host_concurrency: DEFAULT_TARGET_HOST_CONCURRENCY,
            robots_txt: true,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            max_feed_bytes: DEFAULT_MAX_FEED_BYTES,
            max_page_bytes: DEFAULT_MAX_PAGE_BYTES,
            interval: DEFAULT_INTERVAL,
            min_interval: DEFAULT_MIN_INTERVAL,
            max_interval: DEFAULT_MAX_INTERVAL,
            max_backoff: DEFAULT_MAX_BACKOFF,
        }
    }
}

impl Default for SummarizerConfig {
    fn default() -> Self {
        SummarizerConfig {
            method: SummaryMethod::Extractive,
            sentences: DEFAULT_SUMMARY_SENTENCES,
            words: DEFAULT_SUMMARY_WORDS,
            llm: None,
        }
    }
}

impl Default for DigestConfig {
    fn default() -> Self {
        DigestConfig {
            timezone: chrono_tz::UTC,
            group_by: GroupBy::Tag,
            title: "feedbrief digest".to_string(),
        }
    }
}

impl FeedConfig {
    /// A feed with default options, as `feeds add` or OPML import creates it.
    pub fn new(name: impl Into<String>, url: Url) -> Self {
        FeedConfig {
            name: name.into(),
            url,
            tags: Vec::new(),
            interval: None,
            full_text: true,
            selector: None,
            summarizer: None,
            enabled: true,
        }
    }
}

impl Config {
    /// Read and validate a config file.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let cfg = Config::from_str(&text, path)?;
        // Folders the config names must exist (checked here, where the file is read,
        // so the error can point at the line).
        if let Some(dir) = &cfg.extract.rules_dir
            && !dir.is_dir()
        {
            return Err(config_error(
                path,
                &text,
                find_key(&text, "rules_dir"),
                &format!("key `rules_dir`: {} is not a folder", dir.display()),
            ));
        }
        Ok(cfg)
    }

    /// Validate config text; `path` names the file in errors and anchors relative paths.
    pub(crate) fn from_str(text: &str, path: &Path) -> Result<Config> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            config_error(path, text, span, e.message())
        })?;
        let base = path.parent().unwrap_or(Path::new("")).to_path_buf();
        let err = |span: Range<usize>, msg: String| config_error(path, text, span, &msg);

        let s = raw.settings.unwrap_or_default();
        let d = Settings::default();
        let settings = Settings {
            database: s
                .database
                .map(|p| resolve(&base, &p))
                .unwrap_or_else(|| resolve(&base, Path::new(DEFAULT_DATABASE))),
            allow_private_networks: s.allow_private_networks.unwrap_or(false),
            user_agent: s.user_agent.unwrap_or(d.user_agent),
            concurrency: positive(s.concurrency, d.concurrency, &err)?,
            per_host_concurrency: positive(s.per_host_concurrency, d.per_host_concurrency, &err)?,
            min_host_interval: s.min_host_interval.map_or(d.min_host_interval, |v| v.0),
            adaptive_pacing: s.adaptive_pacing.unwrap_or(d.adaptive_pacing),
            target_host_concurrency: match s.target_host_concurrency {
                None => d.target_host_concurrency,
                Some(v) if v.get_ref().is_finite() && *v.get_ref() > 0.0 => v.into_inner(),
                Some(v) => {
                    return Err(err(v.span(), "value must be a number above 0".into()));
                }
            },
            robots_txt: s.robots_txt.unwrap_or(d.robots_txt),
            connect_timeout: s.connect_timeout.map_or(d.connect_timeout, |v| v.0),
            timeout: s.timeout.map_or(d.timeout, |v| v.0),
            max_feed_bytes: s.max_feed_bytes.map_or(d.max_feed_bytes, |v| v.0),
            max_page_bytes: s.max_page_bytes.map_or(d.max_page_bytes, |v| v.0),
            interval: s.interval.map_or(d.interval, |v| v.0),
            min_interval: s.min_interval.map_or(d.min_interval, |v| v.0),
            max_interval: s.max_interval.map_or(d.max_interval, |v| v.0),
            max_backoff: s.max_backoff.map_or(d.max_backoff, |v| v.0),
        };
        if settings.min_interval > settings.max_interval {
            return Err(config_error(
                path,
                text,
                find_key(text, "min_interval"),
                "key `min_interval`: larger than `max_interval`",
            ));
        }

        let extract = ExtractConfig {
            rules_dir: raw
                .extract
                .and_then(|e| e.rules_dir)
                .map(|p| resolve(&base, &p)),
        };

        let summarizer = match raw.summarizer {
            None => SummarizerConfig::default(),
            Some(r) => {
                let llm = match r.llm {
                    None => None,
                    Some(l) => Some(LlmConfig {
                        base_url: l.base_url.0,
                        model: l.model,
                        api_key_env: l.api_key_env,
                        timeout: l.timeout.map_or(DEFAULT_LLM_TIMEOUT, |v| v.0),
                        temperature: l.temperature.unwrap_or(DEFAULT_LLM_TEMPERATURE),
                        max_input_chars: positive(
                            l.max_input_chars,
                            DEFAULT_LLM_MAX_INPUT_CHARS,
                            &err,
                        )?,
                        max_output_tokens: l
                            .max_output_tokens
                            .unwrap_or(DEFAULT_LLM_MAX_OUTPUT_TOKENS),
                        prompt_file: l.prompt_file.map(|p| resolve(&base, &p)),
                        concurrency: positive(l.concurrency, DEFAULT_LLM_CONCURRENCY, &err)?,
                        max_calls_per_run: l.max_calls_per_run.unwrap_or(DEFAULT_LLM_MAX_CALLS),
                        max_tokens_per_run: l.max_tokens_per_run.unwrap_or(DEFAULT_LLM_MAX_TOKENS),
                    }),
                };
                SummarizerConfig {
                    method: r.method.unwrap_or_default(),
                    sentences: positive(r.sentences, DEFAULT_SUMMARY_SENTENCES, &err)?,
                    words: positive(r.words, DEFAULT_SUMMARY_WORDS, &err)?,
                    llm,
                }
            }
        };

        let digest = match raw.digest {
            None => DigestConfig::default(),
            Some(r) => DigestConfig {
                timezone: match r.timezone {
                    None => chrono_tz::UTC,
                    Some(tz) => tz.get_ref().parse::<chrono_tz::Tz>().map_err(|_| {
                        err(
                            tz.span(),
                            format!(
                                "key `timezone`: unknown time zone {:?} (use an IANA name such as \"Europe/Berlin\")",
                                tz.get_ref()
                            ),
                        )
                    })?,
                },
                group_by: r.group_by.unwrap_or_default(),
                title: r.title.unwrap_or_else(|| DigestConfig::default().title),
            },
        };

        let mut feeds = Vec::new();
        let mut names = HashSet::new();
        for f in raw.feed.unwrap_or_default() {
            let name = f.name.get_ref().trim().to_string();
            if name.is_empty() {
                return Err(err(f.name.span(), "key `name`: must not be empty".into()));
            }
            if !names.insert(name.to_lowercase()) {
                return Err(err(
                    f.name.span(),
                    format!("key `name`: feed name {name:?} is used twice"),
                ));
            }
            if f.summarizer == Some(SummaryMethod::Llm) && summarizer.llm.is_none() {
                return Err(err(
                    f.name.span(),
                    format!("feed {name:?}: summarizer = \"llm\" needs a [summarizer.llm] section"),
                ));
            }
            if let Some(sel) = &f.selector
                && scraper::Selector::parse(sel.get_ref()).is_err()
            {
                return Err(err(
                    sel.span(),
                    format!("key `selector`: invalid CSS selector {:?}", sel.get_ref()),
                ));
            }
            feeds.push(FeedConfig {
                name,
                url: f.url.0,
                tags: f.tags.unwrap_or_default(),
                interval: f.interval.map(|v| v.0),
                full_text: f.full_text.unwrap_or(true),
                selector: f.selector.map(|s| s.into_inner()),
                summarizer: f.summarizer,
                enabled: f.enabled.unwrap_or(true),
            });
        }
        if summarizer.method == SummaryMethod::Llm && summarizer.llm.is_none() {
            return Err(config_error(
                path,
                text,
                find_key(text, "method"),
                "key `method`: \"llm\" needs a [summarizer.llm] section",
            ));
        }

        Ok(Config {
            settings,
            extract,
            summarizer,
            digest,
            feeds,
        })
    }

    pub fn feed(&self, name: &str) -> Option<&FeedConfig> {
        self.feeds
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }
}

fn resolve(base: &Path, p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.join(p)
    }
}

fn positive<F>(v: Option<Spanned<usize>>, default: usize, err: &F) -> Result<usize>
where
    F: Fn(Range<usize>, String) -> Error,
{
    match v {
        None => Ok(default),
        Some(v) if *v.get_ref() == 0 => Err(err(v.span(), "value must be at least 1".into())),
        Some(v) => Ok(v.into_inner()),
    }
}

/// Byte offset of the first `key =` in the text (for errors found after parsing).
fn find_key(text: &str, key: &str) -> Range<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with(key) && t[key.len()..].trim_start().starts_with('=') {
            let at = offset + (line.len() - t.len());
            return at..at + key.len();
        }
        offset += line.len();
    }
    0..0
}

/// Build an error naming file, line and (where the span sits on a `key = value` line) key.
fn config_error(path: &Path, text: &str, span: Range<usize>, message: &str) -> Error {
    let start = span.start.min(text.len());
    let line = text[..start].matches('\n').count() + 1;
    let line_text = text.lines().nth(line - 1).unwrap_or("");
    let key = line_text
        .split_once('=')
        .map(|(k, _)| k.trim().trim_matches('"'))
        .filter(|k| !k.is_empty() && !k.starts_with('[') && !k.contains(' '));
    let message = message.trim().replace('\n', " ");
    let message = match key {
        Some(k) if !message.contains(&format!("`{k}`")) => format!("key `{k}`: {message}"),
        _ => message,
    };
    Error::Config {
        file: path.to_path_buf(),
        line,
        message,
    }
}

// ---- the file's shape, as written (Option fields, unknown keys denied) ----

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    settings: Option<RawSettings>,
    extract: Option<RawExtract>,
    summarizer: Option<RawSummarizer>,
    digest: Option<RawDigest>,
    feed: Option<Vec<RawFeed>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    database: Option<PathBuf>,
    allow_private_networks: Option<bool>,
    user_agent: Option<String>,
    concurrency: Option<Spanned<usize>>,
    per_host_concurrency: Option<Spanned<usize>>,
    min_host_interval: Option<Dur>,
    adaptive_pacing: Option<bool>,
    target_host_concurrency: Option<Spanned<f64>>,
    robots_txt: Option<bool>,
    connect_timeout: Option<Dur>,
    timeout: Option<Dur>,
    max_feed_bytes: Option<Bytes>,
    max_page_bytes: Option<Bytes>,
    interval: Option<Dur>,
    min_interval: Option<Dur>,
    max_interval: Option<Dur>,
    max_backoff: Option<Dur>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExtract {
    rules_dir: Option<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSummarizer {
    method: Option<SummaryMethod>,
    sentences: Option<Spanned<usize>>,
    words: Option<Spanned<usize>>,
    llm: Option<RawLlm>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLlm {
    base_url: HttpUrl,
    model: String,
    api_key_env: Option<String>,
    timeout: Option<Dur>,
    temperature: Option<f32>,
    max_input_chars: Option<Spanned<usize>>,
    max_output_tokens: Option<u32>,
    prompt_file: Option<PathBuf>,
    concurrency: Option<Spanned<usize>>,
    max_calls_per_run: Option<u32>,
    max_tokens_per_run: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDigest {
    timezone: Option<Spanned<String>>,
    group_by: Option<GroupBy>,
    title: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeed {
    name: Spanned<String>,
    url: HttpUrl,
    tags: Option<Vec<String>>,
    interval: Option<Dur>,
    full_text: Option<bool>,
    selector: Option<Spanned<String>>,
    summarizer: Option<SummaryMethod>,
    enabled: Option<bool>,
}

/// An absolute http(s) URL; anything else fails at its own span.
struct HttpUrl(Url);

impl<'de> Deserialize<'de> for HttpUrl {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let url = Url::parse(s.trim())
            .map_err(|e| serde::de::Error::custom(format!("invalid URL {s:?}: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(serde::de::Error::custom(format!(
                "invalid URL {s:?}: only http and https URLs with a host are supported"
            )));
        }
        Ok(HttpUrl(url))
    }
}

/// A duration written as "90s", "15m", "2h", "1d" or "1h30m".
struct Dur(Duration);

impl<'de> Deserialize<'de> for Dur {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        parse_duration(&s).map(Dur).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "invalid duration {s:?} (write e.g. \"90s\", \"15m\", \"2h\", \"1d\")"
            ))
        })
    }
}

/// Parse "90s", "15m", "2h", "1d", "1h30m", "500ms" (humantime's syntax, which also
/// reads "1h 30m" and "2days"). Used for config values and CLI flags.
pub(crate) fn parse_duration(s: &str) -> Option<Duration> {
    humantime::parse_duration(s.trim()).ok()
}

/// A byte size written as an integer or "512KB", "10MB", "1MiB".
///
/// Kept by hand rather than with a size crate: here "KB"/"MB" are binary (1024), as they
/// have been since the first feeds.toml, while the size crates read them as 1000, which
/// would quietly shrink every configured cap.
struct Bytes(u64);

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            N(u64),
            S(String),
        }
        let bad = |s: &str| {
            serde::de::Error::custom(format!(
                "invalid size {s:?} (write e.g. 1048576, \"512KB\" or \"10MB\")"
            ))
        };
        match Raw::deserialize(d)? {
            Raw::N(0) => Err(bad("0")),
            Raw::N(n) => Ok(Bytes(n)),
            Raw::S(s) => {
                let t = s.trim();
                let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
                let n: u64 = t[..split].parse().map_err(|_| bad(&s))?;
                let mult = match t[split..].trim().to_ascii_lowercase().as_str() {
                    "" | "b" => 1,
                    "kb" | "kib" | "k" => 1024,
                    "mb" | "mib" | "m" => 1024 * 1024,
                    "gb" | "gib" | "g" => 1024 * 1024 * 1024,
                    _ => return Err(bad(&s)),
                };
                match n.checked_mul(mult) {
                    Some(v) if v > 0 => Ok(Bytes(v)),
                    _ => Err(bad(&s)),
                }
            }
        }
    }
}

// ---- editing feeds.toml in place (comments and layout are kept) ----

/// Append `[[feed]]` tables for `feeds` to the config file (creating it if missing).
/// Feeds whose name or URL is already configured are skipped; returns the added names.
pub(crate) fn append_feeds(path: &Path, feeds: &[FeedConfig]) -> Result<Vec<String>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io(path, e)),
    };
    // Validate what is there first: never append to a file we could not load.
    let existing = if text.trim().is_empty() {
        Config::default()
    } else {
        Config::from_str(&text, path)?
    };
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        config_error(path, &text, e.span().unwrap_or(0..0), e.message())
    })?;
    let mut added = Vec::new();
    let mut names: HashSet<String> = existing
        .feeds
        .iter()
        .map(|f| f.name.to_lowercase())
        .collect();
    let mut urls: HashSet<String> = existing.feeds.iter().map(|f| f.url.to_string()).collect();
    let array = doc.entry("feed").or_insert(toml_edit::Item::ArrayOfTables(
        toml_edit::ArrayOfTables::new(),
    ));
    let Some(array) = array.as_array_of_tables_mut() else {
        return Err(config_error(
            path,
            &text,
            find_key(&text, "feed"),
            "key `feed`: must be an array of tables ([[feed]])",
        ));
    };
    for f in feeds {
        if names.contains(&f.name.to_lowercase()) || urls.contains(f.url.as_str()) {
            continue;
        }
        let mut t = toml_edit::Table::new();
        t["name"] = toml_edit::value(f.name.clone());
        t["url"] = toml_edit::value(f.url.as_str());
        if !f.tags.is_empty() {
            let mut arr = toml_edit::Array::new();
            for tag in &f.tags {
                arr.push(tag.as_str());
            }
            t["tags"] = toml_edit::value(arr);
        }
        if !f.full_text {
            t["full_text"] = toml_edit::value(false);
        }
        array.push(t);
        names.insert(f.name.to_lowercase());
        urls.insert(f.url.to_string());
        added.push(f.name.clone());
    }
    let out = doc.to_string();
    // The result must load: catch any edit that would break the file before writing.
    Config::from_str(&out, path)?;
    write_atomically(path, out.as_bytes())?;
    Ok(added)
}

/// Remove the `[[feed]]` table named `name` (case-insensitive). Returns false if absent.
pub(crate) fn remove_feed(path: &Path, name: &str) -> Result<bool> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    Config::from_str(&text, path)?;
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        config_error(path, &text, e.span().unwrap_or(0..0), e.message())
    })?;
    let Some(array) = doc.get_mut("feed").and_then(|i| i.as_array_of_tables_mut()) else {
        return Ok(false);
    };
    let before = array.len();
    array.retain(|t| {
        !t.get("name")
            .and_then(|n| n.as_str())
            .is_some_and(|n| n.trim().eq_ignore_ascii_case(name.trim()))
    });
    if array.len() == before {
        return Ok(false);
    }
    write_atomically(path, doc.to_string().as_bytes())?;
    Ok(true)
}

/// Write via a temporary file in the same folder and a rename, so readers (and a
/// crash) see the old file or the new one, never half of one.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let tmp = dir.join(format!(".{file_name}.tmp{}", std::process::id()));
    let mut f = std::fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
    f.write_all(bytes)
        .and_then(|_| f.sync_all())
        .map_err(|e| Error::io(&tmp, e))?;
    drop(f);
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Config> {
        Config::from_str(text, Path::new("/etc/feedbrief/feeds.toml"))
    }

    fn config_err(text: &str) -> (usize, String) {
        match load(text) {
            Err(Error::Config { line, message, .. }) => (line, message),
            other => panic!("expected a config error, got {other:?}"),
        }
    }

    #[test]
    fn minimal_file_gets_defaults_and_resolves_database_next_to_it() {
        let c = load("[[feed]]\nname = \"A\"\nurl = \"https://example.com/feed\"\n").unwrap();
        assert_eq!(
            c.settings.database,
            PathBuf::from("/etc/feedbrief/feedbrief.db")
        );
        assert_eq!(c.feeds.len(), 1);
        assert!(c.feeds[0].full_text && c.feeds[0].enabled);
        assert_eq!(c.settings.interval, DEFAULT_INTERVAL);
    }

    #[test]
    fn unknown_key_names_line_and_key() {
        let (line, msg) = config_err("[settings]\nconcurrency = 4\ncolour = \"red\"\n");
        assert_eq!(line, 3);
        assert!(msg.contains("colour"), "{msg}");
    }

    #[test]
    fn bad_url_names_line_and_key() {
        let (line, msg) =
            config_err("[[feed]]\nname = \"A\"\nurl = \"ftp://example.com/x\"\ntags = []\n");
        assert_eq!(line, 3);
        assert!(msg.contains("url"), "{msg}");
    }

    #[test]
    fn bad_duration_and_zero_concurrency_are_errors() {
        let (line, msg) = config_err("[settings]\n\ninterval = \"soon\"\n");
        assert_eq!(line, 3);
        assert!(
            msg.contains("interval") && msg.contains("duration"),
            "{msg}"
        );
        let (line, msg) = config_err("[settings]\nconcurrency = 0\n");
        assert_eq!(line, 2);
        assert!(msg.contains("concurrency"), "{msg}");
    }

    #[test]
    fn duplicate_feed_names_are_rejected() {
        let text = "[[feed]]\nname = \"A\"\nurl = \"https://a.example/f\"\n\n[[feed]]\nname = \"a\"\nurl = \"https://b.example/f\"\n";
        let (line, msg) = config_err(text);
        assert_eq!(line, 6);
        assert!(msg.contains("twice"), "{msg}");
    }

    #[test]
    fn llm_feed_without_llm_section_is_rejected() {
        let text = "[[feed]]\nname = \"A\"\nurl = \"https://a.example/f\"\nsummarizer = \"llm\"\n";
        let (_, msg) = config_err(text);
        assert!(msg.contains("summarizer.llm"), "{msg}");
    }

    #[test]
    fn durations_and_sizes_parse() {
        assert_eq!(parse_duration("1h30m"), Some(Duration::from_secs(5400)));
        assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("2x"), None);
        assert_eq!(parse_duration(""), None);
        // Every form feeds.example.toml and the README use stays accepted.
        for (text, secs) in [("90s", 90), ("15m", 900), ("2h", 7200), ("1d", 86400)] {
            assert_eq!(
                parse_duration(text),
                Some(Duration::from_secs(secs)),
                "{text}"
            );
        }
        assert_eq!(parse_duration(" 30m "), Some(Duration::from_secs(1800)));
        assert_eq!(parse_duration("90"), None, "a bare number has no unit");
        let c = load("[settings]\nmax_feed_bytes = \"2MB\"\nmax_page_bytes = 1000\n").unwrap();
        assert_eq!(c.settings.max_feed_bytes, 2 * 1024 * 1024);
        assert_eq!(c.settings.max_page_bytes, 1000);
        // Sizes are binary, whatever the suffix: what feeds.example.toml's "10MB" has
        // always meant.
        for (text, bytes) in [
            ("10MB", 10 << 20),
            ("512KB", 512 << 10),
            ("1MiB", 1 << 20),
            ("1g", 1 << 30),
        ] {
            let c = load(&format!("[settings]\nmax_feed_bytes = \"{text}\"\n")).unwrap();
            assert_eq!(c.settings.max_feed_bytes, bytes, "{text}");
        }
    }

    #[test]
    fn pacing_keys_load_and_a_target_of_zero_is_refused() {
        let c = load("[settings]\nmin_host_interval = \"1s\"\nadaptive_pacing = false\ntarget_host_concurrency = 2.5\nrobots_txt = false\n").unwrap();
        assert_eq!(c.settings.min_host_interval, Duration::from_secs(1));
        assert!(!c.settings.adaptive_pacing && !c.settings.robots_txt);
        assert_eq!(c.settings.target_host_concurrency, 2.5);
        let d = load("").unwrap();
        assert!(d.settings.adaptive_pacing && d.settings.robots_txt);
        assert_eq!(
            d.settings.target_host_concurrency,
            DEFAULT_TARGET_HOST_CONCURRENCY
        );
        let (line, msg) = config_err("[settings]\n\ntarget_host_concurrency = 0.0\n");
        assert_eq!(line, 3);
        assert!(msg.contains("target_host_concurrency"), "{msg}");
    }

    #[test]
    fn bad_timezone_is_an_error() {
        let (line, msg) = config_err("[digest]\ntimezone = \"Mars/Olympus\"\n");
        assert_eq!(line, 2);
        assert!(msg.contains("timezone"), "{msg}");
    }
}
