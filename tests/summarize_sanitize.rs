//! Output sanitizing on realistic model replies (issue 5): preambles, sign-offs
//! (including the NBC News one quoted in the issue), Markdown, invented headlines,
//! reasoning blocks, refusals; and text that must survive untouched.

use feedbrief::summarize::sanitize::{is_refusal, sanitize};

#[track_caller]
fn clean(reply: &str, title: Option<&str>) -> Vec<String> {
    let c = sanitize(reply, title);
    assert!(c.refusal.is_none(), "unexpected refusal: {:?}", c.refusal);
    c.sentences
}

#[test]
fn the_nbc_sign_off_never_survives() {
    let reply = "China's ruling Communist Party has issued a strong declaration on technological \
        self-reliance as tensions with the United States grow. The document calls for more \
        state investment in chips and artificial intelligence.\n\n\
        I hope this article provides a comprehensive summary of the NBC News piece and related \
        context. Let me know if you'd like any adjustments or further elaboration on specific points!";
    let c = sanitize(reply, None);
    assert_eq!(
        c.sentences,
        vec![
            "China's ruling Communist Party has issued a strong declaration on technological self-reliance as tensions with the United States grow.",
            "The document calls for more state investment in chips and artificial intelligence.",
        ]
    );
    assert!(
        c.removed
            .iter()
            .any(|r| r.starts_with("I hope this article"))
    );
    assert!(c.removed.iter().any(|r| r.starts_with("Let me know")));
}

#[test]
fn preambles_are_removed_but_text_after_a_colon_is_kept() {
    assert_eq!(
        clean(
            "Sure! Here is a summary of the article: The council voted to close the library. Staff will be redeployed.",
            None
        ),
        vec![
            "The council voted to close the library.",
            "Staff will be redeployed."
        ]
    );
    assert_eq!(
        clean(
            "Certainly. Here's a concise summary of the news article in three sentences:\n\nThe council voted to close the library.",
            None
        ),
        vec!["The council voted to close the library."]
    );
    assert_eq!(
        clean(
            "Of course! Below is a brief overview.\nThe council voted to close the library.",
            None
        ),
        vec!["The council voted to close the library."]
    );
    assert_eq!(
        clean(
            "Summary: The council voted to close the library on Tuesday.",
            None
        ),
        vec!["The council voted to close the library on Tuesday."]
    );
}

#[test]
fn markdown_headings_and_invented_headlines_go() {
    let reply = "# Library Closure Approved\n\n\
        **Summary:**\n\n\
        The council **voted** to close the *central* library, citing [rising costs](https://example.com).\n\
        - Staff will be redeployed to other branches\n\
        - The building will be sold\n\n\
        ---\n\
        ## Reactions\n\
        Residents said they would `appeal`.";
    assert_eq!(
        clean(reply, None),
        vec![
            "The council voted to close the central library, citing rising costs.",
            "Staff will be redeployed to other branches.",
            "The building will be sold.",
            "Residents said they would appeal.",
        ]
    );
}

#[test]
fn a_headline_line_the_model_made_up_is_dropped() {
    // No Markdown at all: a short unpunctuated first line, then the summary.
    let reply = "Council Votes to Close Central Library\nThe council voted on Tuesday to close the central library. Staff will be redeployed.";
    assert_eq!(
        clean(reply, None),
        vec![
            "The council voted on Tuesday to close the central library.",
            "Staff will be redeployed."
        ]
    );
    // A Title Case headline with a full stop is still a headline.
    let reply = "Council Votes To Close Central Library.\nThe council voted on Tuesday to close the central library.";
    assert_eq!(
        clean(reply, None),
        vec!["The council voted on Tuesday to close the central library."]
    );
    // The article's own headline repeated, with a label, is dropped as well.
    let reply = "Headline: Library to close\nLibrary to close.\nThe council voted on Tuesday to close the central library.";
    assert_eq!(
        clean(reply, Some("Library to close")),
        vec!["The council voted on Tuesday to close the central library."]
    );
}

