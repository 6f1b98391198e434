//! The only owner of HTTP: conditional GET, body caps while streaming, decompression,
//! redirects (at most 5, followed by hand so every hop is checked), timeouts, per-host
//! politeness (adaptive pacing in `pace`, robots.txt for article pages in `robots`),
//! Retry-After, and the private-address guard. Also posts JSON to OpenAI-compatible
//! model endpoints for the llm summarizer.

mod guard;
mod host;
pub(crate) mod pace;
#[cfg(test)]
mod politeness_tests;
pub(crate) mod retry;
mod robots;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{StatusCode, redirect};
use url::Url;

pub(crate) use guard::is_non_public;
use guard::{NonPublicAddress, PublicOnlyResolver};
use host::HostLimiter;
use pace::{Outcome, PaceSettings};
pub(crate) use retry::is_transient;
use robots::{RobotsCache, Rules};

use crate::config::{MAX_REDIRECTS, Settings};
use crate::error::{Error, Result, Transport};
use crate::model::{CacheHints, Validators};

/// A run waits at most this long for a host that asked for a pause; longer pauses
/// fail the request at once (the feed is retried after the pause).
const MAX_POLITE_WAIT: Duration = Duration::from_secs(60);

/// A successful (2xx) response with its body read (within the cap).
#[derive(Debug, Clone)]
pub(crate) struct Fetched {
    /// URL after redirects: the base for relative links.
    pub(crate) final_url: Url,
    /// Set when every redirect on the way was permanent (301/308): the feed moved.
    pub(crate) moved_to: Option<Url>,
    pub(crate) body: Vec<u8>,
    pub(crate) content_type: Option<String>,
    pub(crate) content_language: Option<String>,
    pub(crate) validators: Validators,
    pub(crate) cache: CacheHints,
}

/// The result of a conditional feed fetch.
#[derive(Debug)]
pub(crate) enum FetchOutcome {
    /// 304: nothing to parse, nothing to write but the schedule.
    NotModified {
        cache: CacheHints,
    },
    Fetched(Box<Fetched>),
    Failed(Error),
}

/// A reply from a JSON API endpoint (any status; the caller interprets it).
#[derive(Debug, Clone)]
pub(crate) struct ApiReply {
    pub(crate) status: u16,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) body: Vec<u8>,
}

/// One Fetcher per process: every feed, page and model request goes through it.
pub struct Fetcher {
    client: reqwest::Client,
    api_client: reqwest::Client,
    hosts: HostLimiter,
    robots: Option<RobotsCache>,
    allow_private: bool,
    timeout: Duration,
    max_feed_bytes: u64,
    max_page_bytes: u64,
}

enum BodyCap {
    Feed,
    Page,
}

