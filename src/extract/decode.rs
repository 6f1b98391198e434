//! Page bytes -> text: picks the character encoding (HTTP charset, BOM, `<meta charset>`,
//! then sniffing) and decodes once.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8};

use crate::text::charset;

/// How far into the page the `<meta charset>` prescan looks. Browsers use 1024 bytes;
/// real pages put long `<script>`/`<style>` blocks first, so we look further.
const META_SCAN_BYTES: usize = 16 * 1024;

/// Decode `bytes` to text. The order is the one browsers use: the HTTP `Content-Type`
/// charset, a byte-order mark, a `<meta>` declaration, and last `text::charset`'s policy
/// for undeclared bytes.
pub(crate) fn decode<'a>(bytes: &'a [u8], content_type: Option<&str>) -> Cow<'a, str> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return enc.decode_without_bom_handling(&bytes[bom_len..]).0;
    }
    let declared = content_type.and_then(charset_from_content_type);
    let enc = match declared {
        Some(enc) => enc,
        None => match meta_charset(&bytes[..bytes.len().min(META_SCAN_BYTES)]) {
            // Pages are often re-saved as UTF-8 while keeping their old declaration; a
            // legacy single-byte label on bytes that are valid, non-ASCII UTF-8 is wrong.
            Some(enc) if enc != UTF_8 && is_utf8_with_non_ascii(bytes) => UTF_8,
            Some(enc) => enc,
            // Nothing declared: the one policy for undeclared bytes.
            None => return charset::decode_undeclared(bytes).0,
        },
    };
    if enc == UTF_8 {
        // SIMD validation first: most pages are valid UTF-8 and std's validator was a
        // visible share of extraction time.
        return match simdutf8::basic::from_utf8(bytes) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) => String::from_utf8_lossy(bytes),
        };
    }
    enc.decode_without_bom_handling(bytes).0
}

fn is_utf8_with_non_ascii(bytes: &[u8]) -> bool {
    !bytes.is_ascii() && simdutf8::basic::from_utf8(bytes).is_ok()
}

/// The `charset=` parameter of a `Content-Type` header value.
pub(crate) fn charset_from_content_type(ct: &str) -> Option<&'static Encoding> {
    charset::http_charset(ct).and_then(|label| label_to_encoding(&label))
}

fn label_to_encoding(label: &str) -> Option<&'static Encoding> {
    let enc = Encoding::for_label(label.as_bytes())?;
    // A page cannot really be UTF-16 if we found an ASCII-compatible declaration in it.
    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        return Some(UTF_8);
    }
    Some(enc)
}

/// Find `<meta charset=...>` or `<meta http-equiv=Content-Type content="...charset=...">`
/// in the first bytes of the page, skipping comments.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &head[i..]) {
        i += off;
        let rest = &head[i..];
        if rest.starts_with(b"<!--") {
            match memchr::memmem::find(&rest[4..], b"-->") {
                Some(end) => i += 4 + end + 3,
                None => return None,
            }
            continue;
        }
        if rest.len() > 5 && rest[1..5].eq_ignore_ascii_case(b"meta") {
            let end = memchr::memchr(b'>', rest).unwrap_or(rest.len());
            let tag = &rest[..end];
            if let Some(enc) = charset_in_tag(tag) {
                return Some(enc);
            }
            i += end.max(1);
            continue;
        }
        i += 1;
    }
    None
}

fn charset_in_tag(tag: &[u8]) -> Option<&'static Encoding> {
    let lower = tag.to_ascii_lowercase();
    let pos = memchr::memmem::find(&lower, b"charset")?;
    let mut rest = &tag[pos + 7..];
    while let [b' ' | b'\t' | b'\n' | b'\r', tail @ ..] = rest {
        rest = tail;
    }
    rest = rest.strip_prefix(b"=")?;
    while let [b' ' | b'\t' | b'\n' | b'\r' | b'"' | b'\'', tail @ ..] = rest {
        rest = tail;
    }
    let end = rest
        .iter()
        .position(|&b| matches!(b, b'"' | b'\'' | b';' | b' ' | b'>' | b'/' | b'\t' | b'\n'))
        .unwrap_or(rest.len());
    let label = std::str::from_utf8(&rest[..end]).ok()?;
    label_to_encoding(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_charset_wins_over_meta() {
        let page = b"<meta charset=\"utf-8\"><p>caf\xe9</p>";
        let s = decode(page, Some("text/html; charset=ISO-8859-1"));
        assert!(s.contains("café"));
    }

    #[test]
    fn bom_wins_over_everything() {
        let mut page = vec![0xEF, 0xBB, 0xBF];
        page.extend_from_slice("<p>café</p>".as_bytes());
        let s = decode(&page, Some("text/html; charset=windows-1252"));
        assert_eq!(s, "<p>café</p>");
    }

    #[test]
    fn meta_charset_and_http_equiv_are_read() {
        let page = b"<html><head><meta http-equiv='Content-Type' content='text/html; charset=windows-1251'></head><p>\xcf\xf0\xe8\xe2\xe5\xf2</p>";
        assert!(decode(page, None).contains("Привет"));
        let page = b"<!-- <meta charset=koi8-r> --><meta charset=iso-8859-2><p>\xb1</p>";
        assert!(decode(page, None).contains('ą'));
    }

    #[test]
    fn undeclared_pages_are_utf8_unless_invalid() {
        assert_eq!(decode("<p>naïve</p>".as_bytes(), None), "<p>naïve</p>");
        assert!(decode(b"<p>na\xefve</p>", None).contains("naïve"));
    }

    #[test]
    fn stale_legacy_declaration_on_utf8_bytes_is_ignored() {
        let page = "<meta charset=iso-8859-1><p>Zürich</p>".as_bytes();
        assert!(decode(page, None).contains("Zürich"));
    }
}
