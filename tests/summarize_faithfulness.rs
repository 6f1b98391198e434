//! Faithfulness check (issue 5): numbers, dates and names in a model summary that the
//! source does not contain are listed; supported ones are not.

use feedbrief::summarize::faithfulness::unsupported;

const SOURCE: &str = "Engineers will close the Old Harbour Bridge in Port Elling for six weeks \
    from Monday, the city council said on Friday. The 94-year-old bridge carries about 21,000 \
    vehicles a day. Council leader Maria Okafor said the repairs would cost £3.2 million. \
    Inspectors from Hallam & Roe found the damage on March 3, 2025. The U.S. firm Acme \
    supplied the cables in 1987.";

fn check(summary: &[&str]) -> Vec<String> {
    let s: Vec<String> = summary.iter().map(|s| s.to_string()).collect();
    unsupported(&s, SOURCE)
}

#[test]
fn a_faithful_summary_has_nothing_unsupported() {
    let got = check(&[
        "The Old Harbour Bridge in Port Elling will close for 6 weeks from Monday.",
        "It carries 21000 vehicles a day, and repairs will cost £3.2 million, Maria Okafor said.",
        "Inspectors from Hallam & Roe found the damage on 3 March 2025.",
        "The cables came from a US firm in 1987.",
    ]);
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn invented_numbers_dates_and_names_are_listed() {
    let got = check(&[
        "The bridge will close for eight weeks at a cost of £4.5 million, Mayor John Carter said.",
        "Inspectors found the damage on April 12, 2025, and 30,000 drivers are affected.",
        "The bridge carries 21,000 vehicles a day.",
    ]);
    assert_eq!(
        got,
        vec!["4.5", "Mayor John Carter", "April 12, 2025", "30,000"],
        "{got:?}"
    );
}

#[test]
fn sentence_openers_are_not_names() {
    let got = check(&[
        "However, the bridge will close on Monday.",
        "The council said so on Friday.",
    ]);
    assert!(got.is_empty(), "{got:?}");
    // But a name that opens a sentence is still checked.
    let got = check(&["Okafor and Smith said the bridge will close."]);
    assert_eq!(got, vec!["Smith"]);
}

#[test]
fn chinese_numerals_in_the_source_support_digits_in_the_summary() {
    let source = std::fs::read_to_string("tests/fixtures/summarize/metro.zh.txt").expect("fixture");
    let ok: Vec<String> = vec!["地铁三号线延长线全长18公里，设12座车站，总投资约120亿元。".into()];
    assert!(
        unsupported(&ok, &source).is_empty(),
        "{:?}",
        unsupported(&ok, &source)
    );
    let bad: Vec<String> = vec!["延长线全长25公里，每天服务30万人次。".into()];
    assert_eq!(unsupported(&bad, &source), vec!["25", "30"]);
}
