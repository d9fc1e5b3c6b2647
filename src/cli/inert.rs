//! Terminal safety: text that came in a message is printed inert. Control characters (ESC
//! starts ANSI/VT100 sequences that retitle the window, recolour or rewrite the screen; BEL
//! rings; CR overwrites a line) and Unicode bidirectional controls are shown as visible
//! escapes (`\u{1b}`) instead of being sent to the admin's terminal.
//!
//! Logs: tracing-subscriber (0.3.20 and later) escapes control characters in a log message,
//! but not in `%` (Display) field values: a field value that came in a message goes through
//! `inert_line` (or is left out: no mail bodies are logged).

use crate::mail::is_bidi_control;

/// `text` with every control character other than line feed and tab, and every bidirectional
/// control, written as `\u{…}`.
pub fn inert(text: &str) -> String {
    escape(text, false)
}

/// Like `inert`, and line breaks and tabs escaped too: for one-line fields (sender, subject).
pub fn inert_line(text: &str) -> String {
    escape(text, true)
}

fn escape(text: &str, one_line: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let keep = !one_line && (c == '\n' || c == '\t');
        if (c.is_control() || is_bidi_control(c)) && !keep {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_sequences_are_shown_not_obeyed() {
        let cases = [
            ("\u{1b}]0;pwned\u{7}title", "\\u{1b}]0;pwned\\u{7}title"),
            ("\u{1b}[31mred\u{1b}[0m", "\\u{1b}[31mred\\u{1b}[0m"),
            ("over\rwrite", "over\\u{d}write"),
            ("abc\u{202e}fdp.exe", "abc\\u{202e}fdp.exe"),
            ("a\u{9b}31m", "a\\u{9b}31m"),
            ("line one\nline two\ttab", "line one\nline two\ttab"),
        ];
        for (input, shown) in cases {
            assert_eq!(inert(input), shown, "{input:?}");
        }
        assert_eq!(inert_line("a\nBcc: x"), "a\\u{a}Bcc: x");
    }
}
