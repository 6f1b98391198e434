//! Output sanitizing for model-written summaries: what a chat model adds around the
//! summary never reaches a digest. Removes reasoning blocks, code fences, Markdown
//! (headings, emphasis, links, bullets), invented headlines and labels, preambles
//! ("Sure! Here is a summary of the article:") and sign-offs ("I hope this helps. Let
//! me know if you'd like any adjustments..."), and recognizes refusals.
//!
//! The rules are deliberately phrase-based and conservative: a sentence is removed only
//! when it talks about the summary, the reader or the assistant itself, never because
//! of what it says about the news.

use std::sync::OnceLock;

use regex::Regex;

use super::split;

/// The usable part of a model reply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cleaned {
    /// Summary sentences, in the model's order.
    pub sentences: Vec<String>,
    /// The sentence that declined the task, when the reply is a refusal.
    pub refusal: Option<String>,
    /// What was removed (headlines, preambles, sign-offs), for logs and tests.
    pub removed: Vec<String>,
}

/// Clean a raw model reply. `title` is the article's headline, if known: a reply line
/// repeating it is an invented headline, not summary text.
pub fn sanitize(reply: &str, title: Option<&str>) -> Cleaned {
    let mut removed = Vec::new();
    let text = strip_reasoning(reply);
    let text = strip_fences(&text);
    let lines = clean_lines(&text, title, &mut removed);
    let joined = lines.join("\n");

    let mut sentences: Vec<String> = split::split(&joined)
        .into_iter()
        .map(|s| s.text.to_string())
        .collect();

    strip_preamble(&mut sentences, &mut removed);
    // Sign-offs and offers of help, wherever they are; softer remarks only at the end.
    sentences.retain(|s| {
        let chatter = is_chatter(s);
        if chatter {
            removed.push(s.clone());
        }
        !chatter
    });
    while sentences.last().is_some_and(|s| is_trailing_chatter(s)) {
        if let Some(s) = sentences.pop() {
            removed.push(s);
        }
    }
    let mut seen = std::collections::HashSet::new();
    sentences.retain(|s| seen.insert(s.to_lowercase()));

    let refusal = sentences
        .iter()
        .take(2)
        .find(|s| is_refusal(s))
        .cloned()
        .or_else(|| {
            // A reply that was nothing but a refusal may have lost it to the chatter rule.
            removed.iter().find(|s| is_refusal(s)).cloned()
        });
    if refusal.is_some() {
        return Cleaned {
            sentences: Vec::new(),
            refusal,
            removed,
        };
    }
    Cleaned {
        sentences,
        refusal: None,
        removed,
    }
}

/// Drop `<think>…</think>` blocks (reasoning models). An unclosed block hides the rest.
fn strip_reasoning(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    loop {
        let lower = rest.to_ascii_lowercase();
        let open = ["<think>", "<thinking>", "<reasoning>"]
            .iter()
            .filter_map(|t| lower.find(t).map(|p| (p, *t)))
            .min();
        let Some((start, tag)) = open else {
            out.push_str(rest);
            break;
        };
        out.push_str(&rest[..start]);
        let close = format!("</{}", &tag[1..]);
        match lower[start..].find(&close) {
            Some(end) => rest = &rest[start + end + close.len()..],
            None => break,
        }
    }
    out
}

/// Remove Markdown code fences, keeping what they enclose.
fn strip_fences(s: &str) -> String {
    s.lines()
        .filter(|l| !l.trim_start().starts_with("```"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).unwrap_or_else(|e| panic!("bad built-in regex: {e}")))
}

fn bold() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"\*\*([^*\n]+?)\*\*|__([^_\n]+?)__")
}

fn italic() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"(^|[\s(])[*_]([^*_\s][^*_\n]*?)[*_]([\s).,;:!?]|$)")
}

fn link() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"\[([^\]\n]+)\]\([^)\s]+\)")
}

fn list_marker() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"^(?:[-*•+‣▪◦]|\d{1,2}[.)])\s+")
}

/// Line labels a model puts before the text: "Summary:", "**TL;DR:**", "Headline: ...".
fn label() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"(?i)^(summary|article summary|news summary|short summary|brief summary|tl;?dr|in summary|key points|main points|overview|zusammenfassung|résumé|resumen|摘要|总结|要約|概要)\s*[:：]\s*",
    )
}

fn headline_label() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"(?i)^(headline|title|titel|titre|título|标题|見出し)\s*[:：]",
    )
}