impl Fetcher {
    pub fn new(settings: &Settings) -> Result<Arc<Fetcher>> {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("en;q=0.9, *;q=0.5"),
        );
        let mut builder = reqwest::Client::builder()
            .user_agent(settings.user_agent.clone())
            .default_headers(headers)
            .connect_timeout(settings.connect_timeout)
            // Redirects are followed by hand: each hop is counted, checked against the
            // address guard and classified as permanent or not.
            .redirect(redirect::Policy::none())
            .pool_idle_timeout(Duration::from_secs(30));
        if !settings.allow_private_networks {
            builder = builder.dns_resolver(Arc::new(PublicOnlyResolver));
        }
        for proxy in env_proxies() {
            builder = builder.proxy(proxy);
        }
        let client = builder
            .build()
            .map_err(|e| Error::HttpClient(Transport(e)))?;
        // Model endpoints are configured by the user (often Ollama on localhost), so
        // the private-address guard does not apply to them.
        let api_client = reqwest::Client::builder()
            .user_agent(settings.user_agent.clone())
            .connect_timeout(settings.connect_timeout)
            .redirect(redirect::Policy::none())
            .build()
            .map_err(|e| Error::HttpClient(Transport(e)))?;
        Ok(Arc::new(Fetcher {
            client,
            api_client,
            hosts: HostLimiter::new(
                settings.per_host_concurrency,
                PaceSettings {
                    floor: settings.min_host_interval,
                    target_concurrency: settings.target_host_concurrency,
                    adaptive: settings.adaptive_pacing,
                },
            ),
            robots: settings.robots_txt.then(RobotsCache::default),
            allow_private: settings.allow_private_networks,
            timeout: settings.timeout,
            max_feed_bytes: settings.max_feed_bytes,
            max_page_bytes: settings.max_page_bytes,
        }))
    }

    /// Conditional GET of a feed. Never panics or returns early with `?`: every
    /// failure is a `FetchOutcome::Failed` value the pipeline records.
    pub(crate) async fn feed(&self, url: &Url, validators: &Validators) -> FetchOutcome {
        match self.get(url, Some(validators), BodyCap::Feed).await {
            Ok(Got::NotModified(cache)) => FetchOutcome::NotModified { cache },
            Ok(Got::Body(f)) => FetchOutcome::Fetched(f),
            Err(e) => FetchOutcome::Failed(e),
        }
    }

    /// GET an article page (no validators: pages are fetched once), if the site's
    /// robots.txt allows it (`Error::RobotsDisallowed` otherwise, nothing requested).
    pub(crate) async fn page(&self, url: &Url) -> Result<Fetched> {
        self.check_robots(url).await?;
        match self.get(url, None, BodyCap::Page).await? {
            Got::Body(f) => Ok(*f),
            Got::NotModified(_) => Err(Error::HttpStatus {
                url: url.to_string(),
                status: 304,
                retry_after: None,
            }),
        }
    }

    /// POST a JSON body to a model endpoint. Non-2xx statuses are returned, not errors;
    /// transport failures and the timeout are errors.
    pub(crate) async fn post_json(
        &self,
        url: &Url,
        bearer: Option<&str>,
        body: &serde_json::Value,
        timeout: Duration,
    ) -> Result<ApiReply> {
        let mut req = self
            .api_client
            .post(url.clone())
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json")
            .body(body.to_string());
        if let Some(key) = bearer {
            req = req.bearer_auth(key);
        }
        let work = async {
            let resp = req.send().await.map_err(|e| net_error(url, e))?;
            let status = resp.status().as_u16();
            let retry_after = retry_after(resp.headers());
            let body = read_capped(resp, url, 16 * 1024 * 1024).await?;
            Ok(ApiReply {
                status,
                retry_after,
                body,
            })
        };
        match tokio::time::timeout(timeout, work).await {
            Ok(r) => r,
            Err(_) => Err(Error::Timeout {
                url: url.to_string(),
                seconds: timeout.as_secs(),
            }),
        }
    }

    /// Fetch the origin's robots.txt once per run (pages of one origin wait for the
    /// same fetch), set its Crawl-delay as the host's floor, and check the page.
    async fn check_robots(&self, url: &Url) -> Result<()> {
        let Some(cache) = &self.robots else {
            return Ok(());
        };
        let Some((origin, robots_url)) = robots::robots_url(url) else {
            return Ok(());
        };
        let cell = cache.cell(&origin, tokio::time::Instant::now());
        let rules = cell
            .get_or_try_init(|| async {
                let timeout = robots::ROBOTS_TIMEOUT.min(self.timeout);
                let got = self
                    .get_inner(&robots_url, None, robots::MAX_ROBOTS_BYTES, timeout, false)
                    .await;
                let rules = match got {
                    Ok(Got::Body(f)) => Rules::from_body(&f.body),
                    Ok(Got::NotModified(_)) => Rules::AllowAll,
                    Err(Error::HttpStatus { status, .. }) => Rules::from_status(status),
                    // The host asked for a long pause: the page fails the same way, and
                    // nothing is remembered, so a later page asks again.
                    Err(e @ Error::HostPaused { .. }) => return Err(e),
                    Err(e) => {
                        tracing::debug!(url = %robots_url, error = %e, "robots.txt unreachable; allowing all.");
                        Rules::AllowAll
                    }
                };
                if let (Some(d), Some(host)) = (rules.crawl_delay(), url.host_str()) {
                    self.hosts.set_floor(host, d);
                }
                Ok(robots::Cached {
                    rules,
                    read_at: tokio::time::Instant::now(),
                })
            })
            .await?;
        rules.rules.check(url)
    }

    async fn get(&self, url: &Url, validators: Option<&Validators>, cap: BodyCap) -> Result<Got> {
        let limit = match cap {
            BodyCap::Feed => self.max_feed_bytes,
            BodyCap::Page => self.max_page_bytes,
        };
        // A page that redirects to another site is checked against that site's
        // robots.txt too (the first URL is checked by `page`).
        let robots = matches!(cap, BodyCap::Page);
        self.get_inner(url, validators, limit, self.timeout, robots)
            .await
    }

    async fn get_inner(
        &self,
        start: &Url,
        validators: Option<&Validators>,
        limit: u64,
        timeout: Duration,
        robots: bool,
    ) -> Result<Got> {
        let mut url = start.clone();
        let mut all_permanent = true;
        let mut hops = 0;
        // The total timeout covers the requests themselves, not the time spent waiting
        // for the host's turn: politeness must not turn into timeouts.
        let mut deadline: Option<tokio::time::Instant> = None;
        let timed_out = |u: &Url| Error::Timeout {
            url: u.to_string(),
            seconds: timeout.as_secs(),
        };
        loop {
            self.check_url(&url)?;
            let host = url.host_str().unwrap_or_default().to_string();
            let permit = self
                .hosts
                .acquire(&host, MAX_POLITE_WAIT)
                .await
                .map_err(|d| Error::HostPaused {
                    url: url.to_string(),
                    seconds: d.as_secs().max(1),
                })?;
            let deadline = *deadline.get_or_insert_with(|| tokio::time::Instant::now() + timeout);
            let mut req = self.client.get(url.clone());
            if let Some(v) = validators {
                if let Some(etag) = &v.etag {
                    req = req.header(header::IF_NONE_MATCH, etag);
                }
                if let Some(lm) = &v.last_modified {
                    req = req.header(header::IF_MODIFIED_SINCE, lm);
                }
            }
            // The pacer learns from the time to the response's headers (as AutoThrottle
            // does), and from timeouts and failed connections.
            let sent = tokio::time::Instant::now();
            let resp = match tokio::time::timeout_at(deadline, req.send()).await {
                Err(_) => {
                    self.hosts.observe(&host, Outcome::Timeout);
                    return Err(timed_out(&url));
                }
                Ok(Err(e)) => {
                    let e = net_error(&url, e);
                    if matches!(e, Error::Network { .. }) {
                        self.hosts.observe(&host, Outcome::Failed);
                    }
                    return Err(e);
                }
                Ok(Ok(r)) => r,
            };
            let status = resp.status();
            self.hosts.observe(
                &host,
                Outcome::Response {
                    status: status.as_u16(),
                    latency: sent.elapsed(),
                },
            );

            if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
                drop(permit);
                hops += 1;
                if hops > MAX_REDIRECTS {
                    return Err(Error::TooManyRedirects {
                        url: start.to_string(),
                        max: MAX_REDIRECTS,
                    });
                }
                let location = resp
                    .headers()
                    .get(header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .ok_or_else(|| Error::Network {
                        url: url.to_string(),
                        message: format!("HTTP {} without a Location header", status.as_u16()),
                        source: None,
                    })?;
                let next = url.join(location).map_err(|e| Error::BadUrl {
                    url: location.to_string(),
                    reason: e.to_string(),
                    source: Some(e),
                })?;
                all_permanent &= matches!(
                    status,
                    StatusCode::MOVED_PERMANENTLY | StatusCode::PERMANENT_REDIRECT
                );
                if robots && next.origin() != url.origin() {
                    // Boxed: checking fetches robots.txt through this same function.
                    Box::pin(self.check_robots(&next)).await?;
                }
                url = next;
                continue;
            }

            let cache = cache_hints(resp.headers());
            if status == StatusCode::NOT_MODIFIED {
                return Ok(Got::NotModified(cache));
            }
            if !status.is_success() {
                let retry = retry_after(resp.headers());
                if let Some(d) = retry::host_pause(status.as_u16(), retry) {
                    self.hosts.pause(&host, d);
                }
                return Err(Error::HttpStatus {
                    url: url.to_string(),
                    status: status.as_u16(),
                    retry_after: retry.map(|d| d.as_secs()),
                });
            }
            let headers = resp.headers().clone();
            let body = match tokio::time::timeout_at(deadline, read_capped(resp, &url, limit)).await
            {
                Ok(body) => body?,
                Err(_) => {
                    self.hosts.observe(&host, Outcome::Timeout);
                    return Err(timed_out(&url));
                }
            };
            drop(permit);
            let text = |h| {
                headers
                    .get(h)
                    .and_then(|v: &HeaderValue| v.to_str().ok())
                    .map(str::to_string)
            };
            return Ok(Got::Body(Box::new(Fetched {
                moved_to: (hops > 0 && all_permanent).then(|| url.clone()),
                final_url: url,
                body,
                content_type: text(header::CONTENT_TYPE),
                content_language: text(header::CONTENT_LANGUAGE),
                validators: Validators {
                    etag: text(header::ETAG),
                    last_modified: text(header::LAST_MODIFIED),
                },
                cache,
            })));
        }
    }

    /// Scheme and literal-address checks (names are checked by the resolver).
    fn check_url(&self, url: &Url) -> Result<()> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::BadUrl {
                url: url.to_string(),
                reason: "only http and https are fetched".into(),
                source: None,
            });
        }
        if self.allow_private {
            return Ok(());
        }
        let ip = match url.host() {
            Some(url::Host::Ipv4(ip)) => Some(std::net::IpAddr::V4(ip)),
            Some(url::Host::Ipv6(ip)) => Some(std::net::IpAddr::V6(ip)),
            Some(url::Host::Domain(_)) => None,
            None => {
                return Err(Error::BadUrl {
                    url: url.to_string(),
                    reason: "no host".into(),
                    source: None,
                });
            }
        };
        match ip {
            Some(ip) if is_non_public(ip) => Err(Error::PrivateAddress {
                url: url.to_string(),
                addr: ip.to_string(),
            }),
            _ => Ok(()),
        }
    }
}

