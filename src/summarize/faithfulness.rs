//! Faithfulness check for model-written summaries: numbers, dates and names in the
//! summary that the source text does not contain. They are listed on the summary
//! record (`unsupported`) so the disclosure can say so; nothing is silently published
//! as fact.
//!
//! The check is lexical and errs towards flagging: "2.5 million" against a source that
//! writes "2,500,000" is reported. Number words ("three", "second") in the source
//! support the matching digits in the summary.

use std::collections::HashSet;
use std::sync::OnceLock;

use regex::Regex;

/// What the source text offers to support a summary.
struct SourceIndex {
    /// Lower-cased words (letters/digits runs; dotted acronyms joined: "U.S." -> "us").
    words: HashSet<String>,
    /// Numbers as digit strings without grouping separators ("1,200" -> "1200").
    numbers: HashSet<String>,
}

impl SourceIndex {
    fn new(source: &str) -> SourceIndex {
        let mut words = HashSet::new();
        let mut numbers = HashSet::new();
        for w in words_of(source) {
            if let Some(n) = number_word(&w) {
                numbers.insert(n.to_string());
            }
            words.insert(w);
        }
        for m in number_re().find_iter(source) {
            numbers.insert(normalize_number(m.as_str()));
        }
        for n in cjk_numbers(source) {
            numbers.insert(n.to_string());
        }
        SourceIndex { words, numbers }
    }

    fn has_word(&self, w: &str) -> bool {
        let w = w.to_lowercase();
        let bare = w
            .strip_suffix("'s")
            .or_else(|| w.strip_suffix("’s"))
            .unwrap_or(&w);
        self.words.contains(bare) || self.words.contains(&w)
    }
}

/// Numbers, dates and named entities in `sentences` that `source` does not support,
/// in order of first appearance, without duplicates.
pub fn unsupported(sentences: &[String], source: &str) -> Vec<String> {
    let index = SourceIndex::new(source);
    let mut out: Vec<String> = Vec::new();
    let push = |s: String, out: &mut Vec<String>| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    for sentence in sentences {
        let mut covered: Vec<(usize, usize)> = Vec::new();
        // Dates first, so "March 3, 2015" is reported whole rather than as parts.
        for m in date_re().find_iter(sentence) {
            covered.push((m.start(), m.end()));
            let nums_ok = number_re()
                .find_iter(m.as_str())
                .all(|n| index.numbers.contains(&normalize_number(n.as_str())));
            let month_ok = words_of(m.as_str())
                .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
                .filter(|w| !matches!(w.as_str(), "st" | "nd" | "rd" | "th" | "of"))
                .all(|w| index.has_word(&w) || month_abbrev_supported(&w, &index));
            if !(nums_ok && month_ok) {
                push(m.as_str().trim().to_string(), &mut out);
            }
        }
        for m in number_re().find_iter(sentence) {
            if covered.iter().any(|&(a, b)| m.start() >= a && m.end() <= b) {
                continue;
            }
            if !index.numbers.contains(&normalize_number(m.as_str())) {
                push(m.as_str().to_string(), &mut out);
            }
        }
        for entity in entities(sentence) {
            if covered.iter().any(|&(a, b)| entity.0 >= a && entity.0 < b) {
                continue;
            }
            let ok = entity
                .1
                .split(|c: char| c.is_whitespace() || c == '-')
                .filter(|w| !w.is_empty())
                .all(|w| index.has_word(&compress_acronym(w)) || is_connector(w));
            if !ok {
                push(entity.1.clone(), &mut out);
            }
        }
    }
    out
}

/// Digits with optional grouping and decimals: 3, 1,200, 3.5, 1.000.000, 45%.
fn number_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"\d+(?:[.,]\d+)*").unwrap_or_else(|e| panic!("bad built-in regex: {e}"))
    })
}

/// English dates: "March 3", "March 3, 2015", "3 March 2015", "March 2015".
fn date_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        let month = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?";
        let pattern = format!(
            r"\b(?:{month}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{month}(?:,?\s+\d{{4}})?|{month},?\s+\d{{4}})\b"
        );
        Regex::new(&pattern).unwrap_or_else(|e| panic!("bad built-in regex: {e}"))
    })
}

/// "1,200" -> "1200", "3.50" -> "3.5", "7.0" -> "7": the same quantity written two ways.
fn normalize_number(s: &str) -> String {
    let s = s.trim_end_matches(['.', ',']);
    // A separator followed by exactly three digits is grouping, anything else decimal.
    let parts: Vec<&str> = s.split([',', '.']).collect();
    if parts.len() == 1 {
        return s.trim_start_matches('0').to_string().max_or_zero();
    }
    let last = parts[parts.len() - 1];
    let grouped = parts[1..].iter().all(|p| p.len() == 3);
    if grouped {
        return parts
            .concat()
            .trim_start_matches('0')
            .to_string()
            .max_or_zero();
    }
    let int: String = parts[..parts.len() - 1].concat();
    let frac = last.trim_end_matches('0');
    let int = int.trim_start_matches('0').to_string().max_or_zero();
    if frac.is_empty() {
        int
    } else {
        format!("{int}.{frac}")
    }
}

