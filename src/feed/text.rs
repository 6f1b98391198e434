//! HTML or text -> plain text, the way a reader shows a title or an excerpt: tags dropped,
//! `<script>`/`<style>` contents dropped, block elements turned into spaces, entities
//! decoded, whitespace collapsed. Hand-written rather than a full HTML parser because it
//! runs on every title, summary and content of every feed (html5ever costs ~20× more here)
//! and needs no tree: only where tags start and end.

use memchr::memchr2;

use crate::text::collapse_ws;
use crate::text::entities::{decode_entity, html5_entity};
use crate::text::whitespace::Collapser;

/// Elements whose start and end tags separate words (the rest are inline); `name` in
/// lower case.
fn is_block_bytes(name: &[u8]) -> bool {
    matches!(
        name,
        b"p" | b"div"
            | b"br"
            | b"li"
            | b"ul"
            | b"ol"
            | b"dl"
            | b"dt"
            | b"dd"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"h4"
            | b"h5"
            | b"h6"
            | b"table"
            | b"thead"
            | b"tbody"
            | b"tfoot"
            | b"tr"
            | b"td"
            | b"th"
            | b"caption"
            | b"pre"
            | b"blockquote"
            | b"hr"
            | b"section"
            | b"article"
            | b"aside"
            | b"header"
            | b"footer"
            | b"nav"
            | b"main"
            | b"figure"
            | b"figcaption"
            | b"address"
            | b"fieldset"
            | b"form"
            | b"details"
            | b"summary"
            | b"center"
            | b"img"
            | b"iframe"
            | b"video"
            | b"audio"
            | b"object"
            | b"embed"
    )
}

fn is_block(name: &str) -> bool {
    is_block_bytes(name.as_bytes())
}