/// Line by line: Markdown out, labels out, headings and invented headlines dropped.
fn clean_lines(text: &str, title: Option<&str>, removed: &mut Vec<String>) -> Vec<String> {
    let raw: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let title_norm = title.map(normalize).filter(|t| !t.is_empty());
    let mut out: Vec<String> = Vec::new();
    for (idx, line) in raw.iter().enumerate() {
        // Horizontal rules and setext underlines.
        if line
            .chars()
            .all(|c| matches!(c, '-' | '=' | '*' | '_' | ' '))
        {
            continue;
        }
        if line.starts_with('#') {
            removed.push(line.to_string());
            continue;
        }
        let mut l = line.trim_start_matches('>').trim().to_string();
        let is_item = list_marker().is_match(&l);
        if is_item {
            l = list_marker().replace(&l, "").into_owned();
        }
        l = link().replace_all(&l, "$1").into_owned();
        l = bold().replace_all(&l, "$1$2").into_owned();
        l = italic().replace_all(&l, "$1$2$3").into_owned();
        l = l.replace('`', "");
        let l = l.trim().to_string();
        if l.is_empty() {
            continue;
        }
        if headline_label().is_match(&l) {
            removed.push(l);
            continue;
        }
        let unlabelled = label().replace(&l, "").trim().to_string();
        if unlabelled.is_empty() {
            removed.push(l);
            continue; // a label alone on its line
        }
        if title_norm.as_deref() == Some(normalize(&unlabelled).as_str()) {
            removed.push(unlabelled);
            continue; // the article's own headline repeated
        }
        let more_follows = idx + 1 < raw.len();
        if !is_item && more_follows && looks_like_heading(&unlabelled) {
            removed.push(unlabelled);
            continue;
        }
        let mut l = unlabelled;
        if is_item && l.chars().last().is_some_and(char::is_alphanumeric) {
            l.push('.'); // bullet points become sentences
        }
        out.push(l);
    }
    out
}

/// A short line with no sentence-ending punctuation, followed by more text: a heading or
/// a headline the model made up.
fn looks_like_heading(line: &str) -> bool {
    let trimmed = line.trim_end_matches(['"', '\'', '”', '’', '»', ')', '」', '*']);
    let ends_sentence = trimmed.ends_with(['.', '!', '?', '…', '。', '！', '？']);
    let words = line.split_whitespace().count();
    let chars = line.chars().count();
    (!ends_sentence && words <= 15 && chars <= 120)
        || line.ends_with([':', '：'])
        || (words <= 15 && is_title_case(line))
}

/// "Old Harbour Bridge Closes for Six Weeks." — every word of four letters or more is
/// capitalized (at least three of them): a headline even with a full stop. A sentence
/// has lower-case verbs and nouns ("will close", "found").
fn is_title_case(line: &str) -> bool {
    let mut capitalized = 0;
    for w in line.split_whitespace() {
        let letters: String = w.chars().filter(|c| c.is_alphabetic()).collect();
        if letters.chars().count() < 4 {
            continue;
        }
        if letters.chars().next().is_some_and(char::is_lowercase) {
            return false;
        }
        capitalized += 1;
    }
    capitalized >= 3
}

fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Remove a leading "Sure!", "Here is a summary of the article:" and the like; keeps any
/// summary text that follows on the same sentence after a colon.
fn strip_preamble(sentences: &mut Vec<String>, removed: &mut Vec<String>) {
    // A few rounds: "Sure! Certainly. Here is the summary:" stacks them.
    for _ in 0..3 {
        let Some(first) = sentences.first().cloned() else {
            return;
        };
        let lower = first.to_lowercase();
        if let Some(rest) = strip_interjection(&first, &lower) {
            removed.push(first[..first.len() - rest.len()].trim().to_string());
            if rest.trim().is_empty() {
                sentences.remove(0);
            } else {
                sentences[0] = rest.trim().to_string();
            }
            continue;
        }
        if is_preamble(&lower) {
            // "Here is a summary: The council voted..." keeps what follows the colon.
            match first.find([':', '：']) {
                Some(p) if !first[p + 1..].trim().is_empty() => {
                    removed.push(first[..p + 1].to_string());
                    sentences[0] = first[p + 1..].trim().to_string();
                }
                _ => {
                    removed.push(first);
                    sentences.remove(0);
                }
            }
            continue;
        }
        return;
    }
}

/// "Sure!", "Certainly,", "Of course." at the start: returns the rest of the sentence.
/// A real sentence that merely starts with the word ("Sure Start centres will close")
/// has no punctuation right after it.
fn strip_interjection<'a>(s: &'a str, lower: &str) -> Option<&'a str> {
    const WORDS: &[&str] = &[
        "sure",
        "certainly",
        "of course",
        "absolutely",
        "okay",
        "ok",
        "great",
        "alright",
        "all right",
        "gladly",
        "happy to help",
        "no problem",
    ];
    for w in WORDS {
        let Some(rest) = lower.strip_prefix(w) else {
            continue;
        };
        if rest.starts_with(['!', ',', '.']) {
            let rest = rest.trim_start_matches(['!', ',', '.', ' ', '—', '-']);
            return Some(&s[s.len() - rest.len()..]);
        }
    }
    None
}

fn is_preamble(lower: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &R,
        r"(?x)^(
            (here\s+(is|are|'s|’s)|below\s+(is|are)|the\s+following\s+(is|are))\b
          | (this\s+is|i\s+have|i've|i’ve|i\s+will|i'll|i’ll|let\s+me)\b[^:.]{0,60}\b(summar|overview|recap|condens|brief)
          | (as\s+requested|per\s+your\s+request)\b
          | (a\s+|an\s+)?(concise\s+|brief\s+|short\s+|neutral\s+)?(summary|overview)\s+of\s+the\s+(article|text|news|piece|story)[^:]{0,60}:
        )",
    );
    r.is_match(lower)
}

