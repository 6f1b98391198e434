//! The llm summarizer against a real HTTP server on 127.0.0.1 speaking the
//! chat-completions protocol (wiremock): normal answers, chatter to strip, refusals,
//! wrong language, 429 with Retry-After, 500, timeouts, malformed JSON, budget
//! exhaustion, the concurrency limit, and cache hits on re-run (counted on the server).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use feedbrief::config::{LlmConfig, Settings, SummarizerConfig};
use feedbrief::fetch::Fetcher;
use feedbrief::model::{Summary, SummaryInput, SummaryMethod};
use feedbrief::summarize::{MemoryCache, Summarizer, Summarizers, SummaryCache};
use feedbrief::{Error, Result};
use futures::future::BoxFuture;
use serde_json::{Value, json};
use url::Url;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const ARTICLE: &str = "The city council of Port Elling voted on Tuesday to close the Old Harbour \
    Bridge for six weeks from Monday. Inspectors found corrosion in two of its steel cables \
    during a routine survey in March. The bridge carries about 21,000 vehicles a day. \
    Council leader Maria Okafor said the repairs would cost £3.2 million. A free shuttle bus \
    will run every ten minutes while the bridge is closed. Local businesses warned that they \
    could lose customers. The council said it would review parking charges to help traders.";
const TITLE: &str = "Old Harbour Bridge to close for six weeks";
const GOOD: &str = "Port Elling will close the Old Harbour Bridge for six weeks from Monday after \
    inspectors found corroded cables. Repairs will cost £3.2 million, council leader Maria \
    Okafor said.";

fn chat(content: &str) -> Value {
    json!({
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "model": "test-model",
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": content},
            "finish_reason": "stop"
        }],
        "usage": {"prompt_tokens": 180, "completion_tokens": 40, "total_tokens": 220}
    })
}

fn ok(content: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(chat(content))
}

fn llm_config(server: &MockServer) -> LlmConfig {
    LlmConfig {
        base_url: Url::parse(&format!("{}/v1", server.uri())).expect("mock server URI"),
        model: "test-model".into(),
        api_key_env: None,
        timeout: Duration::from_secs(5),
        temperature: 0.2,
        max_input_chars: 12_000,
        max_output_tokens: 300,
        prompt_file: None,
        concurrency: 2,
        max_calls_per_run: 100,
        max_tokens_per_run: 1_000_000,
    }
}

fn summarizers(llm: LlmConfig, cache: Arc<dyn SummaryCache>) -> Summarizers {
    let cfg = SummarizerConfig {
        method: SummaryMethod::Llm,
        sentences: 3,
        words: 75,
        llm: Some(llm),
    };
    let fetcher = Fetcher::new(&Settings::default()).expect("fetcher");
    Summarizers::new(&cfg, fetcher, cache).expect("summarizers")
}

fn article() -> SummaryInput<'static> {
    SummaryInput {
        text: ARTICLE,
        title: Some(TITLE),
        lang: Some("en"),
    }
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

async fn mount(server: &MockServer, response: impl Respond + 'static) {
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(response)
        .mount(server)
        .await;
}

#[track_caller]
fn assert_fallback(s: &Summary, code: &str) {
    assert_eq!(s.method, SummaryMethod::Extractive, "{s:#?}");
    let reason = s.fallback_reason.as_deref().unwrap_or_default();
    assert!(reason.starts_with(code), "reason {reason:?} is not {code}");
    assert!(!s.sentences.is_empty(), "the fallback has no sentences");
    assert!(
        ARTICLE.contains(&s.sentences[0]),
        "fallback is not extractive"
    );
}

