//! Sanitized HTML for storage: what a feed's `content_html` may keep once it leaves
//! the parser (no scripts, styles, event handlers or `javascript:` links; relative
//! links made absolute; nesting no deeper than `MAX_DEPTH`). Kept out of `parse`
//! because most parses (evaluation, old entries) never need it; the pipeline calls it
//! for the items it stores.

use std::borrow::Cow;

use url::Url;

use crate::model::Item;

/// Elements nested deeper than this lose their tags (their text stays) before the HTML
/// is sanitized. The HTML5 tree builder scans its stack of open elements for many tags,
/// so a hostile `<div>`×300,000 costs time quadratic in the depth (over a minute);
/// real articles nest a few dozen levels at most.
pub(crate) const MAX_DEPTH: usize = 256;

/// Sanitize every item's `content_html` in place; `base` resolves relative links.
pub fn sanitize_items(items: &mut [Item], base: Option<&Url>) {
    let builder = builder(base);
    for item in items {
        if let Some(html) = item.content_html.take() {
            let clean = builder.clean(&cap_depth(&html, MAX_DEPTH)).to_string();
            item.content_html = (!clean.trim().is_empty()).then_some(clean);
        }
    }
}

fn builder(base: Option<&Url>) -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder.link_rel(Some("noopener noreferrer nofollow"));
    if let Some(b) = base {
        builder.url_relative(ammonia::UrlRelative::RewriteWithBase(b.clone()));
    } else {
        builder.url_relative(ammonia::UrlRelative::Deny);
    }
    builder
}

/// Elements that never hold children.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];
/// Elements a following sibling closes implicitly (`<p>a<p>b`, `<li>` in a list): the
/// tree builder keeps them flat, so counting them would see depth that is not there.
const IMPLIED_END: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot",
    "colgroup", "caption", "rb", "rp", "rt", "rtc",
];
/// Elements whose content is text up to their end tag: leaves, skipped whole.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// `html` with the tags of elements nested deeper than `max` removed, in one linear
/// pass; borrowed unchanged when nothing is that deep (the usual case). Text, comments
/// and everything at depth `max` or less are kept as written.
pub(crate) fn cap_depth(html: &str, max: usize) -> Cow<'_, str> {
    if scan(html, max, None) <= max {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    scan(html, max, Some(&mut out));
    Cow::Owned(out)
}

/// Walk the tags tracking nesting depth; return the deepest level seen. With `out`,
/// copy everything except the tags of elements deeper than `max`.
fn scan(html: &str, max: usize, mut out: Option<&mut String>) -> usize {
    let b = html.as_bytes();
    let mut depth = 0usize;
    let mut deepest = 0usize;
    let mut i = 0;
    let mut copied = 0; // bytes of `html` before this were written (or dropped)
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        let start = i + off;
        let Some(tag) = read_tag(b, start) else {
            i = start + 1;
            continue;
        };
        let name = html[tag.name.0..tag.name.1].to_ascii_lowercase();
        let raw = RAW_TEXT.contains(&name.as_str());
        let counted =
            !raw && !VOID.contains(&name.as_str()) && !IMPLIED_END.contains(&name.as_str());
        let mut end = tag.end;
        let keep = if tag.closing {
            let level = depth;
            if counted {
                depth = depth.saturating_sub(1);
            }
            !counted || level <= max
        } else {
            if counted {
                depth += 1;
                deepest = deepest.max(depth);
            }
            if raw {
                // Skip the element's text so a `<` inside a script is not read as a tag.
                end = find_end_tag(b, end, &name).unwrap_or(b.len());
            }
            !counted || depth <= max
        };
        if let Some(o) = out.as_deref_mut()
            && !keep
        {
            o.push_str(&html[copied..start]);
            copied = tag.end;
        }
        i = end.max(start + 1);
    }
    if let Some(o) = out {
        o.push_str(&html[copied..]);
    }
    deepest
}

struct Tag {
    closing: bool,
    name: (usize, usize),
    /// Just past the closing `>`.
    end: usize,
}

