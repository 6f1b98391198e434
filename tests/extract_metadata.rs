//! Metadata, decoding, site rules and the selector override, on hand-written pages.

use std::path::Path;

use feedbrief::extract::{self, ExtractOptions, SiteRules};
use feedbrief::model::Basis;
use url::Url;

fn fixture(name: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/extract")
        .join(name);
    std::fs::read(p).unwrap()
}

fn run(bytes: &[u8], url: &str, opts: &ExtractOptions) -> feedbrief::model::Article {
    extract::article(bytes, &Url::parse(url).unwrap(), opts).unwrap()
}

fn plain(rules: &SiteRules) -> ExtractOptions<'_> {
    ExtractOptions {
        selector: None,
        rules,
        content_type: None,
    }
}

#[test]
fn news_page_metadata_comes_from_jsonld_and_meta() {
    let rules = SiteRules::default();
    let a = run(
        &fixture("news_article.html"),
        "https://www.harbourgazette.example/news/x",
        &plain(&rules),
    );
    assert_eq!(
        a.title.as_deref(),
        Some("Council approves riverside flood wall after decade of delays")
    );
    assert_eq!(a.authors, ["Mara Quinn", "Tom Reyes"]);
    assert_eq!(
        a.published.unwrap().to_rfc3339(),
        "2024-03-05T09:30:00+00:00"
    );
    // +01:00 in the page becomes UTC.
    assert_eq!(
        a.modified.unwrap().to_rfc3339(),
        "2024-03-05T13:10:00+00:00"
    );
    assert_eq!(a.language.as_deref(), Some("en"));
    assert_eq!(a.site_name.as_deref(), Some("The Harbour Gazette"));
    assert_eq!(
        a.canonical_url.as_deref(),
        Some("https://www.harbourgazette.example/news/2024/03/05/flood-wall-approved?ref=home")
    );
    assert!(a.jsonld_types.iter().any(|t| t == "NewsArticle"));
    assert!(a.jsonld_types.iter().any(|t| t == "Person"));
    assert_eq!(a.sections, ["Local News"]);
    assert!(a.keywords.iter().any(|k| k == "infrastructure"));
    assert!(a.keywords.iter().any(|k| k == "council"));
    assert_eq!(a.og_type.as_deref(), Some("article"));
    assert_eq!(a.accessible_for_free, Some(true));
    assert_eq!(a.extraction.basis, Basis::FullText);
    assert_eq!(a.extraction.method, "scored");
    for junk in [
        "Skip to content",
        "Share on X",
        "Photo:",
        "Advertisement",
        "Related",
        "Sign up",
        "Mill Lane",
        "Ferry timetable",
        "All rights reserved",
        "By Mara",
        "Updated 2:10",
    ] {
        assert!(!a.text.contains(junk), "{junk:?} leaked into the text");
    }
}

#[test]
fn legacy_charset_graph_types_and_detected_language() {
    let rules = SiteRules::default();
    let a = run(
        &fixture("opinion_cp1252.html"),
        "https://stadtblatt.example/x",
        &plain(&rules),
    );
    assert!(a.text.contains("Geschützte Radspuren"), "{}", a.text);
    assert!(a.jsonld_types.iter().any(|t| t == "OpinionNewsArticle"));
    assert_eq!(a.sections, ["Meinung", "Verkehr"]);
    // No lang attribute: detected from the text.
    assert_eq!(a.language.as_deref(), Some("de"));
    assert_eq!(
        a.canonical_url.as_deref(),
        Some("https://stadtblatt.example/meinung/radwege")
    );
    assert_eq!(a.authors, ["Jana Vogel"]);
    assert_eq!(
        a.published.unwrap().to_rfc3339(),
        "2024-05-02T06:00:00+00:00"
    );
    assert!(!a.text.contains("Meistgelesen"));
}

