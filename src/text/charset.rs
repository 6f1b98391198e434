//! Bytes -> text: the character encoding settled from what is declared (BOM, HTTP
//! charset, an XML declaration; HTML's `<meta>` is `extract::decode`'s) and what the
//! bytes really are. One policy for bytes nothing (true) declares, `decode_undeclared`:
//! UTF-8 when they are UTF-8, UTF-8 with windows-1252 for a few stray bytes, else what
//! chardetng detects when there is enough to detect from, else windows-1252.

use std::borrow::Cow;

use encoding_rs::Encoding;
use memchr::memmem;

/// `charset` parameter of a Content-Type header value.
pub(crate) fn http_charset(ct: &str) -> Option<String> {
    ct.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(['"', '\'']).to_string())
            .filter(|v| !v.is_empty())
    })
}

/// The `encoding` pseudo-attribute of an XML declaration near the start, if any.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(2048)];
    let start = memmem::find(head, b"<?xml")?;
    let end = memmem::find(&head[start..], b"?>").map_or(head.len(), |e| start + e);
    let decl = std::str::from_utf8(&head[start..end]).ok()?;
    let at = decl.find("encoding")?;
    let rest = decl[at + 8..].trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next()?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let val = rest[1..].split(quote).next()?;
    Some(val.trim().to_string()).filter(|v| !v.is_empty())
}

/// Decode bytes to text. Order: BOM and UTF-16/32 byte patterns; then the HTTP charset,
/// else the declared encoding, else UTF-8. A single-byte declaration on bytes that are
/// valid multi-byte UTF-8 is wrong (the classic `CafÃ©`), so UTF-8 wins there; bytes that
/// are not valid UTF-8 in a document said to be UTF-8 are read as windows-1252 one by one.
pub(crate) fn decode_xml<'b>(
    bytes: &'b [u8],
    http_charset: Option<&str>,
) -> (Cow<'b, str>, &'static str) {
    // Byte order marks and the UTF-16/32 shape of "<?".
    let utf32 = |be: bool, skip: usize| -> (Cow<'b, str>, &'static str) {
        let body = &bytes[skip..];
        let s = body
            .chunks_exact(4)
            .map(|c| {
                let v = if be {
                    u32::from_be_bytes([c[0], c[1], c[2], c[3]])
                } else {
                    u32::from_le_bytes([c[0], c[1], c[2], c[3]])
                };
                char::from_u32(v).unwrap_or('\u{fffd}')
            })
            .collect::<String>();
        (s.into(), if be { "UTF-32BE" } else { "UTF-32LE" })
    };
    let utf16 = |enc: &'static Encoding, skip: usize| -> (Cow<'b, str>, &'static str) {
        let (s, _) = enc.decode_without_bom_handling(&bytes[skip..]);
        (s, enc.name())
    };
    match bytes {
        [0x00, 0x00, 0xFE, 0xFF, ..] => return utf32(true, 4),
        [0xFF, 0xFE, 0x00, 0x00, ..] => return utf32(false, 4),
        [0x00, 0x00, 0x00, 0x3C, ..] => return utf32(true, 0),
        [0x3C, 0x00, 0x00, 0x00, ..] => return utf32(false, 0),
        [0xFE, 0xFF, ..] => return utf16(encoding_rs::UTF_16BE, 2),
        [0xFF, 0xFE, ..] => return utf16(encoding_rs::UTF_16LE, 2),
        [0x00, 0x3C, ..] | [0x00, 0x09..=0x20, 0x00, 0x3C, ..] => {
            return utf16(encoding_rs::UTF_16BE, 0);
        }
        [0x3C, 0x00, ..] | [0x09..=0x20, 0x00, 0x3C, 0x00, ..] => {
            return utf16(encoding_rs::UTF_16LE, 0);
        }
        _ => {}
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let declared = declared_encoding(bytes);
    let label = http_charset
        .and_then(|c| Encoding::for_label(c.as_bytes()))
        .or_else(|| declared.and_then(|d| Encoding::for_label(d.as_bytes())))
        // ASCII-compatible bytes said to be UTF-16: the label is wrong.
        .filter(|e| *e != encoding_rs::UTF_16LE && *e != encoding_rs::UTF_16BE)
        .filter(|e| *e != encoding_rs::UTF_8);
    // Fast path, most feeds: valid UTF-8 and nothing (or UTF-8) declared. (SIMD
    // validation: this looks at every byte of every feed.)
    if let Ok(s) = simdutf8::basic::from_utf8(bytes)
        && (label.is_none() || s.is_ascii())
    {
        return (
            Cow::Borrowed(s),
            if s.is_ascii() { "US-ASCII" } else { "UTF-8" },
        );
    }
    let (multibyte, invalid) = utf8_stats(bytes);
    match label {
        None => undeclared(bytes, multibyte, invalid),
        Some(enc) if enc.is_single_byte() => {
            // A single-byte label on bytes that hold UTF-8 sequences: the label is wrong
            // (the classic `CafÃ©`), at least for those sequences.
            if multibyte > 0 && multibyte >= invalid {
                if invalid == 0 {
                    return (String::from_utf8_lossy(bytes), "UTF-8");
                }
                return (mixed(bytes, enc).into(), "UTF-8");
            }
            let (s, _) = enc.decode_without_bom_handling(bytes);
            (s, enc.name())
        }
        Some(enc) => {
            let (s, _) = enc.decode_without_bom_handling(bytes);
            (s, enc.name())
        }
    }
}

