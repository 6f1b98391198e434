//! Which feeds are due, and when each is checked next: the schedule is data
//! (`next_check_at` on the feed's row), computed here from the configured interval,
//! server hints (RSS TTL, Cache-Control max-age, Expires) within configured bounds,
//! Retry-After, and exponential backoff with jitter for failing feeds; when a failed
//! article page is fetched again; and the watch loop that runs passes as feeds come due.

use std::future::Future;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::config::{Config, FeedConfig, Settings};
use crate::model::{CacheHints, FeedState, FeedStatus};

/// A configured feed paired with its stored state.
#[derive(Debug, Clone)]
pub(crate) struct DueFeed {
    pub(crate) config: FeedConfig,
    pub(crate) state: FeedState,
}

/// Feeds to check now: enabled, configured, and due (or all of them with `all`),
/// optionally only the one named. Most overdue first. A feed that answered 410 Gone is
/// left alone, `all` or not, until it is named (`run --feed NAME`) or its URL changes.
pub(crate) fn due(
    cfg: &Config,
    states: &[FeedState],
    now: DateTime<Utc>,
    all: bool,
    only: Option<&str>,
) -> Vec<DueFeed> {
    let mut out: Vec<DueFeed> = cfg
        .feeds
        .iter()
        .filter(|f| only.is_none_or(|n| f.name.eq_ignore_ascii_case(n)))
        .filter(|f| f.enabled || only.is_some())
        .filter_map(|f| {
            let state = states.iter().find(|s| s.name == f.name)?;
            let gone = state.status == FeedStatus::Gone;
            let due = only.is_some() || (!gone && (all || state.next_check_at <= now));
            due.then(|| DueFeed {
                config: f.clone(),
                state: state.clone(),
            })
        })
        .collect();
    out.sort_by_key(|d| d.state.next_check_at);
    out
}

/// Enabled feeds that are not due because they failed and are backing off, with the
/// earliest of their next checks (for "N feeds are backing off" after a pass).
pub(crate) fn backing_off(
    cfg: &Config,
    states: &[FeedState],
    now: DateTime<Utc>,
) -> (usize, Option<DateTime<Utc>>) {
    let waiting: Vec<&FeedState> = enabled_states(cfg, states)
        .filter(|s| s.status == FeedStatus::Failed && s.next_check_at > now)
        .collect();
    (waiting.len(), waiting.iter().map(|s| s.next_check_at).min())
}

/// The next instant any enabled feed is due (gone ones are not polled).
pub(crate) fn next_due(cfg: &Config, states: &[FeedState]) -> Option<DateTime<Utc>> {
    enabled_states(cfg, states)
        .filter(|s| s.status != FeedStatus::Gone)
        .map(|s| s.next_check_at)
        .min()
}

fn enabled_states<'a>(
    cfg: &'a Config,
    states: &'a [FeedState],
) -> impl Iterator<Item = &'a FeedState> + 'a {
    cfg.feeds
        .iter()
        .filter(|f| f.enabled)
        .filter_map(|f| states.iter().find(|s| s.name == f.name))
}

/// An article page that failed transiently (5xx, 429, timeout, connection error) is
/// fetched again after 15 minutes, then 1 hour, then 4 hours, then given up; never
/// before the server's Retry-After. `attempts` counts the failures so far.
pub(crate) const PAGE_RETRY_BACKOFF: [Duration; 3] = [
    Duration::from_secs(15 * 60),
    Duration::from_secs(3600),
    Duration::from_secs(4 * 3600),
];

/// When to fetch a failed page again after its `attempts`-th transient failure; None
/// once the retries are used up.
pub(crate) fn next_page_retry(
    attempts: i64,
    now: DateTime<Utc>,
    retry_after: Option<Duration>,
) -> Option<DateTime<Utc>> {
    let i = usize::try_from(attempts.checked_sub(1)?).ok()?;
    let wait = (*PAGE_RETRY_BACKOFF.get(i)?).max(retry_after.unwrap_or_default());
    Some(now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(4)))
}

