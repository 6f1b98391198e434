//! The Atom categories that carry a disclosure: our source-type term (with who asserted
//! it), the schema.org type of the source where the publisher or its feed gave one, the
//! feed's own categories and the digest tags. `export::atom` writes them with the
//! `fb:disclosure` element.

use super::NAMESPACE;
use super::jsonld::source_schema_type;
use crate::model::{AssertedBy, DigestEntry, SourceLabel};

/// Namespace prefix used for `NAMESPACE` in XML.
pub(crate) const PREFIX: &str = "fb";

/// One `atom:category`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub term: String,
    pub scheme: Option<String>,
    pub label: Option<String>,
}

/// Scheme of our source-type categories (`term` is `opinion`, `sponsored`, ...).
pub fn source_type_scheme() -> String {
    format!("{NAMESPACE}#source-type")
}

/// Scheme of the feeds.toml tags of the entry's feed.
pub fn tag_scheme() -> String {
    format!("{NAMESPACE}#tag")
}

pub const SCHEMA_ORG_SCHEME: &str = "https://schema.org/";

/// Human-readable description of who gave a label, for category labels.
pub(crate) fn label_description(label: &SourceLabel) -> String {
    let kind = label.label.as_str();
    match label.asserted_by {
        AssertedBy::Publisher => format!("{kind} (labelled by the publisher)"),
        AssertedBy::Feed => format!("{kind} (labelled in the publisher's feed)"),
        AssertedBy::Inferred => {
            format!("{kind} (inferred by feedbrief, not the publisher's label)")
        }
        AssertedBy::None => format!("{kind} (no label found)"),
    }
}

/// Every category of `entry`, deduplicated, in a fixed order.
pub fn categories(entry: &DigestEntry) -> Vec<Category> {
    let mut out: Vec<Category> = Vec::new();
    let mut push = |c: Category| {
        if !c.term.trim().is_empty()
            && !out.iter().any(|o| o.term == c.term && o.scheme == c.scheme)
        {
            out.push(c);
        }
    };
    if let Some(d) = &entry.disclosure {
        push(Category {
            term: d.source_type.label.as_str().to_string(),
            scheme: Some(source_type_scheme()),
            label: Some(label_description(&d.source_type)),
        });
        if let Some(t) = source_schema_type(&d.source_type) {
            push(Category {
                label: Some(format!("schema.org type of the source: {t}")),
                term: t,
                scheme: Some(SCHEMA_ORG_SCHEME.to_string()),
            });
        }
    }
    for c in &entry.item.categories {
        push(Category {
            term: c.clone(),
            scheme: None,
            label: None,
        });
    }
    for t in &entry.tags {
        push(Category {
            term: t.clone(),
            scheme: Some(tag_scheme()),
            label: None,
        });
    }
    out
}
