//! The digest output formats and their names on the command line.

use std::fmt;
use std::str::FromStr;

/// A digest rendering (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Format {
    /// Markdown, as in ARCHITECTURE.md, "What a digest item looks like".
    #[default]
    Markdown,
    /// One self-contained HTML file (inline CSS, no scripts; JSON-LD per item).
    Html,
    /// The full records, as the `Digest` serializes.
    Json,
    /// Atom 1.0 (RFC 4287) with feedbrief's disclosure element.
    Atom,
    /// JSON Feed 1.1 with the record under `_feedbrief`.
    JsonFeed,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Markdown,
        Format::Html,
        Format::Json,
        Format::Atom,
        Format::JsonFeed,
    ];

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Json => "json",
            Format::Atom => "atom",
            Format::JsonFeed => "jsonfeed",
        }
    }

    /// Usual file extension, for naming `--out` files.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Json => "json",
            Format::Atom => "atom",
            Format::JsonFeed => "json",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A `--format` value that names no format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown digest format {0:?} (expected markdown, html, json, atom or jsonfeed)")]
pub struct UnknownFormat(pub(crate) String);

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "markdown" | "md" => Ok(Format::Markdown),
            "html" | "htm" => Ok(Format::Html),
            "json" => Ok(Format::Json),
            "atom" => Ok(Format::Atom),
            "jsonfeed" | "json-feed" | "json_feed" => Ok(Format::JsonFeed),
            _ => Err(UnknownFormat(s.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_parses_from_its_own_name() {
        for f in Format::ALL {
            assert_eq!(f.as_str().parse::<Format>(), Ok(f));
            assert_eq!(f.to_string().to_uppercase().parse::<Format>(), Ok(f));
        }
        assert_eq!("md".parse::<Format>(), Ok(Format::Markdown));
        let e = "pdf".parse::<Format>().unwrap_err();
        assert!(e.to_string().contains("\"pdf\""), "{e}");
    }
}
