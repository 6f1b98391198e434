//! Whitespace: runs of Unicode whitespace (U+00A0 included) collapsed to one space, ends
//! trimmed; the one definition every stage uses, and a builder for text assembled piece
//! by piece.

/// Runs of Unicode whitespace (including U+00A0) become one space; ends trimmed. In one pass
/// over ASCII runs rather than per character (it runs on every text of every feed).
pub(crate) fn collapse_ws(s: &str) -> String {
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
pub(crate) struct Collapser {
    out: String,
    /// Whitespace seen since the last text: one space before the next text.
    pending: bool,
}

impl Collapser {
    pub(crate) fn with_capacity(n: usize) -> Self {
        Collapser {
            out: String::with_capacity(n),
            pending: false,
        }
    }

    /// A word break (a block element's tag).
    pub(crate) fn space(&mut self) {
        self.pending = !self.out.is_empty();
    }

    pub(crate) fn push_str(&mut self, s: &str) {
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

    pub(crate) fn push_char(&mut self, ch: char) {
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

    pub(crate) fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition, one character at a time: what the fast path must equal.
    fn collapse_ws_simple(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut pending = false;
        for c in s.chars() {
            if c.is_whitespace() || c == '\u{a0}' {
                pending = !out.is_empty();
            } else {
                if pending {
                    out.push(' ');
                    pending = false;
                }
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn collapsing_matches_the_simple_definition() {
        // The fast path (8-byte steps, spans copied whole) against the per-character
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
                        assert_eq!(collapse_ws(&s), collapse_ws_simple(&s), "{s:?}");
                        n += 1;
                    }
                }
            }
        }
        assert!(n > 80_000);
        let long = "Lorem ipsum dolor sit amet, consectetur  adipiscing\telit; sed do eiusmod.";
        assert_eq!(collapse_ws(long), collapse_ws_simple(long));
    }

    #[test]
    fn whitespace_runs_become_one_space() {
        assert_eq!(collapse_ws("  a\u{a0}\u{a0}b\n\tc  "), "a b c");
        assert_eq!(collapse_ws(" \n "), "");
        let mut c = Collapser::with_capacity(8);
        c.push_str(" a ");
        c.space();
        c.push_char('b');
        assert_eq!(c.finish(), "a b");
    }

    #[test]
    fn whitespace_collapses_including_nbsp() {
        assert_eq!(collapse_ws("  a\u{a0}\u{a0}b\n\tc  "), "a b c");
        assert_eq!(collapse_ws(" \n "), "");
    }
}
