//! `feedbrief demo`'s sample sites: the bundled feeds and article pages (`demo/` at the
//! repository root, compiled into the binary), how they are mirrored on the loopback
//! server, the feeds.toml a demo run uses, and how the finished digest names the sites
//! again. The command itself (temporary folder, run, output) is `cli/demo.rs`.
//!
//! The samples are written as the three fictional publishers would publish them, with
//! absolute links to their own `https://*.example` addresses. The server mirrors each
//! site under a path prefix (`http://127.0.0.1:PORT/www.harbourgazette.example/...`) and
//! rewrites those links to the mirror, as any mirroring proxy does, so the Fetcher
//! follows them to the loopback server. Before the digest is printed the mapping is
//! undone, so the output names the publishers' addresses and never the port the OS
//! happened to pick: that is what makes two demo runs print the same bytes.

pub(crate) mod server;

use chrono::NaiveDate;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::model::Digest;
pub(crate) use server::{Resource, Routes, Server};

/// Every sample item is dated on this day (UTC); the demo prints this day's digest.
pub(crate) const DAY: NaiveDate = match NaiveDate::from_ymd_opt(2026, 11, 12) {
    Some(d) => d,
    None => panic!("invalid demo day"),
};

/// Heading of the demo digest.
pub(crate) const DIGEST_TITLE: &str = "feedbrief demo: three sample news sites";

/// One bundled feed, as it is listed in the demo's feeds.toml.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SampleFeed {
    pub(crate) name: &'static str,
    /// The site's host; the feed lives at `https://{site}{path}`.
    pub(crate) site: &'static str,
    pub(crate) path: &'static str,
    pub(crate) tags: &'static [&'static str],
}

/// The feeds, in digest group order.
pub(crate) const FEEDS: &[SampleFeed] = &[
    SampleFeed {
        name: "The Harbour Gazette",
        site: HARBOUR,
        path: "/rss/latest.xml",
        tags: &["English"],
    },
    SampleFeed {
        name: "Le Courrier de Valmont",
        site: VALMONT,
        path: "/rss/une.xml",
        tags: &["Français"],
    },
    SampleFeed {
        name: "澜江日报",
        site: LANJIANG,
        path: "/atom/news.xml",
        tags: &["中文"],
    },
];

const HARBOUR: &str = "www.harbourgazette.example";
const VALMONT: &str = "www.courrier-valmont.example";
const LANJIANG: &str = "www.lanjiang-daily.example";

/// What a sample URL demonstrates; used for the note on stderr and by tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Case {
    Feed,
    /// A straight news report (JSON-LD ReportageNewsArticle / NewsArticle).
    Report,
    /// OpinionNewsArticle under /opinion/.
    Opinion,
    /// AdvertiserContentArticle under /sponsored/, labelled "Sponsored".
    Sponsored,
    /// isAccessibleForFree: false; only a teaser on the page, more in the feed.
    Paywalled,
    /// The page answers with an error, so only the feed's excerpt is there to summarize.
    Failing,
}

/// One file the server answers with.
struct Asset {
    site: &'static str,
    path: &'static str,
    status: u16,
    content_type: &'static str,
    case: Case,
    body: &'static [u8],
}

const HTML: &str = "text/html; charset=utf-8";

