//! The only wiring of stages and the only concurrent stage: due feeds are refreshed
//! N at once (per-host limits live in the Fetcher); each refresh runs fetch -> parse ->
//! upsert -> (per new item) page -> extract -> summarize -> disclose -> save -> finish.
//! Stages never call each other or the store; this file does.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures::StreamExt;
use url::Url;

use crate::config::{Config, FeedConfig};
use crate::disclose;
use crate::error::{Error, Result};
use crate::extract::{self, ExtractOptions, SiteRules};
use crate::feed::{self, FeedContext};
use crate::fetch::{FetchOutcome, Fetcher};
use crate::model::{Article, Basis, Extraction, Item, Summary, SummaryInput};
use crate::scheduler::{self, DueFeed};
use crate::store::{FeedResult, PendingItem, Store};
use crate::summarize::{Summarizers, SummaryCache};

/// Feed text at least this long (in words) counts as the full article.
const FULL_FEED_TEXT_WORDS: usize = 150;

/// The store as the llm summary cache. The adapter lives here, where stages are wired,
/// so neither `store` nor `summarize` knows the other.
struct StoreCache(Arc<Store>);

impl SummaryCache for StoreCache {
    fn get(&self, key: &str) -> Option<Summary> {
        self.0
            .cache_get(key)
            .map_err(|e| tracing::warn!(%e, "Summary cache read failed."))
            .ok()
            .flatten()
    }

    fn put(&self, key: &str, summary: &Summary) {
        if let Err(e) = self.0.cache_put(key, summary) {
            tracing::warn!(%e, "Summary cache write failed.");
        }
    }
}

/// Everything a run needs, built once from the config.
pub struct Pipeline {
    pub cfg: Config,
    pub store: Arc<Store>,
    pub fetcher: Arc<Fetcher>,
    summarizers: Summarizers,
    rules: Arc<SiteRules>,
}

/// Which feeds a pass covers.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Ignore schedules: check every enabled feed.
    pub all: bool,
    /// Only this feed (by name), due or not, enabled or not.
    pub feed: Option<String>,
}

/// How one feed's refresh ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedOutcome {
    Fetched { new_items: usize },
    NotModified,
    Failed { reason: String },
}

/// What a pass did, for the one-line summary and the exit code.
#[derive(Debug, Clone, Default)]
pub struct RunReport {
    pub feeds: Vec<(String, FeedOutcome)>,
    /// Items whose page, summary and disclosure were stored.
    pub processed: usize,
    /// Items whose processing failed (retried on a later run).
    pub item_failures: usize,
}

impl RunReport {
    pub fn count(&self, f: impl Fn(&FeedOutcome) -> bool) -> usize {
        self.feeds.iter().filter(|(_, o)| f(o)).count()
    }

    pub fn new_items(&self) -> usize {
        self.feeds
            .iter()
            .map(|(_, o)| match o {
                FeedOutcome::Fetched { new_items } => *new_items,
                _ => 0,
            })
            .sum()
    }

    /// "12 feeds: 9 fetched, 2 not modified, 1 failed; 31 new items, 30 summarized, 1 failed"
    pub fn summary_line(&self) -> String {
        let fetched = self.count(|o| matches!(o, FeedOutcome::Fetched { .. }));
        let nm = self.count(|o| matches!(o, FeedOutcome::NotModified));
        let failed = self.count(|o| matches!(o, FeedOutcome::Failed { .. }));
        let mut line = format!(
            "{} feeds: {fetched} fetched, {nm} not modified, {failed} failed; {} new items, {} summarized",
            self.feeds.len(),
            self.new_items(),
            self.processed
        );
        if self.item_failures > 0 {
            line.push_str(&format!(", {} could not be processed", self.item_failures));
        }
        line
    }
}

/// Progress callbacks (the CLI draws a bar; tests and cron pass a no-op).
pub trait Progress: Send + Sync {
    fn start(&self, _feeds: usize) {}
    fn feed_done(&self, _name: &str, _outcome: &FeedOutcome) {}
}

