//! The words publishers use to mark kinds of content: schema.org types, section and
//! category names, URL path segments, headline labels. Tables only; `source_type`
//! decides what they are worth.
//!
//! Matching is exact on whole values (after normalizing case and spacing), with a few
//! head-word rules ("Book Reviews", "News Analysis"). Substring matching was rejected:
//! it turns "Opinion polls", "Public opinion" or `/opinion-poll-shows-...` into opinion
//! pieces, and straight news must never be labelled opinion.

use crate::model::SourceType;

/// schema.org types that name a kind of article. Compared case-insensitively after the
/// `https://schema.org/` or `schema:` prefix is removed.
const JSONLD_TYPES: &[(&str, SourceType)] = &[
    ("OpinionNewsArticle", SourceType::Opinion),
    ("AnalysisNewsArticle", SourceType::Analysis),
    ("ReviewNewsArticle", SourceType::Review),
    ("CriticReview", SourceType::Review),
    ("BackgroundNewsArticle", SourceType::Background),
    ("AdvertiserContentArticle", SourceType::Sponsored),
    ("SatiricalArticle", SourceType::Satire),
    ("ReportageNewsArticle", SourceType::Reportage),
    // A fact-check is interpretive journalism with evidence (the guide's "analysis").
    ("ClaimReview", SourceType::Analysis),
];

/// schema.org types that say "blog post": weaker than any kind label (a news site's
/// blog can still carry an opinion section), stronger than a bare NewsArticle.
const BLOG_TYPES: &[&str] = &["BlogPosting", "LiveBlogPosting"];

/// The blog label a JSON-LD type asserts (`BlogPosting`), if any.
pub(crate) fn is_blog_type(t: &str) -> bool {
    let name = schema_local_name(t);
    // A live blog is rolling news coverage, not a blog post.
    name.eq_ignore_ascii_case(BLOG_TYPES[0])
}

/// The bare schema.org type that says "news" without saying which kind. Publishers put
/// it on opinion columns as often as on reports, so it is the weakest publisher signal.
const GENERIC_NEWS_TYPE: &str = "NewsArticle";

/// Strip the schema.org vocabulary prefix from a JSON-LD type.
pub(crate) fn schema_local_name(t: &str) -> &str {
    let t = t.trim();
    for prefix in [
        "https://schema.org/",
        "http://schema.org/",
        "https://www.schema.org/",
        "http://www.schema.org/",
        "schema:",
    ] {
        if let Some(rest) = t.strip_prefix(prefix) {
            return rest;
        }
    }
    t
}

/// The label a specific schema.org type asserts, if any.
pub(crate) fn jsonld_type_label(t: &str) -> Option<SourceType> {
    let name = schema_local_name(t);
    JSONLD_TYPES
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|&(_, v)| v)
}

/// The schema.org type that names `label` (for typing the source in our JSON-LD).
pub(crate) fn schema_type(label: SourceType) -> &'static str {
    match label {
        SourceType::Opinion => "OpinionNewsArticle",
        SourceType::Analysis => "AnalysisNewsArticle",
        SourceType::Review => "ReviewNewsArticle",
        SourceType::Background => "BackgroundNewsArticle",
        SourceType::Sponsored => "AdvertiserContentArticle",
        SourceType::Satire => "SatiricalArticle",
        SourceType::Reportage => "ReportageNewsArticle",
        SourceType::Blog => "BlogPosting",
        SourceType::Unknown => "Article",
    }
}

pub(crate) fn is_generic_news_type(t: &str) -> bool {
    schema_local_name(t).eq_ignore_ascii_case(GENERIC_NEWS_TYPE)
}

