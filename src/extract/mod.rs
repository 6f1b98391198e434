//! Page bytes + URL -> `Article`: the main text as plain paragraphs and the page's
//! metadata (title, authors, dates, language, canonical URL, JSON-LD types...).
//!
//! One parse, then linear passes over a flat copy of the tree: `decode` picks the
//! charset, `prescan` drops what is never read, `dom` flattens and classifies,
//! `meta` reads tags and JSON-LD, `score` finds the content, `text` renders it.
//! Site rules (`rules`) and a per-feed CSS selector override the scoring.

pub(crate) mod choose;
mod decode;
mod dom;
mod meta;
mod paywall;
mod prescan;
mod rules;
mod score;
mod text;

use scraper::{ElementRef, Html, Selector};
use url::Url;

pub(crate) use rules::Rule;
pub use rules::{SiteRule, SiteRules};

use crate::error::{Error, Result};
use crate::model::{Article, Basis, Extraction};
use crate::text::collapse_ws;
use crate::text::language::{detect as detect_lang, normalize_lang};
use crate::text::scripts::is_cjk;
use crate::util::absolute_link;
use dom::{Flat, Tag};

/// Per-call options: the feed's CSS selector override and the loaded site rules.
#[derive(Debug, Clone, Copy)]
pub struct ExtractOptions<'a> {
    pub selector: Option<&'a str>,
    pub rules: &'a SiteRules,
    /// HTTP `Content-Type` (its charset is used to decode the bytes).
    pub content_type: Option<&'a str>,
}

/// A page marked not free (`isAccessibleForFree: false`) with fewer words than this
/// is a teaser, not the article.
const PAYWALL_STUB_WORDS: usize = 300;
/// `<noscript>` bodies are parsed when the rest of the page gave no text and they hold
/// at least this many bytes.
const NOSCRIPT_MIN_BYTES: usize = 500;