pub struct NoProgress;
impl Progress for NoProgress {}

struct ItemTally {
    processed: usize,
    failed: usize,
}

impl Pipeline {
    /// Build the Fetcher, Summarizers and site rules from the config.
    pub fn new(cfg: Config, store: Arc<Store>) -> Result<Pipeline> {
        let fetcher = Fetcher::new(&cfg.settings)?;
        let cache: Arc<dyn SummaryCache> = Arc::new(StoreCache(store.clone()));
        let summarizers = Summarizers::new(&cfg.summarizer, fetcher.clone(), cache)?;
        let rules = match &cfg.extract.rules_dir {
            Some(dir) => Arc::new(SiteRules::load_dir(dir)?),
            None => Arc::new(SiteRules::default()),
        };
        Ok(Pipeline {
            cfg,
            store,
            fetcher,
            summarizers,
            rules,
        })
    }

    /// One pass over the due feeds. Feed failures are recorded, not returned; only an
    /// unusable store is an error.
    pub async fn run_once(&self, opts: &RunOptions, progress: &dyn Progress) -> Result<RunReport> {
        self.store.sync_feeds(&self.cfg.feeds)?;
        let states = self.store.feed_states()?;
        let now = Utc::now();
        let due = scheduler::due(&self.cfg, &states, now, opts.all, opts.feed.as_deref());
        progress.start(due.len());
        let mut report = RunReport::default();
        let mut results = futures::stream::iter(due)
            .map(|d| async move {
                let name = d.config.name.clone();
                let r = self.refresh_feed(d).await;
                (name, r)
            })
            .buffer_unordered(self.cfg.settings.concurrency);
        while let Some((name, r)) = results.next().await {
            let (outcome, tally) = r?;
            progress.feed_done(&name, &outcome);
            report.processed += tally.processed;
            report.item_failures += tally.failed;
            report.feeds.push((name, outcome));
        }
        report.feeds.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(report)
    }

    /// Refresh one feed, stage by stage. Returns Err only for store errors.
    async fn refresh_feed(&self, due: DueFeed) -> Result<(FeedOutcome, ItemTally)> {
        let DueFeed {
            config: feed,
            state,
        } = due;
        let mut tally = ItemTally {
            processed: 0,
            failed: 0,
        };
        let url = match Url::parse(&state.url) {
            Ok(u) => u,
            Err(_) => feed.url.clone(),
        };
        let settings = &self.cfg.settings;
        let seed = state.id as u64 ^ Utc::now().timestamp() as u64;

        // 1 fetch
        let fetched = match self.fetcher.feed(&url, &state.validators).await {
            FetchOutcome::NotModified { cache } => {
                let now = Utc::now();
                let next = scheduler::next_after_success(settings, &feed, now, &cache, None);
                self.store
                    .finish_feed(state.id, &FeedResult::NotModified, now, next)?;
                // Items left unfinished by an earlier run still get their turn.
                self.process_pending(&feed, &state.url, state.id, &mut tally)
                    .await?;
                return Ok((FeedOutcome::NotModified, tally));
            }
            FetchOutcome::Failed(e) => {
                return Ok((
                    self.record_failure(&feed, state.id, state.error_count, &e, seed)?,
                    tally,
                ));
            }
            FetchOutcome::Fetched(f) => f,
        };

        // 2 parse (CPU work: off the async threads)
        let body = fetched.body;
        let base = fetched.final_url.clone();
        let ctype = fetched.content_type.clone();
        let clang = fetched.content_language.clone();
        let parsed = tokio::task::spawn_blocking(move || {
            let mut parsed = feed::parse(
                &body,
                &FeedContext {
                    base_url: Some(&base),
                    content_type: ctype.as_deref(),
                    content_language: clang.as_deref(),
                },
            )?;
            // Stored HTML is sanitized (exports hand it to other tools).
            feed::sanitize_items(&mut parsed.items, Some(&base));
            Ok(parsed)
        })
        .await
        .map_err(|e| Error::Feed(format!("parser task failed: {e}")))
        .and_then(|r| r);
        let parsed = match parsed {
            Ok(p) => p,
            Err(e) => {
                let e = Error::Feed(format!("{}: {e}", fetched.final_url));
                return Ok((
                    self.record_failure(&feed, state.id, state.error_count, &e, seed)?,
                    tally,
                ));
            }
        };

        // 3 store items; only new ones come back
        let now = Utc::now();
        let new_ids = self.store.upsert_items(state.id, &parsed.items, now)?;
        tracing::info!(feed = %feed.name, items = parsed.items.len(), new = new_ids.len(), "Feed parsed.");

        // 4 per pending item: page, extract, summarize, disclose, save
        let feed_url = fetched
            .moved_to
            .as_ref()
            .map(|u| u.to_string())
            .unwrap_or_else(|| state.url.clone());
        self.process_pending(&feed, &feed_url, state.id, &mut tally)
            .await?;

        // 5 validators and schedule, last: a crash before this re-fetches the feed
        let next = scheduler::next_after_success(
            settings,
            &feed,
            Utc::now(),
            &fetched.cache,
            parsed.ttl_minutes,
        );
        self.store.finish_feed(
            state.id,
            &FeedResult::Fetched {
                validators: fetched.validators,
                title: parsed.title,
                site_link: parsed.site_link,
                moved_to: fetched.moved_to.map(|u| u.to_string()),
            },
            Utc::now(),
            next,
        )?;
        Ok((
            FeedOutcome::Fetched {
                new_items: new_ids.len(),
            },
            tally,
        ))
    }

