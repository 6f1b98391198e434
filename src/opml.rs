//! OPML 2.0 subscription lists, both ways: outlines with `xmlUrl` -> feeds (a parent
//! outline's title and each `category` entry become tags), and feeds -> an OPML
//! document.

use quick_xml::events::Event;
use url::Url;

use crate::config::FeedConfig;
use crate::error::{Error, Result};

/// Feeds listed in an OPML document. Outlines without a usable http(s) `xmlUrl` are
/// skipped and reported in the second list (with the reason).
pub fn parse(bytes: &[u8]) -> Result<(Vec<FeedConfig>, Vec<String>)> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    reader.config_mut().trim_text(true);
    let mut buf = Vec::new();
    // Titles of the enclosing category outlines.
    let mut stack: Vec<Option<String>> = Vec::new();
    let mut feeds = Vec::new();
    let mut skipped = Vec::new();
    let mut seen_opml = false;
    loop {
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|source| Error::Opml {
                position: reader.buffer_position(),
                source,
            })?;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name = e.local_name();
                let is_empty = matches!(ev, Event::Empty(_));
                if is(name.into_inner(), "opml") {
                    seen_opml = true;
                }
                if !is(name.into_inner(), "outline") {
                    continue;
                }
                let attr = |key: &str| -> Option<String> {
                    e.attributes().flatten().find_map(|a| {
                        is(a.key.local_name().into_inner(), key)
                            .then(|| {
                                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                    .map(|v| v.trim().to_string())
                                    .ok()
                            })
                            .flatten()
                    })
                };
                let title = attr("title")
                    .or_else(|| attr("text"))
                    .filter(|t| !t.is_empty());
                match attr("xmlUrl") {
                    Some(raw) => {
                        match Url::parse(&raw) {
                            Ok(url) if matches!(url.scheme(), "http" | "https") => {
                                let name = title.clone().unwrap_or_else(|| {
                                    url.host_str().unwrap_or("feed").to_string()
                                });
                                let mut f = FeedConfig::new(name, url);
                                // Folder titles first, then the `category` list
                                // (comma-separated; a "/a/b" path is the tag "a/b").
                                let categories = attr("category").unwrap_or_default();
                                for tag in stack.iter().flatten().map(String::as_str).chain(
                                    categories
                                        .split(',')
                                        .map(|c| c.trim().trim_start_matches('/').trim()),
                                ) {
                                    if !tag.is_empty() && !f.tags.iter().any(|t| t == tag) {
                                        f.tags.push(tag.to_string());
                                    }
                                }
                                feeds.push(f);
                            }
                            _ => skipped.push(format!("{raw}: not an http(s) URL")),
                        }
                        if !is_empty {
                            stack.push(None);
                        }
                    }
                    None => {
                        if !is_empty {
                            stack.push(title);
                        }
                    }
                }
            }
            Event::End(ref e) if is(e.local_name().into_inner(), "outline") => {
                stack.pop();
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !seen_opml {
        return Err(Error::Other(
            "not an OPML document (no <opml> element)".into(),
        ));
    }
    Ok((feeds, skipped))
}

/// An OPML 2.0 document listing `feeds`, grouped under their first tag, each outline
/// carrying all its tags in `category`.
pub(crate) fn write(title: &str, feeds: &[FeedConfig]) -> String {
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n");
    out.push_str(&format!(
        "  <head>\n    <title>{}</title>\n  </head>\n  <body>\n",
        esc(title)
    ));
    let outline = |f: &FeedConfig, indent: &str| {
        // Every tag in `category` (the folder shows only the first).
        let category = if f.tags.is_empty() {
            String::new()
        } else {
            format!(" category=\"{}\"", esc(&f.tags.join(",")))
        };
        format!(
            "{indent}<outline type=\"rss\" text=\"{n}\" title=\"{n}\" xmlUrl=\"{u}\"{category}/>\n",
            n = esc(&f.name),
            u = esc(f.url.as_str())
        )
    };
    let mut groups: Vec<(&str, Vec<&FeedConfig>)> = Vec::new();
    for f in feeds {
        let tag = f.tags.first().map(String::as_str).unwrap_or("");
        match groups.iter_mut().find(|(t, _)| *t == tag) {
            Some((_, v)) => v.push(f),
            None => groups.push((tag, vec![f])),
        }
    }
    for (tag, fs) in groups {
        if tag.is_empty() {
            for f in fs {
                out.push_str(&outline(f, "    "));
            }
        } else {
            out.push_str(&format!(
                "    <outline text=\"{t}\" title=\"{t}\">\n",
                t = esc(tag)
            ));
            for f in fs {
                out.push_str(&outline(f, "      "));
            }
            out.push_str("    </outline>\n");
        }
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

fn is(name: &str, want: &str) -> bool {
    name.eq_ignore_ascii_case(want)
}

fn esc(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_categories_become_tags_and_bad_urls_are_reported() {
        let doc = br#"<?xml version="1.0"?>
<opml version="2.0"><head><title>x</title></head><body>
  <outline text="News">
    <outline type="rss" text="Example &amp; Co" xmlUrl="https://ex.com/feed.xml"/>
    <outline type="rss" text="Bad" xmlUrl="javascript:alert(1)"/>
  </outline>
  <outline type="rss" title="Loose" xmlUrl="http://loose.example/rss"></outline>
</body></opml>"#;
        let (feeds, skipped) = parse(doc).unwrap();
        assert_eq!(feeds.len(), 2);
        assert_eq!(feeds[0].name, "Example & Co");
        assert_eq!(feeds[0].tags, vec!["News".to_string()]);
        assert!(feeds[1].tags.is_empty());
        assert_eq!(skipped.len(), 1);
    }

    #[test]
    fn round_trips() {
        let mut a = FeedConfig::new("A <1>", Url::parse("https://a.example/f?x=1&y=2").unwrap());
        a.tags = vec!["world".into(), "daily news".into(), "tech".into()];
        let b = FeedConfig::new("B", Url::parse("https://b.example/rss").unwrap());
        let text = write("feeds", &[a.clone(), b.clone()]);
        let (back, skipped) = parse(text.as_bytes()).unwrap();
        assert!(skipped.is_empty());
        assert_eq!(back, vec![a, b]);
    }

    #[test]
    fn category_lists_become_tags_after_the_folder() {
        let doc = br#"<opml version="2.0"><body><outline text="News">
  <outline type="rss" text="A" xmlUrl="https://a.example/f" category="News, /Tech/Linux,,local"/>
</outline></body></opml>"#;
        let (feeds, _) = parse(doc).unwrap();
        assert_eq!(feeds[0].tags, vec!["News", "Tech/Linux", "local"]);
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(parse(b"<html><body>hi</body></html>").is_err());
        assert!(parse(b"\x00\x01<<<").is_err());
    }

    #[test]
    fn unreadable_xml_keeps_the_parser_error_as_its_cause() {
        let err = parse(b"<opml><body><outline text=\"a\"></body></opml>").unwrap_err();
        assert!(matches!(err, Error::Opml { .. }), "{err:?}");
        let cause = std::error::Error::source(&err).map(|c| c.to_string());
        assert!(cause.is_some_and(|c| !c.is_empty()));
    }
}
