//! Logging set-up and log hygiene: colours only on a terminal, control characters never
//! reach the log (no forged lines, no terminal escapes), and helpers to log text that came
//! from outside (sign-in names, addresses) safely.

use std::io::{self, IsTerminal, Write};

use sha2::{Digest, Sha256};
use tracing_subscriber::fmt::MakeWriter;

/// Most characters of outside text [`safe`] keeps.
pub const SAFE_MAX_CHARS: usize = 64;

/// Outside text made safe for one log field: control characters (newlines, ANSI escapes,
/// NUL…) written as `\u{…}` escapes, cut to [`SAFE_MAX_CHARS`] characters (`…` marks a cut).
pub fn safe(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == SAFE_MAX_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// A short, stable, one-way token for text that must not be logged as is (a name that failed
/// to sign in may be a password typed in the wrong field): the first 12 hex digits of its
/// SHA-256.
pub fn fingerprint(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Removes control characters from one formatted log record, keeping line ends and tabs only
/// where they end the record (the formatter writes each record with one `write` call), and
/// the escape character only when `keep_escape` (the formatter's own colours on a terminal).
pub fn strip_controls(record: &[u8], keep_escape: bool) -> Vec<u8> {
    let text = String::from_utf8_lossy(record);
    let body = text.trim_end_matches(['\n', '\r']);
    let ending = &text[body.len()..];
    let mut out = String::with_capacity(text.len());
    for c in body.chars() {
        match c {
            '\u{1b}' if keep_escape => out.push(c),
            '\n' | '\r' => out.push(' '),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    if !ending.is_empty() {
        out.push('\n');
    }
    out.into_bytes()
}

/// A writer that passes each record through [`strip_controls`] to standard error.
pub struct CleanStderr {
    keep_escape: bool,
}

impl Write for CleanStderr {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        io::stderr()
            .lock()
            .write_all(&strip_controls(buf, self.keep_escape))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stderr().flush()
    }
}

/// Makes a [`CleanStderr`] per record.
#[derive(Clone, Copy)]
pub struct CleanStderrMaker {
    keep_escape: bool,
}

impl<'a> MakeWriter<'a> for CleanStderrMaker {
    type Writer = CleanStderr;
    fn make_writer(&'a self) -> CleanStderr {
        CleanStderr {
            keep_escape: self.keep_escape,
        }
    }
}

/// Installs the global subscriber: `RUST_LOG` (default `info`), to standard error, with
/// colours only when standard error is a terminal (a file or journal gets plain text), and
/// control characters stripped from every record.
pub fn init() {
    let ansi = io::stderr().is_terminal();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_ansi(ansi)
        .with_writer(CleanStderrMaker { keep_escape: ansi })
        .init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_text_cannot_forge_lines_or_colour_the_log() {
        let s = safe("eve\n2026-01-01 INFO signed in user=admin\u{1b}[31m");
        assert!(!s.contains('\n') && !s.contains('\u{1b}'), "{s}");
        assert!(s.starts_with("eve\\u{a}"));
        assert_eq!(safe(&"x".repeat(100)).chars().count(), SAFE_MAX_CHARS + 1);
    }

    #[test]
    fn records_lose_control_characters_but_keep_their_line_end() {
        let out = strip_controls(b"a\nb\x1b[31mc\x07\n", false);
        assert_eq!(String::from_utf8(out).unwrap(), "a b[31mc\n");
        let out = strip_controls(b"\x1b[2mx\x1b[0m\n", true);
        assert_eq!(out, b"\x1b[2mx\x1b[0m\n");
    }

    #[test]
    fn fingerprints_are_short_and_stable() {
        assert_eq!(fingerprint("hunter2"), fingerprint("hunter2"));
        assert_eq!(fingerprint("hunter2").len(), 12);
        assert!(!fingerprint("hunter2").contains("hunter"));
    }
}