/// Every sample resource. Paths are the publisher's own; the files live under
/// `demo/{site}/`, mirroring them, except the failing page's error body.
const ASSETS: &[Asset] = &[
    Asset {
        site: HARBOUR,
        path: "/rss/latest.xml",
        status: 200,
        content_type: "application/rss+xml; charset=utf-8",
        case: Case::Feed,
        body: include_bytes!("../../demo/www.harbourgazette.example/rss/latest.xml"),
    },
    Asset {
        site: HARBOUR,
        path: "/news/2026/11/12/council-approves-ferry-terminal.html",
        status: 200,
        content_type: HTML,
        case: Case::Report,
        body: include_bytes!(
            "../../demo/www.harbourgazette.example/news/2026/11/12/council-approves-ferry-terminal.html"
        ),
    },
    Asset {
        site: HARBOUR,
        path: "/opinion/2026/11/12/ferry-terminal-quay-residents.html",
        status: 200,
        content_type: HTML,
        case: Case::Opinion,
        body: include_bytes!(
            "../../demo/www.harbourgazette.example/opinion/2026/11/12/ferry-terminal-quay-residents.html"
        ),
    },
    Asset {
        site: HARBOUR,
        path: "/sponsored/northlight-energy/winter-heating-bills.html",
        status: 200,
        content_type: HTML,
        case: Case::Sponsored,
        body: include_bytes!(
            "../../demo/www.harbourgazette.example/sponsored/northlight-energy/winter-heating-bills.html"
        ),
    },
    Asset {
        site: HARBOUR,
        path: "/investigations/2026/11/12/kessler-marine-shipyard-contract.html",
        status: 200,
        content_type: HTML,
        case: Case::Paywalled,
        body: include_bytes!(
            "../../demo/www.harbourgazette.example/investigations/2026/11/12/kessler-marine-shipyard-contract.html"
        ),
    },
    Asset {
        site: HARBOUR,
        path: "/news/2026/11/12/coastal-road-closed-storm-warning.html",
        status: 500,
        content_type: HTML,
        case: Case::Failing,
        body: include_bytes!("../../demo/www.harbourgazette.example/errors/500.html"),
    },
    Asset {
        site: VALMONT,
        path: "/rss/une.xml",
        status: 200,
        // What an old CMS sends: the charset matches the XML declaration.
        content_type: "application/rss+xml; charset=windows-1252",
        case: Case::Feed,
        body: include_bytes!("../../demo/www.courrier-valmont.example/rss/une.xml"),
    },
    Asset {
        site: VALMONT,
        path: "/valmont/2026/11/12/marche-de-noel-place-des-tilleuls.html",
        status: 200,
        content_type: HTML,
        case: Case::Report,
        body: include_bytes!(
            "../../demo/www.courrier-valmont.example/valmont/2026/11/12/marche-de-noel-place-des-tilleuls.html"
        ),
    },
    Asset {
        site: VALMONT,
        path: "/valmont/2026/11/12/tramway-prolongement-saint-aubin.html",
        status: 200,
        content_type: HTML,
        case: Case::Report,
        body: include_bytes!(
            "../../demo/www.courrier-valmont.example/valmont/2026/11/12/tramway-prolongement-saint-aubin.html"
        ),
    },
    Asset {
        site: LANJIANG,
        path: "/atom/news.xml",
        status: 200,
        content_type: "application/atom+xml; charset=utf-8",
        case: Case::Feed,
        body: include_bytes!("../../demo/www.lanjiang-daily.example/atom/news.xml"),
    },
    Asset {
        site: LANJIANG,
        path: "/city/2026-11/12/cross-river-tunnel-breakthrough.html",
        status: 200,
        content_type: HTML,
        case: Case::Report,
        body: include_bytes!(
            "../../demo/www.lanjiang-daily.example/city/2026-11/12/cross-river-tunnel-breakthrough.html"
        ),
    },
];

/// The sample sites' hosts, each once, in table order.
pub(crate) fn sites() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for a in ASSETS {
        if !out.contains(&a.site) {
            out.push(a.site);
        }
    }
    out
}

/// Number of article pages (every non-feed resource), and how many of them fail.
pub(crate) fn page_counts() -> (usize, usize) {
    let pages = ASSETS.iter().filter(|a| a.case != Case::Feed).count();
    let failing = ASSETS.iter().filter(|a| a.status >= 400).count();
    (pages, failing)
}

/// The URL at which the server at `origin` mirrors `https://{site}{path}`.
pub(crate) fn mirror_url(origin: &str, site: &str, path: &str) -> String {
    format!("{origin}/{site}{path}")
}

/// The server's routes for `origin`: every asset under its mirror path, with the
/// publishers' links rewritten to the mirror.
pub(crate) fn routes(origin: &str) -> Routes {
    let sites = sites();
    ASSETS
        .iter()
        .map(|a| {
            let mut body = a.body.to_vec();
            for site in &sites {
                let public = format!("https://{site}");
                let mirror = mirror_url(origin, site, "");
                // Byte-wise on purpose: the legacy feed is windows-1252, and the URLs are
                // ASCII, which every encoding we bundle shares.
                body = replace_links(&body, public.as_bytes(), mirror.as_bytes());
            }
            (
                format!("/{}{}", a.site, a.path),
                Resource {
                    status: a.status,
                    content_type: a.content_type.to_string(),
                    body,
                },
            )
        })
        .collect()
}

