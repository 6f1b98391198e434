//! Pages that are not articles, or not even HTML, give an error value or empty text:
//! never a panic, never a hang. The huge pages are generated here.

use feedbrief::extract::{self, ExtractOptions, SiteRules};
use url::Url;

fn extract(bytes: &[u8]) -> feedbrief::Result<feedbrief::model::Article> {
    let rules = SiteRules::default();
    let opts = ExtractOptions {
        selector: None,
        rules: &rules,
        content_type: None,
    };
    extract::article(
        bytes,
        &Url::parse("https://bad.example/page").unwrap(),
        &opts,
    )
}

#[test]
fn empty_and_blank_pages_are_errors() {
    for page in [&b""[..], b"   \n\t  "] {
        let err = extract(page).unwrap_err();
        assert_eq!(err.kind(), "extract");
    }
}

#[test]
fn binary_data_is_an_error() {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    assert_eq!(extract(&png).unwrap_err().kind(), "extract");
    let pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\0\0\0\x01\x02\x03";
    assert!(extract(pdf).is_err());
}

#[test]
fn ten_megabytes_of_nested_divs_finish_with_empty_text() {
    let n = 10 * 1024 * 1024 / "<div>".len();
    let page = "<div>".repeat(n);
    let a = extract(page.as_bytes()).unwrap();
    assert!(a.text.is_empty());
    assert_eq!(a.extraction.word_count, 0);
}

#[test]
fn deep_nesting_around_real_text_keeps_the_text() {
    let depth = 50_000;
    let page = format!(
        "<html><body>{}<p>The story survives a page built from far too many nested containers, which the extractor must flatten quickly.</p>{}</body></html>",
        "<div><span>".repeat(depth),
        "</span></div>".repeat(depth)
    );
    let a = extract(page.as_bytes()).unwrap();
    assert!(a.text.contains("The story survives"), "{}", a.text);
}

#[test]
fn broken_markup_does_not_panic() {
    let pages: [&[u8]; 10] = [
        b"<html><body><p>Unclosed paragraph with <b>bold <i>italic",
        b"<p>text</div></span></p></table></html>>>>",
        b"<!-- never closed comment <p>hidden</p>",
        b"<script>never closed script",
        b"<svg><svg><svg><p>inside svg",
        b"<a href=\"unterminated>link text</a><p>after</p>",
        b"</p></p></p><p><p><p>",
        b"<table><tr><td>cell<td>cell<tr><p>misnested</table></p>",
        b"\xff\xfe\x00<\x00p\x00>\x00h\x00i\x00",
        b"<meta charset=\"no-such-charset\"><p>caf\xe9 cr\xe8me</p>",
    ];
    for page in pages {
        match extract(page) {
            Ok(a) => assert_eq!(
                a.extraction.word_count,
                feedbrief::extract::word_count(&a.text)
            ),
            Err(e) => assert_eq!(e.kind(), "extract"),
        }
    }
}

#[test]
fn random_tag_soup_does_not_panic() {
    // Deterministic pseudo-random soup of tag fragments, text and stray bytes.
    const PARTS: [&str; 16] = [
        "<div class=\"article-body\">",
        "</div>",
        "<p>",
        "</p>",
        "Some words, here. ",
        "<a href=x>",
        "</a>",
        "<!--",
        "-->",
        "<script>",
        "</script>",
        "<svg>",
        "<ul><li>",
        "\"",
        "<h1>",
        "é",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..200 {
        let mut page = String::new();
        for _ in 0..300 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            page.push_str(PARTS[(state % PARTS.len() as u64) as usize]);
        }
        // Whatever comes out keeps the output format: trimmed paragraphs separated by
        // exactly one blank line, and a word count that matches the text.
        if let Ok(a) = extract(page.as_bytes()) {
            assert_eq!(a.text.trim(), a.text);
            assert!(!a.text.contains("\n\n\n"), "{:?}", a.text);
            assert_eq!(
                a.extraction.word_count,
                feedbrief::extract::word_count(&a.text)
            );
        }
    }
}
