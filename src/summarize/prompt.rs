//! The versioned prompt template of the llm summarizer: bundled into the binary from
//! `prompts/summary-v1.toml`, or read from the `prompt_file` the config names. Rendering
//! is one pass, so article text that happens to contain `{title}` stays literal.

use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::text::language;
use crate::util::sha256_hex;

const BUNDLED: &str = include_str!("../../prompts/summary-v1.toml");

/// Placeholders a template may use.
const PLACEHOLDERS: &[&str] = &["title", "text", "language", "sentences", "words", "length"];

/// A parsed prompt template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Prompt {
    /// Recorded with every summary and part of the cache key.
    pub(crate) version: String,
    system: String,
    user: String,
}

/// Values for one rendering.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PromptVars<'a> {
    pub(crate) title: Option<&'a str>,
    pub(crate) text: &'a str,
    /// ISO 639-1 code of the article's language, if known.
    pub(crate) lang: Option<&'a str>,
    pub(crate) sentences: usize,
    pub(crate) words: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrompt {
    version: Option<String>,
    system: String,
    user: String,
}

impl Prompt {
    /// The template shipped in the binary.
    pub(crate) fn bundled() -> Result<Prompt> {
        Prompt::parse(BUNDLED, Path::new("prompts/summary-v1.toml"), false)
    }

    /// A template file named in the config. Its version gets the file's hash appended,
    /// so editing the file without bumping `version` still invalidates cached summaries.
    pub(crate) fn load(path: &Path) -> Result<Prompt> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Prompt::parse(&text, path, true)
    }

    fn parse(text: &str, path: &Path, custom: bool) -> Result<Prompt> {
        let err = |line: usize, message: String| Error::Config {
            file: path.to_path_buf(),
            line,
            message,
        };
        let raw: RawPrompt = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| {
                text[..s.start.min(text.len())].lines().count().max(1)
            });
            err(line, format!("prompt template: {}", e.message()))
        })?;
        for (name, body) in [("system", &raw.system), ("user", &raw.user)] {
            if let Some(bad) = unknown_placeholder(body) {
                return Err(err(
                    1,
                    format!(
                        "prompt template: unknown placeholder {{{bad}}} in `{name}` (known: {})",
                        PLACEHOLDERS.join(", ")
                    ),
                ));
            }
        }
        if !raw.user.contains("{text}") {
            return Err(err(
                1,
                "prompt template: `user` must contain the {text} placeholder".into(),
            ));
        }
        let declared = raw.version.unwrap_or_else(|| "custom".to_string());
        let version = if custom {
            let hash = sha256_hex(&[text]);
            // "sha256:" + 8 hex digits is plenty to tell edits apart.
            format!("{declared}+{}", &hash[7..15])
        } else {
            declared
        };
        Ok(Prompt {
            version,
            system: raw.system.trim().to_string(),
            user: raw.user.trim().to_string(),
        })
    }

    /// The system and user messages for one article.
    pub(crate) fn render(&self, v: &PromptVars<'_>) -> (String, String) {
        (fill(&self.system, v), fill(&self.user, v))
    }
}

/// English name of a language for the instruction "Write in ...".
pub(crate) fn language_name(lang: Option<&str>) -> &'static str {
    match lang {
        Some("en") => "English",
        Some("de") => "German",
        Some("fr") => "French",
        Some("es") => "Spanish",
        Some("it") => "Italian",
        Some("pt") => "Portuguese",
        Some("nl") => "Dutch",
        Some("ru") => "Russian",
        Some("uk") => "Ukrainian",
        Some("pl") => "Polish",
        Some("cs") => "Czech",
        Some("sv") => "Swedish",
        Some("da") => "Danish",
        Some("no" | "nb" | "nn") => "Norwegian",
        Some("fi") => "Finnish",
        Some("hu") => "Hungarian",
        Some("ro") => "Romanian",
        Some("tr") => "Turkish",
        Some("el") => "Greek",
        Some("ar") => "Arabic",
        Some("zh") => "Chinese",
        Some("ja") => "Japanese",
        Some("ko") => "Korean",
        _ => "the same language as the article",
    }
}

fn fill(template: &str, v: &PromptVars<'_>) -> String {
    let cjk = language::is_cjk_lang(v.lang);
    let mut out = String::with_capacity(template.len() + v.text.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}');
        let name = close.map(|c| &after[..c]);
        match name {
            Some(n) if PLACEHOLDERS.contains(&n) => {
                match n {
                    "title" => {
                        out.push_str(v.title.filter(|t| !t.trim().is_empty()).unwrap_or("(none)"))
                    }
                    "text" => out.push_str(v.text),
                    "language" => out.push_str(language_name(v.lang)),
                    "sentences" => out.push_str(&v.sentences.to_string()),
                    "words" => out.push_str(&v.words.to_string()),
                    _ => {
                        if cjk {
                            out.push_str(&format!("about {} characters", v.words * 2));
                        } else {
                            out.push_str(&format!("about {} words", v.words));
                        }
                    }
                }
                rest = &after[n.len() + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The first `{identifier}` that is not a known placeholder (a typo in a template).
fn unknown_placeholder(body: &str) -> Option<String> {
    let mut rest = body;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        if let Some(close) = after.find('}') {
            let name = &after[..close];
            let ident =
                !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_');
            if ident && !PLACEHOLDERS.contains(&name) {
                return Some(name.to_string());
            }
        }
        rest = after;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_prompt_parses_and_renders_once() {
        let p = Prompt::bundled().unwrap();
        assert_eq!(p.version, "news-summary-v1");
        let (system, user) = p.render(&PromptVars {
            title: Some("Council closes library"),
            text: "The article mentions {title} literally.",
            lang: Some("en"),
            sentences: 3,
            words: 75,
        });
        assert!(system.contains("Write in English."));
        assert!(user.contains("Headline: Council closes library"));
        assert!(user.contains("The article mentions {title} literally."));
        assert!(user.contains("at most 3 sentences (about 75 words)"));
    }

    #[test]
    fn typos_in_custom_templates_are_config_errors() {
        let bad = "version = \"x\"\nsystem = \"s\"\nuser = \"{txt}\"\n";
        let e = Prompt::parse(bad, Path::new("p.toml"), true).unwrap_err();
        assert!(e.to_string().contains("unknown placeholder {txt}"), "{e}");
        let missing = "system = \"s\"\nuser = \"no text here\"\n";
        assert!(Prompt::parse(missing, Path::new("p.toml"), true).is_err());
        let ok = "version = \"mine\"\nsystem = \"s\"\nuser = \"{text}\"\n";
        let p = Prompt::parse(ok, Path::new("p.toml"), true).unwrap();
        assert!(p.version.starts_with("mine+"), "{}", p.version);
    }
}
