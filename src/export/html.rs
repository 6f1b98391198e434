//! The HTML digest: one self-contained file that reads well on a phone and in an email
//! client. Styles are inline `style` attributes (many email clients drop `<style>`
//! blocks), there are no scripts and no external resources, and every item carries its
//! disclosure record as one `<script type="application/ld+json">` block (data, not code:
//! browsers never execute it).

use std::io::{self, Write};

use super::Source;
use super::escape::{html, json_for_script, safe_href};
use super::view::{EntryView, read_more_label, timezone};
use crate::disclose::{TOOL_VERSION, jsonld::item_jsonld};

const BODY: &str = "margin:0;padding:0;background:#f3f3ef;";
const WRAP: &str = "max-width:640px;margin:0 auto;padding:16px 12px;font-family:Georgia,'Times New Roman',serif;color:#1d1d1b;line-height:1.5;-webkit-text-size-adjust:100%;";
const H1: &str = "font-size:24px;line-height:1.25;margin:0 0 4px;";
const PERIOD: &str =
    "margin:0 0 20px;color:#5c5c58;font-size:14px;font-family:Helvetica,Arial,sans-serif;";
const H2: &str = "font-size:15px;letter-spacing:0.04em;text-transform:uppercase;color:#5c5c58;margin:28px 0 10px;font-family:Helvetica,Arial,sans-serif;";
const CARD: &str = "background:#ffffff;border:1px solid #dedcd5;border-radius:6px;padding:14px 16px;margin:0 0 16px;";
const H3: &str = "font-size:19px;line-height:1.3;margin:0 0 4px;";
const TITLE_LINK: &str = "color:#16325c;text-decoration:none;";
const META: &str =
    "margin:0 0 10px;color:#5c5c58;font-size:13px;font-family:Helvetica,Arial,sans-serif;";
const LINES: &str = "margin:0 0 10px;padding:8px 10px 8px 28px;background:#fbf6e4;border-left:3px solid #c49a1a;font-size:13px;line-height:1.4;color:#3d3a30;font-family:Helvetica,Arial,sans-serif;";
const LINE: &str = "margin:0 0 3px;";
const SUMMARY: &str = "margin:0 0 10px;font-size:16px;";
const MORE: &str = "margin:0;font-size:14px;font-family:Helvetica,Arial,sans-serif;";
const MORE_LINK: &str = "color:#16325c;word-break:break-all;";
const FOOTER: &str =
    "margin:24px 0 0;color:#77776f;font-size:12px;font-family:Helvetica,Arial,sans-serif;";

pub(crate) fn render<S: Source + ?Sized, W: Write + ?Sized>(
    digest: &S,
    out: &mut W,
) -> io::Result<()> {
    let head = digest.head();
    let tz = timezone(head.timezone);
    let title = html(head.title);
    let page_title = if head.period.trim().is_empty() {
        title.clone()
    } else {
        format!("{title} — {}", html(head.period))
    };
    writeln!(out, "<!DOCTYPE html>")?;
    writeln!(out, "<html lang=\"en\">")?;
    writeln!(out, "<head>")?;
    writeln!(out, "<meta charset=\"utf-8\">")?;
    writeln!(
        out,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    )?;
    writeln!(
        out,
        "<meta name=\"generator\" content=\"{}\">",
        html(TOOL_VERSION)
    )?;
    writeln!(out, "<title>{page_title}</title>")?;
    writeln!(out, "</head>")?;
    writeln!(out, "<body style=\"{BODY}\">")?;
    writeln!(out, "<div style=\"{WRAP}\">")?;
    writeln!(out, "<h1 style=\"{H1}\">{title}</h1>")?;
    if !head.period.trim().is_empty() {
        writeln!(out, "<p style=\"{PERIOD}\">{}</p>", html(head.period))?;
    }
    let mut any = false;
    for (i, (name, count)) in digest.groups().into_iter().enumerate() {
        if count == 0 {
            continue;
        }
        if !name.trim().is_empty() {
            writeln!(out, "<h2 style=\"{H2}\">{}</h2>", html(name))?;
        }
        digest.each_entry(i, &mut |entry| {
            any = true;
            let v = EntryView::new(entry, tz);
            let href = v.url.as_deref().and_then(safe_href);
            writeln!(out, "<div style=\"{CARD}\">")?;
            let title_lang = lang_attr(v.source_lang);
            match &href {
                Some(h) => writeln!(
                    out,
                    "<h3{title_lang} style=\"{H3}\"><a href=\"{}\" style=\"{TITLE_LINK}\">{}</a></h3>",
                    html(h),
                    html(&v.title)
                )?,
                None => writeln!(
                    out,
                    "<h3{title_lang} style=\"{H3}\">{}</h3>",
                    html(&v.title)
                )?,
            }
            writeln!(out, "<p style=\"{META}\">{}</p>", html(&v.byline()))?;
            if !v.lines.is_empty() {
                writeln!(out, "<ul style=\"{LINES}\">")?;
                for line in v.lines {
                    writeln!(out, "<li style=\"{LINE}\">{}</li>", html(line))?;
                }
                writeln!(out, "</ul>")?;
            }
            if let Some(summary) = &v.summary {
                writeln!(
                    out,
                    "<p{} style=\"{SUMMARY}\">{}</p>",
                    lang_attr(v.summary_lang),
                    html(summary)
                )?;
            }
            if let Some(url) = &v.url {
                let label = html(&read_more_label(v.site_name()));
                match &href {
                    Some(h) => writeln!(
                        out,
                        "<p style=\"{MORE}\">{label} <a href=\"{}\" style=\"{MORE_LINK}\">{}</a></p>",
                        html(h),
                        html(url)
                    )?,
                    None => writeln!(out, "<p style=\"{MORE}\">{label} {}</p>", html(url))?,
                }
            }
            let record = serde_json::to_string(&item_jsonld(entry)).map_err(io::Error::other)?;
            writeln!(
                out,
                "<script type=\"application/ld+json\">{}</script>",
                json_for_script(&record)
            )?;
            writeln!(out, "</div>")?;
            Ok(())
        })?;
    }
    if !any {
        writeln!(out, "<p style=\"{SUMMARY}\">No items in this period.</p>")?;
    }
    writeln!(
        out,
        "<p style=\"{FOOTER}\">Made by {}. Summaries are machine-generated and not reviewed by a person; each item says how it was made and what kind of publication its source is.</p>",
        html(TOOL_VERSION)
    )?;
    writeln!(out, "</div>")?;
    writeln!(out, "</body>")?;
    writeln!(out, "</html>")?;
    Ok(())
}

/// ` lang="zh-CN"` for text not in the page's language (English), else nothing.
fn lang_attr(lang: Option<&str>) -> String {
    match lang {
        Some(l) if !(l.eq_ignore_ascii_case("en") || l.to_ascii_lowercase().starts_with("en-")) => {
            format!(" lang=\"{}\"", html(l))
        }
        _ => String::new(),
    }
}