/// Whole section, category or headline-label values (normalized: lowercase, single
/// spaces). English first, then the labels of large non-English publishers.
const PHRASES: &[(&str, SourceType)] = &[
    // opinion and editorial
    ("opinion", SourceType::Opinion),
    ("opinions", SourceType::Opinion),
    ("op-ed", SourceType::Opinion),
    ("op-eds", SourceType::Opinion),
    ("oped", SourceType::Opinion),
    ("op ed", SourceType::Opinion),
    ("commentary", SourceType::Opinion),
    ("comment", SourceType::Opinion),
    ("comment is free", SourceType::Opinion),
    ("editorial", SourceType::Opinion),
    ("editorials", SourceType::Opinion),
    ("the editorial board", SourceType::Opinion),
    ("editorial board", SourceType::Opinion),
    ("our view", SourceType::Opinion),
    ("our views", SourceType::Opinion),
    ("letters", SourceType::Opinion),
    ("letter", SourceType::Opinion),
    ("letters to the editor", SourceType::Opinion),
    ("column", SourceType::Opinion),
    ("columns", SourceType::Opinion),
    ("columnist", SourceType::Opinion),
    ("columnists", SourceType::Opinion),
    ("views", SourceType::Opinion),
    ("viewpoint", SourceType::Opinion),
    ("viewpoints", SourceType::Opinion),
    ("perspective", SourceType::Opinion),
    ("perspectives", SourceType::Opinion),
    ("voices", SourceType::Opinion),
    ("leaders", SourceType::Opinion),
    ("guest essay", SourceType::Opinion),
    ("guest column", SourceType::Opinion),
    ("guest opinion", SourceType::Opinion),
    ("meinung", SourceType::Opinion),
    ("kommentar", SourceType::Opinion),
    ("kommentare", SourceType::Opinion),
    ("leitartikel", SourceType::Opinion),
    ("gastbeitrag", SourceType::Opinion),
    ("tribune", SourceType::Opinion),
    ("tribunes", SourceType::Opinion),
    ("éditorial", SourceType::Opinion),
    ("éditoriaux", SourceType::Opinion),
    ("chronique", SourceType::Opinion),
    ("opinión", SourceType::Opinion),
    ("opiniones", SourceType::Opinion),
    ("opinião", SourceType::Opinion),
    ("opinione", SourceType::Opinion),
    ("commento", SourceType::Opinion),
    ("opinie", SourceType::Opinion),
    ("观点", SourceType::Opinion),
    ("觀點", SourceType::Opinion),
    ("评论", SourceType::Opinion),
    ("評論", SourceType::Opinion),
    ("社论", SourceType::Opinion),
    ("社論", SourceType::Opinion),
    ("时评", SourceType::Opinion),
    ("時評", SourceType::Opinion),
    ("言论", SourceType::Opinion),
    ("言論", SourceType::Opinion),
    ("专栏", SourceType::Opinion),
    ("專欄", SourceType::Opinion),
    ("社説", SourceType::Opinion),
    ("論説", SourceType::Opinion),
    ("オピニオン", SourceType::Opinion),
    ("コラム", SourceType::Opinion),
    ("칼럼", SourceType::Opinion),
    ("사설", SourceType::Opinion),
    ("오피니언", SourceType::Opinion),
    ("시론", SourceType::Opinion),
    ("기고", SourceType::Opinion),
    ("gastkommentar", SourceType::Opinion),
    ("standpunkt", SourceType::Opinion),
    ("kolumne", SourceType::Opinion),
    ("meinungen", SourceType::Opinion),
    ("tribune libre", SourceType::Opinion),
    ("point de vue", SourceType::Opinion),
    ("columna", SourceType::Opinion),
    ("columnas", SourceType::Opinion),
    ("editoriales", SourceType::Opinion),
    ("editorial de", SourceType::Opinion),
    ("coluna", SourceType::Opinion),
    ("colunas", SourceType::Opinion),
    ("colunistas", SourceType::Opinion),
    ("opiniões", SourceType::Opinion),
    ("editoriale", SourceType::Opinion),
    ("ideas", SourceType::Opinion),
    ("op-ed contributor", SourceType::Opinion),
    ("contributors", SourceType::Opinion),
    ("guest post", SourceType::Opinion),
    // analysis
    ("analysis", SourceType::Analysis),
    ("news analysis", SourceType::Analysis),
    ("analyses", SourceType::Analysis),
    ("analyse", SourceType::Analysis),
    ("analysen", SourceType::Analysis),
    ("análisis", SourceType::Analysis),
    ("análise", SourceType::Analysis),
    ("分析", SourceType::Analysis),
    ("fact check", SourceType::Analysis),
    ("fact-check", SourceType::Analysis),
    ("fact checks", SourceType::Analysis),
    ("fact-checks", SourceType::Analysis),
    ("factcheck", SourceType::Analysis),
    ("fact checking", SourceType::Analysis),
    ("faktencheck", SourceType::Analysis),
    ("verificación", SourceType::Analysis),
    // review
    ("review", SourceType::Review),
    ("reviews", SourceType::Review),
    ("critique", SourceType::Review),
    ("critiques", SourceType::Review),
    ("kritik", SourceType::Review),
    ("rezension", SourceType::Review),
    ("rezensionen", SourceType::Review),
    ("crítica", SourceType::Review),
    ("书评", SourceType::Review),
    ("書評", SourceType::Review),
    ("影评", SourceType::Review),
    ("影評", SourceType::Review),
    ("评测", SourceType::Review),
    // background
    ("explainer", SourceType::Background),
    ("explainers", SourceType::Background),
    ("explained", SourceType::Background),
    ("background", SourceType::Background),
    ("backgrounder", SourceType::Background),
    ("hintergrund", SourceType::Background),
    ("décryptage", SourceType::Background),
    ("解读", SourceType::Background),
    ("解讀", SourceType::Background),
    // sponsored
    ("sponsored", SourceType::Sponsored),
    ("sponsored content", SourceType::Sponsored),
    ("sponsored post", SourceType::Sponsored),
    ("sponsored article", SourceType::Sponsored),
    ("sponsored story", SourceType::Sponsored),
    ("paid post", SourceType::Sponsored),
    ("paid content", SourceType::Sponsored),
    ("paid partnership", SourceType::Sponsored),
    ("partner content", SourceType::Sponsored),
    ("branded content", SourceType::Sponsored),
    ("brand studio", SourceType::Sponsored),
    ("advertisement", SourceType::Sponsored),
    ("advertorial", SourceType::Sponsored),
    ("promoted", SourceType::Sponsored),
    ("promoted content", SourceType::Sponsored),
    ("anzeige", SourceType::Sponsored),
    ("werbung", SourceType::Sponsored),
    ("publireportage", SourceType::Sponsored),
    ("contenu sponsorisé", SourceType::Sponsored),
    ("contenido patrocinado", SourceType::Sponsored),
    ("publicidad", SourceType::Sponsored),
    ("广告", SourceType::Sponsored),
    ("廣告", SourceType::Sponsored),
    ("推广", SourceType::Sponsored),
    ("赞助内容", SourceType::Sponsored),
    ("赞助", SourceType::Sponsored),
    ("推广内容", SourceType::Sponsored),
    ("광고", SourceType::Sponsored),
    ("기사형 광고", SourceType::Sponsored),
    ("広告", SourceType::Sponsored),
    ("スポンサー", SourceType::Sponsored),
    ("publicité", SourceType::Sponsored),
    ("contenu partenaire", SourceType::Sponsored),
    ("partenariat", SourceType::Sponsored),
    ("conteúdo patrocinado", SourceType::Sponsored),
    ("patrocinado", SourceType::Sponsored),
    ("publieditorial", SourceType::Sponsored),
    ("gesponsert", SourceType::Sponsored),
    ("sponsored feature", SourceType::Sponsored),
    ("sponsor content", SourceType::Sponsored),
    ("partner story", SourceType::Sponsored),
    ("paid promotion", SourceType::Sponsored),
    // satire
    ("satire", SourceType::Satire),
    ("satirical", SourceType::Satire),
    ("parody", SourceType::Satire),
    ("satire and humor", SourceType::Satire),
    ("satire and humour", SourceType::Satire),
    ("讽刺", SourceType::Satire),
    // reportage (publishers rarely say it, but some magazines have the section)
    ("reportage", SourceType::Reportage),
    ("reportagen", SourceType::Reportage),
];

