//! Rendering chosen nodes as plain text: paragraphs and list items separated by blank
//! lines, with what is not article text left out (headline, link lists, bylines,
//! "Updated ..." lines, ad and share labels, photo credits).

use super::dom::{Flat, Tag};

/// Blocks inside the content whose text is mostly links are lists of other stories.
const MAX_LINK_DENSITY_CONTAINER: f32 = 0.5;
const MAX_LINK_DENSITY_PARA: f32 = 0.75;
/// Content with more of its text in links than this keeps its link-dense blocks.
const LINKY_CONTENT: f32 = 0.35;

struct Out {
    paras: Vec<String>,
    /// For each paragraph: whether it was a sub-heading.
    heads: Vec<bool>,
    /// Depth of open `<h2>`-`<h6>` elements.
    heading: u32,
    cur: String,
    /// A space is owed before the next word (whitespace seen since the last word).
    space: bool,
    pre: u32,
}

impl Out {
    fn push_text(&mut self, t: &str) {
        if self.pre > 0 {
            for (k, line) in t.split('\n').enumerate() {
                if k > 0 {
                    self.cur.push('\n');
                    self.space = false;
                }
                self.push_words(line);
            }
            return;
        }
        self.push_words(t);
    }

    fn push_words(&mut self, t: &str) {
        let mut words = t
            .split(|c: char| c.is_whitespace())
            .filter(|w| !w.is_empty());
        let leading = t.starts_with(|c: char| c.is_whitespace());
        let trailing = t.ends_with(|c: char| c.is_whitespace());
        let Some(first) = words.next() else {
            if !t.is_empty() {
                self.space = true;
            }
            return;
        };
        if (self.space || leading) && !self.cur.is_empty() && !self.cur.ends_with('\n') {
            self.cur.push(' ');
        }
        self.cur.push_str(first);
        for w in words {
            self.cur.push(' ');
            self.cur.push_str(w);
        }
        self.space = trailing;
    }

    fn flush(&mut self) {
        let p = self.cur.trim();
        if !p.is_empty() {
            self.paras.push(p.to_string());
            self.heads.push(self.heading > 0);
        }
        self.cur.clear();
        self.space = false;
    }
}

/// Render the subtrees `parts` (arena indices) to paragraphs.
pub(crate) fn render(flat: &Flat, parts: &[usize]) -> Vec<String> {
    let mut out = Out {
        paras: Vec::new(),
        heads: Vec::new(),
        heading: 0,
        cur: String::new(),
        space: false,
        pre: 0,
    };
    let mut open: Vec<(u32, Tag)> = Vec::new(); // (end, tag)
    for &start in parts {
        let stop = flat.nodes[start].end as usize;
        let linky = flat.nodes[start].link_density() > LINKY_CONTENT;
        let mut i = start;
        while i < stop {
            while let Some(&(end, tag)) = open.last() {
                if end as usize > i {
                    break;
                }
                open.pop();
                out.flush();
                match tag {
                    Tag::Pre => out.pre -= 1,
                    Tag::H2to6 => out.heading -= 1,
                    _ => {}
                }
            }
            let node = &flat.nodes[i];
            if node.skip {
                i = node.end as usize;
                continue;
            }
            match node.tag {
                Tag::Text => {
                    if let Some(t) = node.text_str() {
                        out.push_text(t);
                    }
                }
                Tag::Br => out.flush(),
                Tag::Td | Tag::Th => out.space = true,
                tag if tag.is_block() => {
                    if prune(flat, i, linky) {
                        out.flush();
                        // The heading of a pruned link list ("More stories") goes too.
                        if out.heads.last() == Some(&true) && out.heading == 0 {
                            out.paras.pop();
                            out.heads.pop();
                        }
                        i = node.end as usize;
                        continue;
                    }
                    out.flush();
                    match tag {
                        Tag::Pre => out.pre += 1,
                        Tag::H2to6 => out.heading += 1,
                        _ => {}
                    }
                    open.push((node.end, tag));
                }
                _ => {}
            }
            i += 1;
        }
        out.flush();
        while let Some((_, tag)) = open.pop() {
            match tag {
                Tag::Pre => out.pre -= 1,
                Tag::H2to6 => out.heading -= 1,
                _ => {}
            }
        }
    }
    // A heading with nothing after it introduced something that was left out.
    while out.heads.last() == Some(&true) {
        out.paras.pop();
        out.heads.pop();
    }
    out.paras.retain(|p| !is_boilerplate_line(p));
    out.paras
}

/// A link-dense block is a list of other stories, unless the whole content is
/// link-heavy (buying guides, link roundups), where that is how its text is written.
fn prune(flat: &Flat, i: usize, linky: bool) -> bool {
    let n = &flat.nodes[i];
    if linky && n.tag != Tag::H1 {
        return false;
    }
    match n.tag {
        Tag::H1 => true,
        // Headings are left alone: listicles link their item headings.
        Tag::P | Tag::Li | Tag::Dd | Tag::Dt => {
            n.text > 0 && n.link_density() > MAX_LINK_DENSITY_PARA
        }
        Tag::Ul | Tag::Ol if is_link_list(flat, i) => true,
        Tag::Ul | Tag::Ol | Tag::Dl | Tag::Div | Tag::Section | Tag::Table | Tag::OtherBlock => {
            n.text > 0 && n.link_density() > MAX_LINK_DENSITY_CONTAINER
        }
        _ => false,
    }
}

