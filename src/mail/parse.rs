//! Parses raw messages with mail-parser: every charset decoded (a missing or wrong `charset`
//! label is detected, see `charset`), HTML-only mail turned into text, control characters
//! removed, attachments recorded (never opened), and a message that cannot be parsed or read
//! still yields an enquiry flagged for admins rather than an error.
//!
//! Who the enquiry is from: the `Reply-To` address when there is one (web forms send from a
//! robot address with the person in `Reply-To`); for a forward ("FW:" with the original inline,
//! or attached as `message/rfc822`), the original sender, with the forwarder recorded. An NHS
//! directory display name ("SURNAME, Firstname (ORGANISATION)") gives the person's name and
//! their organisation separately.

use std::sync::LazyLock;

use mail_parser::decoders::base64::base64_decode;
use mail_parser::decoders::html::html_to_text;
use mail_parser::decoders::quoted_printable::quoted_printable_decode;
use mail_parser::{
    Address, ContentType, Encoding, HeaderValue, Message, MessageParser, MessagePart, MimeHeaders,
};
use regex::Regex;

use super::charset::{decode_text, CharsetError};
use crate::enquiry::{Attachment, Channel, Enquiry, Headers};
use crate::text::clean::split_forward;

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

/// A header field's value as it stands in the message (unfolded by `one_line` later).
fn raw_value(raw: &[u8], header: &mail_parser::Header<'_>) -> String {
    raw.get(header.offset_start as usize..header.offset_end as usize)
        .map(|v| String::from_utf8_lossy(v).trim().to_string())
        .unwrap_or_default()
}

/// Removes line breaks and control characters that could forge headers when echoed back, and
/// bidirectional controls (subjects and display names read as they display).
fn one_line(s: &str) -> String {
    s.chars()
        .filter(|&c| !is_bidi_control(c))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Parses a raw message into an enquiry. Never fails: what cannot be read is flagged.
pub fn parse_message(raw: &[u8]) -> Enquiry {
    parse_message_as(raw, Sender::Person)
}

/// Whose message an enquiry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sender {
    /// The person the reply is for: `Reply-To`, or a forward's original sender.
    Person,
    /// The `From` address as it stands (when `Person` turned out to be our own address: a
    /// colleague forwarding our earlier answer, or a `Reply-To` naming our mailbox).
    From,
}

/// `parse_message`, choosing whose message it is.
pub fn parse_message_as(raw: &[u8], sender: Sender) -> Enquiry {
    // an absurd header field (a million References) is cut first: parsing stays linear in
    // a bounded header, whatever was sent
    let super::bound::Bounded {
        raw: bounded,
        cut: cut_headers,
        dropped,
    } = super::bound::bound_header_fields(raw);
    let raw: &[u8] = &bounded;
    let mut enquiry = Enquiry {
        channel: Some(Channel::Email),
        cut_headers,
        ..Default::default()
    };
    let Some(message) = MessageParser::default().parse(raw).filter(has_mail_headers) else {
        return not_mail(enquiry, raw);
    };
    let (from, from_name) = first_address(message.from());
    enquiry.from = from;
    set_name(&mut enquiry, from_name);
    // Reply-To names the person a web form or a list sends for: answer them, never the robot.
    let (reply_to, reply_name) = first_address(message.reply_to());
    if sender == Sender::Person
        && plausible_address(&reply_to)
        && !reply_to.eq_ignore_ascii_case(&enquiry.from)
    {
        enquiry.from = reply_to;
        if reply_name.is_some() {
            set_name(&mut enquiry, reply_name);
        }
    }
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
        let value =
            if name.eq_ignore_ascii_case("Return-Path") || name.eq_ignore_ascii_case("List-Post") {
                // as written: the null reverse-path `<>` parses to no id at all, and only the
                // first of List-Post's URLs (RFC 2369) would be kept
                raw_value(raw, h)
            } else {
                header_text(h.value()).unwrap_or_default()
            };
        headers.push(name, one_line(&value));
    }
    // Keep the raw Content-Type parameters: "multipart/report; report-type=delivery-status".
    if let Some(ct) = message.content_type() {
        headers
            .0
            .retain(|(n, _)| !n.eq_ignore_ascii_case("Content-Type"));
        headers.push("Content-Type", content_type_text(ct, true));
    }
    enquiry.headers = headers;
    if sender == Sender::Person {
        answer_the_lists_poster(&mut enquiry);
    }

    let read = read_body(&message, raw);
    enquiry.body = read.text;
    enquiry.unreadable = read.unreadable;
    if sender == Sender::Person {
        answer_the_forms_sender(&mut enquiry);
    }
    if read.truncated {
        enquiry.parse_problem.get_or_insert_with(|| {
            format!("body longer than {MAX_BODY_CHARS} characters: only the start was read")
        });
    }
    enquiry.attachments = attachments(&message);
    if sender == Sender::Person {
        take_forwarded(&mut enquiry, &message);
    }
    if enquiry.unreadable.is_none() {
        // words of no one's ("Sent from my iPhone") around a document: the document is the
        // message, and no one has read it
        let documents: Vec<&str> = enquiry
            .attachments
            .iter()
            .filter(|a| !a.content_type.starts_with("image/") && a.content_type != "text/calendar")
            .map(|a| a.name.as_str())
            .collect();
        // the body cleaned only when there is a document (most mail has none): cleaning a
        // whole body is most of the cost of reading a mail, and triage cleans it again
        if !documents.is_empty() && crate::text::clean_message(&enquiry.body).text.is_empty() {
            enquiry.unreadable = Some(format!(
                "no readable text: only {} {}",
                if documents.len() == 1 {
                    "an attachment"
                } else {
                    "attachments"
                },
                documents.join(", ")
            ));
        }
    }
    if let Some(why) = &enquiry.unreadable {
        enquiry.parse_problem.get_or_insert_with(|| why.clone());
    }
    if dropped > 0 {
        // fields the parser never saw may have said "robot" or "bulk": an admin decides
        enquiry.parse_problem.get_or_insert_with(|| {
            format!(
                "{dropped} header fields past the first {} were not read; the raw message is kept",
                super::bound::MAX_FIELDS
            )
        });
    }
    enquiry
}

