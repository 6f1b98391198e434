//! Fuzz feed parsing + normalization (`feed::parse`): any bytes, with and without an
//! HTTP charset, must give `Ok` or `Err` — no panic (libfuzzer's hook aborts on any
//! panic, even one `feed::parse` would catch), no hang, no runaway memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let base = url::Url::parse("https://example.com/news/feed.xml").ok();
    // The first byte picks an HTTP Content-Type so the charset paths are fuzzed too.
    let (ct, body) = match data.split_first() {
        Some((b, rest)) => match b % 4 {
            0 => (None, rest),
            1 => (Some("application/rss+xml; charset=iso-8859-1"), rest),
            2 => (Some("text/xml; charset=utf-16"), rest),
            _ => (Some("application/xml; charset=koi8-r"), rest),
        },
        None => (None, data),
    };
    let ctx = feedbrief::feed::FeedContext {
        base_url: base.as_ref(),
        content_type: ct,
        content_language: None,
    };
    let _ = feedbrief::feed::parse(body, &ctx);
});