/// Labels that are labels only next to a headline or in its brackets, never as section
/// names ("PR" is a company's press page section; "[PR]" over a Japanese headline is
/// an advertisement).
const HEADER_ONLY: &[(&str, SourceType)] = &[
    ("pr", SourceType::Sponsored),
    ("ad", SourceType::Sponsored),
    ("ads", SourceType::Sponsored),
    ("promotion", SourceType::Sponsored),
    ("news analysis", SourceType::Analysis),
];

/// The label a text next to the headline (kicker, flag, label) asserts: a whole label
/// phrase, including the header-only ones. Longer texts never count.
pub(crate) fn header_label(raw: &str) -> Option<SourceType> {
    let p = normalize_phrase(raw);
    if p.is_empty() || p.split(' ').count() > 4 {
        return None;
    }
    if let Some(&(_, v)) = HEADER_ONLY.iter().find(|(k, _)| *k == p) {
        return Some(v);
    }
    // "Letters" or "Voices" as a lone word beside a headline is a menu more often
    // than a label; the explicit kind words are what count.
    match PHRASES.iter().find(|(k, _)| *k == p) {
        Some((k, _))
            if matches!(
                *k,
                "letters"
                    | "letter"
                    | "voices"
                    | "views"
                    | "leaders"
                    | "ideas"
                    | "review"
                    | "reviews"
                    | "comment"
                    | "background"
                    | "perspective"
                    | "perspectives"
                    | "contributors"
                    | "promoted"
                    | "advertisement"
                    | "patrocinado"
                    | "partenariat"
            ) =>
        {
            None
        }
        Some(&(_, v)) => Some(v),
        None => None,
    }
}