/// Replace `from` by `to` where `from` is a whole origin: followed by the end or a
/// character that cannot continue a host name (so `https://a.example` does not match
/// inside `https://a.example.org`).
fn replace_links(text: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        if text[i..].starts_with(from) {
            let next = text.get(i + from.len()).copied();
            let ends_origin =
                next.is_none_or(|b| !(b.is_ascii_alphanumeric() || b"-.:".contains(&b)));
            if ends_origin {
                out.extend_from_slice(to);
                i += from.len();
                continue;
            }
        }
        out.push(text[i]);
        i += 1;
    }
    out
}

/// The feeds.toml for a demo run against the server at `origin`. The database sits
/// next to the file. Written as text and loaded through `Config::load`, so the demo is
/// validated like any user's configuration.
pub(crate) fn config_toml(origin: &str) -> String {
    let s = |v: &str| toml::Value::String(v.to_string()).to_string();
    let mut t = String::new();
    t.push_str(
        "# Written by `feedbrief demo` for one run against its own loopback server.\n\
         # It is not your feeds.toml; the sample sites it names are gone once the demo ends.\n\n\
         [settings]\n\
         database = \"feedbrief.db\"\n\
         # The sample sites are served on 127.0.0.1, which is refused by default.\n\
         allow_private_networks = true\n\
         # One local server stands in for every site: no need to space requests out.\n\
         min_host_interval = \"0s\"\n\
         per_host_concurrency = 4\n\
         timeout = \"20s\"\n\n\
         [summarizer]\n\
         # Offline and deterministic, whatever the default becomes.\n\
         method = \"extractive\"\n\n\
         [digest]\n\
         timezone = \"UTC\"\n\
         group_by = \"tag\"\n",
    );
    t.push_str(&format!("title = {}\n", s(DIGEST_TITLE)));
    for f in FEEDS {
        let tags: Vec<String> = f.tags.iter().map(|tag| s(tag)).collect();
        t.push_str(&format!(
            "\n[[feed]]\nname = {}\nurl = {}\ntags = [{}]\n",
            s(f.name),
            s(&mirror_url(origin, f.site, f.path)),
            tags.join(", ")
        ));
    }
    t
}

/// Undo the mirroring in a finished digest: every `{origin}/{site}` in any string of
/// any record (links, canonical URLs, feed URLs, evidence, HTML content) becomes
/// `https://{site}` again, and a domain recorded as the loopback address is taken from
/// the restored canonical URL.
///
/// Why on the whole serialized record: URLs sit in many fields (item, article,
/// attribution, content HTML), and the port must not survive in any of them, or two
/// runs would differ; walking every string keeps that true when fields are added.
pub(crate) fn show_public_names(digest: &mut Digest, origin: &str) -> Result<()> {
    let sites = sites();
    let pairs: Vec<(String, String)> = sites
        .iter()
        .map(|site| (mirror_url(origin, site, ""), format!("https://{site}")))
        .collect();
    let mut value = serde_json::to_value(&*digest).map_err(|source| Error::Record {
        context: "demo digest does not serialize".into(),
        source,
    })?;
    rewrite_strings(&mut value, &|s: &str| {
        let mut bytes = s.as_bytes().to_vec();
        for (mirror, public) in &pairs {
            bytes = replace_links(&bytes, mirror.as_bytes(), public.as_bytes());
        }
        // Only ASCII was replaced by ASCII, at character boundaries.
        String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into())
    });
    let mut restored: Digest = serde_json::from_value(value).map_err(|source| Error::Record {
        context: "demo digest does not deserialize".into(),
        source,
    })?;
    let loopback_host = url::Url::parse(origin)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string));
    for entry in restored
        .groups
        .iter_mut()
        .flat_map(|g| g.entries.iter_mut())
    {
        if let Some(d) = entry.disclosure.as_mut()
            && d.attribution.domain.is_some()
            && d.attribution.domain == loopback_host
        {
            d.attribution.domain = d
                .attribution
                .canonical_url
                .as_deref()
                .and_then(crate::util::site_domain);
        }
    }
    *digest = restored;
    Ok(())
}

