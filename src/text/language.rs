//! Languages: tags normalized to their primary subtag (ISO 639-1 where it has one), and
//! detection from the text itself when nothing declares one.

use super::scripts::{is_kana, is_unspaced};

/// The primary subtag of a language tag, lower-cased, as ISO 639-1 where the language
/// has a two-letter code: "en-GB" -> "en", "zh_Hans" -> "zh", "eng" -> "en". None when
/// it is not a language subtag (2-3 ASCII letters).
pub(crate) fn normalize_lang(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|c| c.is_ascii_lowercase()) {
        return None;
    }
    Some(match iso639_1(&primary) {
        Some(two) => two.to_string(),
        None => primary,
    })
}

/// Languages written without spaces between words: measured in characters.
pub(crate) fn is_cjk_lang(lang: Option<&str>) -> bool {
    matches!(lang, Some("zh" | "ja"))
}

/// ISO 639-1 code for the language of `text`: Chinese and Japanese by script (kana means
/// Japanese), everything else by whatlang when it is confident. None when unsure.
pub(crate) fn detect(text: &str) -> Option<String> {
    // A prefix is plenty for detection (whatlang is reliable well below 1,000
    // characters) and keeps long articles cheap.
    let sample = match text.char_indices().nth(1000) {
        Some((i, _)) => &text[..i],
        None => text,
    };
    let (mut cjk, mut kana, mut letters) = (0usize, 0usize, 0usize);
    for c in sample.chars() {
        if c.is_alphabetic() {
            letters += 1;
            if is_unspaced(c) {
                cjk += 1;
                if is_kana(c) {
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
    let code3 = info.lang().code();
    Some(iso639_1(code3).unwrap_or(code3).to_string())
}

/// ISO 639-3 (whatlang's codes, and the usual three-letter tags) -> ISO 639-1.
fn iso639_1(code3: &str) -> Option<&'static str> {
    Some(match code3 {
        "afr" => "af",
        "aka" => "ak",
        "amh" => "am",
        "ara" => "ar",
        "aze" => "az",
        "bel" => "be",
        "ben" => "bn",
        "bul" => "bg",
        "cat" => "ca",
        "ces" => "cs",
        "cmn" | "zho" => "zh",
        "cym" => "cy",
        "dan" => "da",
        "deu" => "de",
        "ell" => "el",
        "eng" => "en",
        "epo" => "eo",
        "est" => "et",
        "fin" => "fi",
        "fra" => "fr",
        "guj" => "gu",
        "heb" => "he",
        "hin" => "hi",
        "hrv" => "hr",
        "hun" => "hu",
        "hye" => "hy",
        "ind" => "id",
        "ita" => "it",
        "jav" => "jv",
        "jpn" => "ja",
        "kan" => "kn",
        "kat" => "ka",
        "khm" => "km",
        "kor" => "ko",
        "lat" => "la",
        "lav" => "lv",
        "lit" => "lt",
        "mal" => "ml",
        "mar" => "mr",
        "mkd" => "mk",
        "mya" => "my",
        "nep" => "ne",
        "nld" => "nl",
        "nob" => "nb",
        "ori" => "or",
        "pan" => "pa",
        "pes" => "fa",
        "pol" => "pl",
        "por" => "pt",
        "ron" => "ro",
        "rus" => "ru",
        "sin" => "si",
        "slk" => "sk",
        "slv" => "sl",
        "sna" => "sn",
        "spa" => "es",
        "srp" => "sr",
        "swe" => "sv",
        "tam" => "ta",
        "tel" => "te",
        "tgl" => "tl",
        "tha" => "th",
        "tuk" => "tk",
        "tur" => "tr",
        "ukr" => "uk",
        "urd" => "ur",
        "uzb" => "uz",
        "vie" => "vi",
        "yid" => "yi",
        "zul" => "zu",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_normalize_to_iso639_1() {
        let cases = [
            ("en-GB", Some("en")),
            ("pt_BR", Some("pt")),
            ("zh_Hans", Some("zh")),
            (" EN ", Some("en")),
            ("deu", Some("de")),
            ("haw", Some("haw")),
            ("??", None),
            ("x1", None),
            ("", None),
            ("english", None),
            ("e", None),
        ];
        for (tag, want) in cases {
            assert_eq!(normalize_lang(tag).as_deref(), want, "{tag:?}");
        }
        assert!(is_cjk_lang(Some("ja")) && !is_cjk_lang(Some("ko")) && !is_cjk_lang(None));
    }

    #[test]
    fn detection_by_script_then_whatlang() {
        let cases = [
            (
                "党的十八大以来，以习近平同志为总书记的党中央高瞻远瞩",
                Some("zh"),
            ),
            ("東京の天気は明日から崩れる見込みです", Some("ja")),
            (
                "The government announced on Tuesday that it would raise taxes on fuel and tobacco next year.",
                Some("en"),
            ),
            (
                "Le gouvernement a annoncé mardi qu'il augmenterait les taxes sur le carburant et le tabac l'année prochaine, une mesure très critiquée par les syndicats.",
                Some("fr"),
            ),
            ("1234 !!", None),
        ];
        for (text, want) in cases {
            assert_eq!(detect(text).as_deref(), want, "{text}");
        }
    }

    #[test]
    fn languages_are_detected_and_normalized() {
        assert_eq!(
            detect("党的十八大以来，以习近平同志为总书记的党中央高瞻远瞩").as_deref(),
            Some("zh")
        );
        assert_eq!(
            detect("The government announced on Tuesday that it would raise taxes on fuel and tobacco next year.").as_deref(),
            Some("en")
        );
        assert_eq!(normalize_lang("en-GB").as_deref(), Some("en"));
        assert_eq!(normalize_lang("zh_Hans").as_deref(), Some("zh"));
        assert_eq!(normalize_lang("??"), None);
    }
}
