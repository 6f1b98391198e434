//! Character and entity references as HTML reads them: numeric references (windows-1252
//! for 0x80-0x9F), HTML5 named references from html5ever's table, and the legacy names
//! decoded without their `;`.

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
pub(crate) type EntityChars = (char, Option<char>);

/// Decode one character or entity reference at the start of `s` (which begins with `&`),
/// as HTML does. Returns the characters and how many bytes were consumed.
pub(crate) fn decode_entity(s: &str) -> Option<(EntityChars, usize)> {
    let b = s.as_bytes();
    if b.get(1) == Some(&b'#') {
        let r = numeric_ref(s)?;
        return Some(((char_from_ref(r.value), None), r.len));
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

/// A numeric character reference at the start of `s` (`&#233;`, `&#xE9`, `;` optional).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NumericRef {
    /// The number (U+FFFD's for one too large); `char_from_ref` makes it a character.
    pub(crate) value: u32,
    /// Bytes the reference takes, its `;` included.
    pub(crate) len: usize,
    /// It ends with `;`.
    pub(crate) terminated: bool,
}

/// The numeric character reference at the start of `s`; None when `s` does not start
/// with `&#` and digits.
pub(crate) fn numeric_ref(s: &str) -> Option<NumericRef> {
    let b = s.as_bytes();
    if !s.starts_with("&#") {
        return None;
    }
    let hex = matches!(b.get(2), Some(b'x') | Some(b'X'));
    let start = if hex { 3 } else { 2 };
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
    let value = u32::from_str_radix(&s[start..end], if hex { 16 } else { 10 }).unwrap_or(0xFFFD);
    let terminated = b.get(end) == Some(&b';');
    Some(NumericRef {
        value,
        len: end + usize::from(terminated),
        terminated,
    })
}

/// The characters of the HTML5 named character reference `&name;` (`name` without `&`
/// and `;`), from html5ever's table.
pub(crate) fn html5_entity(name: &str) -> Option<EntityChars> {
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
pub(crate) fn char_from_ref(v: u32) -> char {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_decode_as_html_does() {
        assert_eq!(decode_entity("&#233;x"), Some((('\u{e9}', None), 6)));
        assert_eq!(decode_entity("&#x3b3;"), Some((('\u{3b3}', None), 7)));
        assert_eq!(decode_entity("&#150;"), Some((('\u{2013}', None), 6)));
        assert_eq!(decode_entity("&amp"), Some((('&', None), 4)));
        assert_eq!(decode_entity("&gamma;"), Some((('\u{3b3}', None), 7)));
        assert_eq!(decode_entity("&bogus;"), None);
        assert_eq!(
            numeric_ref("&#xE9 x"),
            Some(NumericRef {
                value: 0xE9,
                len: 5,
                terminated: false
            })
        );
        assert_eq!(numeric_ref("&#99999999999;").map(|r| r.value), Some(0xFFFD));
        assert_eq!(numeric_ref("&#;"), None);
        assert_eq!(numeric_ref("&amp;"), None);
        assert_eq!(char_from_ref(0), '\u{fffd}');
        assert_eq!(char_from_ref(0x11_0000), '\u{fffd}');
        assert_eq!(
            html5_entity("NotEqualTilde"),
            Some(('\u{2242}', Some('\u{338}')))
        );
    }
}
