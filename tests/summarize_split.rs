//! Sentence splitter cases across languages (issue 5): abbreviations, initials,
//! acronyms, decimals, quotes, ellipses, lower-cased text, Chinese and Japanese.

use feedbrief::summarize::split::{split, split_strs};

#[track_caller]
fn check(text: &str, expected: &[&str]) {
    let got = split_strs(text);
    assert_eq!(
        got, expected,
        "\n--- text ---\n{text}\n--- got ---\n{got:#?}\n--- expected ---\n{expected:#?}"
    );
}

#[test]
fn english_titles_initials_and_acronyms_do_not_end_sentences() {
    check(
        "Mr. Smith met Dr. J. K. Rowling in the U.S. capital on Monday. They talked for an hour.",
        &[
            "Mr. Smith met Dr. J. K. Rowling in the U.S. capital on Monday.",
            "They talked for an hour.",
        ],
    );
    // A dotted acronym followed by a typical sentence opener does end the sentence.
    check(
        "The talks moved to the U.S. The delegates flew in on Sunday.",
        &[
            "The talks moved to the U.S.",
            "The delegates flew in on Sunday.",
        ],
    );
    check(
        "Shares of Apple Inc. rose 2.5% at 5 p.m. on Friday. Analysts expected more.",
        &[
            "Shares of Apple Inc. rose 2.5% at 5 p.m. on Friday.",
            "Analysts expected more.",
        ],
    );
    check(
        "He works for Acme Corp. The company makes anvils.",
        &["He works for Acme Corp.", "The company makes anvils."],
    );
    check(
        "The vote on No. 10 was delayed, e.g. by the storm. It resumed later.",
        &[
            "The vote on No. 10 was delayed, e.g. by the storm.",
            "It resumed later.",
        ],
    );
}

#[test]
fn decimals_urls_and_numbers() {
    check(
        "Inflation fell to 3.4 per cent, see example.com/data for details. It was 4.1 in May.",
        &[
            "Inflation fell to 3.4 per cent, see example.com/data for details.",
            "It was 4.1 in May.",
        ],
    );
    check(
        "The tower was finished in 1889. It is 330 metres tall.",
        &["The tower was finished in 1889.", "It is 330 metres tall."],
    );
}

#[test]
fn quotes_stay_with_their_sentence() {
    check(
        "\"We will rebuild,\" the mayor said. \"It will take time.\" Residents applauded.",
        &[
            "\"We will rebuild,\" the mayor said.",
            "\"It will take time.\"",
            "Residents applauded.",
        ],
    );
    check(
        "She asked: ‘Why now?’ Nobody answered. “Really?” he said.",
        &[
            "She asked: ‘Why now?’",
            "Nobody answered.",
            "“Really?” he said.",
        ],
    );
    check(
        "'Is this the end?' asked one fan. Another shrugged.",
        &["'Is this the end?' asked one fan.", "Another shrugged."],
    );
}

#[test]
fn ellipses_and_exclamations() {
    check(
        "Here is the list... Scroll down for video! Then we wait?! Yes.",
        &[
            "Here is the list...",
            "Scroll down for video!",
            "Then we wait?!",
            "Yes.",
        ],
    );
}

#[test]
fn line_breaks_are_boundaries_and_blank_fragments_vanish() {
    let text = "Headline without a stop\nFirst paragraph. Second sentence.\n\n…\n  Last line";
    check(
        text,
        &[
            "Headline without a stop",
            "First paragraph.",
            "Second sentence.",
            "Last line",
        ],
    );
    let paragraphs: Vec<usize> = split(text).iter().map(|s| s.paragraph).collect();
    assert_eq!(paragraphs, vec![0, 1, 1, 2]);
}

#[test]
fn lower_cased_text_still_splits() {
    check(
        "( cnn ) -- the storm hit the coast on monday . officials said 3 people died. dr. smith led the response. the u.s. sent aid.",
        &[
            "( cnn ) -- the storm hit the coast on monday .",
            "officials said 3 people died.",
            "dr. smith led the response.",
            "the u.s. sent aid.",
        ],
    );
}

#[test]
fn german_ordinals_and_abbreviations() {
    check(
        "Die Bahn fährt ab dem 3. Oktober wieder, z. B. nach Köln. Das teilte Dr. Lang mit. Die Kosten lagen bei 18 Mio. Euro.",
        &[
            "Die Bahn fährt ab dem 3. Oktober wieder, z. B. nach Köln.",
            "Das teilte Dr. Lang mit.",
            "Die Kosten lagen bei 18 Mio. Euro.",
        ],
    );
}

#[test]
fn french_and_spanish() {
    check(
        "M. Dupont est arrivé à Paris. Il a rencontré Mme. Durand.",
        &[
            "M. Dupont est arrivé à Paris.",
            "Il a rencontré Mme. Durand.",
        ],
    );
    check(
        "¿Qué pasó ayer? ¡Nadie lo sabe! La Sra. García habló con la prensa.",
        &[
            "¿Qué pasó ayer?",
            "¡Nadie lo sabe!",
            "La Sra. García habló con la prensa.",
        ],
    );
}

#[test]
fn russian_initials_and_abbreviations() {
    check(
        "Мэр А. С. Кравцов выступил во вторник. Завод закроют, т. е. его снесут. Это случится в 2026 г. Жители довольны.",
        &[
            "Мэр А. С. Кравцов выступил во вторник.",
            "Завод закроют, т. е. его снесут.",
            "Это случится в 2026 г.",
            "Жители довольны.",
        ],
    );
}

#[test]
fn chinese_and_japanese_need_no_spaces() {
    check(
        "本市地铁今天开通。市民表示：“很方便！”下一步还将建设五号线？是的",
        &[
            "本市地铁今天开通。",
            "市民表示：“很方便！”",
            "下一步还将建设五号线？",
            "是的",
        ],
    );
    check(
        "夏祭りが開かれた。約五万人がにぎわった！来年も開く予定だ。",
        &[
            "夏祭りが開かれた。",
            "約五万人がにぎわった！",
            "来年も開く予定だ。",
        ],
    );
    // ASCII punctuation inside CJK text, and Latin words inside a Chinese sentence.
    check(
        "苹果公司发布了iPhone 16。真的吗?不是",
        &["苹果公司发布了iPhone 16。", "真的吗?", "不是"],
    );
    // Numbered points inside a Chinese sentence are not sentence ends.
    check(
        "设计原则：1.为人们解决重复性问题；2.从人开始。下一句。",
        &["设计原则：1.为人们解决重复性问题；2.从人开始。", "下一句。"],
    );
}

#[test]
fn offsets_and_paragraphs_are_consistent() {
    let text = std::fs::read_to_string("tests/fixtures/summarize/harbour-bridge.en.txt")
        .expect("fixture is readable");
    let sentences = split(&text);
    assert!(sentences.len() >= 16, "got {}", sentences.len());
    for s in &sentences {
        assert_eq!(&text[s.start..s.start + s.text.len()], s.text);
        assert_eq!(s.text, s.text.trim());
    }
    // Paragraph indices never go down.
    assert!(
        sentences
            .windows(2)
            .all(|w| w[0].paragraph <= w[1].paragraph)
    );
}
