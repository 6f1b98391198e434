//! One linear pass over the decoded page before parsing: drops what extraction never
//! reads (script and style bodies, comments, inline SVG, noscript/iframe bodies),
//! collects JSON-LD blocks, and caps element nesting.
//!
//! Why: those parts are a third to a half of a typical news page's bytes and the HTML
//! tokenizer walks them char by char; and html5ever's tree builder is quadratic in the
//! depth of open elements (a page of 100k unclosed `<div>`s takes minutes), so nesting
//! beyond [`MAX_DEPTH`] is flattened here instead.

use std::ops::Range;

/// Deeper nesting than this (counting only elements that need an end tag) is dropped.
/// Real pages stay far below it.
pub(crate) const MAX_DEPTH: u32 = 400;

/// The page with unneeded parts removed, and the byte ranges of JSON-LD blocks in the
/// *input* text.
pub(crate) struct Prescanned {
    pub(crate) html: String,
    pub(crate) jsonld: Vec<Range<usize>>,
    /// Bytes of `<noscript>` bodies dropped (a page may keep its text there, e.g. the
    /// crawler view of forum software).
    pub(crate) noscript_bytes: usize,
}

enum Kind {
    /// Body dropped, tags kept (raw-text elements whose text we never read).
    DropBody,
    /// Body copied unscanned (raw-text elements whose text we may read).
    KeepBody,
    /// The whole element is dropped (inline SVG / MathML, foreign content).
    DropElement,
    /// Counted for nesting depth.
    Nesting,
    Other,
}

fn kind_of(name: &[u8]) -> Kind {
    // Lowercase into a small buffer and match once: this runs for every tag.
    let mut buf = [0u8; 10];
    if name.len() > buf.len() {
        return Kind::Other;
    }
    for (d, s) in buf.iter_mut().zip(name) {
        *d = s.to_ascii_lowercase();
    }
    match &buf[..name.len()] {
        b"script" | b"style" | b"noscript" | b"iframe" | b"noembed" | b"noframes" | b"template"
        | b"select" => Kind::DropBody,
        b"title" | b"textarea" | b"xmp" => Kind::KeepBody,
        b"svg" | b"math" => Kind::DropElement,
        b"div" | b"span" | b"section" | b"article" | b"main" | b"aside" | b"nav" | b"header"
        | b"footer" | b"a" | b"b" | b"i" | b"em" | b"strong" | b"font" | b"ul" | b"ol"
        | b"table" | b"blockquote" | b"form" | b"figure" | b"center" | b"small" | b"big" | b"u"
        | b"s" | b"label" | b"button" | b"dl" | b"details" => Kind::Nesting,
        _ => Kind::Other,
    }
}

/// End of the tag starting at `start` (index just past its `>`), honouring quoted
/// attribute values; None when the tag never closes.
fn tag_end(b: &[u8], start: usize) -> Option<usize> {
    let mut i = start;
    let mut quote: Option<u8> = None;
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'>' => return Some(i + 1),
            // Quotes only open a value right after `=` (possibly with spaces).
            None if (c == b'"' || c == b'\'') && prev_non_space(b, start, i) == Some(b'=') => {
                quote = Some(c)
            }
            None => {}
        }
        i += 1;
    }
    None
}

fn prev_non_space(b: &[u8], start: usize, i: usize) -> Option<u8> {
    b[start..i]
        .iter()
        .rev()
        .find(|c| !c.is_ascii_whitespace())
        .copied()
}

/// Position of the `<` of the first `</name` (case-insensitive) at or after `from`.
fn find_close(b: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut i = from;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        let p = i + off;
        if b.get(p + 1) != Some(&b'/') {
            i = p + 1;
            continue;
        }
        let after = p + 2 + name.len();
        if b.len() >= after
            && b[p + 2..after].eq_ignore_ascii_case(name)
            && b.get(after)
                .is_none_or(|&c| c == b'>' || c == b'/' || c.is_ascii_whitespace())
        {
            return Some(p);
        }
        i = p + 2;
    }
    None
}