#[tokio::test]
async fn a_normal_answer_becomes_an_llm_summary_with_its_provenance() {
    let server = MockServer::start().await;
    mount(&server, ok(GOOD)).await;
    let s = summarizers(llm_config(&server), Arc::new(MemoryCache::new()))
        .summarize(None, article())
        .await;

    assert_eq!(s.method, SummaryMethod::Llm);
    assert_eq!(s.sentences.len(), 2, "{:#?}", s.sentences);
    assert!(s.sentences[0].starts_with("Port Elling will close"));
    assert_eq!(s.model.as_deref(), Some("test-model"));
    assert_eq!(s.endpoint_host.as_deref(), Some("127.0.0.1"));
    assert_eq!(s.prompt_version.as_deref(), Some("news-summary-v1"));
    assert_eq!(s.language.as_deref(), Some("en"));
    assert!(s.unsupported.is_empty(), "{:?}", s.unsupported);
    assert!(s.fallback_reason.is_none());
    assert!(s.input_hash.starts_with("sha256:"));

    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 1);
    let body: Value = serde_json::from_slice(&reqs[0].body).expect("JSON request");
    assert_eq!(body["model"], "test-model");
    assert_eq!(body["max_tokens"], 300);
    assert_eq!(body["stream"], false);
    assert!((body["temperature"].as_f64().unwrap_or(0.0) - 0.2).abs() < 1e-6);
    assert_eq!(body["messages"][0]["role"], "system");
    let user = body["messages"][1]["content"].as_str().unwrap_or_default();
    assert!(user.contains(TITLE), "{user}");
    assert!(user.contains("The bridge carries about 21,000 vehicles a day."));
    assert!(reqs[0].headers.get("authorization").is_none());
}

#[tokio::test]
async fn chatter_around_the_summary_is_stripped() {
    let server = MockServer::start().await;
    let reply = format!(
        "Sure! Here's a summary of the article:\n\n**Bridge Closure**\n\n{GOOD}\n\nI hope this \
         article provides a comprehensive summary of the NBC News piece and related context. Let \
         me know if you'd like any adjustments or further elaboration on specific points!"
    );
    mount(&server, ok(&reply)).await;
    let s = summarizers(llm_config(&server), Arc::new(MemoryCache::new()))
        .summarize(None, article())
        .await;
    assert_eq!(s.method, SummaryMethod::Llm);
    assert_eq!(
        s.sentences,
        vec![
            "Port Elling will close the Old Harbour Bridge for six weeks from Monday after inspectors found corroded cables.",
            "Repairs will cost £3.2 million, council leader Maria Okafor said.",
        ]
    );
}

#[tokio::test]
async fn facts_missing_from_the_article_are_listed_as_unsupported() {
    let server = MockServer::start().await;
    mount(
        &server,
        ok("The bridge will close for eight weeks at a cost of £4.5 million, Mayor John Carter said."),
    )
    .await;
    let s = summarizers(llm_config(&server), Arc::new(MemoryCache::new()))
        .summarize(None, article())
        .await;
    assert_eq!(s.method, SummaryMethod::Llm);
    assert_eq!(s.unsupported, vec!["4.5", "Mayor John Carter"]);
}

#[tokio::test]
async fn a_refusal_falls_back_and_is_not_paid_for_twice() {
    let server = MockServer::start().await;
    mount(
        &server,
        ok("I'm sorry, but I can't help with summarizing this content."),
    )
    .await;
    let cache = Arc::new(MemoryCache::new());
    let s = summarizers(llm_config(&server), cache.clone())
        .summarize(None, article())
        .await;
    assert_fallback(&s, "refusal");
    // The next run (a new Summarizers on the same cache) does not ask again.
    let again = summarizers(llm_config(&server), cache)
        .summarize(None, article())
        .await;
    assert_fallback(&again, "refusal");
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn a_reply_in_the_wrong_language_falls_back() {
    let server = MockServer::start().await;
    mount(
        &server,
        ok("Le conseil municipal a voté mardi la fermeture du pont pour six semaines à partir de lundi, après la découverte de câbles rouillés."),
    )
    .await;
    let s = summarizers(llm_config(&server), Arc::new(MemoryCache::new()))
        .summarize(None, article())
        .await;
    assert_fallback(&s, "wrong_language");
    assert!(s.fallback_reason.unwrap_or_default().contains("fr"));
}

/// Answers 429 with `Retry-After: 1` first, then a summary; records arrival times.
struct RateLimited {
    arrivals: Arc<Mutex<Vec<Instant>>>,
}

impl Respond for RateLimited {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let mut a = self.arrivals.lock().unwrap_or_else(|p| p.into_inner());
        a.push(Instant::now());
        if a.len() == 1 {
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .set_body_json(json!({"error": {"message": "Rate limit reached"}}))
        } else {
            ok(GOOD)
        }
    }
}

