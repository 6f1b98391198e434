//! Which script a character belongs to, where the stages care: CJK letters (Han, kana,
//! Hangul) and the characters of text written without spaces (Han, kana and their
//! punctuation and full-width forms; Korean is written with spaces).

/// Han ideographs (unified, extension A, compatibility, and the supplementary planes).
pub(crate) fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x323AF)
}

/// Hiragana and katakana.
pub(crate) fn is_kana(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF)
}

/// Hangul syllables.
pub(crate) fn is_hangul(c: char) -> bool {
    matches!(c as u32, 0xAC00..=0xD7AF)
}

/// CJK letters: Han, kana and Hangul. Each counts as a word of its own where words are
/// counted or searched.
pub(crate) fn is_cjk(c: char) -> bool {
    is_han(c) || is_kana(c) || is_hangul(c)
}

/// Characters of text written without spaces between words or sentences: Han, kana,
/// CJK symbols and punctuation, full-width forms.
pub(crate) fn is_unspaced(c: char) -> bool {
    is_han(c) || is_kana(c) || matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts() {
        for c in ['中', '文', 'の', 'カ', '𠀀'] {
            assert!(is_cjk(c) && is_unspaced(c), "{c}");
        }
        // Korean: CJK letters, but written with spaces.
        assert!(is_cjk('한') && !is_unspaced('한'));
        // CJK punctuation and full-width forms join unspaced text but are not letters.
        for c in ['。', '、', '！'] {
            assert!(is_unspaced(c) && !is_cjk(c), "{c}");
        }
        for c in ['a', 'é', 'Ж', ' ', '.'] {
            assert!(!is_cjk(c) && !is_unspaced(c), "{c}");
        }
        assert!(is_kana('ア') && !is_han('ア'));
    }
}
