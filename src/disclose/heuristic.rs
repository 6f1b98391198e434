//! feedbrief's own reading of a text: does the writer voice judgements (evaluative and
//! advocacy words, recommendations, stance phrases, exclamations) beyond what they
//! quote? English only; the answer feeds `editorial_commentary`, never the type of work.
//!
//! Pronouns are not counted: a first-person how-to or diary is not commentary, and a
//! column can argue without "I". Quoted speech and sentences that report what someone
//! said ("the minister said the country must act") are skipped, because news is full of
//! other people's opinions; only the writer's own voice counts.
//!
//! The weights and the threshold were set on the development pages of
//! `../shared/data/disclosure` (readers' `editorial_language` judgements); see
//! EVALUATION.md for the command and the figures.

use std::fmt;

/// Texts shorter than this give too few sentences to tell a writer's voice from noise.
pub(crate) const MIN_WORDS: usize = 120;

/// Score at and above which the text counts as editorial language.
pub(crate) const THRESHOLD: f32 = 0.5;

/// Weighted cues per 100 words at which the score reaches the threshold.
const HALF_AT: f64 = 1.3;

/// What the reading found in one text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EditorialScore {
    /// In [0, 1], rounded to two decimals so records are stable across platforms.
    pub score: f32,
    /// Words outside quotations (the ones that were examined).
    pub words: usize,
    /// Evaluative words in the writer's own sentences ("brilliant", "disappointing").
    pub evaluative: usize,
    /// Intensifiers ("really", "absolutely", "clearly").
    pub intensifiers: usize,
    /// Recommendations and advice ("recommend", "avoid", "consider").
    pub recommendations: usize,
    /// Stance and advocacy phrases ("we must", "in my view", "you'll love").
    pub stance: usize,
    /// Sentences ending in "!".
    pub exclamations: usize,
    /// "should", "must", "ought" in the writer's own sentences (shown, weighed lightly).
    pub prescriptive: usize,
}

impl EditorialScore {
    pub fn is_editorial(&self) -> bool {
        self.score >= THRESHOLD
    }

    /// The cues, as the record's evidence strings.
    pub fn cues(&self) -> Vec<String> {
        let mut out = vec![format!("score {:.2} over {} words", self.score, self.words)];
        for (n, what) in [
            (self.evaluative, "evaluative words"),
            (self.intensifiers, "intensifiers"),
            (self.recommendations, "recommendations"),
            (self.stance, "stance phrases"),
            (self.exclamations, "exclamations"),
            (self.prescriptive, "should/must"),
        ] {
            if n > 0 {
                out.push(format!("{what} {n}"));
            }
        }
        out
    }
}

impl fmt::Display for EditorialScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "score {:.2} over {} words: evaluative {}, intensifiers {}, recommendations {}, stance phrases {}, exclamations {}, should/must {}",
            self.score,
            self.words,
            self.evaluative,
            self.intensifiers,
            self.recommendations,
            self.stance,
            self.exclamations,
            self.prescriptive
        )
    }
}

const PRESCRIPTIVE: &[&str] = &["should", "shouldn't", "must", "mustn't", "ought"];

/// Words a reporter avoids in their own voice and a columnist, reviewer or marketer
/// reaches for: judgements of quality, for and against.
const EVALUATIVE: &[&str] = &[
    // for
    "great",
    "best",
    "amazing",
    "excellent",
    "perfect",
    "beautiful",
    "awesome",
    "fantastic",
    "wonderful",
    "superb",
    "outstanding",
    "brilliant",
    "gorgeous",
    "delicious",
    "stunning",
    "impressive",
    "incredible",
    "remarkable",
    "exceptional",
    "ideal",
    "favorite",
    "favourite",
    "love",
    "loved",
    "loves",
    "lovely",
    "nice",
    "cool",
    "fun",
    "exciting",
    "enjoyable",
    "beloved",
    "superior",
    "premium",
    "innovative",
    "powerful",
    "seamless",
    "effortless",
    "elegant",
    "unique",
    "finest",
    "top-notch",
    "must-have",
    "worthwhile",
    "worth",
    "valuable",
    "invaluable",
    "easy",
    "easier",
    "easiest",
    "hassle-free",
    "affordable",
    "reliable",
    "trusted",
    "leading",
    "ultimate",
    "exclusive",
    "world-class",
    "best-in-class",
    "unbeatable",
    "quality",
    "high-quality",
    "stylish",
    "comfortable",
    "cozy",
    "charming",
    "delightful",
    "spectacular",
    "breathtaking",
    "iconic",
    "legendary",
    "epic",
    "magical",
    "inspiring",
    "helpful",
    "useful",
    "handy",
    "smart",
    "clever",
    "genius",
    "fabulous",
    "adorable",
    "glad",
    "happy",
    "proud",
    "thrilled",
    "excited",
    "wow",
    "admirable",
    "commendable",
    "courageous",
    "wise",
    "sensible",
    // against
    "terrible",
    "awful",
    "horrible",
    "worst",
    "bad",
    "poor",
    "disappointing",
    "mediocre",
    "boring",
    "ugly",
    "annoying",
    "frustrating",
    "useless",
    "overrated",
    "underrated",
    "absurd",
    "ridiculous",
    "outrageous",
    "shameful",
    "disgraceful",
    "reckless",
    "foolish",
    "misguided",
    "pathetic",
    "laughable",
    "cynical",
    "hypocritical",
    "dishonest",
    "appalling",
    "disastrous",
    "dangerous",
    "scary",
    "sadly",
    "unfortunately",
    "wrongheaded",
    "deplorable",
    "inexcusable",
    "indefensible",
    "unconscionable",
    "shameless",
    "cowardly",
    "unwise",
    "naive",
    "senseless",
    "idiotic",
    "disingenuous",
    "farcical",
    "thankfully",
    "regrettably",
];

