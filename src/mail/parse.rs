//! Parses raw messages with mail-parser: every charset decoded, HTML-only mail turned into
//! text, attachments recorded (never opened), and a message that cannot be parsed still yields
//! an enquiry flagged for admins rather than an error.

use mail_parser::{Address, HeaderValue, MessageParser, MimeHeaders};

use crate::enquiry::{Attachment, Channel, Enquiry, Headers};

/// Bodies longer than this are cut for matching; the raw message is kept whole elsewhere.
pub const MAX_BODY_CHARS: usize = 100_000;

fn first_address(addr: Option<&Address<'_>>) -> (String, Option<String>) {
    let Some(addr) = addr.and_then(|a| a.first()) else {
        return (String::new(), None);
    };
    (
        addr.address().unwrap_or_default().to_string(),
        addr.name()
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty()),
    )
}

fn header_text(value: &HeaderValue<'_>) -> Option<String> {
    match value {
        HeaderValue::Text(t) => Some(t.to_string()),
        HeaderValue::TextList(list) => Some(list.join(", ")),
        HeaderValue::ContentType(ct) => Some(match &ct.c_subtype {
            Some(sub) => format!("{}/{}", ct.c_type, sub),
            None => ct.c_type.to_string(),
        }),
        HeaderValue::Address(a) => a
            .first()
            .map(|x| x.address().unwrap_or_default().to_string()),
        HeaderValue::DateTime(d) => Some(d.to_rfc3339()),
        _ => None,
    }
}

