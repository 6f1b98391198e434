//! HTML or text -> plain text, the way a reader shows a title or an excerpt: tags dropped,
//! `<script>`/`<style>` contents dropped, block elements turned into spaces, entities
//! decoded, whitespace collapsed. Hand-written rather than a full HTML parser because it
//! runs on every title, summary and content of every feed (html5ever costs ~20× more here)
//! and needs no tree: only where tags start and end.

use memchr::memchr2;

/// Runs of Unicode whitespace (including U+00A0) become one space; ends trimmed. Same
/// result as `util::collapse_ws`, in one pass over ASCII runs rather than per character
/// (it runs on every text of every feed).
pub fn collapse_ws(s: &str) -> String {
    let mut c = Collapser::with_capacity(s.len());
    c.push_str(s);
    c.finish()
}

fn is_ascii_ws(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
}

/// Bytes that can never start whitespace: ASCII other than whitespace, UTF-8
/// continuation bytes, and lead bytes of characters that are never White_Space
/// (every lead byte but C2, E1, E2, E3).
static PLAIN: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = !matches!(
            b,
            b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' | 0xC2 | 0xE1 | 0xE2 | 0xE3
        );
        i += 1;
    }
    t
};

/// Skip 8-byte chunks of printable ASCII whose spaces are single (already-collapsed
/// prose), eight bytes per step instead of one. `i` is inside a span: `b[i]` is not
/// whitespace or follows text.
fn clean_chunks(b: &[u8], mut i: usize) -> usize {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    while let Some(c) = b.get(i..i + 8) {
        // A space first is fine after a non-space (inside a span, the byte before is
        // text or a single space).
        if c[0] == b' ' && (i == 0 || b[i - 1] == b' ') {
            break;
        }
        let x = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        // Any byte below 0x20 (tabs, newlines, controls) or above 0x7F.
        if (x.wrapping_sub(LO * 0x20) & !x & HI) | (x & HI) != 0 {
            break;
        }
        // Space bytes (a few false positives are harmless: they only stop the skip).
        let y = x ^ (LO * 0x20);
        let spaces = y.wrapping_sub(LO) & !y & HI;
        if spaces & (spaces >> 8) != 0 {
            break;
        }
        // A space last stays for the next step, which then sees what follows it.
        i += if c[7] == b' ' { 7 } else { 8 };
    }
    i
}

/// Length of the Unicode White_Space character at the start of `b`, if one is there.
fn ws_len(b: &[u8]) -> Option<usize> {
    match b {
        [c, ..] if is_ascii_ws(*c) => Some(1),
        // U+0085, U+00A0
        [0xC2, 0x85 | 0xA0, ..] => Some(2),
        // U+1680
        [0xE1, 0x9A, 0x80, ..] => Some(3),
        // U+2000-U+200A, U+2028, U+2029, U+202F
        [0xE2, 0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF, ..] => Some(3),
        // U+205F
        [0xE2, 0x81, 0x9F, ..] => Some(3),
        // U+3000
        [0xE3, 0x80, 0x80, ..] => Some(3),
        _ => None,
    }
}

/// Builds text with whitespace collapsed as it is appended (no second pass).
pub struct Collapser {
    out: String,
    /// Whitespace seen since the last text: one space before the next text.
    pending: bool,
}

impl Collapser {
    pub fn with_capacity(n: usize) -> Self {
        Collapser {
            out: String::with_capacity(n),
            pending: false,
        }
    }

    /// A word break (a block element's tag).
    pub fn space(&mut self) {
        self.pending = !self.out.is_empty();
    }

    pub fn push_str(&mut self, s: &str) {
        let b = s.as_bytes();
        let n = b.len();
        let mut i = 0;
        while i < n {
            if let Some(w) = ws_len(&b[i..]) {
                self.space();
                i += w;
                continue;
            }
            // A span of words separated by single ASCII spaces is already collapsed:
            // copied in one piece.
            let start = i;
            let end = loop {
                i = clean_chunks(b, i);
                while i < n && PLAIN[usize::from(b[i])] {
                    i += 1;
                }
                if i < n && !is_ascii_ws(b[i]) && ws_len(&b[i..]).is_none() {
                    // A non-ASCII lead byte that does not start whitespace.
                    i += 1;
                    continue;
                }
                if i + 1 < n && b[i] == b' ' && ws_len(&b[i + 1..]).is_none() {
                    i += 1;
                    continue;
                }
                break i;
            };
            self.text(&s[start..end]);
        }
    }

    pub fn push_char(&mut self, ch: char) {
        let mut buf = [0u8; 4];
        self.push_str(ch.encode_utf8(&mut buf));
    }

    fn text(&mut self, t: &str) {
        if self.pending {
            self.out.push(' ');
            self.pending = false;
        }
        self.out.push_str(t);
    }

    pub fn finish(self) -> String {
        self.out
    }
}

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
pub fn html_to_text(s: &str) -> String {
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

/// Legacy entities HTML decodes even without their `;` (the common ones).
const NO_SEMICOLON: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("nbsp", '\u{a0}'),
    ("copy", '©'),
    ("reg", '®'),
];

/// The characters of a decoded reference: one, or two for a few named ones.
pub type EntityChars = (char, Option<char>);

/// Decode one character or entity reference at the start of `s` (which begins with `&`),
/// as HTML does. Returns the characters and how many bytes were consumed.
pub fn decode_entity(s: &str) -> Option<(EntityChars, usize)> {
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
        return Some(((ch, None), len));
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
        return html5_entity(name).map(|v| (v, name_len + 2));
    }
    NO_SEMICOLON
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| ((*v, None), name_len + 1))
}

/// The characters of the HTML5 named character reference `&name;` (`name` without `&`
/// and `;`), from html5ever's table.
pub fn html5_entity(name: &str) -> Option<EntityChars> {
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
    Some((char::from_u32(a)?, char::from_u32(b).filter(|_| b != 0)))
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
    fn collapsing_matches_the_simple_definition() {
        // The fast path (8-byte steps, spans copied whole) against util's per-character
        // definition, on runs of every kind of whitespace around words of every length.
        let pieces = [
            "a",
            "word",
            "longerword",
            "\u{e9}t\u{e9}",
            "\u{4e2d}\u{6587}",
            " ",
            "  ",
            "\t",
            "\n",
            "\u{a0}",
            "\u{2009}",
            "\u{3000}",
            "\u{85}",
            "x y z",
            "!",
            "\u{202f}",
            "12345678",
        ];
        let mut n = 0u32;
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    for d in pieces {
                        let s = format!("{a}{b}{c}{d}{a}");
                        assert_eq!(collapse_ws(&s), crate::util::collapse_ws(&s), "{s:?}");
                        n += 1;
                    }
                }
            }
        }
        assert!(n > 80_000);
        let long = "Lorem ipsum dolor sit amet, consectetur  adipiscing\telit; sed do eiusmod.";
        assert_eq!(collapse_ws(long), crate::util::collapse_ws(long));
    }

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
