//! The Fetcher's politeness against real loopback servers that count and time what
//! they receive: robots.txt keeps pages unrequested, Crawl-delay and the floor hold
//! between requests, a 429's Retry-After is waited out.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::*;

/// Server-side jitter allowed on a measured gap: the client reserves a turn, then
/// sends; the server stamps the request when it has parsed it. Both ends add a little,
/// never the client's pacing itself. Generous, because CI runs the whole suite on two
/// busy cores, where one request can reach the server late; still far below every gap
/// checked (0.4 s and up), so an unpaced client fails these tests.
const JITTER: Duration = Duration::from_millis(200);

/// Answers with `reply(n)` for the n-th request (0-based) and stamps when each arrived.
struct Stamping {
    seen: Arc<Mutex<Vec<Instant>>>,
    reply: fn(usize) -> ResponseTemplate,
}

impl Respond for Stamping {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let mut seen = self.seen.lock().unwrap();
        seen.push(Instant::now());
        (self.reply)(seen.len() - 1)
    }
}

fn page_html() -> ResponseTemplate {
    let p = "The council met on Tuesday to discuss the harbour budget and the roads. ";
    ResponseTemplate::new(200).set_body_raw(
        format!(
            "<html><body><article><p>{}</p></article></body></html>",
            p.repeat(20)
        ),
        "text/html",
    )
}

fn fetcher(floor: Duration) -> Arc<Fetcher> {
    Fetcher::new(&Settings {
        allow_private_networks: true,
        min_host_interval: floor,
        ..Settings::default()
    })
    .unwrap()
}

fn gaps(stamps: &[Instant]) -> Vec<Duration> {
    stamps.windows(2).map(|w| w[1] - w[0]).collect()
}

async fn robots(server: &MockServer, body: &'static str) {
    Mock::given(path("/robots.txt"))
        .respond_with(ResponseTemplate::new(200).set_body_string(body))
        .mount(server)
        .await;
}

fn requests_to(reqs: &[Request], p: &str) -> usize {
    reqs.iter().filter(|r| r.url.path() == p).count()
}

#[tokio::test]
async fn a_page_robots_txt_disallows_is_never_requested_and_robots_is_read_once() {
    let server = MockServer::start().await;
    robots(
        &server,
        "User-agent: *\nDisallow: /private/\n\nUser-agent: otherbot\nDisallow: /\n",
    )
    .await;
    Mock::given(method("GET"))
        .and(path_regex("^/(private|news)/"))
        .respond_with(page_html())
        .mount(&server)
        .await;
    let f = fetcher(Duration::ZERO);
    let base = server.uri();
    let err = f
        .page(&Url::parse(&format!("{base}/private/1")).unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "robots_disallowed", "{err}");
    assert!(!is_transient(&err), "a disallowed page is not retried");
    let ok = f
        .page(&Url::parse(&format!("{base}/news/1")).unwrap())
        .await
        .unwrap();
    assert!(!ok.body.is_empty());
    // Feeds are meant to be polled: not checked against robots.txt.
    let feed = f
        .feed(
            &Url::parse(&format!("{base}/private/feed")).unwrap(),
            &Validators::default(),
        )
        .await;
    assert!(matches!(feed, FetchOutcome::Fetched(_)), "{feed:?}");

    let reqs = server.received_requests().await.unwrap();
    assert_eq!(
        requests_to(&reqs, "/private/1"),
        0,
        "the server never saw it"
    );
    assert_eq!(requests_to(&reqs, "/news/1"), 1);
    assert_eq!(requests_to(&reqs, "/private/feed"), 1);
    assert_eq!(requests_to(&reqs, "/robots.txt"), 1, "once per run");
}

