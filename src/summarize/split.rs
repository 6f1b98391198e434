//! Sentence splitting for news text: Latin and Cyrillic scripts (abbreviations, initials,
//! dotted acronyms, decimals, quotes, lower-cased text) and Chinese/Japanese (`。！？`
//! with no space after them). Every line break is a boundary: extracted article text
//! keeps one paragraph, caption or list item per line.
//!
//! The splitter is rule-based and works on borrowed slices, so splitting allocates only
//! the output vector. It never guesses a language: the rules that differ by language
//! (abbreviation lists, sentence starters) are unions small enough not to collide.

use crate::text::scripts::is_unspaced;

/// One sentence of a text, borrowed from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence<'a> {
    /// The sentence, trimmed.
    pub text: &'a str,
    /// Byte offset of `text` in the input.
    pub start: usize,
    /// Index of the line (paragraph) it belongs to, counting lines that hold a sentence.
    pub paragraph: usize,
}

/// Split `text` into sentences in document order. Fragments without a letter or digit
/// (a lone "…", a rule of dashes) are dropped.
pub fn split(text: &str) -> Vec<Sentence<'_>> {
    let lower_mode = is_lowercased(text);
    let mut out = Vec::new();
    let mut paragraph = 0;
    let mut line_start = 0;
    for line in text.split(['\n', '\r', '\u{2028}', '\u{2029}']) {
        let offset = line_start;
        line_start += line.len() + 1;
        let before = out.len();
        split_line(line, offset, paragraph, lower_mode, &mut out);
        if out.len() > before {
            paragraph += 1;
        }
    }
    out
}

/// Convenience for callers that only need the strings.
pub fn split_strs(text: &str) -> Vec<&str> {
    split(text).into_iter().map(|s| s.text).collect()
}

/// True when the text has (almost) no capital letters, as in lower-cased corpora or
/// all-lower-case social posts. Then a lower-case word after a full stop can still
/// start a sentence.
fn is_lowercased(text: &str) -> bool {
    let (mut upper, mut lower) = (0usize, 0usize);
    for c in text.chars() {
        if c.is_uppercase() {
            upper += 1;
        } else if c.is_lowercase() {
            lower += 1;
        }
    }
    lower >= 20 && upper * 200 < lower
}

fn split_line<'a>(
    line: &'a str,
    offset: usize,
    paragraph: usize,
    lower_mode: bool,
    out: &mut Vec<Sentence<'a>>,
) {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let n = chars.len();
    let byte_at = |i: usize| if i < n { chars[i].0 } else { line.len() };
    let mut start = 0usize; // byte offset in `line` of the current sentence
    let mut i = 0usize;
    while i < n {
        let c = chars[i].1;
        if is_cjk_terminator(c) {
            let mut j = i + 1;
            while j < n && (is_cjk_terminator(chars[j].1) || is_latin_terminator(chars[j].1)) {
                j += 1;
            }
            while j < n && is_closer(chars[j].1) {
                j += 1;
            }
            push(line, start, byte_at(j), offset, paragraph, out);
            start = byte_at(j);
            i = j;
            continue;
        }
        if !is_latin_terminator(c) {
            i += 1;
            continue;
        }
        let term_start = i;
        let mut j = i + 1;
        while j < n && (is_latin_terminator(chars[j].1) || is_cjk_terminator(chars[j].1)) {
            j += 1;
        }
        let term_end = j;
        while j < n && is_closer(chars[j].1) {
            j += 1;
        }
        if j >= n {
            break; // the line ends here anyway
        }
        let next = chars[j].1;
        let after_cjk = term_start > 0 && is_unspaced(chars[term_start - 1].1);
        let full_stop = line[byte_at(term_start)..byte_at(term_end)] == *".";
        if is_unspaced(next) && (after_cjk || !full_stop) {
            // "真的吗?不是": ASCII punctuation inside CJK text needs no space. A full stop
            // after a digit or Latin word is a list number or abbreviation ("1.为人们").
            push(line, start, byte_at(j), offset, paragraph, out);
            start = byte_at(j);
            i = j;
            continue;
        }
        if !next.is_whitespace() {
            // "3.5", "U.S.A", "e.g.,", "example.com": not a boundary.
            i = j;
            continue;
        }
        let mut k = j;
        while k < n && chars[k].1.is_whitespace() {
            k += 1;
        }
        if k >= n {
            break;
        }
        let ctx = Boundary {
            line,
            sentence_start: start,
            term: &line[byte_at(term_start)..byte_at(term_end)],
            term_at: byte_at(term_start),
            next: &line[byte_at(k)..],
            lower_mode,
        };
        if ctx.is_boundary() {
            push(line, start, byte_at(j), offset, paragraph, out);
            start = byte_at(k);
        }
        i = k;
    }
    push(line, start, line.len(), offset, paragraph, out);
}

