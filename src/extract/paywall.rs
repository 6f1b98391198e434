//! Subscription and login walls written in the page text itself ("This article is for
//! subscribers only", "Already a member? Log in", "Dieser Artikel ist nur für
//! Abonnenten", "会员专享"), for pages whose markup says nothing (no JSON-LD
//! `isAccessibleForFree`). A wall is a short paragraph among the last ones of a short
//! text that says, in one of the phrasings below, that the rest needs a subscription or
//! an account; a sentence that merely mentions subscribers is no wall.

/// A text longer than this (in words, each CJK character one; wall lines left out) is
/// an article with a subscription pitch at its end, not a teaser.
const TEASER_MAX_WORDS: usize = 450;
/// Only the last paragraphs are looked at: walls close the preview.
const LAST_PARAGRAPHS: usize = 4;
/// A wall line is short: at most this many words (spaced scripts) ...
const LINE_MAX_WORDS: usize = 40;
/// ... or characters (CJK, written without spaces).
const LINE_MAX_CHARS: usize = 160;

/// Phrasings of "the rest is for subscribers / members / after logging in", lowercase,
/// in the languages the extractor handles. Each is specific enough that a news sentence
/// about subscribers does not match it.
const WALL_PHRASES: &[&str] = &[
    // English
    "for subscribers only",
    "subscribers only",
    "only for subscribers",
    "only available to subscribers",
    "exclusive to subscribers",
    "exclusively for subscribers",
    "for paying subscribers",
    "subscriber-only",
    "subscriber exclusive",
    "subscribe to continue",
    "subscribe to read",
    "subscribe now to read",
    "subscribe to unlock",
    "subscribe for full access",
    "to continue reading, subscribe",
    "to read the full article",
    "to read the full story",
    "to read this article",
    "to continue reading",
    "continue reading with",
    "already a subscriber",
    "already subscribed? log in",
    "already a member? log in",
    "already a member? sign in",
    "already have an account? log in",
    "already have an account? sign in",
    "log in to continue",
    "log in to read",
    "sign in to continue",
    "sign in to read",
    "register to continue reading",
    "create a free account to continue",
    "become a member to read",
    "members only",
    "for members only",
    "premium content",
    "this content is for members",
    "this article is for members",
    "unlock this article",
    // German
    "nur für abonnenten",
    "exklusiv für abonnenten",
    "für abonnenten",
    "jetzt abonnieren und weiterlesen",
    "abonnieren sie, um weiterzulesen",
    "um weiterzulesen",
    "weiterlesen mit",
    "bereits abonnent",
    "schon abonnent",
    "sie sind bereits abonnent",
    "jetzt anmelden und weiterlesen",
    "plus-artikel",
    "dieser artikel ist nur für",
    "dieser inhalt ist nur für",
    // French
    "réservé aux abonnés",
    "reserve aux abonnes",
    "la suite est réservée",
    "déjà abonné",
    "abonnez-vous pour lire",
    "abonnez-vous pour continuer",
    "pour lire la suite",
    "article réservé",
    "contenu réservé",
    // Spanish
    "exclusivo para suscriptores",
    "solo para suscriptores",
    "sólo para suscriptores",
    "ya eres suscriptor",
    "suscríbete para seguir leyendo",
    "suscríbete para continuar",
    "para seguir leyendo",
    "contenido exclusivo para",
    // Italian
    "riservato agli abbonati",
    "riservato ai membri",
    "sei già abbonato",
    "abbonati per continuare",
    "per continuare a leggere",
    "contenuto riservato",
    // Portuguese
    "exclusivo para assinantes",
    "conteúdo exclusivo para",
    "já é assinante",
    "assine para continuar",
    "para continuar lendo",
    "para continuar a ler",
    // Dutch
    "alleen voor abonnees",
    "ben je al abonnee",
    "word abonnee om verder te lezen",
    "lees verder met",
    // Scandinavian
    "för prenumeranter",
    "redan prenumerant",
    "kun for abonnenter",
    "for abonnenter",
    "allerede abonnent",
    // Polish, Czech
    "tylko dla subskrybentów",
    "tylko dla prenumeratorów",
    "masz już subskrypcję",
    "pouze pro předplatitele",
    // Russian, Ukrainian
    "только для подписчиков",
    "уже есть подписка",
    "оформите подписку",
    "лише для передплатників",
    // Chinese
    "会员专享",
    "會員專享",
    "订阅用户专享",
    "订阅后阅读",
    "訂閱後閱讀",
    "付费阅读",
    "付費閱讀",
    "付费内容",
    "付費內容",
    "登录后阅读",
    "登錄後閱讀",
    "登入後閱讀",
    "已是会员",
    "開通會員",
    "开通会员",
    "阅读全文请",
    // Japanese
    "有料会員限定",
    "会員限定",
    "続きを読むには",
    "有料記事",
    // Korean
    "유료 회원",
    "구독자 전용",
    "회원 전용",
    "로그인 후",
];

