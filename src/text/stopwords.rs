//! Stop words: the function words term vectors leave out, per language (English,
//! German, French, Spanish, Russian). Lower-case, as the words are compared.

use std::collections::HashMap;
use std::sync::OnceLock;

/// A language's stop words.
pub(crate) type StopSet = HashMap<&'static str, ()>;

/// The stop words of `lang` (ISO 639-1), if we have a list for it.
pub(crate) fn stop_words(lang: Option<&str>) -> Option<&'static StopSet> {
    static EN: OnceLock<StopSet> = OnceLock::new();
    static DE: OnceLock<StopSet> = OnceLock::new();
    static FR: OnceLock<StopSet> = OnceLock::new();
    static ES: OnceLock<StopSet> = OnceLock::new();
    static RU: OnceLock<StopSet> = OnceLock::new();
    let (cell, words) = match lang {
        Some("en") => (&EN, STOP_EN),
        Some("de") => (&DE, STOP_DE),
        Some("fr") => (&FR, STOP_FR),
        Some("es") => (&ES, STOP_ES),
        Some("ru") => (&RU, STOP_RU),
        _ => return None,
    };
    Some(cell.get_or_init(|| words.split_whitespace().map(|w| (w, ())).collect()))
}

const STOP_EN: &str = "a about above after again against all also am an and any are as at be \
    because been before being below between both but by can could did do does doing down \
    during each few for from further had has have having he her here hers herself him himself \
    his how i if in into is it its itself just me more most my myself no nor not now of off on \
    once only or other our ours ourselves out over own same she should so some such than that \
    the their theirs them themselves then there these they this those through to too under \
    until up very was we were what when where which while who whom why will with would you \
    your yours yourself yourselves said says say told according would could may might must \
    shall one two also s t don didn doesn isn wasn aren weren won wouldn couldn shouldn ve ll re";

const STOP_DE: &str = "aber alle als also am an auch auf aus bei bin bis bist da damit dann \
    das dass dein deine dem den der des die dies diese dieser dieses doch dort du durch ein \
    eine einem einen einer eines er es euer für hat hatte hatten hier ich ihr ihre im in ist \
    ja jede jeder kann kein keine mit nach nicht noch nun nur ob oder sein seine sich sie sind \
    so über um und uns unser von vor war waren was weil wenn wer wie wir wird wo zu zum zur";

const STOP_FR: &str = "au aux avec ce ces dans de des du elle en et eux il ils je la le les \
    leur lui ma mais me même mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se \
    ses son sur ta te tes toi ton tu un une vos votre vous est sont été être avait ont a été \
    cette cet comme plus";

const STOP_ES: &str = "a al algo como con de del el ella ellas ellos en entre era es esta este \
    esto fue ha han hay la las le les lo los más me mi no nos o para pero por que se sin sobre \
    su sus también te tu un una uno y ya";

const STOP_RU: &str = "а без более бы был была были было быть в вам вас весь во вот все всего \
    всех вы где да даже для до его ее если есть еще же за здесь и из или им их к как ко когда \
    кто ли либо мне может мы на над надо наш не него нее нет ни них но ну о об однако он она \
    они оно от очень по под при с со так также такой там те тем то того тоже той только том \
    ты у уже хотя чего чей чем что чтобы чье эта эти это я";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_by_language() {
        let en = stop_words(Some("en")).expect("English list");
        assert!(en.contains_key("the") && en.contains_key("whom") && !en.contains_key("harbour"));
        assert!(stop_words(Some("de")).is_some_and(|s| s.contains_key("und")));
        assert!(stop_words(Some("ru")).is_some_and(|s| s.contains_key("и")));
        assert!(stop_words(Some("ja")).is_none() && stop_words(None).is_none());
    }
}