/// Last words that name the kind of a longer section ("Book Reviews", "News Analysis",
/// "Political Commentary"). "opinion" and "review" are deliberately absent: "Public
/// opinion", "Judicial review" and "Year in review" are news beats, not labels.
const HEAD_LAST_WORDS: &[(&str, SourceType)] = &[
    ("reviews", SourceType::Review),
    ("analysis", SourceType::Analysis),
    ("commentary", SourceType::Opinion),
    ("editorial", SourceType::Opinion),
    ("editorials", SourceType::Opinion),
    ("columnists", SourceType::Opinion),
    ("satire", SourceType::Satire),
    ("explainer", SourceType::Background),
    ("explainers", SourceType::Background),
];

/// "X review" is a review only when X is something reviewers review.
const REVIEWED_THINGS: &[&str] = &[
    "book",
    "film",
    "movie",
    "music",
    "album",
    "theater",
    "theatre",
    "restaurant",
    "game",
    "tv",
    "television",
    "product",
    "concert",
    "dance",
    "art",
    "opera",
    "gig",
    "stage",
];

/// Words after a leading "opinion" that keep it a label ("Opinion Columnists") rather
/// than a news topic ("Opinion polls").
const OPINION_FOLLOWERS: &[&str] = &[
    "columnists",
    "columns",
    "column",
    "editorials",
    "essays",
    "pieces",
    "and analysis",
    "and commentary",
    "and editorial",
    "section",
];

/// Lowercase, collapse spaces, drop surrounding punctuation and brackets.
pub(crate) fn normalize_phrase(s: &str) -> String {
    let s = crate::text::collapse_ws(&s.to_lowercase());
    s.trim_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '.' | ','
                    | ':'
                    | ';'
                    | '|'
                    | '['
                    | ']'
                    | '('
                    | ')'
                    | '【'
                    | '】'
                    | '「'
                    | '」'
                    | '"'
                    | '\''
                    | '“'
                    | '”'
                    | '：'
                    | '｜'
                    | '-'
                    | '–'
                    | '—'
                    | '»'
                    | '«'
            )
    })
    .replace('&', "and")
}

/// The label a whole section/category/headline-label value asserts, if any.
pub(crate) fn phrase_label(raw: &str) -> Option<SourceType> {
    let p = normalize_phrase(raw);
    if p.is_empty() {
        return None;
    }
    if let Some(&(_, v)) = PHRASES.iter().find(|(k, _)| *k == p) {
        return Some(v);
    }
    let words: Vec<&str> = p.split(' ').collect();
    if words.len() < 2 || words.len() > 5 {
        return None;
    }
    // "Sponsored by Acme", "Sponsored Content from Acme", "Paid post: Acme".
    if words[0] == "sponsored" || p.starts_with("paid post") || p.starts_with("paid content") {
        return Some(SourceType::Sponsored);
    }
    if words[0] == "opinion" {
        let rest = words[1..].join(" ");
        return OPINION_FOLLOWERS
            .contains(&rest.as_str())
            .then_some(SourceType::Opinion);
    }
    if words[0] == "satire" {
        return Some(SourceType::Satire);
    }
    let last = words[words.len() - 1];
    if last == "review" && REVIEWED_THINGS.contains(&words[words.len() - 2]) {
        return Some(SourceType::Review);
    }
    HEAD_LAST_WORDS
        .iter()
        .find(|(k, _)| *k == last)
        .map(|&(_, v)| v)
}