/// Does this plain-text value really carry HTML? Like feedparser: it must have an end tag
/// or an entity reference, and every tag must be a known HTML element (so `<gorilla>` or
/// a lone `<blink>` stays text) and every named entity a real one.
pub(crate) fn looks_like_html(s: &str) -> bool {
    let b = s.as_bytes();
    if memchr2(b'<', b'&', b).is_none() {
        return false;
    }
    let mut has_end_tag = false;
    let mut has_entity = false;
    let mut i = 0;
    while let Some(off) = memchr2(b'<', b'&', &b[i..]) {
        let p = i + off;
        i = p + 1;
        if b[p] == b'<' {
            let closing = b.get(p + 1) == Some(&b'/');
            let start = p + 1 + usize::from(closing);
            let len = b[start..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                .count();
            if len == 0 {
                continue;
            }
            if !lowercase_name(&s[start..start + len]).is_some_and(|n| is_html_element(&n)) {
                return false;
            }
            if closing && b.get(start + len) == Some(&b'>') {
                has_end_tag = true;
            }
        } else {
            let hash = b.get(p + 1) == Some(&b'#');
            let start = p + 1 + usize::from(hash);
            let len = b[start..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                .count();
            if len == 0 || b.get(start + len) != Some(&b';') {
                continue;
            }
            if !hash && html5_entity(&s[start..start + len]).is_none() {
                return false;
            }
            has_entity = true;
        }
    }
    has_end_tag || has_entity
}

fn is_html_element(name: &str) -> bool {
    is_block(name)
        || matches!(
            name,
            "a" | "abbr"
                | "acronym"
                | "b"
                | "bdi"
                | "bdo"
                | "big"
                | "blink"
                | "cite"
                | "code"
                | "del"
                | "dfn"
                | "em"
                | "font"
                | "i"
                | "ins"
                | "kbd"
                | "label"
                | "mark"
                | "q"
                | "s"
                | "samp"
                | "small"
                | "span"
                | "strike"
                | "strong"
                | "sub"
                | "sup"
                | "time"
                | "tt"
                | "u"
                | "var"
                | "map"
                | "picture"
                | "source"
                | "canvas"
                | "noscript"
                | "script"
                | "style"
                | "input"
                | "button"
                | "select"
                | "option"
                | "textarea"
                | "colgroup"
                | "col"
                | "area"
                | "wbr"
                | "font-face"
                | "menu"
                | "dir"
                | "legend"
                | "meter"
                | "progress"
                | "output"
                | "optgroup"
                | "datalist"
                | "track"
                | "svg"
                | "math"
                | "html"
                | "body"
                | "head"
                | "title"
                | "meta"
                | "link"
        )
}

/// HTML -> plain text (see the module doc). Never fails; malformed markup degrades to text.
pub(crate) fn html_to_text(s: &str) -> String {
    if memchr2(b'<', b'&', s.as_bytes()).is_none() {
        return collapse_ws(s);
    }
    let b = s.as_bytes();
    let mut out = Collapser::with_capacity(s.len());
    let mut i = 0;
    let mut text_start = 0;
    while let Some(off) = memchr2(b'<', b'&', &b[i..]) {
        let p = i + off;
        if b[p] == b'&' {
            if let Some(((c1, c2), len)) = decode_entity(&s[p..]) {
                out.push_str(&s[text_start..p]);
                out.push_char(c1);
                if let Some(c2) = c2 {
                    out.push_char(c2);
                }
                i = p + len;
                text_start = i;
            } else {
                i = p + 1;
            }
            continue;
        }
        // b[p] == '<'
        let rest = &b[p + 1..];
        if rest.starts_with(b"!--") {
            out.push_str(&s[text_start..p]);
            i = find(b, p + 4, b"-->").map_or(b.len(), |e| e + 3);
            text_start = i;
            continue;
        }
        if rest.starts_with(b"![CDATA[") {
            out.push_str(&s[text_start..p]);
            let start = p + 9;
            let end = find(b, start, b"]]>").unwrap_or(b.len());
            out.push_str(&s[start..end]);
            i = (end + 3).min(b.len());
            text_start = i;
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = p + 1 + usize::from(closing);
        let is_tag = match b.get(name_start) {
            Some(c) if c.is_ascii_alphabetic() => true,
            Some(b'!') | Some(b'?') if !closing => true,
            _ => false,
        };
        if !is_tag {
            i = p + 1;
            continue;
        }
        out.push_str(&s[text_start..p]);
        let name_end = b[name_start..]
            .iter()
            .position(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'-' | b':' | b'_')))
            .map_or(b.len(), |n| name_start + n);
        let name = &s[name_start..name_end];
        let tag_end = tag_end(b, name_end);
        i = tag_end;
        text_start = i;
        let skip = ["script", "style"]
            .into_iter()
            .find(|n| n.eq_ignore_ascii_case(name));
        if let (false, Some(skip)) = (closing, skip) {
            // Skip the element's contents up to its end tag.
            let close = format!("</{skip}");
            i = find_ci(b, i, close.as_bytes()).map_or(b.len(), |e| tag_end_from(b, e));
            text_start = i;
            out.space();
            continue;
        }
        let local = match name.as_bytes().iter().rposition(|&c| c == b':') {
            Some(k) => &name[k + 1..],
            None => name,
        };
        if lowercase_name(local).is_some_and(|n| is_block_bytes(n.bytes())) {
            out.space();
        }
    }
    out.push_str(&s[text_start..]);
    out.finish()
}

/// A short tag name in lower case, without allocating; `None` for names longer than any
/// HTML element's.
fn lowercase_name(name: &str) -> Option<LowerName> {
    let mut buf = [0u8; 16];
    let n = name.len();
    if n > buf.len() {
        return None;
    }
    for (d, c) in buf.iter_mut().zip(name.bytes()) {
        *d = c.to_ascii_lowercase();
    }
    Some(LowerName { buf, len: n as u8 })
}

struct LowerName {
    buf: [u8; 16],
    len: u8,
}

impl LowerName {
    fn bytes(&self) -> &[u8] {
        &self.buf[..usize::from(self.len)]
    }
}

impl std::ops::Deref for LowerName {
    type Target = str;
    fn deref(&self) -> &str {
        std::str::from_utf8(self.bytes()).unwrap_or("")
    }
}

/// Index just past the `>` that ends a tag whose name ends at `from` (quotes respected).
fn tag_end(b: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(off) = memchr::memchr3(b'>', b'"', b'\'', &b[i..]) {
        let p = i + off;
        if b[p] == b'>' {
            return p + 1;
        }
        // A quoted attribute value: its closing quote, then on.
        match memchr::memchr(b[p], &b[p + 1..]) {
            Some(q) => i = p + 1 + q + 1,
            None => break,
        }
    }
    // An unterminated quote: fall back to the first '>' after the name.
    memchr::memchr(b'>', &b[from..]).map_or(b.len(), |n| from + n + 1)
}

fn tag_end_from(b: &[u8], from: usize) -> usize {
    memchr::memchr(b'>', &b[from..]).map_or(b.len(), |n| from + n + 1)
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay.get(from..)?, needle).map(|n| from + n)
}

fn find_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let h = hay.get(from..)?;
    h.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|n| from + n)
}

/// Text that is plain unless it visibly carries HTML (used for titles and other
/// `text/plain` constructs): tags are then dropped and entities decoded.
pub(crate) fn text_to_plain(s: &str) -> String {
    if looks_like_html(s) {
        html_to_text(s)
    } else {
        collapse_ws(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_blocks_and_entities() {
        assert_eq!(
            html_to_text("<p>Hello&nbsp;<b>wor</b>ld</p><p>next&amp;last</p>"),
            "Hello world next&last"
        );
        assert_eq!(html_to_text("a<br/>b<script>x<y</script>c"), "a b c");
        assert_eq!(html_to_text("<style>p{}</style>x <!-- c --> y"), "x y");
        assert_eq!(
            html_to_text("1 < 2 &unknown; &#8217;"),
            "1 < 2 &unknown; \u{2019}"
        );
        assert_eq!(html_to_text("caf&eacute; &#150; &#x2014"), "café – —");
    }

    #[test]
    fn titles_only_converted_when_they_carry_tags() {
        assert_eq!(text_to_plain("AT&T <3"), "AT&T <3");
        assert_eq!(text_to_plain("it&#x27;s"), "it's");
        assert_eq!(
            text_to_plain("Nice <gorilla> there</b>"),
            "Nice <gorilla> there</b>"
        );
        assert_eq!(
            text_to_plain("History of the <blink> tag"),
            "History of the <blink> tag"
        );
        assert_eq!(text_to_plain("<b>Bold</b> &amp; more"), "Bold & more");
    }
}
