//! Which text an item's record is made from: the article page's or the feed's own.
//! The policy lives here, as a plain function over what the pipeline fetched, so each
//! case (teaser page, paywall stub, page missing) is tested without a network.

use crate::model::{Article, Basis, Extraction, Item};

/// Feed text at least this long (in words), from the entry's full content, counts as
/// the full article.
pub(crate) const FULL_FEED_TEXT_WORDS: usize = 150;

/// What became of the item's article page.
#[derive(Debug)]
pub(crate) enum Page {
    /// Not wanted (`full_text = false`) or the item has no usable link.
    NotFetched,
    /// The fetch failed; the reason goes into the record's note.
    FetchFailed(String),
    /// Fetched, but not a page text could be extracted from.
    ExtractFailed(String),
    /// Fetched and extracted.
    Extracted(Box<Article>),
}

/// The article for an item: the page's text when the page gave at least as much as the
/// feed carries, else the feed's own text with the page's metadata; the extraction
/// record says which and why.
pub(crate) fn article(item: &Item, page: Page) -> Article {
    let from_feed = from_feed(item);
    match page {
        Page::NotFetched => from_feed,
        Page::FetchFailed(e) => with_note(from_feed, format!("page not retrieved: {e}")),
        Page::ExtractFailed(e) => with_note(from_feed, format!("page not extracted: {e}")),
        Page::Extracted(a) => {
            let mut a = *a;
            let walled = mark_wall(&mut a);
            let feed_words = from_feed.extraction.word_count;
            if a.extraction.word_count < feed_words {
                // The feed carries more than the page gave us (teaser page, paywall,
                // extraction miss): keep the page's metadata, use the feed's text.
                let mut note = format!(
                    "page gave {} words, the feed {}; using the feed's text",
                    a.extraction.word_count, feed_words
                );
                if let (true, Some(wall)) = (walled, a.extraction.note.as_deref()) {
                    note = format!("{wall}; {note}");
                }
                let page_basis = a.extraction.basis;
                a.text = from_feed.text;
                a.extraction = Extraction {
                    method: "feed".into(),
                    word_count: feed_words,
                    basis: if from_feed.extraction.basis == Basis::FullText {
                        Basis::FullText
                    } else if page_basis == Basis::Partial {
                        Basis::Partial
                    } else {
                        Basis::FeedExcerpt
                    },
                    note: Some(note),
                };
            }
            if a.title.is_none() {
                a.title = item.title.clone();
            }
            if a.authors.is_empty() {
                a.authors = item.authors.clone();
            }
            a.published = a.published.or(item.published);
            a
        }
    }
}

/// A subscription or login wall written in the page's text (`paywall::find_wall`):
/// its lines leave the text, the basis becomes `partial`, the note quotes the wall, and
/// the page counts as not free to read (which gives the record its paywall line) unless
/// its markup says it is free. True when there was one.
fn mark_wall(a: &mut Article) -> bool {
    if a.accessible_for_free == Some(true) {
        return false;
    }
    let Some(wall) = super::paywall::find_wall(&a.text) else {
        return false;
    };
    // A wall is the end of a teaser: with no text before it, the line is a sign-up
    // prompt on a page with no article ("new releases and subscriber exclusives" on a
    // shop page), and stripping it would leave the item nothing to summarize.
    if wall.text.trim().is_empty() {
        return false;
    }
    let quoted: String = wall.notice.chars().take(160).collect();
    a.text = wall.text;
    a.extraction.word_count = super::word_count(&a.text);
    a.extraction.basis = Basis::Partial;
    a.extraction.note = Some(format!("paywall: the page says \"{quoted}\""));
    a.accessible_for_free = Some(false);
    true
}

fn with_note(mut a: Article, note: String) -> Article {
    a.extraction.note = Some(note);
    a
}

