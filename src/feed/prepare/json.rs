//! JSON Feed documents reshaped where feed-rs would reject or crash on them: values of
//! the wrong shape, and author names holding an address beside a non-ASCII character.

use super::emails::separate_emails;

/// A JSON Feed whose values have the wrong shapes, reshaped the way readers take them:
/// `tags` as one comma-separated string, `author(s)` as bare names, numeric ids, and
/// non-string dates or URLs dropped. `None` when it is not JSON at all.
pub(crate) fn repair_json(text: &str) -> Option<String> {
    use serde_json::Value;
    let mut v: Value = serde_json::from_str(text).ok()?;
    fn person(p: &mut Value) {
        if let Value::String(s) = p {
            *p = serde_json::json!({ "name": s.clone() });
        }
    }
    fn fix_authors(o: &mut serde_json::Map<String, Value>) {
        if let Some(a) = o.get_mut("author") {
            person(a);
            if !a.is_object() {
                o.remove("author");
            }
        }
        if let Some(Value::Array(list)) = o.get_mut("authors") {
            list.iter_mut().for_each(person);
            list.retain(Value::is_object);
        } else if let Some(a) = o.get_mut("authors") {
            person(a);
            let one = a.take();
            o.insert(
                "authors".into(),
                Value::Array(vec![one].into_iter().filter(Value::is_object).collect()),
            );
        }
    }
    let feed = v.as_object_mut()?;
    fix_authors(feed);
    for key in [
        "title",
        "home_page_url",
        "feed_url",
        "description",
        "language",
    ] {
        if feed.get(key).is_some_and(|x| !x.is_string()) {
            feed.remove(key);
        }
    }
    // feed-rs takes only `https://jsonfeed.org/version/1...`; readers take every 1.x
    // (`http://jsonfeed.org/version/1`, a trailing slash), a feed that names none, and
    // the items of one naming another version.
    let version = feed.get("version").and_then(Value::as_str).unwrap_or("");
    if version.is_empty()
        || is_json_feed_v1(version)
        || feed.get("items").is_some_and(Value::is_array)
    {
        feed.insert(
            "version".into(),
            Value::String("https://jsonfeed.org/version/1.1".into()),
        );
    }
    // A title and the item list are required by feed-rs's reading; a feed without them
    // has none (an empty title is "no title" downstream).
    if !feed.contains_key("title") {
        feed.insert("title".into(), Value::String(String::new()));
    }
    if !feed.get("items").is_some_and(Value::is_array) {
        feed.insert("items".into(), Value::Array(Vec::new()));
    }
    if let Some(Value::Array(items)) = feed.get_mut("items") {
        items.retain(Value::is_object);
        for item in items.iter_mut().filter_map(Value::as_object_mut) {
            fix_authors(item);
            match item.get("id") {
                Some(Value::Number(n)) => {
                    let s = n.to_string();
                    item.insert("id".into(), Value::String(s));
                }
                Some(Value::String(_)) | None => {}
                Some(_) => {
                    item.remove("id");
                }
            }
            if let Some(Value::String(t)) = item.get("tags") {
                let tags: Vec<Value> = t
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.to_string()))
                    .collect();
                item.insert("tags".into(), Value::Array(tags));
            } else if let Some(Value::Array(tags)) = item.get_mut("tags") {
                tags.retain(Value::is_string);
            } else {
                item.remove("tags");
            }
            for key in [
                "url",
                "external_url",
                "title",
                "content_html",
                "content_text",
                "summary",
                "image",
                "banner_image",
                "date_published",
                "date_modified",
                "language",
            ] {
                if item.get(key).is_some_and(|x| !x.is_string()) {
                    item.remove(key);
                }
            }
            if item.get("attachments").is_some_and(|a| !a.is_array()) {
                item.remove("attachments");
            }
            if let Some(Value::Array(list)) = item.get_mut("attachments") {
                // An attachment needs a URL; its type, if missing, is unknown (empty).
                list.retain(|a| a.get("url").is_some_and(Value::is_string));
                for a in list.iter_mut().filter_map(Value::as_object_mut) {
                    if !a.get("mime_type").is_some_and(Value::is_string) {
                        a.insert("mime_type".into(), Value::String(String::new()));
                    }
                    if a.get("title").is_some_and(|t| !t.is_string()) {
                        a.remove("title");
                    }
                    if a.get("size_in_bytes").is_some_and(|n| !n.is_u64()) {
                        a.remove("size_in_bytes");
                    }
                }
            }
        }
    }
    serde_json::to_string(&v).ok()
}

/// A JSON Feed version URL of the 1.x family: `http` or `https`, `www.` or not, `1`,
/// `1.1`, ..., with or without a trailing slash.
fn is_json_feed_v1(version: &str) -> bool {
    let v = version.trim().trim_end_matches('/').to_ascii_lowercase();
    let Some(rest) = v
        .strip_prefix("https://")
        .or_else(|| v.strip_prefix("http://"))
    else {
        return false;
    };
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let Some(num) = rest.strip_prefix("jsonfeed.org/version/") else {
        return false;
    };
    let mut parts = num.split('.');
    parts.next() == Some("1")
        && parts.all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()))
}

/// A JSON Feed whose author names hold an address with a non-ASCII neighbour (see
/// `email_hazard`), those names separated. `None` if it is not JSON or needs nothing.
pub(super) fn separate_json_author_emails(text: &str) -> Option<String> {
    use serde_json::Value;
    fn fix(o: &mut serde_json::Map<String, Value>) {
        let fix_person = |p: &mut Value| {
            if let Some(Value::String(n)) = p.get_mut("name")
                && let Some(fixed) = separate_emails(n)
            {
                *n = fixed;
            }
        };
        if let Some(a) = o.get_mut("author") {
            fix_person(a);
        }
        if let Some(Value::Array(list)) = o.get_mut("authors") {
            list.iter_mut().for_each(fix_person);
        }
    }
    let mut v: Value = serde_json::from_str(text).ok()?;
    let feed = v.as_object_mut()?;
    fix(feed);
    if let Some(Value::Array(items)) = feed.get_mut("items") {
        items
            .iter_mut()
            .filter_map(Value::as_object_mut)
            .for_each(fix);
    }
    serde_json::to_string(&v).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_1x_version_url_is_json_feed_1() {
        for v in [
            "https://jsonfeed.org/version/1",
            "http://jsonfeed.org/version/1",
            "https://jsonfeed.org/version/1.1",
            "http://jsonfeed.org/version/1.1/",
            "https://jsonfeed.org/version/1/",
            "HTTPS://www.jsonfeed.org/version/1.2",
        ] {
            assert!(is_json_feed_v1(v), "{v}");
        }
        for v in [
            "https://jsonfeed.org/version/2",
            "https://jsonfeed.org/version/10",
            "https://example.org/version/1",
            "1.1",
        ] {
            assert!(!is_json_feed_v1(v), "{v}");
        }
    }

    #[test]
    fn a_version_feed_rs_rejects_is_rewritten() {
        let fixed = repair_json(
            r#"{"version":"http://jsonfeed.org/version/1","title":"T","items":[{"id":"1"}]}"#,
        )
        .expect("JSON");
        assert!(fixed.contains(r#""version":"https://jsonfeed.org/version/1.1""#));
        let fixed = repair_json(r#"{"items":[{"id":"1","attachments":[{"url":"a.mp3"},{}]}]}"#)
            .expect("JSON");
        assert!(fixed.contains(r#""title":"""#), "{fixed}");
        assert!(fixed.contains(r#""mime_type":"""#), "{fixed}");
    }
}
