//! HTML or text -> plain text, the way a reader shows a title or an excerpt: tags dropped,
//! `<script>`/`<style>` contents dropped, block elements turned into spaces, entities
//! decoded, whitespace collapsed. Hand-written rather than a full HTML parser because it
//! runs on every title, summary and content of every feed (html5ever costs ~20× more here)
//! and needs no tree: only where tags start and end.

use memchr::memchr2;

use crate::util::collapse_ws;

/// Elements whose start and end tags separate words (the rest are inline).
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "caption"
            | "pre"
            | "blockquote"
            | "hr"
            | "section"
            | "article"
            | "aside"
            | "header"
            | "footer"
            | "nav"
            | "main"
            | "figure"
            | "figcaption"
            | "address"
            | "fieldset"
            | "form"
            | "details"
            | "summary"
            | "center"
            | "img"
            | "iframe"
            | "video"
            | "audio"
            | "object"
            | "embed"
    )
}

/// Does this plain-text value really carry HTML? Like feedparser: it must have an end tag
/// or an entity reference, and every tag must be a known HTML element (so `<gorilla>` or
/// a lone `<blink>` stays text) and every named entity a real one.
pub fn looks_like_html(s: &str) -> bool {
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
            let name = s[start..start + len].to_ascii_lowercase();
            if !is_html_element(&name) {
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
pub fn html_to_text(s: &str) -> String {
    if memchr2(b'<', b'&', s.as_bytes()).is_none() {
        return collapse_ws(s);
    }
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let mut text_start = 0;
    while let Some(off) = memchr2(b'<', b'&', &b[i..]) {
        let p = i + off;
        if b[p] == b'&' {
            if let Some((decoded, len)) = decode_entity(&s[p..]) {
                out.push_str(&s[text_start..p]);
                out.push_str(&decoded);
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
        let name = s[name_start..name_end].to_ascii_lowercase();
        let tag_end = tag_end(b, name_end);
        i = tag_end;
        text_start = i;
        if !closing && (name == "script" || name == "style") {
            // Skip the element's contents up to its end tag.
            let close = format!("</{name}");
            i = find_ci(b, i, close.as_bytes()).map_or(b.len(), |e| tag_end_from(b, e));
            text_start = i;
            out.push(' ');
            continue;
        }
        if is_block(name.rsplit(':').next().unwrap_or(&name)) {
            out.push(' ');
        }
    }
    out.push_str(&s[text_start..]);
    collapse_ws(&out)
}

/// Index just past the `>` that ends a tag whose name ends at `from` (quotes respected).
fn tag_end(b: &[u8], from: usize) -> usize {
    let mut quote: Option<u8> = None;
    let mut i = from;
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => return i + 1,
            None => {}
        }
        i += 1;
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

/// Legacy entities HTML decodes even without their `;` (the common ones).
const NO_SEMICOLON: &[(&str, &str)] = &[
    ("amp", "&"),
    ("lt", "<"),
    ("gt", ">"),
    ("quot", "\""),
    ("nbsp", "\u{a0}"),
    ("copy", "©"),
    ("reg", "®"),
];

/// Decode one character or entity reference at the start of `s` (which begins with `&`),
/// as HTML does. Returns the text and how many bytes were consumed.
pub fn decode_entity(s: &str) -> Option<(std::borrow::Cow<'static, str>, usize)> {
    let b = s.as_bytes();
    if b.get(1) == Some(&b'#') {
        let (hex, start) = match b.get(2) {
            Some(b'x') | Some(b'X') => (true, 3),
            _ => (false, 2),
        };
        let digits = b[start..]
            .iter()
            .take_while(|c| {
                if hex {
                    c.is_ascii_hexdigit()
                } else {
                    c.is_ascii_digit()
                }
            })
            .count();
        if digits == 0 {
            return None;
        }
        let end = start + digits;
        let v = u32::from_str_radix(&s[start..end], if hex { 16 } else { 10 }).unwrap_or(0xFFFD);
        let ch = char_from_ref(v);
        let len = if b.get(end) == Some(&b';') {
            end + 1
        } else {
            end
        };
        return Some((ch.to_string().into(), len));
    }
    let name_len = b[1..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    if name_len == 0 {
        return None;
    }
    let name = &s[1..1 + name_len];
    if b.get(1 + name_len) == Some(&b';') {
        return html5_entity(name).map(|v| (v.into(), name_len + 2));
    }
    NO_SEMICOLON
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| ((*v).into(), name_len + 1))
}

/// The text of the HTML5 named character reference `&name;` (`name` without `&` and
/// `;`), from html5ever's table: one or two characters.
pub fn html5_entity(name: &str) -> Option<String> {
    // Keys carry their `;`; the longest HTML5 name is 32 bytes.
    let mut key = [0u8; 40];
    let n = name.len();
    if n == 0 || n >= key.len() {
        return None;
    }
    key[..n].copy_from_slice(name.as_bytes());
    key[n] = b';';
    let key = std::str::from_utf8(&key[..=n]).ok()?;
    let &(a, b) = markup5ever::data::NAMED_ENTITIES.get(key)?;
    let mut out = String::with_capacity(8);
    out.push(char::from_u32(a)?);
    if b != 0 {
        out.push(char::from_u32(b)?);
    }
    Some(out)
}

/// A numeric character reference as HTML maps it: windows-1252 for 0x80-0x9F (what those
/// feeds meant), U+FFFD for what is not a character.
pub fn char_from_ref(v: u32) -> char {
    const C1: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match v {
        0 => '\u{fffd}',
        0x80..=0x9F => C1[(v - 0x80) as usize],
        _ => char::from_u32(v).unwrap_or('\u{fffd}'),
    }
}

/// Text that is plain unless it visibly carries HTML (used for titles and other
/// `text/plain` constructs): tags are then dropped and entities decoded.
pub fn text_to_plain(s: &str) -> String {
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
