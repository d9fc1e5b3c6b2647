//! [`Bot`]: the handler logic over serenity's `Http`. Converts serenity models into
//! [`IncomingChat`]/[`Click`], asks [`plan`](super::plan) what to do, then records and
//! executes the actions in order. A replayed event stops at `Record` (already stored).

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serenity::all::{
    ChannelId, CommandDataOptionValue, CommandInteraction, ComponentInteraction, Interaction,
    Message, MessageId, MessagePagination, MessageType, User,
};
use serenity::http::Http;
use tracing::{debug, info, warn};

use super::config::DiscordConfig;
use super::exec;
use super::plan::{
    plan_feedback, plan_lead_reply, plan_message, ChatAction, Click, IncomingChat, Interactive,
};
use super::ratelimit::RateLimiter;
use super::store::ChatStore;
use super::{ChatError, Result};
use crate::Triage;

/// Name of the slash command and of its option.
pub const COMMAND: &str = "fpt";
pub const COMMAND_OPTION: &str = "question";

/// The bot's state: triage, configuration, store and the per-user rate limiter.
pub struct Bot {
    pub triage: Arc<Triage>,
    pub config: DiscordConfig,
    pub store: Arc<dyn ChatStore>,
    limiter: Arc<Mutex<RateLimiter>>,
    bot_user: AtomicU64,
    /// Channels known not to be threads of leads posts (a new thread always has a new id).
    not_lead_threads: Mutex<HashSet<u64>>,
}

/// Above this many remembered channels the set is cleared.
const MAX_REMEMBERED_CHANNELS: usize = 10_000;

impl std::fmt::Debug for Bot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bot")
            .field("config", &self.config)
            .field("bot_user", &self.bot_user)
            .finish_non_exhaustive()
    }
}

fn display_name(user: &User, nick: Option<&str>) -> String {
    nick.or(user.global_name.as_deref())
        .unwrap_or(&user.name)
        .to_string()
}

impl Bot {
    pub fn new(config: DiscordConfig, triage: Arc<Triage>, store: Arc<dyn ChatStore>) -> Self {
        Bot {
            limiter: Arc::new(Mutex::new(RateLimiter::new(config.rate_limit_per_minute))),
            triage,
            config,
            store,
            bot_user: AtomicU64::new(0),
            not_lead_threads: Mutex::new(HashSet::new()),
        }
    }

    /// The bot's own user id (from READY): its own messages and mentions of it are recognised.
    pub fn set_bot_user(&self, id: u64) {
        self.bot_user.store(id, Ordering::Relaxed);
    }

    fn bot_user(&self) -> Option<u64> {
        Some(self.bot_user.load(Ordering::Relaxed)).filter(|id| *id != 0)
    }

    /// A gateway message as the planner sees it.
    pub fn incoming(&self, msg: &Message) -> IncomingChat {
        let me = self.bot_user();
        let author = msg.author.id.get();
        let is_bot = msg.author.bot
            || msg.author.system
            || msg.webhook_id.is_some()
            || Some(author) == me
            || !matches!(msg.kind, MessageType::Regular | MessageType::InlineReply);
        let (content, mentions_bot) = match me {
            Some(id) => {
                let tags = [format!("<@{id}>"), format!("<@!{id}>")];
                let mentioned = msg.mentions.iter().any(|u| u.id.get() == id)
                    || tags.iter().any(|t| msg.content.contains(t.as_str()));
                let mut text = msg.content.clone();
                for t in &tags {
                    text = text.replace(t.as_str(), "");
                }
                (text.trim().to_string(), mentioned)
            }
            None => (msg.content.trim().to_string(), false),
        };
        IncomingChat {
            id: msg.id.get(),
            channel_id: msg.channel_id.get(),
            guild_id: msg.guild_id.map(|g| g.get()),
            author_id: author,
            author_name: display_name(
                &msg.author,
                msg.member.as_ref().and_then(|m| m.nick.as_deref()),
            ),
            author_is_bot: is_bot,
            content,
            roles: msg
                .member
                .as_ref()
                .map(|m| m.roles.iter().map(|r| r.get()).collect())
                .unwrap_or_default(),
            reference: msg
                .message_reference
                .as_ref()
                .and_then(|r| r.message_id)
                .map(|m| m.get()),
            mentions_bot,
            interaction: None,
        }
    }

