//! Text for Discord: mentions made inert, messages split to the 2000-character limit, and the
//! test for whether a chat message asks something.

/// Discord's limit on a message's content, in characters (Unicode scalar values).
pub const MAX_MESSAGE: usize = 2000;

const ZWSP: char = '\u{200B}';

/// Makes every mention in `text` inert: `@everyone`, `@here`, `<@123>`, `<@!123>`, `<@&123>`
/// get a zero-width space after the `@`, so Discord shows them as plain text. Other text is
/// unchanged. (`allowed_mentions` stops pings anyway; this also stops the markup rendering.)
pub fn neutralise_mentions(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        out.push(c);
        if c != '@' {
            continue;
        }
        let rest = &text[i + 1..];
        let before_is_angle = text[..i].ends_with('<');
        let lower: String = rest.chars().take(8).collect::<String>().to_lowercase();
        if before_is_angle || lower.starts_with("everyone") || lower.starts_with("here") {
            out.push(ZWSP);
        }
        if chars.peek().is_none() {
            break;
        }
    }
    out
}

/// Escapes Discord Markdown in user text so it shows as typed: `\ * _ ~ ` | [ ]` everywhere,
/// and `> # -` at the start of a line (quotes, headings, lists, `-#` subtext). Mentions are
/// handled by [`neutralise_mentions`].
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut line_start = true;
    for c in text.chars() {
        let at_start = line_start && matches!(c, '>' | '#' | '-');
        if at_start || matches!(c, '\\' | '*' | '_' | '~' | '`' | '|' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
        if c == '\n' {
            line_start = true;
        } else if !c.is_whitespace() {
            line_start = false;
        }
    }
    out
}

/// Splits `text` into pieces of at most `max` characters, preferring paragraph breaks, then
/// line breaks, then spaces; a word longer than `max` is cut. No piece is empty.
pub fn split_message(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut pieces = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        if rest.chars().count() <= max {
            pieces.push(rest.to_string());
            break;
        }
        // byte offset just after the `max`-th character
        let limit = rest
            .char_indices()
            .nth(max)
            .map(|(i, _)| i)
            .unwrap_or(rest.len());
        let window = &rest[..limit];
        let cut = ["\n\n", "\n", " "]
            .iter()
            .find_map(|sep| window.rfind(sep).filter(|&p| p > 0))
            .unwrap_or(limit);
        let piece = rest[..cut].trim_end();
        if !piece.is_empty() {
            pieces.push(piece.to_string());
        }
        rest = rest[cut..].trim_start();
    }
    pieces
}

const QUESTION_STARTS: &[&str] = &[
    "how",
    "what",
    "when",
    "where",
    "who",
    "whom",
    "whose",
    "which",
    "why",
    "can",
    "could",
    "do",
    "does",
    "did",
    "is",
    "are",
    "am",
    "was",
    "will",
    "would",
    "should",
    "shall",
    "may",
    "might",
    "must",
    "have",
    "has",
    "any",
    "anyone",
    "anybody",
    "please",
    "pls",
    "help",
    "i need",
    "i'd like",
    "i would like",
    "i want",
    "i'm looking",
    "im looking",
    "looking for",
    "wondering",
    "i wonder",
    "i was wondering",
    "is there",
    "tell me",
    "need",
    "question",
];

/// Whether a chat message asks something: a `?`, or a sentence that starts like a question or
/// a request. Chatter between trainees ("see you at the teaching day") does not.
pub fn looks_like_question(text: &str) -> bool {
    if text.contains('?') {
        return true;
    }
    text.split(['.', '!', '\n'])
        .map(|s| {
            s.trim_start_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .any(|s| {
            QUESTION_STARTS.iter().any(|q| {
                s.starts_with(q)
                    && s[q.len()..]
                        .chars()
                        .next()
                        .is_none_or(|c| !c.is_alphanumeric())
            })
        })
}

/// Text shown as a Markdown quote, each line prefixed with `> `.
pub fn quote(text: &str) -> String {
    text.trim()
        .lines()
        .map(|l| format!("> {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Shortens `text` to at most `max` characters, ending with `…` when cut.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// A link that opens a message in the Discord client.
pub fn jump_link(guild_id: Option<u64>, channel_id: u64, message_id: u64) -> String {
    let guild = guild_id.map_or_else(|| "@me".to_string(), |g| g.to_string());
    format!("https://discord.com/channels/{guild}/{channel_id}/{message_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mass_and_personal_mentions_are_made_inert() {
        let t = neutralise_mentions("@everyone @Here hi <@123> <@!4> <@&5> mail a@b.org");
        assert!(!t.contains("@everyone") && !t.contains("@Here"));
        assert!(!t.contains("<@1") && !t.contains("<@!") && !t.contains("<@&"));
        assert!(t.contains("a@b.org"), "{t}");
        assert_eq!(neutralise_mentions("no mentions"), "no mentions");
        assert_eq!(neutralise_mentions("trailing @"), "trailing @");
    }

    #[test]
    fn markdown_in_user_text_shows_as_typed() {
        assert_eq!(
            escape_markdown("**bold** _it_ `code` ||spoiler|| [x](y) ~~s~~ a\\b"),
            "\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\|\\|spoiler\\|\\| \\[x\\](y) \\~\\~s\\~\\~ a\\\\b"
        );
        assert_eq!(
            escape_markdown("# big\n> q\n-# small\na-b"),
            "\\# big\n\\> q\n\\-# small\na-b"
        );
        assert_eq!(
            escape_markdown("plain text, 1.5 days?"),
            "plain text, 1.5 days?"
        );
    }

    #[test]
    fn long_text_splits_on_paragraphs_then_lines_within_the_limit() {
        let para = "word ".repeat(300); // 1500 chars
        let text = format!("{para}\n\n{para}\n\n{para}");
        let parts = split_message(&text, MAX_MESSAGE);
        assert_eq!(parts.len(), 3);
        assert!(parts.iter().all(|p| p.chars().count() <= MAX_MESSAGE));
        let long_word = "x".repeat(4500);
        let parts = split_message(&long_word, MAX_MESSAGE);
        assert_eq!(parts.len(), 3);
        assert_eq!(parts.concat(), long_word);
        let multibyte = "é".repeat(2500);
        assert!(split_message(&multibyte, MAX_MESSAGE)
            .iter()
            .all(|p| p.chars().count() <= MAX_MESSAGE));
        assert!(split_message("  ", 10).is_empty());
    }

    #[test]
    fn questions_are_told_from_chatter() {
        assert!(looks_like_question("how much protected time do I get"));
        assert!(looks_like_question("Hi all. Can I do FPT in F2"));
        assert!(looks_like_question("funding for courses?"));
        assert!(!looks_like_question("see you at the teaching day"));
        assert!(!looks_like_question("Howdy folks"));
    }
}