#[test]
fn reasoning_blocks_and_code_fences_are_removed() {
    let reply = "<think>\nThe user wants a summary. Let me find the key facts.\n</think>\n\n```\nThe council voted to close the library.\n```";
    assert_eq!(
        clean(reply, None),
        vec!["The council voted to close the library."]
    );
}

#[test]
fn trailing_notes_go_but_the_same_words_inside_news_stay() {
    let reply = "Voters must register by Friday. If you want to vote by post, the deadline is Monday, the electoral office said. \
        Note: This summary is based only on the text provided. Word count: 28.";
    assert_eq!(
        clean(reply, None),
        vec![
            "Voters must register by Friday.",
            "If you want to vote by post, the deadline is Monday, the electoral office said.",
        ]
    );
    // Ordinary news sentences that start with "Sure" or mention a summary of a report.
    let reply = "Sure Start centres in the borough will close next year. A summary of the audit report was published on Monday.";
    assert_eq!(
        clean(reply, None),
        vec![
            "Sure Start centres in the borough will close next year.",
            "A summary of the audit report was published on Monday.",
        ]
    );
}

#[test]
fn more_sign_offs_from_real_chat_models() {
    for tail in [
        "I hope this helps!",
        "Let me know if you need anything else.",
        "Feel free to ask if you have any questions.",
        "Would you like me to shorten it further?",
        "I'd be happy to provide more details on any of these points.",
        "Is there anything else you'd like to know?",
        "If you'd like, I can also provide a version in bullet points.",
    ] {
        let reply = format!("The council voted to close the library. {tail}");
        assert_eq!(
            clean(&reply, None),
            vec!["The council voted to close the library."],
            "tail: {tail}"
        );
    }
}

#[test]
fn a_reply_about_its_own_editing_is_empty() {
    // A real SmolLM2-135M reply to a CNN article (llama.cpp server, bundled prompt).
    let c = sanitize(
        "The article has been edited to include a summary and no additional content.",
        None,
    );
    assert!(c.sentences.is_empty(), "{:?}", c.sentences);
}

#[test]
fn refusals_are_recognized() {
    for reply in [
        "I'm sorry, but I can't help with that request.",
        "I cannot summarize this article because it contains graphic content.",
        "As an AI language model, I am unable to access external links.",
        "Unfortunately, I don't have access to the article you mentioned.",
        "It seems that no article text was provided. Please paste the article.",
        "I apologize, but the text you provided appears to be empty.",
    ] {
        let c = sanitize(reply, None);
        assert!(c.refusal.is_some(), "not seen as a refusal: {reply}");
        assert!(c.sentences.is_empty(), "{reply}: {:?}", c.sentences);
    }
    // News about refusals is not a refusal.
    assert!(!is_refusal(
        "The minister said she cannot comment on an ongoing investigation."
    ));
    assert!(!is_refusal(
        "Sorry We Missed You is a 2019 film by Ken Loach."
    ));
    let c = sanitize(
        "The company said it was unable to confirm the figures. Shares fell 4%.",
        None,
    );
    assert!(c.refusal.is_none());
    assert_eq!(c.sentences.len(), 2);
}

#[test]
fn cjk_replies_keep_their_sentences() {
    let reply = "好的，以下是摘要：\n本市地铁三号线延长线今天正式开通。延长线全长十八公里。";
    let c = sanitize(reply, None);
    assert!(c.refusal.is_none());
    assert_eq!(
        c.sentences,
        vec!["本市地铁三号线延长线今天正式开通。", "延长线全长十八公里。"]
    );
}

#[test]
fn duplicate_sentences_are_collapsed() {
    assert_eq!(
        clean(
            "The council voted to close the library. The council voted to close the library.",
            None
        ),
        vec!["The council voted to close the library."]
    );
}
