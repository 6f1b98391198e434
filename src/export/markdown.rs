//! The Markdown digest (ARCHITECTURE.md, "What a digest item looks like"): per item a
//! heading, source and time, the disclosure lines, the summary, and where to read the
//! full article.
//!
//! Blocks are separated by blank lines so CommonMark keeps the summary out of the last
//! disclosure bullet; foreign text is escaped so it cannot become links or HTML.

use std::io::{self, Write};

use super::escape::markdown_inline;
use super::view::{EntryView, read_more_label, timezone};
use crate::model::Digest;

/// Marks each disclosure line (U+25A0, `disclose::lines::MARK`).
pub const LINE_MARK: &str = crate::disclose::lines::MARK;

pub fn render<W: Write + ?Sized>(digest: &Digest, out: &mut W) -> io::Result<()> {
    let tz = timezone(digest);
    writeln!(out, "# {}", markdown_inline(&digest.title))?;
    if !digest.period.trim().is_empty() {
        writeln!(out, "\n{}", markdown_inline(&digest.period))?;
    }
    let mut any = false;
    for group in &digest.groups {
        if group.entries.is_empty() {
            continue;
        }
        let level = if group.name.trim().is_empty() {
            "##"
        } else {
            writeln!(out, "\n## {}", markdown_inline(&group.name))?;
            "###"
        };
        for entry in &group.entries {
            any = true;
            let v = EntryView::new(entry, tz);
            writeln!(out, "\n{level} {}\n", markdown_inline(&v.title))?;
            writeln!(out, "{}", markdown_inline(&v.byline()))?;
            if !v.lines.is_empty() {
                writeln!(out)?;
                for line in v.lines {
                    writeln!(out, "- {LINE_MARK} {}", markdown_inline(line))?;
                }
            }
            if let Some(summary) = &v.summary {
                writeln!(out, "\n{}", markdown_inline(summary))?;
            }
            if let Some(url) = &v.url {
                // The URL stays bare (escaping would break it); stored links are
                // normalized by the url crate, so they hold no spaces or brackets
                // that could end them early.
                writeln!(
                    out,
                    "\n{} {}",
                    markdown_inline(&read_more_label(v.site_name())),
                    url.trim()
                )?;
            }
        }
    }
    if !any {
        writeln!(out, "\nNo items in this period.")?;
    }
    Ok(())
}
