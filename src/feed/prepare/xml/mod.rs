//! The XML repairer: one pass over the decoded document writing XML a strict parser
//! accepts, recovering the way readers do (see `Prepared` for what its output promises).
//! References and DOCTYPE entities are `entities`' part, feed dialects `dialects`',
//! start tags (where most repairs happen) `start_tag`'s.

mod dialects;
mod entities;
mod start_tag;

use std::collections::HashMap;
use std::rc::Rc;

use memchr::memmem;

use super::emails::{separate_emails, xml_text};
use super::scan_reads_entry_child;
use entities::{EntityBudget, predefined_ref_len};

/// The repairer's output.
pub(super) struct Repaired {
    /// The repaired document.
    pub(crate) text: String,
    /// Output ranges of entry children feed-rs's copy leaves out.
    pub(crate) omitted: Vec<(usize, usize)>,
}

pub(super) fn repair(src: &str) -> Repaired {
    let mut r = Repairer::new(src);
    r.run();
    Repaired {
        text: r.out,
        omitted: r.omitted,
    }
}

struct Repairer<'a> {
    src: &'a str,
    pos: usize,
    out: String,
    stack: Vec<String>,
    /// Stack positions of wrappers whose tags are dropped while their children are kept
    /// (RSS 1.0's `channel` beside its items, RSS 1.1's `items`): ascending.
    silent: Vec<usize>,
    entities: HashMap<String, Rc<str>>,
    entity_budget: EntityBudget,
    /// Prefix bound to the Atom 0.3 namespace ("" for the default namespace).
    atom03_prefix: Option<String>,
    root_done: bool,
    root_seen: bool,
    /// The root is Atom (`feed` or `entry`).
    atom_doc: bool,
    /// The root is RSS (`rss`, `channel`, `rdf:RDF`).
    rss_doc: bool,
    /// The root is `rdf:RDF` (RSS 1.0 / 0.90), rewritten as `<rss><channel>`.
    rdf_root: bool,
    /// Inside a text-only element (depth, name): markup in it is the publisher's HTML
    /// left unescaped, so it is escaped into text (what readers make of it).
    escape: Option<(usize, String)>,
    /// Inside a base64 text construct (depth): its text is decoded.
    base64: Option<usize>,
    /// Inside an element feed-rs reads as a person (depth, output offset of its text).
    person: Option<(usize, usize)>,
    /// An open entry child left out of feed-rs's copy (depth, output offset of its tag).
    omit_open: Option<(usize, usize)>,
    /// Output ranges of entry children feed-rs's copy leaves out (see `Prepared`).
    omitted: Vec<(usize, usize)>,
    /// The open entry (`item`, `entry`) below the root: its depth and the output offset
    /// of its start tag. An entry the document ends inside is cut off, not an item.
    open_entry: Option<(usize, usize)>,
}

impl<'a> Repairer<'a> {
    fn new(src: &'a str) -> Self {
        Repairer {
            src,
            pos: 0,
            out: String::with_capacity(src.len() + src.len() / 16),
            stack: Vec::new(),
            silent: Vec::new(),
            entities: HashMap::new(),
            entity_budget: EntityBudget::new(),
            atom03_prefix: None,
            root_done: false,
            root_seen: false,
            atom_doc: false,
            rss_doc: false,
            rdf_root: false,
            escape: None,
            base64: None,
            person: None,
            omit_open: None,
            omitted: Vec::new(),
            open_entry: None,
        }
    }

    fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    fn run(&mut self) {
        let b = self.src.as_bytes();
        while self.pos < b.len() && !self.root_done {
            // Text runs to the next markup or reference; the five predefined references
            // (escaped HTML is full of them) are valid as they are and stay in the run.
            let mut from = self.pos;
            let p = loop {
                match memchr::memchr2(b'<', b'&', &b[from..]) {
                    None => break b.len(),
                    Some(off) => {
                        let p = from + off;
                        match predefined_ref_len(&b[p..]) {
                            Some(n) => from = p + n,
                            None => break p,
                        }
                    }
                }
            };
            if p == b.len() {
                self.text(self.pos, b.len());
                self.pos = b.len();
                break;
            }
            self.text(self.pos, p);
            self.pos = p;
            if b[p] == b'&' {
                let s = self.src;
                let n = self.entity(&s[p..], false);
                self.pos = p + n;
            } else {
                self.markup();
            }
        }
        // A truncated document: the entry it ends inside goes, whatever is still open
        // around it is closed.
        if !self.root_done {
            self.drop_open_entry();
        }
        while !self.stack.is_empty() {
            self.pop_close();
        }
    }