trait OrZero {
    fn max_or_zero(self) -> String;
}

impl OrZero for String {
    fn max_or_zero(self) -> String {
        if self.is_empty() {
            "0".to_string()
        } else {
            self
        }
    }
}

/// Values of runs of Chinese/Japanese numerals ("十八" = 18, "一百二十亿" = 12,000,000,000),
/// so a summary writing "18" is supported by a source writing "十八".
fn cjk_numbers(s: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let mut run = String::new();
    for c in s.chars().chain(std::iter::once(' ')) {
        if cjk_digit(c).is_some() || cjk_unit(c).is_some() {
            run.push(c);
        } else if !run.is_empty() {
            out.extend(parse_cjk_number(&run));
            // "一百二十亿" is also "120亿": keep the figure before a trailing 万/亿.
            let mantissa = run.trim_end_matches(['万', '萬', '亿', '億']);
            if mantissa.len() < run.len() && !mantissa.is_empty() {
                out.extend(parse_cjk_number(mantissa));
            }
            run.clear();
        }
    }
    out
}

fn cjk_digit(c: char) -> Option<u64> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn cjk_unit(c: char) -> Option<u64> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1_000,
        '万' | '萬' => 10_000,
        '亿' | '億' => 100_000_000,
        _ => return None,
    })
}

fn parse_cjk_number(run: &str) -> Option<u64> {
    // A lone "一" is usually the word "one/a", not a figure anyone writes as "1".
    if run.chars().count() == 1 && cjk_unit(run.chars().next()?).is_none() {
        return cjk_digit(run.chars().next()?);
    }
    let (mut total, mut section, mut digit) = (0u64, 0u64, None::<u64>);
    for c in run.chars() {
        if let Some(d) = cjk_digit(c) {
            // "二〇一五" (a year written digit by digit).
            if let Some(prev) = digit {
                digit = Some(prev.checked_mul(10)?.checked_add(d)?);
            } else {
                digit = Some(d);
            }
        } else if let Some(u) = cjk_unit(c) {
            if u >= 10_000 {
                section = section.checked_add(digit.take().unwrap_or(0))?;
                total = total.checked_add(section.max(1).checked_mul(u)?)?;
                section = 0;
            } else {
                section = section.checked_add(digit.take().unwrap_or(1).checked_mul(u)?)?;
            }
        }
    }
    Some(total + section + digit.unwrap_or(0))
}

fn number_word(w: &str) -> Option<u32> {
    Some(match w {
        "zero" | "none" => 0,
        "one" | "first" | "single" => 1,
        "two" | "second" | "twice" | "both" => 2,
        "three" | "third" | "thrice" => 3,
        "four" | "fourth" => 4,
        "five" | "fifth" => 5,
        "six" | "sixth" => 6,
        "seven" | "seventh" => 7,
        "eight" | "eighth" => 8,
        "nine" | "ninth" => 9,
        "ten" | "tenth" => 10,
        "eleven" | "eleventh" => 11,
        "twelve" | "twelfth" | "dozen" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "hundred" => 100,
        "thousand" => 1000,
        _ => return None,
    })
}