/// How long `watch` sleeps before the next pass: until the next feed is due, at least
/// a second (never spin) and at most an hour (page retries and config-independent
/// work are not starved); a minute when nothing is scheduled or the next check is
/// already past (the pass that just ran could not settle it).
pub(crate) fn watch_sleep(next: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Duration {
    next.and_then(|t| (t - now).to_std().ok())
        .unwrap_or(Duration::from_secs(60))
        .clamp(Duration::from_secs(1), Duration::from_secs(3600))
}

/// The watch loop: run a pass, sleep until the next feed is due, repeat, until
/// `shutdown` resolves (a pass in flight is dropped: every write is its own
/// transaction, so nothing half-done is kept). `pass` returns when the next feed is due.
/// An error from a pass (an unusable store) ends the loop.
pub(crate) async fn watch<P, F, E>(mut pass: P, shutdown: impl Future<Output = ()>) -> Result<(), E>
where
    P: FnMut() -> F,
    F: Future<Output = Result<Option<DateTime<Utc>>, E>>,
{
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let next = tokio::select! {
            r = pass() => r?,
            _ = &mut shutdown => return Ok(()),
        };
        let wait = watch_sleep(next, Utc::now());
        tracing::info!(
            seconds = wait.as_secs(),
            "Sleeping until the next feed is due."
        );
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = &mut shutdown => return Ok(()),
        }
    }
}

/// Resolves on SIGINT or SIGTERM.
pub(crate) async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// When to check a feed next after a successful fetch or a 304.
///
/// The configured interval is the floor; a server hint asking for a longer wait is
/// honoured, clamped into [min_interval, max_interval] so a bogus hint can neither
/// hammer a server nor silence a feed for a year.
pub(crate) fn next_after_success(
    settings: &Settings,
    feed: &FeedConfig,
    now: DateTime<Utc>,
    cache: &CacheHints,
    ttl_minutes: Option<u32>,
) -> DateTime<Utc> {
    let interval = feed.interval.unwrap_or(settings.interval);
    let hint = [
        ttl_minutes.map(|m| Duration::from_secs(u64::from(m) * 60)),
        cache.max_age,
        cache.expires.and_then(|e| (e - now).to_std().ok()),
    ]
    .into_iter()
    .flatten()
    .max();
    let wait = match hint {
        Some(h) => interval.max(h.clamp(settings.min_interval, settings.max_interval)),
        None => interval,
    };
    now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1))
}

/// When to retry a failing feed: the interval doubled per consecutive error (capped at
/// `max_backoff`), with ±20% jitter so many failing feeds do not retry in lockstep,
/// and never before the server's Retry-After.
pub(crate) fn next_after_failure(
    settings: &Settings,
    feed: &FeedConfig,
    now: DateTime<Utc>,
    error_count: i64,
    retry_after: Option<Duration>,
    jitter_seed: u64,
) -> DateTime<Utc> {
    let base = feed
        .interval
        .unwrap_or(settings.interval)
        .min(settings.interval);
    // The first failure retries sooner than a normal check (a blip), then doubles.
    let first = (base / 4).max(Duration::from_secs(60));
    let exp = (error_count.clamp(1, 20) - 1) as u32;
    let backoff = first
        .checked_mul(2u32.saturating_pow(exp))
        .unwrap_or(settings.max_backoff)
        .min(settings.max_backoff);
    let jitter = 0.8 + 0.4 * unit_random(jitter_seed);
    let wait = backoff.mul_f64(jitter).max(retry_after.unwrap_or_default());
    now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(24))
}

