//! The last and weakest source-type signal: a score for editorial language in English
//! text (first-person argument, prescriptive and evaluative wording, stance phrases).
//!
//! Its result is always `inferred`: our guess, never the publisher's label. It is built
//! to stay quiet on straight news: quoted speech and sentences that report what someone
//! said ("the minister said the country must act") are skipped, because news is full of
//! other people's opinions; only the writer's own voice counts.

use std::fmt;

/// Texts shorter than this give too few sentences to tell a writer's voice from noise.
pub const MIN_WORDS: usize = 120;

/// Score at and above which the text counts as editorial language.
pub const THRESHOLD: f32 = 0.6;

/// Weighted hits per 100 words at which the score reaches 1 - 1/e (~0.63).
const SCALE: f64 = 1.3;

/// What the heuristic found in one text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EditorialScore {
    /// In [0, 1], rounded to two decimals so records are stable across platforms.
    pub score: f32,
    /// Words outside quotations (the ones that were examined).
    pub words: usize,
    pub first_person: usize,
    pub prescriptive: usize,
    pub evaluative: usize,
    pub stance: usize,
    pub questions: usize,
}

impl EditorialScore {
    pub fn is_editorial(&self) -> bool {
        self.score >= THRESHOLD
    }
}

impl fmt::Display for EditorialScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "score {:.2} over {} words: first person {}, prescriptive {}, evaluative {}, stance phrases {}, rhetorical questions {}",
            self.score,
            self.words,
            self.first_person,
            self.prescriptive,
            self.evaluative,
            self.stance,
            self.questions
        )
    }
}

const FIRST_PERSON: &[&str] = &[
    "i", "i'm", "i've", "i'd", "i'll", "me", "my", "mine", "myself",
];

const PRESCRIPTIVE: &[&str] = &["should", "shouldn't", "must", "mustn't", "ought"];

/// Words a reporter avoids in their own voice and a columnist reaches for.
const EVALUATIVE: &[&str] = &[
    "absurd",
    "outrageous",
    "shameful",
    "disgraceful",
    "reckless",
    "foolish",
    "misguided",
    "wrongheaded",
    "ridiculous",
    "appalling",
    "cynical",
    "hypocritical",
    "pathetic",
    "laughable",
    "deplorable",
    "inexcusable",
    "indefensible",
    "unconscionable",
    "shameless",
    "cowardly",
    "admirable",
    "commendable",
    "courageous",
    "brilliant",
    "wise",
    "unwise",
    "naive",
    "sensible",
    "senseless",
    "idiotic",
    "dishonest",
    "disingenuous",
    "farcical",
    "obviously",
    "clearly",
    "frankly",
    "surely",
    "undeniably",
    "sadly",
    "thankfully",
    "regrettably",
];

/// Phrases that announce the writer's stance.
const STANCE: &[&str] = &[
    "in my view",
    "in my opinion",
    "i believe",
    "i think",
    "i would argue",
    "i argue",
    "make no mistake",
    "let's be clear",
    "let us be clear",
    "let's be honest",
    "the truth is",
    "it is time to",
    "it's time to",
    "it is high time",
    "we must",
    "we should",
    "we need to",
    "we cannot",
    "we can't afford",
    "the answer is",
    "there is no excuse",
];

/// Verbs that mark a sentence as reported speech, whose modals are somebody else's.
const ATTRIBUTION: &[&str] = &[
    "said",
    "says",
    "told",
    "according",
    "argued",
    "argues",
    "warned",
    "warns",
    "stated",
    "added",
    "claimed",
    "claims",
    "insisted",
    "urged",
    "wrote",
    "announced",
    "testified",
];

