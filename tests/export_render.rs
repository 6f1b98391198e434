//! The digest renderers over one sample digest: the Markdown golden file, Atom parsed
//! back with feed-rs (and its `atom:source` and `fb:disclosure` read with quick-xml),
//! the HTML parsed with one JSON-LD block per item, JSON Feed's required keys, the JSON
//! round trip, and determinism.

use crate::common;

use std::collections::HashSet;

use feedbrief::disclose::{self, lines};
use feedbrief::export::{self, Format};
use feedbrief::model::{Digest, DigestEntry};
use quick_xml::XmlVersion;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;
use scraper::{Html, Selector};
use serde_json::Value;

fn render(digest: &Digest, format: Format) -> String {
    let bytes = export::render_to_vec(digest, format).expect("rendering into memory cannot fail");
    String::from_utf8(bytes).expect("renderers write UTF-8")
}

fn entries(d: &Digest) -> Vec<&DigestEntry> {
    d.groups.iter().flat_map(|g| g.entries.iter()).collect()
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("selector {s}: {e:?}"))
}

fn source_url(e: &DigestEntry) -> Option<String> {
    e.disclosure
        .as_ref()
        .and_then(|d| d.attribution.canonical_url.clone())
        .or_else(|| e.item.link.clone())
}

// ---------------------------------------------------------------- markdown

#[test]
fn markdown_matches_the_golden_file() {
    let md = render(&common::sample_digest(), Format::Markdown);
    common::assert_golden(&common::fixtures().join("export/digest.md"), &md);
}

#[test]
fn markdown_shows_every_item_with_lines_summary_and_link() {
    let d = common::sample_digest();
    let md = render(&d, Format::Markdown);
    for e in entries(&d) {
        if let (Some(url), Some(disc)) = (source_url(e), &e.disclosure) {
            let site = disc.attribution.domain.clone().unwrap_or_default();
            let line = format!("Read the full {site} article at: {url}");
            assert!(md.contains(&line), "missing {line:?}");
            for l in &disc.lines {
                // Lines are escaped for Markdown; compare with markup characters removed.
                let plain = l.replace(['*', '_', '[', ']', '<', '>'], "");
                assert!(
                    md.lines()
                        .any(|m| m.starts_with(&format!("- {} ", lines::MARK))
                            && m.replace('\\', "") == format!("- {} {plain}", lines::MARK)),
                    "line {l:?} not shown"
                );
            }
        }
    }
    // Every item carries the always-present line, and the shape in ARCHITECTURE.md holds.
    let n = md
        .lines()
        .filter(|l| *l == format!("- {} {}", lines::MARK, lines::SUMMARY_OF_ANOTHER))
        .count();
    assert_eq!(
        n,
        entries(&d)
            .iter()
            .filter(|e| e.disclosure.is_some())
            .count()
    );
    assert!(md.starts_with("# Morning brief\n"));
    assert!(md.contains("\n## World\n") && md.contains("\n### "));
}

/// Every occurrence of `pat` in `md` is preceded by a backslash (escaped).
fn always_escaped(md: &str, pat: &str) -> bool {
    md.match_indices(pat).all(|(i, _)| md[..i].ends_with('\\'))
}

#[test]
fn markdown_neutralizes_hostile_titles() {
    let md = render(&common::sample_digest(), Format::Markdown);
    assert!(
        md.contains("javascript:alert"),
        "the hostile title is shown"
    );
    assert!(
        always_escaped(&md, "<"),
        "raw HTML could reach a Markdown renderer"
    );
    assert!(always_escaped(&md, "]("), "a link survived");
    assert!(always_escaped(&md, "*stars"), "emphasis survived");
    assert!(
        md.contains("\n### \\# Breaking"),
        "a title starting with # became a heading"
    );
    assert!(!md.contains('\u{0c}'));
}

#[test]
fn markdown_without_groups_uses_item_headings_of_level_two() {
    let mut d = common::sample_digest();
    for g in &mut d.groups {
        g.name.clear();
    }
    let md = render(&d, Format::Markdown);
    assert!(
        md.contains("\n## City council approves bridge plan\n"),
        "{md}"
    );
    assert!(!md.contains("\n### "));
}

// ---------------------------------------------------------------- atom

