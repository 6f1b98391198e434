//! The parsed page flattened into one array in document order, with per-node facts
//! (tag kind, subtree extent, text statistics, boilerplate flags) computed in a few
//! linear passes. Every later step indexes this array instead of walking the tree.

use ego_tree::NodeRef;
use scraper::Node;
use scraper::node::Element;

/// Tags the extractor treats specially; everything else is `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tag {
    Text,
    Html,
    Head,
    Body,
    Title,
    Meta,
    Link,
    P,
    Div,
    Section,
    Article,
    Main,
    Span,
    A,
    Br,
    H1,
    H2to6,
    Ul,
    Ol,
    Li,
    Dl,
    Dt,
    Dd,
    Table,
    Tr,
    Td,
    Th,
    Pre,
    Blockquote,
    Figure,
    Figcaption,
    Nav,
    Aside,
    Header,
    Footer,
    Form,
    Time,
    Address,
    /// Never has readable text (script, style, media, controls).
    Hard,
    /// Other block-level elements (paragraph breaks around them).
    OtherBlock,
    Other,
}

impl Tag {
    fn of(name: &str) -> Tag {
        match name {
            "html" => Tag::Html,
            "head" => Tag::Head,
            "body" => Tag::Body,
            "title" => Tag::Title,
            "meta" => Tag::Meta,
            "link" => Tag::Link,
            "p" => Tag::P,
            "div" => Tag::Div,
            "section" => Tag::Section,
            "article" => Tag::Article,
            "main" => Tag::Main,
            "span" => Tag::Span,
            "a" => Tag::A,
            "br" => Tag::Br,
            "h1" => Tag::H1,
            "h2" | "h3" | "h4" | "h5" | "h6" => Tag::H2to6,
            "ul" => Tag::Ul,
            "ol" => Tag::Ol,
            "li" => Tag::Li,
            "dl" => Tag::Dl,
            "dt" => Tag::Dt,
            "dd" => Tag::Dd,
            "table" => Tag::Table,
            "tr" => Tag::Tr,
            "td" => Tag::Td,
            "th" => Tag::Th,
            "pre" => Tag::Pre,
            "blockquote" => Tag::Blockquote,
            "figure" => Tag::Figure,
            "figcaption" => Tag::Figcaption,
            "nav" => Tag::Nav,
            "aside" => Tag::Aside,
            "header" => Tag::Header,
            "footer" => Tag::Footer,
            "form" => Tag::Form,
            "time" => Tag::Time,
            "address" => Tag::Address,
            "script" | "style" | "noscript" | "template" | "svg" | "math" | "iframe" | "object"
            | "embed" | "canvas" | "video" | "audio" | "picture" | "img" | "button" | "input"
            | "select" | "option" | "textarea" | "label" | "dialog" | "menu" | "source"
            | "track" | "map" | "area" | "frame" | "frameset" | "applet" | "noembed"
            | "noframes" | "meter" | "progress" | "datalist" | "output" | "slot" => Tag::Hard,
            "hr" | "center" | "fieldset" | "details" | "summary" | "caption" | "tbody"
            | "thead" | "tfoot" | "hgroup" | "legend" | "xmp" | "listing" | "plaintext" => {
                Tag::OtherBlock
            }
            _ => Tag::Other,
        }
    }

    /// Starts and ends a paragraph in text output.
    pub(crate) fn is_block(self) -> bool {
        !matches!(
            self,
            Tag::Text
                | Tag::Span
                | Tag::A
                | Tag::Br
                | Tag::Time
                | Tag::Other
                | Tag::Td
                | Tag::Th
                | Tag::Hard
        )
    }
}

/// Facts about one node.
#[derive(Clone, Copy)]
pub(crate) struct FNode<'a> {
    pub(crate) node: NodeRef<'a, Node>,
    pub(crate) parent: u32,
    /// One past the last node of this subtree (subtrees are contiguous).
    pub(crate) end: u32,
    pub(crate) tag: Tag,
    /// Never output: hidden, script-like, or boilerplate (set for the whole subtree).
    pub(crate) skip: bool,
    /// Boilerplate judged from tag, role or class/id (the node itself, not inherited).
    pub(crate) boiler: bool,
    /// Script-like, hidden, or removed by a site rule's `strip:` (the node itself).
    pub(crate) hard: bool,
    /// Class/id weight: positive for content-like names, negative for boilerplate-like.
    pub(crate) class_weight: i8,
    /// Non-whitespace text bytes in the subtree (outside skipped parts).
    pub(crate) text: u32,
    /// Part of `text` inside links.
    pub(crate) link: u32,
    /// Before classification: text in long runs (prose mass); after: text inside
    /// `<p>`-like blocks.
    pub(crate) ptext: u32,
    /// Commas (Latin and CJK) in the subtree's text.
    pub(crate) commas: u32,
}

