//! Fuzz feed parsing + normalization as the pipeline runs it (`feed::parse`, then
//! `feed::sanitize_items` on the stored HTML): any bytes, with and without an HTTP
//! charset and a base URL, must give `Ok` or `Err` — no panic (libfuzzer's hook aborts
//! on any panic, even one `feed::parse` would catch), no hang, no runaway memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let url = url::Url::parse("https://example.com/news/feed.xml").ok();
    // The first byte picks an HTTP Content-Type (so the charset paths are fuzzed too)
    // and whether a base URL is known (relative links are kept as written without one).
    let (ct, base, body) = match data.split_first() {
        Some((b, rest)) => {
            let ct = match b % 4 {
                0 => None,
                1 => Some("application/rss+xml; charset=iso-8859-1"),
                2 => Some("text/xml; charset=utf-16"),
                _ => Some("application/xml; charset=koi8-r"),
            };
            (ct, if b & 4 == 0 { url.as_ref() } else { None }, rest)
        }
        None => (None, url.as_ref(), data),
    };
    let ctx = feedbrief::feed::FeedContext {
        base_url: base,
        content_type: ct,
        content_language: None,
    };
    if let Ok(mut parsed) = feedbrief::feed::parse(body, &ctx) {
        feedbrief::feed::sanitize_items(&mut parsed.items, base);
    }
});