/// The tag starting at `b[start] == b'<'` (`<div/>` opens a div, as in HTML), or None
/// for a comment, doctype or a `<` that starts no tag (it is then text). A tag-like
/// string inside a comment is counted: that can only make the cap apply earlier.
fn read_tag(b: &[u8], start: usize) -> Option<Tag> {
    let mut j = start + 1;
    let closing = b.get(j) == Some(&b'/');
    if closing {
        j += 1;
    }
    if !b.get(j)?.is_ascii_alphabetic() {
        return None;
    }
    let name_start = j;
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-' || b[j] == b':') {
        j += 1;
    }
    let name = (name_start, j);
    // Find the `>` ending the tag, skipping quoted attribute values.
    let mut quote = None;
    while j < b.len() {
        match (quote, b[j]) {
            (None, b'"' | b'\'') => quote = Some(b[j]),
            (Some(q), c) if c == q => quote = None,
            (None, b'>') => break,
            _ => {}
        }
        j += 1;
    }
    Some(Tag {
        closing,
        name,
        end: (j + 1).min(b.len()),
    })
}

/// Just past `</name ...>` at or after `from`, case-insensitively.
fn find_end_tag(b: &[u8], from: usize, name: &str) -> Option<usize> {
    let n = name.len();
    let mut i = from;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        let at = i + off;
        if b.get(at + 1) == Some(&b'/')
            && b.get(at + 2..at + 2 + n)
                .is_some_and(|s| s.eq_ignore_ascii_case(name.as_bytes()))
        {
            return Some(memchr::memchr(b'>', &b[at..]).map_or(b.len(), |e| at + e + 1));
        }
        i = at + 1;
    }
    None
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

    #[test]
    fn html_nested_300000_deep_is_capped_with_its_text_kept() {
        let n = 300_000;
        let html = format!("{}deep text{}", "<div>".repeat(n), "</div>".repeat(n));
        let mut items = vec![Item {
            content_html: Some(html),
            ..Item::default()
        }];
        sanitize_items(&mut items, None);
        let out = items[0].content_html.as_deref().unwrap();
        assert_eq!(out.matches("<div>").count(), MAX_DEPTH, "{}", out.len());
        assert_eq!(out.matches("</div>").count(), MAX_DEPTH);
        assert!(out.contains("deep text"));
        assert!(out.len() < 4 * 1024, "{}", out.len());
    }

    #[test]
    fn unclosed_formatting_tags_nest_and_are_capped_too() {
        let html = format!("{}x", "<b>".repeat(10_000));
        let capped = cap_depth(&html, 8);
        assert_eq!(capped.matches("<b>").count(), 8);
        assert!(capped.ends_with('x'));
    }

    #[test]
    fn normal_nesting_is_untouched() {
        let html = r#"<div class="a"><p>One <b>two</b><p>three<ul><li>a<li>b<ul><li>c</ul></ul>
            <script>if (a < b) { document.write("<div><div>") }</script>
            <img src="x.png" alt="a > b"><br><table><tr><td>1<td>2</table></div>"#;
        assert!(matches!(cap_depth(html, 4), Cow::Borrowed(_)));
        // Unclosed paragraphs and list items do not add up to depth.
        let paras = "<p>para ".repeat(5_000);
        assert!(matches!(cap_depth(&paras, 4), Cow::Borrowed(_)));
        // Below the cap the sanitized output is what ammonia alone gives.
        let mut items = vec![Item {
            content_html: Some(html.to_string()),
            ..Item::default()
        }];
        sanitize_items(&mut items, None);
        let direct = builder(None).clean(html).to_string();
        assert!(direct.contains("<li>c</li>"), "{direct}");
        assert_eq!(items[0].content_html.as_deref(), Some(direct.as_str()));
    }

    #[test]
    fn past_the_cap_only_tags_go() {
        let html = "<div><section><span>a<em>b</em>c</span></section>tail</div>";
        assert_eq!(cap_depth(html, 2), "<div><section>abc</section>tail</div>");
        assert_eq!(cap_depth(html, 4), html);
        // A script's text is not read as tags, and the script is not a level.
        let s = "<div><script>'<div><div><div>'</script><span>t</span></div>";
        assert_eq!(cap_depth(s, 2), s);
    }
}