/// Removes line breaks and control characters that could forge headers when echoed back.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Parses a raw message into an enquiry. Never fails: what cannot be read is flagged.
pub fn parse_message(raw: &[u8]) -> Enquiry {
    let mut enquiry = Enquiry {
        channel: Some(Channel::Email),
        ..Default::default()
    };
    let Some(message) = MessageParser::default().parse(raw) else {
        enquiry.parse_problem = Some(
            "not a readable email message (no headers found); kept raw for an admin to read".into(),
        );
        enquiry.body = String::from_utf8_lossy(&raw[..raw.len().min(MAX_BODY_CHARS)]).into_owned();
        return enquiry;
    };
    let (from, from_name) = first_address(message.from());
    enquiry.from = from;
    enquiry.from_name = from_name.map(|n| one_line(&n));
    if enquiry.from.is_empty() {
        enquiry.parse_problem =
            Some("no sender address (From header missing or unreadable)".into());
    }
    enquiry.subject = message.subject().map(one_line);
    enquiry.message_id = message.message_id().map(|s| s.to_string());
    enquiry.in_reply_to = message
        .in_reply_to()
        .as_text_list()
        .and_then(|l| l.first().map(|s| s.to_string()));
    enquiry.references = message
        .references()
        .as_text_list()
        .map(|l| l.iter().map(|s| s.to_string()).collect())
        .unwrap_or_default();

    let mut headers = Headers::default();
    for h in message.headers() {
        let name = h.name().to_string();
        let value = header_text(h.value()).unwrap_or_default();
        headers.push(name, one_line(&value));
    }
    // Keep the raw Content-Type parameters: "multipart/report; report-type=delivery-status".
    if let Some(ct) = message.content_type() {
        let mut value = match &ct.c_subtype {
            Some(sub) => format!("{}/{}", ct.c_type, sub),
            None => ct.c_type.to_string(),
        };
        for attr in ct.attributes().unwrap_or_default() {
            let (k, v) = (&attr.name, &attr.value);
            value.push_str(&format!("; {k}={v}"));
        }
        headers
            .0
            .retain(|(n, _)| !n.eq_ignore_ascii_case("Content-Type"));
        headers.push("Content-Type", value);
    }
    enquiry.headers = headers;

    let mut body = message
        .body_text(0)
        .map(|b| b.into_owned())
        .unwrap_or_default();
    if body.chars().count() > MAX_BODY_CHARS {
        body = body.chars().take(MAX_BODY_CHARS).collect();
        enquiry.parse_problem.get_or_insert_with(|| {
            format!("body longer than {MAX_BODY_CHARS} characters: only the start was read")
        });
    }
    enquiry.body = body;
    for part in message.attachments() {
        let content_type = part
            .content_type()
            .map(|ct| match &ct.c_subtype {
                Some(sub) => format!("{}/{}", ct.c_type, sub),
                None => ct.c_type.to_string(),
            })
            .unwrap_or_else(|| "application/octet-stream".into());
        enquiry.attachments.push(Attachment {
            name: part
                .attachment_name()
                .map(one_line)
                .unwrap_or_else(|| "(unnamed)".into()),
            content_type,
            size: part.contents().len(),
        });
    }
    enquiry
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sender_subject_threading_and_body() {
        let raw = b"From: \"Dr D. Moore\" <d.moore@example.org>\r\nTo: fpt@example.org\r\nSubject: FPT time\r\nMessage-ID: <abc@example.org>\r\nIn-Reply-To: <prev@example.org>\r\nReferences: <root@example.org> <prev@example.org>\r\n\r\nHow much time is protected?\r\n";
        let e = parse_message(raw);
        assert_eq!(e.from, "d.moore@example.org");
        assert_eq!(e.from_name.as_deref(), Some("Dr D. Moore"));
        assert_eq!(e.subject.as_deref(), Some("FPT time"));
        assert_eq!(e.message_id.as_deref(), Some("abc@example.org"));
        assert_eq!(e.in_reply_to.as_deref(), Some("prev@example.org"));
        assert_eq!(e.references, vec!["root@example.org", "prev@example.org"]);
        assert!(e.body.contains("How much time is protected?"));
        assert!(e.parse_problem.is_none());
    }

    #[test]
    fn html_only_mail_becomes_text_and_other_charsets_decode() {
        let raw = "From: a@example.org\r\nSubject: =?ISO-8859-1?Q?Caf=E9?=\r\nContent-Type: text/html; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<p>Is there a <b>handbook</b>? Caf=E9</p>\r\n";
        let e = parse_message(raw.as_bytes());
        assert_eq!(e.subject.as_deref(), Some("Café"));
        assert!(e.body.contains("handbook"), "{}", e.body);
        assert!(e.body.contains("Café"));
        assert!(!e.body.contains("<b>"));
    }

    #[test]
    fn report_content_type_keeps_its_parameters() {
        let raw = b"From: MAILER-DAEMON@example.org\r\nSubject: failure\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--b--\r\n";
        let e = parse_message(raw);
        assert!(e
            .headers
            .get("content-type")
            .unwrap()
            .contains("multipart/report"));
    }

    #[test]
    fn header_injection_in_subject_is_flattened() {
        let raw = b"From: a@example.org\r\nSubject: =?UTF-8?Q?Hello=0D=0ABcc:_victim@example.org?=\r\n\r\nbody\r\n";
        let e = parse_message(raw);
        let subject = e.subject.unwrap();
        assert!(
            !subject.contains('\n') && !subject.contains('\r'),
            "{subject:?}"
        );
    }

    #[test]
    fn garbage_is_kept_and_flagged_not_dropped() {
        let e = parse_message(b"\x00\x01\x02 not a message");
        assert!(e.parse_problem.is_some() || e.from.is_empty());
    }

    #[test]
    fn attachments_are_recorded_not_inlined() {
        let raw = b"From: a@example.org\r\nSubject: cv\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n--b\r\nContent-Type: application/pdf; name=\"cv.pdf\"\r\nContent-Disposition: attachment; filename=\"cv.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b--\r\n";
        let e = parse_message(raw);
        assert_eq!(e.attachments.len(), 1);
        assert_eq!(e.attachments[0].name, "cv.pdf");
        assert_eq!(e.attachments[0].content_type, "application/pdf");
        assert!(!e.body.contains("JVBER"));
    }
}