    fn record_failure(
        &self,
        feed: &FeedConfig,
        feed_id: i64,
        errors_before: i64,
        e: &Error,
        seed: u64,
    ) -> Result<FeedOutcome> {
        let retry_after = e.retry_after();
        let now = Utc::now();
        let next = scheduler::next_after_failure(
            &self.cfg.settings,
            feed,
            now,
            errors_before + 1,
            retry_after,
            seed,
        );
        tracing::warn!(feed = %feed.name, error = %e, "Feed failed.");
        self.store.finish_feed(
            feed_id,
            &FeedResult::Failed {
                kind: e.kind().to_string(),
                message: e.to_string(),
            },
            now,
            next,
        )?;
        Ok(FeedOutcome::Failed {
            reason: e.to_string(),
        })
    }

    async fn process_pending(
        &self,
        feed: &FeedConfig,
        feed_url: &str,
        feed_id: i64,
        tally: &mut ItemTally,
    ) -> Result<()> {
        let pending = self.store.pending_items(feed_id)?;
        let mut results = futures::stream::iter(pending)
            .map(|p| self.process_item(feed, feed_url, p))
            .buffer_unordered(self.cfg.settings.per_host_concurrency);
        while let Some(r) = results.next().await {
            match r? {
                true => tally.processed += 1,
                false => tally.failed += 1,
            }
        }
        Ok(())
    }

    /// Page -> Article -> Summary -> Disclosure -> one transaction. Ok(false) when the
    /// item had no text to work with (the attempt is counted; a later run retries).
    async fn process_item(
        &self,
        feed: &FeedConfig,
        feed_url: &str,
        p: PendingItem,
    ) -> Result<bool> {
        let PendingItem { id, item } = p;
        let article = self.article_for(feed, &item).await;
        if article.text.trim().is_empty() {
            tracing::warn!(feed = %feed.name, item_key = %item.key, "No text for item; will retry.");
            self.store.note_attempt_failed(id)?;
            return Ok(false);
        }
        let summary = self
            .summarizers
            .summarize(
                feed.summarizer,
                SummaryInput {
                    text: &article.text,
                    title: article.title.as_deref().or(item.title.as_deref()),
                    lang: article.language.as_deref(),
                },
            )
            .await;
        let disclosure = disclose::label(&article, &summary, &item, feed_url);
        self.store
            .save_result(id, &article, &summary, &disclosure)?;
        Ok(true)
    }

