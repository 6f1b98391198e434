//! The config files shipped in the repository load, and the example documents every key.

use std::path::Path;

use feedbrief::config::Config;

#[test]
fn shipped_feeds_toml_loads_with_real_feeds() {
    let cfg = Config::load(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("feeds.toml")
            .as_path(),
    )
    .unwrap();
    assert!(cfg.feeds.len() >= 10, "ship about ten real feeds");
    assert!(
        cfg.feeds
            .iter()
            .any(|f| f.url.as_str() == "https://feeds.nbcnews.com/nbcnews/public/world")
    );
    assert!(!cfg.settings.allow_private_networks);
    assert!(cfg.feeds.iter().all(|f| f.url.scheme() == "https"));
    // The shipped site rules load.
    let rules =
        feedbrief::extract::SiteRules::load_dir(cfg.extract.rules_dir.as_ref().unwrap()).unwrap();
    assert!(!rules.is_empty());
}

#[test]
fn example_loads_and_sets_every_key() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("feeds.example.toml");
    let cfg = Config::load(&path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    // Every key the loader knows must appear (uncommented) in the example.
    for key in [
        "database",
        "allow_private_networks",
        "user_agent",
        "concurrency",
        "per_host_concurrency",
        "min_host_interval",
        "adaptive_pacing",
        "target_host_concurrency",
        "robots_txt",
        "connect_timeout",
        "timeout",
        "max_feed_bytes",
        "max_page_bytes",
        "interval",
        "min_interval",
        "max_interval",
        "max_backoff",
        "rules_dir",
        "method",
        "sentences",
        "words",
        "base_url",
        "model",
        "api_key_env",
        "temperature",
        "max_input_chars",
        "max_output_tokens",
        "prompt_file",
        "max_calls_per_run",
        "max_tokens_per_run",
        "timezone",
        "group_by",
        "title",
        "name",
        "url",
        "tags",
        "full_text",
        "selector",
        "summarizer",
        "enabled",
    ] {
        assert!(
            text.lines().any(|l| l
                .trim_start()
                .trim_start_matches("# ")
                .starts_with(&format!("{key} ="))),
            "feeds.example.toml does not document `{key}`"
        );
    }
    assert_eq!(cfg.feeds.len(), 1);
    let f = &cfg.feeds[0];
    assert_eq!(f.selector.as_deref(), Some("div.article-body__content"));
    assert_eq!(f.interval, Some(std::time::Duration::from_secs(1800)));
    assert!(cfg.summarizer.llm.is_some());
    assert_eq!(
        cfg.extract.rules_dir,
        Some(path.parent().unwrap().join("site-rules"))
    );
}
