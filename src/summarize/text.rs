//! Text analysis shared by the summarizers: language detection and normalization,
//! content-term extraction (lower-case, stop words out, Snowball stems via
//! rust-stemmers; character bigrams for Chinese/Japanese), and the sparse term
//! vectors the extractive method compares sentences with.

use std::collections::HashMap;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

use super::split::is_cjk;

/// ISO 639-1 code for the language of `text`: CJK by script (kana means Japanese),
/// everything else by whatlang when it is confident. None when unsure.
pub fn detect_language(text: &str) -> Option<String> {
    // A prefix is plenty for detection (whatlang is reliable well below 1,000
    // characters) and keeps long articles cheap.
    let sample = prefix_chars(text, 1000);
    let (mut cjk, mut kana, mut letters) = (0usize, 0usize, 0usize);
    for c in sample.chars() {
        if c.is_alphabetic() {
            letters += 1;
            if is_cjk(c) {
                cjk += 1;
                if matches!(c as u32, 0x3040..=0x30FF) {
                    kana += 1;
                }
            }
        }
    }
    if letters == 0 {
        return None;
    }
    if cjk * 10 >= letters * 3 {
        return Some(if kana * 20 >= cjk { "ja" } else { "zh" }.to_string());
    }
    let info = whatlang::detect(sample)?;
    if !info.is_reliable() {
        return None;
    }
    iso639_1(info.lang().code()).map(str::to_string)
}

/// The primary subtag of a language tag, lower-cased: "en-GB" -> "en", "zh_Hans" -> "zh".
pub fn normalize_lang(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    if primary.is_empty() || !primary.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    Some(match primary.as_str() {
        "eng" | "deu" | "fra" | "spa" | "rus" | "cmn" | "zho" | "jpn" => {
            iso639_1(&primary).unwrap_or("und").to_string()
        }
        _ => primary,
    })
}

/// Languages written without spaces between words: measured in characters.
pub fn is_cjk_lang(lang: Option<&str>) -> bool {
    matches!(lang, Some("zh" | "ja"))
}

fn iso639_1(code3: &str) -> Option<&'static str> {
    Some(match code3 {
        "eng" => "en",
        "deu" => "de",
        "fra" => "fr",
        "spa" => "es",
        "ita" => "it",
        "por" => "pt",
        "nld" => "nl",
        "rus" => "ru",
        "ukr" => "uk",
        "bel" => "be",
        "bul" => "bg",
        "srp" => "sr",
        "swe" => "sv",
        "dan" => "da",
        "nob" => "no",
        "fin" => "fi",
        "hun" => "hu",
        "ron" => "ro",
        "tur" => "tr",
        "ell" => "el",
        "ara" => "ar",
        "tam" => "ta",
        "pol" => "pl",
        "ces" => "cs",
        "slk" => "sk",
        "slv" => "sl",
        "hrv" => "hr",
        "lit" => "lt",
        "lav" => "lv",
        "est" => "et",
        "cat" => "ca",
        "cmn" | "zho" => "zh",
        "jpn" => "ja",
        "kor" => "ko",
        "heb" => "he",
        "hin" => "hi",
        "ind" => "id",
        "vie" => "vi",
        _ => return None,
    })
}