    /// Forget the open entry and everything written since its start tag.
    fn drop_open_entry(&mut self) {
        let Some((depth, from)) = self.open_entry.take() else {
            return;
        };
        self.out.truncate(from);
        self.omitted.retain(|&(start, _)| start < from);
        let keep = depth - 1;
        self.stack.truncate(keep);
        self.silent.retain(|&k| k < keep);
        self.escape = self.escape.take().filter(|(d, _)| *d <= keep);
        self.base64 = self.base64.filter(|d| *d <= keep);
        self.person = self.person.filter(|(d, _)| *d <= keep);
        self.omit_open = self.omit_open.filter(|(d, _)| *d <= keep);
    }

    /// The text of a person element written since `from`, with e-mail addresses kept
    /// apart from non-ASCII neighbours (see `email_hazard`).
    fn separate_person_emails(&mut self, from: usize) {
        let Some(written) = self.out.get(from..) else {
            return;
        };
        if !written.contains('@') {
            return;
        }
        if let Some(fixed) = xml_text(written).and_then(|t| separate_emails(&t)) {
            self.out.truncate(from);
            for ch in fixed.chars() {
                push_escaped(&mut self.out, ch, false);
            }
        }
    }

    /// Pop the innermost open element and write its end tag (none for a dropped wrapper).
    fn pop_close(&mut self) {
        if let Some((depth, from)) = self.person
            && depth == self.stack.len()
        {
            self.person = None;
            self.separate_person_emails(from);
        }
        if let Some(name) = self.stack.pop() {
            if self.open_entry.is_some_and(|(d, _)| d > self.stack.len()) {
                self.open_entry = None;
            }
            if self.silent.last() == Some(&self.stack.len()) {
                self.silent.pop();
            } else {
                self.close(&name);
            }
        }
        if let Some((depth, from)) = self.omit_open
            && depth == self.stack.len() + 1
        {
            self.omit_open = None;
            self.omitted.push((from, self.out.len()));
        }
    }

    /// Is the element about to start (`qname`, output name) an entry child that only the
    /// fact scan reads (see `scan_reads_entry_child`)?
    fn scan_only_entry_child(&self, qname: &str) -> bool {
        let Some(parent) = self.stack.last() else {
            return false;
        };
        let parent = local_part(parent);
        ((self.rss_doc && parent == "item") || (self.atom_doc && parent == "entry"))
            && scan_reads_entry_child(qname)
    }

    /// Copy text between markup; text outside the root element is dropped.
    fn text(&mut self, from: usize, to: usize) {
        if from >= to {
            return;
        }
        if self.stack.is_empty() {
            return;
        }
        if self.base64 == Some(self.stack.len()) {
            let cleaned: Vec<u8> = self.src[from..to]
                .bytes()
                .filter(|c| !c.is_ascii_whitespace())
                .collect();
            use base64::Engine as _;
            if let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(&cleaned) {
                let text = String::from_utf8_lossy(&decoded).into_owned();
                for ch in text.chars() {
                    push_escaped(&mut self.out, ch, false);
                }
                return;
            }
        }
        // '>' is legal in text; nothing to repair.
        self.out.push_str(&self.src[from..to]);
    }

