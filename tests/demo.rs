//! `feedbrief demo` end to end: the real binary serves its bundled sample sites on
//! loopback, runs the pipeline and prints the digest. Nothing here touches the network
//! beyond 127.0.0.1.
//!
//! The titles and texts below are written out by hand from the files in `demo/`, so a
//! change to the samples has to be made here too, deliberately.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// Every sample item's title, as the feeds give it.
const TITLES: [&str; 8] = [
    "Port Avalen council approves new ferry terminal after six-hour debate",
    "The new ferry terminal is the right call, but the quay deserves more than a promise",
    "How three Avalen families cut their winter heating bills",
    "Inside the Kessler Marine deal: what the shipyard contract really costs Port Avalen",
    "Coastal road closed between Port Avalen and Merrow Point as storm warning issued",
    "Valmont : le marché de Noël s’installera place des Tilleuls dès le 27 novembre",
    "Le tramway de Valmont sera prolongé jusqu’à Saint-Aubin-des-Prés d’ici 2029",
    "澜江新区首条过江隧道全线贯通",
];
const REPORT: &str = TITLES[0];
const OPINION: &str = TITLES[1];
const SPONSORED: &str = TITLES[2];
const PAYWALLED: &str = TITLES[3];
const FAILING: &str = TITLES[4];
const FRENCH: &str = TITLES[5];
const CHINESE: &str = TITLES[7];

const SUMMARY_OF_ANOTHER: &str =
    "This publication is a summary or evaluation of another publication";
const FEED_EXCERPT_ONLY: &str = "Summary based on the feed's excerpt only";
const EDITORIAL: &str = "This publication contains editorial commentary or bias from the source";
const SPONSORED_LINE: &str = "The source is sponsored content";
const PAYWALLED_LINE: &str = "The source is paywalled";

/// Run `feedbrief demo ARGS` in `dir` (so anything written to the working folder shows).
fn demo_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_feedbrief"))
        .arg("demo")
        .args(args)
        .current_dir(dir)
        .env_remove("FEEDBRIEF_CONFIG")
        .env_remove("FEEDBRIEF_DB")
        .env_remove("RUST_LOG")
        // A CI machine's HTTP proxy could not reach our 127.0.0.1 server.
        .env("NO_PROXY", "127.0.0.1")
        .env("no_proxy", "127.0.0.1")
        .output()
        .expect("run feedbrief")
}

fn demo(args: &[&str]) -> Output {
    let dir = tempfile::tempdir().expect("tempdir");
    demo_in(dir.path(), args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn assert_ok(o: &Output) {
    assert!(
        o.status.success(),
        "demo exited with {:?}\n--- stderr\n{}\n--- stdout\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr),
        String::from_utf8_lossy(&o.stdout)
    );
}

/// The Markdown block of the item titled `title` (heading to the next heading).
fn block<'a>(md: &'a str, title: &str) -> &'a str {
    let heading = format!("### {title}\n");
    let start = md
        .find(&heading)
        .unwrap_or_else(|| panic!("no item titled {title:?} in\n{md}"));
    let rest = &md[start + heading.len()..];
    let end = rest.find("\n#").unwrap_or(rest.len());
    &rest[..end]
}

/// The JSON digest's entries, in display order.
fn entries(json: &Value) -> Vec<&Value> {
    json["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .flat_map(|g| g["entries"].as_array().expect("entries").iter())
        .collect()
}

fn entry<'a>(json: &'a Value, title: &str) -> &'a Value {
    entries(json)
        .into_iter()
        .find(|e| e["item"]["title"] == title)
        .unwrap_or_else(|| panic!("no entry titled {title:?}"))
}

fn has_evidence(e: &Value, signal: &str, value: &str) -> bool {
    e["disclosure"]["source_type"]["evidence"]
        .as_array()
        .is_some_and(|ev| {
            ev.iter()
                .any(|x| x["signal"] == signal && x["value"] == value)
        })
}

