//! Plain data passed between stages (Item, Article, Summary, Disclosure); no I/O here.
//!
//! Every stage takes and returns these types, so each field documents where it comes
//! from. Optional fields are `None` when the source simply does not say.

mod feed_state;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use feed_state::{CacheHints, FeedIdentity, FeedState, FeedStatus, Validators};

/// One feed document after parsing and normalization (`feed::parse`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ParsedFeed {
    /// Feed title as plain text.
    pub title: Option<String>,
    /// The site (alternate) link of the feed, absolute.
    pub site_link: Option<String>,
    /// Declared language (`<language>`, `dc:language`, `xml:lang`, JSON `language`).
    pub language: Option<String>,
    /// RSS `<ttl>` (or `sy:updatePeriod`/`sy:updateFrequency`), in minutes: a hint for the scheduler.
    pub ttl_minutes: Option<u32>,
    /// Entries in document order.
    pub items: Vec<Item>,
}

/// One feed entry, normalized. Identity (`key`) is decided once, in `feed.rs`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// Stable identity within the feed: guid; guid|link when guids collide in the
    /// document; else link; else `sha256:` of title and content. Never random.
    pub key: String,
    /// The document's own id as written (RSS guid, Atom id, RSS 1.0 rdf:about, JSON id).
    pub guid: Option<String>,
    /// Main link, absolute, tracking parameters (utm_*, fbclid, ...) removed.
    pub link: Option<String>,
    /// The same link as the document gives it (absolute, tracking parameters kept): what
    /// `feedbrief parse` reports. Derived from the document at parse time, never stored
    /// (records and their hashes stay as they were); `link` is what the pipeline uses.
    #[serde(skip)]
    pub document_link: Option<String>,
    /// Title as plain text.
    pub title: Option<String>,
    /// UTC publication date (RSS pubDate, Atom published/issued, dcterms:issued).
    pub published: Option<DateTime<Utc>>,
    /// UTC update date (Atom updated/modified, dc:date, dcterms:modified).
    pub updated: Option<DateTime<Utc>>,
    /// Author names, first one is the main author.
    pub authors: Vec<String>,
    /// Short description as plain text (RSS description, Atom summary, ...).
    pub summary: Option<String>,
    /// Full content as plain text (content:encoded, Atom content, JSON content_*).
    pub content_text: Option<String>,
    /// Full content as sanitized HTML (no scripts, styles or event handlers), absolute links.
    pub content_html: Option<String>,
    /// Enclosure URLs (RSS enclosure, Atom rel=enclosure, JSON attachments), absolute.
    pub enclosures: Vec<Enclosure>,
    /// Category terms, whitespace-collapsed and deduplicated.
    pub categories: Vec<String>,
}

impl Item {
    /// The longest text the feed carries for this entry (content, else summary).
    pub fn feed_text(&self) -> Option<&str> {
        let c = self
            .content_text
            .as_deref()
            .filter(|s| !s.trim().is_empty());
        let s = self.summary.as_deref().filter(|s| !s.trim().is_empty());
        match (c, s) {
            (Some(c), Some(s)) => Some(if s.len() > c.len() { s } else { c }),
            (c, s) => c.or(s),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enclosure {
    pub url: String,
    pub mime_type: Option<String>,
    pub length: Option<u64>,
}

/// What the text behind a summary was.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The article page was fetched and its full text extracted.
    #[default]
    FullText,
    /// Only the feed's own excerpt/content was available.
    FeedExcerpt,
    /// The page was fetched but holds only part of the article (paywall stub, teaser).
    Partial,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::FullText => "full_text",
            Basis::FeedExcerpt => "feed_excerpt",
            Basis::Partial => "partial",
        }
    }
}