#[test]
fn atom_parses_back_with_entries_links_and_categories() {
    let d = common::sample_digest();
    let xml = render(&d, Format::Atom);
    let feed = feed_rs::parser::parse(xml.as_bytes()).expect("feed-rs parses our Atom");
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    assert_eq!(
        feed.title.as_ref().map(|t| t.content.as_str()),
        Some("Morning brief")
    );
    let want = entries(&d);
    assert_eq!(feed.entries.len(), want.len());
    let mut ids = HashSet::new();
    for (got, e) in feed.entries.iter().zip(&want) {
        assert!(ids.insert(got.id.clone()), "duplicate id {}", got.id);
        assert_eq!(got.id, disclose::entry_id(e));
        assert!(got.updated.is_some(), "entry without updated");
        if let Some(url) = source_url(e) {
            let related: Vec<_> = got
                .links
                .iter()
                .filter(|l| l.rel.as_deref() == Some("related"))
                .collect();
            assert_eq!(related.len(), 1, "{:?}", got.links);
            assert_eq!(related[0].href, url);
        }
        let has = |scheme: &str, term: &str| {
            got.categories
                .iter()
                .any(|c| c.scheme.as_deref() == Some(scheme) && c.term == term)
        };
        if let Some(disc) = &e.disclosure {
            let st = disclose::atom::source_type_scheme();
            assert!(
                has(&st, disc.source_type.label.as_str()),
                "{:?}",
                got.categories
            );
            if let Some(t) = disclose::jsonld::source_schema_type(&disc.source_type) {
                assert!(has("https://schema.org/", &t), "{:?}", got.categories);
            }
        }
        for c in &e.item.categories {
            assert!(
                got.categories.iter().any(|g| &g.term == c),
                "feed category {c} lost"
            );
        }
        let content = got
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .unwrap_or_default();
        assert!(content.contains(lines::SUMMARY_OF_ANOTHER) || e.disclosure.is_none());
    }
}

/// Per entry: the `atom:source` title and self link, and `fb:disclosure` source-type.
#[derive(Debug, Default, Clone)]
struct AtomEntryFacts {
    sources: usize,
    source_title: String,
    source_self: Option<String>,
    disclosures: usize,
    disclosure_type: Option<String>,
    commentary: Option<String>,
    evidence: usize,
    commentary_evidence: usize,
}

fn read_atom_with_namespaces(xml: &str) -> Vec<AtomEntryFacts> {
    const ATOM: &str = "http://www.w3.org/2005/Atom";
    let mut r = NsReader::from_str(xml);
    let mut out = Vec::new();
    let mut cur: Option<AtomEntryFacts> = None;
    let mut path: Vec<String> = Vec::new();
    loop {
        let ev = r.read_resolved_event().expect("well-formed XML");
        let is_empty = matches!(ev.1, Event::Empty(_));
        match ev {
            (ns, Event::Start(s)) | (ns, Event::Empty(s)) => {
                let local = s.local_name().into_inner().to_string();
                let ns = match ns {
                    ResolveResult::Bound(n) => n.into_inner().to_string(),
                    _ => String::new(),
                };
                if ns == ATOM && local == "entry" {
                    cur = Some(AtomEntryFacts::default());
                }
                if let Some(f) = cur.as_mut() {
                    let attr = |k: &str| {
                        s.try_get_attribute(k).ok().flatten().and_then(|a| {
                            a.normalized_value(XmlVersion::Implicit1_0)
                                .ok()
                                .map(|v| v.into_owned())
                        })
                    };
                    if ns == ATOM && local == "source" {
                        f.sources += 1;
                    }
                    let in_source = path.last().is_some_and(|p| p == "source");
                    if in_source
                        && ns == ATOM
                        && local == "link"
                        && attr("rel").as_deref() == Some("self")
                    {
                        f.source_self = attr("href");
                    }
                    if ns == disclose::NAMESPACE && local == "disclosure" {
                        f.disclosures += 1;
                        f.disclosure_type = attr("source-type");
                        f.commentary = attr("editorial-commentary");
                    }
                    if ns == disclose::NAMESPACE && local == "commentary-evidence" {
                        f.commentary_evidence += 1;
                    }
                    if ns == disclose::NAMESPACE && local == "evidence" {
                        f.evidence += 1;
                    }
                }
                if !is_empty {
                    path.push(local);
                }
            }
            (_, Event::Text(t)) => {
                if let Some(f) = cur.as_mut()
                    && path.ends_with(&["source".to_string(), "title".to_string()])
                {
                    f.source_title.push_str(&t.xml10_content());
                }
            }
            (_, Event::End(e)) => {
                path.pop();
                if e.local_name().into_inner() == "entry"
                    && let Some(f) = cur.take()
                {
                    out.push(f);
                }
            }
            (_, Event::Eof) => break,
            _ => {}
        }
    }
    out
}