    fn close(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    fn markup(&mut self) {
        let rest = self.rest();
        let b = rest.as_bytes();
        if rest.starts_with("<!--") {
            self.pos += memmem::find(&b[4..], b"-->").map_or(b.len(), |e| e + 7);
            return;
        }
        if rest.starts_with("<![CDATA[") {
            self.cdata();
            return;
        }
        if let Some((_, ename)) = &self.escape {
            let closes_it = rest
                .strip_prefix("</")
                .and_then(|r| r.strip_prefix(ename.as_str()))
                .is_some_and(|r| r.trim_start().starts_with('>'));
            // A text element left open: the structure resumes at an end tag of an
            // enclosing element or at the next entry.
            let resumes = closes_it
                || rest.strip_prefix("</").is_some_and(|r| {
                    let n = r
                        .split(|c: char| c == '>' || c.is_whitespace())
                        .next()
                        .unwrap_or("");
                    self.stack.iter().any(|s| s == n)
                })
                || ["<item>", "<item ", "<entry>", "<entry "]
                    .iter()
                    .any(|t| rest.starts_with(t));
            if resumes {
                self.escape = None;
            } else {
                // The publisher's own markup inside a text element: keep it as text.
                let end = html_tag_end(b);
                for ch in rest[..end].chars() {
                    push_escaped(&mut self.out, ch, false);
                }
                self.pos += end;
                return;
            }
        }
        if rest.starts_with("<?") {
            self.pos += memmem::find(b, b"?>").map_or(b.len(), |e| e + 2);
            return;
        }
        if b.len() >= 9 && b[..9].eq_ignore_ascii_case(b"<!DOCTYPE") {
            self.doctype();
            return;
        }
        if rest.starts_with("<!") {
            self.pos += memchr::memchr(b'>', b).map_or(b.len(), |e| e + 1);
            return;
        }
        if rest.starts_with("</") {
            self.end_tag();
            return;
        }
        if b.get(1)
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_' || *c >= 0x80)
        {
            self.start_tag();
            return;
        }
        // A bare '<' in text.
        if !self.stack.is_empty() {
            self.out.push_str("&lt;");
        }
        self.pos += 1;
    }

    fn cdata(&mut self) {
        let rest = self.rest();
        let body_start = 9;
        match memmem::find(&rest.as_bytes()[body_start..], b"]]>") {
            Some(e) => {
                if !self.stack.is_empty() {
                    self.out.push_str(&rest[..body_start + e + 3]);
                }
                self.pos += body_start + e + 3;
            }
            None => {
                // Unclosed: the section ends where its element does, else at the end.
                let end = self
                    .stack
                    .last()
                    .and_then(|top| memmem::find(rest.as_bytes(), format!("</{top}").as_bytes()))
                    .filter(|e| *e >= body_start)
                    .unwrap_or(rest.len());
                if !self.stack.is_empty() {
                    self.out.push_str("<![CDATA[");
                    self.out
                        .push_str(&rest[body_start..end].replace("]]>", "]]&gt;"));
                    self.out.push_str("]]>");
                }
                self.pos += end;
            }
        }
    }

    fn end_tag(&mut self) {
        let rest = self.rest();
        let b = rest.as_bytes();
        let close = memchr::memchr(b'>', b);
        let raw = &rest[2..close.unwrap_or(b.len())];
        let name = raw.trim();
        self.pos += close.map_or(b.len(), |e| e + 1);
        let name = self.rename(name);
        let found = self.stack.iter().rposition(|n| *n == name).or_else(|| {
            self.stack
                .iter()
                .rposition(|n| n.eq_ignore_ascii_case(&name))
        });
        if let Some(k) = found {
            while self.stack.len() > k {
                self.pop_close();
            }
            if self.escape.as_ref().is_some_and(|(d, _)| *d > k) {
                self.escape = None;
            }
            if self.base64.is_some_and(|d| d > k) {
                self.base64 = None;
            }
            if self.stack.is_empty() {
                self.root_done = true;
            }
        }
    }

    /// An attribute value, repaired and escaped for a double-quoted attribute.
    fn attr_value(&mut self, v: &str) {
        let b = v.as_bytes();
        let mut i = 0;
        while i < b.len() {
            match memchr::memchr3(b'&', b'<', b'"', &b[i..]) {
                None => {
                    self.out.push_str(&v[i..]);
                    break;
                }
                Some(off) => {
                    let p = i + off;
                    self.out.push_str(&v[i..p]);
                    match b[p] {
                        b'&' => {
                            let n = self.entity(&v[p..], true);
                            i = p + n;
                        }
                        b'<' => {
                            self.out.push_str("&lt;");
                            i = p + 1;
                        }
                        _ => {
                            self.out.push_str("&quot;");
                            i = p + 1;
                        }
                    }
                }
            }
        }
    }
}

/// HTML elements that never have content: an unclosed `<br>` must not swallow its
/// following siblings.
fn is_void(name: &str) -> bool {
    let mut buf = [0u8; 8];
    if name.len() > buf.len() {
        return false;
    }
    for (d, c) in buf.iter_mut().zip(name.bytes()) {
        *d = c.to_ascii_lowercase();
    }
    matches!(
        &buf[..name.len()],
        b"br"
            | b"img"
            | b"hr"
            | b"input"
            | b"wbr"
            | b"area"
            | b"col"
            | b"embed"
            | b"param"
            | b"track"
            | b"basefont"
    )
}

/// The local part of a qualified name (after the last `:`).
fn local_part(qname: &str) -> &str {
    match qname.as_bytes().iter().rposition(|&c| c == b':') {
        Some(i) => &qname[i + 1..],
        None => qname,
    }
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// Length of the tag (or comment) at the start of `b`, quotes respected; at least 1.
fn html_tag_end(b: &[u8]) -> usize {
    if b.starts_with(b"<!--") {
        return memmem::find(&b[4..], b"-->").map_or(b.len(), |e| e + 7);
    }
    let mut quote: Option<u8> = None;
    for (i, &c) in b.iter().enumerate().skip(1) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => return i + 1,
            // A '<' before the tag ended: the tag was never closed.
            None if c == b'<' => return i,
            None => {}
        }
    }
    memchr::memchr(b'>', b).map_or(b.len(), |e| e + 1)
}

fn push_escaped(out: &mut String, ch: char, in_attr: bool) {
    match ch {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' if in_attr => out.push_str("&quot;"),
        _ => out.push(ch),
    }
}