/// Extract the article from one page.
///
/// Errors only for input that is not a web page at all (empty or binary); a page
/// without recognisable article text gives an `Article` with empty `text` and
/// whatever metadata it has.
pub fn article(bytes: &[u8], url: &Url, opts: &ExtractOptions) -> Result<Article> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::Extract(format!("{url}: empty page")));
    }
    if looks_binary(bytes) {
        return Err(Error::Extract(format!(
            "{url}: not an HTML page (binary data)"
        )));
    }
    let source = decode::decode(bytes, opts.content_type);
    let site = url.host_str().and_then(|h| opts.rules.for_host(h));
    // Site rules and selectors may name any attribute; only without them can the
    // prescan drop attributes that scoring never reads.
    let lean = site.is_none() && opts.selector.is_none();
    let pre = prescan::prescan_with(&source, lean, false);
    let doc = Html::parse_document(&pre.html);
    let mut flat = Flat::build(&doc);
    tracing::debug!(
        source = source.len(),
        prescanned = pre.html.len(),
        nodes = flat.nodes.len(),
        text = flat.nodes.first().map_or(0, |n| n.text),
        "Parsed."
    );
    let jsonld: Vec<&str> = pre
        .jsonld
        .iter()
        .filter_map(|r| source.get(r.clone()))
        .collect();
    let meta = meta::read(&flat, &jsonld);

    if let Some(site) = site
        && !site.strip.is_empty()
    {
        let hits = matching(&flat, site.strip.iter().map(|r| &r.selector));
        for i in hits {
            flat.mark_skip(i);
        }
        flat.refresh_stats();
    }

    let mut method = "scored";
    let mut paras: Option<Vec<String>> = None;
    if let Some(css) = opts.selector {
        let sel = Selector::parse(css)
            .map_err(|e| Error::Extract(format!("bad selector {css:?}: {e}")))?;
        paras = render_matches(&mut flat, std::iter::once(&sel));
        if paras.is_some() {
            method = "selector";
        }
    }
    if paras.is_none()
        && let Some(site) = site
        && !site.body.is_empty()
    {
        paras = render_matches(&mut flat, site.body.iter().map(|r| &r.selector));
        if paras.is_some() {
            method = "site_rule";
        }
    }
    let mut paras = match paras {
        Some(p) => p,
        None => scored_text(&flat),
    };
    if paras.is_empty() && method == "scored" && pre.noscript_bytes >= NOSCRIPT_MIN_BYTES {
        // Nothing readable outside <noscript>: the page keeps its text for browsers
        // without JavaScript there (forum software's crawler view). Parse it too.
        let pre = prescan::prescan_with(&source, lean, true);
        let doc = Html::parse_document(&pre.html);
        paras = scored_text(&Flat::build(&doc));
    }

    if method == "scored"
        && let Some(body) = meta.ld.body.as_deref()
    {
        let ld_paras = jsonld_paragraphs(body);
        let ld_words: usize = ld_paras.iter().map(|p| word_count(p)).sum();
        let dom_words: usize = paras.iter().map(|p| word_count(p)).sum();
        // The publisher's own copy wins when the page scoring found clearly less; it
        // is often truncated on paywalled pages, so it never replaces a longer text.
        if ld_words >= 30 && ld_words as f32 > dom_words as f32 * 1.3 {
            paras = ld_paras;
            method = "jsonld";
        }
    }

    let title = rule_text(&flat, site.map(|s| &s.title[..])).or_else(|| pick_title(&flat, &meta));
    if let Some(t) = &title {
        // The headline is never part of the body text.
        if paras.first().is_some_and(|p| p == t) {
            paras.remove(0);
        }
    }
    let text = paras.join("\n\n");
    let word_count = word_count(&text);

    let published = rule_text(&flat, site.map(|s| &s.date[..]))
        .and_then(|d| meta::parse_date(&d))
        .or(meta.ld.published)
        .or(meta.published);
    let mut authors = if let Some(a) = rule_text(&flat, site.map(|s| &s.author[..])) {
        vec![a]
    } else if !meta.ld.authors.is_empty() {
        meta.ld.authors.clone()
    } else {
        meta.authors.clone()
    };
    authors.retain(|a| a.len() < 100 && !a.starts_with("http"));

    let language = [
        meta.html_lang.as_deref(),
        meta.meta_lang.as_deref(),
        meta.og_locale.as_deref(),
        meta.ld.language.as_deref(),
    ]
    .into_iter()
    .flatten()
    .find_map(normalize_lang)
    .or_else(|| detect_lang(&text));

    let canonical_url = [
        meta.canonical.as_deref(),
        meta.og_url.as_deref(),
        meta.ld.url.as_deref(),
    ]
    .into_iter()
    .flatten()
    .find_map(|u| absolute_link(u, Some(url)));

    let mut sections = meta.ld.sections.clone();
    for s in &meta.sections {
        if !sections.iter().any(|x| x.eq_ignore_ascii_case(s)) {
            sections.push(s.clone());
        }
    }
    let mut keywords = meta.keywords.clone();
    for k in &meta.ld.keywords {
        if !keywords.iter().any(|x| x.eq_ignore_ascii_case(k)) {
            keywords.push(k.clone());
        }
    }
    let accessible_for_free = meta.ld.free;
    let stub = accessible_for_free == Some(false) && word_count < PAYWALL_STUB_WORDS;
    let extraction = Extraction {
        method: if text.is_empty() { "none" } else { method }.to_string(),
        word_count,
        basis: if stub {
            Basis::Partial
        } else {
            Basis::FullText
        },
        note: stub.then(|| "paywall: the page is marked not free and carries little text".into()),
    };
    Ok(Article {
        url: url.to_string(),
        canonical_url,
        title,
        text,
        authors,
        published,
        modified: meta.ld.modified.or(meta.modified),
        language,
        site_name: meta.site_name.clone().or_else(|| meta.ld.publisher.clone()),
        description: meta
            .description
            .clone()
            .or_else(|| meta.ld.description.clone()),
        jsonld_types: meta.ld.types.clone(),
        sections,
        keywords,
        og_type: meta.og_type.clone(),
        accessible_for_free,
        extraction,
        signals: crate::model::PageSignals {
            article_opinion: meta.article_opinion,
            generator: meta.generator.clone(),
            rating: meta.ld.rating.iter().chain(&meta.rating).cloned().collect(),
            header: meta.header.clone(),
            notices: meta.notices.clone(),
        },
    })
}

fn scored_text(flat: &Flat) -> Vec<String> {
    score::choose(flat)
        .map(|c| text::render(flat, &c.parts))
        .unwrap_or_default()
}

/// NUL bytes or many control characters early on: an image, PDF or archive.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(2048)];
    if encoding_rs::Encoding::for_bom(head).is_some_and(|(e, _)| e != encoding_rs::UTF_8) {
        return false;
    }
    let control = head
        .iter()
        .filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)))
        .count();
    head.contains(&0) || control * 20 > head.len()
}

/// Arena indices of elements matched by any selector, outermost only, in order.
fn matching<'s>(flat: &Flat, sels: impl Iterator<Item = &'s Selector> + Clone) -> Vec<usize> {
    let mut hits = Vec::new();
    let mut i = 0;
    while i < flat.nodes.len() {
        let node = &flat.nodes[i];
        if let Some(el) = ElementRef::wrap(node.node)
            && sels.clone().any(|s| s.matches(&el))
        {
            hits.push(i);
            i = node.end as usize;
            continue;
        }
        i += 1;
    }
    hits
}

