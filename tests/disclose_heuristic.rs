//! feedbrief's reading of editorial language on texts written for it: an argued column
//! is editorial, a news report full of quoted opinions is not, a first-person how-to is
//! not (pronouns are not judgements), non-English text is never read.

use crate::common;

use feedbrief::disclose::editorial_score;

fn text(name: &str) -> String {
    let p = common::fixtures().join("disclose/texts").join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn an_argued_column_is_editorial() {
    let s = editorial_score(&text("opinion_column.txt"), Some("en")).expect("English, long enough");
    assert!(s.is_editorial(), "{s}");
    assert!(s.stance > 0 && s.evaluative > 0, "{s}");
}

#[test]
fn news_with_quoted_opinions_is_not_editorial() {
    for name in ["straight_news.txt", "analysis.txt", "sponsored.txt"] {
        let s = editorial_score(&text(name), Some("en")).expect("English, long enough");
        assert!(!s.is_editorial(), "{name}: {s}");
    }
    // The opinions in the report are all inside quotes or attributed sentences.
    let s = editorial_score(&text("straight_news.txt"), Some("en")).expect("scored");
    assert_eq!(
        (s.stance, s.evaluative, s.recommendations),
        (0, 0, 0),
        "{s}"
    );
}

#[test]
fn a_first_person_how_to_is_not_editorial() {
    let t = text("howto_first_person.txt");
    assert!(t.matches(" I ").count() >= 8, "the fixture is first-person");
    let s = editorial_score(&t, Some("en")).expect("English, long enough");
    assert!(!s.is_editorial(), "{s}");
}

#[test]
fn the_same_words_count_when_they_are_the_writers_own() {
    // The quoted remarks of the news report, unquoted and unattributed, are editorial.
    let quoted = text("straight_news.txt");
    let own = quoted
        .replace(['"', '“', '”'], "")
        .replace(" said", "")
        .replace("According to", "Per");
    let before = editorial_score(&quoted, Some("en")).expect("scored");
    let after = editorial_score(&own, Some("en")).expect("scored");
    assert!(after.score > before.score, "{before} vs {after}");
}

#[test]
fn chinese_text_is_never_scored_whatever_the_tag_says() {
    for name in ["chinese_news.txt", "chinese_opinion.txt"] {
        let t = text(name);
        for lang in [Some("zh-CN"), Some("en"), None] {
            assert_eq!(editorial_score(&t, lang), None, "{name} with {lang:?}");
        }
    }
}

#[test]
fn a_declared_other_language_is_respected() {
    assert_eq!(
        editorial_score(&text("opinion_column.txt"), Some("de")),
        None
    );
}

#[test]
fn short_texts_are_not_scored() {
    let t = "I think we must act. Frankly, this is absurd.";
    assert_eq!(editorial_score(t, Some("en")), None);
}

#[test]
fn scores_are_rounded_and_stable() {
    let t = text("opinion_column.txt");
    let a = editorial_score(&t, None).expect("detected as English");
    let b = editorial_score(&t, None).expect("detected as English");
    assert_eq!(a, b);
    assert_eq!((a.score * 100.0).round() / 100.0, a.score);
    assert!(!a.cues().is_empty());
}
