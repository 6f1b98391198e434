//! Person texts feed-rs would panic on: an e-mail address next to a non-ASCII character
//! (in RSS/Atom people and JSON Feed authors alike) gets a space between them.

/// ASCII characters an e-mail address can be written with in a person's text, as
/// feed-rs's address pattern sees it (`<[(`, `mailto:`, the address, `>])`).
fn emailish(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"._%+-@:<>[]()".contains(&c)
}

/// The byte range of the address-like run around the `@` at `at`.
fn address_around(b: &[u8], at: usize) -> (usize, usize) {
    let start = b[..at]
        .iter()
        .rposition(|&c| !emailish(c))
        .map_or(0, |p| p + 1);
    let end = b[at..]
        .iter()
        .position(|&c| !emailish(c))
        .map_or(b.len(), |p| at + p);
    (start, end)
}

/// feed-rs 3.0 splits a person's text ("Name <jane@x.org>") by slicing one byte before
/// or after the first e-mail address it finds, and panics when that neighbour is a
/// multi-byte character (`Jörg–jörg@x.org`): one bad author then costs the whole feed.
/// Is there an address with a non-ASCII neighbour in `s`?
pub(super) fn email_hazard(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr_iter(b'@', b).any(|at| {
        let (start, end) = address_around(b, at);
        (start > 0 && b[start - 1] >= 0x80) || (end < b.len() && b[end] >= 0x80)
    })
}

/// `s` with a space between every e-mail address and a non-ASCII neighbour (see
/// `email_hazard`); `None` when there is nothing to separate.
pub(super) fn separate_emails(s: &str) -> Option<String> {
    if !email_hazard(s) {
        return None;
    }
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len() + 8);
    let mut last = 0;
    for at in memchr::memchr_iter(b'@', b) {
        let (start, end) = address_around(b, at);
        if start < last {
            continue;
        }
        out.push_str(&s[last..start]);
        if start > 0 && b[start - 1] >= 0x80 {
            out.push(' ');
        }
        out.push_str(&s[start..end]);
        if end < b.len() && b[end] >= 0x80 {
            out.push(' ');
        }
        last = end;
    }
    out.push_str(&s[last..]);
    Some(out)
}

/// The text an XML fragment of text, references and CDATA sections stands for; `None`
/// when it holds elements.
pub(super) fn xml_text(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while !rest.is_empty() {
        let (text, cdata) = match rest.find("<![CDATA[") {
            Some(i) => (&rest[..i], Some(&rest[i + 9..])),
            None => (rest, None),
        };
        if text.contains('<') {
            return None;
        }
        match quick_xml::escape::unescape(text) {
            Ok(t) => out.push_str(&t),
            Err(_) => out.push_str(text),
        }
        match cdata {
            Some(c) => {
                let end = c.find("]]>").unwrap_or(c.len());
                out.push_str(&c[..end]);
                rest = c.get(end + 3..).unwrap_or("");
            }
            None => rest = "",
        }
    }
    Some(out)
}
