//! Bounds a raw message's header section before it is parsed, so that absurd header fields (a
//! million `References` IDs, a megabyte `Subject`, a million `X-` fields) cost no more than
//! sane ones.
//!
//! One linear pass over the header section (up to the first empty line, RFC 5322 §2.1); no
//! regular expressions. The parser sees a copy with the changes below; the raw message itself
//! is stored untouched.
//!
//! - A field (its first line and its folded continuation lines, §2.2.3) longer than
//!   [`MAX_FIELD_BYTES`] is cut: `References` to its last [`KEPT_IDS`] message-ids (the
//!   closest ancestors, §3.6.4), `In-Reply-To` to its first [`KEPT_IDS`] (the parser takes the
//!   first as the parent), any other field (or one of those two without a `<…>` id) to its
//!   first [`MAX_FIELD_BYTES`], on a character boundary.
//! - Past [`MAX_FIELDS`] fields or [`MAX_HEADER_BYTES`] of header, further fields are dropped,
//!   except the first of each field the parser needs ([`ESSENTIAL`]: `From`, `Subject`,
//!   `Content-Type`…); [`Bounded::dropped`] says how many.
//!
//! Every change is described in [`Bounded::cut`] for the audit log.

use std::borrow::Cow;

/// The longest header field kept as it is, in bytes (name, colon, value and folded line
/// breaks). RFC 5322 limits a line to 998 characters but not a folded field; 64 KiB holds a
/// `To` of a thousand addresses.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;

/// How many message-ids an oversized `References` or `In-Reply-To` keeps. Ingest uses the
/// last ten (`service::ingest::MAX_PARENT_IDS`); more are kept so the parser sees a plausible
/// field.
pub const KEPT_IDS: usize = 100;

/// How many header fields are read. Real mail has tens (a long `Received` trail and
/// Exchange's `X-MS-` fields stay well under a few hundred).
pub const MAX_FIELDS: usize = 1000;

/// How much header is read, in bytes (after the cuts of single fields).
pub const MAX_HEADER_BYTES: usize = 1024 * 1024;

/// Fields read even past [`MAX_FIELDS`] or [`MAX_HEADER_BYTES`] (the first of each name):
/// who sent it, threading, how the body is encoded, and RFC 3834's robot marker.
pub const ESSENTIAL: &[&str] = &[
    "From",
    "Sender",
    "Reply-To",
    "To",
    "Cc",
    "Subject",
    "Date",
    "Message-ID",
    "In-Reply-To",
    "References",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Auto-Submitted",
];

/// A raw message as the parser should see it.
#[derive(Debug)]
pub struct Bounded<'a> {
    /// The message, borrowed when nothing was cut, else a copy with the cut fields rewritten.
    pub raw: Cow<'a, [u8]>,
    /// One line per change: "References: 30000042 bytes, 1000001 message-ids; kept the last
    /// 100", "1000002 header fields: 999002 dropped after the first 1000 …".
    pub cut: Vec<String>,
    /// How many fields were dropped past [`MAX_FIELDS`] or [`MAX_HEADER_BYTES`] (the parser
    /// did not see them: a reason for an admin to look at the message).
    pub dropped: usize,
}

