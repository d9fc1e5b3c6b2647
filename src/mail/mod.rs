//! The email adapter's parsing side: a raw RFC 5322 message becomes an `Enquiry`; the IMAP
//! and Microsoft Graph clients that fetch such messages.

pub mod graph;
pub mod imap;
mod parse;

pub use parse::{parse_message, MAX_BODY_CHARS};
