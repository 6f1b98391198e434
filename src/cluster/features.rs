//! An article's term features for clustering: title and lead tokens, stemmed, stop
//! words out, with names and numbers (the rare, story-specific terms) marked so they
//! weigh more. Features are hashed, so memory does not grow with the vocabulary.

use rust_stemmers::{Algorithm, Stemmer};

use crate::text::stopwords::stop_words;

/// How much of the text is read: the lead says what the story is; the rest of a page
/// (and its boilerplate) mostly adds noise and time.
pub const LEAD_CHARS: usize = 4000;

/// One token occurrence: its feature hash, and whether it was a name or a number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Token {
    pub hash: u64,
    pub entity: bool,
}

/// The tokenizer for one language (stemmer and stop words are built once).
pub struct Tokenizer {
    stemmer: Option<Stemmer>,
    lang: Option<String>,
}

impl Tokenizer {
    pub fn new(lang: Option<&str>) -> Self {
        let algo = match lang {
            Some("en") | None => Some(Algorithm::English),
            Some("de") => Some(Algorithm::German),
            Some("fr") => Some(Algorithm::French),
            Some("es") => Some(Algorithm::Spanish),
            Some("ru") => Some(Algorithm::Russian),
            _ => None,
        };
        Tokenizer {
            stemmer: algo.map(Stemmer::create),
            lang: Some(lang.unwrap_or("en").to_string()),
        }
    }

    /// The tokens of `text` (at most `limit` characters of it), in order.
    pub fn tokens(&self, text: &str, limit: usize, out: &mut Vec<Token>) {
        let stops = stop_words(self.lang.as_deref());
        let mut sentence_start = true;
        let mut word = String::new();
        let mut lower = String::new();
        // The previous word when it was capitalised: two in a row make a name
        // ("Cerise Avenue", "Bernard Gillis"), far rarer than either word.
        let mut prev_cap = String::new();
        let mut chars = text.chars().take(limit).peekable();
        loop {
            let c = chars.next();
            if let Some(c) = c
                && c.is_alphanumeric()
            {
                word.push(c);
                continue;
            }
            if !word.is_empty() {
                lower.clear();
                lower.extend(word.chars().flat_map(char::to_lowercase));
                let stop = stops.is_some_and(|s| s.contains_key(lower.as_str()));
                let digits = word.chars().any(|c| c.is_ascii_digit());
                let capital = word.chars().next().is_some_and(char::is_uppercase);
                // A capital after a full stop is grammar, not a name; a stop word is never
                // a name ("The", "He"); a one-letter number or a lone letter says nothing.
                if !stop && lower.chars().count() > 1 {
                    let entity = digits || (capital && !sentence_start);
                    let stem = match (&self.stemmer, entity || digits) {
                        (Some(s), false) => s.stem(&lower).into_owned(),
                        _ => lower.clone(),
                    };
                    out.push(Token {
                        hash: hash(stem.as_bytes()),
                        entity,
                    });
                    if capital && !digits {
                        if !prev_cap.is_empty() {
                            prev_cap.push(' ');
                            prev_cap.push_str(&lower);
                            out.push(Token {
                                hash: hash(prev_cap.as_bytes()),
                                entity: true,
                            });
                        }
                        prev_cap.clear();
                        prev_cap.push_str(&lower);
                    } else {
                        prev_cap.clear();
                    }
                } else {
                    prev_cap.clear();
                }
                sentence_start = false;
                word.clear();
            }
            match c {
                None => break,
                Some('.' | '!' | '?' | '\n' | ':' | '"' | '“' | '—' | '|') => {
                    sentence_start = true
                }
                _ => {}
            }
        }
    }
}

/// FNV-1a: stable across runs and platforms (the std hasher is seeded per process, and
/// a clustering must be repeatable).
pub fn hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Token> {
        let mut v = Vec::new();
        Tokenizer::new(Some("en")).tokens(s, LEAD_CHARS, &mut v);
        v
    }

    #[test]
    fn names_and_numbers_are_entities_sentence_starts_are_not() {
        let t = toks("Police said. Officers shot Bernard Gillis at 1500 Cerise Avenue.");
        let ent: Vec<bool> = t.iter().map(|t| t.entity).collect();
        // police, officers (sentence starts), shot, bernard, gillis, "bernard gillis",
        // 1500, cerise, avenue, "cerise avenue"
        assert_eq!(
            ent,
            vec![
                false, false, false, true, true, true, true, true, true, true
            ]
        );
        assert_eq!(t[5].hash, hash(b"bernard gillis"));
    }

    #[test]
    fn stems_join_inflections_and_stop_words_drop() {
        let a = toks("the shootings");
        let b = toks("a shooting");
        assert_eq!(a.len(), 1);
        assert_eq!(a, b);
    }
}
