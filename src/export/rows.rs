//! The export row formats: JSON Lines (one full record per line) and CSV (one row of
//! the main fields per item), written entry by entry so an export of any size streams
//! in constant memory. Write errors keep their `io::ErrorKind`, so a closed pipe stays
//! recognisable as one.

use std::io::{self, Write};

use chrono::{DateTime, Utc};

use crate::model::DigestEntry;

/// JSON Lines: each entry as one compact JSON object and a newline.
pub(crate) struct JsonlStream<W: Write> {
    out: W,
}

impl<W: Write> JsonlStream<W> {
    pub(crate) fn new(out: W) -> Self {
        JsonlStream { out }
    }

    pub(crate) fn entry(&mut self, e: &DigestEntry) -> io::Result<()> {
        // serde_json's conversion hands back the underlying io::Error unchanged.
        serde_json::to_writer(&mut self.out, e).map_err(io::Error::from)?;
        self.out.write_all(b"\n")
    }

    pub(crate) fn finish(mut self) -> io::Result<()> {
        self.out.flush()
    }
}

pub(crate) const CSV_HEADER: [&str; 16] = [
    "item_id",
    "feed",
    "title",
    "link",
    "published",
    "updated",
    "first_seen",
    "authors",
    "categories",
    "language",
    "basis",
    "source_type",
    "asserted_by",
    "summary_method",
    "summary",
    "disclosure",
];

/// CSV with a header row (`CSV_HEADER`); lists are joined with "; ".
pub(crate) struct CsvStream<W: Write> {
    w: csv::Writer<W>,
}

impl<W: Write> CsvStream<W> {
    pub(crate) fn start(out: W) -> io::Result<Self> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(CSV_HEADER).map_err(csv_io)?;
        Ok(CsvStream { w })
    }

    pub(crate) fn entry(&mut self, e: &DigestEntry) -> io::Result<()> {
        self.w.write_record(csv_row(e)).map_err(csv_io)
    }

    pub(crate) fn finish(mut self) -> io::Result<()> {
        self.w.flush()
    }
}

/// The csv crate wraps write errors; unwrap them so their kind survives.
fn csv_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

fn csv_row(e: &DigestEntry) -> Vec<String> {
    let t = |d: Option<DateTime<Utc>>| d.map(|d| d.to_rfc3339()).unwrap_or_default();
    let d = e.disclosure.as_ref();
    vec![
        e.item_id.to_string(),
        e.feed_name.clone(),
        e.item.title.clone().unwrap_or_default(),
        e.item.link.clone().unwrap_or_default(),
        t(e.item.published),
        t(e.item.updated),
        e.first_seen.to_rfc3339(),
        e.item.authors.join("; "),
        e.item.categories.join("; "),
        e.article
            .as_ref()
            .and_then(|a| a.language.clone())
            .unwrap_or_default(),
        e.article
            .as_ref()
            .map(|a| a.extraction.basis.as_str().to_string())
            .unwrap_or_default(),
        d.map(|d| d.source_type.label.as_str().to_string())
            .unwrap_or_default(),
        d.and_then(|d| serde_json::to_value(d.source_type.asserted_by).ok())
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        e.summary
            .as_ref()
            .map(|s| s.method.as_str().to_string())
            .unwrap_or_default(),
        e.summary.as_ref().map(|s| s.text()).unwrap_or_default(),
        d.map(|d| d.lines.join(" | ")).unwrap_or_default(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Item;

    fn entry(id: i64, title: &str) -> DigestEntry {
        DigestEntry {
            item_id: id,
            feed_name: "Desk, \"A\"".into(),
            item: Item {
                title: Some(title.into()),
                authors: vec!["Ann".into(), "Bo".into()],
                ..Item::default()
            },
            ..DigestEntry::default()
        }
    }

    #[test]
    fn jsonl_writes_one_parseable_record_per_line() {
        let mut buf = Vec::new();
        let mut s = JsonlStream::new(&mut buf);
        s.entry(&entry(1, "one\ntwo")).unwrap();
        s.entry(&entry(2, "three")).unwrap();
        s.finish().unwrap();
        let text = String::from_utf8(buf).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        let back: DigestEntry = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(back.item.title.as_deref(), Some("one\ntwo"));
        assert_eq!(back.item_id, 1);
    }

    #[test]
    fn csv_quotes_fields_and_joins_lists() {
        let mut buf = Vec::new();
        let mut s = CsvStream::start(&mut buf).unwrap();
        s.entry(&entry(7, "a, b")).unwrap();
        s.finish().unwrap();
        let mut r = csv::Reader::from_reader(&buf[..]);
        assert_eq!(r.headers().unwrap().len(), CSV_HEADER.len());
        let row = r.records().next().unwrap().unwrap();
        assert_eq!(&row[0], "7");
        assert_eq!(&row[1], "Desk, \"A\"");
        assert_eq!(&row[2], "a, b");
        assert_eq!(&row[7], "Ann; Bo");
    }

    /// A reader that went away must surface as BrokenPipe, not a formatting error.
    #[test]
    fn write_errors_keep_their_kind() {
        struct Closed;
        impl Write for Closed {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::from(io::ErrorKind::BrokenPipe))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let e = JsonlStream::new(Closed).entry(&entry(1, "x")).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::BrokenPipe);
        let mut c = CsvStream::start(Closed).unwrap();
        // The csv writer buffers; the error shows on entry or at the latest on flush.
        let e = c
            .entry(&entry(1, "x"))
            .and_then(|_| c.finish())
            .unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::BrokenPipe);
    }
}