/// A wall found in a text: the wall's own words and the text without them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Wall {
    /// The wall paragraphs as the page wrote them, joined by a space.
    pub(crate) notice: String,
    /// The text with the wall paragraphs left out.
    pub(crate) text: String,
}

/// The subscription or login wall at the end of a short text, if there is one.
/// `text` is an extracted article text: paragraphs separated by blank lines.
pub(crate) fn find_wall(text: &str) -> Option<Wall> {
    let paragraphs: Vec<&str> = text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let from = paragraphs.len().saturating_sub(LAST_PARAGRAPHS);
    let is_wall: Vec<bool> = paragraphs
        .iter()
        .enumerate()
        .map(|(i, p)| i >= from && is_wall_line(p))
        .collect();
    if !is_wall.contains(&true) {
        return None;
    }
    let kept: Vec<&str> = paragraphs
        .iter()
        .zip(&is_wall)
        .filter(|(_, w)| !**w)
        .map(|(p, _)| *p)
        .collect();
    let kept_words: usize = kept.iter().map(|p| super::word_count(p)).sum();
    if kept_words > TEASER_MAX_WORDS {
        return None;
    }
    let notice = paragraphs
        .iter()
        .zip(&is_wall)
        .filter(|(_, w)| **w)
        .map(|(p, _)| *p)
        .collect::<Vec<_>>()
        .join(" ");
    Some(Wall {
        notice,
        text: kept.join("\n\n"),
    })
}

/// One short paragraph saying the rest needs a subscription or an account.
fn is_wall_line(paragraph: &str) -> bool {
    let words = paragraph.split_whitespace().count();
    if words > LINE_MAX_WORDS || paragraph.chars().count() > LINE_MAX_CHARS * 3 {
        return false;
    }
    if words <= 2 && paragraph.chars().count() > LINE_MAX_CHARS {
        // A long run without spaces (CJK) must still be a short line.
        return false;
    }
    let t = normalize(paragraph);
    WALL_PHRASES.iter().any(|p| t.contains(p))
}

/// Lowercase, curly apostrophes straight, whitespace single, `?`/`？` spaced the same.
fn normalize(s: &str) -> String {
    let lowered = s.to_lowercase().replace(['’', '‘'], "'").replace('？', "?");
    let mut out = String::with_capacity(lowered.len());
    for w in lowered.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEAD: &str = "The town council approved the harbour plan on Tuesday evening, after a \
                        four-hour meeting in which residents spoke for and against it.";

    fn teaser(wall: &str) -> String {
        format!("{LEAD}\n\nThe plan foresees a new ferry terminal.\n\n{wall}")
    }

    #[test]
    fn walls_in_the_major_languages_are_found() {
        for wall in [
            "This article is for subscribers only.",
            "Subscribe to continue reading.",
            "Already a member? Log in",
            "Already a subscriber? Sign in to read the full article.",
            "Dieser Artikel ist nur für Abonnenten.",
            "Jetzt abonnieren und weiterlesen",
            "Cet article est réservé aux abonnés. Déjà abonné ? Se connecter",
            "Contenido exclusivo para suscriptores. ¿Ya eres suscriptor? Inicia sesión",
            "Questo articolo è riservato agli abbonati.",
            "Conteúdo exclusivo para assinantes. Já é assinante? Entre",
            "Dit artikel is alleen voor abonnees.",
            "Этот материал доступен только для подписчиков.",
            "本文为会员专享内容，登录后阅读全文",
            "この記事は有料会員限定です。",
        ] {
            let w = find_wall(&teaser(wall)).unwrap_or_else(|| panic!("no wall in {wall:?}"));
            assert_eq!(w.notice, wall);
            assert!(w.text.ends_with("ferry terminal."), "{}", w.text);
        }
    }

    #[test]
    fn a_sentence_about_subscribers_is_no_wall() {
        for text in [
            format!("{LEAD}\n\nThe streaming service now has 3 million subscribers in Europe."),
            format!(
                "{LEAD}\n\nSubscribers to the newspaper will receive the supplement on Sunday."
            ),
            format!("{LEAD}\n\nDie Zeitung hat mehr Abonnenten als im Vorjahr."),
            format!("{LEAD}\n\n该平台的会员人数今年翻了一番。"),
        ] {
            assert_eq!(find_wall(&text), None, "{text}");
        }
    }

    #[test]
    fn a_long_article_with_a_pitch_at_its_end_is_no_teaser() {
        let body = format!("{LEAD} ").repeat(30);
        let text = format!("{body}\n\nSubscribe to continue reading our coverage.");
        assert_eq!(find_wall(&text), None);
    }

    #[test]
    fn a_wall_before_the_last_paragraphs_is_not_read() {
        let mut text = String::from("This article is for subscribers only.");
        for _ in 0..6 {
            text.push_str("\n\n");
            text.push_str(LEAD);
        }
        assert_eq!(find_wall(&text), None);
    }
}
