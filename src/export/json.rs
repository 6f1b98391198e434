//! The JSON digest: the full records (item, article metadata and text, summary,
//! disclosure) exactly as `Digest` serializes, so the output parses back into a
//! `Digest`. Struct fields serialize in declaration order and the model holds no maps,
//! so the bytes are stable.

use std::io::{self, Write};

use crate::model::Digest;

pub fn render<W: Write + ?Sized>(digest: &Digest, out: &mut W) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, digest).map_err(io::Error::other)?;
    writeln!(out)
}
