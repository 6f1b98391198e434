//! Which feeds are due, and when each is checked next: the schedule is data
//! (`next_check_at` on the feed's row), computed here from the configured interval,
//! server hints (RSS TTL, Cache-Control max-age, Expires) within configured bounds,
//! Retry-After, and exponential backoff with jitter for failing feeds.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::config::{Config, FeedConfig, Settings};
use crate::model::{CacheHints, FeedState};

/// A configured feed paired with its stored state.
#[derive(Debug, Clone)]
pub struct DueFeed {
    pub config: FeedConfig,
    pub state: FeedState,
}

/// Feeds to check now: enabled, configured, and due (or all of them with `all`),
/// optionally only the one named. Most overdue first.
pub fn due(
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
            (all || only.is_some() || state.next_check_at <= now).then(|| DueFeed {
                config: f.clone(),
                state: state.clone(),
            })
        })
        .collect();
    out.sort_by_key(|d| d.state.next_check_at);
    out
}

/// When to check a feed next after a successful fetch or a 304.
///
/// The configured interval is the floor; a server hint asking for a longer wait is
/// honoured, clamped into [min_interval, max_interval] so a bogus hint can neither
/// hammer a server nor silence a feed for a year.
pub fn next_after_success(
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
pub fn next_after_failure(
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
}
