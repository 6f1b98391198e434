//! `feedbrief summarize --input pairs.jsonl` end to end (issue 5): one output line per
//! input line, in order, one sentence per line inside `summary`; `--method llm` reads
//! `[summarizer]` from `--config` and talks to the configured endpoint.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const BIN: &str = env!("CARGO_BIN_EXE_feedbrief");

fn fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new("tests/fixtures/summarize").join(name))
        .unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

fn pairs() -> Vec<Value> {
    vec![
        json!({"id": "bridge", "text": fixture("harbour-bridge.en.txt"), "title": "Old Harbour Bridge to close"}),
        json!({"id": 7, "text": fixture("metro.zh.txt"), "lang": "zh"}),
        json!({"id": "de", "text": fixture("stadtbahn.de.txt")}),
    ]
}

fn write_jsonl(dir: &Path, rows: &[Value]) -> std::path::PathBuf {
    let p = dir.join("pairs.jsonl");
    let text: String = rows.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(&p, text).expect("write pairs");
    p
}

fn run(args: &[&str], cwd: &Path) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .env_remove("FEEDBRIEF_CONFIG")
        .output()
        .expect("run feedbrief")
}

fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

#[test]
fn extractive_summaries_keep_ids_order_and_sentence_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rows = pairs();
    let input = write_jsonl(dir.path(), &rows);
    let out = run(
        &[
            "summarize",
            "--input",
            input.to_str().unwrap_or_default(),
            "--format",
            "jsonl",
        ],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got = lines(&out);
    assert_eq!(got.len(), rows.len());
    for (g, r) in got.iter().zip(&rows) {
        assert_eq!(g["id"], r["id"]);
        assert_eq!(g["method"], "extractive");
        let summary = g["summary"].as_str().expect("summary string");
        assert!(!summary.is_empty());
        let text = r["text"].as_str().unwrap_or_default();
        for sentence in summary.lines() {
            assert!(text.contains(sentence), "{sentence:?} is not from the text");
        }
    }
    // The English summary has more than one sentence, one per line.
    assert!(
        got[0]["summary"]
            .as_str()
            .unwrap_or_default()
            .lines()
            .count()
            >= 2
    );
}

#[test]
fn standard_input_and_length_flags() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(BIN)
        .args([
            "summarize",
            "--input",
            "-",
            "--sentences",
            "1",
            "--words",
            "20",
        ])
        .current_dir(dir.path())
        .env_remove("FEEDBRIEF_CONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        writeln!(stdin, "{}", pairs()[0]).expect("write");
    }
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success());
    let got = lines(&out);
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0]["summary"]
            .as_str()
            .unwrap_or_default()
            .lines()
            .count(),
        1
    );
}

#[test]
fn a_bad_line_is_reported_with_its_number() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("bad.jsonl");
    std::fs::write(&p, "{\"id\": 1, \"text\": \"Fine.\"}\n{\"id\": 2}\n").expect("write");
    let out = run(
        &["summarize", "--input", p.to_str().unwrap_or_default()],
        dir.path(),
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.jsonl:2"), "{err}");
}

#[test]
fn llm_without_a_config_section_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = write_jsonl(dir.path(), &pairs());
    std::fs::write(dir.path().join("feeds.toml"), "").expect("write config");
    let out = run(
        &[
            "summarize",
            "--input",
            input.to_str().unwrap_or_default(),
            "--method",
            "llm",
        ],
        dir.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("[summarizer.llm]"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn llm_method_uses_the_configured_endpoint() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "choices": [{"message": {"role": "assistant", "content":
                "Sure! Here is the summary:\nThe Old Harbour Bridge will close for six weeks. Repairs will cost £3.2 million.\nLet me know if you need anything else!"},
                "finish_reason": "stop"}],
            "usage": {"total_tokens": 300}
        })))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let input = write_jsonl(dir.path(), &pairs()[..1]);
    let config = dir.path().join("custom.toml");
    std::fs::write(
        &config,
        format!(
            "[summarizer]\nmethod = \"llm\"\n[summarizer.llm]\nbase_url = \"{}/v1\"\nmodel = \"tiny\"\n",
            server.uri()
        ),
    )
    .expect("write config");
    let args: Vec<String> = vec![
        "--config".into(),
        config.display().to_string(),
        "summarize".into(),
        "--input".into(),
        input.display().to_string(),
        "--method".into(),
        "llm".into(),
    ];
    let cwd = dir.path().to_path_buf();
    let out = tokio::task::spawn_blocking(move || {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&a, &cwd)
    })
    .await
    .expect("join");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got = lines(&out);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["method"], "llm", "{}", got[0]);
    assert_eq!(got[0]["model"], "tiny");
    assert_eq!(
        got[0]["summary"],
        "The Old Harbour Bridge will close for six weeks.\nRepairs will cost £3.2 million."
    );
    assert_eq!(
        server.received_requests().await.unwrap_or_default().len(),
        1
    );
}