/// Sentences about the summary, the reader or the assistant that no news summary
/// contains anywhere: sign-offs and offers of more help.
fn is_chatter(s: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &R,
        r"(?ix)(
            \bi\s+hope\s+(this|that|the\s+above|it|my)\b
          | \bhope\s+(this|that|it)\s+helps\b
          | \blet\s+me\s+know\b
          | \bfeel\s+free\s+to\b
          | \b(would|do)\s+you\s+(like|want)\s+me\s+to\b
          | \bi\s+(can|could)\s+(also\s+)?(provide|elaborate|expand|adjust|shorten|rewrite|summari[sz]e)\b
          | \bi('d|’d|\s+would|'m|’m|\s+am)\s+(be\s+)?(happy|glad)\s+to\b
          | \bis\s+there\s+anything\s+else\b
          | \bfurther\s+elaboration\b
          | \bany\s+(adjustments|tweaks)\b
          | \b(this|the)\s+(article|text)\s+has\s+been\s+(edited|summari[sz]ed|condensed|shortened|rewritten|paraphrased)\b
        )",
    );
    r.is_match(s)
}

/// Remarks that are chatter when they close the reply but could, in the middle, be
/// news ("If you want to vote, register by Friday"): removed only from the end.
fn is_trailing_chatter(s: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &R,
        r"(?ix)(
            ^if\s+you('d|’d|\s+would|\s+need|\s+want|\s+have\s+any)\b.*\b(i|i'd|i’d|i'll|i’ll|me|please|ask)\b
          | \bplease\s+(note|be\s+aware)\b
          | ^\(?\s*(note|disclaimer)\s*:
          | \b(this|the\s+above|my)\s+summary\s+(is|was|has\s+been|captures|covers|highlights|focuses)\b
          | \bword\s+count\b
          | \bthe\s+(article|text)\s+(does\s+not|doesn't|doesn’t)\s+(say|mention|specify|provide|state|include)\b
        )",
    );
    r.is_match(s)
}

/// The assistant declining the task (or saying it got nothing to summarize).
pub fn is_refusal(s: &str) -> bool {
    static START: OnceLock<Regex> = OnceLock::new();
    static ANY: OnceLock<Regex> = OnceLock::new();
    let lower = s.to_lowercase();
    let start = re(
        &START,
        r"(?x)^(
            i('m|’m|\s+am)\s+(sorry|afraid|unable|not\s+able)
          | sorry(,|!|\.|\s+but\b|\s+i\b)
          | i\s+apologi[sz]e
          | i\s+(can't|can’t|cannot|can\s+not|won't|won’t|will\s+not|must\s+decline|do\s+not|don't|don’t)\s+(help|assist|provide|summari[sz]e|comply|do|create|write|fulfil|have\s+access|access|complete)
          | unfortunately,?\s+i\b
          | as\s+an\s+ai\b
          | as\s+a\s+language\s+model\b
        )",
    );
    let any = re(
        &ANY,
        r"(?x)(
            \b(cannot|can't|can’t|unable\s+to|not\s+able\s+to)\s+(help\s+with|assist\s+with|provide\s+a\s+summary|summari[sz]e|comply|access\s+the\s+(article|link|url))
          | \bno\s+(article\s+|news\s+)?(article|text|content)\s+(was|has\s+been|is|were)\s+(provided|included|given|attached)
          | \bthe\s+(article|text)\s+(you\s+provided\s+)?(is|appears\s+to\s+be|seems\s+to\s+be)\s+(empty|missing|blank|incomplete|truncated)\b
          | \bagainst\s+my\s+(guidelines|policy|programming)\b
        )",
    );
    start.is_match(&lower) || any.is_match(&lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interjection_needs_punctuation() {
        assert_eq!(
            strip_interjection("Sure! The vote passed.", "sure! the vote passed."),
            Some("The vote passed.")
        );
        assert_eq!(
            strip_interjection(
                "Sure Start centres will close.",
                "sure start centres will close."
            ),
            None
        );
    }

    #[test]
    fn reasoning_blocks_are_removed() {
        assert_eq!(
            strip_reasoning("<think>plan the answer</think>The vote passed."),
            "The vote passed."
        );
        assert_eq!(strip_reasoning("Text.<think>never closed"), "Text.");
    }

    #[test]
    fn headings_are_short_unpunctuated_lines() {
        assert!(looks_like_heading("Council Votes to Close Library"));
        assert!(looks_like_heading("Key facts:"));
        assert!(!looks_like_heading(
            "The council voted to close the library."
        ));
        assert!(looks_like_heading(
            "Old Harbour Bridge Closes for Six Weeks."
        ));
        assert!(looks_like_heading("NATO Summit Ends."));
        assert!(!looks_like_heading(
            "Port Elling will close the Old Harbour Bridge for six weeks."
        ));
    }
}
