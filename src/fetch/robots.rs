//! robots.txt for article pages (feeds are meant to be polled and are not checked):
//! what a site's answer means, the rules for the `feedbrief` token (else `*`), its
//! Crawl-delay, and the once-per-origin-per-run cache. Parsing is `texting_robots`
//! (tested against Google's robots.txt test suite). The Fetcher does the fetching.
//!
//! What an answer means, as Google reads it: 2xx = the rules in it (unparseable = no
//! rules); 4xx (404, 401, 403, 410) = no rules, allow all; 429 or 5xx = the site is in
//! trouble, so none of its pages is fetched this run (the pages are retried on a later
//! run); unreachable (network error, timeout, a redirect loop, too large) = allow all.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use texting_robots::Robot;
use tokio::sync::OnceCell;
use tokio::time::Instant;
use url::Url;

use crate::error::{Error, Result};

/// The product token matched against robots.txt `User-agent` lines.
pub(crate) const AGENT_TOKEN: &str = "feedbrief";
/// Larger robots.txt files are not read (Google reads 500 KiB).
pub(crate) const MAX_ROBOTS_BYTES: u64 = 512 * 1024;
/// A robots.txt that takes longer than this counts as unreachable (allow all).
pub(crate) const ROBOTS_TIMEOUT: Duration = Duration::from_secs(10);
/// `watch` keeps one Fetcher for days: rules older than this are read again
/// (RFC 9309 asks crawlers not to use a cached robots.txt longer than 24 hours).
pub(crate) const ROBOTS_TTL: Duration = Duration::from_secs(24 * 3600);

/// One origin's robots.txt, as far as our pages are concerned.
#[derive(Debug)]
pub(crate) enum Rules {
    AllowAll,
    /// robots.txt answered 429 or 5xx: no page of the origin this run.
    Unavailable {
        status: u16,
    },
    Parsed(Box<Robot>),
}

impl Rules {
    /// A 2xx robots.txt body.
    pub(crate) fn from_body(body: &[u8]) -> Rules {
        match Robot::new(AGENT_TOKEN, body) {
            Ok(r) => Rules::Parsed(Box::new(r)),
            Err(e) => {
                tracing::debug!(error = %e, "Unreadable robots.txt; treating it as no rules.");
                Rules::AllowAll
            }
        }
    }

    /// A robots.txt that answered a non-2xx status.
    pub(crate) fn from_status(status: u16) -> Rules {
        if status == 429 || status >= 500 {
            Rules::Unavailable { status }
        } else {
            Rules::AllowAll
        }
    }

    /// The site's `Crawl-delay`, used as the floor of the host's gap.
    pub(crate) fn crawl_delay(&self) -> Option<Duration> {
        match self {
            Rules::Parsed(r) => r
                .delay
                .filter(|s| s.is_finite() && *s > 0.0)
                .map(|s| Duration::from_secs_f64(f64::from(s).min(86_400.0))),
            _ => None,
        }
    }

    /// Whether the page may be fetched; the error says why not.
    pub(crate) fn check(&self, page: &Url) -> Result<()> {
        match self {
            Rules::AllowAll => Ok(()),
            Rules::Unavailable { status } => Err(Error::RobotsUnavailable {
                url: page.to_string(),
                status: *status,
            }),
            Rules::Parsed(r) if r.allowed(page.as_str()) => Ok(()),
            Rules::Parsed(_) => Err(Error::RobotsDisallowed {
                url: page.to_string(),
            }),
        }
    }
}

/// The cache key (scheme, host and port: robots.txt is per origin) and the robots.txt
/// URL for a page.
pub(crate) fn robots_url(page: &Url) -> Option<(String, Url)> {
    let origin = page.origin();
    if !origin.is_tuple() {
        return None;
    }
    let key = origin.ascii_serialization();
    let url = page.join("/robots.txt").ok()?;
    Some((key, url))
}

/// Rules and when they were read.
#[derive(Debug)]
pub(crate) struct Cached {
    pub(crate) rules: Rules,
    pub(crate) read_at: Instant,
}