    /// The article for an item: the page's text when it can be fetched and holds more
    /// than the feed carries, else the feed's own text, with the record saying which.
    async fn article_for(&self, feed: &FeedConfig, item: &Item) -> Article {
        let from_feed = article_from_feed(item);
        let link = item.link.as_deref().and_then(|l| Url::parse(l).ok());
        let (Some(link), true) = (link, feed.full_text) else {
            return from_feed;
        };
        let page = match self.fetcher.page(&link).await {
            Ok(p) => p,
            Err(e) => {
                tracing::info!(feed = %feed.name, url = %link, error = %e, "Page fetch failed; using the feed's text.");
                return with_note(from_feed, format!("page not retrieved: {e}"));
            }
        };
        let selector = feed.selector.clone();
        let rules = self.rules.clone();
        let final_url = page.final_url.clone();
        let ctype = page.content_type.clone();
        let body = page.body;
        // Extraction is CPU work; keep it off the async worker threads.
        let extracted = tokio::task::spawn_blocking(move || {
            extract::article(
                &body,
                &final_url,
                &ExtractOptions {
                    selector: selector.as_deref(),
                    rules: &rules,
                    content_type: ctype.as_deref(),
                },
            )
        })
        .await
        .map_err(|e| Error::Extract(format!("extraction task failed: {e}")))
        .and_then(|r| r);
        match extracted {
            Ok(mut a) => {
                let feed_words = from_feed.extraction.word_count;
                if a.extraction.word_count < feed_words {
                    // The feed carries more than the page gave us (teaser page, paywall,
                    // extraction miss): keep the page's metadata, use the feed's text.
                    let note = format!(
                        "page gave {} words, the feed {}; using the feed's text",
                        a.extraction.word_count, feed_words
                    );
                    let page_basis = a.extraction.basis;
                    a.text = from_feed.text;
                    a.extraction = Extraction {
                        method: "feed".into(),
                        word_count: feed_words,
                        basis: if from_feed.extraction.basis == Basis::FullText {
                            Basis::FullText
                        } else if page_basis == Basis::Partial {
                            Basis::Partial
                        } else {
                            Basis::FeedExcerpt
                        },
                        note: Some(note),
                    };
                }
                if a.title.is_none() {
                    a.title = item.title.clone();
                }
                if a.authors.is_empty() {
                    a.authors = item.authors.clone();
                }
                a.published = a.published.or(item.published);
                a
            }
            Err(e) => with_note(from_feed, format!("page not extracted: {e}")),
        }
    }
}

fn with_note(mut a: Article, note: String) -> Article {
    a.extraction.note = Some(note);
    a
}

/// An Article made from the feed entry alone.
pub fn article_from_feed(item: &Item) -> Article {
    let text = item.feed_text().unwrap_or("").trim().to_string();
    let words = text.split_whitespace().count();
    let from_content = item
        .content_text
        .as_deref()
        .is_some_and(|c| c.trim() == text);
    Article {
        url: item.link.clone().unwrap_or_default(),
        title: item.title.clone(),
        authors: item.authors.clone(),
        published: item.published,
        modified: item.updated,
        extraction: Extraction {
            method: "feed".into(),
            word_count: words,
            basis: if from_content && words >= FULL_FEED_TEXT_WORDS {
                Basis::FullText
            } else {
                Basis::FeedExcerpt
            },
            note: None,
        },
        text,
        ..Article::default()
    }
}

/// The next instant any enabled feed is due (for `watch`).
pub fn next_due(cfg: &Config, store: &Store) -> Result<Option<DateTime<Utc>>> {
    let states = store.feed_states()?;
    Ok(cfg
        .feeds
        .iter()
        .filter(|f| f.enabled)
        .filter_map(|f| states.iter().find(|s| s.name == f.name))
        .map(|s| s.next_check_at)
        .min())
}