/// URL path segments (lowercase, whole segment) that publishers file content under.
const PATH_SEGMENTS: &[(&str, SourceType)] = &[
    ("opinion", SourceType::Opinion),
    ("opinions", SourceType::Opinion),
    ("op-ed", SourceType::Opinion),
    ("op-eds", SourceType::Opinion),
    ("oped", SourceType::Opinion),
    ("opeds", SourceType::Opinion),
    ("commentisfree", SourceType::Opinion),
    ("commentary", SourceType::Opinion),
    ("comment", SourceType::Opinion),
    ("editorial", SourceType::Opinion),
    ("editorials", SourceType::Opinion),
    ("editorial-board", SourceType::Opinion),
    ("columns", SourceType::Opinion),
    ("column", SourceType::Opinion),
    ("columnists", SourceType::Opinion),
    ("columnist", SourceType::Opinion),
    ("letters", SourceType::Opinion),
    ("letters-to-the-editor", SourceType::Opinion),
    ("views", SourceType::Opinion),
    ("viewpoint", SourceType::Opinion),
    ("viewpoints", SourceType::Opinion),
    ("perspective", SourceType::Opinion),
    ("perspectives", SourceType::Opinion),
    ("voices", SourceType::Opinion),
    ("guest-essay", SourceType::Opinion),
    ("guest-column", SourceType::Opinion),
    ("leaders", SourceType::Opinion),
    ("meinung", SourceType::Opinion),
    ("kommentar", SourceType::Opinion),
    ("kommentare", SourceType::Opinion),
    ("tribunes", SourceType::Opinion),
    ("opiniones", SourceType::Opinion),
    ("opiniao", SourceType::Opinion),
    ("opinione", SourceType::Opinion),
    ("analysis", SourceType::Analysis),
    ("news-analysis", SourceType::Analysis),
    ("analyses", SourceType::Analysis),
    ("analysen", SourceType::Analysis),
    ("review", SourceType::Review),
    ("reviews", SourceType::Review),
    ("book-reviews", SourceType::Review),
    ("film-reviews", SourceType::Review),
    ("movie-reviews", SourceType::Review),
    ("music-reviews", SourceType::Review),
    ("album-reviews", SourceType::Review),
    ("theater-reviews", SourceType::Review),
    ("theatre-reviews", SourceType::Review),
    ("restaurant-reviews", SourceType::Review),
    ("product-reviews", SourceType::Review),
    ("explainer", SourceType::Background),
    ("explainers", SourceType::Background),
    ("explained", SourceType::Background),
    ("background", SourceType::Background),
    ("backgrounder", SourceType::Background),
    ("hintergrund", SourceType::Background),
    ("sponsored", SourceType::Sponsored),
    ("sponsored-content", SourceType::Sponsored),
    ("sponsor-content", SourceType::Sponsored),
    ("sponsor-story", SourceType::Sponsored),
    ("sponsored-stories", SourceType::Sponsored),
    ("paid-post", SourceType::Sponsored),
    ("paid-posts", SourceType::Sponsored),
    ("paidpost", SourceType::Sponsored),
    ("paid-content", SourceType::Sponsored),
    ("paidcontent", SourceType::Sponsored),
    ("partner-content", SourceType::Sponsored),
    ("partnercontent", SourceType::Sponsored),
    ("brandstudio", SourceType::Sponsored),
    ("brand-studio", SourceType::Sponsored),
    ("branded-content", SourceType::Sponsored),
    ("advertorial", SourceType::Sponsored),
    ("advertorials", SourceType::Sponsored),
    ("advertisement", SourceType::Sponsored),
    ("promoted", SourceType::Sponsored),
    ("anzeige", SourceType::Sponsored),
    ("publireportage", SourceType::Sponsored),
    ("fact-check", SourceType::Analysis),
    ("fact-checks", SourceType::Analysis),
    ("factcheck", SourceType::Analysis),
    ("fact-checking", SourceType::Analysis),
    ("truth-o-meter", SourceType::Analysis),
    ("kolumne", SourceType::Opinion),
    ("kolumnen", SourceType::Opinion),
    ("gastbeitrag", SourceType::Opinion),
    ("tribune", SourceType::Opinion),
    ("editoriales", SourceType::Opinion),
    ("columnas", SourceType::Opinion),
    ("colunas", SourceType::Opinion),
    ("colunistas", SourceType::Opinion),
    ("satire", SourceType::Satire),
    ("satirical", SourceType::Satire),
];