/// Each origin's rules, fetched at most once per run (and per `ROBOTS_TTL` in `watch`);
/// concurrent pages of one origin wait for the same fetch.
#[derive(Default)]
pub(crate) struct RobotsCache {
    origins: Mutex<HashMap<String, Arc<OnceCell<Cached>>>>,
}

impl RobotsCache {
    /// The origin's cell: filled already, or to be filled by the first caller.
    pub(crate) fn cell(&self, origin: &str, now: Instant) -> Arc<OnceCell<Cached>> {
        let mut map = self.origins.lock().unwrap_or_else(|e| e.into_inner());
        let cell = map.entry(origin.to_string()).or_default();
        if cell
            .get()
            .is_some_and(|c| now.saturating_duration_since(c.read_at) > ROBOTS_TTL)
        {
            *cell = Arc::default();
        }
        cell.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn our_group_wins_over_star_and_allow_overrides_a_shorter_disallow() {
        let txt = b"User-agent: *\nDisallow: /\n\nUser-agent: feedbrief\nDisallow: /private/\nAllow: /private/open\nCrawl-delay: 2.5\n";
        let r = Rules::from_body(txt);
        assert!(r.check(&url("https://a.example/news/1")).is_ok());
        let e = r.check(&url("https://a.example/private/x")).unwrap_err();
        assert_eq!(e.kind(), "robots_disallowed");
        assert!(e.to_string().contains("robots_disallowed"), "{e}");
        assert!(r.check(&url("https://a.example/private/open/1")).is_ok());
        assert_eq!(r.crawl_delay(), Some(Duration::from_millis(2500)));
    }

    #[test]
    fn star_applies_when_we_are_not_named() {
        let r = Rules::from_body(
            b"User-agent: otherbot\nDisallow: /\n\nUser-agent: *\nDisallow: /s/\n",
        );
        assert!(r.check(&url("http://a.example/s/1")).is_err());
        assert!(r.check(&url("http://a.example/t/1")).is_ok());
        assert_eq!(r.crawl_delay(), None);
    }

    #[test]
    fn missing_robots_allows_all_server_errors_allow_nothing_this_run() {
        for s in [401, 403, 404, 410] {
            assert!(
                Rules::from_status(s)
                    .check(&url("http://a.example/x"))
                    .is_ok(),
                "{s}"
            );
        }
        for s in [429, 500, 503] {
            let e = Rules::from_status(s)
                .check(&url("http://a.example/x"))
                .unwrap_err();
            assert_eq!(e.kind(), "robots_unavailable", "{s}");
            assert!(crate::fetch::is_transient(&e), "retried on a later run");
        }
        // Garbage is no rules.
        assert!(
            Rules::from_body(b"\xff\xfe<html>nope")
                .check(&url("http://a.example/x"))
                .is_ok()
        );
    }

    #[test]
    fn cached_rules_are_read_again_after_a_day() {
        let cache = RobotsCache::default();
        let t0 = Instant::now();
        let cell = cache.cell("http://a.example", t0);
        cell.set(Cached {
            rules: Rules::AllowAll,
            read_at: t0,
        })
        .unwrap();
        assert!(
            cache
                .cell("http://a.example", t0 + Duration::from_secs(3600))
                .initialized()
        );
        assert!(!cache.cell("http://b.example", t0).initialized());
        let later = t0 + ROBOTS_TTL + Duration::from_secs(1);
        assert!(!cache.cell("http://a.example", later).initialized());
    }

    #[test]
    fn the_cache_key_is_the_origin() {
        let (k, u) = robots_url(&url("http://a.example:8080/news/1?x=1")).unwrap();
        assert_eq!(k, "http://a.example:8080");
        assert_eq!(u.as_str(), "http://a.example:8080/robots.txt");
        let (k2, _) = robots_url(&url("https://a.example/news/1")).unwrap();
        assert_ne!(k, k2);
    }
}
