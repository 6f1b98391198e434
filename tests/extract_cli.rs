//! `feedbrief extract` prints the JSON shape the evaluation script reads.

use std::process::Command;

#[test]
fn extract_prints_body_and_title_keyed_by_file_stem() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/extract");
    std::fs::copy(
        fixtures.join("news_article.html"),
        dir.path().join("p1.html"),
    )
    .unwrap();
    std::fs::write(dir.path().join("p2.html"), b"").unwrap();
    let gt = dir.path().join("gt.json");
    std::fs::write(
        &gt,
        r#"{"p1": {"articleBody": "", "url": "https://www.harbourgazette.example/news/x"}}"#,
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_feedbrief"))
        .args(["extract", "--format", "json", "--urls"])
        .arg(&gt)
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let p1 = &v["p1"];
    assert!(
        p1["articleBody"]
            .as_str()
            .unwrap()
            .starts_with("Councillors voted")
    );
    assert_eq!(
        p1["title"].as_str(),
        Some("Council approves riverside flood wall after decade of delays")
    );
    // The empty page is reported and still has a row, with an empty body.
    assert_eq!(v["p2"]["articleBody"].as_str(), Some(""));
    assert!(String::from_utf8_lossy(&out.stderr).contains("p2.html"));
}
