//! References in the XML: character references made valid, HTML entities resolved,
//! DOCTYPE internal entities harvested and expanded within one budget per document.

use std::rc::Rc;

use super::{Repairer, push_escaped};
use crate::text::entities::{char_from_ref, html5_entity, numeric_ref};

/// Limit on one DOCTYPE entity's expansion.
const MAX_ENTITY_EXPANSION: usize = 64 * 1024;

/// What DOCTYPE entity expansion may cost in one document, all references together: the
/// bytes written by expansions at every nesting level (output and the work of building
/// it) and the number of references resolved. Past it the references are left as text
/// (`&name;`), so a billion laughs, wide or plain, or one large entity referenced
/// thousands of times, costs a few MB and milliseconds, never gigabytes.
#[derive(Debug)]
pub(super) struct EntityBudget {
    bytes: usize,
    expansions: usize,
    pub(super) exhausted: bool,
}

impl EntityBudget {
    const BYTES: usize = 2 * 1024 * 1024;
    const EXPANSIONS: usize = 100_000;

    pub(super) fn new() -> Self {
        EntityBudget {
            bytes: Self::BYTES,
            expansions: Self::EXPANSIONS,
            exhausted: false,
        }
    }

    /// One more reference to resolve, if the budget allows it.
    fn take_expansion(&mut self) -> bool {
        if self.exhausted || self.expansions == 0 {
            self.exhausted = true;
            return false;
        }
        self.expansions -= 1;
        true
    }

    /// Charge `n` bytes written by an expansion; false (and spent for good) past the budget.
    fn spend(&mut self, n: usize) -> bool {
        if self.exhausted || n > self.bytes {
            self.exhausted = true;
            return false;
        }
        self.bytes -= n;
        true
    }
}

impl Repairer<'_> {
    /// Handle `&...` at the start of `s`; returns bytes consumed. Appends valid XML.
    pub(super) fn entity(&mut self, s: &str, in_attr: bool) -> usize {
        let mut out = std::mem::take(&mut self.out);
        let n = self.entity_into(s, in_attr, &mut out, 0);
        self.out = out;
        n
    }

    fn entity_into(&mut self, s: &str, in_attr: bool, out: &mut String, depth: u8) -> usize {
        let b = s.as_bytes();
        if b.get(1) == Some(&b'#') {
            if let Some(r) = numeric_ref(s) {
                let ch = char_from_ref(r.value);
                let valid_xml = matches!(ch, '\t' | '\n' | '\r')
                    || (ch >= ' ' && ch != '\u{fffe}' && ch != '\u{ffff}');
                if r.terminated && valid_xml && !(0x80..=0x9F).contains(&r.value) {
                    out.push_str(&s[..r.len]);
                } else {
                    if valid_xml {
                        push_escaped(out, ch, in_attr);
                    }
                }
                return r.len;
            }
            out.push_str("&amp;");
            return 1;
        }
        let name_len = b[1..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b':'))
            .count();
        if name_len == 0 || b.get(1 + name_len) != Some(&b';') {
            // A bare ampersand (or a reference missing its ';').
            out.push_str("&amp;");
            return 1;
        }
        let name = &s[1..1 + name_len];
        let len = name_len + 2;
        if matches!(name, "amp" | "lt" | "gt" | "quot" | "apos") {
            out.push_str(&s[..len]);
            return len;
        }
        if let Some(value) = self.entities.get(name).cloned() {
            if depth < 8 {
                if !self.entity_budget.take_expansion() {
                    push_unexpanded(out, name);
                    return len;
                }
                let mut expanded = String::new();
                self.expand_into(&value, &mut expanded, depth + 1);
                if !self.entity_budget.spend(expanded.len()) {
                    push_unexpanded(out, name);
                } else if expanded.len() <= MAX_ENTITY_EXPANSION {
                    out.push_str(&expanded);
                }
            }
            return len;
        }
        if let Some((c1, c2)) = html5_entity(name) {
            push_escaped(out, c1, in_attr);
            if let Some(c2) = c2 {
                push_escaped(out, c2, in_attr);
            }
            return len;
        }
        out.push_str("&amp;");
        1
    }

    /// A DOCTYPE entity's value, its own references resolved, escaped as text.
    fn expand_into(&mut self, value: &str, out: &mut String, depth: u8) {
        let b = value.as_bytes();
        let mut i = 0;
        while i < b.len() && out.len() <= MAX_ENTITY_EXPANSION && !self.entity_budget.exhausted {
            match memchr::memchr2(b'&', b'<', &b[i..]) {
                None => {
                    out.push_str(&value[i..]);
                    break;
                }
                Some(off) => {
                    out.push_str(&value[i..i + off]);
                    let p = i + off;
                    if b[p] == b'<' {
                        out.push_str("&lt;");
                        i = p + 1;
                    } else {
                        i = p + self.entity_into(&value[p..], false, out, depth);
                    }
                }
            }
        }
    }

    /// Harvest `<!ENTITY name "value">` from the internal subset, drop the DOCTYPE.
    pub(super) fn doctype(&mut self) {
        let rest = self.rest();
        let b = rest.as_bytes();
        let mut i = 9;
        let mut quote: Option<u8> = None;
        let mut depth = 0;
        let mut end = b.len();
        while i < b.len() {
            let c = b[i];
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    b'"' | b'\'' => quote = Some(c),
                    b'[' => depth += 1,
                    b']' => depth -= 1,
                    b'>' if depth <= 0 => {
                        end = i + 1;
                        break;
                    }
                    _ => {}
                },
            }
            i += 1;
        }
        let decl = &rest[..end];
        let mut from = 0;
        while let Some(off) = decl[from..].find("<!ENTITY") {
            let s = from + off + 8;
            from = s;
            let body = decl[s..].trim_start();
            if body.starts_with('%') {
                continue;
            }
            let name_len = body.find(|c: char| c.is_whitespace()).unwrap_or(body.len());
            let name = &body[..name_len];
            let after = body[name_len..].trim_start();
            let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            if let Some(val) = after[1..].split(q).next()
                && !name.is_empty()
                && self.entities.len() < 1024
            {
                self.entities.insert(name.to_string(), Rc::from(val));
            }
        }
        self.pos += end;
    }
}

/// A DOCTYPE entity reference past the expansion budget, kept as the text it was.
fn push_unexpanded(out: &mut String, name: &str) {
    out.push_str("&amp;");
    out.push_str(name);
    out.push(';');
}

/// Length of `&lt;`, `&gt;`, `&amp;`, `&quot;` or `&apos;` at the start of `b`.
pub(super) fn predefined_ref_len(b: &[u8]) -> Option<usize> {
    [&b"&lt;"[..], b"&gt;", b"&amp;", b"&quot;", b"&apos;"]
        .iter()
        .find(|r| b.starts_with(r))
        .map(|r| r.len())
}
