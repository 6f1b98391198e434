//! The only wiring of stages and the only concurrent stage: due feeds are refreshed
//! N at once (per-host limits live in the Fetcher); each refresh runs fetch -> parse ->
//! upsert -> (per new item) page -> extract -> summarize -> disclose -> save -> finish.
//! Stages never call each other or the store; this file does.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures::StreamExt;
use url::Url;

use crate::cluster::{ArticleIn, Clusterer, METHOD_VERSION, Params as ClusterParams};
use crate::config::{Config, FeedConfig};
use crate::disclose;
use crate::error::{Error, Result};
use crate::extract::choose::{self, Page};
use crate::extract::{self, ExtractOptions, SiteRules};
use crate::feed::{self, FeedContext};
use crate::fetch::{self, FetchOutcome, Fetcher};
use crate::model::{FeedStatus, Item, Summary, SummaryInput};
use crate::scheduler::{self, DueFeed};
use crate::store::{FeedResult, PageRetry, PendingItem, Store};
use crate::summarize::{Summarizers, SummaryCache};

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
    pub(crate) cfg: Config,
    pub(crate) store: Arc<Store>,
    pub(crate) fetcher: Arc<Fetcher>,
    summarizers: Summarizers,
    rules: Arc<SiteRules>,
    /// Built on the first saved item from the store's open stories; one for the whole
    /// process, so items join stories in the order they are saved.
    clusterer: std::sync::Mutex<Option<Clusterer>>,
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
    /// Stored items remade from an article page that had failed before.
    pub pages_recovered: usize,
    /// Enabled feeds skipped because they are backing off after errors, and the
    /// earliest of their next checks (a plain pass only; `--all` checks them).
    pub backing_off: usize,
    pub next_backoff_check: Option<DateTime<Utc>>,
    /// Enabled feeds no longer polled because they answered 410 Gone.
    pub gone: Vec<String>,
}

impl RunReport {
    pub(crate) fn count(&self, f: impl Fn(&FeedOutcome) -> bool) -> usize {
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
        if self.pages_recovered > 0 {
            line.push_str(&format!(
                "; {} remade from a page that failed before",
                self.pages_recovered
            ));
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

#[derive(Default)]
struct ItemTally {
    processed: usize,
    failed: usize,
    recovered: usize,
}

/// How one item's processing ended.
enum ItemDone {
    Saved,
    /// No text to work with; the attempt is counted and a later run retries.
    NoText,
    /// A page retry that failed again: the stored record stays as it was.
    Unchanged,
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
            clusterer: std::sync::Mutex::new(None),
        })
    }

    /// One pass over the due feeds. Feed failures are recorded, not returned; only an
    /// unusable store is an error (a full disk among them: the pass stops at the first
    /// write that fails, and everything committed before it stays).
    pub async fn run_once(&self, opts: &RunOptions, progress: &dyn Progress) -> Result<RunReport> {
        self.pass(opts, progress)
            .await
            .map_err(|e| self.store.explain(e))
    }

    async fn pass(&self, opts: &RunOptions, progress: &dyn Progress) -> Result<RunReport> {
        self.store.sync_feeds(&self.cfg.feeds)?;
        let states = self.store.feed_states()?;
        let now = Utc::now();
        let due = scheduler::due(&self.cfg, &states, now, opts.all, opts.feed.as_deref());
        let mut report = RunReport::default();
        if !opts.all && opts.feed.is_none() {
            (report.backing_off, report.next_backoff_check) =
                scheduler::backing_off(&self.cfg, &states, now);
        }
        report.gone = states
            .iter()
            .filter(|s| s.status == FeedStatus::Gone && !due.iter().any(|d| d.state.id == s.id))
            .filter(|s| self.cfg.feed(&s.name).is_some_and(|f| f.enabled))
            .map(|s| s.name.clone())
            .collect();
        // `--all` and `--feed` ignore schedules, page retries' included.
        let retries_due_by = (!opts.all && opts.feed.is_none()).then_some(now);
        progress.start(due.len());
        let mut results = futures::stream::iter(due)
            .map(|d| async move {
                let name = d.config.name.clone();
                let r = self.refresh_feed(d, retries_due_by).await;
                (name, r)
            })
            .buffer_unordered(self.cfg.settings.concurrency);
        while let Some((name, r)) = results.next().await {
            let (outcome, tally) = r?;
            progress.feed_done(&name, &outcome);
            report.processed += tally.processed;
            report.item_failures += tally.failed;
            report.pages_recovered += tally.recovered;
            report.feeds.push((name, outcome));
        }
        report.feeds.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(report)
    }

