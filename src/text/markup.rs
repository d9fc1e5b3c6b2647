//! HTML markup typed or pasted into a plain-text message ("<script>alert(1)</script> What
//! are the FPT pathways?", "<b>how long is FPT?</b>"): what the matcher reads without it.
//!
//! Only the matcher's reading changes: the stored message, the review screen and the
//! reply's quote keep the text as it was sent (an admin must see what arrived, shown as
//! text). HTML mail is turned into text by the mail adapter before it reaches triage; this
//! is for the markup left in text that was never HTML.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// Elements whose content is never read as words (WHATWG HTML's raw-text and hidden
/// elements: `<script>`, `<style>`, `<template>`, `<noscript>`, `<title>`), comments, and
/// any other start or end tag (a letter after `<` or `</`, attributes to the next `>`).
/// An e-mail address or link in angle brackets (`<a@example.org>`, `<https://…>`) is no tag:
/// a tag's name ends at whitespace, `/` or `>`.
static MARKUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?is)<!--.*?-->|<(script|style|template|noscript|title)\b[^>]*>.*?</(?:script|style|template|noscript|title)\s*>|</?[a-z][a-z0-9-]*(?:\s[^<>]*)?/?>",
    )
    .expect("markup regex is valid")
});

/// Signs that a message holds markup rather than a tag's name in a sentence ("is the <s>
/// tag supported?"): an end tag, a comment, or a start tag with attributes or closing
/// itself ("<img src=x …>", "<br/>").
static MARKED_UP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)</[a-z]|<!--|<[a-z][a-z0-9-]*(?:\s+[a-z-]+\s*=|\s*/>)")
        .expect("marked-up regex is valid")
});

/// `text` without HTML tags, comments and the content of script-like elements, each
/// replaced by a space, when it holds markup ([`MARKED_UP`]); borrowed unchanged otherwise
/// (most messages have no `<` at all).
pub fn without_markup(text: &str) -> Cow<'_, str> {
    if !text.contains('<') || !MARKED_UP.is_match(text) {
        return Cow::Borrowed(text);
    }
    MARKUP.replace_all(text, " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_tags_are_not_read_as_words() {
        assert_eq!(
            without_markup("<script>alert('x')</script> What are the FPT pathways?").trim(),
            "What are the FPT pathways?"
        );
        assert_eq!(
            without_markup("<b>how long is FPT?</b><br/>").trim(),
            "how long is FPT?"
        );
        assert_eq!(
            without_markup("<img src=x onerror=alert(1)>is fpt in london?").trim(),
            "is fpt in london?"
        );
    }

    #[test]
    fn angle_brackets_that_are_not_tags_stay() {
        for text in [
            "write to <fpt-admin@example.org> please",
            "see <https://example.org/fpt>",
            "is it <20% of the week? I <3 FPT",
            "a < b and c > d",
            // a tag named in a question, not markup
            "The <s> tag for strikethrough doesnt work, is there an alternative?",
        ] {
            assert_eq!(without_markup(text), text);
        }
    }
}