/// `raw` bounded as the module documentation says. Linear in the length of the header
/// section; never fails.
pub fn bound_header_fields(raw: &[u8]) -> Bounded<'_> {
    let mut state = State {
        raw,
        out: None,
        copied: 0,
        cut: Vec::new(),
        fields: 0,
        bytes: 0,
        dropped: 0,
        seen: [false; ESSENTIAL.len()],
    };
    let mut field_start = 0;
    let mut line_start = 0;
    let mut header_end = raw.len();
    while line_start < raw.len() {
        let line_end =
            memchr::memchr(b'\n', &raw[line_start..]).map_or(raw.len(), |i| line_start + i + 1);
        let line = &raw[line_start..line_end];
        let empty = line == b"\n" || line == b"\r\n";
        let continuation = matches!(line.first(), Some(b' ' | b'\t'));
        if empty || (!continuation && line_start > field_start) {
            // the field that started at field_start ends here
            state.field(field_start, line_start);
            field_start = line_start;
        }
        if empty {
            header_end = line_start;
            break;
        }
        line_start = line_end;
    }
    if header_end == raw.len() {
        state.field(field_start, raw.len());
    }
    if state.dropped > 0 {
        let total = state.fields + state.dropped;
        state.cut.push(format!(
            "{total} header fields: {} dropped after the first {MAX_FIELDS} fields or {MAX_HEADER_BYTES} bytes of header (the first From, Subject, Content-Type… were kept)",
            state.dropped
        ));
    }
    let raw = match state.out {
        Some(mut out) => {
            out.extend_from_slice(&raw[state.copied..]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(raw),
    };
    Bounded {
        raw,
        cut: state.cut,
        dropped: state.dropped,
    }
}

/// The pass over one header section.
struct State<'a> {
    raw: &'a [u8],
    /// The copy, once something changed.
    out: Option<Vec<u8>>,
    /// `raw[..copied]` is in `out` already (when there is one).
    copied: usize,
    cut: Vec<String>,
    /// Fields kept, and their bytes as kept.
    fields: usize,
    bytes: usize,
    dropped: usize,
    /// Which of [`ESSENTIAL`] a kept field had.
    seen: [bool; ESSENTIAL.len()],
}

impl State<'_> {
    /// Replaces `raw[start..end]` in the copy with what `write` puts there.
    fn replace(&mut self, start: usize, end: usize, write: impl FnOnce(&mut Vec<u8>)) {
        let raw = self.raw;
        let out = self
            .out
            .get_or_insert_with(|| Vec::with_capacity(raw.len().min(16 << 20)));
        out.extend_from_slice(&raw[self.copied..start]);
        write(out);
        self.copied = end;
    }

    /// Keeps, cuts or drops the field `raw[start..end]`.
    fn field(&mut self, start: usize, end: usize) {
        let field = &self.raw[start..end];
        let colon = memchr::memchr(b':', &field[..field.len().min(1000)]);
        let name = colon.map_or("", |c| {
            std::str::from_utf8(&field[..c]).map_or("", str::trim)
        });
        let over = self.fields >= MAX_FIELDS || self.bytes >= MAX_HEADER_BYTES;
        // only short names can be essential: most junk is skipped without comparing
        let essential = if name.len() <= 25 {
            ESSENTIAL.iter().position(|e| e.eq_ignore_ascii_case(name))
        } else {
            None
        };
        if over && essential.is_none_or(|i| self.seen[i]) {
            self.dropped += 1;
            self.replace(start, end, |_| {});
            return;
        }
        if let Some(i) = essential {
            self.seen[i] = true;
        }
        self.fields += 1;
        if field.len() <= MAX_FIELD_BYTES {
            self.bytes += field.len();
            return;
        }
        let shown: String = name
            .chars()
            .filter(|c| c.is_ascii_graphic())
            .take(76)
            .collect();
        let shown = if shown.is_empty() {
            "(no name)".to_string()
        } else {
            shown
        };
        let eol: &[u8] = match memchr::memchr(b'\n', field) {
            Some(i) if i > 0 && field[i - 1] == b'\r' => b"\r\n",
            _ => b"\n",
        };
        let ids = match colon {
            Some(c) if name.eq_ignore_ascii_case("References") => {
                Some((last_ids(&field[c + 1..], KEPT_IDS), "last"))
            }
            Some(c) if name.eq_ignore_ascii_case("In-Reply-To") => {
                Some((first_ids(&field[c + 1..], KEPT_IDS), "first"))
            }
            _ => None,
        };
        if let Some(((ids, total), which)) = ids.filter(|((ids, _), _)| !ids.is_empty()) {
            let mut kept = 0;
            self.replace(start, end, |out| {
                let before = out.len();
                out.extend_from_slice(name.as_bytes());
                out.push(b':');
                for id in &ids {
                    out.push(b' ');
                    out.extend_from_slice(id);
                    out.extend_from_slice(eol);
                }
                kept = out.len() - before;
            });
            self.bytes += kept;
            self.cut.push(format!(
                "{shown}: {} bytes, {total} message-ids; kept the {which} {}",
                field.len(),
                ids.len()
            ));
            return;
        }
        let mut at = MAX_FIELD_BYTES;
        while at > 0 && (field[at] & 0xC0) == 0x80 {
            at -= 1; // a UTF-8 continuation byte: back to the start of the character
        }
        let kept = field[..at].trim_ascii_end();
        self.replace(start, end, |out| {
            out.extend_from_slice(kept);
            out.extend_from_slice(eol);
        });
        self.bytes += kept.len() + eol.len();
        self.cut.push(format!(
            "{shown}: {} bytes; kept the first {}",
            field.len(),
            kept.len()
        ));
    }
}

