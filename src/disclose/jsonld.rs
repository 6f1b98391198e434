//! schema.org JSON-LD for one digest entry: our summary as a `CreativeWork` that
//! `isBasedOn` the typed source article, with `digitalSourceType`, `sdPublisher`,
//! `sdDatePublished`, and the full disclosure record under `fb:disclosure`.
//!
//! The HTML digest embeds this per item; anyone scraping the digest gets the same facts
//! the visible lines state.

use serde_json::{Map, Value, json};

use super::terms::{schema_local_name, schema_type};
use super::{NAMESPACE, TOOL_VERSION, entry_id};
use crate::model::{AssertedBy, DigestEntry, SourceLabel, SourceType};

/// The schema.org type to give the source, or `None` when nobody but us says what it is.
///
/// A label the publisher gave through its own JSON-LD keeps the publisher's exact type
/// (a bare `NewsArticle` stays `NewsArticle`, not our sharper `ReportageNewsArticle`).
/// An inferred label is never turned into a type: that would present our guess as the
/// publisher's classification.
pub fn source_schema_type(label: &SourceLabel) -> Option<String> {
    if label.label == SourceType::Unknown
        || !matches!(label.asserted_by, AssertedBy::Publisher | AssertedBy::Feed)
    {
        return None;
    }
    let winner = label.evidence.first()?;
    if winner.signal == super::source_type::SIGNAL_JSONLD_TYPE {
        return Some(schema_local_name(&winner.value).to_string());
    }
    Some(schema_type(label.label).to_string())
}

/// The JSON-LD object for `entry` (deterministic: built from the entry alone).
pub fn item_jsonld(entry: &DigestEntry) -> Value {
    let d = entry.disclosure.as_ref();
    let attribution = d.map(|d| &d.attribution);
    let source_url = attribution
        .and_then(|a| a.canonical_url.clone())
        .or_else(|| entry.article.as_ref().map(|a| a.url.clone()))
        .or_else(|| entry.item.link.clone())
        .filter(|u| !u.is_empty());
    let headline = entry
        .article
        .as_ref()
        .and_then(|a| a.title.clone())
        .or_else(|| entry.item.title.clone());

    let mut source = Map::new();
    let source_type = d
        .and_then(|d| source_schema_type(&d.source_type))
        .unwrap_or_else(|| "Article".into());
    source.insert("@type".into(), json!(source_type));
    if let Some(u) = &source_url {
        source.insert("@id".into(), json!(u));
        source.insert("url".into(), json!(u));
    }
    insert_opt(&mut source, "headline", headline);
    if let Some(a) = attribution {
        if a.publisher.is_some() || a.domain.is_some() {
            let mut publisher = Map::new();
            publisher.insert("@type".into(), json!("Organization"));
            insert_opt(
                &mut publisher,
                "name",
                a.publisher.clone().or_else(|| a.domain.clone()),
            );
            // The origin the article is served from: a URL the publisher really uses
            // (the bare domain may not be, e.g. www-only sites).
            insert_opt(
                &mut publisher,
                "url",
                source_url.as_deref().and_then(origin),
            );
            source.insert("publisher".into(), Value::Object(publisher));
        }
        if !a.authors.is_empty() {
            let authors: Vec<Value> = a
                .authors
                .iter()
                .map(|n| json!({"@type": "Person", "name": n}))
                .collect();
            source.insert("author".into(), Value::Array(authors));
        }
        insert_opt(&mut source, "datePublished", a.published.map(rfc3339));
        insert_opt(&mut source, "dateModified", a.updated.map(rfc3339));
        insert_opt(&mut source, "inLanguage", a.language.clone());
    }
    if let Some(d) = d
        && d.paywalled
    {
        source.insert("isAccessibleForFree".into(), json!(false));
    }

    let mut out = Map::new();
    out.insert(
        "@context".into(),
        json!([
            "https://schema.org",
            {
                "fb": NAMESPACE,
                "fb:disclosure": {"@id": "fb:disclosure", "@type": "@json"}
            }
        ]),
    );
    out.insert("@type".into(), json!("CreativeWork"));
    out.insert("@id".into(), json!(entry_id(entry)));
    out.insert("genre".into(), json!("summary"));
    insert_opt(
        &mut out,
        "name",
        entry.item.title.clone().or(headline_of(entry)),
    );
    if let Some(s) = &entry.summary {
        out.insert("abstract".into(), json!(s.text()));
        insert_opt(&mut out, "inLanguage", s.language.clone());
        out.insert("dateCreated".into(), json!(rfc3339(s.generated_at)));
        out.insert("sdDatePublished".into(), json!(rfc3339(s.generated_at)));
    }
    if let Some(d) = d {
        insert_opt(
            &mut out,
            "digitalSourceType",
            d.machine_summary.digital_source_type.clone(),
        );
    }
    out.insert(
        "sdPublisher".into(),
        json!({"@type": "Organization", "name": "feedbrief", "description": TOOL_VERSION}),
    );
    out.insert("isBasedOn".into(), Value::Object(source));
    if let Some(d) = d {
        // Serializing plain model structs cannot fail; if it ever did, the visible
        // lines still carry the facts, so leave the key out rather than panic.
        if let Ok(v) = serde_json::to_value(d) {
            out.insert("fb:disclosure".into(), v);
        }
    }
    Value::Object(out)
}

fn origin(url: &str) -> Option<String> {
    let u = url::Url::parse(url).ok()?;
    matches!(u.scheme(), "http" | "https").then(|| format!("{}/", u.origin().ascii_serialization()))
}

fn headline_of(entry: &DigestEntry) -> Option<String> {
    entry.article.as_ref().and_then(|a| a.title.clone())
}

fn insert_opt(map: &mut Map<String, Value>, key: &str, value: Option<String>) {
    if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
        map.insert(key.into(), Value::String(v));
    }
}

fn rfc3339(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