/// An article page after extraction (`extract::article`), or the feed's own text when
/// the page could not be used (then `extraction.basis` says so).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// URL the page was finally fetched from (after redirects).
    pub url: String,
    /// `<link rel=canonical>`, og:url or JSON-LD `url`/`mainEntityOfPage`, absolute.
    pub canonical_url: Option<String>,
    /// Headline: og:title, JSON-LD headline, `<h1>`, `<title>` (site suffix removed).
    pub title: Option<String>,
    /// Main text as plain text: paragraphs and list items separated by blank lines.
    pub text: String,
    /// Author names (JSON-LD author, meta author, article:author, byline).
    pub authors: Vec<String>,
    /// article:published_time, JSON-LD datePublished, `<time>`... in UTC.
    pub published: Option<DateTime<Utc>>,
    /// article:modified_time, JSON-LD dateModified, in UTC.
    pub modified: Option<DateTime<Utc>>,
    /// Language: `<html lang>`, og:locale, JSON-LD inLanguage, else detected from text.
    pub language: Option<String>,
    /// og:site_name, JSON-LD publisher name.
    pub site_name: Option<String>,
    /// meta description / og:description.
    pub description: Option<String>,
    /// Every JSON-LD `@type` on the page (inside `@graph`, arrays, nested main entity).
    pub jsonld_types: Vec<String>,
    /// JSON-LD articleSection and `article:section` meta values.
    pub sections: Vec<String>,
    /// `article:tag`, meta keywords, JSON-LD keywords.
    pub keywords: Vec<String>,
    /// og:type.
    pub og_type: Option<String>,
    /// JSON-LD `isAccessibleForFree` (false = paywalled); also false when the page's
    /// own text is a subscription or login wall (`extract::paywall`; the extraction
    /// note quotes it).
    pub accessible_for_free: Option<bool>,
    /// How the text was obtained.
    pub extraction: Extraction,
    /// Further marks the page carries about the kind of work (for disclosure).
    #[serde(default, skip_serializing_if = "PageSignals::is_empty")]
    pub signals: PageSignals,
}

/// What a page says about the kind of work it is, beyond sections and types: the
/// disclosure stage weighs these (`disclose::source_type`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PageSignals {
    /// `<meta property="article:opinion">` (some sites set it false on columns too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article_opinion: Option<bool>,
    /// `<meta name="generator">` (WordPress, Blogger, Ghost...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generator: Option<String>,
    /// Rating markup: JSON-LD `reviewRating`/`ratingValue` on a review, microdata
    /// `itemprop="ratingValue"`; each as `where:what`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rating: Vec<String>,
    /// Short texts next to the headline (kicker, label, byline), in page order;
    /// never from navigation, asides or footers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub header: Vec<String>,
    /// Short notices about money (affiliate links, sponsorship) anywhere outside
    /// navigation, footers and link lists ("When you buy through our links...").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<String>,
}

impl PageSignals {
    pub fn is_empty(&self) -> bool {
        self.article_opinion.is_none()
            && self.generator.is_none()
            && self.rating.is_empty()
            && self.header.is_empty()
            && self.notices.is_empty()
    }
}

/// The extraction record stored beside every article.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Extraction {
    /// `jsonld`, `site_rule`, `selector`, `scored`, `feed` ...
    pub method: String,
    pub word_count: usize,
    pub basis: Basis,
    /// Why a fallback happened (page failed, too short, paywall), if it did.
    pub note: Option<String>,
}

/// Which summarizer produced a summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SummaryMethod {
    #[default]
    Extractive,
    Llm,
}

impl SummaryMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            SummaryMethod::Extractive => "extractive",
            SummaryMethod::Llm => "llm",
        }
    }
}

/// What a summarizer is given: the text and what is known about it.
#[derive(Debug, Clone, Copy)]
pub struct SummaryInput<'a> {
    pub text: &'a str,
    pub title: Option<&'a str>,
    /// ISO 639-1 code when known ("en", "zh"); the summarizer may detect it otherwise.
    pub lang: Option<&'a str>,
}

