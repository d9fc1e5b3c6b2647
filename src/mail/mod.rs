//! The email adapter's parsing side: a raw RFC 5322 message becomes an `Enquiry`.

pub mod charset;
pub mod imap;
mod parse;

pub use parse::{directory_name, is_bidi_control, parse_message, readable, MAX_BODY_CHARS};
