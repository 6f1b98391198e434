//! The HTML fixture pages in `tests/fixtures/disclose/pages/` carry the signals their
//! `expected.json` promises. A deliberately minimal reader (JSON-LD types anywhere in the
//! page, section and og meta, canonical link, `<html lang>`, headline, paragraphs) fills
//! an `Article`, and the disclosure must come out as expected. The real extractor is
//! tested against the same expectations once it is merged.

mod common;

use feedbrief::disclose;
use feedbrief::model::{Article, Basis, Extraction, Item};
use scraper::{Html, Selector};
use serde_json::Value;

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("selector {s}: {e:?}"))
}

fn meta(doc: &Html, key: &str) -> Vec<String> {
    let s = sel(&format!("meta[property=\"{key}\"], meta[name=\"{key}\"]"));
    doc.select(&s)
        .filter_map(|m| m.value().attr("content").map(str::to_string))
        .collect()
}

/// Every `@type` in a JSON-LD value (top level, arrays, `@graph`, nested objects), plus
/// articleSection values and isAccessibleForFree of the objects that carry them.
fn walk_jsonld(
    v: &Value,
    types: &mut Vec<String>,
    sections: &mut Vec<String>,
    free: &mut Option<bool>,
) {
    match v {
        Value::Array(a) => a.iter().for_each(|x| walk_jsonld(x, types, sections, free)),
        Value::Object(o) => {
            match o.get("@type") {
                Some(Value::String(t)) => types.push(t.clone()),
                Some(Value::Array(ts)) => {
                    types.extend(ts.iter().filter_map(|t| t.as_str().map(str::to_string)))
                }
                _ => {}
            }
            match o.get("articleSection") {
                Some(Value::String(s)) => sections.push(s.clone()),
                Some(Value::Array(ss)) => {
                    sections.extend(ss.iter().filter_map(|s| s.as_str().map(str::to_string)))
                }
                _ => {}
            }
            if free.is_none() {
                *free = match o.get("isAccessibleForFree") {
                    Some(Value::Bool(b)) => Some(*b),
                    Some(Value::String(s)) => Some(s.eq_ignore_ascii_case("true")),
                    _ => None,
                };
            }
            for (k, x) in o {
                if k != "@type" {
                    walk_jsonld(x, types, sections, free);
                }
            }
        }
        _ => {}
    }
}

fn read_page(html: &str, url: &str, basis: Basis) -> Article {
    let doc = Html::parse_document(html);
    let (mut types, mut sections, mut free) = (Vec::new(), Vec::new(), None);
    for script in doc.select(&sel("script[type=\"application/ld+json\"]")) {
        let raw: String = script.text().collect();
        let v: Value = serde_json::from_str(&raw)
            .unwrap_or_else(|e| panic!("{url}: JSON-LD does not parse: {e}"));
        walk_jsonld(&v, &mut types, &mut sections, &mut free);
    }
    sections.extend(meta(&doc, "article:section"));
    let title = meta(&doc, "og:title").into_iter().next().or_else(|| {
        doc.select(&sel("h1"))
            .next()
            .map(|h| h.text().collect::<String>())
    });
    let text = doc
        .select(&sel("article p, #detail p, .article__content p"))
        .map(|p| p.text().collect::<String>())
        .collect::<Vec<_>>()
        .join("\n\n");
    Article {
        url: url.to_string(),
        canonical_url: doc
            .select(&sel("link[rel=canonical]"))
            .next()
            .and_then(|l| l.value().attr("href").map(str::to_string)),
        title,
        text,
        language: doc.root_element().value().attr("lang").map(str::to_string),
        site_name: meta(&doc, "og:site_name").into_iter().next(),
        jsonld_types: types,
        sections,
        og_type: meta(&doc, "og:type").into_iter().next(),
        accessible_for_free: free,
        extraction: Extraction {
            method: "test-reader".into(),
            basis,
            ..Extraction::default()
        },
        ..Article::default()
    }
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
        let article = read_page(&html, url, basis);
        for t in strs(&e["jsonld_types_include"]) {
            if !article.jsonld_types.contains(&t) {
                failures.push(format!(
                    "{name}: JSON-LD type {t} not found in {:?}",
                    article.jsonld_types
                ));
            }
        }
        if article.language.as_deref() != e["language"].as_str() {
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
