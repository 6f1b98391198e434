//! The HTML fixture pages in `tests/fixtures/disclose/pages/` (publisher-shaped markup:
//! JSON-LD in `@graph`, arrays of types, section meta, opinion paths, sponsored and
//! satire labels, a paywall, a Chinese page) go through the real extractor and the
//! disclosure stage, and must come out as `expected.json` says: label, who asserted it,
//! the winning signal and where it was seen, paywall, basis, language and the editorial
//! commentary answer. Among them the traps: "Sponsored" in a menu and a teaser box,
//! "employer-sponsored" and a bill "sponsored by" a senator in a sentence,
//! `article:opinion=false` on a column, a first-person how-to, a forum thread.

use crate::common;

use feedbrief::disclose;
use feedbrief::extract::{self, ExtractOptions, SiteRules};
use feedbrief::model::{Article, Basis, Item};
use serde_json::Value;

/// The page through the real extractor, as the pipeline reads it.
fn read_page(html: &str, url: &str) -> Article {
    let url = url::Url::parse(url).expect("page_url");
    let rules = SiteRules::default();
    let opts = ExtractOptions {
        selector: None,
        rules: &rules,
        content_type: Some("text/html; charset=utf-8"),
    };
    extract::article(html.as_bytes(), &url, &opts)
        .unwrap_or_else(|e| panic!("{url}: extraction failed: {e}"))
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn fixture_pages_carry_the_promised_signals() {
    let dir = common::fixtures().join("disclose/pages");
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expected.json")).expect("expected.json"),
    )
    .expect("expected.json parses");
    let pages = expected["pages"].as_object().expect("pages");
    // Every page has an expectation and every expectation a page.
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("pages dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".html"))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = pages.keys().cloned().collect();
    listed.sort();
    assert_eq!(on_disk, listed);

    let summary = common::overlay(&serde_json::json!({
        "sentences": ["A summary."], "input_hash": "sha256:00", "generated_at": "2026-11-28T12:00:00Z"
    }));
    let mut failures = Vec::new();
    for (name, e) in pages {
        let html = std::fs::read_to_string(dir.join(name)).expect("page");
        let url = e["page_url"].as_str().expect("page_url");
        let basis: Basis = serde_json::from_value(e["basis"].clone()).expect("basis");
        let article = read_page(&html, url);
        if article.extraction.basis != basis {
            failures.push(format!("{name}: basis {:?}", article.extraction.basis));
        }
        if article.text.chars().filter(|c| c.is_alphanumeric()).count() < 150
            && basis == Basis::FullText
        {
            failures.push(format!("{name}: only {:?} extracted", article.text));
        }
        for t in strs(&e["jsonld_types_include"]) {
            if !article.jsonld_types.contains(&t) {
                failures.push(format!(
                    "{name}: JSON-LD type {t} not found in {:?}",
                    article.jsonld_types
                ));
            }
        }
        // The extractor reports the primary language subtag ("en" for "en-US").
        let primary = |l: &str| {
            l.split(['-', '_'])
                .next()
                .unwrap_or("")
                .to_ascii_lowercase()
        };
        if article.language.as_deref().map(primary) != e["language"].as_str().map(primary) {
            failures.push(format!("{name}: language {:?}", article.language));
        }
        let item: Item = common::overlay(&e["item"]);
        let d = disclose::label(&article, &summary, &item, "https://feeds.example.net/x.xml");
        let s = &d.source_type;
        if s.label.as_str() != e["label"].as_str().unwrap_or("?") {
            failures.push(format!(
                "{name}: label {} (evidence {:?})",
                s.label.as_str(),
                s.evidence
            ));
        }
        if serde_json::to_value(s.asserted_by).ok().as_ref() != Some(&e["asserted_by"]) {
            failures.push(format!("{name}: asserted_by {:?}", s.asserted_by));
        }
        if s.evidence.first().map(|x| x.signal.as_str()) != e["winning_signal"].as_str() {
            failures.push(format!("{name}: winning signal of {:?}", s.evidence));
        }
        if Some(d.paywalled) != e["paywalled"].as_bool() {
            failures.push(format!("{name}: paywalled {}", d.paywalled));
        }
        if let Some(place) = e.get("winning_place")
            && s.evidence.first().and_then(|x| x.place.as_deref()) != place.as_str()
        {
            failures.push(format!("{name}: winning place of {:?}", s.evidence));
        }
        for sig in strs(&e["signals_include"]) {
            if !s.evidence.iter().any(|x| x.signal == sig) {
                failures.push(format!("{name}: no {sig} evidence in {:?}", s.evidence));
            }
        }
        if let Some(want) = e.get("commentary_present") {
            let got = serde_json::to_value(d.editorial_commentary.present).unwrap_or_default();
            if &got != want {
                failures.push(format!(
                    "{name}: editorial_commentary.present {got} != {want} ({:?})",
                    d.editorial_commentary
                ));
            }
        }
        for sig in strs(&e["no_signal"]) {
            if s.evidence.iter().any(|x| x.signal == sig) {
                failures.push(format!("{name}: unexpected {sig} evidence"));
            }
        }
        for label in strs(&e["no_evidence_for"]) {
            if s.evidence.iter().any(|x| x.label.as_str() == label) {
                failures.push(format!("{name}: evidence for {label}: {:?}", s.evidence));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
