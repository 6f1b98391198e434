//! Sanitized HTML for storage: what a feed's `content_html` may keep once it leaves
//! the parser (no scripts, styles, event handlers or `javascript:` links; relative
//! links made absolute). Kept out of `parse` because most parses (evaluation, old
//! entries) never need it; the pipeline calls it for the items it stores.

use url::Url;

use crate::model::Item;

/// Sanitize every item's `content_html` in place; `base` resolves relative links.
pub fn sanitize_items(items: &mut [Item], base: Option<&Url>) {
    let mut builder = ammonia::Builder::default();
    builder.link_rel(Some("noopener noreferrer nofollow"));
    if let Some(b) = base {
        builder.url_relative(ammonia::UrlRelative::RewriteWithBase(b.clone()));
    } else {
        builder.url_relative(ammonia::UrlRelative::Deny);
    }
    for item in items {
        if let Some(html) = item.content_html.take() {
            let clean = builder.clean(&html).to_string();
            item.content_html = (!clean.trim().is_empty()).then_some(clean);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_javascript_links_are_removed_and_links_made_absolute() {
        let mut items = vec![Item {
            content_html: Some(
                r#"<p onclick="steal()">Hi <a href="/a/b">there</a><script>alert(1)</script>
                <a href="javascript:alert(2)">x</a><img src="pic.png" onerror="e()"></p>"#
                    .into(),
            ),
            ..Item::default()
        }];
        let base = Url::parse("https://news.example/feed/").unwrap();
        sanitize_items(&mut items, Some(&base));
        let html = items[0].content_html.as_deref().unwrap();
        assert!(
            !html.contains("script") && !html.contains("onclick") && !html.contains("onerror"),
            "{html}"
        );
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("https://news.example/a/b"), "{html}");
        assert!(html.contains("https://news.example/feed/pic.png"), "{html}");
    }
}