/// End (past `>`) of the foreign element opened at `open_end`, counting nested opens.
fn foreign_end(b: &[u8], open_end: usize, name: &[u8]) -> usize {
    let mut depth = 1u32;
    let mut i = open_end;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        let p = i + off;
        let (closing, ns) = if b.get(p + 1) == Some(&b'/') {
            (true, p + 2)
        } else {
            (false, p + 1)
        };
        let ne = ns + name.len();
        let boundary = b
            .get(ne)
            .is_none_or(|&c| c == b'>' || c == b'/' || c.is_ascii_whitespace());
        if ne <= b.len() && b[ns..ne].eq_ignore_ascii_case(name) && boundary {
            let end = tag_end(b, p + 1).unwrap_or(b.len());
            let self_closing = !closing && end >= 2 && b[end - 2] == b'/';
            if closing {
                depth -= 1;
                if depth == 0 {
                    return end;
                }
            } else if !self_closing {
                depth += 1;
            }
            i = end;
        } else {
            i = p + 1;
        }
    }
    b.len()
}

/// End (past the `>`) of a comment body starting at `body[0]`: the first `-->` or
/// `--!>`. One scan over `--` pairs, so a page of many comments stays linear.
fn comment_end(body: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'-', &body[i..]) {
        let d = i + off;
        if body.get(d + 1) == Some(&b'-') {
            match (body.get(d + 2), body.get(d + 3)) {
                (Some(b'>'), _) => return Some(d + 3),
                (Some(b'!'), Some(b'>')) => return Some(d + 4),
                _ => {}
            }
        }
        i = d + 1;
    }
    None
}

fn is_jsonld(tag: &[u8]) -> bool {
    memchr::memmem::find(&tag.to_ascii_lowercase(), b"ld+json").is_some()
}

/// Attributes extraction reads (classification, metadata, dates). Without site rules or
/// a selector, which may name any attribute, the others are dropped before parsing:
/// they are a quarter of a page's remaining bytes (`srcset`, `data-*`, `href`, event
/// handlers) and the tokenizer reads attribute values one char at a time.
fn keep_attr(tag: &[u8], name: &[u8]) -> bool {
    const KEEP: [&[u8]; 17] = [
        b"class",
        b"id",
        b"role",
        b"style",
        b"hidden",
        b"aria-hidden",
        b"itemprop",
        b"lang",
        b"xml:lang",
        b"content",
        b"property",
        b"name",
        b"http-equiv",
        b"charset",
        b"rel",
        b"datetime",
        b"type",
    ];
    KEEP.iter().any(|k| k.eq_ignore_ascii_case(name))
        || (name.eq_ignore_ascii_case(b"href") && tag.eq_ignore_ascii_case(b"link"))
}

/// Write the start tag `b[p..end]` (name ends at `name_end`) with only the attributes
/// [`keep_attr`] allows. Returns false, writing nothing, when the tag does not parse
/// cleanly (the caller then copies it as it is).
fn write_lean_tag(s: &str, p: usize, name_end: usize, end: usize, out: &mut String) -> bool {
    let b = s.as_bytes();
    let name = &b[p + 1..name_end];
    let mut i = name_end;
    let close = if b[end - 2] == b'/' { end - 2 } else { end - 1 };
    let mut kept: [(usize, usize); 12] = [(0, 0); 12];
    let mut nkept = 0;
    let mut dropped = false;
    while i < close {
        let c = b[i];
        if c.is_ascii_whitespace() || c == b'/' {
            i += 1;
            continue;
        }
        if c == b'=' || c == b'"' || c == b'\'' || c == b'<' {
            return false;
        }
        let start = i;
        while i < close && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'/' | b'>') {
            i += 1;
        }
        let attr = &b[start..i];
        while i < close && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < close && b[i] == b'=' {
            i += 1;
            while i < close && b[i].is_ascii_whitespace() {
                i += 1;
            }
            match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let Some(off) = memchr::memchr(q, &b[i + 1..close]) else {
                        return false;
                    };
                    i += off + 2;
                }
                _ => {
                    while i < close && !b[i].is_ascii_whitespace() {
                        i += 1;
                    }
                }
            }
        }
        if keep_attr(name, attr) {
            if nkept == kept.len() {
                return false;
            }
            kept[nkept] = (start, i);
            nkept += 1;
        } else {
            dropped = true;
        }
    }
    if !dropped {
        return false;
    }
    out.push_str(&s[p..name_end]);
    for &(a, z) in &kept[..nkept] {
        out.push(' ');
        out.push_str(&s[a..z]);
    }
    out.push('>');
    true
}