/// A list whose items nearly all carry a link, with a fair share of its text in links:
/// "more stories" lists that write a few plain words around each headline link.
fn is_link_list(flat: &Flat, i: usize) -> bool {
    let n = &flat.nodes[i];
    if n.link_density() < 0.3 {
        return false;
    }
    let (mut items, mut linked) = (0u32, 0u32);
    let mut j = i + 1;
    while j < n.end as usize {
        let c = &flat.nodes[j];
        if c.tag == Tag::Li && c.text > 0 {
            items += 1;
            if c.link > 0 {
                linked += 1;
            }
        }
        j = if c.tag == Tag::Li {
            c.end as usize
        } else {
            j + 1
        };
    }
    // Headline lists are short lines; lists of cited facts are sentences.
    items >= 3 && linked * 5 >= items * 4 && n.text / items < 90
}

/// Exact labels that are never article text.
const LABELS: &[&str] = &[
    "advertisement",
    "advertising",
    "advert",
    "ad",
    "sponsored",
    "sponsored content",
    "continue reading",
    "continue reading below",
    "story continues below",
    "article continues below",
    "story continues below advertisement",
    "read more",
    "read more below",
    "related",
    "related articles",
    "related stories",
    "related content",
    "more on this",
    "share",
    "share this",
    "share this article",
    "share this story",
    "tweet",
    "email",
    "print",
    "comments",
    "comment",
    "loading",
    "skip to content",
    "skip advertisement",
    "recommended",
    "you may also like",
    "most popular",
    "trending",
    "image",
    "photo",
    "video",
    "close",
    "menu",
    "subscribe",
    "sign up",
    "log in",
    "follow us",
    "back to top",
    // "Read also" in the languages feeds carry most.
    "leggi anche",
    "lesen sie auch",
    "lire aussi",
    "à lire aussi",
    "leia também",
    "leia mais",
    "lea también",
    "читайте также",
    "関連記事",
];

/// Contact, newsletter, promotion and copyright lines that close many stories
/// (`t` is the lowercased paragraph).
fn is_promo_line(t: &str) -> bool {
    let has = |s: &str| t.contains(s);
    let starts = |s: &str| t.starts_with(s);
    (has("newsletter") && (has("sign up") || has("subscrib")))
        || has("follow us on")
        || has("follow him on")
        || has("follow her on")
        || ((has("may be reached at") || has("can be reached at")) && t.contains('@'))
        || starts("have a tip")
        || (starts("follow ")
            && (has("twitter") || has("facebook") || has("instagram") || has("youtube")))
        || starts("reporting by")
        || starts("(reporting by")
        || starts("editing by")
        || has("this document is subject to copyright")
        || has("facebook messenger")
        || has("contributed to this report")
        || starts("write to ")
        || starts("reach the reporter")
        || starts("contact the reporter")
        || starts("citation:")
        || starts("if you enjoyed this")
        || starts("you may also be interested")
        || starts("you may also like")
        || starts("©")
        || starts("copyright ")
        || has("all rights reserved")
}

fn is_boilerplate_line(p: &str) -> bool {
    let len = p.chars().count();
    if len > 300 {
        return p.ends_with("[…]") || p.ends_with("[...]");
    }
    let t = p
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    if t.is_empty() {
        return true;
    }
    if LABELS.contains(&t.as_str()) || is_promo_line(&t) {
        return true;
    }
    // Captions that end in a credit: "... engines. (Credit: NASA)".
    if p.ends_with(')') && (t.contains("(credit") || t.contains("(photo") || t.contains("(image")) {
        return true;
    }
    if len > 160 {
        return p.ends_with("[…]") || p.ends_with("[...]");
    }
    let starts = |s: &str| t.starts_with(s);
    // "By Jane Doe | Apr 21, 2017 | Business": a metadata line, not a sentence.
    if len < 150 && p.matches(" | ").count() >= 2 && p.contains(|c: char| c.is_ascii_digit()) {
        return true;
    }
    if len > 100 {
        return false;
    }
    // Bylines and timestamps: "By Jane Doe", "Updated 3:05 p.m. ET, Nov 18, 2019".
    if p.starts_with("By ") || p.starts_with("BY ") || p.starts_with("by ") {
        let rest = &p[3..];
        if rest.starts_with(|c: char| c.is_uppercase()) && !p.ends_with('.') {
            return true;
        }
    }
    if starts("updated ")
        || starts("last updated")
        || starts("published ")
        || starts("first published")
        || starts("posted ")
        || starts("posted on")
    {
        return !p.ends_with('.') || len < 60;
    }
    if starts("photo:")
        || starts("photo by")
        || starts("photograph:")
        || starts("image:")
        || starts("image credit")
        || starts("credit:")
        || starts("photo credit")
        || starts("picture:")
        || t.ends_with("getty images")
        || t.ends_with("reuters") && len < 40
    {
        return true;
    }
    // Excerpt cards of other posts end with an ellipsis in brackets.
    if p.ends_with("[…]") || p.ends_with("[...]") || p.ends_with("[&hellip;]") {
        return true;
    }
    starts("read more:") || starts("related:") || starts("see also:") || starts("also read")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_bylines_and_credits_are_boilerplate() {
        for p in [
            "Advertisement",
            "By Jane Doe and John Roe",
            "Updated 3:05 p.m. ET, Nov 18, 2019",
            "Photo: Jane Doe / Getty Images",
            "— Share —",
            "On Behalf of Doe & Roe LLP | Apr 21, 2017 | Products Liability",
            "The rocket stage in its hangar after the engines were fitted. (Credit: Space Agency)",
            "Associated Press writers Ann Lee and Bo Li contributed to this report.",
            "Leggi anche",
        ] {
            assert!(is_boilerplate_line(p), "{p}");
        }
        for p in [
            "By the end of the year, the plant had closed.",
            "Updated figures show a rise in prices across the region, officials said.",
            "The council met on Monday.",
        ] {
            assert!(!is_boilerplate_line(p), "{p}");
        }
    }
}