fn push<'a>(
    line: &'a str,
    from: usize,
    to: usize,
    offset: usize,
    paragraph: usize,
    out: &mut Vec<Sentence<'a>>,
) {
    if from >= to {
        return;
    }
    let raw = &line[from..to];
    let text = raw.trim();
    if !text.chars().any(char::is_alphanumeric) {
        return;
    }
    let lead = raw.len() - raw.trim_start().len();
    out.push(Sentence {
        text,
        start: offset + from + lead,
        paragraph,
    });
}

/// The facts around one candidate boundary: terminator run, then whitespace, then `next`.
struct Boundary<'a> {
    line: &'a str,
    sentence_start: usize,
    term: &'a str,
    term_at: usize,
    next: &'a str,
    lower_mode: bool,
}

impl Boundary<'_> {
    fn is_boundary(&self) -> bool {
        // The first letter or digit of the next word, past opening quotes and brackets.
        let first = self.next.chars().find(|c| !is_opener(*c));
        let Some(first) = first else {
            return true;
        };
        if first.is_lowercase() && !self.lower_mode {
            // "e.g. the", "Mr. smith" in cased text: a known or unknown abbreviation.
            return false;
        }
        if self.term != "." {
            // "?", "!", "...", "?!" followed by a capital (or anything, in lower-case text).
            return true;
        }
        let word = self.word_before();
        if word.is_empty() {
            return true;
        }
        let next_word = first_word(self.next);
        let letters: String = word.chars().filter(|c| *c != '.').collect();
        if word.contains('.') {
            // Dotted acronym (U.S., e.g., a.m., z.B.): ends a sentence only when a
            // typical sentence opener follows.
            return is_sentence_starter(next_word);
        }
        if word.chars().all(|c| c.is_ascii_digit()) {
            // "in 2015. The" ends; German/Scandinavian ordinals "am 3. Oktober" do not.
            return !(word.len() <= 2 && is_month(next_word));
        }
        if is_single_letter_abbreviation(next_word, self.next) {
            // "z. B.", "d. h.", "i. e.", "т. е.": a multi-part abbreviation goes on.
            return false;
        }
        let mut cs = letters.chars();
        if let (Some(only), None) = (cs.next(), cs.next()) {
            // A lone letter: an initial ("J. K. Rowling", "А. С. Пушкин").
            if only.is_alphabetic() && (only.is_uppercase() || self.lower_mode) {
                return false;
            }
            return true;
        }
        let lw = letters.to_lowercase();
        if TITLES.contains(&lw.as_str()) {
            return false;
        }
        if NUMBER_ABBREVIATIONS.contains(&lw.as_str()) {
            return !first.is_ascii_digit();
        }
        if AMBIGUOUS_ABBREVIATIONS.contains(&lw.as_str()) {
            return is_sentence_starter(next_word);
        }
        true
    }

    /// The whitespace-delimited word that the full stop ends, without opening quotes.
    fn word_before(&self) -> &str {
        let before = &self.line[self.sentence_start..self.term_at];
        let word_start = before.rfind(char::is_whitespace).map_or(0, |p| {
            p + before[p..].chars().next().map_or(1, char::len_utf8)
        });
        before[word_start..].trim_start_matches(is_opener)
    }
}

fn first_word(s: &str) -> &str {
    let s = s.trim_start_matches(is_opener);
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The next word is one letter followed by a full stop ("B." in "z. B.").
fn is_single_letter_abbreviation(next_word: &str, next: &str) -> bool {
    let mut cs = next_word.chars();
    matches!((cs.next(), cs.next()), (Some(c), None) if c.is_alphabetic())
        && next.trim_start_matches(is_opener)[next_word.len()..].starts_with('.')
}

fn is_latin_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '‼' | '⁇' | '⁈' | '⁉' | '؟')
}

fn is_cjk_terminator(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '｡')
}

/// Closing quotes and brackets that belong to the sentence they follow.
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '”'
            | '’'
            | '»'
            | '›'
            | ')'
            | ']'
            | '}'
            | '」'
            | '』'
            | '）'
            | '】'
            | '〕'
            | '》'
            | '〉'
    )
}

/// Opening quotes and brackets (and Spanish inverted marks) that may start a sentence.
fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '“'
            | '‘'
            | '„'
            | '«'
            | '‹'
            | '('
            | '['
            | '{'
            | '¿'
            | '¡'
            | '「'
            | '『'
            | '（'
    )
}

fn eq_any(word: &str, list: &[&str]) -> bool {
    let lw = word.to_lowercase();
    list.contains(&lw.as_str())
}

/// Words that typically open a sentence: after an ambiguous abbreviation ("Inc.", "U.S.")
/// one of these means the full stop also ended the sentence.
fn is_sentence_starter(word: &str) -> bool {
    eq_any(word, SENTENCE_STARTERS)
}