/// Prescan keeping every attribute (site rules and selectors may name any).
#[cfg(test)]
fn prescan(s: &str) -> Prescanned {
    prescan_with(s, false, false)
}

fn lean_tag(s: &str, p: usize, name_end: usize, end: usize, out: &mut String, copied: &mut usize) {
    // Only tags with attributes to drop are rewritten; most are copied in bulk.
    if end - name_end < 24 {
        return;
    }
    let mark = out.len();
    out.push_str(&s[*copied..p]);
    if write_lean_tag(s, p, name_end, end, out) {
        *copied = end;
    } else {
        out.truncate(mark);
    }
}

/// `lean`: also drop attributes extraction does not read (see [`keep_attr`]).
/// `unwrap_noscript`: remove `<noscript>` tags but keep and parse their content.
pub(crate) fn prescan_with(s: &str, lean: bool, unwrap_noscript: bool) -> Prescanned {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len() / 2);
    let mut jsonld = Vec::new();
    let mut copied = 0; // input copied up to here
    let mut i = 0;
    let mut depth: u32 = 0;
    let mut excess: u32 = 0;
    let mut noscript_bytes = 0;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        let p = i + off;
        let rest = &b[p..];
        if rest.starts_with(b"<!--") {
            let end = if rest[4..].starts_with(b">") {
                p + 5
            } else if rest[4..].starts_with(b"->") {
                p + 6
            } else {
                comment_end(&b[p + 4..]).map_or(b.len(), |e| p + 4 + e)
            };
            out.push_str(&s[copied..p]);
            copied = end;
            i = end;
            continue;
        }
        let closing = rest.get(1) == Some(&b'/');
        let ns = if closing { p + 2 } else { p + 1 };
        let name_len = b[ns..]
            .iter()
            .position(|c| !(c.is_ascii_alphanumeric() || *c == b'-' || *c == b':'))
            .unwrap_or(b.len() - ns);
        if name_len == 0 || !b[ns].is_ascii_alphabetic() {
            i = p + 1;
            continue;
        }
        let name = &b[ns..ns + name_len];
        let Some(end) = tag_end(b, ns + name_len) else {
            break;
        };
        if unwrap_noscript && name.eq_ignore_ascii_case(b"noscript") {
            out.push_str(&s[copied..p]);
            copied = end;
            i = end;
            continue;
        }
        match kind_of(name) {
            Kind::DropBody | Kind::KeepBody if closing => i = end,
            Kind::DropBody => {
                let close = find_close(b, end, name).unwrap_or(b.len());
                if name.eq_ignore_ascii_case(b"noscript") {
                    noscript_bytes += close - end;
                }
                out.push_str(&s[copied..end]);
                if name.eq_ignore_ascii_case(b"script") && is_jsonld(&b[p..end]) {
                    jsonld.push(end..close);
                }
                copied = close;
                i = close;
            }
            Kind::KeepBody => {
                i = find_close(b, end, name).unwrap_or(b.len());
            }
            Kind::DropElement if closing => {
                out.push_str(&s[copied..p]);
                copied = end;
                i = end;
            }
            Kind::DropElement => {
                let self_closing = b[end - 2] == b'/';
                let stop = if self_closing {
                    end
                } else {
                    foreign_end(b, end, name)
                };
                out.push_str(&s[copied..p]);
                copied = stop;
                i = stop;
            }
            Kind::Nesting => {
                let drop = if closing {
                    if excess > 0 {
                        excess -= 1;
                        true
                    } else {
                        depth = depth.saturating_sub(1);
                        false
                    }
                } else if depth >= MAX_DEPTH {
                    excess += 1;
                    true
                } else {
                    depth += 1;
                    false
                };
                if drop {
                    out.push_str(&s[copied..p]);
                    copied = end;
                } else if lean && !closing {
                    lean_tag(s, p, ns + name_len, end, &mut out, &mut copied);
                }
                i = end;
            }
            Kind::Other => {
                if lean && !closing {
                    lean_tag(s, p, ns + name_len, end, &mut out, &mut copied);
                }
                i = end;
            }
        }
    }
    out.push_str(&s[copied.min(s.len())..]);
    Prescanned {
        html: out,
        jsonld,
        noscript_bytes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_styles_comments_and_svg_are_emptied() {
        let page = r#"<head><style>p{color:red}</style><script>if (a<b) x="</div>";</script>
<script type="application/ld+json">{"@type":"NewsArticle"}</script></head>
<body><!-- note <p>hidden</p> --><p>One<svg><title>icon</title><svg></svg></svg> two</p>
<noscript><img src=x></noscript></body>"#;
        let p = prescan(page);
        assert!(!p.html.contains("color:red"));
        assert!(!p.html.contains("a<b"));
        assert!(!p.html.contains("hidden"));
        assert!(!p.html.contains("icon"));
        assert!(!p.html.contains("img"));
        assert!(p.html.contains("<p>One two</p>"));
        assert_eq!(p.jsonld.len(), 1);
        assert_eq!(&page[p.jsonld[0].clone()], r#"{"@type":"NewsArticle"}"#);
    }

    #[test]
    fn script_end_tag_match_is_case_insensitive_and_needs_a_boundary() {
        let p = prescan("<script>var s='</scripts>';</SCRIPT ><p>after</p>");
        assert_eq!(p.html, "<script></SCRIPT ><p>after</p>");
    }

    #[test]
    fn title_text_is_not_scanned_for_tags() {
        let p = prescan("<title>About <script> tags</title><p>x</p>");
        assert!(p.html.contains("About <script> tags"));
        assert!(p.html.contains("<p>x</p>"));
    }

    #[test]
    fn quoted_gt_in_attributes_does_not_end_a_tag() {
        let p = prescan(r#"<a title="a > b" href="/x">link</a><!-- c -->"#);
        assert_eq!(p.html, r#"<a title="a > b" href="/x">link</a>"#);
    }

    #[test]
    fn deep_nesting_is_capped() {
        let n = MAX_DEPTH as usize + 500;
        let page = format!("{}<p>deep</p>{}", "<div>".repeat(n), "</div>".repeat(n));
        let p = prescan(&page);
        assert_eq!(p.html.matches("<div>").count(), MAX_DEPTH as usize);
        assert_eq!(p.html.matches("</div>").count(), MAX_DEPTH as usize);
        assert!(p.html.contains("<p>deep</p>"));
    }

    #[test]
    fn lean_mode_keeps_only_attributes_extraction_reads() {
        let page = r#"<div class="body" data-x='{"a":1}' onclick="go()"><img srcset="a 1x, b 2x" alt=x><a href="/some/long/path" class=l>t</a><link rel=canonical href="/c"><p>x</p></div>"#;
        let p = prescan_with(page, true, false);
        assert_eq!(
            p.html,
            r#"<div class="body"><img><a class=l>t</a><link rel=canonical href="/c"><p>x</p></div>"#
        );
        // Odd markup is copied as it is.
        let odd = r#"<div class="a"id="b" =x><p>y</p></div>"#;
        assert_eq!(prescan_with(odd, true, false).html, odd);
    }

    #[test]
    fn noscript_content_can_be_unwrapped() {
        let page = "<body><noscript><div class=post><p>Forum post text</p></div></noscript></body>";
        let dropped = prescan(page);
        assert!(!dropped.html.contains("Forum post"));
        assert_eq!(
            dropped.noscript_bytes,
            "<div class=post><p>Forum post text</p></div>".len()
        );
        let kept = prescan_with(page, false, true);
        assert_eq!(
            kept.html,
            "<body><div class=post><p>Forum post text</p></div></body>"
        );
    }

    #[test]
    fn unterminated_constructs_do_not_panic() {
        for page in [
            "<!--",
            "<!---->x",
            "<!--->",
            "<script>",
            "<svg><g>",
            "<div class=\"x",
            "<",
            "</",
            "<a",
        ] {
            let _ = prescan(page);
        }
    }
}
