//! The email adapter's parsing side: a raw RFC 5322 message becomes an `Enquiry`; the IMAP
//! and Microsoft Graph clients that fetch such messages.

pub mod bound;
pub mod charset;
pub mod graph;
pub mod imap;
mod parse;

pub use parse::{
    body_as_text, directory_name, is_bidi_control, parse_message, parse_message_as, readable,
    Sender, MAX_BODY_CHARS, NOT_MAIL,
};
