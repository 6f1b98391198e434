//! Page bytes + URL -> `Article`: main text and page metadata.
//!
//! PLACEHOLDER (to be replaced by the extraction work of issue 4): a minimal
//! paragraph collector so the pipeline can run end to end.

use std::path::Path;

use url::Url;

use crate::error::{Error, Result};
use crate::model::{Article, Basis, Extraction};

/// Per-site extraction rules (FiveFilters site-config format), loaded once.
#[derive(Debug, Clone, Default)]
pub struct SiteRules {}

impl SiteRules {
    /// Load every `*.txt` rule file in `dir`.
    pub fn load_dir(_dir: &Path) -> Result<SiteRules> {
        Ok(SiteRules {})
    }
}

/// Per-call options: the feed's CSS selector override and the loaded site rules.
#[derive(Debug, Clone, Copy)]
pub struct ExtractOptions<'a> {
    pub selector: Option<&'a str>,
    pub rules: &'a SiteRules,
    /// HTTP `Content-Type` (its charset is used to decode the bytes).
    pub content_type: Option<&'a str>,
}

/// Extract the article from one page.
pub fn article(bytes: &[u8], url: &Url, opts: &ExtractOptions) -> Result<Article> {
    let html = String::from_utf8_lossy(bytes);
    let doc = scraper::Html::parse_document(&html);
    let sel = opts
        .selector
        .and_then(|s| scraper::Selector::parse(s).ok())
        .unwrap_or_else(|| scraper::Selector::parse("p").expect("static selector"));
    let paras: Vec<String> = doc
        .select(&sel)
        .map(|p| crate::util::collapse_ws(&p.text().collect::<String>()))
        .filter(|t| !t.is_empty())
        .collect();
    if paras.is_empty() {
        return Err(Error::Extract(format!("{url}: no text found")));
    }
    let text = paras.join("\n\n");
    let title_sel = scraper::Selector::parse("title").expect("static selector");
    Ok(Article {
        url: url.to_string(),
        title: doc
            .select(&title_sel)
            .next()
            .map(|t| crate::util::collapse_ws(&t.text().collect::<String>())),
        extraction: Extraction {
            method: "paragraphs".into(),
            word_count: text.split_whitespace().count(),
            basis: Basis::FullText,
            note: None,
        },
        text,
        ..Article::default()
    })
}