impl<'a> FNode<'a> {
    pub(crate) fn element(&self) -> Option<&'a Element> {
        self.node.value().as_element()
    }
    pub(crate) fn text_str(&self) -> Option<&'a str> {
        match self.node.value() {
            Node::Text(t) => Some(&t.text),
            _ => None,
        }
    }
    pub(crate) fn link_density(&self) -> f32 {
        if self.text == 0 {
            0.0
        } else {
            self.link as f32 / self.text as f32
        }
    }
}

pub(crate) struct Flat<'a> {
    pub(crate) nodes: Vec<FNode<'a>>,
}

/// Substrings of class/id values that mark boilerplate wherever they appear.
const NEG_STEMS: &[&str] = &[
    "share",
    "social",
    "related",
    "newsletter",
    "sidebar",
    "promo",
    "advert",
    "breadcrumb",
    "byline",
    "caption",
    "footer",
    "outbrain",
    "taboola",
    "subscri",
    "recommend",
    "popular",
    "trending",
    "cookie",
    "signup",
    "sign-up",
    "comment",
    "disqus",
    "navbar",
    "navigation",
    "copyright",
    "sponsor",
    "paywall",
    "read-more",
    "readmore",
    "more-stories",
    "more-news",
    "more-posts",
    "more-from",
    "more-articles",
    "read-next",
    "up-next",
    "recirc",
    "you-may",
    "you-might",
    "also-read",
    "author-bio",
    "about-author",
    "about-the-author",
    "author-box",
    "authorbox",
    "author-info",
    "author-card",
    "author-description",
    "bio-box",
    "toolbar",
    "skip-link",
    "sr-only",
    "visually-hidden",
    "screen-reader",
    "pagination",
    "pager",
];

/// Substrings that suggest boilerplate but also name parts of articles (a gallery
/// with long captions, an author box inside the text): they count only on elements
/// holding little prose.
const WEAK_STEMS: &[&str] = &[
    "author",
    "bio",
    "credit",
    "tags",
    "keywords",
    "topics",
    "hidden",
    "print",
    "follow",
    "banner",
    "teaser",
    "carousel",
    "slideshow",
    "gallery",
    "timestamp",
    "dateline",
    "modal",
    "popup",
    "tooltip",
    "masthead",
    "disclaimer",
];

/// Whole tokens (split on non-alphanumerics) that suggest boilerplate (weak).
const NEG_TOKENS: &[&str] = &[
    "ad",
    "ads",
    "adv",
    "nav",
    "menu",
    "meta",
    "more",
    "date",
    "time",
    "published",
    "updated",
    "tag",
    "links",
    "aside",
    "header",
    "rail",
    "login",
    "search",
    "icon",
    "logo",
    "alert",
    "email",
    "rss",
    "video",
    "audio",
    "player",
    "embed",
    "photo",
    "image",
    "img",
    "figure",
    "media",
    "thumb",
    "thumbnail",
    "card",
    "cards",
    "headline",
    "title",
    "kicker",
    "eyebrow",
    "label",
    "btn",
    "button",
    "prev",
    "previous",
];

/// Below this much prose (bytes in long text runs) a weakly named element is boilerplate.
const WEAK_MAX_MASS: u32 = 200;

/// Substrings that mark the main text.
const POS_STEMS: &[&str] = &[
    "article", "content", "body", "entry", "post", "story", "text", "main", "prose", "blog",
];

/// One automaton over every stem: a class attribute is scanned once instead of once
/// per stem (that loop was a fifth of extraction time).
static STEMS: std::sync::LazyLock<aho_corasick::AhoCorasick> = std::sync::LazyLock::new(|| {
    let all = NEG_STEMS.iter().chain(WEAK_STEMS).chain(POS_STEMS);
    aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(all)
        .expect("static patterns")
});