/// A summary and the provenance of how it was made.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Sentences in output order (document order for extractive summaries).
    pub sentences: Vec<String>,
    /// The method that actually produced the sentences (after any fallback).
    pub method: SummaryMethod,
    /// Model name, for llm summaries.
    pub model: Option<String>,
    /// Host of the model endpoint, for llm summaries.
    pub endpoint_host: Option<String>,
    /// Version of the prompt template, for llm summaries.
    pub prompt_version: Option<String>,
    /// `sha256:` hex of the input text.
    pub input_hash: String,
    pub generated_at: DateTime<Utc>,
    /// Language of the summary (ISO 639-1), when known.
    pub language: Option<String>,
    /// Numbers, dates and names in an llm summary that the source text does not contain.
    pub unsupported: Vec<String>,
    /// Why the configured method was not used (llm error, refusal, budget spent...).
    pub fallback_reason: Option<String>,
}

impl Summary {
    /// The summary as one paragraph (CJK sentences are joined without spaces).
    pub fn text(&self) -> String {
        let mut out = String::new();
        for s in &self.sentences {
            let cjk_boundary = out
                .chars()
                .last()
                .is_some_and(|c| matches!(c, '。' | '！' | '？' | '」' | '”'))
                && s.chars().next().is_some_and(|c| c as u32 >= 0x2E80);
            if !out.is_empty() && !cjk_boundary {
                out.push(' ');
            }
            out.push_str(s);
        }
        out
    }
}

/// The kind of publication the source is, as labelled by evidence.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceType {
    Reportage,
    Opinion,
    Analysis,
    Review,
    Background,
    Sponsored,
    Satire,
    /// A personal or organisational blog post the publisher marks as such
    /// (BlogPosting, a `/blog/` path): neither news nor opinion journalism.
    Blog,
    #[default]
    Unknown,
}

impl SourceType {
    pub const ALL: [SourceType; 9] = [
        SourceType::Reportage,
        SourceType::Opinion,
        SourceType::Analysis,
        SourceType::Review,
        SourceType::Background,
        SourceType::Sponsored,
        SourceType::Satire,
        SourceType::Blog,
        SourceType::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SourceType::Reportage => "reportage",
            SourceType::Opinion => "opinion",
            SourceType::Analysis => "analysis",
            SourceType::Review => "review",
            SourceType::Background => "background",
            SourceType::Sponsored => "sponsored",
            SourceType::Satire => "satire",
            SourceType::Blog => "blog",
            SourceType::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<SourceType> {
        SourceType::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// Who asserted a source-type label.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssertedBy {
    /// The publisher's own markup (JSON-LD, meta, URL, headline).
    Publisher,
    /// The feed's categories.
    Feed,
    /// Our text heuristic; never shown as the publisher's label.
    Inferred,
    /// Nobody: the label is `unknown`.
    #[default]
    None,
}

/// One piece of evidence for a source-type label.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// `jsonld_type`, `section_meta`, `og_type`, `article_opinion`, `url_path`,
    /// `feed_category`, `headline_prefix`, `headline_suffix`, `headline_guide`,
    /// `header_label`, `byline`, `disclosure_line`, `rating_markup`, `generator`...
    /// (`disclose::source_type` lists them with their strength).
    pub signal: String,
    /// The value seen (e.g. `OpinionNewsArticle`, `/opinion/`).
    pub value: String,
    /// The label this evidence points to.
    pub label: SourceType,
    /// Where on the page (or feed) the evidence was seen: `jsonld`, `meta`, `url`,
    /// `feed`, `headline`, `header` (next to the headline), `first_paragraph`,
    /// `last_paragraph`, so a reader can go and check it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

/// Provenance of our own output (the machine-made summary).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MachineSummary {
    pub method: SummaryMethod,
    pub model: Option<String>,
    pub endpoint_host: Option<String>,
    pub prompt_version: Option<String>,
    pub tool_version: String,
    pub generated_at: DateTime<Utc>,
    pub input_hash: String,
    pub input_basis: Basis,
    pub human_reviewed: bool,
    /// IPTC digital source type URI, where one fits.
    pub digital_source_type: Option<String>,
    pub unsupported: Vec<String>,
    pub fallback_reason: Option<String>,
}

/// The type of the source with who said so and why.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceLabel {
    pub label: SourceType,
    pub asserted_by: AssertedBy,
    /// For `inferred` labels: the heuristic's score in [0, 1].
    pub score: Option<f32>,
    /// All evidence seen, strongest first (including evidence that lost a conflict).
    pub evidence: Vec<Evidence>,
}