/// A cheap deterministic number in [0, 1) from a seed (splitmix64), so jitter is
/// spread across feeds without a random-number dependency and tests are repeatable.
fn unit_random(seed: u64) -> f64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed() -> FeedConfig {
        FeedConfig::new("A", url::Url::parse("https://a.example/f").unwrap())
    }

    fn at(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(s, 0).unwrap()
    }

    #[test]
    fn success_uses_interval_and_longer_hints_within_bounds() {
        let s = Settings::default(); // interval 1h, bounds 15m..24h
        let now = at(1_000_000);
        let none = CacheHints::default();
        assert_eq!(
            next_after_success(&s, &feed(), now, &none, None),
            now + chrono::Duration::hours(1)
        );
        // A short hint never makes us poll faster than the interval.
        let short = CacheHints {
            max_age: Some(Duration::from_secs(60)),
            expires: None,
        };
        assert_eq!(
            next_after_success(&s, &feed(), now, &short, None),
            now + chrono::Duration::hours(1)
        );
        // A longer TTL is honoured.
        assert_eq!(
            next_after_success(&s, &feed(), now, &none, Some(180)),
            now + chrono::Duration::hours(3)
        );
        // An absurd Expires is clamped to max_interval.
        let far = CacheHints {
            max_age: None,
            expires: Some(now + chrono::Duration::days(365)),
        };
        assert_eq!(
            next_after_success(&s, &feed(), now, &far, None),
            now + chrono::Duration::hours(24)
        );
    }

    #[test]
    fn failure_backs_off_exponentially_with_bounded_jitter_and_retry_after() {
        let s = Settings::default();
        let now = at(1_000_000);
        let mut last = chrono::Duration::zero();
        for errors in 1..=4 {
            let d = next_after_failure(&s, &feed(), now, errors, None, 7) - now;
            // 15 min, 30 min, 1 h, 2 h, each within ±20%.
            let nominal = 15 * 60 * 2i64.pow(errors as u32 - 1);
            assert!(
                d.num_seconds() >= nominal * 8 / 10 && d.num_seconds() <= nominal * 12 / 10,
                "{errors}: {d}"
            );
            assert!(d > last);
            last = d;
        }
        let capped = next_after_failure(&s, &feed(), now, 40, None, 1) - now;
        assert!(capped.num_seconds() <= (24 * 3600) * 12 / 10);
        let ra = next_after_failure(&s, &feed(), now, 1, Some(Duration::from_secs(7200)), 3) - now;
        assert!(ra.num_seconds() >= 7200);
        // Different seeds spread retries.
        let a = next_after_failure(&s, &feed(), now, 3, None, 1);
        let b = next_after_failure(&s, &feed(), now, 3, None, 2);
        assert_ne!(a, b);
    }

    #[test]
    fn failed_pages_are_retried_after_15_min_1_h_4_h_then_given_up() {
        let now = at(1_000_000);
        let after = |n| next_page_retry(n, now, None).map(|t| (t - now).num_minutes());
        assert_eq!(after(1), Some(15));
        assert_eq!(after(2), Some(60));
        assert_eq!(after(3), Some(240));
        assert_eq!(after(4), None);
        assert_eq!(after(0), None);
        let ra = next_page_retry(1, now, Some(Duration::from_secs(7200))).unwrap();
        assert_eq!((ra - now).num_minutes(), 120);
    }

    fn state(name: &str, status: &str, next: i64) -> FeedState {
        FeedState {
            id: 1,
            name: name.into(),
            url: "https://a.example/f".into(),
            config_url: "https://a.example/f".into(),
            title: None,
            site_link: None,
            validators: Default::default(),
            status: FeedStatus::parse(status).expect("a stored status word"),
            error_kind: None,
            last_error: None,
            error_count: 0,
            last_checked_at: None,
            last_success_at: None,
            next_check_at: at(next),
            item_count: 0,
            gone_since: None,
        }
    }

    #[test]
    fn a_gone_feed_is_checked_only_when_named_and_backing_off_feeds_are_counted() {
        let mut cfg = Config::default();
        for n in ["A", "B", "C"] {
            cfg.feeds.push(FeedConfig::new(
                n,
                url::Url::parse("https://a.example/f").unwrap(),
            ));
        }
        let states = vec![
            state("A", "gone", 0),
            state("B", "failed", 2_000),
            state("C", "ok", 500),
        ];
        let now = at(1_000);
        let names = |d: Vec<DueFeed>| d.into_iter().map(|d| d.config.name).collect::<Vec<_>>();
        assert_eq!(names(due(&cfg, &states, now, false, None)), ["C"]);
        assert_eq!(names(due(&cfg, &states, now, true, None)), ["C", "B"]);
        assert_eq!(names(due(&cfg, &states, now, false, Some("a"))), ["A"]);
        assert_eq!(backing_off(&cfg, &states, now), (1, Some(at(2_000))));
        assert_eq!(next_due(&cfg, &states), Some(at(500)));
        // Overdue (a pass just ran, so something it could not settle): a minute, no spin.
        assert_eq!(watch_sleep(Some(at(500)), now).as_secs(), 60);
        assert_eq!(watch_sleep(Some(at(1_000)), now).as_secs(), 1);
        assert_eq!(watch_sleep(Some(at(1_030)), now).as_secs(), 30);
        assert_eq!(watch_sleep(None, now).as_secs(), 60);
        assert_eq!(watch_sleep(Some(at(100_000)), now).as_secs(), 3600);
    }
}
