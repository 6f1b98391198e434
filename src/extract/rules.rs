//! Per-site rules in the FiveFilters site-config format (`body:`, `strip:`, `title:`,
//! `date:`, `author:`, `strip_id_or_class:` lines; XPath or CSS), loaded from a folder
//! of `<host>.txt` files (`.<domain>.txt` covers every subdomain). XPath is translated
//! to CSS selectors: the subset rule files use (`//tag[@a="x"]`, `contains(@class,'x')`,
//! `starts-with`, `and`/`or`/`not`, descendant and child steps, unions, positions,
//! a trailing `/@attr`) is supported; anything else is an error naming file and line.

use std::collections::HashMap;
use std::path::Path;

use scraper::Selector;

use crate::error::{Error, Result};

/// A selector and, for `title:`/`date:` lines ending in `/@attr`, the attribute to read.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub(crate) selector: Selector,
    pub(crate) attr: Option<String>,
}

/// The rules for one site.
#[derive(Debug, Clone, Default)]
pub struct SiteRule {
    pub(crate) body: Vec<Rule>,
    pub(crate) strip: Vec<Rule>,
    pub(crate) title: Vec<Rule>,
    pub(crate) date: Vec<Rule>,
    pub(crate) author: Vec<Rule>,
}

/// Per-site extraction rules (FiveFilters site-config format), loaded once.
#[derive(Debug, Clone, Default)]
pub struct SiteRules {
    sites: HashMap<String, SiteRule>,
}

impl SiteRules {
    /// Load every `*.txt` rule file in `dir`. A line that cannot be used is an error
    /// naming the file and line.
    pub fn load_dir(dir: &Path) -> Result<SiteRules> {
        let mut sites = HashMap::new();
        let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        let mut paths = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(dir, e))?;
            let path = entry.path();
            if path.extension().is_some_and(|x| x == "txt") && path.is_file() {
                paths.push(path);
            }
        }
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            let rule = parse_file(&text).map_err(|(line, message)| Error::Config {
                file: path.clone(),
                line,
                message,
            })?;
            let Some(host) = path.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            sites.insert(host.to_ascii_lowercase(), rule);
        }
        Ok(SiteRules { sites })
    }

    /// Rules from one file's text, for `host` (unit tests).
    #[cfg(test)]
    pub(crate) fn insert_from_str(&mut self, host: &str, text: &str) -> Result<()> {
        let rule = parse_file(text).map_err(|(line, message)| Error::Config {
            file: format!("{host}.txt").into(),
            line,
            message,
        })?;
        self.sites.insert(host.to_ascii_lowercase(), rule);
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.sites.is_empty()
    }

    pub fn len(&self) -> usize {
        self.sites.len()
    }

    /// The rules for a host: the exact host, the host without `www.`, then wildcard
    /// files (`.example.com`) for it and each parent domain.
    pub fn for_host(&self, host: &str) -> Option<&SiteRule> {
        if self.sites.is_empty() {
            return None;
        }
        let host = host.to_ascii_lowercase();
        let bare = host.strip_prefix("www.").unwrap_or(&host);
        if let Some(r) = self.sites.get(&host).or_else(|| self.sites.get(bare)) {
            return Some(r);
        }
        let mut rest = host.as_str();
        loop {
            if let Some(r) = self.sites.get(&format!(".{rest}")) {
                return Some(r);
            }
            match rest.split_once('.') {
                Some((_, tail)) if tail.contains('.') => rest = tail,
                _ => return None,
            }
        }
    }
}