#[test]
fn atom_entries_carry_source_and_disclosure_elements() {
    let d = common::sample_digest();
    let facts = read_atom_with_namespaces(&render(&d, Format::Atom));
    let want = entries(&d);
    assert_eq!(facts.len(), want.len());
    assert!(
        facts.iter().any(|f| f.commentary.is_some()),
        "the sample has an entry whose commentary was answered"
    );
    for (f, e) in facts.iter().zip(&want) {
        assert_eq!(f.sources, 1, "{f:?}");
        assert_eq!(f.source_self.as_deref(), Some(e.feed_url.as_str()));
        assert_eq!(Some(f.source_title.as_str()), e.feed_title.as_deref());
        match &e.disclosure {
            Some(disc) => {
                assert_eq!(f.disclosures, 1);
                assert_eq!(
                    f.disclosure_type.as_deref(),
                    Some(disc.source_type.label.as_str())
                );
                assert_eq!(f.evidence, disc.source_type.evidence.len());
                let present = disc.editorial_commentary.present.map(|p| p.to_string());
                assert_eq!(f.commentary, present, "{f:?}");
                assert_eq!(
                    f.commentary_evidence,
                    disc.editorial_commentary.evidence.len()
                );
            }
            None => assert_eq!(f.disclosures, 0),
        }
    }
}

// ---------------------------------------------------------------- html

#[test]
fn html_has_one_jsonld_block_per_item_and_no_scripts() {
    let d = common::sample_digest();
    let page = render(&d, Format::Html);
    let doc = Html::parse_document(&page);
    let blocks: Vec<Value> = doc
        .select(&sel("script[type=\"application/ld+json\"]"))
        .map(|s| {
            let raw: String = s.text().collect();
            serde_json::from_str(&raw)
                .unwrap_or_else(|e| panic!("JSON-LD does not parse: {e}\n{raw}"))
        })
        .collect();
    let want = entries(&d);
    assert_eq!(blocks.len(), want.len());
    for (b, e) in blocks.iter().zip(&want) {
        assert_eq!(b["@id"], disclose::entry_id(e));
        assert_eq!(b["@type"], "CreativeWork");
        if let Some(url) = source_url(e) {
            assert_eq!(b["isBasedOn"]["url"], url);
        }
        if let Some(disc) = &e.disclosure {
            assert_eq!(b["fb:disclosure"]["lines"], serde_json::json!(disc.lines));
            assert_eq!(
                b["digitalSourceType"].as_str(),
                disc.machine_summary.digital_source_type.as_deref()
            );
        }
    }
    // Only data blocks: no executable script, no event handlers, no external resources.
    assert_eq!(doc.select(&sel("script")).count(), blocks.len());
    assert_eq!(
        doc.select(&sel("link[rel=stylesheet], style, iframe, img"))
            .count(),
        0
    );
    for el in doc.select(&sel("*")) {
        for (name, value) in el.value().attrs() {
            assert!(!name.starts_with("on"), "event handler {name}");
            if name == "href" {
                assert!(
                    value.starts_with("https://") || value.starts_with("http://"),
                    "{value}"
                );
            }
        }
    }
    assert!(doc.select(&sel("meta[name=viewport]")).next().is_some());
}

#[test]
fn html_escapes_text_so_it_reads_back_unchanged() {
    let d = common::sample_digest();
    let doc = Html::parse_document(&render(&d, Format::Html));
    let titles: Vec<String> = doc.select(&sel("h3")).map(|h| h.text().collect()).collect();
    let hostile =
        "# Breaking: <script>alert(\"x\")</script> & *stars* [click](javascript:alert(1))";
    assert!(titles.iter().any(|t| t == hostile), "{titles:?}");
    let items: Vec<String> = doc.select(&sel("li")).map(|l| l.text().collect()).collect();
    assert!(
        items.iter().any(|l| l.starts_with(lines::SPONSORED)),
        "{items:?}"
    );
    let summaries: Vec<String> = doc.select(&sel("p")).map(|p| p.text().collect()).collect();
    assert!(
        summaries.iter().any(|s| s.contains("<b>&amp;</b> more")),
        "{summaries:?}"
    );
}

