//! The machine-readable forms of a disclosure: schema.org JSON-LD per item and the Atom
//! categories, checked on cases with publisher, feed and inferred labels.

use crate::common;

use feedbrief::disclose::{self, atom, jsonld};
use feedbrief::model::{DigestEntry, Disclosure};

fn entry(name: &str) -> DigestEntry {
    let c = common::case(name);
    let disclosure = disclose::label(&c.article, &c.summary, &c.item, &c.feed_url);
    DigestEntry {
        item_id: 1,
        feed_name: "herald".into(),
        feed_url: c.feed_url.clone(),
        feed_title: Some("The Daily Herald".into()),
        tags: vec!["local".into()],
        first_seen: common::t("2026-11-28T11:00:00Z"),
        item: c.item,
        article: Some(c.article),
        summary: Some(c.summary),
        disclosure: Some(disclosure),
    }
}

#[test]
fn jsonld_types_the_source_the_publisher_labelled() {
    let e = entry("graph_opinion_jsonld");
    let v = jsonld::item_jsonld(&e);
    assert_eq!(v["@context"][0], "https://schema.org");
    assert_eq!(v["@context"][1]["fb"], disclose::NAMESPACE);
    assert_eq!(v["@type"], "CreativeWork");
    assert_eq!(v["@id"], disclose::entry_id(&e));
    let src = &v["isBasedOn"];
    assert_eq!(src["@type"], "OpinionNewsArticle");
    assert_eq!(
        src["url"].as_str(),
        e.article.as_ref().and_then(|a| a.canonical_url.as_deref())
    );
    assert_eq!(src["publisher"]["name"], "The Daily Herald");
    assert_eq!(src["publisher"]["url"], "https://www.dailyherald.example/");
    assert_eq!(src["author"][0]["name"], "Ellen Marsh");
    assert_eq!(src["datePublished"], "2026-11-28T10:00:00Z");
    assert_eq!(v["digitalSourceType"], disclose::IPTC_COMPOSITE);
    assert_eq!(v["sdPublisher"]["name"], "feedbrief");
    assert_eq!(v["sdDatePublished"], "2026-11-28T12:00:00Z");
    assert_eq!(v["abstract"], "The council approved the plan.");
    // The full record travels with it and reads back as the same Disclosure.
    let back: Disclosure = serde_json::from_value(v["fb:disclosure"].clone()).expect("record");
    assert_eq!(Some(back), e.disclosure);
}

#[test]
fn jsonld_keeps_the_publishers_own_generic_type() {
    let v = jsonld::item_jsonld(&entry("straight_news_not_opinion"));
    assert_eq!(v["isBasedOn"]["@type"], "NewsArticle");
    let v = jsonld::item_jsonld(&entry("sponsored_paid_post_path"));
    assert_eq!(v["isBasedOn"]["@type"], "AdvertiserContentArticle");
}

#[test]
fn jsonld_never_turns_an_inference_into_a_type() {
    // Our reading of the text is an answer about commentary, never a type.
    let v = jsonld::item_jsonld(&entry("inferred_editorial_commentary"));
    assert_eq!(v["isBasedOn"]["@type"], "Article");
    assert_eq!(v["fb:disclosure"]["source_type"]["asserted_by"], "none");
    assert_eq!(
        v["fb:disclosure"]["editorial_commentary"]["asserted_by"],
        "inferred"
    );
    assert_eq!(v["fb:disclosure"]["editorial_commentary"]["present"], true);
    // A blog the publisher files under /blog/ is typed as one.
    let v = jsonld::item_jsonld(&entry("blog_first_person_howto"));
    assert_eq!(v["isBasedOn"]["@type"], "BlogPosting");
    let v = jsonld::item_jsonld(&entry("no_evidence_unknown"));
    assert_eq!(v["isBasedOn"]["@type"], "Article");
}

#[test]
fn jsonld_marks_paywalled_sources_and_llm_output() {
    let v = jsonld::item_jsonld(&entry("paywalled_partial"));
    assert_eq!(v["isBasedOn"]["isAccessibleForFree"], false);
    let v = jsonld::item_jsonld(&entry("llm_summary_with_unsupported_claims"));
    assert_eq!(
        v["digitalSourceType"],
        disclose::IPTC_TRAINED_ALGORITHMIC_MEDIA
    );
    assert!(v["isBasedOn"].get("isAccessibleForFree").is_none());
}

#[test]
fn atom_categories_carry_type_schema_feed_terms_and_tags() {
    let e = entry("graph_opinion_jsonld");
    let cats = atom::categories(&e);
    let find = |scheme: Option<&str>, term: &str| {
        cats.iter()
            .any(|c| c.scheme.as_deref() == scheme && c.term == term)
    };
    let st = atom::source_type_scheme();
    assert!(find(Some(&st), "opinion"), "{cats:?}");
    assert!(
        find(Some(atom::SCHEMA_ORG_SCHEME), "OpinionNewsArticle"),
        "{cats:?}"
    );
    assert!(find(None, "Infrastructure"), "{cats:?}");
    assert!(find(Some(&atom::tag_scheme()), "local"), "{cats:?}");
    assert!(st.starts_with(disclose::NAMESPACE));

    let e = entry("inferred_editorial_commentary");
    let cats = atom::categories(&e);
    assert!(
        cats.iter()
            .all(|c| c.scheme.as_deref() != Some(atom::SCHEMA_ORG_SCHEME))
    );
    let label = cats
        .iter()
        .find(|c| c.scheme.as_deref() == Some(&st))
        .and_then(|c| c.label.clone())
        .unwrap_or_default();
    assert!(label.contains("no label found"), "{label}");
}

#[test]
fn entry_ids_depend_on_feed_and_item_key_only() {
    let a = entry("graph_opinion_jsonld");
    let mut b = a.clone();
    b.item_id = 99;
    b.summary = None;
    assert_eq!(disclose::entry_id(&a), disclose::entry_id(&b));
    b.item.key.push('x');
    assert_ne!(disclose::entry_id(&a), disclose::entry_id(&b));
    assert!(disclose::entry_id(&a).starts_with("urn:uuid:"));
}