fn month_abbrev_supported(w: &str, index: &SourceIndex) -> bool {
    const MONTHS: &[&str] = &[
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let w = w.trim_end_matches('.').to_lowercase();
    if w.len() < 3 {
        return false;
    }
    MONTHS
        .iter()
        .filter(|m| m.starts_with(&w))
        .any(|m| index.words.contains(*m) || index.words.contains(&m[..3]))
}

/// Lower-cased words of `s`, with dotted acronyms joined ("U.S." -> "us").
fn words_of(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split_whitespace().flat_map(|tok| {
        let tok = compress_acronym(tok);
        tok.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
    })
}

/// "U.S." -> "US", "U.N.'s" -> "UN's"; anything else unchanged.
fn compress_acronym(tok: &str) -> String {
    let core = tok.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
    let letters: Vec<char> = core.chars().filter(|c| *c != '.').collect();
    let dotted = core.contains('.')
        && letters.len() >= 2
        && letters.iter().all(|c| c.is_alphabetic())
        && core
            .split('.')
            .filter(|p| !p.is_empty())
            .all(|p| p.chars().count() == 1);
    if dotted {
        tok.replace('.', "")
    } else {
        tok.to_string()
    }
}

fn is_connector(w: &str) -> bool {
    matches!(
        w,
        "of" | "de"
            | "van"
            | "von"
            | "der"
            | "den"
            | "la"
            | "le"
            | "du"
            | "del"
            | "al"
            | "bin"
            | "&"
    )
}

/// Runs of capitalized words (with connectors such as "of" inside): names of people,
/// places and organisations. A capitalized word that opens a sentence counts only when it
/// is not an ordinary word (its lower-case form is not a common word).
fn entities(sentence: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut start = 0usize;
    let mut first_word = true;
    let mut offset = 0usize;
    let flush = |current: &mut Vec<&str>, start: usize, out: &mut Vec<(usize, String)>| {
        while current.last().is_some_and(|w| is_connector(w)) {
            current.pop();
        }
        if !current.is_empty() {
            out.push((start, current.join(" ")));
        }
        current.clear();
    };
    for raw in sentence.split_whitespace() {
        let at = sentence[offset..].find(raw).map_or(offset, |p| offset + p);
        offset = at + raw.len();
        let word =
            raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '\'' && c != '’');
        let word = word.trim_end_matches('.');
        let capitalized = word.chars().next().is_some_and(char::is_uppercase);
        let ordinary_opener = first_word && is_common_word(word);
        if capitalized && !ordinary_opener && word.chars().any(char::is_alphabetic) {
            if current.is_empty() {
                start = at;
            }
            current.push(word);
        } else if !current.is_empty() && is_connector(word) {
            current.push(word);
        } else {
            flush(&mut current, start, &mut out);
        }
        // A clause boundary ends a name: "Paris, France" is two.
        if raw.ends_with([',', ';', ':', '.', '!', '?', ')', '"', '”']) {
            flush(&mut current, start, &mut out);
        }
        first_word = raw.ends_with(['.', '!', '?', ':'])
            || (first_word && !word.chars().any(char::is_alphanumeric));
    }
    flush(&mut current, start, &mut out);
    out
}

/// Words that open sentences without being names.
fn is_common_word(w: &str) -> bool {
    const COMMON: &[&str] = &[
        "the",
        "a",
        "an",
        "he",
        "she",
        "it",
        "they",
        "we",
        "i",
        "his",
        "her",
        "their",
        "its",
        "this",
        "that",
        "these",
        "those",
        "there",
        "in",
        "on",
        "at",
        "after",
        "before",
        "but",
        "and",
        "however",
        "meanwhile",
        "while",
        "when",
        "as",
        "according",
        "officials",
        "police",
        "some",
        "many",
        "more",
        "most",
        "both",
        "one",
        "two",
        "three",
        "several",
        "last",
        "earlier",
        "later",
        "despite",
        "although",
        "since",
        "for",
        "with",
        "from",
        "by",
        "if",
        "so",
        "also",
        "other",
        "critics",
        "experts",
        "researchers",
        "scientists",
        "residents",
        "authorities",
        "protesters",
        "people",
        "its",
        "our",
        "under",
        "during",
    ];
    let lw = w.to_lowercase();
    COMMON.contains(&lw.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_normalize_across_formats() {
        assert_eq!(normalize_number("1,200"), "1200");
        assert_eq!(normalize_number("1.200.000"), "1200000");
        assert_eq!(normalize_number("3.50"), "3.5");
        assert_eq!(normalize_number("7.0"), "7");
        assert_eq!(normalize_number("2015."), "2015");
    }

    #[test]
    fn cjk_numerals_have_values() {
        assert_eq!(parse_cjk_number("十八"), Some(18));
        assert_eq!(parse_cjk_number("二十"), Some(20));
        assert_eq!(parse_cjk_number("一百二十"), Some(120));
        assert_eq!(parse_cjk_number("一百二十亿"), Some(12_000_000_000));
        assert_eq!(parse_cjk_number("二十万"), Some(200_000));
        assert_eq!(parse_cjk_number("二〇一五"), Some(2015));
        assert_eq!(cjk_numbers("全长十八公里，共设十二座车站"), vec![18, 12]);
        assert_eq!(cjk_numbers("投资约一百二十亿元"), vec![12_000_000_000, 120]);
    }

    #[test]
    fn acronyms_join() {
        assert_eq!(compress_acronym("U.S."), "US");
        assert_eq!(compress_acronym("example.com"), "example.com");
    }

    #[test]
    fn entity_runs_keep_inner_connectors() {
        let e: Vec<String> = entities("The Bank of England raised rates in London on Monday.")
            .into_iter()
            .map(|e| e.1)
            .collect();
        assert_eq!(e, vec!["Bank of England", "London", "Monday"]);
    }
}