/// Why a file that is not an email message (an image, compressed data, an empty file, a
/// line of text) is kept for an admin instead of being read as one.
pub const NOT_MAIL: &str =
    "not a readable email message (no headers found); kept raw for an admin to read";

/// Whether a parsed message has any header field of an email (From, Subject, Date,
/// Content-Type, Received…): mail-parser makes a message of any bytes, even none.
fn has_mail_headers(message: &Message<'_>) -> bool {
    message
        .headers()
        .iter()
        .any(|h| !matches!(h.name, mail_parser::HeaderName::Other(_)))
}

/// The enquiry for bytes that are no email message: unreadable, for an admin, never matched
/// or answered, its start kept as text only to show (the raw bytes are stored whole).
fn not_mail(mut enquiry: Enquiry, raw: &[u8]) -> Enquiry {
    enquiry.parse_problem = Some(NOT_MAIL.into());
    enquiry.unreadable = Some(NOT_MAIL.into());
    enquiry.body = readable(&String::from_utf8_lossy(
        &raw[..raw.len().min(MAX_BODY_CHARS)],
    ));
    enquiry
}

/// `type/subtype`, with the parameters (`; name=value`) when `params`.
fn content_type_text(ct: &ContentType<'_>, params: bool) -> String {
    let mut value = match &ct.c_subtype {
        Some(sub) => format!("{}/{}", ct.c_type, sub),
        None => ct.c_type.to_string(),
    }
    .to_ascii_lowercase();
    if params {
        for attr in ct.attributes().unwrap_or_default() {
            value.push_str(&format!("; {}={}", attr.name, attr.value));
        }
    }
    value
}

/// Sets the display name, splitting an NHS directory form into the person and organisation.
/// A person's post through a mailing list whose address is all `From` and `Reply-To` give
/// (Google Groups rewrites `From` to "'Name' via Group" <group@…> and may set `Reply-To` to
/// the group): the reply goes to the poster Google Groups names in `X-Original-Sender`, not
/// to everyone on the list. Only when the address chosen is the list's own posting address
/// (a `mailto:` of RFC 2369's `List-Post`).
fn answer_the_lists_poster(enquiry: &mut Enquiry) {
    let Some(post) = enquiry.headers.get("List-Post") else {
        return;
    };
    let is_list = post
        .split(['<', '>', ',', ' '])
        .filter_map(|p| p.strip_prefix("mailto:"))
        .any(|a| {
            a.split('?')
                .next()
                .unwrap_or("")
                .eq_ignore_ascii_case(&enquiry.from)
        });
    let poster = enquiry
        .headers
        .get("X-Original-Sender")
        .map(|a| a.trim().trim_matches(['<', '>']).to_string())
        .filter(|a| plausible_address(a));
    if let (true, Some(poster)) = (is_list, poster) {
        // "'Hamza Iqbal' via FPT Trainees" names the poster
        let name = enquiry.from_name.as_deref().and_then(|n| {
            n.split_once(" via ")
                .map(|(who, _)| who.trim().trim_matches(['\'', '"']).to_string())
        });
        enquiry.from = poster;
        set_name(enquiry, name);
    }
}

/// A web form's field giving the person's address: "Email: rhiannon@example.com".
static FORM_EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)^\s*(?:your\s+)?e-?mail(?:\s+address)?\s*:\s*<?([^\s<>@]+@[^\s<>@]+\.[^\s<>@]+?)>?\s*$")
        .expect("form email regex is valid")
});

/// A web form's relay sent from a robot address with no `Reply-To`: the person is the one
/// address of the form's "Email:" field (two such fields, or none: left to the robot
/// address, which triage ignores).
fn answer_the_forms_sender(enquiry: &mut Enquiry) {
    if !crate::ignore::is_robot_address(&enquiry.from) {
        return;
    }
    let mut fields = FORM_EMAIL.captures_iter(&enquiry.body).take(2);
    let (Some(one), None) = (fields.next(), fields.next()) else {
        return;
    };
    let address = one[1].trim_end_matches('.').to_string();
    if plausible_address(&address) && !crate::ignore::is_robot_address(&address) {
        enquiry.from = address;
        enquiry.from_name = None;
    }
}

fn set_name(enquiry: &mut Enquiry, name: Option<String>) {
    let Some(name) = name.map(|n| one_line(&n)).filter(|n| !n.is_empty()) else {
        enquiry.from_name = None;
        return;
    };
    match directory_name(&name) {
        Some((person, organisation)) => {
            enquiry.from_name = Some(person);
            enquiry.organisation = organisation;
        }
        None => enquiry.from_name = Some(name),
    }
}

static DIRECTORY_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?P<surname>[^,()@]+?)\s*,\s*(?P<first>[^,()@]+?)\s*(?:\((?P<org>[^()]+)\))?\s*$",
    )
    .expect("directory name regex is valid")
});

/// "SURNAME, Firstname (ORGANISATION)" (the NHS directory's display name, as Outlook shows it)
/// → the name to greet and the organisation. A surname in capitals is left out of the greeting
/// ("Dear Siobhán") rather than guessed into mixed case; "Smith, Jo" → "Jo Smith".
pub fn directory_name(display: &str) -> Option<(String, Option<String>)> {
    let caps = DIRECTORY_NAME.captures(display)?;
    let surname = caps.name("surname")?.as_str().trim();
    let first = caps.name("first")?.as_str().trim();
    // "Smith, Dr" or a list of people is not a directory name
    if first.split_whitespace().count() > 3 || surname.split_whitespace().count() > 4 {
        return None;
    }
    let shouting =
        surname.chars().any(char::is_alphabetic) && !surname.chars().any(char::is_lowercase);
    let person = if shouting {
        first.to_string()
    } else {
        format!("{first} {surname}")
    };
    let organisation = caps
        .name("org")
        .map(|m| m.as_str().trim().to_string())
        .filter(|o| !o.is_empty());
    Some((person, organisation))
}

fn plausible_address(address: &str) -> bool {
    address
        .rsplit_once('@')
        .is_some_and(|(l, d)| !l.is_empty() && d.contains('.'))
        && !address.chars().any(|c| c.is_control() || c.is_whitespace())
}