/// Does the source's text voice its own judgements (evaluative or advocacy language,
/// recommendations, "should", sarcasm) beyond what it quotes from others? A separate
/// answer from the type of work: a blog post or a review can carry commentary, a
/// first-person how-to need not.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EditorialCommentary {
    /// `None`: not answered (the text is too short, or its language is one feedbrief
    /// cannot read).
    pub present: Option<bool>,
    /// `publisher` when the publisher labels the work opinion/editorial/analysis,
    /// `inferred` when it is feedbrief's reading of the text, `none` when unanswered.
    pub asserted_by: AssertedBy,
    /// For feedbrief's reading: the score in [0, 1] it gave the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f32>,
    /// What the answer rests on: the publisher's label, or the cues counted in the text
    /// (e.g. `recommendations 3`, `evaluative words 7 over 640 words`).
    pub evidence: Vec<String>,
}

/// Who published the source and where.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    pub publisher: Option<String>,
    pub domain: Option<String>,
    pub canonical_url: Option<String>,
    pub authors: Vec<String>,
    pub published: Option<DateTime<Utc>>,
    pub updated: Option<DateTime<Utc>>,
    pub language: Option<String>,
    pub feed_url: Option<String>,
}

/// Everything a reader should know about a stored summary (ARCHITECTURE.md,
/// "Disclosure metadata").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Disclosure {
    pub machine_summary: MachineSummary,
    pub source_type: SourceLabel,
    /// Whether the text carries editorial commentary (a separate answer from the type).
    #[serde(default)]
    pub editorial_commentary: EditorialCommentary,
    /// The publisher marks the page as not free to read (`isAccessibleForFree: false`).
    pub paywalled: bool,
    pub attribution: Attribution,
    /// The visible wording, one line per applicable fact (English).
    pub lines: Vec<String>,
}

/// One stored item with everything made from it, as exports and digests see it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DigestEntry {
    /// Row id in the store (stable within one database).
    pub item_id: i64,
    /// Name of the feed in feeds.toml.
    pub feed_name: String,
    /// The feed's URL (after permanent redirects).
    pub feed_url: String,
    /// The feed's title as the feed document gives it, if any.
    pub feed_title: Option<String>,
    /// The feed's tags from feeds.toml.
    pub tags: Vec<String>,
    /// When feedbrief first stored the item (UTC).
    pub first_seen: DateTime<Utc>,
    pub item: Item,
    pub article: Option<Article>,
    pub summary: Option<Summary>,
    pub disclosure: Option<Disclosure>,
}

impl DigestEntry {
    /// The time an entry is filed under: published, else updated, else first seen.
    pub fn when(&self) -> DateTime<Utc> {
        self.item
            .published
            .or(self.item.updated)
            .unwrap_or(self.first_seen)
    }
}

/// A digest ready to render: groups of entries, newest first within each group.
/// Contains nothing that depends on the clock, so one database gives the same bytes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Digest {
    /// Heading, from `[digest] title`.
    pub title: String,
    /// What the digest covers, e.g. "2026-11-28 (Europe/Berlin)" or "last 24h".
    pub period: String,
    /// Start and end of the covered period (UTC).
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub groups: Vec<DigestGroup>,
    /// IANA timezone the digest is read in (`[digest] timezone`, e.g. "Europe/Berlin");
    /// renderers show item times in it. `None` or an unknown name: UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DigestGroup {
    /// Tag or feed name (empty when not grouped).
    pub name: String,
    pub entries: Vec<DigestEntry>,
}
