//! The extractive summarizer (issue 5): golden summaries of the fixture articles,
//! determinism, document order, length control, headline awareness, page furniture.

use std::path::Path;

use feedbrief::model::{SummaryInput, SummaryMethod};
use feedbrief::summarize::split::split_strs;
use feedbrief::summarize::{ExtractiveOptions, extractive};

const FIXTURES: &str = "tests/fixtures/summarize";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new(FIXTURES).join(name))
        .unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

fn input(text: &str) -> SummaryInput<'_> {
    SummaryInput {
        text,
        title: None,
        lang: None,
    }
}

/// Walk every `*.txt` fixture and compare its summary with the `.expected` file beside
/// it (one sentence per line). Prints both blocks on a difference.
#[test]
fn fixtures_match_their_golden_summaries() {
    let mut seen = 0;
    let mut entries: Vec<_> = std::fs::read_dir(FIXTURES)
        .expect("fixture dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    entries.sort();
    for path in entries {
        let text = std::fs::read_to_string(&path).expect("fixture");
        let golden_path = path.with_extension("expected");
        let golden = std::fs::read_to_string(&golden_path)
            .unwrap_or_else(|e| panic!("{}: {e}", golden_path.display()));
        let got = extractive(input(&text), &ExtractiveOptions::default()).sentences;
        let expected: Vec<&str> = golden.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(
            got,
            expected,
            "\n{}\n--- got ---\n{}\n--- expected ---\n{}\n",
            path.display(),
            got.join("\n"),
            expected.join("\n")
        );
        seen += 1;
    }
    assert!(seen >= 5, "only {seen} fixtures found");
}

#[test]
fn summaries_are_deterministic_sentences_of_the_input_in_document_order() {
    for name in [
        "harbour-bridge.en.txt",
        "stadtbahn.de.txt",
        "zavod.ru.txt",
        "metro.zh.txt",
    ] {
        let text = fixture(name);
        let opts = ExtractiveOptions {
            sentences: 4,
            words: 200,
        };
        let a = extractive(input(&text), &opts);
        let b = extractive(input(&text), &opts);
        assert_eq!(a.sentences, b.sentences, "{name}: not deterministic");
        assert_eq!(a.input_hash, b.input_hash);
        assert!(!a.sentences.is_empty(), "{name}: empty summary");

        let all = split_strs(&text);
        let positions: Vec<usize> = a
            .sentences
            .iter()
            .map(|s| {
                all.iter()
                    .position(|x| x == s)
                    .unwrap_or_else(|| panic!("{name}: {s:?} is not a sentence of the input"))
            })
            .collect();
        assert!(
            positions.windows(2).all(|w| w[0] < w[1]),
            "{name}: not in document order: {positions:?}"
        );
        assert_eq!(a.method, SummaryMethod::Extractive);
        assert!(a.fallback_reason.is_none());
    }
}

#[test]
fn page_furniture_questions_and_captions_are_not_chosen() {
    // Furniture right after the lead, where position alone would pick it.
    let text = "The city will close the Old Harbour Bridge for six weeks from Monday for repairs to its cables.\n\
        Scroll down for video\n\
        Closed: The Old Harbour Bridge will shut to all traffic from Monday\n\
        Was the closure avoidable?\n\
        The bridge carries about 21,000 vehicles a day between the centre and the western suburbs.\n\
        A free shuttle bus will run every ten minutes between the two ends of the bridge.\n\
        Local businesses on the western side warned that they could lose customers during the works.\n\
        The council said it would review parking charges in the town centre to help traders.\n\
        Click here to see the full list of diversions.\n\
        Inspectors found corrosion in two of the steel cables during a routine survey in March.\n\
        Their report said the cables did not pose an immediate danger but had to be replaced.\n\
        The bridge was last fully refurbished in 1987 and is 94 years old.\n\
        © 2026 Harbour Gazette Media Ltd, 4 Customs House Lane, Port Elling.";
    let s = extractive(input(text), &ExtractiveOptions::default());
    assert!(s.sentences.len() >= 2, "{:#?}", s.sentences);
    assert!(
        s.sentences[0].starts_with("The city will close"),
        "{:#?}",
        s.sentences
    );
    for sent in &s.sentences {
        assert!(!sent.contains("Scroll down"), "{sent}");
        assert!(!sent.contains("Click here"), "{sent}");
        assert!(!sent.contains('©'), "{sent}");
        assert!(!sent.starts_with("Closed:"), "{sent}");
        assert!(!sent.ends_with('?'), "{sent}");
    }
}

#[test]
fn length_follows_the_options() {
    let text = fixture("harbour-bridge.en.txt");
    let one = extractive(
        input(&text),
        &ExtractiveOptions {
            sentences: 1,
            words: 75,
        },
    );
    assert!(one.sentences.len() <= 2, "{:#?}", one.sentences);
    let short = extractive(
        input(&text),
        &ExtractiveOptions {
            sentences: 5,
            words: 30,
        },
    );
    // The best sentence always stays, even when it alone is over the budget.
    assert_eq!(short.sentences.len(), 1, "{:#?}", short.sentences);
    let default = extractive(input(&text), &ExtractiveOptions::default());
    let words: usize = default
        .sentences
        .iter()
        .map(|s| s.split_whitespace().count())
        .sum();
    assert!((2..=4).contains(&default.sentences.len()));
    assert!(words <= 90, "{words} words");
}

#[test]
fn cjk_summaries_are_measured_in_characters() {
    let text = fixture("metro.zh.txt");
    let s = extractive(input(&text), &ExtractiveOptions::default());
    assert_eq!(s.language.as_deref(), Some("zh"));
    let chars: usize = s.sentences.iter().map(|x| x.chars().count()).sum();
    let total = text.chars().filter(|c| !c.is_whitespace()).count();
    assert!(chars * 2 < total, "{chars} of {total} characters");
    let ja = extractive(
        input(&fixture("matsuri.ja.txt")),
        &ExtractiveOptions::default(),
    );
    assert_eq!(ja.language.as_deref(), Some("ja"));
}

#[test]
fn the_headline_pulls_in_the_sentence_it_is_about() {
    // Only one sentence, far from the lead, is about the ferry; the headline is too.
    let text = "The council met on Tuesday evening in the town hall for its monthly session. \
        Members discussed the budget for the coming year at length and with some heat. \
        Several speakers raised concerns about the rising costs of social services. \
        The mayor defended the spending plans as necessary and prudent in hard times. \
        A vote on the budget was postponed until next month after a long debate. \
        Opposition members said the delay showed the plans were not ready. \
        Separately, the council approved a new electric ferry for the harbour crossing. \
        Residents in the public gallery asked questions about street lighting. \
        The finance officer promised a written answer within two weeks. \
        The meeting ended shortly before midnight with a minute of silence.";
    let opts = ExtractiveOptions {
        sentences: 2,
        words: 60,
    };
    let ferry = "Separately, the council approved a new electric ferry for the harbour crossing.";
    let without = extractive(input(text), &opts);
    assert!(
        !without.sentences.iter().any(|s| s == ferry),
        "{:#?}",
        without.sentences
    );
    let with = extractive(
        SummaryInput {
            text,
            title: Some("Council approves electric ferry for harbour crossing"),
            lang: Some("en"),
        },
        &opts,
    );
    assert!(
        with.sentences.iter().any(|s| s == ferry),
        "{:#?}",
        with.sentences
    );
}

#[test]
fn redundant_sentences_are_not_repeated() {
    let text = "The river burst its banks on Sunday and flooded the town centre. \
        The river burst its banks on Sunday, flooding the town centre. \
        Residents were moved to the sports hall overnight. \
        Engineers expect the water to fall by Wednesday. \
        Schools will stay closed until further notice.";
    let s = extractive(input(text), &ExtractiveOptions::default());
    let flood = s
        .sentences
        .iter()
        .filter(|x| x.starts_with("The river burst"))
        .count();
    assert_eq!(flood, 1, "{:#?}", s.sentences);
}

#[test]
fn empty_and_tiny_inputs() {
    let s = extractive(input(""), &ExtractiveOptions::default());
    assert!(s.sentences.is_empty());
    assert!(s.input_hash.starts_with("sha256:"));
    let s = extractive(input("  \n\n … \n"), &ExtractiveOptions::default());
    assert!(s.sentences.is_empty());
    let s = extractive(input("Just one line"), &ExtractiveOptions::default());
    assert_eq!(s.sentences, vec!["Just one line"]);
}

#[test]
fn language_is_detected_when_not_given_and_normalized_when_given() {
    let de = extractive(
        input(&fixture("stadtbahn.de.txt")),
        &ExtractiveOptions::default(),
    );
    assert_eq!(de.language.as_deref(), Some("de"));
    let ru = extractive(
        input(&fixture("zavod.ru.txt")),
        &ExtractiveOptions::default(),
    );
    assert_eq!(ru.language.as_deref(), Some("ru"));
    let text = fixture("harbour-bridge.en.txt");
    let en = extractive(
        SummaryInput {
            text: &text,
            title: None,
            lang: Some("en-GB"),
        },
        &ExtractiveOptions::default(),
    );
    assert_eq!(en.language.as_deref(), Some("en"));
}
