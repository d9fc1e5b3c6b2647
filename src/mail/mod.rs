//! The email adapter's parsing side: a raw RFC 5322 message becomes an `Enquiry`.

pub mod imap;
mod parse;

pub use parse::{parse_message, MAX_BODY_CHARS};