/// The label a URL path segment asserts (whole segment only: `/opinion-poll-x` is news).
pub(crate) fn path_segment_label(segment: &str) -> Option<SourceType> {
    let s = segment.to_ascii_lowercase();
    PATH_SEGMENTS.iter().find(|(k, _)| *k == s).map(|&(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_types_match_with_or_without_prefix() {
        assert_eq!(
            jsonld_type_label("https://schema.org/OpinionNewsArticle"),
            Some(SourceType::Opinion)
        );
        assert_eq!(
            jsonld_type_label("schema:SatiricalArticle"),
            Some(SourceType::Satire)
        );
        assert_eq!(jsonld_type_label("NewsArticle"), None);
        assert!(is_generic_news_type("http://schema.org/NewsArticle"));
        assert!(!is_generic_news_type("ReportageNewsArticle"));
    }

    #[test]
    fn phrases_match_whole_values_and_head_words() {
        assert_eq!(phrase_label("Opinion"), Some(SourceType::Opinion));
        assert_eq!(phrase_label(" OP-ED "), Some(SourceType::Opinion));
        assert_eq!(phrase_label("Book Reviews"), Some(SourceType::Review));
        assert_eq!(phrase_label("Film review"), Some(SourceType::Review));
        assert_eq!(phrase_label("News Analysis"), Some(SourceType::Analysis));
        assert_eq!(
            phrase_label("Sponsored by Acme Bank"),
            Some(SourceType::Sponsored)
        );
        assert_eq!(phrase_label("社论"), Some(SourceType::Opinion));
        assert_eq!(
            phrase_label("Opinion Columnists"),
            Some(SourceType::Opinion)
        );
    }

    #[test]
    fn labels_in_the_major_languages() {
        for (v, want) in [
            ("Meinung", SourceType::Opinion),
            ("Kommentar", SourceType::Opinion),
            ("Tribune", SourceType::Opinion),
            ("Éditorial", SourceType::Opinion),
            ("Opinión", SourceType::Opinion),
            ("Opinião", SourceType::Opinion),
            ("社论", SourceType::Opinion),
            ("评论", SourceType::Opinion),
            ("칼럼", SourceType::Opinion),
            ("사설", SourceType::Opinion),
            ("オピニオン", SourceType::Opinion),
            ("社説", SourceType::Opinion),
            ("Anzeige", SourceType::Sponsored),
            ("Werbung", SourceType::Sponsored),
            ("Publireportage", SourceType::Sponsored),
            ("Contenido patrocinado", SourceType::Sponsored),
            ("広告", SourceType::Sponsored),
            ("광고", SourceType::Sponsored),
            ("赞助", SourceType::Sponsored),
            ("推广", SourceType::Sponsored),
            ("Fact check", SourceType::Analysis),
        ] {
            assert_eq!(phrase_label(v), Some(want), "{v}");
        }
        // "PR" and "Ad" are labels only beside a headline, never as a section name.
        assert_eq!(header_label("PR"), Some(SourceType::Sponsored));
        assert_eq!(phrase_label("PR"), None);
        // An ad slot's "Advertisement" beside the headline is not about the article.
        assert_eq!(header_label("Advertisement"), None);
        assert_eq!(header_label("Sponsored"), Some(SourceType::Sponsored));
        assert_eq!(
            header_label("Opinion Columnist and author of three books"),
            None
        );
    }

    #[test]
    fn news_beats_that_contain_label_words_are_not_labels() {
        for beat in [
            "Public opinion",
            "Opinion polls",
            "Judicial review",
            "Year in review",
            "Politics",
            "World News",
            "",
        ] {
            assert_eq!(phrase_label(beat), None, "{beat:?}");
        }
        assert_eq!(path_segment_label("opinion-poll-shows-lead"), None);
        assert_eq!(path_segment_label("Opinion"), Some(SourceType::Opinion));
    }
}