// ---------------------------------------------------------------- json feed, json

#[test]
fn json_feed_has_the_required_keys_and_the_record() {
    let d = common::sample_digest();
    let v: Value = serde_json::from_str(&render(&d, Format::JsonFeed)).expect("JSON");
    assert_eq!(v["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(v["title"], "Morning brief");
    let items = v["items"].as_array().expect("items array");
    let want = entries(&d);
    assert_eq!(items.len(), want.len());
    let mut ids = HashSet::new();
    for (it, e) in items.iter().zip(&want) {
        let id = it["id"].as_str().expect("id is a string");
        assert!(ids.insert(id.to_string()), "duplicate id");
        assert!(
            it["content_html"].is_string() || it["content_text"].is_string(),
            "item needs content_html or content_text"
        );
        assert_eq!(it["_feedbrief"]["feed_url"], e.feed_url.as_str());
        match &e.disclosure {
            Some(disc) => assert_eq!(
                it["_feedbrief"]["disclosure"],
                serde_json::to_value(disc).expect("serializes")
            ),
            None => assert!(it["_feedbrief"].get("disclosure").is_none()),
        }
        if let Some(url) = source_url(e) {
            assert_eq!(it["url"], url);
        }
    }
}

#[test]
fn json_reads_back_into_the_same_digest() {
    let d = common::sample_digest();
    let back: Digest = serde_json::from_str(&render(&d, Format::Json)).expect("parses as a Digest");
    assert_eq!(back, d);
}

// ---------------------------------------------------------------- all formats

#[test]
fn same_digest_gives_the_same_bytes() {
    let d = common::sample_digest();
    // A copy that went through serialization, as a digest rebuilt from the store would.
    let copy: Digest = serde_json::from_str(&serde_json::to_string(&d).expect("ser")).expect("de");
    for f in Format::ALL {
        let a = export::render_to_vec(&d, f).expect("render");
        let b = export::render_to_vec(&d, f).expect("render");
        let c = export::render_to_vec(&copy, f).expect("render");
        assert!(!a.is_empty(), "{f}: empty output");
        assert_eq!(a, b, "{f}: two renders differ");
        assert_eq!(a, c, "{f}: a rebuilt digest renders differently");
    }
}

#[test]
fn an_empty_digest_is_still_valid_in_every_format() {
    let mut d = common::sample_digest();
    d.groups.clear();
    let md = render(&d, Format::Markdown);
    assert!(md.contains("No items in this period."));
    let feed = feed_rs::parser::parse(render(&d, Format::Atom).as_bytes()).expect("atom parses");
    assert!(feed.entries.is_empty());
    let v: Value = serde_json::from_str(&render(&d, Format::JsonFeed)).expect("json feed");
    assert_eq!(v["items"], serde_json::json!([]));
    let doc = Html::parse_document(&render(&d, Format::Html));
    assert_eq!(doc.select(&sel("script")).count(), 0);
}

#[test]
fn times_follow_the_digest_timezone() {
    let mut d = common::sample_digest();
    let md = render(&d, Format::Markdown);
    // 18:41 UTC is 19:41 in Berlin in November.
    assert!(md.contains("2026-11-28 19:41 CET"), "{md}");
    d.timezone = None;
    let md = render(&d, Format::Markdown);
    assert!(md.contains("2026-11-28 18:41 UTC"));
}

#[test]
fn html_marks_non_english_titles_and_summaries() {
    let doc = Html::parse_document(&render(&common::sample_digest(), Format::Html));
    let zh_title = doc
        .select(&sel("h3[lang=\"zh-CN\"]"))
        .map(|h| h.text().collect::<String>())
        .collect::<Vec<_>>();
    assert_eq!(
        zh_title,
        vec!["前十个月全国规上工业企业利润同比增长4.2%".to_string()]
    );
    assert_eq!(doc.select(&sel("p[lang=zh]")).count(), 1);
    // English items need no attribute: the page is lang="en".
    assert!(
        doc.select(&sel("h3[lang=en], h3[lang=en-US]"))
            .next()
            .is_none()
    );
}