/// The whitespace-separated class token around byte `at`.
fn token_at(v: &str, at: usize) -> &str {
    let start = v[..at].rfind(char::is_whitespace).map_or(0, |p| p + 1);
    let end = v[at..]
        .find(char::is_whitespace)
        .map_or(v.len(), |p| at + p);
    &v[start..end]
}

/// Utility-CSS classes (Tailwind and friends) that contain "content", "text" or
/// "main" but say nothing about what the element holds.
fn is_utility_class(token: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "text-",
        "place-",
        "content-",
        "justify-",
        "items-",
        "align-",
        "self-",
        "font-",
        "leading-",
        "bg-",
        "border-",
        "md:",
        "sm:",
        "lg:",
        "xl:",
        "hover:",
        "has-text",
        "has-main",
        "wp-block-post-content-is",
    ];
    token.contains('[')
        || PREFIXES
            .iter()
            .any(|p| token.len() >= p.len() && token[..p.len()].eq_ignore_ascii_case(p))
}

/// (strong negative, weak negative, positive) signals of a class or id value.
fn class_signal(v: &str) -> (bool, bool, bool) {
    let (mut neg, mut weak, mut pos) = (false, false, false);
    for m in STEMS.find_overlapping_iter(v) {
        let id = m.pattern().as_usize();
        if id < NEG_STEMS.len() {
            neg = true;
        } else if id < NEG_STEMS.len() + WEAK_STEMS.len() {
            weak = true;
        } else if !is_utility_class(token_at(v, m.start())) {
            pos = true;
        }
    }
    if !weak {
        weak = v
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|t| (2..=9).contains(&t.len()))
            .any(|t| NEG_TOKENS.iter().any(|n| n.eq_ignore_ascii_case(t)));
    }
    (neg, weak, pos)
}

/// Attribute facts read in one scan of an element's attributes.
#[derive(Default)]
struct Attrs {
    hidden: bool,
    neg: bool,
    weak: bool,
    pos: bool,
    role_boiler: bool,
    itemprop_body: bool,
    itemprop_boiler: bool,
}

fn read_attrs(e: &Element) -> Attrs {
    let mut a = Attrs::default();
    for (k, v) in e.attrs() {
        match k {
            "class" | "id" if !v.is_empty() => {
                let (n, w, p) = class_signal(v);
                a.neg |= n;
                a.weak |= w;
                a.pos |= p;
            }
            "hidden" => a.hidden = true,
            "aria-hidden" => a.hidden |= v.eq_ignore_ascii_case("true"),
            "style" => a.hidden |= style_hides(v),
            "role" => {
                a.role_boiler = matches!(
                    v,
                    "navigation"
                        | "complementary"
                        | "banner"
                        | "contentinfo"
                        | "menu"
                        | "menubar"
                        | "toolbar"
                        | "dialog"
                        | "alert"
                        | "search"
                        | "alertdialog"
                        | "tooltip"
                )
            }
            "itemprop" => {
                a.itemprop_body = v.contains("articleBody") || v.contains("reviewBody");
                a.itemprop_boiler = v.contains("author")
                    || v.contains("datePublished")
                    || v.contains("dateModified")
                    || v.contains("caption")
                    || v.contains("headline")
                    || v.contains("publisher");
            }
            _ => {}
        }
    }
    a
}

/// `display: none` or `visibility: hidden` in an inline style (any spacing or case).
fn style_hides(style: &str) -> bool {
    let b = style.as_bytes();
    let mut from = 0;
    while let Some(off) = memchr::memchr(b':', &b[from..]) {
        let colon = from + off;
        let key = style[..colon].trim_end();
        let key = key.rsplit([';', '{', ' ']).next().unwrap_or(key);
        let val = style[colon + 1..].trim_start();
        let val = val.split([';', ' ', '!']).next().unwrap_or(val);
        if (key.eq_ignore_ascii_case("display") && val.eq_ignore_ascii_case("none"))
            || (key.eq_ignore_ascii_case("visibility") && val.eq_ignore_ascii_case("hidden"))
        {
            return true;
        }
        from = colon + 1;
    }
    false
}

/// Text statistics of one text node: non-whitespace bytes and commas.
fn text_stats(s: &str) -> (u32, u32) {
    let mut n = 0u32;
    let mut commas = 0u32;
    for &b in s.as_bytes() {
        if !b.is_ascii_whitespace() {
            n += 1;
        }
        if b == b',' {
            commas += 1;
        }
    }
    // CJK commas (U+3001, U+FF0C) are three bytes; count them cheaply when present.
    if !s.is_ascii() {
        commas += s.chars().filter(|&c| c == '、' || c == '，').count() as u32;
    }
    (n, commas)
}

