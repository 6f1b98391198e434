//! Making foreign text safe for each output syntax: XML/HTML text and attributes, JSON
//! inside an HTML `<script>` block, and Markdown.
//!
//! The entity escaping itself is quick-xml's (`escape`), which is already in the tree via
//! feed-rs and is what writes our Atom: one well-tested implementation for both XML and
//! HTML (the five characters `& < > " '` are the same in both). What no crate does for us
//! is dropping characters XML 1.0 forbids even when escaped (C0 controls, U+FFFE/FFFF):
//! a feed with a stray form feed would otherwise make the whole digest unparseable.

use std::borrow::Cow;

/// Characters allowed in XML 1.0 documents (and sane in HTML).
fn is_xml_char(c: char) -> bool {
    match c {
        '\t' | '\n' | '\r' => true,
        '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => false,
        // C1 controls are legal XML 1.0 but never meant as text, and they confuse readers.
        '\u{80}'..='\u{9F}' => false,
        _ => true,
    }
}

/// `s` without characters XML 1.0 cannot carry.
pub(crate) fn xml_safe(s: &str) -> Cow<'_, str> {
    if s.chars().all(is_xml_char) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|&c| is_xml_char(c)).collect())
    }
}

/// Escaped for HTML text content and double-quoted attribute values: `& < >` by
/// quick-xml's `partial_escape`, plus `"`. Not `'` as `&apos;`, which HTML 4 lacks and
/// older email clients then show literally (every attribute we write is double-quoted).
pub(crate) fn html(s: &str) -> String {
    quick_xml::escape::partial_escape(xml_safe(s).as_ref()).replace('"', "&quot;")
}

/// An `href` value: only absolute http(s) URLs are linked; anything else (javascript:,
/// data:, relative junk) gives `None` and is shown as text instead.
pub(crate) fn safe_href(url: &str) -> Option<String> {
    let u = url::Url::parse(url.trim()).ok()?;
    matches!(u.scheme(), "http" | "https").then(|| u.to_string())
}

/// JSON text that can sit inside `<script type="application/ld+json">`: `<`, `>` and `&`
/// become `\u003c`-style escapes (still the same JSON value), so no string in the data
/// can close the script element or open a comment.
pub(crate) fn json_for_script(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Inline Markdown text: one line, with the characters that would start markup (emphasis,
/// links, code, raw HTML) backslash-escaped, and line-start markers neutralized. Foreign
/// titles and summaries must not become links, headings or HTML when the digest is
/// rendered.
pub(crate) fn markdown_inline(s: &str) -> String {
    let s = crate::text::collapse_ws(&xml_safe(s));
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        // `&` only matters where it would start an entity ("&amp;" must stay visible
        // as written); "Tech & money" keeps its plain ampersand.
        let entity = c == '&'
            && chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#');
        if entity || matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '~') {
            out.push('\\');
        }
        out.push(c);
    }
    // A line that starts with "#", "-", "+" or "=" would become a heading, list or
    // rule; "1." or "1)" would start an ordered list (escape the punctuation: a
    // backslash before a digit is not an escape in CommonMark).
    if out.starts_with(['#', '-', '+', '=']) {
        out.insert(0, '\\');
    } else if let Some((i, c)) = out.char_indices().find(|(_, c)| !c.is_ascii_digit())
        && i > 0
        && matches!(c, '.' | ')')
    {
        out.insert(i, '\\');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_forbidden_characters_are_dropped() {
        assert_eq!(xml_safe("a\u{0c}b\u{0}c\td"), "abc\td");
        assert!(matches!(xml_safe("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn html_escapes_markup_and_quotes() {
        assert_eq!(html(r#"<b a="1">&'"#), "&lt;b a=&quot;1&quot;&gt;&amp;'");
    }

    #[test]
    fn script_json_cannot_close_the_element() {
        let j = json_for_script(r#"{"t":"</script><!--&"}"#);
        assert!(!j.contains('<') && !j.contains('>') && !j.contains('&'));
        let v: serde_json::Value = serde_json::from_str(&j).unwrap();
        assert_eq!(v["t"], "</script><!--&");
    }

    #[test]
    fn only_web_links_are_linked() {
        assert!(safe_href("javascript:alert(1)").is_none());
        assert!(safe_href("data:text/html,x").is_none());
        assert_eq!(
            safe_href("https://ex.com/a b").as_deref(),
            Some("https://ex.com/a%20b")
        );
    }

    #[test]
    fn markdown_markup_is_neutralized() {
        assert_eq!(markdown_inline("[x](javascript:1)"), r"\[x\](javascript:1)");
        assert_eq!(markdown_inline("<img src=x>"), r"\<img src=x\>");
        assert_eq!(markdown_inline("# Not a heading"), r"\# Not a heading");
        assert_eq!(markdown_inline("1. Not a list"), r"1\. Not a list");
        assert_eq!(markdown_inline("2024 was a year"), "2024 was a year");
        assert_eq!(markdown_inline("a\n\nb"), "a b");
        assert_eq!(
            markdown_inline("Tech & money &amp; more"),
            r"Tech & money \&amp; more"
        );
        assert_eq!(markdown_inline("Opinion | Title"), "Opinion | Title");
    }
}
