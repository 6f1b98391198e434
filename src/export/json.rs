//! The JSON digest: the full records (item, article metadata and text, summary,
//! disclosure) exactly as `Digest` serializes, so the output parses back into a
//! `Digest`. Struct fields serialize in declaration order and the model holds no maps,
//! so the bytes are stable. Entries are read from the source while serde writes them
//! (the shapes below mirror `Digest` and `DigestGroup` field for field).

use std::io::{self, Write};

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::ser::SerializeSeq;

use super::{EntryAs, LazyEntries, Source};
use crate::model::DigestEntry;

#[derive(Serialize)]
#[serde(bound = "S: Source")]
struct DigestShape<'a, S: ?Sized> {
    title: &'a str,
    period: &'a str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    groups: Groups<'a, S>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timezone: Option<&'a str>,
}

struct Groups<'a, S: ?Sized>(&'a S);

#[derive(Serialize)]
#[serde(bound = "S: Source")]
struct GroupShape<'a, S: ?Sized> {
    name: &'a str,
    entries: LazyEntries<'a, S, AsRecord>,
}

struct AsRecord;

impl EntryAs for AsRecord {
    fn element<Q: SerializeSeq>(
        &self,
        seq: &mut Q,
        e: &DigestEntry,
        _group: &str,
    ) -> Result<(), Q::Error> {
        seq.serialize_element(e)
    }
}

impl<S: Source + ?Sized> Serialize for Groups<'_, S> {
    fn serialize<Z: serde::Serializer>(&self, ser: Z) -> Result<Z::Ok, Z::Error> {
        let groups = self.0.groups();
        let mut seq = ser.serialize_seq(Some(groups.len()))?;
        for (i, (name, _)) in groups.into_iter().enumerate() {
            seq.serialize_element(&GroupShape {
                name,
                entries: LazyEntries {
                    source: self.0,
                    group: Some(i),
                    as_: AsRecord,
                },
            })?;
        }
        seq.end()
    }
}

pub(crate) fn render<S: Source + ?Sized, W: Write + ?Sized>(
    digest: &S,
    out: &mut W,
) -> io::Result<()> {
    let head = digest.head();
    let shape = DigestShape {
        title: head.title,
        period: head.period,
        from: head.from,
        to: head.to,
        groups: Groups(digest),
        timezone: head.timezone,
    };
    // serde_json hands a write error back as the io::Error it was (a closed pipe
    // stays one).
    serde_json::to_writer_pretty(&mut *out, &shape).map_err(io::Error::from)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::model::{Digest, DigestGroup, Item};

    /// The streamed shape must give exactly the bytes serde gives for `Digest`.
    #[test]
    fn streamed_json_is_the_digest_as_serde_writes_it() {
        let t = Utc.with_ymd_and_hms(2026, 11, 28, 0, 0, 0).unwrap();
        let entry = |id: i64| DigestEntry {
            item_id: id,
            feed_name: "A".into(),
            first_seen: t,
            item: Item {
                title: Some(format!("t{id} \"quoted\"\n")),
                ..Item::default()
            },
            ..DigestEntry::default()
        };
        for timezone in [None, Some("Europe/Berlin".to_string())] {
            let d = Digest {
                title: "T".into(),
                period: "p".into(),
                from: t,
                to: t,
                groups: vec![
                    DigestGroup {
                        name: "g".into(),
                        entries: vec![entry(1), entry(2)],
                    },
                    DigestGroup {
                        name: "empty".into(),
                        entries: vec![],
                    },
                ],
                timezone,
            };
            let mut buf = Vec::new();
            render(&d, &mut buf).unwrap();
            let want = serde_json::to_string_pretty(&d).unwrap() + "\n";
            assert_eq!(String::from_utf8(buf).unwrap(), want);
        }
        let empty = Digest::default();
        let mut buf = Vec::new();
        render(&empty, &mut buf).unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            serde_json::to_string_pretty(&empty).unwrap() + "\n"
        );
    }
}