const INTENSIFIERS: &[&str] = &[
    "very",
    "really",
    "truly",
    "incredibly",
    "extremely",
    "absolutely",
    "totally",
    "highly",
    "super",
    "so",
    "definitely",
    "certainly",
    "undoubtedly",
    "clearly",
    "obviously",
    "simply",
    "frankly",
    "surely",
    "undeniably",
];

const RECOMMEND: &[&str] = &[
    "recommend",
    "recommended",
    "recommends",
    "recommendation",
    "suggest",
    "suggests",
    "advise",
    "consider",
    "avoid",
];

/// Phrases that announce the writer's stance or push the reader.
const STANCE: &[&str] = &[
    "in my view",
    "in my opinion",
    "i believe",
    "i think",
    "i feel",
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
    "you should",
    "you need to",
    "you'll love",
    "you will love",
    "don't miss",
    "make sure",
    "worth it",
    "worth the",
    "our pick",
    "top pick",
    "i love",
    "i recommend",
    "we recommend",
    "highly recommend",
    "the best way",
    "a must",
    "the answer is",
    "there is no excuse",
];

/// Verbs that mark a sentence as reported speech, whose judgements are somebody else's.
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
    "reported",
];

/// Score the editorial language of `text`, or `None` when the reading does not apply:
/// the text is not English (by its declared language and by detection) or too short.
pub fn editorial_score(text: &str, language: Option<&str>) -> Option<EditorialScore> {
    if !is_english(text, language) {
        return None;
    }
    let own = strip_quotations(text);
    let mut s = EditorialScore {
        score: 0.0,
        words: 0,
        evaluative: 0,
        intensifiers: 0,
        recommendations: 0,
        stance: 0,
        exclamations: 0,
        prescriptive: 0,
    };
    let count = |words: &[String], list: &[&str]| {
        words.iter().filter(|w| list.contains(&w.as_str())).count()
    };
    for sentence in sentences(&own) {
        let words = words(sentence);
        s.words += words.len();
        if words.is_empty() || words.iter().any(|w| ATTRIBUTION.contains(&w.as_str())) {
            continue;
        }
        let joined = format!(" {} ", words.join(" "));
        s.stance += STANCE
            .iter()
            .filter(|p| joined.contains(&format!(" {p} ")))
            .count();
        s.evaluative += count(&words, EVALUATIVE);
        s.intensifiers += count(&words, INTENSIFIERS);
        s.recommendations += count(&words, RECOMMEND);
        s.prescriptive += count(&words, PRESCRIPTIVE);
        if sentence.trim_end().ends_with('!') {
            s.exclamations += 1;
        }
    }
    if s.words < MIN_WORDS {
        return None;
    }
    let weighted = s.evaluative as f64
        + s.intensifiers as f64
        + 2.0 * s.recommendations as f64
        + 2.0 * s.stance as f64
        + 0.5 * s.exclamations as f64
        + 0.25 * s.prescriptive as f64;
    let per_100 = weighted * 100.0 / s.words as f64;
    let score = per_100 / (per_100 + HALF_AT);
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
    // The crate's one detector (`text::language`): `None` when it is unsure.
    match crate::text::language::detect(text).as_deref() {
        Some("en") => true,
        // Detection disagrees confidently: trust the text over the tag.
        Some(_) => false,
        // Unsure detection: a declared English tag decides; no tag, no guess.
        None => declared.is_some(),
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
            evaluative: 3,
            intensifiers: 1,
            recommendations: 2,
            stance: 4,
            exclamations: 5,
            prescriptive: 6,
        };
        let d = s.to_string();
        assert!(d.starts_with("score 0.50 over 200 words"), "{d}");
        assert!(d.contains("exclamations 5"), "{d}");
        assert_eq!(s.cues().len(), 7);
    }
}