/// Proxies from the usual environment variables (`HTTPS_PROXY`, `HTTP_PROXY`,
/// `ALL_PROXY`, lower-case too), honouring `NO_PROXY`. Loopback is never proxied: the
/// demo and local feeds must reach 127.0.0.1 itself, not a proxy's idea of it.
/// (Behind a proxy, the proxy resolves names, so the address guard can only check
/// literal addresses; see the README.)
fn env_proxies() -> Vec<reqwest::Proxy> {
    let var = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| std::env::var(n).ok().filter(|v| !v.trim().is_empty()))
    };
    let mut no_proxy = var(&["NO_PROXY", "no_proxy"]).unwrap_or_default();
    no_proxy.push_str(",localhost,127.0.0.0/8,::1");
    let np = || reqwest::NoProxy::from_string(&no_proxy);
    let mut out = Vec::new();
    if let Some(p) =
        var(&["HTTPS_PROXY", "https_proxy"]).and_then(|u| reqwest::Proxy::https(u).ok())
    {
        out.push(p.no_proxy(np()));
    }
    if let Some(p) = var(&["HTTP_PROXY", "http_proxy"]).and_then(|u| reqwest::Proxy::http(u).ok()) {
        out.push(p.no_proxy(np()));
    }
    if let Some(p) = var(&["ALL_PROXY", "all_proxy"]).and_then(|u| reqwest::Proxy::all(u).ok()) {
        out.push(p.no_proxy(np()));
    }
    out
}

