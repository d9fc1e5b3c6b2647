//! The Discord channel: trainees ask in chat, the bot answers from the FAQ or hands the
//! question to the regional lead, and relays the lead's reply back.
//!
//! Layers, outermost first:
//! - [`gateway`]: serenity `Client` and `EventHandler`; converts gateway events and calls the bot.
//! - [`bot`]: [`Bot`], the handler logic: dedupe, store, execute, catch up.
//! - [`exec`]: performs [`ChatAction`]s through [`rest::Rest`] (messages, interaction responses, DMs).
//! - [`rest`]: Discord's REST API with retries (429 `Retry-After`, 5xx) and Discord's error codes.
//! - [`plan`]: pure functions from an [`IncomingChat`] to the [`ChatAction`]s to take.
//! - [`text`], [`ratelimit`], [`config`], [`store`]: the small pieces.
//!
//! Invariants: never answers bots (itself included); never sends a message that could ping
//! `@everyone`/`@here` or anyone but the intended lead; answers each message id at most once.

pub mod bot;
pub mod config;
pub mod exec;
pub mod gateway;
pub mod plan;
pub mod ratelimit;
pub mod rest;
pub mod store;
pub mod text;

pub use bot::Bot;
pub use config::{DiscordConfig, Mention, Token};
pub use gateway::run;
pub use plan::{ChatAction, IncomingChat, Interactive};
pub use ratelimit::RateLimiter;
pub use store::{AnswerBy, ChatEnquiry, ChatStore, EnquiryRef, MemoryChatStore, SqlChatStore};

/// Errors of the Discord channel.
#[derive(Debug, thiserror::Error)]
pub enum ChatError {
    #[error("Discord configuration: {0}")]
    Config(String),
    #[error("Discord API: {0}")]
    Discord(Box<serenity::Error>),
    #[error("Discord API: {0}")]
    Rest(#[from] rest::RestError),
    /// Discord refused the bot for good (token, intents): the message says what to do.
    #[error("{0}")]
    Refused(String),
    #[error("chat store: {0}")]
    Store(String),
    #[error(transparent)]
    Core(#[from] crate::Error),
}

impl From<serenity::Error> for ChatError {
    fn from(e: serenity::Error) -> Self {
        ChatError::Discord(Box::new(e))
    }
}

pub type Result<T, E = ChatError> = std::result::Result<T, E>;