#[test]
fn http_charset_overrides_the_page() {
    let rules = SiteRules::default();
    let page = b"<html><head><meta charset=utf-8></head><body><article><p>Le caf\xe9 de la gare a rouvert ses portes apr\xe8s deux ans de travaux, pour le plus grand plaisir des voyageurs.</p></article></body></html>";
    let opts = ExtractOptions {
        content_type: Some("text/html; charset=ISO-8859-1"),
        ..plain(&rules)
    };
    let a = run(page, "https://gare.example/", &opts);
    assert!(a.text.contains("Le café de la gare"), "{}", a.text);
    assert_eq!(a.language.as_deref(), Some("fr"));
}

#[test]
fn paywall_teaser_is_partial() {
    let rules = SiteRules::default();
    let a = run(
        &fixture("paywall_stub.html"),
        "https://journal.example/a",
        &plain(&rules),
    );
    assert_eq!(a.accessible_for_free, Some(false));
    assert_eq!(a.extraction.basis, Basis::Partial);
    assert!(a.extraction.note.is_some());
    assert_eq!(
        a.title.as_deref(),
        Some("Inside the race to build a better battery")
    );
    assert!(a.text.starts_with("A handful of start-ups"));
    assert!(!a.text.contains("hidden remainder"));
    assert!(!a.text.contains("$1 a week"));
}

#[test]
fn selector_override_picks_the_body() {
    let rules = SiteRules::default();
    let opts = ExtractOptions {
        selector: Some("div.comments"),
        ..plain(&rules)
    };
    let page = br#"<html><body><article><p>The main story text is long enough to win the scoring on its own merits, with commas, clauses, and detail.</p></article>
        <div class="comments"><p>Readers said the council should have acted sooner.</p></div></body></html>"#;
    let a = run(page, "https://x.example/", &opts);
    assert_eq!(a.text, "Readers said the council should have acted sooner.");
    assert_eq!(a.extraction.method, "selector");
    let bad = ExtractOptions {
        selector: Some("div[["),
        ..plain(&rules)
    };
    assert!(extract::article(page, &Url::parse("https://x.example/").unwrap(), &bad).is_err());
}

#[test]
fn site_rules_load_from_a_folder_and_apply_by_host() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".harbourgazette.example.txt"),
        "# test rules\ntitle: //div[@class='story']//h1\nbody: //div[contains(@class, 'article-body')]\nstrip: //ul | //h2\ndate: //meta[@property='article:published_time']/@content\ntest_url: https://www.harbourgazette.example/a\n",
    )
    .unwrap();
    let rules = SiteRules::load_dir(dir.path()).unwrap();
    assert_eq!(rules.len(), 1);
    let a = run(
        &fixture("news_article.html"),
        "https://www.harbourgazette.example/news/x",
        &plain(&rules),
    );
    assert_eq!(a.extraction.method, "site_rule");
    assert!(a.text.starts_with("Councillors voted"));
    assert!(
        !a.text.contains("pumping stations"),
        "strip: //ul was not applied"
    );
    assert!(!a.text.contains("What the plan includes"));
    // Another host gets no rules.
    let b = run(
        &fixture("news_article.html"),
        "https://other.example/x",
        &plain(&rules),
    );
    assert_eq!(b.extraction.method, "scored");
    assert!(b.text.contains("pumping stations"));
}

#[test]
fn a_bad_rule_line_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ok.example.txt"), "body: //article\n").unwrap();
    std::fs::write(
        dir.path().join("bad.example.txt"),
        "title: //h1\n\nbody: //div[@class=\n",
    )
    .unwrap();
    let err = SiteRules::load_dir(dir.path()).unwrap_err().to_string();
    assert!(err.contains("bad.example.txt:3:"), "{err}");
}

#[test]
fn shipped_site_rules_all_load() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("site-rules");
    let rules = SiteRules::load_dir(&dir).unwrap();
    assert!(rules.len() >= 10);
    assert!(rules.for_host("www.theguardian.com").is_some());
    assert!(rules.for_host("en.wikipedia.org").is_some());
    assert!(rules.for_host("www.bbc.co.uk").is_some());
}