fn rewrite_strings(v: &mut Value, f: &dyn Fn(&str) -> String) {
    match v {
        Value::String(s) => *s = f(s),
        Value::Array(items) => items.iter_mut().for_each(|i| rewrite_strings(i, f)),
        Value::Object(map) => map.values_mut().for_each(|i| rewrite_strings(i, f)),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::model::{Attribution, DigestEntry, DigestGroup, Disclosure, Item};

    const ORIGIN: &str = "http://127.0.0.1:40123";

    #[test]
    fn links_are_replaced_only_where_the_origin_ends() {
        let out = replace_links(
            b"<a href=\"https://a.example/x\">https://a.example</a> https://a.example.org/ https://a.examples",
            b"https://a.example",
            b"http://m/a.example",
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<a href=\"http://m/a.example/x\">http://m/a.example</a> https://a.example.org/ https://a.examples"
        );
    }

    #[test]
    fn every_feed_is_served_and_every_item_link_points_at_the_mirror() {
        let routes = routes(ORIGIN);
        for f in FEEDS {
            let path = format!("/{}{}", f.site, f.path);
            let feed = routes
                .get(&path)
                .unwrap_or_else(|| panic!("no route {path}"));
            let parsed = crate::feed::parse(&feed.body, &Default::default()).unwrap();
            assert!(!parsed.items.is_empty(), "{path}");
            for item in parsed.items {
                let link = item.link.unwrap_or_default();
                let route = link.strip_prefix(ORIGIN).unwrap_or_else(|| {
                    panic!("{path}: item link {link} does not point at the mirror")
                });
                assert!(routes.contains_key(route), "{path}: no page for {link}");
                let published = item.published.map(|d| d.date_naive());
                assert_eq!(published, Some(DAY), "{path}: {link} is not dated {DAY}");
            }
        }
        // Nothing left pointing at the public addresses in what the Fetcher sees.
        for (path, r) in &routes {
            let body = String::from_utf8_lossy(&r.body);
            for site in sites() {
                assert!(
                    !body.contains(&format!("https://{site}")),
                    "{path} still links to https://{site}"
                );
            }
        }
    }

    #[test]
    fn the_samples_cover_every_case_and_only_the_failing_page_fails() {
        for case in [
            Case::Report,
            Case::Opinion,
            Case::Sponsored,
            Case::Paywalled,
            Case::Failing,
        ] {
            assert!(ASSETS.iter().any(|a| a.case == case), "no {case:?} sample");
        }
        for a in ASSETS {
            assert_eq!(
                a.status >= 400,
                a.case == Case::Failing,
                "{}{}",
                a.site,
                a.path
            );
        }
        assert_eq!(
            ASSETS.iter().filter(|a| a.case == Case::Feed).count(),
            FEEDS.len()
        );
    }

    #[test]
    fn the_config_loads_and_names_every_feed_on_the_mirror() {
        let text = config_toml(ORIGIN);
        // Any folder will do: the database resolves next to the config file.
        let dir = std::path::Path::new("demo-run");
        let cfg = Config::from_str(&text, &dir.join("feeds.toml")).unwrap();
        assert!(cfg.settings.allow_private_networks);
        assert_eq!(cfg.settings.database, dir.join("feedbrief.db"));
        assert_eq!(cfg.feeds.len(), FEEDS.len());
        for (c, f) in cfg.feeds.iter().zip(FEEDS) {
            assert_eq!(c.name, f.name);
            assert_eq!(c.url.as_str(), mirror_url(ORIGIN, f.site, f.path));
        }
    }

    #[test]
    fn public_names_replace_the_mirror_everywhere() {
        let link = mirror_url(ORIGIN, HARBOUR, "/news/a.html");
        let mut digest = Digest {
            groups: vec![DigestGroup {
                name: "English".into(),
                entries: vec![DigestEntry {
                    feed_url: mirror_url(ORIGIN, HARBOUR, "/rss/latest.xml"),
                    item: Item {
                        link: Some(link.clone()),
                        content_html: Some(format!("<a href=\"{link}\">more</a>")),
                        ..Item::default()
                    },
                    disclosure: Some(Disclosure {
                        attribution: Attribution {
                            domain: Some("127.0.0.1".into()),
                            canonical_url: Some(link.clone()),
                            ..Attribution::default()
                        },
                        ..Disclosure::default()
                    }),
                    ..DigestEntry::default()
                }],
            }],
            ..Digest::default()
        };
        show_public_names(&mut digest, ORIGIN).unwrap();
        let e = &digest.groups[0].entries[0];
        let public = "https://www.harbourgazette.example/news/a.html";
        assert_eq!(e.item.link.as_deref(), Some(public));
        assert_eq!(
            e.feed_url,
            "https://www.harbourgazette.example/rss/latest.xml"
        );
        let d = e.disclosure.as_ref().unwrap();
        assert_eq!(
            d.attribution.domain.as_deref(),
            Some("harbourgazette.example")
        );
        assert!(
            !serde_json::to_string(&digest)
                .unwrap()
                .contains("127.0.0.1")
        );
    }
}