/// (valid multi-byte UTF-8 sequences, bytes that are not UTF-8).
fn utf8_stats(mut bytes: &[u8]) -> (usize, usize) {
    let (mut multi, mut invalid) = (0, 0);
    loop {
        let (good, bad) = match std::str::from_utf8(bytes) {
            Ok(s) => (s, None),
            Err(e) => (
                std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default(),
                Some(
                    e.error_len()
                        .unwrap_or(bytes.len() - e.valid_up_to())
                        .max(1),
                ),
            ),
        };
        // In valid UTF-8 every multi-byte character has exactly one lead byte >= 0xC0.
        multi += good.bytes().filter(|&b| b >= 0xC0).count();
        match bad {
            None => return (multi, invalid),
            Some(n) => {
                invalid += n;
                bytes = &bytes[good.len() + n..];
            }
        }
    }
}

/// UTF-8 where the bytes are UTF-8, `fallback` for each byte that is not.
fn mixed(mut bytes: &[u8], fallback: &'static Encoding) -> String {
    let mut out = String::with_capacity(bytes.len() + 16);
    loop {
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                out.push_str(s);
                return out;
            }
            Err(e) => {
                let good = e.valid_up_to();
                out.push_str(std::str::from_utf8(&bytes[..good]).unwrap_or_default());
                let bad_len = e.error_len().unwrap_or(bytes.len() - good).max(1);
                let (s, _) = fallback.decode_without_bom_handling(&bytes[good..good + bad_len]);
                out.push_str(&s);
                bytes = &bytes[good + bad_len..];
            }
        }
    }
}

/// Bytes no declaration (or only a wrong one) speaks for, decoded; with the encoding's
/// name. See the module's policy.
pub(crate) fn decode_undeclared(bytes: &[u8]) -> (Cow<'_, str>, &'static str) {
    // SIMD validation first: most documents are valid UTF-8.
    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        return (Cow::Borrowed(s), "UTF-8");
    }
    let (multibyte, invalid) = utf8_stats(bytes);
    undeclared(bytes, multibyte, invalid)
}

/// Non-ASCII bytes below which undeclared legacy text is read as windows-1252 rather
/// than detected.
const MIN_DETECTION_EVIDENCE: usize = 16;

fn undeclared(bytes: &[u8], multibyte: usize, invalid: usize) -> (Cow<'_, str>, &'static str) {
    if invalid == 0 {
        return (String::from_utf8_lossy(bytes), "UTF-8");
    }
    if multibyte > invalid {
        // UTF-8 with a few stray single-byte characters.
        return (mixed(bytes, encoding_rs::WINDOWS_1252).into(), "UTF-8");
    }
    // Not UTF-8 at all and nothing (true) said: detect, given evidence to detect from.
    // On a handful of non-ASCII bytes chardetng's guess is noise (`na\xefve` comes out
    // ISO-8859-4); the web's legacy default is the better bet there.
    if bytes.iter().filter(|b| !b.is_ascii()).count() < MIN_DETECTION_EVIDENCE {
        let (s, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
        return (s, "windows-1252");
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let enc = det.guess(None, chardetng::Utf8Detection::Deny);
    let (s, _) = enc.decode_without_bom_handling(bytes);
    (s, enc.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undeclared_bytes_one_policy() {
        assert_eq!(
            decode_undeclared("naïve".as_bytes()),
            ("naïve".into(), "UTF-8")
        );
        // Mostly UTF-8 with a stray windows-1252 byte.
        let mut b = "Zürich, Genève et ".as_bytes().to_vec();
        b.extend_from_slice(b"caf\xe9");
        assert_eq!(decode_undeclared(&b).0, "Zürich, Genève et café");
        // Not UTF-8 at all: detected (Cyrillic windows-1251 here).
        let (s, enc) = decode_undeclared(
            b"\xcf\xf0\xe8\xe2\xe5\xf2, \xea\xe0\xea \xe4\xe5\xeb\xe0? \xc2\xf1\xb8 \xf5\xee\xf0\xee\xf8\xee.",
        );
        assert_eq!(enc, "windows-1251");
        assert!(s.starts_with("Привет"), "{s}");
        // Too little to detect from: windows-1252.
        assert_eq!(
            decode_undeclared(b"<p>na\xefve</p>"),
            ("<p>naïve</p>".into(), "windows-1252")
        );
    }

    #[test]
    fn http_charset_parameter() {
        assert_eq!(
            http_charset("text/xml; charset=\"ISO-8859-1\"").as_deref(),
            Some("ISO-8859-1")
        );
        assert_eq!(http_charset("text/xml"), None);
    }
}