    /// The next instant any enabled feed is due (for `watch`).
    pub(crate) fn next_due(&self) -> Result<Option<DateTime<Utc>>> {
        Ok(scheduler::next_due(&self.cfg, &self.store.feed_states()?))
    }

    /// Refresh one feed, stage by stage. Returns Err only for store errors.
    async fn refresh_feed(
        &self,
        due: DueFeed,
        retries_due_by: Option<DateTime<Utc>>,
    ) -> Result<(FeedOutcome, ItemTally)> {
        let DueFeed {
            config: feed,
            state,
        } = due;
        let mut tally = ItemTally::default();
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
                self.process_pending(&feed, &state.url, state.id, retries_due_by, &mut tally)
                    .await?;
                return Ok((FeedOutcome::NotModified, tally));
            }
            FetchOutcome::Failed(e) => {
                return Ok((
                    self.record_failure(&feed, &url, state.error_count, state.id, &e, seed)?,
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
        .map_err(|source| Error::Task {
            kind: "parse",
            source,
        })
        .and_then(|r| r);
        let parsed = match parsed {
            Ok(p) => p,
            Err(e) => {
                let e = Error::Located {
                    url: fetched.final_url.to_string(),
                    source: Box::new(e),
                };
                return Ok((
                    self.record_failure(&feed, &url, state.error_count, state.id, &e, seed)?,
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
        self.process_pending(&feed, &feed_url, state.id, retries_due_by, &mut tally)
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

    /// Record a failed check. The reason names the feed's URL (the one report line per
    /// failure must say what failed and where). A 410 Gone stops polling the feed.
    fn record_failure(
        &self,
        feed: &FeedConfig,
        url: &Url,
        errors_before: i64,
        feed_id: i64,
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
        let mut reason = e.to_string();
        if !reason.contains(url.as_str()) {
            reason = format!("{url}: {reason}");
        }
        // The CLI prints the report's one line per failure; a log line would repeat it.
        tracing::info!(feed = %feed.name, error = %reason, "Feed failed.");
        let result = match e {
            Error::HttpStatus { status: 410, .. } => FeedResult::Gone {
                message: reason.clone(),
            },
            _ => FeedResult::Failed {
                kind: e.kind().to_string(),
                message: reason.clone(),
            },
        };
        self.store.finish_feed(feed_id, &result, now, next)?;
        Ok(FeedOutcome::Failed { reason })
    }

    /// New and unfinished items, then stored items whose page is due for a retry.
    async fn process_pending(
        &self,
        feed: &FeedConfig,
        feed_url: &str,
        feed_id: i64,
        retries_due_by: Option<DateTime<Utc>>,
        tally: &mut ItemTally,
    ) -> Result<()> {
        let pending = self.store.pending_items(feed_id)?;
        let retries = self.store.page_retries(feed_id, retries_due_by)?;
        let work = pending
            .into_iter()
            .map(|p| (p, false))
            .chain(retries.into_iter().map(|p| (p, true)));
        let mut results = futures::stream::iter(work)
            .map(|(p, retry)| self.process_item(feed, feed_url, p, retry))
            .buffer_unordered(self.cfg.settings.per_host_concurrency);
        while let Some(r) = results.next().await {
            match r? {
                (ItemDone::Saved, false) => tally.processed += 1,
                (ItemDone::Saved, true) => tally.recovered += 1,
                (ItemDone::NoText, _) => tally.failed += 1,
                (ItemDone::Unchanged, _) => {}
            }
        }
        Ok(())
    }

    /// Page -> Article -> Summary -> Disclosure -> one transaction. A `retry` is an item
    /// already stored from the feed's text because its page failed; it is remade only
    /// when the page now works.
    async fn process_item(
        &self,
        feed: &FeedConfig,
        feed_url: &str,
        p: PendingItem,
        retry: bool,
    ) -> Result<(ItemDone, bool)> {
        let PendingItem {
            id,
            item,
            page_attempts,
        } = p;
        let (page, page_retry) = self.page_for(feed, &item, page_attempts).await;
        if retry && !matches!(page, Page::Extracted(_)) {
            self.store.set_page_retry(id, page_retry)?;
            return Ok((ItemDone::Unchanged, retry));
        }
        let article = choose::article(&item, page);
        if article.text.trim().is_empty() {
            tracing::warn!(feed = %feed.name, item_key = %item.key, "No text for item; will retry.");
            self.store.note_attempt_failed(id)?;
            return Ok((ItemDone::NoText, retry));
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
            .save_result_with_page(id, &article, &summary, &disclosure, page_retry)?;
        // A retried item was put in its story when first saved.
        if !retry {
            self.assign_story(id, &feed.name, &item, &article)?;
        }
        Ok((ItemDone::Saved, retry))
    }

    /// Put a newly saved item in an open story or a new one (`cluster`), and store it.
    fn assign_story(
        &self,
        id: i64,
        feed: &str,
        item: &Item,
        article: &crate::model::Article,
    ) -> Result<()> {
        let now = Utc::now().timestamp();
        let mut guard = self.clusterer.lock().unwrap_or_else(|e| e.into_inner());
        if guard.is_none() {
            let params = ClusterParams::default();
            let first = u64::try_from(self.store.next_story_id()?).unwrap_or(1);
            let mut c = Clusterer::new(params, first);
            for m in self
                .store
                .story_members_since(now.saturating_sub(params.window_secs))?
            {
                c.resume(
                    &ArticleIn {
                        source: &m.source,
                        lang: m.lang.as_deref(),
                        published: m.published,
                        title: &m.title,
                        text: &m.text,
                    },
                    u64::try_from(m.story).unwrap_or(0),
                );
            }
            *guard = Some(c);
        }
        let Some(c) = guard.as_mut() else {
            return Ok(());
        };
        let title = article
            .title
            .as_deref()
            .or(item.title.as_deref())
            .unwrap_or("");
        let story = c.assign(&ArticleIn {
            source: feed,
            lang: article.language.as_deref(),
            published: item.published.map_or(now, |p| p.timestamp()),
            title,
            text: &article.text,
        });
        self.store.set_story(
            id,
            i64::try_from(story).unwrap_or(i64::MAX),
            METHOD_VERSION,
            now,
        )
    }

    /// Fetch and extract the item's article page (when the feed wants pages), and say
    /// whether to try again later: after a transient failure, with backoff, a few times.
    async fn page_for(&self, feed: &FeedConfig, item: &Item, attempts: i64) -> (Page, PageRetry) {
        let link = item.link.as_deref().and_then(|l| Url::parse(l).ok());
        let (Some(link), true) = (link, feed.full_text) else {
            return (Page::NotFetched, PageRetry::Done);
        };
        let page = match self.fetcher.page(&link).await {
            Ok(p) => p,
            Err(e) => {
                let attempts = attempts + 1;
                let retry = if fetch::is_transient(&e) {
                    match scheduler::next_page_retry(attempts, Utc::now(), e.retry_after()) {
                        Some(at) => PageRetry::At { attempts, at },
                        None => PageRetry::GiveUp { attempts },
                    }
                } else {
                    PageRetry::Done
                };
                tracing::info!(feed = %feed.name, url = %link, error = %e, ?retry, "Page fetch failed; using the feed's text.");
                return (Page::FetchFailed(e.to_string()), retry);
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
        .map_err(|source| Error::Task {
            kind: "extract",
            source,
        })
        .and_then(|r| r);
        let page = match extracted {
            Ok(a) => Page::Extracted(Box::new(a)),
            Err(e) => Page::ExtractFailed(e.to_string()),
        };
        (page, PageRetry::Done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wiremock::matchers::path;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    fn rss(base: &str, items: std::ops::Range<usize>) -> String {
        let body = "The council met again on Thursday to discuss the harbour. ".repeat(40);
        let entries: String = items
            .map(|i| {
                format!(
                    "<item><title>Story {i}</title><link>{base}/s/{i}</link><guid>s-{i}</guid>\
                     <description>{body}</description></item>"
                )
            })
            .collect();
        format!(
            r#"<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>{base}/</link><description>d</description>{entries}</channel></rss>"#
        )
    }

    /// A page the site's robots.txt disallows is never requested; the item is made from
    /// the feed's own text and its record says why.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_page_robots_txt_disallows_is_not_fetched_and_the_record_says_why() {
        let server = MockServer::start().await;
        let base = server.uri();
        Mock::given(path("/robots.txt"))
            .respond_with(
                ResponseTemplate::new(200).set_body_string("User-agent: *\nDisallow: /s/\n"),
            )
            .mount(&server)
            .await;
        Mock::given(path("/f.xml"))
            .respond_with(
                ResponseTemplate::new(200).set_body_raw(rss(&base, 0..3), "application/rss+xml"),
            )
            .mount(&server)
            .await;
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("feeds.toml");
        std::fs::write(
            &config,
            format!(
                "[settings]\ndatabase = \"r.db\"\nallow_private_networks = true\n\n\
                 [[feed]]\nname = \"F\"\nurl = \"{base}/f.xml\"\n"
            ),
        )
        .unwrap();
        let store = Arc::new(Store::open(&dir.path().join("r.db")).unwrap());
        let p = Pipeline::new(Config::load(&config).unwrap(), store).unwrap();
        let opts = RunOptions {
            all: true,
            feed: None,
        };
        let report = p.run_once(&opts, &NoProgress).await.unwrap();
        assert_eq!(report.processed, 3);
        drop(p);

        let reqs = server.received_requests().await.unwrap();
        let pages = reqs
            .iter()
            .filter(|r| r.url.path().starts_with("/s/"))
            .count();
        assert_eq!(pages, 0, "no disallowed page was requested");
        let c = rusqlite::Connection::open(dir.path().join("r.db")).unwrap();
        let mut q = c
            .prepare("SELECT text, basis, record FROM articles ORDER BY item_id")
            .unwrap();
        let rows: Vec<(String, String, String)> = q
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(rows.len(), 3);
        for (text, basis, record) in rows {
            assert!(text.starts_with("The council met again"), "{text}");
            assert_eq!(basis, "feed_excerpt");
            let record: serde_json::Value = serde_json::from_str(&record).unwrap();
            let note = record["extraction"]["note"].as_str().unwrap_or_default();
            assert!(note.contains("robots_disallowed"), "{record}");
        }
        // Not retried on a later run: robots.txt said no, not "not now".
        let retries: i64 = c
            .query_row(
                "SELECT COUNT(*) FROM items WHERE page_retry_at IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(retries, 0);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_disk_stops_the_run_naming_the_database_and_keeps_what_was_stored() {
        let server = MockServer::start().await;
        let base = server.uri();
        Mock::given(path("/f.xml"))
            .respond_with(
                ResponseTemplate::new(200).set_body_raw(rss(&base, 0..2), "application/rss+xml"),
            )
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(path("/f.xml"))
            .respond_with(
                ResponseTemplate::new(200).set_body_raw(rss(&base, 0..200), "application/rss+xml"),
            )
            .mount(&server)
            .await;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("full.db");
        let config = dir.path().join("feeds.toml");
        std::fs::write(
            &config,
            format!(
                "[settings]\ndatabase = \"full.db\"\nallow_private_networks = true\n\
                 min_host_interval = \"0s\"\n\n[[feed]]\nname = \"F\"\nurl = \"{base}/f.xml\"\n\
                 full_text = false\n"
            ),
        )
        .unwrap();
        let opts = RunOptions {
            all: true,
            feed: None,
        };
        let store = Arc::new(Store::open(&db).unwrap());
        let p = Pipeline::new(Config::load(&config).unwrap(), store.clone()).unwrap();
        let first = p.run_once(&opts, &NoProgress).await.unwrap();
        assert_eq!(first.processed, 2);

        // The disk fills up: 198 new items do not fit.
        store.fill_up_for_test();
        let err = p.run_once(&opts, &NoProgress).await.unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, Error::StoreUnusable { .. }), "{msg}");
        assert!(msg.contains(&db.display().to_string()), "{msg}");
        assert!(msg.contains("disk is full"), "{msg}");
        drop(p);
        drop(store);

        // What was committed before is intact and the file is sound.
        let c = rusqlite::Connection::open(&db).unwrap();
        let ok: String = c
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
        let n = |sql: &str| c.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
        assert_eq!(
            n("SELECT COUNT(*) FROM items"),
            2,
            "the failed batch left nothing"
        );
        assert_eq!(n("SELECT COUNT(*) FROM summaries"), 2);
        assert_eq!(n("SELECT COUNT(*) FROM search"), 2);
        // With room again, the next run stores the rest.
        let store = Arc::new(Store::open(&db).unwrap());
        let p = Pipeline::new(Config::load(&config).unwrap(), store).unwrap();
        let again = p.run_once(&opts, &NoProgress).await.unwrap();
        assert_eq!(again.new_items(), 198);
    }
}