#[tokio::test]
async fn a_429_is_retried_after_the_time_the_server_asked_for() {
    let server = MockServer::start().await;
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    mount(
        &server,
        RateLimited {
            arrivals: arrivals.clone(),
        },
    )
    .await;
    let s = summarizers(llm_config(&server), Arc::new(MemoryCache::new()))
        .summarize(None, article())
        .await;
    assert_eq!(s.method, SummaryMethod::Llm, "{:?}", s.fallback_reason);
    let a = arrivals.lock().unwrap_or_else(|p| p.into_inner()).clone();
    assert_eq!(a.len(), 2);
    // Server-side gap; 50 ms tolerance for timer granularity.
    let gap = a[1] - a[0];
    assert!(gap >= Duration::from_millis(950), "retried after {gap:?}");
}

#[tokio::test]
async fn a_429_asking_for_a_long_wait_falls_back_at_once() {
    let server = MockServer::start().await;
    mount(
        &server,
        ResponseTemplate::new(429).insert_header("Retry-After", "3600"),
    )
    .await;
    let started = Instant::now();
    let s = summarizers(llm_config(&server), Arc::new(MemoryCache::new()))
        .summarize(None, article())
        .await;
    assert_fallback(&s, "http_status");
    let reason = s.fallback_reason.unwrap_or_default();
    assert!(
        reason.contains("429") && reason.contains("3600"),
        "{reason}"
    );
    assert_eq!(requests(&server).await.len(), 1);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn server_errors_are_retried_then_fall_back_and_are_not_cached() {
    let server = MockServer::start().await;
    mount(
        &server,
        ResponseTemplate::new(500).set_body_json(json!({"error": {"message": "model crashed"}})),
    )
    .await;
    let cache = Arc::new(MemoryCache::new());
    let s = summarizers(llm_config(&server), cache.clone())
        .summarize(None, article())
        .await;
    assert_fallback(&s, "http_status");
    let reason = s.fallback_reason.unwrap_or_default();
    assert!(
        reason.contains("HTTP 500") && reason.contains("model crashed"),
        "{reason}"
    );
    assert_eq!(requests(&server).await.len(), 3, "one call and two retries");
    assert!(cache.is_empty(), "a transient failure was cached");
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = MockServer::start().await;
    mount(&server, ResponseTemplate::new(404)).await;
    let s = summarizers(llm_config(&server), Arc::new(MemoryCache::new()))
        .summarize(None, article())
        .await;
    assert_fallback(&s, "http_status");
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn a_slow_endpoint_times_out_and_falls_back() {
    let server = MockServer::start().await;
    mount(&server, ok(GOOD).set_delay(Duration::from_secs(3))).await;
    let mut cfg = llm_config(&server);
    cfg.timeout = Duration::from_millis(500);
    let started = Instant::now();
    let s = summarizers(cfg, Arc::new(MemoryCache::new()))
        .summarize(None, article())
        .await;
    assert_fallback(&s, "timeout");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn malformed_replies_fall_back() {
    for body in [
        "{\"choices\": [",
        "<html>Bad gateway</html>",
        "{\"choices\": []}",
        "{\"choices\": [{\"message\": {\"role\": \"assistant\"}}]}",
    ] {
        let server = MockServer::start().await;
        mount(
            &server,
            ResponseTemplate::new(200).set_body_raw(body, "application/json"),
        )
        .await;
        let s = summarizers(llm_config(&server), Arc::new(MemoryCache::new()))
            .summarize(None, article())
            .await;
        assert_fallback(&s, "malformed_reply");
    }
}

#[tokio::test]
async fn a_reply_that_is_only_chatter_falls_back() {
    let server = MockServer::start().await;
    mount(
        &server,
        ok("Sure! Here is a summary:\n\nI hope this helps!"),
    )
    .await;
    let s = summarizers(llm_config(&server), Arc::new(MemoryCache::new()))
        .summarize(None, article())
        .await;
    assert_fallback(&s, "empty_reply");
}

#[tokio::test]
async fn the_call_budget_stops_requests_when_spent() {
    let server = MockServer::start().await;
    mount(&server, ok(GOOD)).await;
    let mut cfg = llm_config(&server);
    cfg.max_calls_per_run = 2;
    let s = summarizers(cfg, Arc::new(MemoryCache::new()));
    let texts: Vec<String> = (0..3)
        .map(|i| format!("{ARTICLE} Update number {i} was added later."))
        .collect();
    let mut out = Vec::new();
    for t in &texts {
        out.push(
            s.summarize(
                None,
                SummaryInput {
                    text: t,
                    title: Some(TITLE),
                    lang: Some("en"),
                },
            )
            .await,
        );
    }
    assert_eq!(out[0].method, SummaryMethod::Llm);
    assert_eq!(out[1].method, SummaryMethod::Llm);
    assert_fallback(&out[2], "budget_calls");
    assert_eq!(requests(&server).await.len(), 2);
    // The usage report counts the two calls and the tokens the server reported.
    let spent = s.llm_spent().expect("an endpoint is configured");
    assert_eq!((spent.calls, spent.tokens), (2, 440));
}

#[tokio::test]
async fn the_token_budget_is_checked_before_sending() {
    let server = MockServer::start().await;
    mount(&server, ok(GOOD)).await;
    let mut cfg = llm_config(&server);
    // The prompt alone is larger than this.
    cfg.max_tokens_per_run = 200;
    let s = summarizers(cfg, Arc::new(MemoryCache::new()))
        .summarize(None, article())
        .await;
    assert_fallback(&s, "budget_tokens");
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn a_rerun_hits_the_cache_and_sends_nothing() {
    let server = MockServer::start().await;
    mount(&server, ok(GOOD)).await;
    let cache = Arc::new(MemoryCache::new());
    let first = summarizers(llm_config(&server), cache.clone())
        .summarize(None, article())
        .await;
    assert_eq!(first.method, SummaryMethod::Llm);
    assert_eq!(cache.len(), 1);

    // A new run: new Summarizers (fresh budget), same cache.
    let second = summarizers(llm_config(&server), cache.clone())
        .summarize(None, article())
        .await;
    assert_eq!(second, first);
    assert_eq!(requests(&server).await.len(), 1, "the re-run paid again");

    // Another model or another headline is another summary.
    let mut other = llm_config(&server);
    other.model = "other-model".into();
    let third = summarizers(other, cache.clone())
        .summarize(None, article())
        .await;
    assert_eq!(third.model.as_deref(), Some("other-model"));
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn the_extractive_method_never_calls_the_endpoint() {
    let server = MockServer::start().await;
    mount(&server, ok(GOOD)).await;
    let s = summarizers(llm_config(&server), Arc::new(MemoryCache::new()))
        .summarize(Some(SummaryMethod::Extractive), article())
        .await;
    assert_eq!(s.method, SummaryMethod::Extractive);
    assert!(s.fallback_reason.is_none());
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn the_api_key_comes_from_the_named_variable() {
    let server = MockServer::start().await;
    mount(&server, ok(GOOD)).await;
    // PATH is always set; any variable will do to check the header.
    let key = std::env::var("PATH").unwrap_or_default();
    let mut cfg = llm_config(&server);
    cfg.api_key_env = Some("PATH".into());
    let s = summarizers(cfg, Arc::new(MemoryCache::new()))
        .summarize(None, article())
        .await;
    assert_eq!(s.method, SummaryMethod::Llm);
    let reqs = requests(&server).await;
    let auth = reqs[0]
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert_eq!(auth, format!("Bearer {}", key.trim()));
}

#[tokio::test]
async fn an_unset_key_variable_sends_no_key_and_a_401_stops_the_run_asking() {
    let server = MockServer::start().await;
    mount(
        &server,
        ResponseTemplate::new(401)
            .set_body_json(json!({"error": {"message": "Incorrect API key provided"}})),
    )
    .await;
    let mut cfg = llm_config(&server);
    cfg.api_key_env = Some("FEEDBRIEF_TEST_UNSET_KEY_5F3A".into());
    let s = summarizers(cfg, Arc::new(MemoryCache::new()));
    let first = s.summarize(None, article()).await;
    assert_fallback(&first, "http_status");
    let reason = first.fallback_reason.unwrap_or_default();
    assert!(
        reason.contains("401") && reason.contains("Incorrect API key"),
        "{reason}"
    );
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 1, "401 is not retried");
    assert!(reqs[0].headers.get("authorization").is_none());

    // Another article in the same run: no request, the reason says why.
    let other = format!("{ARTICLE} A later update.");
    let second = s
        .summarize(
            None,
            SummaryInput {
                text: &other,
                title: None,
                lang: Some("en"),
            },
        )
        .await;
    assert_fallback(&second, "http_status");
    assert!(
        second
            .fallback_reason
            .unwrap_or_default()
            .contains("earlier in this run")
    );
    assert_eq!(requests(&server).await.len(), 1);
}

/// Records when each request arrives, then answers after a delay.
struct Slow {
    arrivals: Arc<Mutex<Vec<Instant>>>,
}

impl Respond for Slow {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        self.arrivals
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(Instant::now());
        ok(GOOD).set_delay(Duration::from_millis(300))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_concurrency_limit_holds_on_the_server_side() {
    let server = MockServer::start().await;
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    mount(
        &server,
        Slow {
            arrivals: arrivals.clone(),
        },
    )
    .await;
    let mut cfg = llm_config(&server);
    cfg.concurrency = 1;
    let s = summarizers(cfg, Arc::new(MemoryCache::new()));
    let texts: Vec<String> = (0..3)
        .map(|i| format!("{ARTICLE} Item {i} differs."))
        .collect();
    let all = futures::future::join_all(texts.iter().map(|t| {
        s.summarize(
            None,
            SummaryInput {
                text: t,
                title: None,
                lang: Some("en"),
            },
        )
    }))
    .await;
    assert!(all.iter().all(|x| x.method == SummaryMethod::Llm));
    let mut a = arrivals.lock().unwrap_or_else(|p| p.into_inner()).clone();
    a.sort();
    assert_eq!(a.len(), 3);
    // With one call at a time each request waits for the previous 300 ms answer
    // (50 ms tolerance).
    for w in a.windows(2) {
        assert!(
            w[1] - w[0] >= Duration::from_millis(250),
            "gap {:?}",
            w[1] - w[0]
        );
    }
}

#[tokio::test]
async fn long_input_is_cut_at_a_sentence_boundary() {
    let server = MockServer::start().await;
    mount(&server, ok(GOOD)).await;
    let mut cfg = llm_config(&server);
    cfg.max_input_chars = 200;
    let s = summarizers(cfg, Arc::new(MemoryCache::new()))
        .summarize(None, article())
        .await;
    assert_eq!(s.method, SummaryMethod::Llm);
    let reqs = requests(&server).await;
    let body: Value = serde_json::from_slice(&reqs[0].body).expect("JSON request");
    let user = body["messages"][1]["content"].as_str().unwrap_or_default();
    assert!(user.contains("during a routine survey in March."), "{user}");
    assert!(!user.contains("21,000"), "{user}");
}

#[tokio::test]
async fn a_reply_cut_by_max_tokens_loses_its_unfinished_sentence() {
    let server = MockServer::start().await;
    let mut reply = chat(
        "Port Elling will close the Old Harbour Bridge for six weeks. Repairs will cost £3.2 million and the",
    );
    reply["choices"][0]["finish_reason"] = json!("length");
    mount(&server, ResponseTemplate::new(200).set_body_json(reply)).await;
    let s = summarizers(llm_config(&server), Arc::new(MemoryCache::new()))
        .summarize(None, article())
        .await;
    assert_eq!(
        s.sentences,
        vec!["Port Elling will close the Old Harbour Bridge for six weeks."]
    );
}

/// A fake backend plugged in through the trait seam.
struct Fake {
    answer: std::result::Result<&'static str, &'static str>,
}

impl Summarizer for Fake {
    fn method(&self) -> SummaryMethod {
        SummaryMethod::Llm
    }

    fn cache_key(&self, input: &SummaryInput<'_>) -> Option<String> {
        Some(feedbrief::summarize::cache_key(
            &feedbrief::util::sha256_hex(&[input.text]),
            "fake",
            "v0",
        ))
    }

    fn summarize<'a>(&'a self, input: SummaryInput<'a>) -> BoxFuture<'a, Result<Summary>> {
        let r = match self.answer {
            Ok(text) => Ok(Summary {
                sentences: vec![text.to_string()],
                method: SummaryMethod::Llm,
                input_hash: feedbrief::util::sha256_hex(&[input.text]),
                ..Summary::default()
            }),
            Err(why) => Err(Error::Summarize(why.to_string())),
        };
        Box::pin(async move { r })
    }
}

#[tokio::test]
async fn any_backend_behind_the_trait_gets_fallback_and_caching() {
    let cfg = SummarizerConfig {
        method: SummaryMethod::Extractive,
        sentences: 3,
        words: 75,
        llm: None,
    };
    let cache = Arc::new(MemoryCache::new());
    let good = Summarizers::with_llm(
        &cfg,
        Some(Arc::new(Fake {
            answer: Ok("A fake summary."),
        })),
        cache.clone(),
    );
    assert_eq!(good.default_method(), SummaryMethod::Extractive);
    let s = good.summarize(Some(SummaryMethod::Llm), article()).await;
    assert_eq!(s.sentences, vec!["A fake summary."]);
    assert_eq!(cache.len(), 1);

    let bad = Summarizers::with_llm(
        &cfg,
        Some(Arc::new(Fake {
            answer: Err("network: connection refused"),
        })),
        Arc::new(MemoryCache::new()),
    );
    let s = bad.summarize(Some(SummaryMethod::Llm), article()).await;
    assert_fallback(&s, "network");

    let none = Summarizers::with_llm(&cfg, None, Arc::new(MemoryCache::new()));
    let s = none.summarize(Some(SummaryMethod::Llm), article()).await;
    assert_fallback(&s, "not_configured");
}

#[tokio::test]
async fn nothing_to_summarize_asks_nothing() {
    let server = MockServer::start().await;
    mount(&server, ok(GOOD)).await;
    let s = summarizers(llm_config(&server), Arc::new(MemoryCache::new()))
        .summarize(
            None,
            SummaryInput {
                text: " \n … \n",
                title: Some(TITLE),
                lang: Some("en"),
            },
        )
        .await;
    assert_eq!(s.method, SummaryMethod::Extractive);
    assert!(s.sentences.is_empty());
    assert!(
        s.fallback_reason
            .unwrap_or_default()
            .starts_with("empty_input")
    );
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn a_prompt_file_replaces_the_bundled_template_and_versions_itself() {
    let server = MockServer::start().await;
    mount(&server, ok(GOOD)).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("prompt.toml");
    std::fs::write(
        &file,
        "version = \"house-style-2\"\nsystem = \"You are terse. Answer in {language}.\"\nuser = \"Two sentences, please.\\n\\n{title}\\n\\n{text}\"\n",
    )
    .expect("write prompt");
    let mut cfg = llm_config(&server);
    cfg.prompt_file = Some(file.clone());
    let s = summarizers(cfg, Arc::new(MemoryCache::new()))
        .summarize(None, article())
        .await;
    assert_eq!(s.method, SummaryMethod::Llm);
    let version = s.prompt_version.unwrap_or_default();
    assert!(version.starts_with("house-style-2+"), "{version}");
    let reqs = requests(&server).await;
    let body: Value = serde_json::from_slice(&reqs[0].body).expect("JSON request");
    assert_eq!(
        body["messages"][0]["content"],
        "You are terse. Answer in English."
    );
    let user = body["messages"][1]["content"].as_str().unwrap_or_default();
    assert!(
        user.starts_with("Two sentences, please.\n\nOld Harbour Bridge"),
        "{user}"
    );

    // A template with a typo is a configuration error when the summarizers are built.
    std::fs::write(&file, "system = \"s\"\nuser = \"{txet}\"\n").expect("write prompt");
    let mut cfg = llm_config(&server);
    cfg.prompt_file = Some(file);
    let built = Summarizers::new(
        &SummarizerConfig {
            method: SummaryMethod::Llm,
            sentences: 3,
            words: 75,
            llm: Some(cfg),
        },
        Fetcher::new(&Settings::default()).expect("fetcher"),
        Arc::new(MemoryCache::new()),
    );
    assert!(matches!(built, Err(Error::Config { .. })));
}