/// At most `n` characters of `s`, cut on a char boundary.
pub fn prefix_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Length of a text in "words": whitespace-separated words, except that each CJK
/// character counts as half a word (news Chinese averages about two characters per
/// word, so a 75-word budget is about 150 characters).
pub fn word_len(s: &str) -> f32 {
    let mut words = 0.0f32;
    let mut in_word = false;
    for c in s.chars() {
        if is_cjk(c) {
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
pub struct Analyzer {
    stemmer: Option<Stemmer>,
    stop: Option<&'static HashMap<&'static str, ()>>,
}

impl Analyzer {
    pub fn new(lang: Option<&str>) -> Analyzer {
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
    pub fn terms(&self, s: &str, out: &mut Vec<String>) {
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
            if is_cjk(c) && c.is_alphanumeric() {
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
pub struct Vocab {
    ids: HashMap<String, u32>,
}

impl Vocab {
    pub fn id(&mut self, term: String) -> u32 {
        let next = self.ids.len() as u32;
        *self.ids.entry(term).or_insert(next)
    }

    pub fn get(&self, term: &str) -> Option<u32> {
        self.ids.get(term).copied()
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// A sparse vector: (term id, weight) sorted by term id.
#[derive(Debug, Clone, Default)]
pub struct TermVec {
    pub entries: Vec<(u32, f32)>,
    pub norm: f32,
}

impl TermVec {
    pub fn from_weights(mut entries: Vec<(u32, f32)>) -> TermVec {
        entries.sort_unstable_by_key(|e| e.0);
        let norm = entries.iter().map(|e| e.1 * e.1).sum::<f32>().sqrt();
        TermVec { entries, norm }
    }

    pub fn dot(&self, other: &TermVec) -> f32 {
        let (a, b) = (&self.entries, &other.entries);
        let (mut i, mut j, mut sum) = (0, 0, 0.0f32);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    sum += a[i].1 * b[j].1;
                    i += 1;
                    j += 1;
                }
            }
        }
        sum
    }

    pub fn cosine(&self, other: &TermVec) -> f32 {
        if self.norm == 0.0 || other.norm == 0.0 {
            return 0.0;
        }
        self.dot(other) / (self.norm * other.norm)
    }
}

type StopSet = HashMap<&'static str, ()>;

fn stop_words(lang: Option<&str>) -> Option<&'static StopSet> {
    static EN: OnceLock<StopSet> = OnceLock::new();
    static DE: OnceLock<StopSet> = OnceLock::new();
    static FR: OnceLock<StopSet> = OnceLock::new();
    static ES: OnceLock<StopSet> = OnceLock::new();
    static RU: OnceLock<StopSet> = OnceLock::new();
    let (cell, words) = match lang {
        Some("en") => (&EN, STOP_EN),
        Some("de") => (&DE, STOP_DE),
        Some("fr") => (&FR, STOP_FR),
        Some("es") => (&ES, STOP_ES),
        Some("ru") => (&RU, STOP_RU),
        _ => return None,
    };
    Some(cell.get_or_init(|| words.split_whitespace().map(|w| (w, ())).collect()))
}

const STOP_EN: &str = "a about above after again against all also am an and any are as at be \
    because been before being below between both but by can could did do does doing down \
    during each few for from further had has have having he her here hers herself him himself \
    his how i if in into is it its itself just me more most my myself no nor not now of off on \
    once only or other our ours ourselves out over own same she should so some such than that \
    the their theirs them themselves then there these they this those through to too under \
    until up very was we were what when where which while who whom why will with would you \
    your yours yourself yourselves said says say told according would could may might must \
    shall one two also s t don didn doesn isn wasn aren weren won wouldn couldn shouldn ve ll re";

const STOP_DE: &str = "aber alle als also am an auch auf aus bei bin bis bist da damit dann \
    das dass dein deine dem den der des die dies diese dieser dieses doch dort du durch ein \
    eine einem einen einer eines er es euer für hat hatte hatten hier ich ihr ihre im in ist \
    ja jede jeder kann kein keine mit nach nicht noch nun nur ob oder sein seine sich sie sind \
    so über um und uns unser von vor war waren was weil wenn wer wie wir wird wo zu zum zur";

const STOP_FR: &str = "au aux avec ce ces dans de des du elle en et eux il ils je la le les \
    leur lui ma mais me même mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se \
    ses son sur ta te tes toi ton tu un une vos votre vous est sont été être avait ont a été \
    cette cet comme plus";

const STOP_ES: &str = "a al algo como con de del el ella ellas ellos en entre era es esta este \
    esto fue ha han hay la las le les lo los más me mi no nos o para pero por que se sin sobre \
    su sus también te tu un una uno y ya";

const STOP_RU: &str = "а без более бы был была были было быть в вам вас весь во вот все всего \
    всех вы где да даже для до его ее если есть еще же за здесь и из или им их к как ко когда \
    кто ли либо мне может мы на над надо наш не него нее нет ни них но ну о об однако он она \
    они оно от очень по под при с со так также такой там те тем то того тоже той только том \
    ты у уже хотя чего чей чем что чтобы чье эта эти это я";

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
    fn languages_are_detected_and_normalized() {
        assert_eq!(
            detect_language("党的十八大以来，以习近平同志为总书记的党中央高瞻远瞩").as_deref(),
            Some("zh")
        );
        assert_eq!(
            detect_language("The government announced on Tuesday that it would raise taxes on fuel and tobacco next year.").as_deref(),
            Some("en")
        );
        assert_eq!(normalize_lang("en-GB").as_deref(), Some("en"));
        assert_eq!(normalize_lang("zh_Hans").as_deref(), Some("zh"));
        assert_eq!(normalize_lang("??"), None);
    }

    #[test]
    fn cjk_counts_half_a_word_per_character() {
        assert_eq!(word_len("one two three"), 3.0);
        assert_eq!(word_len("生态兴则"), 2.0);
    }
}