/// The text of a message's body.
struct Body {
    text: String,
    truncated: bool,
    /// Why there is no text to read, when there is none.
    unreadable: Option<String>,
}

/// Reads the first text (or HTML) body part, decoding its charset from the raw bytes; flags a
/// message whose only content is attachments, encrypted, or in an unknown character set.
/// `root` is the whole raw message: mail-parser gives the offsets of parts of an attached
/// message relative to it, not to the attached message.
fn read_body(message: &Message<'_>, root: &[u8]) -> Body {
    let mut body = Body {
        text: String::new(),
        truncated: false,
        unreadable: None,
    };
    if let Some(ct) = message.content_type() {
        let kind = content_type_text(ct, false);
        let smime = ct.attribute("smime-type").unwrap_or_default();
        if kind.ends_with("pkcs7-mime") && !smime.eq_ignore_ascii_case("signed-data") {
            body.unreadable =
                Some("no readable text: an S/MIME-encrypted message (smime.p7m)".into());
            return body;
        }
        if kind == "multipart/encrypted" {
            body.unreadable = Some("no readable text: an encrypted (PGP/MIME) message".into());
            return body;
        }
    }
    let part = message
        .text_body
        .iter()
        .filter_map(|&i| message.parts.get(i as usize))
        .find(|p| p.is_text());
    if let Some(part) = part {
        match part_text(root, part) {
            Ok(text) => body.text = text,
            Err(e) => {
                body.unreadable = Some(format!("no readable text: {e}"));
                return body;
            }
        }
    }
    body.text = readable(&body.text);
    if body.text.chars().count() > MAX_BODY_CHARS {
        body.text = body.text.chars().take(MAX_BODY_CHARS).collect();
        body.truncated = true;
    }
    if body.text.trim().is_empty() {
        let names: Vec<String> = message
            .attachments()
            .map(|a| {
                a.attachment_name().map(one_line).unwrap_or_else(|| {
                    a.content_type()
                        .map(|c| content_type_text(c, false))
                        .unwrap_or_else(|| "(unnamed)".into())
                })
            })
            .collect();
        if !names.is_empty() {
            let what = if names.len() == 1 {
                format!("an attachment {}", names[0])
            } else {
                format!("attachments {}", names.join(", "))
            };
            body.unreadable = Some(format!("no readable text: only {what}"));
        }
    }
    body
}

/// A text part's text: its transfer encoding undone from the raw bytes, then its charset
/// decoded (detected when missing or wrong); HTML becomes text.
fn part_text(root: &[u8], part: &MessagePart<'_>) -> Result<String, CharsetError> {
    let (start, end) = (part.offset_body as usize, part.offset_end as usize);
    let decoded: Option<Vec<u8>> =
        root.get(start..end.min(root.len()))
            .and_then(|bytes| match part.encoding {
                Encoding::QuotedPrintable => quoted_printable_decode(bytes),
                Encoding::Base64 => base64_decode(bytes),
                Encoding::None => Some(bytes.to_vec()),
            });
    let text = match decoded {
        Some(bytes) => {
            let label = part.content_type().and_then(|ct| ct.attribute("charset"));
            decode_text(&bytes, label)?.text
        }
        // the part's bytes are not where expected, or its transfer encoding is broken: use
        // what mail-parser made of it
        None => part.text_contents().unwrap_or_default().to_string(),
    };
    Ok(if part.is_text_html() || looks_like_html(&text) {
        html_to_text(&with_layout_spaces(&without_hidden_html(&text)))
    } else {
        text
    })
}

/// A message body given as text (a JSONL line's `body`, a web form's field) read as a mail
/// client would show it: HTML ([`looks_like_html`]) becomes its text, as a `text/plain` part
/// holding HTML does at intake; any other text is returned unchanged.
pub fn body_as_text(body: String) -> String {
    if looks_like_html(&body) {
        html_to_text(&with_layout_spaces(&without_hidden_html(&body)))
    } else {
        body
    }
}

/// A document in HTML whatever its part's label says: it opens with a doctype, `<html>`,
/// `<head>`, `<body>`, or a `<div>`, `<p>`, `<table>` or `<meta>` tag, and closes a tag
/// somewhere. Web forms and some clients send HTML as `text/plain`; read as text, its tags
/// and entities would be the words matched and shown.
///
/// Also a fragment of HTML with no document around it, as some web forms and phone clients
/// send: at least two line-break tags ("Dear FPT team,&nbsp;<br><br>Which pathways …"),
/// which plain text does not write (a paragraph tag or two may be quoted: "why does the form
/// show <p> tags?").
fn looks_like_html(text: &str) -> bool {
    (LOOKS_LIKE_HTML.is_match(text) && text.contains("</"))
        || HTML_BREAK.find_iter(text).take(2).count() == 2
}

/// A line-break tag: `<br>`, `<br/>`, `<br />`.
static HTML_BREAK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)<br\s*/?>").expect("html-break regex is valid"));

static LOOKS_LIKE_HTML: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\A\s*<(?:!doctype\s+html|html|head|body|div|p|table|meta)\b[^>]*>")
        .expect("looks-like-html regex is valid")
});

/// The end of a block of HTML (a heading, `<div>`, list item, table row…), after which a
/// browser starts a new line.
static BLOCK_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)</(?:div|h[1-6]|li|tr|table|ul|ol|dl|dt|dd|blockquote|section|article|header|footer|nav|aside|main|address|pre|center|form|fieldset|figure|figcaption|caption)\s*>")
        .expect("block-end regex is valid")
});

/// A table row's first cell holding a short label ("<tr><td><b>Name</b></td><td>…"), as a
/// web form's HTML relay lays out its fields: read as "Name: …", like its plain-text form.
static LABEL_CELL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?P<open><tr\b[^>]*>\s*<t[dh]\b[^>]*>\s*(?:<(?:b|strong|span|label|p)\b[^>]*>\s*)?)(?P<label>[A-Za-z][A-Za-z '-]{0,30}?)(?P<close>\s*(?:</(?:b|strong|span|label|p)\s*>\s*)?</t[dh]\s*>\s*<t[dh]\b)")
        .expect("label cell regex is valid")
});

