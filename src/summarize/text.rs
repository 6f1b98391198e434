//! Text analysis shared by the summarizers: language detection and normalization,
//! content-term extraction (lower-case, stop words out, Snowball stems via
//! rust-stemmers; character bigrams for Chinese/Japanese), and the sparse term
//! vectors the extractive method compares sentences with.

use std::collections::HashMap;

use rust_stemmers::{Algorithm, Stemmer};

use crate::text::scripts::is_unspaced;
use crate::text::stopwords::stop_words;

/// At most `n` characters of `s`, cut on a char boundary.
pub(crate) fn prefix_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Length of a text in "words": whitespace-separated words, except that each CJK
/// character counts as half a word (news Chinese averages about two characters per
/// word, so a 75-word budget is about 150 characters).
pub(crate) fn word_len(s: &str) -> f32 {
    let mut words = 0.0f32;
    let mut in_word = false;
    for c in s.chars() {
        if is_unspaced(c) {
            if c.is_alphanumeric() {
                words += 0.5;
            }
            in_word = false;
        } else if c.is_whitespace() {
            in_word = false;
        } else if !in_word {
            in_word = true;
            words += 1.0;
        }
    }
    words
}

/// Turns sentences into content terms for one language.
pub(crate) struct Analyzer {
    stemmer: Option<Stemmer>,
    stop: Option<&'static HashMap<&'static str, ()>>,
}

impl Analyzer {
    pub(crate) fn new(lang: Option<&str>) -> Analyzer {
        let algo = match lang {
            Some("en") => Some(Algorithm::English),
            Some("de") => Some(Algorithm::German),
            Some("fr") => Some(Algorithm::French),
            Some("es") => Some(Algorithm::Spanish),
            Some("it") => Some(Algorithm::Italian),
            Some("pt") => Some(Algorithm::Portuguese),
            Some("nl") => Some(Algorithm::Dutch),
            Some("ru") => Some(Algorithm::Russian),
            Some("sv") => Some(Algorithm::Swedish),
            Some("da") => Some(Algorithm::Danish),
            Some("no" | "nb" | "nn") => Some(Algorithm::Norwegian),
            Some("fi") => Some(Algorithm::Finnish),
            Some("hu") => Some(Algorithm::Hungarian),
            Some("ro") => Some(Algorithm::Romanian),
            Some("tr") => Some(Algorithm::Turkish),
            Some("el") => Some(Algorithm::Greek),
            Some("ar") => Some(Algorithm::Arabic),
            _ => None,
        };
        Analyzer {
            stemmer: algo.map(Stemmer::create),
            stop: stop_words(lang),
        }
    }

    /// Append the content terms of `s` to `out`. Latin/Cyrillic words are lower-cased,
    /// stop words and one-letter words dropped, the rest stemmed; runs of CJK
    /// characters give overlapping character bigrams (a run of one gives itself).
    pub(crate) fn terms(&self, s: &str, out: &mut Vec<String>) {
        let mut word = String::new();
        let mut cjk_prev: Option<char> = None;
        let mut cjk_run = 0usize;
        let flush_cjk = |prev: &mut Option<char>, run: &mut usize, out: &mut Vec<String>| {
            if *run == 1
                && let Some(p) = *prev
            {
                out.push(p.to_string());
            }
            *prev = None;
            *run = 0;
        };
        for c in s.chars() {
            if is_unspaced(c) && c.is_alphanumeric() {
                self.flush_word(&mut word, out);
                if let Some(p) = cjk_prev {
                    let mut bigram = String::with_capacity(8);
                    bigram.push(p);
                    bigram.push(c);
                    out.push(bigram);
                }
                cjk_prev = Some(c);
                cjk_run += 1;
            } else if c.is_alphanumeric() {
                flush_cjk(&mut cjk_prev, &mut cjk_run, out);
                for l in c.to_lowercase() {
                    word.push(l);
                }
            } else {
                flush_cjk(&mut cjk_prev, &mut cjk_run, out);
                self.flush_word(&mut word, out);
            }
        }
        flush_cjk(&mut cjk_prev, &mut cjk_run, out);
        self.flush_word(&mut word, out);
    }

    fn flush_word(&self, word: &mut String, out: &mut Vec<String>) {
        if word.is_empty() {
            return;
        }
        let keep = word.chars().nth(1).is_some()
            && !self.stop.is_some_and(|s| s.contains_key(word.as_str()));
        if keep {
            match &self.stemmer {
                Some(st) if !word.chars().all(|c| c.is_ascii_digit()) => {
                    out.push(st.stem(word).into_owned())
                }
                _ => out.push(word.clone()),
            }
        }
        word.clear();
    }
}

/// Interns terms of one document as small integers so vectors compare fast.
#[derive(Default)]
pub(crate) struct Vocab {
    ids: HashMap<String, u32>,
}

impl Vocab {
    pub(crate) fn id(&mut self, term: String) -> u32 {
        let next = self.ids.len() as u32;
        *self.ids.entry(term).or_insert(next)
    }

    pub(crate) fn get(&self, term: &str) -> Option<u32> {
        self.ids.get(term).copied()
    }

    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }
}

/// A sparse vector: (term id, weight) sorted by term id.
#[derive(Debug, Clone, Default)]
pub(crate) struct TermVec {
    pub(crate) entries: Vec<(u32, f32)>,
    pub(crate) norm: f32,
}

impl TermVec {
    pub(crate) fn from_weights(mut entries: Vec<(u32, f32)>) -> TermVec {
        entries.sort_unstable_by_key(|e| e.0);
        let norm = entries.iter().map(|e| e.1 * e.1).sum::<f32>().sqrt();
        TermVec { entries, norm }
    }

    pub(crate) fn dot(&self, other: &TermVec) -> f32 {
        crate::text::sparse::dot(&self.entries, &other.entries)
    }

    pub(crate) fn cosine(&self, other: &TermVec) -> f32 {
        if self.norm == 0.0 || other.norm == 0.0 {
            return 0.0;
        }
        self.dot(other) / (self.norm * other.norm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_terms_are_stemmed_without_stop_words() {
        let a = Analyzer::new(Some("en"));
        let mut out = Vec::new();
        a.terms(
            "The ministers were running to the elections in 2015.",
            &mut out,
        );
        assert_eq!(out, vec!["minist", "run", "elect", "2015"]);
    }

    #[test]
    fn cjk_runs_become_bigrams() {
        let a = Analyzer::new(Some("zh"));
        let mut out = Vec::new();
        a.terms("生态兴则文明兴，好。2015年", &mut out);
        assert_eq!(
            out,
            vec![
                "生态", "态兴", "兴则", "则文", "文明", "明兴", "好", "2015", "年"
            ]
        );
    }

    #[test]
    fn cjk_counts_half_a_word_per_character() {
        assert_eq!(word_len("one two three"), 3.0);
        assert_eq!(word_len("生态兴则"), 2.0);
    }
}