fn parse_file(text: &str) -> std::result::Result<SiteRule, (usize, String)> {
    let mut rule = SiteRule::default();
    for (n, raw) in text.lines().enumerate() {
        let line_no = n + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            return Err((line_no, format!("expected `key: value`, found {line:?}")));
        };
        let key = key.trim();
        let value = value.trim();
        let target = match key {
            "body" => &mut rule.body,
            "strip" => &mut rule.strip,
            "title" => &mut rule.title,
            "date" => &mut rule.date,
            "author" => &mut rule.author,
            "strip_id_or_class" => {
                let v = value.trim_matches(|c| c == '"' || c == '\'');
                if v.is_empty() || v.contains(['"', '\\']) {
                    return Err((line_no, format!("bad strip_id_or_class value {v:?}")));
                }
                let css = format!("[class*=\"{v}\"], [id*=\"{v}\"]");
                rule.strip
                    .push(compile_css(&css).map_err(|e| (line_no, e))?);
                continue;
            }
            // Other directives of the format (test_url, prune, tidy, single_page_link,
            // replace_string(...), http_header(...), ...) do not apply to extraction
            // from a saved page; they are valid and ignored.
            k if k
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-()[]'\". /".contains(c)) =>
            {
                continue;
            }
            _ => return Err((line_no, format!("unknown directive {key:?}"))),
        };
        if value.is_empty() {
            return Err((line_no, format!("`{key}:` needs a selector")));
        }
        let compiled = if looks_like_xpath(value) {
            let (css, attr) = xpath_to_css(value).map_err(|e| (line_no, e))?;
            let mut r = compile_css(&css).map_err(|e| (line_no, e))?;
            r.attr = attr;
            r
        } else {
            compile_css(value).map_err(|e| (line_no, e))?
        };
        target.push(compiled);
    }
    Ok(rule)
}

fn compile_css(css: &str) -> std::result::Result<Rule, String> {
    Selector::parse(css)
        .map(|selector| Rule {
            selector,
            attr: None,
        })
        .map_err(|e| format!("bad selector {css:?}: {e}"))
}

fn looks_like_xpath(v: &str) -> bool {
    v.starts_with('/')
        || v.starts_with('(')
        || v.starts_with("./")
        || v.contains("[@")
        || v.starts_with("id(")
}

/// Translate the XPath subset used by site-config files into a CSS selector list, plus
/// the attribute a trailing `/@attr` step names.
pub(crate) fn xpath_to_css(xpath: &str) -> std::result::Result<(String, Option<String>), String> {
    let mut p = XParser {
        s: xpath.as_bytes(),
        i: 0,
        src: xpath,
    };
    let (alts, attr) = p.union()?;
    p.ws();
    if p.i != p.s.len() {
        return Err(p.err("unexpected text"));
    }
    Ok((alts.join(", "), attr))
}

struct XParser<'a> {
    s: &'a [u8],
    i: usize,
    src: &'a str,
}

