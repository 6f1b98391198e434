//! Digests out of the store: the renderers (markdown, html, json, atom, jsonfeed) that
//! turn a `Digest` into bytes, writing into `impl Write`. (The digest query that builds
//! a `Digest` from the store lives beside them.)
//!
//! Renderers are pure: the same `Digest` gives the same bytes. Nothing reads the clock,
//! the environment or a hash map's order; dates come from the records. They write many
//! small pieces, so wrap a `File` in a `BufWriter`.

pub mod atom;
pub mod digest;
mod escape;
mod format;
pub mod html;
pub mod json;
pub mod jsonfeed;
pub mod markdown;
mod view;

use std::io::{self, Write};

use crate::model::Digest;

pub use format::{Format, UnknownFormat};
pub use view::{UNTITLED, format_time};

/// Render `digest` as `format` into `out`.
pub fn render<W: Write + ?Sized>(digest: &Digest, format: Format, out: &mut W) -> io::Result<()> {
    match format {
        Format::Markdown => markdown::render(digest, out),
        Format::Html => html::render(digest, out),
        Format::Json => json::render(digest, out),
        Format::Atom => atom::render(digest, out),
        Format::JsonFeed => jsonfeed::render(digest, out),
    }
}

/// Render into memory (for `--out` written atomically, and for tests).
pub fn render_to_vec(digest: &Digest, format: Format) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    render(digest, format, &mut buf)?;
    Ok(buf)
}