/// Whether `id` (`<…>`) is one message-id on one line.
fn plausible_id(id: &[u8]) -> bool {
    id.len() > 2
        && !id[1..id.len() - 1]
            .iter()
            .any(|&b| matches!(b, b'\r' | b'\n' | b'<' | b'>'))
}

/// The last `n` `<…>` ids of `value` in their order, and how many ids it has (counted with
/// one `memchr` pass over the value: `<` bytes).
fn last_ids(value: &[u8], n: usize) -> (Vec<&[u8]>, usize) {
    let mut ids = Vec::new();
    let mut end = value.len();
    while ids.len() < n {
        let Some(gt) = memchr::memrchr(b'>', &value[..end]) else {
            break;
        };
        let Some(lt) = memchr::memrchr(b'<', &value[..gt]) else {
            break;
        };
        if plausible_id(&value[lt..=gt]) {
            ids.push(&value[lt..=gt]);
        }
        end = lt;
    }
    ids.reverse();
    (ids, memchr::memchr_iter(b'<', value).count())
}

/// The first `n` `<…>` ids of `value`, and how many ids it has.
fn first_ids(value: &[u8], n: usize) -> (Vec<&[u8]>, usize) {
    let mut ids = Vec::new();
    let mut start = 0;
    while ids.len() < n {
        let Some(lt) = memchr::memchr(b'<', &value[start..]).map(|i| start + i) else {
            break;
        };
        let Some(gt) = memchr::memchr(b'>', &value[lt..]).map(|i| lt + i) else {
            break;
        };
        // the last '<' before this '>' opens the id
        let lt = memchr::memrchr(b'<', &value[lt..gt]).map_or(lt, |i| lt + i);
        if plausible_id(&value[lt..=gt]) {
            ids.push(&value[lt..=gt]);
        }
        start = gt + 1;
    }
    (ids, memchr::memchr_iter(b'<', value).count())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn references(n: usize, eol: &str) -> String {
        let mut field = String::from("References:");
        for i in 0..n {
            field.push_str(&format!(" <r{i}@example.net>{eol}"));
        }
        field
    }

    #[test]
    fn ordinary_messages_are_borrowed_untouched() {
        let raw = format!(
            "From: a@example.org\r\n{}Subject: hi\r\n\r\nbody\r\n",
            references(50, "\r\n")
        );
        let bounded = bound_header_fields(raw.as_bytes());
        assert!(matches!(bounded.raw, Cow::Borrowed(_)));
        assert!(bounded.cut.is_empty());
    }

    #[test]
    fn a_huge_references_keeps_its_last_ids_and_the_rest_of_the_message() {
        for eol in ["\r\n", "\n"] {
            let raw = format!(
                "From: a@example.org{eol}{}Subject: hi{eol}{eol}body{eol}References: <not@header>{eol}",
                references(100_000, eol)
            );
            let bounded = bound_header_fields(raw.as_bytes());
            let text = std::str::from_utf8(&bounded.raw).unwrap();
            assert!(text.len() < 10_000, "{} bytes left", text.len());
            let expected: String = (100_000 - KEPT_IDS..100_000)
                .map(|i| format!(" <r{i}@example.net>{eol}"))
                .collect();
            assert_eq!(
                text,
                format!(
                    "From: a@example.org{eol}References:{expected}Subject: hi{eol}{eol}body{eol}References: <not@header>{eol}"
                )
            );
            assert_eq!(bounded.cut.len(), 1);
            assert!(
                bounded.cut[0].starts_with("References: ")
                    && bounded.cut[0].contains("100000 message-ids; kept the last 100"),
                "{:?}",
                bounded.cut
            );
        }
    }

    #[test]
    fn a_huge_in_reply_to_keeps_its_first_ids() {
        let field = references(5_000, "\r\n").replacen("References:", "in-reply-to:", 1);
        let raw = format!("{field}From: a@example.org\r\n\r\nbody");
        let bounded = bound_header_fields(raw.as_bytes());
        let text = std::str::from_utf8(&bounded.raw).unwrap();
        assert!(text.starts_with("in-reply-to: <r0@example.net>\r\n <r1@example.net>\r\n"));
        assert!(!text.contains("<r100@example.net>"));
        assert!(text.ends_with("From: a@example.org\r\n\r\nbody"));
        assert!(
            bounded.cut[0].contains("kept the first 100"),
            "{:?}",
            bounded.cut
        );
    }

    #[test]
    fn other_long_fields_are_cut_on_a_character_boundary() {
        // 3-byte characters so that the limit falls inside one
        let subject = "é€".repeat(MAX_FIELD_BYTES);
        let raw = format!("Subject: {subject}\nFrom: a@example.org\n\nbody");
        let bounded = bound_header_fields(raw.as_bytes());
        let text = std::str::from_utf8(&bounded.raw).expect("still UTF-8");
        let (first, rest) = text.split_once('\n').unwrap();
        assert!(first.len() <= MAX_FIELD_BYTES && first.len() > MAX_FIELD_BYTES - 4);
        assert_eq!(rest, "From: a@example.org\n\nbody");
        assert!(bounded.cut[0].starts_with("Subject: "), "{:?}", bounded.cut);
    }

    #[test]
    fn a_header_without_a_body_or_a_final_line_break_is_bounded_too() {
        let raw = format!("From: a@example.org\r\nX-Junk: {}", "x".repeat(200_000));
        let bounded = bound_header_fields(raw.as_bytes());
        assert!(bounded.raw.len() <= MAX_FIELD_BYTES + 30);
        assert!(bounded
            .raw
            .starts_with(b"From: a@example.org\r\nX-Junk: xxx"));
        // a References without any <id> is cut like any field
        let raw = format!("References: {}\r\n\r\nbody", "x ".repeat(100_000));
        let bounded = bound_header_fields(raw.as_bytes());
        assert!(bounded.raw.ends_with(b"\r\n\r\nbody"));
        assert!(
            bounded.cut[0].contains("kept the first"),
            "{:?}",
            bounded.cut
        );
    }

    #[test]
    fn long_bodies_are_not_header_fields() {
        let raw = format!("From: a@example.org\r\n\r\n{}", "y".repeat(500_000));
        let bounded = bound_header_fields(raw.as_bytes());
        assert!(matches!(bounded.raw, Cow::Borrowed(_)));
    }

    #[test]
    fn past_the_field_budget_only_the_first_essential_fields_are_kept() {
        let mut raw = String::from("X-First: 1\r\n");
        for i in 0..200_000 {
            raw.push_str(&format!("X-J{i}: junk\r\n"));
        }
        raw.push_str("From: a@example.org\r\nSubject: one\r\nSubject: two\r\n");
        raw.push_str("Content-Type: text/plain\r\n\r\nbody\r\n");
        let bounded = bound_header_fields(raw.as_bytes());
        let text = std::str::from_utf8(&bounded.raw).unwrap();
        assert_eq!(bounded.dropped, 200_000 - (MAX_FIELDS - 1) + 1);
        assert!(text.starts_with("X-First: 1\r\nX-J0: junk\r\n"));
        assert!(text.contains(&format!("X-J{}: junk\r\n", MAX_FIELDS - 2)));
        assert!(!text.contains(&format!("X-J{}:", MAX_FIELDS - 1)));
        assert!(text.ends_with(
            "From: a@example.org\r\nSubject: one\r\nContent-Type: text/plain\r\n\r\nbody\r\n"
        ));
        assert!(bounded.cut.last().is_some_and(|c| c.contains("dropped")));
    }
}