/// Share of the page's paragraph text above which a node is main content whatever
/// its class says (`comments-enabled article`, a page-wide `<form>`).
const PROTECT_SHARE: f32 = 0.4;
/// A text run at least this long (non-whitespace bytes) counts as prose.
const MASS_RUN: u32 = 40;

impl<'a> Flat<'a> {
    pub(crate) fn build(doc: &'a scraper::Html) -> Flat<'a> {
        let mut nodes: Vec<FNode<'a>> = Vec::with_capacity(1024);
        let mut stack: Vec<u32> = Vec::with_capacity(64);
        // Own attributes, kept until the classification pass.
        let mut facts: Vec<Attrs> = Vec::with_capacity(1024);
        for edge in doc.tree.root().traverse() {
            match edge {
                ego_tree::iter::Edge::Open(node) => {
                    let tag = match node.value() {
                        Node::Element(e) => Tag::of(e.name()),
                        Node::Text(_) => Tag::Text,
                        Node::Document | Node::Fragment => Tag::Other,
                        // Comments, doctypes and PIs carry nothing; their subtree is
                        // empty so leaving them out keeps the arena dense.
                        _ => continue,
                    };
                    let idx = nodes.len() as u32;
                    let parent = stack.last().copied().unwrap_or(0);
                    let attrs = node
                        .value()
                        .as_element()
                        .map(read_attrs)
                        .unwrap_or_default();
                    let parent_skip = stack.last().is_some_and(|&p| nodes[p as usize].skip);
                    let skip = parent_skip || tag == Tag::Hard || attrs.hidden;
                    let class_weight = match (attrs.neg || attrs.weak, attrs.pos) {
                        (true, false) => -25,
                        (false, true) => 25,
                        _ => 0,
                    };
                    nodes.push(FNode {
                        node,
                        parent,
                        end: idx + 1,
                        tag,
                        skip,
                        boiler: false,
                        hard: tag == Tag::Hard || attrs.hidden,
                        class_weight,
                        text: 0,
                        link: 0,
                        ptext: 0,
                        commas: 0,
                    });
                    facts.push(attrs);
                    if node.has_children() {
                        stack.push(idx);
                    }
                }
                ego_tree::iter::Edge::Close(node) => {
                    if node.has_children()
                        && let Some(&top) = stack.last()
                        && nodes[top as usize].node.id() == node.id()
                    {
                        stack.pop();
                        nodes[top as usize].end = nodes.len() as u32;
                    }
                }
            }
        }
        let mut flat = Flat { nodes };
        flat.raw_stats();
        flat.classify(&facts);
        flat.clean_stats();
        flat
    }

    /// Text and paragraph-text totals ignoring only hard-skipped parts.
    fn raw_stats(&mut self) {
        let n = self.nodes.len();
        for i in (0..n).rev() {
            let node = self.nodes[i];
            if node.skip {
                self.nodes[i].text = 0;
                self.nodes[i].ptext = 0;
                continue;
            }
            if let Some(t) = node.text_str() {
                let (len, commas) = text_stats(t);
                self.nodes[i].text = len;
                self.nodes[i].commas = commas;
                // "Content mass": long runs of text are prose wherever they sit, short
                // ones are labels and links.
                if len >= MASS_RUN {
                    self.nodes[i].ptext = len;
                }
            }
            if i > 0 {
                let p = node.parent as usize;
                let (t, pt) = (self.nodes[i].text, self.nodes[i].ptext);
                self.nodes[p].text += t;
                self.nodes[p].ptext += pt;
            }
        }
    }

    fn classify(&mut self, facts: &[Attrs]) {
        let total_p = self.nodes.first().map_or(0, |r| r.ptext).max(1) as f32;

        for (i, f) in facts.iter().enumerate() {
            let node = self.nodes[i];
            if node.tag == Tag::Text {
                if i > 0 && self.nodes[node.parent as usize].skip {
                    self.nodes[i].skip = true;
                }
                continue;
            }
            let structural = matches!(
                node.tag,
                Tag::Nav | Tag::Aside | Tag::Footer | Tag::Header | Tag::Form | Tag::Figcaption
            ) || (node.tag == Tag::Figure && !self.holds_text_block(i));
            let exempt = matches!(node.tag, Tag::Html | Tag::Body | Tag::Head | Tag::Main)
                || f.itemprop_body;
            let candidate = !exempt
                && (structural
                    || f.role_boiler
                    || f.itemprop_boiler
                    || (f.neg && !f.pos)
                    || ((f.neg || f.weak) && node.ptext < WEAK_MAX_MASS));
            let protected = (node.ptext as f32) >= PROTECT_SHARE * total_p;
            let boiler = candidate && !protected;
            self.nodes[i].boiler = boiler;
            if f.itemprop_body {
                self.nodes[i].class_weight = 50;
            }
            let parent_skip = i > 0 && self.nodes[node.parent as usize].skip;
            if boiler || parent_skip {
                self.nodes[i].skip = true;
            }
        }
    }

    /// Whether a subtree holds a table or code block: editors wrap those in
    /// `<figure>` too, and then the figure is text, not an illustration.
    fn holds_text_block(&self, i: usize) -> bool {
        let end = self.nodes[i].end as usize;
        self.nodes[i + 1..end]
            .iter()
            .any(|n| matches!(n.tag, Tag::Table | Tag::Pre))
    }

    /// Text, link text, paragraph text and commas outside every skipped part.
    fn clean_stats(&mut self) {
        for node in &mut self.nodes {
            if node.tag != Tag::Text {
                node.text = 0;
                node.ptext = 0;
                node.commas = 0;
            }
            node.link = 0;
        }
        let n = self.nodes.len();
        for i in (0..n).rev() {
            let node = self.nodes[i];
            if node.skip {
                self.nodes[i].text = 0;
                self.nodes[i].commas = 0;
                self.nodes[i].ptext = 0;
                self.nodes[i].link = 0;
                continue;
            }
            if node.tag == Tag::A {
                self.nodes[i].link = node.text;
            }
            if matches!(node.tag, Tag::P | Tag::Pre | Tag::Blockquote) {
                self.nodes[i].ptext = node.text;
            }
            if i > 0 {
                let p = node.parent as usize;
                let c = self.nodes[i];
                let pn = &mut self.nodes[p];
                pn.text += c.text;
                pn.link += c.link;
                pn.ptext += c.ptext;
                pn.commas += c.commas;
            }
        }
    }
}

impl Flat<'_> {
    /// Mark a subtree as never output (site-rule `strip:`).
    pub(crate) fn mark_skip(&mut self, i: usize) {
        let end = self.nodes[i].end as usize;
        for n in &mut self.nodes[i..end] {
            n.skip = true;
            n.hard = true;
        }
    }

