//! Feed discovery: the feeds an HTML page advertises with `<link rel="alternate">`
//! (RSS, Atom, JSON Feed, RDF), made absolute against the page's URL. Pure: the page
//! is fetched by `fetch`, the caller decides which one to follow.

use url::Url;

/// Media types (their subtype part) that announce a feed.
const FEED_TYPES: [&str; 4] = ["rss+xml", "atom+xml", "feed+json", "rdf+xml"];

/// The feeds `page` links to, in document order, without repeats.
pub(crate) fn discover(page: &[u8], page_url: &Url) -> Vec<Url> {
    let html = String::from_utf8_lossy(page);
    let doc = scraper::Html::parse_document(&html);
    let Ok(sel) = scraper::Selector::parse("link[rel][href]") else {
        return Vec::new();
    };
    let mut found: Vec<Url> = Vec::new();
    for l in doc.select(&sel) {
        let el = l.value();
        let alternate = el.attr("rel").is_some_and(|r| {
            r.split_ascii_whitespace()
                .any(|w| w.eq_ignore_ascii_case("alternate"))
        });
        let is_feed = el.attr("type").is_some_and(|t| {
            let t = t.to_ascii_lowercase();
            FEED_TYPES.iter().any(|k| t.contains(k))
        });
        if !(alternate && is_feed) {
            continue;
        }
        let Some(url) = el.attr("href").and_then(|h| page_url.join(h.trim()).ok()) else {
            continue;
        };
        if matches!(url.scheme(), "http" | "https") && !found.contains(&url) {
            found.push(url);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://news.example/section/page.html").unwrap()
    }

    #[test]
    fn feeds_are_found_in_order_and_made_absolute() {
        let page = br#"<html><head>
            <link rel="stylesheet" href="/s.css">
            <link rel="alternate" type="text/html" href="/fr/">
            <link rel="Alternate" type="application/RSS+XML" href="../rss.xml">
            <link rel="alternate home" type="application/atom+xml" href="https://cdn.example/atom">
            <link rel="alternate" type="application/feed+json" href="feed.json">
            <link rel="alternate" type="application/rss+xml" href="/rss.xml">
        </head><body></body></html>"#;
        let got: Vec<String> = discover(page, &base())
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(
            got,
            [
                "https://news.example/rss.xml",
                "https://cdn.example/atom",
                "https://news.example/section/feed.json",
            ]
        );
    }

    #[test]
    fn pages_without_feeds_and_hostile_links_give_nothing() {
        assert!(discover(b"<html><body>no head</body></html>", &base()).is_empty());
        assert!(discover(b"\xff\xfe\x00garbage<<", &base()).is_empty());
        let js = br#"<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">"#;
        assert!(discover(js, &base()).is_empty());
        let no_type = br#"<link rel="alternate" href="/rss.xml">"#;
        assert!(discover(no_type, &base()).is_empty());
    }
}