    /// Handles MESSAGE_CREATE: a question in a listened channel or DM, or a lead's reply.
    pub async fn on_message(&self, http: &Http, msg: &Message) -> Result<()> {
        let incoming = self.incoming(msg);
        if incoming.author_is_bot {
            return Ok(());
        }
        let listened = self
            .config
            .listens_in(incoming.channel_id, incoming.is_dm());
        if !listened {
            if incoming.is_dm() {
                return Ok(());
            }
            // A lead's reply: in the leads channel replying to our post, or in a thread
            // started from it (a thread started from a message has that message's id).
            let in_leads_channel = incoming.channel_id == self.config.leads_channel;
            let post = if in_leads_channel {
                incoming.reference
            } else if self.known_not_lead_thread(incoming.channel_id) {
                None
            } else {
                Some(incoming.channel_id)
            };
            let Some(post) = post else { return Ok(()) };
            let Some(enquiry) = self.store.enquiry_for_lead_post(post).await? else {
                if !in_leads_channel {
                    self.remember_not_lead_thread(incoming.channel_id);
                }
                return Ok(());
            };
            info!(
                enquiry = %enquiry.external_id,
                lead = incoming.author_id,
                "relaying a lead's reply to the trainee"
            );
            if !self.store.may_answer(&enquiry.external_id).await? {
                info!(enquiry = %enquiry.external_id, "enquiry already answered or closed: not relayed");
                let note = ChatAction::Reply {
                    channel_id: incoming.channel_id,
                    reply_to: Some(incoming.id),
                    content: "This enquiry was already answered or closed, so nothing was sent."
                        .into(),
                    buttons_for: None,
                };
                return self.perform(http, vec![note]).await;
            }
            let actions = plan_lead_reply(&self.triage, &self.config, &enquiry, &incoming)?;
            return self.perform(http, actions).await;
        }
        self.question(http, &incoming).await
    }

    fn known_not_lead_thread(&self, channel: u64) -> bool {
        self.not_lead_threads
            .lock()
            .map(|s| s.contains(&channel))
            .unwrap_or(false)
    }

    fn remember_not_lead_thread(&self, channel: u64) {
        if let Ok(mut s) = self.not_lead_threads.lock() {
            if s.len() >= MAX_REMEMBERED_CHANNELS {
                s.clear();
            }
            s.insert(channel);
        }
    }

    async fn question(&self, http: &Http, incoming: &IncomingChat) -> Result<()> {
        // planning runs triage (CPU work): on the blocking pool, never on the async threads
        let (triage, config, limiter, incoming_owned) = (
            self.triage.clone(),
            self.config.clone(),
            self.limiter.clone(),
            incoming.clone(),
        );
        let actions = tokio::task::spawn_blocking(move || {
            let mut limiter = limiter
                .lock()
                .map_err(|_| ChatError::Store("rate limiter lock poisoned".into()))?;
            plan_message(
                &triage,
                &config,
                &incoming_owned,
                &mut limiter,
                Instant::now(),
            )
        })
        .await
        .map_err(|e| ChatError::Store(format!("planning stopped: {e}")))??;
        self.perform(http, actions).await
    }

    /// Handles INTERACTION_CREATE: the `/fpt` command and the feedback buttons.
    pub async fn on_interaction(&self, http: &Http, interaction: &Interaction) -> Result<()> {
        match interaction {
            Interaction::Command(cmd) if cmd.data.name == COMMAND => self.command(http, cmd).await,
            Interaction::Component(c) => self.click(http, c).await,
            _ => Ok(()),
        }
    }