fn render_matches<'s>(
    flat: &mut Flat,
    sels: impl Iterator<Item = &'s Selector> + Clone,
) -> Option<Vec<String>> {
    let hits = matching(flat, sels);
    if hits.is_empty() {
        return None;
    }
    // The caller named these elements: a class that looks like boilerplate on them
    // or their ancestors does not veto the choice.
    for &h in &hits {
        flat.unskip(h);
    }
    flat.refresh_stats();
    let paras = text::render(flat, &hits);
    (!paras.is_empty()).then_some(paras)
}

/// Text (or attribute value) of the first element a rule matches.
fn rule_text(flat: &Flat, rules: Option<&[Rule]>) -> Option<String> {
    for r in rules? {
        for n in &flat.nodes {
            let Some(el) = ElementRef::wrap(n.node) else {
                continue;
            };
            if !r.selector.matches(&el) {
                continue;
            }
            let v = match &r.attr {
                Some(a) => el.value().attr(a).map(collapse_ws),
                None => Some(collapse_ws(&el.text().collect::<String>())),
            };
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                return Some(v);
            }
        }
    }
    None
}

/// JSON-LD `articleBody` as paragraphs (some publishers put HTML in it).
fn jsonld_paragraphs(body: &str) -> Vec<String> {
    let body = if body.contains("</p>") || body.contains("<br") {
        let frag = Html::parse_fragment(body);
        let mut s = String::new();
        for t in frag.root_element().text() {
            s.push_str(t);
        }
        s
    } else {
        body.to_string()
    };
    body.split('\n')
        .map(collapse_ws)
        .filter(|p| !p.is_empty())
        .collect()
}

/// Headline: og:title, JSON-LD headline, the first `<h1>`, `<title>`; a site-name
/// suffix or prefix is removed.
fn pick_title(flat: &Flat, meta: &meta::PageMeta) -> Option<String> {
    let h1 = || {
        flat.nodes.iter().find(|n| n.tag == Tag::H1).and_then(|n| {
            ElementRef::wrap(n.node).map(|e| collapse_ws(&e.text().collect::<String>()))
        })
    };
    // An <h1> that the <title> does not contain is usually the site's logo.
    let h1 = || {
        h1().filter(|h| {
            meta.title_tag
                .as_deref()
                .is_none_or(|t| t.to_lowercase().contains(&h.to_lowercase()))
        })
    };
    let raw = meta
        .og_title
        .clone()
        .or_else(|| meta.ld.headline.clone())
        .or_else(h1)
        .or_else(|| meta.title_tag.clone())?;
    let site = meta.site_name.as_deref().or(meta.ld.publisher.as_deref());
    let t = strip_site_name(&raw, site);
    (!t.is_empty()).then_some(t)
}

fn strip_site_name(title: &str, site: Option<&str>) -> String {
    for sep in [" | ", " - ", " – ", " — ", " :: ", " · ", " « ", " » "] {
        if let Some((head, tail)) = title.rsplit_once(sep) {
            let tail_l = tail.trim().to_lowercase();
            let is_site = site.is_some_and(|s| {
                let s = s.to_lowercase();
                tail_l == s || tail_l.contains(&s) || s.contains(&tail_l)
            }) || tail_l.contains(".com")
                || tail_l.contains(".org")
                || tail_l.contains(".co.");
            if is_site && head.len() > 10 {
                return head.trim().to_string();
            }
        }
        if let Some((head, tail)) = title.split_once(sep)
            && site.is_some_and(|s| head.trim().eq_ignore_ascii_case(s))
            && tail.len() > 10
        {
            return tail.trim().to_string();
        }
    }
    title.trim().to_string()
}

/// Words for counting: whitespace-separated tokens, and each CJK character.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace()
        .map(|w| {
            let cjk = w.chars().filter(|&c| is_cjk(c)).count();
            if cjk > 0 {
                cjk + usize::from(w.chars().any(|c| c.is_alphanumeric() && !is_cjk(c)))
            } else {
                1
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_suffixes_leave_titles() {
        assert_eq!(
            strip_site_name("Storm hits coast | The Daily", Some("The Daily")),
            "Storm hits coast"
        );
        assert_eq!(
            strip_site_name("The Daily - Storm hits the coast", Some("The Daily")),
            "Storm hits the coast"
        );
        assert_eq!(
            strip_site_name("Storm hits coast - example.com", None),
            "Storm hits coast"
        );
        assert_eq!(
            strip_site_name("Left - Right debate rages on", None),
            "Left - Right debate rages on"
        );
    }

    #[test]
    fn languages_normalize_to_primary_subtag() {
        assert_eq!(normalize_lang("en-US").as_deref(), Some("en"));
        assert_eq!(normalize_lang("pt_BR").as_deref(), Some("pt"));
        assert_eq!(normalize_lang("x1").as_deref(), None);
    }

    #[test]
    fn cjk_characters_count_as_words() {
        assert_eq!(word_count("one two  three"), 3);
        assert_eq!(word_count("東京で会議"), 5);
    }
}
