//! Sending mail: the `MailTransport` seam the outbox worker calls, the message it sends, and
//! the rendering of that message into RFC 5322 with lettre.
//!
//! Transports: `file` (writes `.eml` files, the default), `smtp` (in `smtp.rs`) and `graph`
//! (Microsoft Graph `sendMail`, in `graph.rs`). A transport
//! must be idempotent per `OutgoingMail::idempotency_key` where it can: the worker may hand the
//! same message over again after a crash between sending and recording the send.

pub mod file;
pub mod graph;
pub mod smtp;

use std::future::Future;
use std::pin::Pin;

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::Message;

pub use file::FileTransport;
pub use graph::GraphTransport;
pub use smtp::{SmtpConfig, SmtpSecurity, SmtpTransport};

/// One message ready to send. Addresses are bare (`a@example.org`); ids are without `<>`.
#[derive(Debug, Clone, PartialEq)]
pub struct OutgoingMail {
    /// Unique per logical message (`reply-12-1`, `ack-12`, `lead-12`).
    pub idempotency_key: String,
    pub from: String,
    pub from_name: Option<String>,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    pub message_id: String,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    /// Sent without a person: carries `Auto-Submitted: auto-replied` (RFC 3834).
    pub auto_submitted: bool,
}

/// Why a send failed, and whether trying again can help.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SendError {
    /// Try again later (connection refused, 4xx reply, disk full).
    #[error("temporary failure: {0}")]
    Transient(String),
    /// Trying again will not help (bad address, 5xx reply, message cannot be built).
    #[error("permanent failure: {0}")]
    Permanent(String),
}

/// A boxed future, so the trait stays object-safe without `async-trait`.
pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<(), SendError>> + Send + 'a>>;

/// Delivers outgoing mail. Implemented by `FileTransport` and the SMTP transport.
pub trait MailTransport: Send + Sync {
    fn send<'a>(&'a self, msg: &'a OutgoingMail) -> SendFuture<'a>;

    /// Whether sending the same idempotency key again is harmless (the transport itself can
    /// tell it already delivered that key). When it is not, a send interrupted by a crash is
    /// never retried blindly: the row is failed and an admin checks.
    fn checks_idempotency_key(&self) -> bool {
        false
    }
}

fn angle(id: &str) -> String {
    format!(
        "<{}>",
        id.trim().trim_start_matches('<').trim_end_matches('>')
    )
}

fn mailbox(address: &str, name: Option<&str>) -> Result<Mailbox, SendError> {
    let address = address
        .trim()
        .parse()
        .map_err(|e| SendError::Permanent(format!("invalid address `{address}`: {e}")))?;
    Ok(Mailbox::new(name.map(str::to_string), address))
}

/// Renders the message with lettre: plain text, or plain + HTML alternative; threading headers;
/// `Auto-Submitted` when no person sent it. Header values are encoded by lettre, so a subject
/// with line breaks cannot add headers.
pub fn build_message(msg: &OutgoingMail) -> Result<Message, SendError> {
    let subject: String = msg
        .subject
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut builder = Message::builder()
        .from(mailbox(&msg.from, msg.from_name.as_deref())?)
        .to(mailbox(&msg.to, None)?)
        .subject(subject)
        .message_id(Some(angle(&msg.message_id)));
    if let Some(parent) = msg.in_reply_to.as_deref().filter(|s| !s.trim().is_empty()) {
        builder = builder.in_reply_to(angle(parent));
    }
    let refs: Vec<String> = msg
        .references
        .iter()
        .filter(|r| !r.trim().is_empty())
        .map(|r| angle(r))
        .collect();
    if !refs.is_empty() {
        builder = builder.references(refs.join(" "));
    }
    if msg.auto_submitted {
        let name = HeaderName::new_from_ascii_str("Auto-Submitted");
        builder = builder.raw_header(HeaderValue::new(name, "auto-replied".into()));
    }
    let result = match &msg.html {
        Some(html) => builder.multipart(MultiPart::alternative_plain_html(
            msg.text.clone(),
            html.clone(),
        )),
        None => builder.singlepart(SinglePart::plain(msg.text.clone())),
    };
    result.map_err(|e| SendError::Permanent(format!("cannot build the message: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> OutgoingMail {
        OutgoingMail {
            idempotency_key: "reply-1-1".into(),
            from: "fpt@example.org".into(),
            from_name: Some("FPT".into()),
            to: "d.moore@example.org".into(),
            subject: "Re: FPT time\r\nBcc: victim@example.org".into(),
            text: "Hello".into(),
            html: Some("<p>Hello</p>".into()),
            message_id: "reply-1-1@fpt-assist.localhost".into(),
            in_reply_to: Some("abc@example.org".into()),
            references: vec!["root@example.org".into(), "abc@example.org".into()],
            auto_submitted: true,
        }
    }

    #[test]
    fn renders_threading_auto_submitted_and_alternative() {
        let raw = String::from_utf8(build_message(&sample()).unwrap().formatted()).unwrap();
        assert!(raw.contains("In-Reply-To: <abc@example.org>"), "{raw}");
        assert!(raw.contains("References: <root@example.org> <abc@example.org>"));
        assert!(raw.contains("Message-ID: <reply-1-1@fpt-assist.localhost>"));
        assert!(raw.contains("Auto-Submitted: auto-replied"));
        assert!(raw.contains("multipart/alternative"));
        assert!(!raw.contains("\r\nBcc:"), "{raw}");
    }

    #[test]
    fn bad_address_is_permanent() {
        let mut m = sample();
        m.to = "not an address".into();
        assert!(matches!(build_message(&m), Err(SendError::Permanent(_))));
    }
}
