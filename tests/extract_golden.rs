//! Golden files: every `tests/fixtures/extract/NAME.html` that has a `NAME.txt` beside
//! it must extract to exactly that text (paragraphs separated by blank lines).

use std::path::Path;

use feedbrief::extract::{self, ExtractOptions, SiteRules};
use url::Url;

#[test]
fn every_fixture_matches_its_golden_text() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/extract");
    let rules = SiteRules::default();
    let opts = ExtractOptions {
        selector: None,
        rules: &rules,
        content_type: None,
    };
    let url = Url::parse("https://news.example/story/1").unwrap();
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for html in entries
        .iter()
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
    {
        let golden = html.with_extension("txt");
        let Ok(want) = std::fs::read_to_string(&golden) else {
            continue;
        };
        let bytes = std::fs::read(html).unwrap();
        let got = extract::article(&bytes, &url, &opts).unwrap();
        if got.text.trim_end() != want.trim_end() {
            failures.push(format!(
                "{}\n--- expected ---\n{}\n--- got ---\n{}\n",
                html.display(),
                want.trim_end(),
                got.text
            ));
        }
        assert_eq!(
            got.extraction.word_count,
            want.split_whitespace().count(),
            "{}",
            html.display()
        );
        checked += 1;
    }
    assert!(checked >= 4, "only {checked} golden fixtures found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
