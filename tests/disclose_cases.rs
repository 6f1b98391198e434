//! Every disclosure case in `tests/fixtures/disclose/cases/` (articles in the shapes
//! publishers produce) labelled and checked against its expectations, plus the rules
//! that hold for every disclosure whatever the case.

use crate::common;

use feedbrief::disclose::{self, lines};
use feedbrief::model::{AssertedBy, Disclosure, SourceType, SummaryMethod};
use serde_json::Value;

/// The documented strength of each signal (ARCHITECTURE.md / `disclose::source_type`: JSON-LD
/// @type and paid-content disclosure lines > section/og meta, article:opinion, header
/// labels and bylines > URL path > feed category > headline labels > blog marks > bare
/// NewsArticle). `None` for the marks whose strength depends on corroboration (guide
/// headlines and slugs decide only with a second review mark; blog marks step back
/// beside commerce marks); those are checked by the cases themselves.
fn strength(signal: &str, value: &str) -> Option<u8> {
    let local = value.trim_start_matches("https://schema.org/");
    Some(match signal {
        "jsonld_type" if local == "NewsArticle" => 6,
        "jsonld_type" if local == "BlogPosting" => return None,
        "jsonld_type" | "disclosure_line" => 0,
        "section_meta" | "og_type" | "article_opinion" | "header_label" | "byline" => 1,
        "url_path" => 2,
        "feed_category" => 3,
        "headline_prefix" | "headline_suffix" | "headline_review" => 4,
        "headline_guide" | "url_slug" | "affiliate_note" | "tested_mark" | "rating_markup"
        | "blog_mark" => return None,
        other => panic!("undocumented evidence signal {other:?}"),
    })
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

/// Rules every disclosure obeys.
fn check_invariants(name: &str, d: &Disclosure) {
    let s = &d.source_type;
    assert_eq!(
        d.lines.first().map(String::as_str),
        Some(lines::SUMMARY_OF_ANOTHER),
        "{name}: the first line is always the summary-of-another line"
    );
    assert!(
        d.lines
            .iter()
            .any(|l| l.starts_with("Machine-generated summary (")
                && l.ends_with("; not reviewed by a person")),
        "{name}: machine line missing: {:#?}",
        d.lines
    );
    assert!(!d.machine_summary.human_reviewed, "{name}");
    // No label without evidence, and no evidence-free assertion.
    if s.label == SourceType::Unknown {
        assert!(
            s.evidence.is_empty(),
            "{name}: unknown but evidence {:?}",
            s.evidence
        );
        assert_eq!(s.asserted_by, AssertedBy::None, "{name}");
    } else {
        let first = s
            .evidence
            .first()
            .unwrap_or_else(|| panic!("{name}: label without evidence"));
        assert_eq!(
            first.label, s.label,
            "{name}: the winner is the first evidence"
        );
        assert_ne!(s.asserted_by, AssertedBy::None, "{name}");
    }
    // Evidence strongest first (among the marks of fixed strength).
    let ranks: Vec<u8> = s
        .evidence
        .iter()
        .filter_map(|e| strength(&e.signal, &e.value))
        .collect();
    assert!(
        ranks.windows(2).all(|w| w[0] <= w[1]),
        "{name}: evidence not strongest-first: {:?}",
        s.evidence
    );
    // Every piece of evidence says where on the page it was seen.
    assert!(
        s.evidence.iter().all(|e| e.place.is_some()),
        "{name}: evidence without a place: {:?}",
        s.evidence
    );
    // The text's wording never sets the type of work.
    assert_ne!(s.asserted_by, AssertedBy::Inferred, "{name}");
    assert_eq!(s.score, None, "{name}: the type carries no text score");
    // Editorial commentary: a separate answer that says who gives it.
    let c = &d.editorial_commentary;
    let editorial_lines: Vec<&String> = d
        .lines
        .iter()
        .filter(|l| l.starts_with(lines::EDITORIAL))
        .collect();
    match c.present {
        None => {
            assert_eq!(c.asserted_by, AssertedBy::None, "{name}");
            assert!(editorial_lines.is_empty(), "{name}: {:#?}", d.lines);
        }
        Some(present) => {
            assert_ne!(c.asserted_by, AssertedBy::None, "{name}");
            assert_eq!(
                editorial_lines.len(),
                usize::from(present),
                "{name}: {:#?}",
                d.lines
            );
        }
    }
    match c.asserted_by {
        AssertedBy::Inferred => {
            let score = c
                .score
                .unwrap_or_else(|| panic!("{name}: feedbrief's reading without a score"));
            assert!((0.0..=1.0).contains(&score), "{name}: score {score}");
            for l in &editorial_lines {
                assert!(
                    l.contains("feedbrief's reading of the text")
                        && l.contains("the publisher does not label it so"),
                    "{name}: our reading shown as the publisher's: {l}"
                );
            }
        }
        AssertedBy::Publisher | AssertedBy::Feed => {
            assert_eq!(c.present, Some(true), "{name}");
            assert!(
                matches!(
                    s.label,
                    SourceType::Opinion | SourceType::Review | SourceType::Sponsored
                ),
                "{name}: publisher commentary without a publisher label"
            );
            for l in &editorial_lines {
                assert!(l.contains("labelled"), "{name}: {l}");
            }
        }
        AssertedBy::None => {}
    }
    // The IPTC type follows the method.
    let expected_iptc = match d.machine_summary.method {
        SummaryMethod::Llm => disclose::IPTC_TRAINED_ALGORITHMIC_MEDIA,
        SummaryMethod::Extractive => disclose::IPTC_COMPOSITE,
    };
    assert_eq!(
        d.machine_summary.digital_source_type.as_deref(),
        Some(expected_iptc),
        "{name}"
    );
}

#[test]
fn every_case_is_labelled_as_expected() {
    let cases = common::load_cases();
    assert!(cases.len() >= 15, "fixtures missing: {}", cases.len());
    let mut failures = Vec::new();
    for c in &cases {
        let d = disclose::label(&c.article, &c.summary, &c.item, &c.feed_url);
        check_invariants(&c.name, &d);
        let e = &c.expect;
        let s = &d.source_type;
        let mut fail = |what: String| failures.push(format!("{}: {what}\n  ({})", c.name, c.about));

        let want = e["label"].as_str().unwrap_or("?");
        if s.label.as_str() != want {
            fail(format!(
                "label {} != expected {want}; evidence {:?}",
                s.label.as_str(),
                s.evidence
            ));
        }
        let asserted = serde_json::to_value(s.asserted_by).unwrap_or_default();
        if asserted != e["asserted_by"] {
            fail(format!("asserted_by {asserted} != {}", e["asserted_by"]));
        }
        let winner = s.evidence.first().map(|e| e.signal.as_str());
        if winner != e["winning_signal"].as_str() {
            fail(format!(
                "winning signal {winner:?} != {}",
                e["winning_signal"]
            ));
        }
        let signals: Vec<&str> = s.evidence.iter().map(|e| e.signal.as_str()).collect();
        for want in strs(&e["signals_include"]) {
            if !signals.contains(&want.as_str()) {
                fail(format!("no {want} evidence in {signals:?}"));
            }
        }
        for unwanted in strs(&e["no_signal"]) {
            if signals.contains(&unwanted.as_str()) {
                fail(format!("unexpected {unwanted} evidence: {:?}", s.evidence));
            }
        }
        for label in strs(&e["no_evidence_for"]) {
            if s.evidence.iter().any(|ev| ev.label.as_str() == label) {
                fail(format!("evidence for {label}: {:?}", s.evidence));
            }
        }
        for line in strs(&e["lines_include"]) {
            if !d.lines.contains(&line) {
                fail(format!("line missing: {line:?} in {:#?}", d.lines));
            }
        }
        for prefix in strs(&e["lines_include_prefix"]) {
            if !d.lines.iter().any(|l| l.starts_with(&prefix)) {
                fail(format!("no line starting {prefix:?} in {:#?}", d.lines));
            }
        }
        for line in strs(&e["lines_exclude"]) {
            if d.lines.contains(&line) {
                fail(format!("line present: {line:?}"));
            }
        }
        if let Some(want) = e.get("commentary") {
            let c = &d.editorial_commentary;
            let present = serde_json::to_value(c.present).unwrap_or_default();
            if present != want["present"] {
                fail(format!(
                    "editorial_commentary.present {present} != {} ({:?})",
                    want["present"], c.evidence
                ));
            }
            let by = serde_json::to_value(c.asserted_by).unwrap_or_default();
            if by != want["asserted_by"] {
                fail(format!(
                    "editorial_commentary.asserted_by {by} != {}",
                    want["asserted_by"]
                ));
            }
        }
        let paywalled = e["paywalled"].as_bool().unwrap_or(false);
        if d.paywalled != paywalled {
            fail(format!("paywalled {} != {paywalled}", d.paywalled));
        }
        if let Some(iptc) = e["digital_source_type"].as_str()
            && d.machine_summary.digital_source_type.as_deref() != Some(iptc)
        {
            fail(format!(
                "IPTC type {:?}",
                d.machine_summary.digital_source_type
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn labelling_is_deterministic() {
    for c in common::load_cases() {
        let a = disclose::label(&c.article, &c.summary, &c.item, &c.feed_url);
        let b = disclose::label(&c.article, &c.summary, &c.item, &c.feed_url);
        assert_eq!(a, b, "{}", c.name);
    }
}

#[test]
fn attribution_prefers_the_page_and_falls_back_to_the_feed() {
    let c = common::case("graph_opinion_jsonld");
    let d = disclose::label(&c.article, &c.summary, &c.item, &c.feed_url);
    let a = &d.attribution;
    assert_eq!(a.publisher.as_deref(), Some("The Daily Herald"));
    assert_eq!(a.domain.as_deref(), Some("dailyherald.example"));
    assert_eq!(a.canonical_url, c.article.canonical_url);
    assert_eq!(a.authors, vec!["Ellen Marsh".to_string()]);
    assert_eq!(a.published, c.article.published);
    assert_eq!(a.language.as_deref(), Some("en-US"));
    assert_eq!(a.feed_url.as_deref(), Some(c.feed_url.as_str()));

    // The page could not be fetched: the feed entry supplies link, domain and dates.
    let mut c = common::case("feed_excerpt_feed_category");
    c.item.authors = vec!["Pat Lee".into()];
    c.item.published = Some(common::t("2026-11-28T07:30:00Z"));
    let d = disclose::label(&c.article, &c.summary, &c.item, &c.feed_url);
    let a = &d.attribution;
    assert_eq!(a.canonical_url, c.item.link);
    assert_eq!(a.domain.as_deref(), Some("citypaper.example"));
    assert_eq!(a.authors, vec!["Pat Lee".to_string()]);
    assert_eq!(a.published, c.item.published);
    assert_eq!(d.machine_summary.input_basis.as_str(), "feed_excerpt");
}

#[test]
fn provenance_copies_the_summary_record() {
    let c = common::case("llm_summary_with_unsupported_claims");
    let d = disclose::label(&c.article, &c.summary, &c.item, &c.feed_url);
    let m = &d.machine_summary;
    assert_eq!(m.method, SummaryMethod::Llm);
    assert_eq!(m.model.as_deref(), Some("qwen2.5-7b-instruct"));
    assert_eq!(m.endpoint_host.as_deref(), Some("llm.internal.example"));
    assert_eq!(m.prompt_version.as_deref(), Some("summary-v3"));
    assert_eq!(m.input_hash, c.summary.input_hash);
    assert_eq!(m.generated_at, c.summary.generated_at);
    assert_eq!(m.unsupported, c.summary.unsupported);
    assert_eq!(m.tool_version, disclose::TOOL_VERSION);
    assert!(m.tool_version.starts_with("feedbrief "));
}

#[test]
fn extractive_line_says_the_sentences_are_the_sources() {
    let c = common::case("straight_news_not_opinion");
    let d = disclose::label(&c.article, &c.summary, &c.item, &c.feed_url);
    assert!(
        d.lines.contains(
            &"Machine-generated summary (sentences selected from the source, not rewritten); not reviewed by a person"
                .to_string()
        ),
        "{:#?}",
        d.lines
    );
}

#[test]
fn a_fallback_reason_is_kept_in_the_record() {
    let mut c = common::case("straight_news_not_opinion");
    c.summary.fallback_reason = Some("llm: HTTP 429".into());
    let d = disclose::label(&c.article, &c.summary, &c.item, &c.feed_url);
    assert_eq!(
        d.machine_summary.fallback_reason.as_deref(),
        Some("llm: HTTP 429")
    );
    assert_eq!(d.machine_summary.method, SummaryMethod::Extractive);
}