enum Got {
    NotModified(CacheHints),
    Body(Box<Fetched>),
}

/// Read the body chunk by chunk (after decompression), failing as soon as it passes
/// `limit`: a huge or endless body never sits in memory.
async fn read_capped(mut resp: reqwest::Response, url: &Url, limit: u64) -> Result<Vec<u8>> {
    if resp.content_length().is_some_and(|n| n > limit)
        && resp.headers().get(header::CONTENT_ENCODING).is_none()
    {
        return Err(Error::TooLarge {
            url: url.to_string(),
            limit,
        });
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| net_error(url, e))? {
        if body.len() as u64 + chunk.len() as u64 > limit {
            return Err(Error::TooLarge {
                url: url.to_string(),
                limit,
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Map a reqwest error to ours, keeping it as the source; finds the address guard's
/// refusal in the chain.
fn net_error(url: &Url, e: reqwest::Error) -> Error {
    let mut src: Option<&(dyn std::error::Error + 'static)> = Some(&e);
    while let Some(s) = src {
        if let Some(np) = s.downcast_ref::<NonPublicAddress>() {
            return Error::PrivateAddress {
                url: url.to_string(),
                addr: np.addr.clone(),
            };
        }
        src = s.source();
    }
    let transport = Transport(e);
    // The transport's causes say what went wrong ("dns error: failed to lookup address
    // information ..."); reqwest's own top line would repeat the URL we already name.
    let causes = transport.to_string();
    let e = transport.reqwest();
    let message = if e.is_timeout() || e.is_connect() && causes.contains("timed out") {
        format!("connection timed out ({causes})")
    } else {
        causes
    };
    Error::Network {
        url: url.to_string(),
        message,
        source: Some(transport),
    }
}

/// Retry-After as delta-seconds or an HTTP date.
fn retry_after(h: &HeaderMap) -> Option<Duration> {
    let v = h.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = DateTime::parse_from_rfc2822(v).ok()?.with_timezone(&Utc);
    (when - Utc::now()).to_std().ok()
}

fn cache_hints(h: &HeaderMap) -> CacheHints {
    let max_age = h
        .get_all(header::CACHE_CONTROL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .find_map(|d| {
            let d = d.trim();
            d.strip_prefix("max-age=")
                .and_then(|n| n.trim_matches('"').parse::<u64>().ok())
        })
        .map(Duration::from_secs);
    let expires = h
        .get(header::EXPIRES)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| DateTime::parse_from_rfc2822(v.trim()).ok())
        .map(|d| d.with_timezone(&Utc));
    CacheHints { max_age, expires }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_retry_after_and_cache_headers() {
        let mut h = HeaderMap::new();
        h.insert(header::RETRY_AFTER, HeaderValue::from_static("120"));
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=900"),
        );
        h.insert(
            header::EXPIRES,
            HeaderValue::from_static("Wed, 21 Oct 2037 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&h), Some(Duration::from_secs(120)));
        let c = cache_hints(&h);
        assert_eq!(c.max_age, Some(Duration::from_secs(900)));
        assert_eq!(c.expires.map(|d| d.timestamp()), Some(2139722880));
    }

    /// A refused connection keeps reqwest's error as its source, and the error's text
    /// already holds every cause below it, so a chain printer that skips repeated text
    /// (`cli::error_message`) names the URL once and each cause once.
    #[tokio::test]
    async fn network_errors_keep_their_cause_and_print_it_once() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap();
        let settings = Settings {
            allow_private_networks: true,
            ..Settings::default()
        };
        let fetcher = Fetcher::new(&settings).unwrap();
        let url = Url::parse(&format!("http://127.0.0.1:{port}/feed")).unwrap();
        let err = match fetcher.feed(&url, &Validators::default()).await {
            FetchOutcome::Failed(e) => e,
            other => panic!("expected a failure, got {other:?}"),
        };
        assert_eq!(err.kind(), "network", "{err}");
        let transport = std::error::Error::source(&err)
            .and_then(|s| s.downcast_ref::<Transport>())
            .expect("the reqwest error is the source");
        assert!(transport.reqwest().is_connect(), "{transport:?}");
        let shown = err.to_string();
        assert_eq!(shown.matches(url.as_str()).count(), 1, "{shown}");
        assert!(shown.to_lowercase().contains("refused"), "{shown}");
        let mut cause = std::error::Error::source(&err);
        while let Some(c) = cause {
            assert!(shown.contains(&c.to_string()), "{shown} lacks {c}");
            cause = c.source();
        }
    }
}
