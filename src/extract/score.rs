//! Finding the main content: readability-style scoring of paragraph-like blocks whose
//! weight flows to their ancestors, then the best container plus any sibling blocks
//! that look like they belong to the same text.

use super::dom::{FNode, Flat, Tag};

/// Paragraphs shorter than this (non-whitespace bytes) do not vote.
const MIN_PARA: u32 = 25;
/// Candidates scoring at least this share of the best are merged with it...
const MERGE_SHARE: f32 = 0.3;
/// ...when their common ancestor is at most this many levels above the best...
const MERGE_LEVELS: usize = 12;
/// ...and at least this share of its text is theirs.
const MERGE_COVER: f32 = 0.5;
/// An ancestor scoring at least this share of the best candidate replaces it.
const PARENT_SHARE: f32 = 0.75;
/// How many ancestor levels a paragraph's score reaches.
const LEVELS: usize = 5;

fn tag_bias(tag: Tag) -> f32 {
    match tag {
        Tag::Article | Tag::Main => 10.0,
        Tag::Div | Tag::Section => 5.0,
        Tag::Pre | Tag::Td | Tag::Blockquote => 3.0,
        Tag::Address | Tag::Ol | Tag::Ul | Tag::Dl | Tag::Dd | Tag::Dt | Tag::Li | Tag::Form => {
            -3.0
        }
        Tag::H1 | Tag::H2to6 | Tag::Th => -5.0,
        _ => 0.0,
    }
}

/// A block that speaks for its text: `<p>`, `<pre>`, or a container with direct text
/// (sites that write paragraphs as `<div>text<br><br>text</div>`).
fn is_paragraph(flat: &Flat, i: usize) -> bool {
    let n = &flat.nodes[i];
    match n.tag {
        Tag::P | Tag::Pre | Tag::Td | Tag::Blockquote => true,
        Tag::Div | Tag::Section | Tag::Article | Tag::Li => direct_text(flat, i) >= MIN_PARA,
        _ => false,
    }
}

/// Non-whitespace text bytes in the direct text children (and inline children) of i.
fn direct_text(flat: &Flat, i: usize) -> u32 {
    let n = &flat.nodes[i];
    let mut j = i + 1;
    let mut sum = 0;
    while j < n.end as usize {
        let c = &flat.nodes[j];
        if c.tag == Tag::Text || (!c.tag.is_block() && c.tag != Tag::Hard) {
            sum += c.text;
        }
        j = c.end as usize;
    }
    sum
}

fn ancestors<'f>(flat: &'f Flat, i: usize) -> impl Iterator<Item = usize> + 'f {
    let mut cur = i;
    std::iter::from_fn(move || {
        if cur == 0 {
            return None;
        }
        cur = flat.nodes[cur].parent as usize;
        Some(cur)
    })
}

/// The chosen content: the node subtrees to render, in document order.
pub(crate) struct Choice {
    pub(crate) parts: Vec<usize>,
}

pub(crate) fn choose(flat: &Flat) -> Option<Choice> {
    let n = flat.nodes.len();
    let mut score = vec![0f32; n];
    let mut seeded = vec![false; n];
    for i in 0..n {
        let node = &flat.nodes[i];
        if node.skip || node.tag == Tag::Text || !is_paragraph(flat, i) {
            continue;
        }
        if node.text < MIN_PARA {
            continue;
        }
        let content = 1.0 + node.commas as f32 + (node.text as f32 / 100.0).min(3.0);
        for (level, a) in ancestors(flat, i).take(LEVELS).enumerate() {
            if matches!(flat.nodes[a].tag, Tag::Html | Tag::Other) && a == 0 {
                break;
            }
            if !seeded[a] {
                seeded[a] = true;
                score[a] += tag_bias(flat.nodes[a].tag) + flat.nodes[a].class_weight as f32;
            }
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            score[a] += content / div;
        }
    }
    let mut top: Option<(usize, f32)> = None;
    for i in 0..n {
        if !seeded[i] || flat.nodes[i].skip {
            continue;
        }
        let s = score[i] * (1.0 - flat.nodes[i].link_density());
        score[i] = s;
        if top.is_none_or(|(_, b)| s > b) {
            top = Some((i, s));
        }
    }
    if tracing::enabled!(tracing::Level::DEBUG) {
        let mut ranked: Vec<usize> = (0..n)
            .filter(|&i| seeded[i] && !flat.nodes[i].skip)
            .collect();
        ranked.sort_by(|&a, &b| score[b].total_cmp(&score[a]));
        for &i in ranked.iter().take(5) {
            let e = flat.nodes[i].element();
            tracing::debug!(
                node = i,
                tag = e.map(|e| e.name()).unwrap_or(""),
                class = e.and_then(|e| e.attr("class")).unwrap_or(""),
                id = e.and_then(|e| e.attr("id")).unwrap_or(""),
                score = score[i],
                text = flat.nodes[i].text,
                link_density = flat.nodes[i].link_density(),
                "Candidate."
            );
        }
    }
    let (mut top, top_score) = top?;
    // Articles split into several containers (one per chunk between ads and images,
    // page builders' text blocks): the article is the highest ancestor of the best
    // candidate that is still mostly made of strong candidates.
    let mut strong: Vec<usize> = (0..n)
        .filter(|&i| seeded[i] && !flat.nodes[i].skip && score[i] >= MERGE_SHARE * top_score)
        .collect();
    strong.sort_unstable();
    let best = top;
    let mut up = top;
    for _ in 0..MERGE_LEVELS {
        let p = flat.nodes[up].parent as usize;
        if p == 0 || matches!(flat.nodes[p].tag, Tag::Body | Tag::Html) {
            break;
        }
        up = p;
        let a = &flat.nodes[up];
        if a.text == 0 || a.link_density() >= 0.3 {
            continue;
        }
        let mut covered = 0u32;
        let mut counted_end = 0usize;
        let mut count = 0;
        for &c in &strong {
            // A strong candidate around the best one is a wrapper, not a chunk.
            let wrapper = c != best && contains(flat, c, best);
            if c >= counted_end && contains(flat, up, c) && !wrapper {
                covered += flat.nodes[c].text;
                counted_end = flat.nodes[c].end as usize;
                count += 1;
            }
        }
        if count >= 2 && covered as f32 >= MERGE_COVER * a.text as f32 {
            top = up;
        }
    }
    // An ancestor scoring nearly as well as the best holds more of the same text
    // (articles cut into <section>s by their headings).
    let mut up = top;
    for _ in 0..3 {
        let p = flat.nodes[up].parent as usize;
        if p == 0 || matches!(flat.nodes[p].tag, Tag::Body | Tag::Html) {
            break;
        }
        up = p;
        if seeded[up]
            && score[up] >= PARENT_SHARE * top_score
            && flat.nodes[up].link_density() < 0.3
        {
            top = up;
        }
    }
    // A lone child adds nothing; its parent may hold siblings worth keeping.
    while top > 0 {
        let p = flat.nodes[top].parent as usize;
        if p == 0 || matches!(flat.nodes[p].tag, Tag::Body | Tag::Html) {
            break;
        }
        if element_children(flat, p).count() == 1 {
            top = p;
        } else {
            break;
        }
    }
    let parts = siblings(flat, top, top_score, &score);
    tracing::debug!(top, ?parts, "Chosen.");
    Some(Choice { parts })
}