/// An Article made from the feed entry alone.
pub(crate) fn from_feed(item: &Item) -> Article {
    let text = item.feed_text().unwrap_or("").trim().to_string();
    let words = text.split_whitespace().count();
    let from_content = item
        .content_text
        .as_deref()
        .is_some_and(|c| c.trim() == text);
    Article {
        url: item.link.clone().unwrap_or_default(),
        title: item.title.clone(),
        authors: item.authors.clone(),
        published: item.published,
        modified: item.updated,
        extraction: Extraction {
            method: "feed".into(),
            word_count: words,
            basis: if from_content && words >= FULL_FEED_TEXT_WORDS {
                Basis::FullText
            } else {
                Basis::FeedExcerpt
            },
            note: None,
        },
        text,
        ..Article::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SENTENCE: &str = "The regional council voted on Thursday to extend the tram line. ";

    fn item(summary: &str, content: Option<String>) -> Item {
        Item {
            key: "k".into(),
            title: Some("Tram line extended".into()),
            link: Some("https://news.example/tram".into()),
            summary: Some(summary.into()),
            content_text: content,
            ..Item::default()
        }
    }

    fn page(words: usize, basis: Basis) -> Article {
        let text = "word ".repeat(words).trim().to_string();
        Article {
            url: "https://news.example/tram".into(),
            title: None,
            text,
            extraction: Extraction {
                method: "scored".into(),
                word_count: words,
                basis,
                note: None,
            },
            ..Article::default()
        }
    }

    #[test]
    fn a_teaser_page_yields_to_full_feed_content() {
        let it = item("Council extends the line.", Some(SENTENCE.repeat(20)));
        let a = article(&it, Page::Extracted(Box::new(page(12, Basis::FullText))));
        assert_eq!(a.extraction.method, "feed");
        assert_eq!(a.extraction.basis, Basis::FullText);
        assert!(a.text.starts_with("The regional council"), "{}", a.text);
        assert!(a.extraction.note.unwrap().contains("using the feed's text"));
        // The page's metadata stays; the feed fills what the page lacked.
        assert_eq!(a.url, "https://news.example/tram");
        assert_eq!(a.title.as_deref(), Some("Tram line extended"));
    }

    #[test]
    fn a_full_page_wins_over_a_feed_excerpt() {
        let it = item("Council extends the line.", None);
        let a = article(&it, Page::Extracted(Box::new(page(400, Basis::FullText))));
        assert_eq!(a.extraction.method, "scored");
        assert_eq!(a.extraction.basis, Basis::FullText);
        assert_eq!(a.extraction.word_count, 400);
        assert!(a.extraction.note.is_none());
    }

    #[test]
    fn a_paywall_stub_shorter_than_the_excerpt_stays_partial() {
        let it = item(&SENTENCE.repeat(3), None);
        let a = article(&it, Page::Extracted(Box::new(page(5, Basis::Partial))));
        assert_eq!(a.extraction.basis, Basis::Partial);
        assert_eq!(a.extraction.method, "feed");
        assert!(a.text.contains("tram line"));
    }

    fn page_text(text: &str) -> Article {
        Article {
            url: "https://news.example/tram".into(),
            text: text.into(),
            extraction: Extraction {
                method: "scored".into(),
                word_count: text.split_whitespace().count(),
                basis: Basis::FullText,
                note: None,
            },
            ..Article::default()
        }
    }

    #[test]
    fn a_text_wall_makes_the_page_partial_and_paywalled() {
        let teaser = format!("{SENTENCE}\n\nThis article is for subscribers only.");
        let it = item("Council extends the line.", None);
        let a = article(&it, Page::Extracted(Box::new(page_text(&teaser))));
        assert_eq!(a.extraction.method, "scored");
        assert_eq!(a.extraction.basis, Basis::Partial);
        assert_eq!(a.accessible_for_free, Some(false));
        assert_eq!(a.text, SENTENCE.trim());
        let note = a.extraction.note.unwrap_or_default();
        assert!(
            note.contains("This article is for subscribers only."),
            "{note}"
        );
    }

    #[test]
    fn behind_a_text_wall_the_longer_feed_text_is_used() {
        let teaser = format!("{SENTENCE}\n\nAlready a member? Log in");
        // The feed's excerpt: longer than the teaser, still part of the article.
        let it = item(&SENTENCE.repeat(3), None);
        let a = article(&it, Page::Extracted(Box::new(page_text(&teaser))));
        assert_eq!(a.extraction.method, "feed");
        assert_eq!(a.extraction.basis, Basis::Partial);
        assert_eq!(a.accessible_for_free, Some(false));
        // The feed's full content is the full text, of a paywalled source.
        let it = item("Council extends the line.", Some(SENTENCE.repeat(20)));
        let a = article(&it, Page::Extracted(Box::new(page_text(&teaser))));
        assert_eq!(a.extraction.method, "feed");
        assert_eq!(a.extraction.basis, Basis::FullText);
        assert_eq!(a.accessible_for_free, Some(false));
        assert!(a.text.len() > teaser.len());
        let note = a.extraction.note.unwrap_or_default();
        assert!(note.starts_with("paywall: the page says"), "{note}");
        assert!(note.contains("using the feed's text"), "{note}");
    }

    #[test]
    fn a_sign_up_line_that_is_all_the_page_has_is_kept_not_stripped() {
        let only = "Keep informed on new releases and subscriber exclusives";
        let a = article(&item("", None), Page::Extracted(Box::new(page_text(only))));
        assert_eq!(a.text, only);
        assert_eq!(a.extraction.basis, Basis::FullText);
        assert_eq!(a.accessible_for_free, None);
    }

    #[test]
    fn a_page_its_markup_calls_free_is_not_walled_by_its_words() {
        let teaser = format!("{SENTENCE}\n\nThis article is for subscribers only.");
        let mut p = page_text(&teaser);
        p.accessible_for_free = Some(true);
        let a = article(&item("s", None), Page::Extracted(Box::new(p)));
        assert_eq!(a.extraction.basis, Basis::FullText);
        assert_eq!(a.text, teaser);
    }

    #[test]
    fn a_missing_page_falls_back_to_the_feed_with_the_reason() {
        let it = item("Council extends the line.", None);
        let a = article(&it, Page::FetchFailed("HTTP 404".into()));
        assert_eq!(a.extraction.basis, Basis::FeedExcerpt);
        assert_eq!(a.text, "Council extends the line.");
        assert_eq!(
            a.extraction.note.as_deref(),
            Some("page not retrieved: HTTP 404")
        );
        let b = article(&it, Page::ExtractFailed("binary data".into()));
        assert!(b.extraction.note.unwrap().starts_with("page not extracted"));
        let c = article(&it, Page::NotFetched);
        assert!(c.extraction.note.is_none());
    }

    #[test]
    fn short_feed_content_is_an_excerpt_long_content_is_full_text() {
        let short = from_feed(&item("s", Some(SENTENCE.repeat(2))));
        assert_eq!(short.extraction.basis, Basis::FeedExcerpt);
        let long = from_feed(&item("s", Some(SENTENCE.repeat(20))));
        assert_eq!(long.extraction.basis, Basis::FullText);
        // A long summary is still only the feed's excerpt.
        let summary = from_feed(&item(&SENTENCE.repeat(20), None));
        assert_eq!(summary.extraction.basis, Basis::FeedExcerpt);
    }
}