/// The end of a table cell, or white space after any closing tag.
static CELL_END_OR_SPACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)</t[dh]\s*>|(</[a-z][a-z0-9]*\s*>)\s+").expect("cell-end regex is valid")
});

/// HTML with the line breaks and spaces a browser would show made explicit for
/// `mail_parser`'s `html_to_text` (0.11), which runs the words of adjacent blocks together
/// ("<div>Hi,</div><div>How long…" read "Hi,How long…", "<td>Name:</td><td>Sam</td>"
/// "Name:Sam") and drops the space after a link whose `href` is quoted ("<a href="…">
/// Unsubscribe</a> from" read "Unsubscribefrom"): a `<br>` after each block's end, a space
/// (`&#32;`) after each cell and in place of white space after a closing tag.
fn with_layout_spaces(html: &str) -> String {
    let html = LABEL_CELL.replace_all(html, "${open}${label}:${close}");
    let html = BLOCK_END.replace_all(&html, "$0<br>");
    CELL_END_OR_SPACE
        .replace_all(&html, |c: &regex::Captures<'_>| match c.get(1) {
            Some(tag) => format!("{}&#32;", tag.as_str()),
            None => format!("{}&#32;", &c[0]),
        })
        .into_owned()
}

/// `html` without what a mail client never shows: comments and the contents of `<head>`,
/// `<title>`, `<script>`, `<style>`, `<template>` and `<noscript>` (closed elements only: an
/// unclosed one is left for `html_to_text`, so no text is lost to a stray tag). One
/// definition with what the matcher leaves out of markup typed into plain text
/// ([`crate::text::markup::without_hidden_html`]).
pub fn without_hidden_html(html: &str) -> String {
    crate::text::markup::without_hidden_html(html).into_owned()
}

/// Text with control characters (ESC, BEL, NUL…) and bidirectional overrides removed; line
/// breaks and tabs kept. What reaches the matcher, the store and the screens.
///
/// Every carriage return goes (a CR of a CRLF, and a lone one, which is a control): the
/// text keeps its other characters as they are, copied a run at a time between the ones
/// left out (most text has none, and is copied whole).
pub fn readable(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut run, mut at) = (0, 0);
    while at < bytes.len() {
        let b = bytes[at];
        // an ASCII character is a control (`char::is_control`) below a space and at DEL, and
        // never a bidirectional one; other characters are read whole
        let (kept, len) = if b.is_ascii() {
            (b == b'\n' || b == b'\t' || !(b < b' ' || b == 0x7f), 1)
        } else {
            let c = text[at..].chars().next().unwrap_or_default();
            (kept_as_readable(c), c.len_utf8())
        };
        if !kept {
            out.push_str(&text[run..at]);
            run = at + len;
        }
        at += len;
    }
    out.push_str(&text[run..]);
    out
}

/// Whether [`readable`] keeps `c`: a line feed, a tab, or no control at all.
fn kept_as_readable(c: char) -> bool {
    c == '\n' || c == '\t' || !(c.is_control() || is_bidi_control(c))
}

/// Unicode bidirectional embedding, override and isolate controls (U+202A–U+202E,
/// U+2066–U+2069) and marks (U+200E, U+200F, U+061C): they can make text display other than
/// it reads.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
    )
}

fn attachments(message: &Message<'_>) -> Vec<Attachment> {
    let mut out = Vec::new();
    for part in message.attachments() {
        let content_type = part
            .content_type()
            .map(|ct| content_type_text(ct, false))
            .unwrap_or_else(|| "application/octet-stream".into());
        out.push(Attachment {
            name: part
                .attachment_name()
                .map(one_line)
                .unwrap_or_else(|| "(unnamed)".into()),
            content_type,
            size: part.contents().len(),
        });
    }
    // A calendar part inside multipart/alternative is not an attachment to mail-parser, but
    // it is what makes the message an invitation.
    for part in &message.parts {
        let Some(ct) = part.content_type() else {
            continue;
        };
        let kind = content_type_text(ct, false);
        if kind == "text/calendar" && !out.iter().any(|a| a.content_type == kind) {
            out.push(Attachment {
                name: part
                    .attachment_name()
                    .map(one_line)
                    .unwrap_or_else(|| "invite.ics".into()),
                content_type: kind,
                size: part.contents().len(),
            });
        }
    }
    out
}