/// Whether node `a` contains node `b` (or is it).
fn contains(flat: &Flat, a: usize, b: usize) -> bool {
    a <= b && b < flat.nodes[a].end as usize
}

fn element_children<'f>(flat: &'f Flat<'f>, p: usize) -> impl Iterator<Item = usize> + 'f {
    let end = flat.nodes[p].end as usize;
    let mut j = p + 1;
    std::iter::from_fn(move || {
        while j < end {
            let c = j;
            j = flat.nodes[c].end as usize;
            let node: &FNode = &flat.nodes[c];
            if node.tag != Tag::Text || node.text > 0 {
                return Some(c);
            }
        }
        None
    })
}

/// Siblings of the top container that belong to the article (readability's rule).
fn siblings(flat: &Flat, top: usize, top_score: f32, score: &[f32]) -> Vec<usize> {
    if top == 0 {
        return vec![top];
    }
    let parent = flat.nodes[top].parent as usize;
    if matches!(flat.nodes[parent].tag, Tag::Html) {
        return vec![top];
    }
    let threshold = (top_score * 0.2).max(10.0);
    let mut parts = Vec::new();
    for c in element_children(flat, parent) {
        if c == top {
            parts.push(c);
            continue;
        }
        let node = &flat.nodes[c];
        if node.skip || node.text == 0 {
            continue;
        }
        let keep = if score[c] >= threshold {
            true
        } else if node.tag == Tag::P {
            let ld = node.link_density();
            (node.text > 80 && ld < 0.25) || (node.text <= 80 && node.link == 0 && node.commas > 0)
        } else {
            false
        };
        if keep {
            parts.push(c);
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::text;

    fn extract(html: &str) -> Vec<String> {
        let doc = scraper::Html::parse_document(html);
        let flat = Flat::build(&doc);
        let choice = choose(&flat).expect("a candidate");
        text::render(&flat, &choice.parts)
    }

    const PARA: &str = "The committee met for six hours, heard from forty residents, and voted to delay the decision until spring, officials said.";

    #[test]
    fn chunks_of_one_article_between_ads_are_merged() {
        let chunk = |n: u32| {
            format!(
                "<div class=chunk><div class=grid><div class=txt><p>{n} {PARA}</p><p>{n} {PARA}</p></div><div class=rail></div></div></div><div class=ad-slot></div>"
            )
        };
        let page = format!(
            "<body><div class=page><div class=chunks>{}{}{}</div></div><div class=more-news><ul><li><a href=/a>Other story one here</a></li><li><a href=/b>Other story two here</a></li><li><a href=/c>Other story three</a></li></ul></div></body>",
            chunk(1),
            chunk(2),
            chunk(3)
        );
        let paras = extract(&page);
        assert_eq!(paras.len(), 6, "{paras:#?}");
        assert!(paras[0].starts_with("1 ") && paras[5].starts_with("3 "));
    }

    #[test]
    fn headline_link_lists_and_their_heading_are_left_out() {
        let page = format!(
            "<body><article><p>{PARA}</p><p>{PARA}</p><h3>More stories</h3><ul>\
             <li>Storm: <a href=/1>the coast road reopens</a></li>\
             <li>Schools: <a href=/2>new term dates are set</a></li>\
             <li>Port: <a href=/3>ferry fares to rise in May</a></li></ul><p>{PARA}</p></article></body>"
        );
        let paras = extract(&page);
        assert_eq!(paras.len(), 3, "{paras:#?}");
        assert!(paras.iter().all(|p| p.ends_with("officials said.")));
    }
}