    async fn command(&self, http: &Http, cmd: &CommandInteraction) -> Result<()> {
        let question = cmd
            .data
            .options
            .iter()
            .find(|o| o.name == COMMAND_OPTION)
            .and_then(|o| match &o.value {
                CommandDataOptionValue::String(s) => Some(s.trim().to_string()),
                _ => None,
            })
            .unwrap_or_default();
        let interaction = Interactive {
            id: cmd.id.get(),
            token: cmd.token.clone(),
        };
        if question.is_empty() {
            let usage = ChatAction::Respond {
                interaction,
                content: "Ask me with `/fpt question: your question`.".into(),
                ephemeral: true,
                buttons_for: None,
            };
            return self.perform(http, vec![usage]).await;
        }
        let incoming = IncomingChat {
            id: cmd.id.get(),
            channel_id: cmd.channel_id.get(),
            guild_id: cmd.guild_id.map(|g| g.get()),
            author_id: cmd.user.id.get(),
            author_name: display_name(
                &cmd.user,
                cmd.member.as_ref().and_then(|m| m.nick.as_deref()),
            ),
            author_is_bot: cmd.user.bot,
            content: question,
            roles: cmd
                .member
                .as_ref()
                .map(|m| m.roles.iter().map(|r| r.get()).collect())
                .unwrap_or_default(),
            reference: None,
            mentions_bot: true,
            interaction: Some(interaction),
        };
        self.question(http, &incoming).await
    }

    async fn click(&self, http: &Http, c: &ComponentInteraction) -> Result<()> {
        let interaction = Interactive {
            id: c.id.get(),
            token: c.token.clone(),
        };
        let Some(click) = Click::parse(&c.data.custom_id, interaction, c.user.id.get()) else {
            return Ok(());
        };
        let enquiry = self.store.enquiry(&click.external_id).await?;
        let routed = self.store.is_routed(&click.external_id).await?;
        let actions = plan_feedback(&self.triage, &self.config, &click, enquiry.as_ref(), routed)?;
        self.perform(http, actions).await
    }

    /// Records and executes actions in order. Stops at a `Record` of an enquiry that is
    /// already stored, so a replayed event is never answered twice.
    pub async fn perform(&self, http: &Http, actions: Vec<ChatAction>) -> Result<()> {
        for action in actions {
            match &action {
                ChatAction::Record(e) => {
                    if self.store.record_enquiry(e).await?.is_none() {
                        debug!(message = %e.external_id, "already handled; skipping");
                        return Ok(());
                    }
                    info!(
                        message = %e.external_id,
                        channel = e.channel_id,
                        decision = e.decision.as_str(),
                        region = e.region.as_deref().unwrap_or("-"),
                        "chat enquiry"
                    );
                }
                ChatAction::PostToLeads { enquiry, .. } => {
                    for id in exec::execute(http, &action).await? {
                        self.store.link_lead_post(id, enquiry).await?;
                    }
                }
                ChatAction::RecordAnswer { enquiry, by, text } => {
                    self.store.record_answer(enquiry, by, text).await?;
                }
                ChatAction::RecordFeedback {
                    enquiry,
                    helped,
                    user_id,
                } => {
                    self.store
                        .record_feedback(enquiry, *helped, *user_id)
                        .await?;
                }
                ChatAction::Ignore(why) => debug!(why = why.as_str(), "not answering"),
                _ => {
                    exec::execute(http, &action).await?;
                }
            }
        }
        Ok(())
    }

    /// After a fresh gateway session: handles messages posted in the listened channels since
    /// the newest one recorded (a resumed session replays them itself; duplicates are skipped).
    pub async fn catch_up(&self, http: &Http) -> Result<()> {
        for &channel in &self.config.channels {
            let Some(after) = self.store.latest_message_id(channel).await? else {
                continue;
            };
            if channel == 0 || after == 0 {
                continue;
            }
            let mut missed = http
                .get_messages(
                    ChannelId::new(channel),
                    Some(MessagePagination::After(MessageId::new(after))),
                    Some(100),
                )
                .await?;
            missed.sort_by_key(|m| m.id);
            if !missed.is_empty() {
                info!(
                    channel,
                    count = missed.len(),
                    "catching up on missed messages"
                );
            }
            for msg in &missed {
                if let Err(e) = self.on_message(http, msg).await {
                    warn!(message = %msg.id, "catch-up: {e}");
                }
            }
        }
        Ok(())
    }
}
