//! What every renderer shows of one entry (title, source and time, disclosure lines,
//! summary, the "Read the full SITE article" link), decided once so all formats agree.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::model::DigestEntry;

/// Shown when neither the feed nor the page gave a title.
pub(crate) const UNTITLED: &str = "(untitled)";

pub(crate) struct EntryView<'a> {
    pub(crate) title: String,
    /// Publisher name, else the feed's title, else its name in feeds.toml.
    pub(crate) source: String,
    pub(crate) authors: &'a [String],
    /// When the entry is filed under, in the digest's timezone.
    pub(crate) when: String,
    /// The source article (canonical URL, else the page or feed link).
    pub(crate) url: Option<String>,
    /// Domain of the source, for "Read the full SITE article".
    pub(crate) site: Option<String>,
    pub(crate) lines: &'a [String],
    pub(crate) summary: Option<String>,
    /// Language of the source (its title), and of our summary, when known: HTML marks
    /// them so screen readers and CJK font selection do the right thing.
    pub(crate) source_lang: Option<&'a str>,
    pub(crate) summary_lang: Option<&'a str>,
}

impl<'a> EntryView<'a> {
    pub(crate) fn new(entry: &'a DigestEntry, tz: Option<Tz>) -> Self {
        let d = entry.disclosure.as_ref();
        let title = entry
            .item
            .title
            .as_deref()
            .or(entry.article.as_ref().and_then(|a| a.title.as_deref()))
            .map(crate::text::collapse_ws)
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| UNTITLED.to_string());
        let url = d
            .and_then(|d| d.attribution.canonical_url.clone())
            .or_else(|| entry.article.as_ref().map(|a| a.url.clone()))
            .or_else(|| entry.item.link.clone())
            .filter(|u| !u.trim().is_empty());
        let site = d
            .and_then(|d| d.attribution.domain.clone())
            .or_else(|| url.as_deref().and_then(crate::util::site_domain));
        let source = d
            .and_then(|d| d.attribution.publisher.clone())
            .or_else(|| entry.feed_title.clone())
            .map(|s| crate::text::collapse_ws(&s))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| entry.feed_name.clone());
        let authors = match d {
            Some(d) if !d.attribution.authors.is_empty() => &d.attribution.authors[..],
            _ => &entry.item.authors[..],
        };
        EntryView {
            title,
            source,
            authors,
            when: format_time(entry.when(), tz),
            url,
            site,
            lines: d.map(|d| &d.lines[..]).unwrap_or(&[]),
            summary: entry
                .summary
                .as_ref()
                .map(|s| s.text())
                .filter(|s| !s.trim().is_empty()),
            source_lang: d
                .and_then(|d| d.attribution.language.as_deref())
                .or(entry.article.as_ref().and_then(|a| a.language.as_deref()))
                .filter(|l| is_lang_tag(l)),
            summary_lang: entry
                .summary
                .as_ref()
                .and_then(|s| s.language.as_deref())
                .filter(|l| is_lang_tag(l)),
        }
    }

    /// "Source · Author, Author · 2026-11-28 14:05 CET".
    pub(crate) fn byline(&self) -> String {
        let mut parts = vec![self.source.clone()];
        if !self.authors.is_empty() {
            parts.push(self.authors.join(", "));
        }
        parts.push(self.when.clone());
        crate::text::collapse_ws(&parts.join(" · "))
    }

    /// The name of the site in "Read the full SITE article at: URL".
    pub(crate) fn site_name(&self) -> &str {
        self.site.as_deref().unwrap_or(&self.source)
    }
}

/// A plausible BCP 47 tag ("en", "zh-CN"); anything else is not worth a `lang` attribute.
fn is_lang_tag(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 35
        && s.split(['-', '_'])
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// "Read the full SITE article at:" (a space and the URL follow).
pub(crate) fn read_more_label(site: &str) -> String {
    format!("Read the full {site} article at:")
}

/// The digest's timezone, if it names a known one (unknown names fall back to UTC).
pub(crate) fn timezone(name: Option<&str>) -> Option<Tz> {
    name.and_then(|n| n.parse::<Tz>().ok())
}

/// "2026-11-28 14:05 CET", or "... UTC" without a timezone.
pub(crate) fn format_time(t: DateTime<Utc>, tz: Option<Tz>) -> String {
    match tz {
        Some(tz) => t.with_timezone(&tz).format("%Y-%m-%d %H:%M %Z").to_string(),
        None => t.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

/// Seconds-precision RFC 3339 in UTC: the form Atom and JSON Feed dates take.
pub(crate) fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The time a digest was last changed: the newest summary (or entry) time among
/// `entries`, else `default` (the end of its period).
pub(crate) fn latest_change<'a>(
    entries: impl Iterator<Item = &'a DigestEntry>,
    default: DateTime<Utc>,
) -> DateTime<Utc> {
    entries.map(changed_at).max().unwrap_or(default)
}

/// When an entry last changed: its summary's time, else its own.
pub(crate) fn changed_at(e: &DigestEntry) -> DateTime<Utc> {
    e.summary
        .as_ref()
        .map(|s| s.generated_at)
        .unwrap_or_else(|| e.when())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_show_in_the_digest_timezone() {
        let t = Utc.with_ymd_and_hms(2026, 11, 28, 13, 5, 0).unwrap();
        assert_eq!(format_time(t, None), "2026-11-28 13:05 UTC");
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        assert_eq!(format_time(t, Some(tz)), "2026-11-28 14:05 CET");
    }
}