impl XParser<'_> {
    fn err(&self, what: &str) -> String {
        format!(
            "unsupported XPath {:?}: {what} at column {}",
            self.src,
            self.i + 1
        )
    }
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }
    fn eat(&mut self, t: &str) -> bool {
        self.ws();
        if self.s[self.i..].starts_with(t.as_bytes()) {
            self.i += t.len();
            true
        } else {
            false
        }
    }
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn name(&mut self) -> std::result::Result<String, String> {
        self.ws();
        let start = self.i;
        while self.i < self.s.len()
            && (self.s[self.i].is_ascii_alphanumeric()
                || matches!(self.s[self.i], b'-' | b'_' | b':'))
        {
            self.i += 1;
        }
        if start == self.i {
            return Err(self.err("expected a name"));
        }
        Ok(self.src[start..self.i].to_string())
    }
    fn literal(&mut self) -> std::result::Result<String, String> {
        self.ws();
        let q = self.peek().ok_or_else(|| self.err("expected a string"))?;
        if q != b'"' && q != b'\'' {
            return Err(self.err("expected a quoted string"));
        }
        let start = self.i + 1;
        let end = self.s[start..]
            .iter()
            .position(|&c| c == q)
            .ok_or_else(|| self.err("unterminated string"))?;
        self.i = start + end + 1;
        let v = &self.src[start..start + end];
        if v.contains(['"', '\\']) {
            return Err(self.err("quote or backslash in string"));
        }
        Ok(v.to_string())
    }

    /// path ('|' path)*, optionally wrapped in parentheses.
    fn union(&mut self) -> std::result::Result<(Vec<String>, Option<String>), String> {
        let mut alts = Vec::new();
        let mut attr = None;
        loop {
            self.ws();
            let (a, at) = if self.eat("(") {
                let r = self.union()?;
                if !self.eat(")") {
                    return Err(self.err("expected `)`"));
                }
                r
            } else {
                self.path()?
            };
            alts.extend(a);
            attr = attr.or(at);
            if !self.eat("|") {
                break;
            }
        }
        Ok((alts, attr))
    }

    fn path(&mut self) -> std::result::Result<(Vec<String>, Option<String>), String> {
        self.ws();
        let mut alts = vec![String::new()];
        let mut first = true;
        if self.eat("id(") {
            let id = self.literal()?;
            if !self.eat(")") {
                return Err(self.err("expected `)`"));
            }
            alts = vec![format!("[id=\"{id}\"]")];
            first = false;
        } else if self.eat(".") && self.peek() != Some(b'/') {
            return Err(self.err("relative paths are not supported"));
        }
        loop {
            self.ws();
            let combinator = if self.eat("//") {
                " "
            } else if self.eat("/") {
                if first { "" } else { " > " }
            } else if first {
                ""
            } else {
                break;
            };
            self.ws();
            if self.peek() == Some(b'@') {
                self.i += 1;
                let a = self.name()?;
                return Ok((
                    alts.into_iter().map(|s| s.trim().to_string()).collect(),
                    Some(a),
                ));
            }
            if self.s[self.i..].starts_with(b"text()") || self.s[self.i..].starts_with(b"node()") {
                return Err(self.err("text()/node() steps select no element"));
            }
            let step = self.step()?;
            let mut next = Vec::with_capacity(alts.len() * step.len());
            for a in &alts {
                for s in &step {
                    let sep = if first { "" } else { combinator };
                    next.push(format!("{a}{sep}{s}"));
                }
            }
            alts = next;
            first = false;
        }
        if alts.iter().all(|a| a.is_empty()) {
            return Err(self.err("empty path"));
        }
        Ok((alts, None))
    }

    /// name-or-* predicate* -> compound selectors (one per `or` alternative).
    fn step(&mut self) -> std::result::Result<Vec<String>, String> {
        self.ws();
        let tag = if self.eat("*") {
            String::new()
        } else {
            self.name()?.to_ascii_lowercase()
        };
        if tag.contains(':') {
            return Err(self.err("axes are not supported"));
        }
        let mut alts = vec![tag.clone()];
        while self.eat("[") {
            let preds = self.pred_or(&tag)?;
            if !self.eat("]") {
                return Err(self.err("expected `]`"));
            }
            let mut next = Vec::new();
            for a in &alts {
                for p in &preds {
                    next.push(format!("{a}{p}"));
                }
            }
            alts = next;
        }
        Ok(alts
            .into_iter()
            .map(|a| if a.is_empty() { "*".into() } else { a })
            .collect())
    }

    fn pred_or(&mut self, tag: &str) -> std::result::Result<Vec<String>, String> {
        let mut alts = self.pred_and(tag)?;
        while self.eat("or ") {
            alts.extend(self.pred_and(tag)?);
        }
        Ok(alts)
    }

    fn pred_and(&mut self, tag: &str) -> std::result::Result<Vec<String>, String> {
        let mut alts = self.pred_term(tag)?;
        while self.eat("and ") {
            let rhs = self.pred_term(tag)?;
            let mut next = Vec::new();
            for a in &alts {
                for b in &rhs {
                    next.push(format!("{a}{b}"));
                }
            }
            alts = next;
        }
        Ok(alts)
    }

    fn pred_term(&mut self, tag: &str) -> std::result::Result<Vec<String>, String> {
        self.ws();
        if self.eat("(") {
            let r = self.pred_or(tag)?;
            if !self.eat(")") {
                return Err(self.err("expected `)`"));
            }
            return Ok(r);
        }
        if self.eat("not(") {
            let inner = self.pred_or(tag)?;
            if !self.eat(")") {
                return Err(self.err("expected `)`"));
            }
            return Ok(vec![format!(":not({})", inner.join(", "))]);
        }
        if self.eat("@") {
            let a = self.name()?;
            if self.eat("=") {
                let v = self.literal()?;
                return Ok(vec![format!("[{a}=\"{v}\"]")]);
            }
            if self.eat("!=") {
                let v = self.literal()?;
                return Ok(vec![format!(":not([{a}=\"{v}\"])")]);
            }
            return Ok(vec![format!("[{a}]")]);
        }
        if self.eat("contains(") {
            // contains(concat(' ', normalize-space(@class), ' '), ' x ') is the
            // whole-token idiom: CSS `~=`.
            if self.eat("concat(") {
                self.literal()?;
                if !self.eat(",") || !self.eat("normalize-space(") || !self.eat("@") {
                    return Err(self.err("unsupported concat()"));
                }
                let a = self.name()?;
                if !(self.eat(")") && self.eat(",") && self.literal().is_ok() && self.eat(")")) {
                    return Err(self.err("unsupported concat()"));
                }
                if !self.eat(",") {
                    return Err(self.err("expected `,`"));
                }
                let v = self.literal()?;
                if !self.eat(")") {
                    return Err(self.err("expected `)`"));
                }
                return Ok(vec![format!("[{a}~=\"{}\"]", v.trim())]);
            }
            if !self.eat("@") {
                return Err(self.err("contains() needs an attribute"));
            }
            let a = self.name()?;
            if !self.eat(",") {
                return Err(self.err("expected `,`"));
            }
            let v = self.literal()?;
            if !self.eat(")") {
                return Err(self.err("expected `)`"));
            }
            return Ok(vec![format!("[{a}*=\"{v}\"]")]);
        }
        if self.eat("starts-with(") {
            if !self.eat("@") {
                return Err(self.err("starts-with() needs an attribute"));
            }
            let a = self.name()?;
            if !self.eat(",") {
                return Err(self.err("expected `,`"));
            }
            let v = self.literal()?;
            if !self.eat(")") {
                return Err(self.err("expected `)`"));
            }
            return Ok(vec![format!("[{a}^=\"{v}\"]")]);
        }
        if self.eat("last()") {
            return Ok(vec![if tag.is_empty() {
                ":last-child".into()
            } else {
                ":last-of-type".into()
            }]);
        }
        self.ws();
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        if start < self.i {
            let n = &self.src[start..self.i];
            return Ok(vec![if tag.is_empty() {
                format!(":nth-child({n})")
            } else {
                format!(":nth-of-type({n})")
            }]);
        }
        Err(self.err("unsupported predicate"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn css(x: &str) -> String {
        xpath_to_css(x).unwrap().0
    }

    #[test]
    fn common_xpath_shapes_translate() {
        assert_eq!(
            css("//div[@class='article-body']"),
            "div[class=\"article-body\"]"
        );
        assert_eq!(
            css("//div[contains(@class, 'story')]"),
            "div[class*=\"story\"]"
        );
        assert_eq!(css("//*[@id=\"main\"]//p"), "[id=\"main\"] p");
        assert_eq!(css("//article/div[1]"), "article > div:nth-of-type(1)");
        assert_eq!(
            css("//div[@class='a'] | //section[starts-with(@id,'b')]"),
            "div[class=\"a\"], section[id^=\"b\"]"
        );
        assert_eq!(
            css("//div[contains(@class,'x') or @id='y']"),
            "div[class*=\"x\"], div[id=\"y\"]"
        );
        assert_eq!(
            css(
                "//div[contains(concat(' ',normalize-space(@class),' '),' body ') and not(@id='ad')]"
            ),
            "div[class~=\"body\"]:not([id=\"ad\"])"
        );
        assert_eq!(
            xpath_to_css("//meta[@property='article:published_time']/@content").unwrap(),
            (
                "meta[property=\"article:published_time\"]".into(),
                Some("content".into())
            )
        );
    }

    #[test]
    fn unsupported_xpath_is_an_error() {
        for x in [
            "//p/text()",
            "//div[position()>2]",
            "//div[",
            "//ancestor::div",
        ] {
            assert!(xpath_to_css(x).is_err(), "{x}");
        }
    }

    #[test]
    fn bad_line_names_its_line() {
        let err = parse_file("title: //h1\n\nbody: //div[@class=\n").unwrap_err();
        assert_eq!(err.0, 3);
        let err = parse_file("# comment\nnot a rule\n").unwrap_err();
        assert_eq!(err.0, 2);
        assert!(
            parse_file("test_url: https://example.com/a\nprune: no\nbody: article .text\n").is_ok()
        );
    }

    #[test]
    fn hosts_match_exactly_without_www_and_by_wildcard() {
        let mut rules = SiteRules::default();
        rules
            .insert_from_str("example.com", "body: article")
            .unwrap();
        rules.insert_from_str(".news.org", "body: main").unwrap();
        assert!(rules.for_host("www.example.com").is_some());
        assert!(rules.for_host("example.com").is_some());
        assert!(rules.for_host("blog.example.com").is_none());
        assert!(rules.for_host("eu.edition.news.org").is_some());
        assert!(rules.for_host("news.org").is_some());
        assert!(rules.for_host("other.net").is_none());
    }
}