fn lines(e: &Value) -> Vec<&str> {
    e["disclosure"]["lines"]
        .as_array()
        .map(|l| l.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

#[test]
fn demo_prints_every_sample_item_with_its_disclosures() {
    let out = demo(&[]);
    assert_ok(&out);
    let md = stdout(&out);

    for title in TITLES {
        let b = block(&md, title);
        assert!(b.contains(SUMMARY_OF_ANOTHER), "{title}:\n{b}");
        assert_eq!(
            b.matches("Read the full ").count(),
            1,
            "{title}: one read-more line\n{b}"
        );
    }
    assert_eq!(md.matches(SUMMARY_OF_ANOTHER).count(), TITLES.len(), "{md}");
    for (site, n) in [
        ("harbourgazette.example", 5),
        ("courrier-valmont.example", 2),
        ("lanjiang-daily.example", 1),
    ] {
        let line = format!("Read the full {site} article at: https://www.{site}/");
        assert_eq!(md.matches(&line).count(), n, "{line}\n{md}");
    }

    // The page that fails leaves only the feed's excerpt, and says so; pages that
    // were fetched do not.
    assert!(block(&md, FAILING).contains(FEED_EXCERPT_ONLY), "{md}");
    for title in [REPORT, OPINION, SPONSORED, FRENCH, CHINESE] {
        assert!(
            !block(&md, title).contains(FEED_EXCERPT_ONLY),
            "{title}\n{md}"
        );
    }

    // The windows-1252 feed decodes to the right characters (’ é è ë are all in its
    // bytes; ’ is one of the code points where windows-1252 and ISO-8859-1 differ).
    // The feed's own title is in the JSON records (the Markdown shows the publisher).
    let json = String::from_utf8(demo(&["--format", "json"]).stdout).unwrap();
    assert!(json.contains("Le Courrier de Valmont – À la une"), "{json}");
    for bad in ["Ã", "â€", "\u{FFFD}", "\u{92}"] {
        assert!(!md.contains(bad), "mojibake {bad:?} in\n{md}");
    }

    // The throwaway server's port never reaches the output.
    assert!(!md.contains("127.0.0.1"), "{md}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("8 new items, 8 summarized"), "{stderr}");
}

/// Labels the placeholder extractor already allows: they come from the item's URL path
/// (`/opinion/`, `/sponsored/`), which needs nothing from the page.
#[test]
fn demo_labels_opinion_and_sponsored_items_from_their_urls() {
    let out = demo(&[]);
    assert_ok(&out);
    let md = stdout(&out);
    assert!(block(&md, OPINION).contains(EDITORIAL), "{md}");
    assert!(block(&md, SPONSORED).contains(SPONSORED_LINE), "{md}");
    for title in [REPORT, FAILING, FRENCH, CHINESE] {
        let b = block(&md, title);
        assert!(
            !b.contains(EDITORIAL) && !b.contains(SPONSORED_LINE),
            "{title}\n{b}"
        );
    }
}

#[test]
fn two_demo_runs_print_the_same_bytes() {
    let a = demo(&[]);
    let b = demo(&[]);
    assert_ok(&a);
    assert_ok(&b);
    assert!(!a.stdout.is_empty());
    assert_eq!(stdout(&a), stdout(&b));
}

#[test]
fn demo_json_parses_with_one_entry_per_sample_item() {
    let out = demo(&["--format", "json"]);
    assert_ok(&out);
    let json: Value = serde_json::from_slice(&out.stdout).expect("demo --format json is JSON");
    let all = entries(&json);
    assert_eq!(all.len(), TITLES.len(), "{json:#}");
    for title in TITLES {
        let e = entry(&json, title);
        assert!(
            e["summary"]["sentences"]
                .as_array()
                .is_some_and(|s| !s.is_empty())
        );
        assert!(
            e["disclosure"]["attribution"]["canonical_url"]
                .as_str()
                .is_some_and(|u| u.starts_with("https://www.") && u.contains(".example/")),
            "{title}: {e:#}"
        );
    }
    assert_eq!(
        entry(&json, FAILING)["disclosure"]["machine_summary"]["input_basis"],
        "feed_excerpt"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("127.0.0.1"));
}

/// Labels that come from the pages' own metadata (JSON-LD @type, isAccessibleForFree,
/// og:site_name, language), read by the extractor.
#[test]
fn demo_labels_come_from_page_metadata() {
    let out = demo(&["--format", "json"]);
    assert_ok(&out);
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");

    let report = entry(&json, REPORT);
    assert!(
        has_evidence(report, "jsonld_type", "ReportageNewsArticle"),
        "{report:#}"
    );
    assert_eq!(report["disclosure"]["source_type"]["label"], "reportage");
    assert_eq!(
        report["disclosure"]["attribution"]["publisher"],
        "The Harbour Gazette"
    );

    let opinion = entry(&json, OPINION);
    assert!(
        has_evidence(opinion, "jsonld_type", "OpinionNewsArticle"),
        "{opinion:#}"
    );
    // The line says who labelled it: the publisher, in its structured data.
    assert!(
        lines(opinion).contains(
            &format!("{EDITORIAL} (labelled Opinion by the publisher, in its structured data)")
                .as_str()
        ),
        "{opinion:#}"
    );

    let sponsored = entry(&json, SPONSORED);
    assert!(
        has_evidence(sponsored, "jsonld_type", "AdvertiserContentArticle"),
        "{sponsored:#}"
    );
    assert!(
        lines(sponsored).contains(
            &format!(
                "{SPONSORED_LINE} (labelled Sponsored by the publisher, in its structured data)"
            )
            .as_str()
        ),
        "{sponsored:#}"
    );

    // Only a teaser on the page: the fuller feed excerpt is summarized, recorded as
    // part of a paywalled article.
    let paywalled = entry(&json, PAYWALLED);
    assert_eq!(paywalled["disclosure"]["paywalled"], true, "{paywalled:#}");
    assert_eq!(
        paywalled["disclosure"]["machine_summary"]["input_basis"], "partial",
        "{paywalled:#}"
    );
    assert!(
        lines(paywalled)
            .iter()
            .any(|l| l.starts_with(PAYWALLED_LINE)),
        "{paywalled:#}"
    );

    for (title, lang) in [(FRENCH, "fr"), (CHINESE, "zh"), (REPORT, "en")] {
        let e = entry(&json, title);
        let got = e["disclosure"]["attribution"]["language"]
            .as_str()
            .unwrap_or("");
        assert!(got.starts_with(lang), "{title}: language {got:?}");
    }
}

#[test]
fn demo_never_touches_the_working_folder_and_keep_keeps_a_loadable_config() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A user's config that would fail to load, and a database that must stay as is.
    std::fs::write(dir.path().join("feeds.toml"), "not = [valid toml").expect("write");
    std::fs::write(dir.path().join("feedbrief.db"), b"user data").expect("write");
    let kept = dir.path().join("kept");
    let out = demo_in(dir.path(), &["--keep", "kept"]);
    assert_ok(&out);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("feeds.toml")).expect("read"),
        "not = [valid toml"
    );
    assert_eq!(
        std::fs::read(dir.path().join("feedbrief.db")).expect("read"),
        b"user data"
    );
    let cfg = feedbrief::config::Config::load(&kept.join("feeds.toml")).expect("kept config");
    assert!(cfg.settings.allow_private_networks);
    assert_eq!(cfg.settings.database, kept.join("feedbrief.db"));
    assert!(cfg.settings.database.is_file());

    // A second run must not write into a folder that already holds something.
    let again = demo_in(dir.path(), &["--keep", "kept"]);
    assert_eq!(again.status.code(), Some(2), "{again:?}");
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));
}
