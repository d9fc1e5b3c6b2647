//! The `Enquiry`: one message from one person on one channel, as every adapter hands it to
//! triage. Parsing of wire formats lives in the adapters; this is the shape they agree on.

use serde::{Deserialize, Serialize};

/// Where an enquiry came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Email,
    Chat,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Chat => "chat",
        }
    }
}

impl std::str::FromStr for Channel {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "email" => Ok(Channel::Email),
            "chat" => Ok(Channel::Chat),
            other => Err(format!(
                "unknown channel `{other}`: use \"email\" or \"chat\""
            )),
        }
    }
}

/// Message headers, looked up case-insensitively; the first value of a repeated header wins.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Headers(pub Vec<(String, String)>);

impl Headers {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.push((name.into(), value.into()));
    }
}

/// An attachment, recorded but never opened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attachment {
    pub name: String,
    pub content_type: String,
    pub size: usize,
}

/// One message to triage.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Enquiry {
    pub channel: Option<Channel>,
    /// Sender address (email) or user id/handle (chat).
    pub from: String,
    /// The sender's display name when the channel gives one.
    pub from_name: Option<String>,
    pub subject: Option<String>,
    pub body: String,
    pub headers: Headers,
    pub attachments: Vec<Attachment>,
    /// Email threading: this message's id and the ids it replies to.
    pub message_id: Option<String>,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    /// Set when the raw message could not be fully parsed: it is kept and shown to admins.
    pub parse_problem: Option<String>,
    /// Set when the message has no text anyone can read ("no readable text: only an
    /// attachment winmail.dat"): it is never taken for small talk, never answered
    /// automatically, and goes to an admin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unreadable: Option<String>,
    /// Who forwarded the message to us ("Name <address>"), when `from` is the original sender
    /// of a forwarded question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forwarded_by: Option<String>,
    /// The sender's organisation, from an NHS directory display name
    /// ("SURNAME, Firstname (ORGANISATION)"): a hint for the region, never a greeting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// Header fields cut before parsing because they were absurdly long (see `mail::bound`),
    /// one description each ("References: 30000042 bytes, 1000001 message-ids; kept the last
    /// 100"). The raw message is kept whole.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cut_headers: Vec<String>,
}

impl Enquiry {
    pub fn channel(&self) -> Channel {
        self.channel.unwrap_or(Channel::Email)
    }

    pub fn email(from: &str, subject: &str, body: &str) -> Self {
        Enquiry {
            channel: Some(Channel::Email),
            from: from.into(),
            subject: Some(subject.into()),
            body: body.into(),
            ..Default::default()
        }
    }

    pub fn chat(from: &str, body: &str) -> Self {
        Enquiry {
            channel: Some(Channel::Chat),
            from: from.into(),
            body: body.into(),
            ..Default::default()
        }
    }
}
