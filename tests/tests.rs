//! The integration tests: one test binary (one link instead of one per file), one
//! module per subject, helpers shared through `common`. A new test file must be declared
//! here: `every_test_file_is_a_module` fails otherwise.

mod common;

mod backbone;
mod cli;
mod cluster;
mod config_files;
mod demo;
mod disclose_cases;
mod disclose_heuristic;
mod disclose_machine;
mod disclose_pages;
mod export_render;
mod extract_bad_pages;
mod extract_cli;
mod extract_golden;
mod extract_metadata;
mod feed_regression;
mod hostile_cli;
mod paywall_text;
mod store_exports;
mod summarize_cli;
mod summarize_extractive;
mod summarize_faithfulness;
mod summarize_llm;
mod summarize_sanitize;
mod summarize_split;

/// With `autotests = false`, a file in tests/ that is not declared above would never be
/// compiled, and its tests would silently never run.
#[test]
fn every_test_file_is_a_module() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let declared = include_str!("tests.rs");
    for entry in std::fs::read_dir(&dir).expect("tests/ is readable") {
        let path = entry.expect("a directory entry").path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.extension().is_some_and(|e| e == "rs") && stem != "tests" {
            assert!(
                declared.contains(&format!("\nmod {stem};\n")),
                "tests/{stem}.rs is not declared in tests/tests.rs"
            );
        }
    }
}
