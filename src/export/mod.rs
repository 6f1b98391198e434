//! Digests and exports out of the store: the digest renderers (markdown, html, json,
//! atom, jsonfeed), the export row formats (`rows`: jsonl, csv), the digest query
//! (`digest`), and where output goes (`sink`: stdout, or `--out` written atomically).
//!
//! Renderers read a [`Source`]: the digest's head, its groups, and each group's entries
//! one at a time. A `Digest` in memory is one source; `digest::StoreDigest` streams
//! the entries from the store, so a digest of any size renders in constant memory and
//! gives the same bytes as the same digest held in memory.
//!
//! Renderers are pure: the same data gives the same bytes. Nothing reads the clock,
//! the environment or a hash map's order; dates come from the records. They write many
//! small pieces, so wrap a `File` in a `BufWriter`.

pub(crate) mod atom;
pub mod digest;
mod escape;
mod format;
pub(crate) mod html;
pub(crate) mod json;
pub(crate) mod jsonfeed;
pub(crate) mod markdown;
pub(crate) mod rows;
pub(crate) mod sink;
mod view;

use std::io::{self, Write};

use chrono::{DateTime, Utc};

use crate::model::{Digest, DigestEntry};

pub use format::{Format, UnknownFormat};

/// What a digest says about itself.
#[derive(Debug, Clone, Copy)]
pub struct Head<'a> {
    pub title: &'a str,
    pub period: &'a str,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub timezone: Option<&'a str>,
}

/// A digest as renderers read it: the head, the groups in display order (name and
/// number of entries), and the entries of one group, newest first.
pub trait Source {
    fn head(&self) -> Head<'_>;
    /// When the digest last changed: the newest summary (or entry) time, else the end
    /// of its period. Never the clock, so one database gives one timestamp.
    fn updated(&self) -> DateTime<Utc>;
    fn groups(&self) -> Vec<(&str, usize)>;
    fn each_entry(
        &self,
        group: usize,
        f: &mut dyn FnMut(&DigestEntry) -> io::Result<()>,
    ) -> io::Result<()>;
}

impl Source for Digest {
    fn head(&self) -> Head<'_> {
        Head {
            title: &self.title,
            period: &self.period,
            from: self.from,
            to: self.to,
            timezone: self.timezone.as_deref(),
        }
    }

    fn updated(&self) -> DateTime<Utc> {
        view::latest_change(self.groups.iter().flat_map(|g| g.entries.iter()), self.to)
    }

    fn groups(&self) -> Vec<(&str, usize)> {
        self.groups
            .iter()
            .map(|g| (g.name.as_str(), g.entries.len()))
            .collect()
    }

    fn each_entry(
        &self,
        group: usize,
        f: &mut dyn FnMut(&DigestEntry) -> io::Result<()>,
    ) -> io::Result<()> {
        for e in self
            .groups
            .get(group)
            .map(|g| &g.entries[..])
            .unwrap_or(&[])
        {
            f(e)?;
        }
        Ok(())
    }
}

/// Render `digest` as `format` into `out`.
pub(crate) fn render<S: Source + ?Sized, W: Write + ?Sized>(
    digest: &S,
    format: Format,
    out: &mut W,
) -> io::Result<()> {
    match format {
        Format::Markdown => markdown::render(digest, out),
        Format::Html => html::render(digest, out),
        Format::Json => json::render(digest, out),
        Format::Atom => atom::render(digest, out),
        Format::JsonFeed => jsonfeed::render(digest, out),
    }
}

/// Render into memory (for tests and small digests).
pub fn render_to_vec<S: Source + ?Sized>(digest: &S, format: Format) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    render(digest, format, &mut buf)?;
    Ok(buf)
}

/// How one entry serializes inside a streamed JSON array (`group` is the name of the
/// group it is in).
pub(crate) trait EntryAs {
    fn element<Q: serde::ser::SerializeSeq>(
        &self,
        seq: &mut Q,
        e: &DigestEntry,
        group: &str,
    ) -> Result<(), Q::Error>;
}

/// Serializes as a JSON array of the entries of one group (or of every group, in
/// order, for `None`), read from the source while the serializer writes: the JSON
/// renderers stream through serde this way, so the bytes are serde's own.
pub(crate) struct LazyEntries<'a, S: ?Sized, A> {
    pub(crate) source: &'a S,
    pub(crate) group: Option<usize>,
    pub(crate) as_: A,
}

impl<S: Source + ?Sized, A: EntryAs> serde::Serialize for LazyEntries<'_, S, A> {
    fn serialize<Z: serde::Serializer>(&self, ser: Z) -> Result<Z::Ok, Z::Error> {
        use serde::ser::{Error as _, SerializeSeq};
        let mut seq = ser.serialize_seq(None)?;
        let groups = self.source.groups();
        for (i, (name, _)) in groups.into_iter().enumerate() {
            if self.group.is_some_and(|g| g != i) {
                continue;
            }
            let mut failed: Option<Z::Error> = None;
            let read = self.source.each_entry(i, &mut |e| {
                self.as_.element(&mut seq, e, name).map_err(|err| {
                    failed = Some(err);
                    io::Error::other("serializer failed")
                })
            });
            if let Some(err) = failed {
                return Err(err);
            }
            read.map_err(Z::Error::custom)?;
        }
        seq.end()
    }
}
