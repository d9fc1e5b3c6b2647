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

/// HTML that is never shown as text: comments and the contents of `<head>`, `<title>`,
/// `<script>`, `<style>`, `<template>` and `<noscript>` (closed elements only: an unclosed
/// one is left for the tag pass, so no text is lost to a stray tag). The mail adapter takes
/// the same out of HTML mail (`mail::parse::without_hidden_html`).
static HIDDEN_HTML: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?is)<!--.*?-->|<head\b[^>]*>.*?</head\s*>|<title\b[^>]*>.*?</title\s*>|<script\b[^>]*>.*?</script\s*>|<style\b[^>]*>.*?</style\s*>|<template\b[^>]*>.*?</template\s*>|<noscript\b[^>]*>.*?</noscript\s*>",
    )
    .expect("hidden html regex is valid")
});

/// Any start or end tag: a letter after `<` or `</`, attributes to the next `>`. An e-mail
/// address or link in angle brackets (`<a@example.org>`, `<https://…>`) is no tag: a tag's
/// name ends at whitespace, `/` or `>`.
static TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)</?[a-z][a-z0-9-]*(?:\s[^<>]*)?/?>").expect("tag regex is valid")
});

/// `html` without what is never shown as text ([`HIDDEN_HTML`]), each piece replaced by a
/// space; borrowed unchanged when there is none.
pub fn without_hidden_html(html: &str) -> Cow<'_, str> {
    HIDDEN_HTML.replace_all(html, " ")
}

/// Signs that a message holds markup rather than a tag's name in a sentence ("is the <s>
/// tag supported?"): an end tag, a comment, or a start tag with attributes or closing
/// itself ("<img src=x …>", "<br/>").
static MARKED_UP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)</[a-z]|<!--|<[a-z][a-z0-9-]*(?:\s+[a-z-]+\s*=|\s*/>)")
        .expect("marked-up regex is valid")
});

/// `text` without what HTML never shows ([`without_hidden_html`]) and without its tags, each
/// replaced by a space, when it holds markup ([`MARKED_UP`]); borrowed unchanged otherwise
/// (most messages have no `<` at all).
pub fn without_markup(text: &str) -> Cow<'_, str> {
    if !text.contains('<') || !MARKED_UP.is_match(text) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        TAG.replace_all(&without_hidden_html(text), " ")
            .into_owned(),
    )
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
