//! The Markdown digest (ARCHITECTURE.md, "What a digest item looks like"): per item a
//! heading, source and time, the disclosure lines, the summary, and where to read the
//! full article.
//!
//! Blocks are separated by blank lines so CommonMark keeps the summary out of the last
//! disclosure bullet; foreign text is escaped so it cannot become links or HTML.

use std::io::{self, Write};

use super::Source;
use super::escape::markdown_inline;
use super::view::{EntryView, read_more_label, timezone};

/// Marks each disclosure line (U+25A0, `disclose::lines::MARK`).
pub(crate) const LINE_MARK: &str = crate::disclose::lines::MARK;

pub(crate) fn render<S: Source + ?Sized, W: Write + ?Sized>(
    digest: &S,
    out: &mut W,
) -> io::Result<()> {
    let head = digest.head();
    let tz = timezone(head.timezone);
    writeln!(out, "# {}", markdown_inline(head.title))?;
    if !head.period.trim().is_empty() {
        writeln!(out, "\n{}", markdown_inline(head.period))?;
    }
    let mut any = false;
    for (i, (name, count)) in digest.groups().into_iter().enumerate() {
        if count == 0 {
            continue;
        }
        let level = if name.trim().is_empty() {
            "##"
        } else {
            writeln!(out, "\n## {}", markdown_inline(name))?;
            "###"
        };
        digest.each_entry(i, &mut |entry| {
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
            Ok(())
        })?;
    }
    if !any {
        writeln!(out, "\nNo items in this period.")?;
    }
    Ok(())
}