/// Score the editorial language of `text`, or `None` when the heuristic does not apply:
/// the text is not English (by its declared language and by detection) or too short.
pub fn editorial_score(text: &str, language: Option<&str>) -> Option<EditorialScore> {
    if !is_english(text, language) {
        return None;
    }
    let own = strip_quotations(text);
    let mut s = EditorialScore {
        score: 0.0,
        words: 0,
        first_person: 0,
        prescriptive: 0,
        evaluative: 0,
        stance: 0,
        questions: 0,
    };
    for sentence in sentences(&own) {
        let words = words(sentence);
        s.words += words.len();
        if words.is_empty() {
            continue;
        }
        let reported = words.iter().any(|w| ATTRIBUTION.contains(&w.as_str()));
        s.first_person += words
            .iter()
            .filter(|w| FIRST_PERSON.contains(&w.as_str()))
            .count();
        if !reported {
            let joined = format!(" {} ", words.join(" "));
            s.stance += STANCE
                .iter()
                .filter(|p| joined.contains(&format!(" {p} ")))
                .count();
            s.prescriptive += words
                .iter()
                .filter(|w| PRESCRIPTIVE.contains(&w.as_str()))
                .count();
            s.evaluative += words
                .iter()
                .filter(|w| EVALUATIVE.contains(&w.as_str()))
                .count();
            if sentence.trim_end().ends_with('?') {
                s.questions += 1;
            }
        }
    }
    if s.words < MIN_WORDS {
        return None;
    }
    let weighted = s.first_person as f64
        + 0.6 * s.prescriptive as f64
        + 1.0 * s.evaluative as f64
        + 2.0 * s.stance as f64
        + 0.5 * s.questions as f64;
    let per_100 = weighted * 100.0 / s.words as f64;
    let score = 1.0 - (-per_100 / SCALE).exp();
    s.score = ((score * 100.0).round() / 100.0) as f32;
    Some(s)
}

/// English by declared language (when given) and by the script and detection of the
/// text itself: templates often say `lang="en"` on pages in other languages, and a
/// Chinese article must never be scored with English word lists.
fn is_english(text: &str, language: Option<&str>) -> bool {
    let (mut latin, mut letters) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        if c.is_ascii_alphabetic() {
            latin += 1;
        }
    }
    if letters == 0 || latin * 10 < letters * 9 {
        return false;
    }
    let declared = language.map(|l| l.trim().to_ascii_lowercase());
    if let Some(l) = &declared
        && !(l == "en" || l.starts_with("en-") || l.starts_with("en_"))
    {
        return false;
    }
    match whatlang::detect(text) {
        Some(info) if info.lang() == whatlang::Lang::Eng => true,
        // Detection disagrees confidently: trust the text over the tag.
        Some(info) if info.is_reliable() => false,
        // Unsure detection: a declared English tag decides; no tag, no guess.
        _ => declared.is_some(),
    }
}

/// The text without quoted passages (straight or curly double quotes). An opening quote
/// with no close within a paragraph is ignored, so one stray mark cannot hide the rest.
fn strip_quotations(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for para in text.split("\n\n") {
        let chars: Vec<char> = para.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let close = match c {
                '"' => Some('"'),
                '“' => Some('”'),
                '„' => Some('“'),
                '«' => Some('»'),
                _ => None,
            };
            if let Some(close) = close
                && let Some(len) = chars[i + 1..].iter().position(|&d| d == close)
            {
                // Keep the sentence boundary a quote may have carried ("... ," he said.).
                out.push(' ');
                i += len + 2;
                continue;
            }
            out.push(c);
            i += 1;
        }
        out.push_str("\n\n");
    }
    out
}

fn sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split_inclusive(['.', '!', '?', '\n'])
        .filter(|s| !s.trim().is_empty())
}

/// Lowercase words with apostrophes normalized (’ -> ').
fn words(sentence: &str) -> Vec<String> {
    sentence
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().replace('’', "'"))
        .map(|w| w.trim_matches('\'').to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotations_are_removed_but_unclosed_quotes_are_kept() {
        let s = strip_quotations("He said \"we must act\" today. And “I think so” too.");
        assert!(!s.contains("must"), "{s}");
        assert!(!s.contains("think"), "{s}");
        let s = strip_quotations("A stray \" mark and we must act.");
        assert!(s.contains("must act"), "{s}");
    }

    #[test]
    fn short_or_foreign_text_is_not_scored() {
        assert_eq!(editorial_score("I think we must act.", Some("en")), None);
        let zh = "我认为政府必须立即采取行动。".repeat(40);
        assert_eq!(editorial_score(&zh, Some("en")), None);
        assert_eq!(editorial_score(&zh, None), None);
    }

    #[test]
    fn display_names_every_feature() {
        let s = EditorialScore {
            score: 0.5,
            words: 200,
            first_person: 1,
            prescriptive: 2,
            evaluative: 3,
            stance: 4,
            questions: 5,
        };
        let d = s.to_string();
        assert!(d.starts_with("score 0.50 over 200 words"), "{d}");
        assert!(d.contains("rhetorical questions 5"), "{d}");
    }
}
