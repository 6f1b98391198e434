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
        }
    }
    serde_json::to_string(&v).ok()
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