fn is_month(word: &str) -> bool {
    eq_any(word, MONTHS)
}

/// Abbreviations that precede a name and never end a sentence.
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "messrs", "dr", "prof", "rev", "hon", "gen", "sen", "rep", "gov", "lt",
    "col", "sgt", "capt", "cmdr", "adm", "maj", "brig", "cpl", "pvt", "supt", "insp", "det", "fr",
    "pres", "atty", "mt", "ft", "vs", "cf", "viz", "ca", "approx", "mme", "mlle", "sr", "sra",
    "srta", "dña", "hr", "fru", "herr", "frau", "bzw", "vgl", "evtl", "ggf", "inkl", "sog", "ул",
    "им", "проф", "акад", "др", "тов", "гг", "см", "ср", "пр", "св",
];

/// Abbreviations that introduce a number ("No. 5", "pp. 12").
const NUMBER_ABBREVIATIONS: &[&str] = &[
    "no", "nos", "nr", "art", "vol", "pp", "fig", "ch", "sec", "para", "tel", "№",
];

/// Abbreviations that may or may not end a sentence ("Apple Inc. said" / "... Inc. The").
const AMBIGUOUS_ABBREVIATIONS: &[&str] = &[
    "inc", "ltd", "co", "corp", "plc", "llc", "bros", "jr", "etc", "est", "dept", "univ", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue",
    "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "st", "ave", "blvd", "rd", "usw",
    "mio", "mrd", "tsd", "env", "aprox", "núm", "pág", "г", "т", "д", "тыс", "млн", "млрд", "руб",
    "коп", "ок",
];

const SENTENCE_STARTERS: &[&str] = &[
    // English
    "the",
    "a",
    "an",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "you",
    "his",
    "her",
    "their",
    "its",
    "our",
    "this",
    "that",
    "these",
    "those",
    "there",
    "here",
    "but",
    "and",
    "so",
    "yet",
    "or",
    "if",
    "when",
    "while",
    "as",
    "after",
    "before",
    "in",
    "on",
    "at",
    "for",
    "with",
    "by",
    "from",
    "however",
    "meanwhile",
    "also",
    "then",
    "now",
    "still",
    "although",
    "though",
    "because",
    "since",
    "what",
    "who",
    "why",
    "how",
    "many",
    "some",
    "most",
    "officials",
    "police",
    "mr",
    "mrs",
    "ms",
    "dr",
    // German, French, Spanish, Italian, Portuguese, Dutch
    "der",
    "die",
    "das",
    "ein",
    "eine",
    "er",
    "es",
    "wir",
    "ich",
    "aber",
    "und",
    "le",
    "la",
    "les",
    "il",
    "elle",
    "ils",
    "nous",
    "je",
    "mais",
    "et",
    "el",
    "los",
    "las",
    "él",
    "ella",
    "pero",
    "y",
    "lo",
    "gli",
    "o",
    "os",
    "de",
    "het",
    "een",
    "hij",
    "zij",
    // Russian, Ukrainian
    "он",
    "она",
    "они",
    "мы",
    "я",
    "но",
    "и",
    "в",
    "на",
    "это",
    "по",
    "как",
    "що",
    "як",
];

const MONTHS: &[&str] = &[
    "januar",
    "februar",
    "märz",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "dezember",
    "jänner",
    "januari",
    "februari",
    "maart",
    "mei",
    "juni",
    "juli",
    "augustus",
    "oktober",
    "januar",
    "februar",
    "marts",
    "maj",
    "oktober",
    "desember",
    "december",
    "jan",
    "feb",
    "mär",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "okt",
    "nov",
    "dez",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Vec<&str> {
        split_strs(text)
    }

    #[test]
    fn offsets_point_into_the_input() {
        let text = "First one.  Second one!\n\n  Third?";
        for sent in split(text) {
            assert_eq!(&text[sent.start..sent.start + sent.text.len()], sent.text);
        }
        let paras: Vec<usize> = split(text).iter().map(|s| s.paragraph).collect();
        assert_eq!(paras, vec![0, 0, 1]);
    }

    #[test]
    fn word_before_skips_opening_quotes() {
        assert_eq!(
            s("He said \"Mr. Smith left.\" Then he went."),
            vec!["He said \"Mr. Smith left.\"", "Then he went."]
        );
    }

    #[test]
    fn lowercase_detection_needs_enough_letters() {
        assert!(!is_lowercased("ok. fine."));
        assert!(is_lowercased(
            "the minister said on monday that the plan would go ahead. critics disagreed."
        ));
        assert!(!is_lowercased(
            "The Minister said on Monday that the plan would go ahead. Critics disagreed."
        ));
    }
}