#[tokio::test]
async fn a_robots_txt_server_error_keeps_pages_unfetched_this_run_a_404_allows_all() {
    let broken = MockServer::start().await;
    Mock::given(path("/robots.txt"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&broken)
        .await;
    let missing = MockServer::start().await;
    for s in [&broken, &missing] {
        Mock::given(path("/news/1"))
            .respond_with(page_html())
            .mount(s)
            .await;
    }
    let f = fetcher(Duration::ZERO);
    let err = f
        .page(&Url::parse(&format!("{}/news/1", broken.uri())).unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "robots_unavailable", "{err}");
    assert!(is_transient(&err), "tried again on a later run");
    let reqs = broken.received_requests().await.unwrap();
    assert_eq!(requests_to(&reqs, "/news/1"), 0);

    f.page(&Url::parse(&format!("{}/news/1", missing.uri())).unwrap())
        .await
        .unwrap();
}

#[tokio::test]
async fn crawl_delay_spaces_page_requests_however_fast_the_host_answers() {
    let server = MockServer::start().await;
    robots(&server, "User-agent: feedbrief\nCrawl-delay: 0.5\n").await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    Mock::given(path_regex("^/news/"))
        .respond_with(Stamping {
            seen: seen.clone(),
            reply: |_| page_html(),
        })
        .mount(&server)
        .await;
    let f = fetcher(Duration::ZERO);
    let base = server.uri();
    let urls: Vec<Url> = (0..4)
        .map(|i| Url::parse(&format!("{base}/news/{i}")).unwrap())
        .collect();
    // All at once: the pacer, not the caller, must space them.
    let results = futures::future::join_all(urls.iter().map(|u| f.page(u))).await;
    assert!(results.iter().all(|r| r.is_ok()), "{results:?}");
    let stamps = seen.lock().unwrap().clone();
    assert_eq!(stamps.len(), 4);
    let floor = Duration::from_millis(500);
    for g in gaps(&stamps) {
        assert!(g + JITTER >= floor, "gap {g:?} shorter than Crawl-delay");
    }
}

#[tokio::test]
async fn a_rate_limiting_host_is_waited_out_and_never_hit_faster_than_the_floor() {
    let server = MockServer::start().await;
    robots(&server, "User-agent: *\nAllow: /\n").await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    Mock::given(path_regex("^/news/"))
        .respond_with(Stamping {
            seen: seen.clone(),
            // The first page is refused with Retry-After: 1; the rest are served.
            reply: |n| {
                if n == 0 {
                    ResponseTemplate::new(429).insert_header("Retry-After", "1")
                } else {
                    page_html()
                }
            },
        })
        .mount(&server)
        .await;
    let floor = Duration::from_millis(200);
    let f = fetcher(floor);
    let base = server.uri();
    let first = f
        .page(&Url::parse(&format!("{base}/news/0")).unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(first, Error::HttpStatus { status: 429, .. }),
        "{first}"
    );
    let urls: Vec<Url> = (1..4)
        .map(|i| Url::parse(&format!("{base}/news/{i}")).unwrap())
        .collect();
    let results = futures::future::join_all(urls.iter().map(|u| f.page(u))).await;
    assert!(results.iter().all(|r| r.is_ok()), "{results:?}");
    let stamps = seen.lock().unwrap().clone();
    assert_eq!(stamps.len(), 4);
    let g = gaps(&stamps);
    // Retry-After, then no faster than the old fixed 1 s gap while the host recovers.
    for (i, gap) in g.iter().enumerate() {
        assert!(
            *gap + JITTER >= pace::BACKOFF_MIN.max(floor),
            "gap {i} was {gap:?}: {g:?}"
        );
    }
}

#[tokio::test]
async fn a_slow_host_sets_its_own_pace_one_request_at_a_time() {
    let server = MockServer::start().await;
    robots(&server, "User-agent: *\nAllow: /\n").await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let latency = Duration::from_millis(400);
    Mock::given(path_regex("^/news/"))
        .respond_with(Stamping {
            seen: seen.clone(),
            reply: |_| page_html().set_delay(Duration::from_millis(400)),
        })
        .mount(&server)
        .await;
    // No floor at all, and room for two at once: only the pacer holds them apart.
    let f = fetcher(Duration::ZERO);
    let base = server.uri();
    let urls: Vec<Url> = (0..3)
        .map(|i| Url::parse(&format!("{base}/news/{i}")).unwrap())
        .collect();
    let results = futures::future::join_all(urls.iter().map(|u| f.page(u))).await;
    assert!(results.iter().all(|r| r.is_ok()), "{results:?}");
    let stamps = seen.lock().unwrap().clone();
    assert_eq!(stamps.len(), 3);
    // Each request started only once the one before was answered.
    for g in gaps(&stamps) {
        assert!(
            g + JITTER >= latency,
            "gap {g:?} shorter than the host's latency"
        );
    }
}

#[tokio::test]
async fn a_page_that_redirects_to_another_site_obeys_that_sites_robots_txt() {
    let a = MockServer::start().await;
    let b = MockServer::start().await;
    robots(&a, "User-agent: *\nAllow: /\n").await;
    robots(&b, "User-agent: feedbrief\nDisallow: /private/\n").await;
    Mock::given(path("/go"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("Location", format!("{}/private/x", b.uri()).as_str()),
        )
        .mount(&a)
        .await;
    Mock::given(path("/private/x"))
        .respond_with(page_html())
        .mount(&b)
        .await;
    let f = fetcher(Duration::ZERO);
    let err = f
        .page(&Url::parse(&format!("{}/go", a.uri())).unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "robots_disallowed", "{err}");
    let reqs = b.received_requests().await.unwrap();
    assert_eq!(requests_to(&reqs, "/private/x"), 0);
    assert_eq!(requests_to(&reqs, "/robots.txt"), 1);
}

#[tokio::test]
async fn robots_txt_off_fetches_the_page_without_asking() {
    let server = MockServer::start().await;
    robots(&server, "User-agent: *\nDisallow: /\n").await;
    Mock::given(path("/news/1"))
        .respond_with(page_html())
        .mount(&server)
        .await;
    let f = Fetcher::new(&Settings {
        allow_private_networks: true,
        robots_txt: false,
        ..Settings::default()
    })
    .unwrap();
    f.page(&Url::parse(&format!("{}/news/1", server.uri())).unwrap())
        .await
        .unwrap();
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(requests_to(&reqs, "/robots.txt"), 0);
    assert_eq!(requests_to(&reqs, "/news/1"), 1);
}
