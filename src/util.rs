//! Small text and URL helpers shared by several stages (no I/O).

use sha2::{Digest, Sha256};
use url::Url;

/// `sha256:` + hex digest; used for item identities and input hashes.
pub fn sha256_hex(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            h.update([0u8]);
        }
        h.update(p.as_bytes());
    }
    format!("sha256:{}", hex::encode(h.finalize()))
}

/// Query parameters that only track the reader: removed from stored links.
fn is_tracking_param(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.starts_with("utm_")
        || matches!(
            n.as_str(),
            "fbclid"
                | "gclid"
                | "dclid"
                | "gbraid"
                | "wbraid"
                | "msclkid"
                | "mc_cid"
                | "mc_eid"
                | "igshid"
                | "yclid"
                | "_hsenc"
                | "_hsmi"
                | "mkt_tok"
                | "oly_anon_id"
                | "oly_enc_id"
                | "vero_id"
                | "rb_clickid"
                | "s_cid"
                | "__twitter_impression"
                | "ref_src"
                | "cmpid"
                | "icid"
        )
}

/// Remove tracking parameters (utm_*, fbclid, gclid, ...) from a URL, keeping the rest
/// of the query in order. A URL whose query becomes empty loses its `?`.
pub(crate) fn strip_tracking(url: &Url) -> Url {
    if url.query().is_none() {
        return url.clone();
    }
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !is_tracking_param(k))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let total = url.query_pairs().count();
    if kept.len() == total {
        return url.clone();
    }
    let mut out = url.clone();
    if kept.is_empty() {
        out.set_query(None);
    } else {
        out.query_pairs_mut().clear().extend_pairs(kept);
    }
    out
}

/// Resolve `href` against `base` (if any), strip tracking parameters; only http(s) kept.
pub(crate) fn absolute_link(href: &str, base: Option<&Url>) -> Option<String> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    let url = match base {
        Some(b) => b.join(href).ok()?,
        None => Url::parse(href).ok()?,
    };
    match url.scheme() {
        "http" | "https" => Some(strip_tracking(&url).to_string()),
        _ => None,
    }
}

/// The host of a URL without a leading `www.`, for "Read the full SITE article".
pub(crate) fn site_domain(url: &str) -> Option<String> {
    let u = Url::parse(url).ok()?;
    let host = u.host_str()?;
    Some(host.strip_prefix("www.").unwrap_or(host).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_parameters_are_removed_and_others_kept() {
        let u = Url::parse("https://ex.com/a?id=3&utm_source=rss&fbclid=x&b=2#frag").unwrap();
        assert_eq!(
            strip_tracking(&u).as_str(),
            "https://ex.com/a?id=3&b=2#frag"
        );
        let u = Url::parse("https://ex.com/a?utm_medium=feed&gclid=1").unwrap();
        assert_eq!(strip_tracking(&u).as_str(), "https://ex.com/a");
    }

    #[test]
    fn links_resolve_against_base_and_drop_other_schemes() {
        let base = Url::parse("https://ex.com/news/feed.xml").unwrap();
        assert_eq!(
            absolute_link("../a/b.html?utm_campaign=x", Some(&base)).as_deref(),
            Some("https://ex.com/a/b.html")
        );
        assert_eq!(absolute_link("javascript:alert(1)", Some(&base)), None);
        assert_eq!(absolute_link("  ", Some(&base)), None);
    }

    #[test]
    fn hashes_separate_parts() {
        assert_ne!(sha256_hex(&["ab", "c"]), sha256_hex(&["a", "bc"]));
        assert!(sha256_hex(&["x"]).starts_with("sha256:"));
    }
}