    /// Make a subtree renderable when a selector or site rule chose it: its root is
    /// not boilerplate whatever its class says, its descendants are judged as usual.
    pub(crate) fn unskip(&mut self, i: usize) {
        let end = self.nodes[i].end as usize;
        self.nodes[i].skip = self.nodes[i].hard;
        for j in i + 1..end {
            let p = self.nodes[j].parent as usize;
            let n = &self.nodes[j];
            let own = n.hard || n.boiler;
            self.nodes[j].skip = own || self.nodes[p].skip;
        }
    }

    /// Recompute text statistics after subtrees were marked skipped.
    pub(crate) fn refresh_stats(&mut self) {
        self.clean_stats();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_styles_that_hide_are_seen() {
        assert!(style_hides("display:none"));
        assert!(style_hides("color: red; Display : NONE !important"));
        assert!(style_hides("visibility: hidden"));
        assert!(!style_hides("display: block; visibility: visible"));
        assert!(!style_hides("font-family: none-such"));
    }

    #[test]
    fn class_signals_split_strong_weak_and_positive() {
        assert_eq!(class_signal("social-share-bar"), (true, false, false));
        assert_eq!(class_signal("author-name"), (false, true, false));
        assert_eq!(class_signal("author-bio"), (true, true, false));
        assert_eq!(class_signal("ad-slot"), (false, true, false));
        assert_eq!(
            class_signal("headerless article-body"),
            (false, false, true)
        );
        assert_eq!(class_signal("related-articles"), (true, false, true));
        assert_eq!(
            class_signal("mx-auto place-content-between text-lg"),
            (false, false, false)
        );
    }
}