/// A forward: the original sender becomes the person the enquiry is from and the original
/// text the body; the forwarder is recorded. Inline (Outlook's header block, Gmail's and Apple
/// Mail's markers) when the subject says it is a forward, or attached as `message/rfc822`.
fn take_forwarded(enquiry: &mut Enquiry, message: &Message<'_>) {
    // "RE: Fwd: FPT" is a reply in a forwarded thread: what is quoted is the answer replied
    // to (often ours), not a message passed on
    let forward_subject = enquiry
        .subject
        .as_deref()
        .is_some_and(crate::text::subject::is_forward);
    let forwarder = match &enquiry.from_name {
        Some(n) => format!("{n} <{}>", enquiry.from),
        None => enquiry.from.clone(),
    };
    if !forward_subject {
        return;
    }
    // the forwarder asks something of their own ("see below; can someone confirm how many
    // posts we will have?"): their question is the enquiry, and the reply is theirs
    // … or says nothing is asked of us ("FYI - for your records, no action needed"): what
    // they pass on is information, not a question for us
    let own = crate::text::clean_message(&enquiry.body).text;
    if crate::text::clean::asks_own_question(&own) || crate::text::clean::NO_ACTION.is_match(&own) {
        return;
    }
    // attached: the one message/rfc822 part
    let attached: Vec<&Message<'_>> = message.attachments().filter_map(|p| p.message()).collect();
    if let [inner] = attached.as_slice() {
        {
            let (from, name) = first_address(inner.from());
            let body = read_body(inner, message.raw_message());
            if plausible_address(&from)
                && !from.eq_ignore_ascii_case(&enquiry.from)
                && body.unreadable.is_none()
                && !body.text.trim().is_empty()
            {
                enquiry.forwarded_by = Some(forwarder);
                enquiry.from = from;
                set_name(enquiry, name);
                if let Some(subject) = inner.subject() {
                    enquiry.subject = Some(one_line(subject));
                }
                enquiry.body = body.text;
                enquiry.unreadable = None;
                enquiry
                    .attachments
                    .retain(|a| a.content_type != "message/rfc822");
                return;
            }
        }
    }
    let Some(fwd) = split_forward(&enquiry.body) else {
        return;
    };
    if fwd.text.trim().is_empty() {
        return;
    }
    let original = fwd
        .from_address
        .filter(|a| plausible_address(a) && !a.eq_ignore_ascii_case(&enquiry.from));
    // without the original's address the reply can only go to the forwarder
    if let Some(address) = original {
        enquiry.forwarded_by = Some(forwarder);
        enquiry.from = address;
        set_name(enquiry, fwd.from_name);
    }
    if let Some(subject) = fwd.subject {
        enquiry.subject = Some(one_line(&subject));
    }
    enquiry.body = fwd.text;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `readable` as it was first written: CRLF to LF, then every other control left out.
    fn readable_reference(text: &str) -> String {
        text.replace("\r\n", "\n")
            .chars()
            .filter(|&c| c == '\n' || c == '\t' || !(c.is_control() || is_bidi_control(c)))
            .collect()
    }

    #[test]
    fn readable_is_its_first_definition() {
        let pieces = [
            "a", "é", "\r", "\n", "\r\n", "\t", "\u{1b}", "\u{0}", "\u{7f}", "\u{b}", "\u{1f}",
            "~", "\u{85}", "\u{9f}", "\u{202e}", "\u{2066}", "\u{200f}", "\u{061c}", "\u{200b}",
            "日本", " ", "?",
        ];
        let mut texts = vec![String::new()];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    texts.push([a, b, c].concat());
                }
            }
        }
        texts.push("Hi,\r\nHow long is FPT?\r\n\r\nThanks\r\n".into());
        texts.push("\u{202e}evil\u{202c}\r\r\n\n\u{1b}[31mred".into());
        for text in &texts {
            assert_eq!(readable(text), readable_reference(text), "{text:?}");
        }
    }

    #[test]
    fn html_blocks_cells_and_links_keep_their_words_apart() {
        let raw = b"From: Sam <sam@example.org>\r\nSubject: FPT\r\nContent-Type: text/html\r\n\r\n<h1>Bulletin</h1><div>Hi,</div><div>How long is FPT?</div><table><tr><td>Name:</td><td>Sam</td></tr></table><ul><li>one</li><li>two</li></ul><p><a href=\"https://example.org/u\">Unsubscribe</a> from this bulletin.</p>";
        let e = parse_message(raw);
        for words in [
            "Bulletin\n",
            "Hi,\n",
            "How long is FPT?",
            "Name: Sam",
            "one\n",
            "Unsubscribe from this bulletin.",
        ] {
            assert!(e.body.contains(words), "{words:?} not in {:?}", e.body);
        }
        for joined in [
            "BulletinHi",
            "Hi,How",
            "Name:Sam",
            "onetwo",
            "Unsubscribefrom",
        ] {
            assert!(!e.body.contains(joined), "{joined:?} in {:?}", e.body);
        }
    }

    #[test]
    fn an_html_forms_table_reads_as_its_fields() {
        let raw = b"From: Website <no-reply@web.example.org>\r\nAuto-Submitted: auto-generated\r\nSubject: Contact form\r\nContent-Type: text/html\r\n\r\n<h2>Website enquiry</h2><table><tr><td><b>Name</b></td><td>Bethan Lloyd</td></tr><tr><td><b>Email</b></td><td><a href=\"mailto:bethan@example.com\">bethan@example.com</a></td></tr><tr><td valign=\"top\"><b>Message</b></td><td>Is there a table of resources?</td></tr></table>";
        let e = parse_message(raw);
        assert!(e.body.contains("Name: Bethan Lloyd"), "{:?}", e.body);
        assert!(
            e.body.contains("Message: Is there a table of resources?"),
            "{:?}",
            e.body
        );
        assert_eq!(e.from, "bethan@example.com");
    }

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
    fn a_forwarders_own_question_keeps_the_forwarder_as_the_sender() {
        let raw = b"From: Dr Amy Lam <amy.lam@example.org>\r\nSubject: FW: Your offer\r\n\r\nMy Oriel offer says FPT-aligned - how many days a week would that be?\r\n\r\nAmy\r\n\r\n-----Original Message-----\r\nFrom: noreply@oriel.example.org\r\nSent: 01 March 2026\r\nTo: Amy Lam\r\nSubject: Your offer\r\n\r\nYou have been offered an FPT-aligned post.\r\n";
        let e = parse_message(raw);
        assert_eq!(e.from, "amy.lam@example.org");
        assert_eq!(e.forwarded_by, None);
        assert!(e.body.contains("how many days a week"));
        // a cover note passes the original on, from its sender
        let raw = b"From: Dr Amy Lam <amy.lam@example.org>\r\nSubject: FW: FPT\r\n\r\nCould you answer this please?\r\n\r\n-----Original Message-----\r\nFrom: Noor Ali <noor.ali@example.org>\r\nSent: 01 March 2026\r\nTo: Amy Lam\r\nSubject: FPT\r\n\r\nHow long does FPT last?\r\n";
        let e = parse_message(raw);
        assert_eq!(e.from, "noor.ali@example.org");
        assert!(e.forwarded_by.is_some());
    }

    #[test]
    fn html_labelled_as_plain_text_is_read_as_html() {
        let raw = b"From: a@example.org\r\nSubject: What is FPT?\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n<html><body><div dir='ltr'>Hi,<div><br></div><div>What exactly is Flexible&nbsp;Portfolio Training?</div></div></body></html>\r\n";
        let e = parse_message(raw);
        assert!(
            e.body.contains("What exactly is Flexible") && e.body.contains("Portfolio Training?"),
            "{:?}",
            e.body
        );
        assert!(
            !e.body.contains("<div") && !e.body.contains("&nbsp;"),
            "{:?}",
            e.body
        );
        // plain text that mentions a tag stays as written
        let raw = b"From: a@example.org\r\nSubject: q\r\n\r\nWhy does the form show <p> tags? </p> everywhere\r\n";
        assert!(parse_message(raw).body.contains("<p> tags"));
        // a fragment with line breaks and no document around it is HTML too
        let body = body_as_text("Dear FPT team,&nbsp;<br><br>Which pathways can I choose from?<br><br>Kind regards,<br>Dr E. Lamb".into());
        assert!(
            body.contains("Which pathways can I choose from?"),
            "{body:?}"
        );
        assert!(
            !body.contains("<br>") && !body.contains("&nbsp;"),
            "{body:?}"
        );
    }

    #[test]
    fn absurd_header_fields_are_cut_and_the_rest_still_read() {
        let mut raw = String::from("From: a@example.org\r\nReferences:");
        for i in 0..200_000 {
            raw.push_str(&format!(" <r{i}@example.net>\r\n"));
        }
        raw.push_str(&format!("Subject: {}\r\n", "w ".repeat(100_000)));
        raw.push_str("Message-ID: <late@example.org>\r\n\r\nHow much time is protected?\r\n");
        let e = parse_message(raw.as_bytes());
        assert_eq!(e.from, "a@example.org");
        assert_eq!(e.message_id.as_deref(), Some("late@example.org"));
        assert_eq!(e.references.len(), super::super::bound::KEPT_IDS);
        assert_eq!(
            e.references.last().map(String::as_str),
            Some("r199999@example.net")
        );
        assert!(e.subject.as_deref().is_some_and(
            |s| s.starts_with("w w") && s.len() < super::super::bound::MAX_FIELD_BYTES
        ));
        assert!(e.body.contains("How much time is protected?"));
        assert_eq!(e.cut_headers.len(), 2, "{:?}", e.cut_headers);
        assert!(e.parse_problem.is_none());
    }

    #[test]
    fn a_million_header_fields_are_not_read_and_the_message_goes_to_an_admin() {
        let mut raw = String::from("Subject: FPT time\r\n");
        for i in 0..100_000 {
            raw.push_str(&format!("X-J{i}: junk\r\n"));
        }
        raw.push_str("From: a@example.org\r\n\r\nHow much time is protected?\r\n");
        let e = parse_message(raw.as_bytes());
        assert_eq!(e.from, "a@example.org");
        assert_eq!(e.subject.as_deref(), Some("FPT time"));
        assert!(e.headers.0.len() <= super::super::bound::MAX_FIELDS + 1);
        assert!(e.body.contains("How much time is protected?"));
        assert!(
            e.parse_problem
                .as_deref()
                .is_some_and(|p| p.contains("were not read")),
            "{:?}",
            e.parse_problem
        );
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

    fn multipart(headers: &str, parts: &[(&str, &str)]) -> Vec<u8> {
        let mut m = format!("From: Owen Price <owen.price@example.org>\r\nSubject: Applying for FPT\r\n{headers}MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n");
        for (head, body) in parts {
            m.push_str(&format!("--b\r\n{head}\r\n\r\n{body}\r\n"));
        }
        m.push_str("--b--\r\n");
        m.into_bytes()
    }

    #[test]
    fn mail_without_readable_text_is_flagged_with_the_reason() {
        let cases: Vec<(&str, Vec<u8>, &str)> = vec![
            (
                "TNEF only",
                multipart("", &[("Content-Type: application/ms-tnef; name=\"winmail.dat\"\r\nContent-Disposition: attachment; filename=\"winmail.dat\"\r\nContent-Transfer-Encoding: base64", "eJ8+IhAAAQaQCAAEAAAAAAABAAEAAQeQBgAIAAAA5AQAAAAAAADoAA==")]),
                "no readable text: only an attachment winmail.dat",
            ),
            (
                "PDF only",
                multipart("", &[("Content-Type: application/pdf; name=\"question.pdf\"\r\nContent-Disposition: attachment; filename=\"question.pdf\"\r\nContent-Transfer-Encoding: base64", "JVBERi0xLjQK")]),
                "no readable text: only an attachment question.pdf",
            ),
            (
                "S/MIME encrypted",
                b"From: a@example.org\r\nSubject: FPT\r\nMIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data; name=\"smime.p7m\"\r\nContent-Transfer-Encoding: base64\r\n\r\nMIAGCSqGSIb3DQEHA6CAMIACAQAxggFAMIIBPAIBADA=\r\n".to_vec(),
                "no readable text: an S/MIME-encrypted message",
            ),
            (
                "PGP/MIME encrypted",
                b"From: a@example.org\r\nSubject: FPT\r\nMIME-Version: 1.0\r\nContent-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n--b\r\nContent-Type: application/octet-stream; name=\"encrypted.asc\"\r\n\r\n-----BEGIN PGP MESSAGE-----\r\nhQEMA\r\n-----END PGP MESSAGE-----\r\n--b--\r\n".to_vec(),
                "no readable text: an encrypted (PGP/MIME) message",
            ),
            (
                "only words of no one's around a document",
                multipart("", &[("Content-Type: text/plain", "Sent from my iPhone"), ("Content-Type: application/pdf; name=\"form.pdf\"\r\nContent-Disposition: attachment; filename=\"form.pdf\"", "JVBERi0xLjQK")]),
                "no readable text: only an attachment form.pdf",
            ),
            (
                "unknown charset",
                b"From: a@example.org\r\nSubject: FPT\r\nContent-Type: text/plain; charset=x-unheard-of\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\xff\xfe\x81\x82 \x83\x84\r\n".to_vec(),
                "no readable text: body in an unknown character set `x-unheard-of`",
            ),
        ];
        for (what, raw, reason) in cases {
            let e = parse_message(&raw);
            let flagged = e.unreadable.as_deref().unwrap_or_default();
            assert!(flagged.starts_with(reason), "{what}: {flagged:?}");
            assert_eq!(e.parse_problem.as_deref(), Some(flagged), "{what}");
        }
        // a text part next to the attachment: readable, nothing flagged
        let e = parse_message(&multipart("", &[("Content-Type: text/plain", "How do I apply?"), ("Content-Type: application/pdf; name=\"cv.pdf\"\r\nContent-Disposition: attachment; filename=\"cv.pdf\"", "JVBERi0xLjQK")]));
        assert_eq!(e.unreadable, None);
        assert!(e.body.contains("How do I apply?"));
    }

    #[test]
    fn missing_and_wrong_charsets_are_read_as_text() {
        let jp = b"From: a@example.org\r\nSubject: FPT\r\nContent-Type: text/plain;\r\nContent-Transfer-Encoding: 7bit\r\n\r\n\x1b$B$*@$OC$K$J$C$F$*$j$^$9!#\x1b(B\r\nHow many days a week?\r\n";
        let e = parse_message(jp);
        assert!(e.body.contains("お世話になっております。"), "{:?}", e.body);
        assert!(!e.body.contains('\u{1b}'));
        let mislabelled = "From: a@example.org\r\nSubject: FPT\r\nContent-Type: text/plain; charset=windows-1252\r\nContent-Transfer-Encoding: 8bit\r\n\r\nI’m an ST4 – what’s the FPT day?\r\n";
        let e = parse_message(mislabelled.as_bytes());
        assert!(e.body.contains("I’m an ST4 – what’s"), "{:?}", e.body);
        assert!(!e.body.contains("â€"), "{:?}", e.body);
        let qp = "From: a@example.org\r\nSubject: FPT\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nGr=FC=DFe, wie lange dauert FPT?\r\n";
        assert!(parse_message(qp.as_bytes()).body.contains("Grüße"));
        let html = "From: a@example.org\r\nSubject: FPT\r\nContent-Type: text/html; charset=windows-1252\r\nContent-Transfer-Encoding: 8bit\r\n\r\n<p>What\u{2019}s the <b>FPT</b> day?</p>\r\n";
        let e = parse_message(html.as_bytes());
        assert!(e.body.contains("What’s the FPT day?"), "{:?}", e.body);
        let b64 = "From: a@example.org\r\nSubject: FPT\r\nContent-Type: text/plain; charset=\"utf-8\"\r\nContent-Transfer-Encoding: base64\r\n\r\nQ2Fmw6kgcXVlc3Rpb24/\r\n";
        assert!(parse_message(b64.as_bytes())
            .body
            .contains("Café question?"));
    }

    #[test]
    fn control_characters_never_reach_the_text() {
        let raw = b"From: a@example.org\r\nSubject: FPT\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHow long\x1b]0;pwned\x07 is \x1b[31mFPT\x1b[0m?\x00\r\n";
        let e = parse_message(raw);
        assert!(
            !e.body.chars().any(|c| c.is_control() && c != '\n'),
            "{:?}",
            e.body
        );
        assert!(e.body.contains("FPT"));
    }

    #[test]
    fn a_google_groups_post_is_answered_to_its_poster_not_the_list() {
        let raw = b"From: \"'Hamza Iqbal' via FPT Trainees\" <fpt-trainees@googlegroups.com>\r\nReply-To: fpt-trainees@googlegroups.com\r\nX-Original-Sender: hamza.iqbal@example.com\r\nList-Post: <https://groups.google.com/group/fpt-trainees/post>, <mailto:fpt-trainees@googlegroups.com>\r\nList-ID: <fpt-trainees.googlegroups.com>\r\nSubject: [FPT Trainees] Pathways\r\n\r\nHow many FPT pathways are there?\r\n";
        let e = parse_message(raw);
        assert_eq!(e.from, "hamza.iqbal@example.com");
        assert_eq!(e.from_name.as_deref(), Some("Hamza Iqbal"));
        // a list that names the poster in Reply-To already answers them
        let raw = b"From: Ann via List <list@example.org>\r\nReply-To: ann@example.org\r\nX-Original-Sender: other@example.org\r\nList-Post: <mailto:list@example.org>\r\nSubject: x\r\n\r\nHow long is FPT?\r\n";
        assert_eq!(parse_message(raw).from, "ann@example.org");
    }

    #[test]
    fn a_forms_relay_without_reply_to_answers_the_forms_email_field() {
        let raw = b"From: HEE Website <noreply@forms.example.org>
Auto-Submitted: auto-generated
Subject: Website enquiry

Name: Rhiannon Price
Email: rhiannon.price@example.com
Message:
How long do I have to stay on an FPT pathway?
";
        assert_eq!(parse_message(raw).from, "rhiannon.price@example.com");
        // two addresses, or a person's own mail: unchanged
        let two = b"From: noreply@forms.example.org
Subject: x

Email: a@example.com
Email: b@example.com
";
        assert_eq!(parse_message(two).from, "noreply@forms.example.org");
        let own = b"From: sam@example.org
Subject: x

Email: a@example.com
";
        assert_eq!(parse_message(own).from, "sam@example.org");
    }

    #[test]
    fn reply_to_is_who_the_reply_is_for() {
        let raw = b"From: Website <no-reply@forms.example.org>\r\nReply-To: Dr Priya Shah <priya.shah@example.org>\r\nSubject: Website enquiry\r\n\r\nHow long is FPT?\r\n";
        let e = parse_message(raw);
        assert_eq!(e.from, "priya.shah@example.org");
        assert_eq!(e.from_name.as_deref(), Some("Dr Priya Shah"));
        let same = b"From: a@example.org\r\nReply-To: a@example.org\r\nSubject: x\r\n\r\ny\r\n";
        assert_eq!(parse_message(same).from, "a@example.org");
    }

    #[test]
    fn directory_names_give_the_person_and_the_organisation() {
        for (display, person, org) in [
            (
                "Ó SÚILLEABHÁIN, Siobhán (BARTS HEALTH NHS TRUST)",
                "Siobhán",
                Some("BARTS HEALTH NHS TRUST"),
            ),
            (
                "SMITH, John (LEEDS TEACHING HOSPITALS NHS TRUST)",
                "John",
                Some("LEEDS TEACHING HOSPITALS NHS TRUST"),
            ),
            ("Smith, Jo (NHS ENGLAND)", "Jo Smith", Some("NHS ENGLAND")),
            ("JONES, Gareth", "Gareth", None),
        ] {
            assert_eq!(
                directory_name(display),
                Some((person.to_string(), org.map(str::to_string))),
                "{display}"
            );
        }
        assert_eq!(directory_name("Dr D. Moore"), None);
        let raw = "From: =?utf-8?Q?=C3=93_S=C3=9AILLEABH=C3=81IN=2C_Siobh=C3=A1n_=28BARTS_HEALTH_NHS_TRUST=29?=\r\n\t<s.o@nhs.example>\r\nSubject: x\r\n\r\ny\r\n";
        let e = parse_message(raw.as_bytes());
        assert_eq!(e.from_name.as_deref(), Some("Siobhán"));
        assert_eq!(e.organisation.as_deref(), Some("BARTS HEALTH NHS TRUST"));
    }

    #[test]
    fn forwards_inline_and_attached_are_from_the_original_sender() {
        let inline = "From: Gemma Whitfield <gemma@nhs.example>\r\nSubject: FW: FPT question\r\n\r\nCould you reply to him?\r\n\r\n________________________________\r\nFrom: Kwame Osei <kwame.osei@example.net>\r\nSent: 09 December 2025 21:14\r\nTo: Gemma Whitfield <gemma@nhs.example>\r\nSubject: FPT question\r\n\r\nWhich pathways can I choose from?\r\n";
        let attached = "From: Gemma Whitfield <gemma@nhs.example>\r\nSubject: Fwd: FPT question\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n--b\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\"FPT question.eml\"\r\n\r\nFrom: Kwame Osei <kwame.osei@example.net>\r\nSubject: FPT question\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nWhich pathways can I choose from?\r\n--b--\r\n";
        for (what, raw) in [("inline", inline), ("attached", attached)] {
            let e = parse_message(raw.as_bytes());
            assert_eq!(e.from, "kwame.osei@example.net", "{what}");
            assert_eq!(e.from_name.as_deref(), Some("Kwame Osei"), "{what}");
            assert_eq!(e.subject.as_deref(), Some("FPT question"), "{what}");
            assert!(
                e.body.contains("Which pathways can I choose from?"),
                "{what}: {:?}",
                e.body
            );
            assert!(
                !e.body.contains("reply to him") && !e.body.contains("See attached"),
                "{what}"
            );
            assert_eq!(
                e.forwarded_by.as_deref(),
                Some("Gemma Whitfield <gemma@nhs.example>"),
                "{what}"
            );
        }
        // a reply quoting our answer in an Outlook block is not a forward
        let reply = inline.replace("FW: FPT question", "RE: FPT question");
        let e = parse_message(reply.as_bytes());
        assert_eq!(e.from, "gemma@nhs.example");
        assert_eq!(e.forwarded_by, None);
    }

    #[test]
    fn scripts_styles_head_and_comments_are_not_the_senders_words() {
        let raw = "From: a@example.org\r\nSubject: FPT\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><head><title>Secret title</title><style>p.x{display:none}</style></head><body><script type=\"text/javascript\">alert('body')</script><!-- hidden comment --><p>How many days a week is FPT?</p><STYLE>p{display:none}</STYLE></body></html>\r\n";
        let e = parse_message(raw.as_bytes());
        assert!(
            e.body.contains("How many days a week is FPT?"),
            "{}",
            e.body
        );
        for hidden in ["alert", "display", "Secret title", "hidden comment"] {
            assert!(!e.body.contains(hidden), "{hidden} in {:?}", e.body);
        }
        // an unclosed tag loses nothing
        let raw = "From: a@example.org\r\nSubject: FPT\r\nContent-Type: text/html\r\n\r\n<p>Is FPT paid?</p><style>\r\n";
        assert!(parse_message(raw.as_bytes()).body.contains("Is FPT paid?"));
    }

    #[test]
    fn bidi_controls_are_removed_from_subjects_and_names() {
        let raw = "From: =?UTF-8?Q?Dr_A=E2=80=AEkcab?= <a@example.org>\r\nSubject: =?UTF-8?Q?FPT_=E2=80=AEgnihtemos=E2=80=AC_=E2=81=A6x=E2=81=A9_=E2=80=8Fq?=\r\n\r\nHow long is FPT?\u{202e}\r\n";
        let e = parse_message(raw.as_bytes());
        let subject = e.subject.unwrap_or_default();
        let name = e.from_name.unwrap_or_default();
        for text in [&subject, &name, &e.body] {
            assert!(!text.chars().any(is_bidi_control), "{text:?}");
        }
        assert_eq!(subject, "FPT gnihtemos x q");
        assert_eq!(name, "Dr Akcab");
    }

    #[test]
    fn a_null_return_path_is_kept_so_the_message_is_known_as_automatic() {
        let raw = b"Return-Path: <>\r\nFrom: someone@example.org\r\nSubject: Re: FPT\r\n\r\nHow long is FPT?\r\n";
        let e = parse_message(raw);
        assert_eq!(e.headers.get("Return-Path"), Some("<>"));
        assert!(crate::ignore::ignore_reason(&e, "How long is FPT?").is_some());
        let raw = b"Return-Path: <someone@example.org>\r\nFrom: someone@example.org\r\nSubject: FPT\r\n\r\nHow long is FPT?\r\n";
        let e = parse_message(raw);
        assert_eq!(crate::ignore::ignore_reason(&e, "How long is FPT?"), None);
    }

    #[test]
    fn ascii_text_labelled_utf16_is_read_as_it_was_written() {
        let raw = b"From: a@example.org\r\nSubject: FPT\r\nContent-Type: text/plain; charset=utf-16\r\n\r\nHow many days a week is FPT?\r\n";
        let e = parse_message(raw);
        assert!(
            e.body.contains("How many days a week is FPT?"),
            "{:?}",
            e.body
        );
        assert!(e.unreadable.is_none());
        // 8-bit bytes that are neither: unreadable, for an admin
        let raw = b"From: a@example.org\r\nSubject: FPT\r\nContent-Type: text/plain; charset=utf-16\r\n\r\nIs FPT pa\xefd?\r\n";
        let e = parse_message(raw);
        assert!(e.unreadable.is_some(), "{:?}", e.body);
    }
}
