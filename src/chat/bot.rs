//! [`Bot`]: the handler logic. Converts serenity models (gateway events, REST messages fetched
//! when catching up) into [`IncomingChat`]/[`Click`], asks [`plan`](super::plan) what to do,
//! then records and executes the actions in order.
//!
//! Failure handling: a replayed event stops at `Record` (already stored) or at a claimed key
//! (a lead's reply, an edit); a failed REST call does not stop the actions after it: it is
//! logged and kept as a problem (`config check`, the enquiry's audit trail) so an operator can
//! act. Routed questions reach the leads before the trainee is told.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serenity::all::{
    CommandDataOptionValue, CommandInteraction, Interaction, Message, MessageType,
    MessageUpdateEvent, User,
};
use tracing::{debug, error, info, warn};

use super::config::DiscordConfig;
use super::exec;
use super::plan::{
    plan_feedback, plan_lead_reply, plan_message, ChatAction, Click, IncomingChat, Interactive,
};
use super::ratelimit::RateLimiter;
use super::rest::{codes, ChannelInfo, Rest};
use super::store::ChatStore;
use super::{ChatError, Result};
use crate::live::LiveTriage;

/// Name of the slash command and of its option.
pub const COMMAND: &str = "fpt";
pub const COMMAND_OPTION: &str = "question";

/// After this many server messages in a row arrive with empty text (and no attachment, embed
/// or sticker), the Message Content intent is taken to be off and reported.
pub const EMPTY_CONTENT_ALERT_AFTER: u32 = 3;

/// What the log and `config check` say when message text arrives empty.
pub const MESSAGE_CONTENT_PROBLEM: &str = "Discord sends every message with empty text: the \
Message Content intent is not granted. Switch on Developer Portal → your application → Bot → \
Privileged Gateway Intents → Message Content Intent, then restart; until then questions in \
channels cannot be read (only /fpt and mentions of the bot work).";

/// The bot's state: triage, configuration, store, the per-user rate limiter and what it has
/// learnt about channels.
pub struct Bot {
    /// The triage in use; each message takes `current()` once (swapped on knowledge-base reload).
    pub triage: LiveTriage,
    pub config: DiscordConfig,
    pub store: Arc<dyn ChatStore>,
    limiter: Arc<Mutex<RateLimiter>>,
    bot_user: AtomicU64,
    /// Channels known not to be threads of leads posts (a new thread always has a new id).
    not_lead_threads: Mutex<HashSet<u64>>,
    /// `GET /channels/{id}` answers: guild and parent of channels and threads.
    channels: Mutex<HashMap<u64, ChannelInfo>>,
    empty_in_a_row: AtomicU32,
    empty_reported: AtomicBool,
}

/// Above this many remembered channels a set is cleared.
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
    pub fn new(
        config: DiscordConfig,
        triage: impl Into<LiveTriage>,
        store: Arc<dyn ChatStore>,
    ) -> Self {
        Bot {
            limiter: Arc::new(Mutex::new(RateLimiter::new(config.rate_limit_per_minute))),
            triage: triage.into(),
            config,
            store,
            bot_user: AtomicU64::new(0),
            not_lead_threads: Mutex::new(HashSet::new()),
            channels: Mutex::new(HashMap::new()),
            empty_in_a_row: AtomicU32::new(0),
            empty_reported: AtomicBool::new(false),
        }
    }

    /// The bot's own user id (from READY): its own messages and mentions of it are recognised.
    pub fn set_bot_user(&self, id: u64) {
        self.bot_user.store(id, Ordering::Relaxed);
    }

    fn bot_user(&self) -> Option<u64> {
        Some(self.bot_user.load(Ordering::Relaxed)).filter(|id| *id != 0)
    }

    /// Strips mentions of the bot from `content`; says whether there was one.
    fn without_bot_mention(&self, content: &str, mentions: &[User]) -> (String, bool) {
        match self.bot_user() {
            Some(id) => {
                let tags = [format!("<@{id}>"), format!("<@!{id}>")];
                let mentioned = mentions.iter().any(|u| u.id.get() == id)
                    || tags.iter().any(|t| content.contains(t.as_str()));
                let mut text = content.to_string();
                for t in &tags {
                    text = text.replace(t.as_str(), "");
                }
                (text.trim().to_string(), mentioned)
            }
            None => (content.trim().to_string(), false),
        }
    }

    /// A message (from the gateway or fetched over REST) as the planner sees it. A REST message
    /// has no `guild_id` and no `member`: [`Bot::catch_up`] fills those in.
    pub fn incoming(&self, msg: &Message) -> IncomingChat {
        let author = msg.author.id.get();
        let is_bot = msg.author.bot
            || msg.author.system
            || msg.webhook_id.is_some()
            || Some(author) == self.bot_user()
            || !matches!(msg.kind, MessageType::Regular | MessageType::InlineReply);
        let (content, mentions_bot) = self.without_bot_mention(&msg.content, &msg.mentions);
        IncomingChat {
            id: msg.id.get(),
            channel_id: msg.channel_id.get(),
            parent_id: None,
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

    /// Handles MESSAGE_CREATE: a question in a listened channel, thread or DM, or a lead's reply.
    pub async fn on_message(&self, rest: &Rest, msg: &Message) -> Result<()> {
        self.watch_for_empty_content(msg).await;
        let incoming = self.incoming(msg);
        self.handle(rest, incoming, None).await
    }

    /// Handles MESSAGE_UPDATE: an edit that turns a message into a question is answered (once:
    /// a question already recorded is not answered again); a lead's edited answer is relayed
    /// as a correction. Updates without new text (link previews) are ignored.
    pub async fn on_message_update(&self, rest: &Rest, ev: &MessageUpdateEvent) -> Result<()> {
        let (Some(author), Some(content), Some(edited)) =
            (&ev.author, &ev.content, &ev.edited_timestamp)
        else {
            return Ok(());
        };
        let (content, mentions_bot) =
            self.without_bot_mention(content, ev.mentions.as_deref().unwrap_or(&[]));
        let member = ev.member.clone().flatten();
        let kind_ok = ev
            .kind
            .is_none_or(|k| matches!(k, MessageType::Regular | MessageType::InlineReply));
        let incoming = IncomingChat {
            id: ev.id.get(),
            channel_id: ev.channel_id.get(),
            parent_id: None,
            guild_id: ev.guild_id.map(|g| g.get()),
            author_id: author.id.get(),
            author_name: display_name(author, member.as_ref().and_then(|m| m.nick.as_deref())),
            author_is_bot: author.bot
                || author.system
                || ev.webhook_id.flatten().is_some()
                || Some(author.id.get()) == self.bot_user()
                || !kind_ok,
            content,
            roles: member
                .as_ref()
                .map(|m| m.roles.iter().map(|r| r.get()).collect())
                .unwrap_or_default(),
            reference: ev
                .message_reference
                .clone()
                .flatten()
                .and_then(|r| r.message_id)
                .map(|m| m.get()),
            mentions_bot,
            interaction: None,
        };
        self.handle(rest, incoming, Some(edited.unix_timestamp().to_string()))
            .await
    }

    /// Counts server messages that arrive with empty text; reports the missing Message Content
    /// intent once after [`EMPTY_CONTENT_ALERT_AFTER`] in a row.
    async fn watch_for_empty_content(&self, msg: &Message) {
        let from_person = !msg.author.bot && !msg.author.system && msg.webhook_id.is_none();
        let plain = matches!(msg.kind, MessageType::Regular | MessageType::InlineReply);
        if msg.guild_id.is_none() || !from_person || !plain {
            return;
        }
        let mentions_me = self
            .bot_user()
            .is_some_and(|me| msg.mentions.iter().any(|u| u.id.get() == me));
        let empty = msg.content.trim().is_empty()
            && msg.attachments.is_empty()
            && msg.embeds.is_empty()
            && msg.sticker_items.is_empty();
        if !empty {
            if !msg.content.trim().is_empty() {
                self.empty_in_a_row.store(0, Ordering::Relaxed);
            }
            return;
        }
        if mentions_me {
            return;
        }
        let n = self.empty_in_a_row.fetch_add(1, Ordering::Relaxed) + 1;
        if n >= EMPTY_CONTENT_ALERT_AFTER && !self.empty_reported.swap(true, Ordering::Relaxed) {
            error!("{MESSAGE_CONTENT_PROBLEM}");
            if let Err(e) = self
                .store
                .record_problem(None, MESSAGE_CONTENT_PROBLEM)
                .await
            {
                warn!("cannot record the problem: {e}");
            }
        }
    }

    /// `GET /channels/{id}`, remembered.
    async fn channel_info(&self, rest: &Rest, channel: u64) -> Result<ChannelInfo> {
        if let Some(info) = self
            .channels
            .lock()
            .ok()
            .and_then(|c| c.get(&channel).copied())
        {
            return Ok(info);
        }
        let info = rest.channel(channel).await?;
        if let Ok(mut c) = self.channels.lock() {
            if c.len() >= MAX_REMEMBERED_CHANNELS {
                c.clear();
            }
            c.insert(channel, info);
        }
        Ok(info)
    }

    /// The configured channel a thread or forum post belongs to, if any.
    async fn listened_parent(&self, rest: &Rest, channel: u64) -> Option<u64> {
        match self.channel_info(rest, channel).await {
            Ok(info) if info.is_thread() => {
                info.parent_id.filter(|p| self.config.listens_in(*p, false))
            }
            Ok(_) => None,
            Err(e) => {
                debug!(channel, "cannot look the channel up: {e}");
                None
            }
        }
    }

    /// The common path of new and edited messages (`edited`: the edit's timestamp).
    async fn handle(
        &self,
        rest: &Rest,
        mut incoming: IncomingChat,
        edited: Option<String>,
    ) -> Result<()> {
        if incoming.author_is_bot {
            return Ok(());
        }
        if incoming.is_dm() {
            if !self.config.allow_dms {
                return Ok(());
            }
            return self.question(rest, &incoming).await;
        }
        if self.config.listens_in(incoming.channel_id, false) {
            return self.question(rest, &incoming).await;
        }
        // An edit of a lead's reply that was relayed: a correction (Discord does not always
        // repeat the reply's reference in MESSAGE_UPDATE).
        if edited.is_some() {
            if let Some(ext) = self.store.claimed(&format!("lead:{}", incoming.id)).await? {
                if let Some(enquiry) = self.store.enquiry(&ext).await? {
                    return self.lead_reply(rest, &enquiry, &incoming, edited).await;
                }
            }
        }
        // A lead's reply: in the leads channel replying to our post, or in a thread started
        // from it (a thread started from a message has that message's id).
        let in_leads_channel = incoming.channel_id == self.config.leads_channel;
        let post = if in_leads_channel {
            incoming.reference
        } else if self.known_not_lead_thread(incoming.channel_id) {
            None
        } else {
            Some(incoming.channel_id)
        };
        if let Some(post) = post {
            if let Some(enquiry) = self.store.enquiry_for_lead_post(post).await? {
                return self.lead_reply(rest, &enquiry, &incoming, edited).await;
            }
            if !in_leads_channel {
                self.remember_not_lead_thread(incoming.channel_id);
            }
        }
        if in_leads_channel {
            return Ok(());
        }
        // A thread or forum post under a listened channel.
        if let Some(parent) = self.listened_parent(rest, incoming.channel_id).await {
            incoming.parent_id = Some(parent);
            return self.question(rest, &incoming).await;
        }
        Ok(())
    }

    async fn lead_reply(
        &self,
        rest: &Rest,
        enquiry: &super::store::ChatEnquiry,
        incoming: &IncomingChat,
        edited: Option<String>,
    ) -> Result<()> {
        let key = format!("lead:{}", incoming.id);
        let ext = Some(enquiry.external_id.as_str());
        let correction = match &edited {
            Some(stamp) if self.store.claimed(&key).await?.is_some() => {
                let edit_key = format!("edit:{}:{stamp}", incoming.id);
                if !self.store.claim(&edit_key, ext).await? {
                    return Ok(());
                }
                true
            }
            _ => {
                if !self.store.claim(&key, ext).await? {
                    debug!(message = incoming.id, "lead's reply already relayed");
                    return Ok(());
                }
                false
            }
        };
        // a correction edits an answer already relayed; a first answer needs an open enquiry
        if !correction && !self.store.may_answer(&enquiry.external_id).await? {
            info!(enquiry = %enquiry.external_id, "enquiry already answered or closed: not relayed");
            let note = ChatAction::Reply {
                channel_id: incoming.channel_id,
                reply_to: Some(incoming.id),
                content: "This enquiry was already answered or closed, so nothing was sent.".into(),
                buttons_for: None,
            };
            return self.perform(rest, vec![note]).await;
        }
        info!(
            enquiry = %enquiry.external_id,
            lead = incoming.author_id,
            correction,
            "relaying a lead's reply to the trainee"
        );
        let actions = plan_lead_reply(
            &self.triage.current(),
            &self.config,
            enquiry,
            incoming,
            correction,
        )?;
        self.perform(rest, actions).await
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

    async fn question(&self, rest: &Rest, incoming: &IncomingChat) -> Result<()> {
        // planning runs triage (CPU work): on the blocking pool, never on the async threads
        let (triage, config, limiter, incoming_owned) = (
            self.triage.current(),
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
        self.perform(rest, actions).await
    }

    /// Handles INTERACTION_CREATE: the `/fpt` command and the feedback buttons. Each is
    /// acknowledged at once with a deferred ephemeral response (Discord's limit is 3 seconds),
    /// then answered by editing that response.
    pub async fn on_interaction(&self, rest: &Rest, interaction: &Interaction) -> Result<()> {
        match interaction {
            Interaction::Command(cmd) if cmd.data.name == COMMAND => {
                let i = Interactive {
                    id: cmd.id.get(),
                    token: cmd.token.clone(),
                    application_id: cmd.application_id.get(),
                };
                exec::defer(rest, &i).await?;
                self.command(rest, cmd, i).await
            }
            Interaction::Component(c) => {
                let i = Interactive {
                    id: c.id.get(),
                    token: c.token.clone(),
                    application_id: c.application_id.get(),
                };
                let Some(click) = Click::parse(&c.data.custom_id, i, c.user.id.get()) else {
                    return Ok(());
                };
                exec::defer(rest, &click.interaction).await?;
                self.click(rest, click).await
            }
            _ => Ok(()),
        }
    }

    async fn command(
        &self,
        rest: &Rest,
        cmd: &CommandInteraction,
        interaction: Interactive,
    ) -> Result<()> {
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
        if question.is_empty() {
            let usage = ChatAction::Respond {
                interaction,
                content: "Ask me with `/fpt question: your question`.".into(),
                ephemeral: true,
                buttons_for: None,
            };
            return self.perform(rest, vec![usage]).await;
        }
        let incoming = IncomingChat {
            id: cmd.id.get(),
            channel_id: cmd.channel_id.get(),
            parent_id: None,
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
        self.question(rest, &incoming).await
    }

    async fn click(&self, rest: &Rest, click: Click) -> Result<()> {
        let enquiry = self.store.enquiry(&click.external_id).await?;
        let routed = self.store.is_routed(&click.external_id).await?;
        let actions = plan_feedback(
            &self.triage.current(),
            &self.config,
            &click,
            enquiry.as_ref(),
            routed,
        )?;
        self.perform(rest, actions).await
    }

    /// A failed action: logged and kept for `config check` and the enquiry's audit trail.
    async fn problem(&self, enquiry: Option<&str>, what: &str, e: &ChatError) {
        let advice = match e {
            ChatError::Rest(r) => format!(" ({})", r.advice()),
            _ => String::new(),
        };
        let text = format!("{what}: {e}{advice}");
        warn!(enquiry = enquiry.unwrap_or("-"), "{text}");
        if let Err(e) = self.store.record_problem(enquiry, &text).await {
            warn!("cannot record the problem: {e}");
        }
    }

    /// Records and executes actions in order. Stops at a `Record` of an enquiry that is
    /// already stored, so a replayed event is never answered twice. A failed call is reported
    /// ([`Bot::problem`]) and the following actions still run, except that an answer that did
    /// not reach the trainee is not stored as sent, and the lead is told it was not delivered.
    pub async fn perform(&self, rest: &Rest, actions: Vec<ChatAction>) -> Result<()> {
        let enquiry: Option<String> = actions.iter().find_map(|a| match a {
            ChatAction::Record(e) => Some(e.external_id.clone()),
            ChatAction::PostToLeads { enquiry, .. }
            | ChatAction::RecordAnswer { enquiry, .. }
            | ChatAction::RecordFeedback { enquiry, .. } => Some(enquiry.clone()),
            _ => None,
        });
        let mut dm_fell_back: Option<u64> = None;
        // Why the last message to the asker failed, if it did.
        let mut undelivered: Option<String> = None;
        for action in actions {
            let ext = enquiry.as_deref();
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
                ChatAction::PostToLeads {
                    enquiry: for_enquiry,
                    channel_id,
                    ..
                } => match exec::execute(rest, &action).await {
                    Ok(ids) => {
                        for id in ids {
                            self.store.link_lead_post(id, for_enquiry).await?;
                        }
                    }
                    Err(e) => {
                        let what = format!(
                            "could not post question {for_enquiry} in the leads channel {channel_id}"
                        );
                        self.problem(Some(for_enquiry), &what, &e).await;
                    }
                },
                ChatAction::RecordAnswer {
                    enquiry: for_enquiry,
                    by,
                    text,
                } => {
                    if undelivered.is_none() {
                        self.store.record_answer(for_enquiry, by, text).await?;
                    }
                }
                ChatAction::RecordFeedback {
                    enquiry: for_enquiry,
                    helped,
                    user_id,
                } => {
                    let key = format!("{}:{for_enquiry}", if *helped { "helped" } else { "more" });
                    if self.store.claim(&key, Some(for_enquiry)).await? {
                        self.store
                            .record_feedback(for_enquiry, *helped, *user_id)
                            .await?;
                    }
                }
                ChatAction::DirectMessage {
                    user_id, fallback, ..
                } => match exec::execute(rest, &action).await {
                    Ok(_) => {}
                    Err(ChatError::Rest(r)) if r.code == Some(codes::CANNOT_DM) => {
                        let Some(fb) = fallback else {
                            let e = ChatError::Rest(r);
                            self.problem(ext, "could not send a direct message", &e)
                                .await;
                            undelivered = Some(e.to_string());
                            continue;
                        };
                        info!(
                            user = user_id,
                            "direct messages closed; answering in the channel"
                        );
                        let sent = exec::post(
                            rest,
                            fb.channel_id,
                            None,
                            &fb.content,
                            (vec![*user_id], vec![]),
                            None,
                        )
                        .await;
                        match sent {
                            Ok(_) => dm_fell_back = Some(fb.channel_id),
                            Err(e) => {
                                self.problem(ext, "could not post the closed-DM fallback", &e)
                                    .await;
                                undelivered = Some(e.to_string());
                            }
                        }
                    }
                    Err(e) => {
                        self.problem(ext, "could not send a direct message", &e)
                            .await;
                        undelivered = Some(e.to_string());
                    }
                },
                ChatAction::ConfirmToLead {
                    channel_id,
                    reply_to,
                    trainee_id,
                    correction,
                } => {
                    let sent = if *correction {
                        "Correction sent"
                    } else {
                        "Sent"
                    };
                    let content = match (&undelivered, dm_fell_back) {
                        (Some(why), _) => format!(
                            "I could not deliver your answer to <@{trainee_id}> ({}). It is \
                             recorded as a problem for the admins; please reach them another way.",
                            super::text::shorten(why, 200)
                        ),
                        (None, Some(ch)) => format!(
                            "<@{trainee_id}> does not accept direct messages, so I posted your \
                             answer in <#{ch}>, mentioning them."
                        ),
                        (None, None) => format!("{sent} to <@{trainee_id}>. Thank you!"),
                    };
                    let r = exec::post(
                        rest,
                        *channel_id,
                        Some(*reply_to),
                        &content,
                        (vec![], vec![]),
                        None,
                    )
                    .await;
                    if let Err(e) = r {
                        self.problem(ext, "could not confirm to the lead", &e).await;
                    }
                }
                ChatAction::Ignore(why) => debug!(why = why.as_str(), "not answering"),
                ChatAction::Reply { channel_id, .. } => {
                    if let Err(e) = exec::execute(rest, &action).await {
                        let what = format!("could not post in channel {channel_id}");
                        self.problem(ext, &what, &e).await;
                        undelivered = Some(e.to_string());
                    }
                }
                ChatAction::Respond { .. } => {
                    if let Err(e) = exec::execute(rest, &action).await {
                        self.problem(ext, "could not answer an interaction", &e)
                            .await;
                        undelivered = Some(e.to_string());
                    }
                }
            }
        }
        Ok(())
    }

    /// After a fresh gateway session (READY; a resumed session replays missed events itself):
    /// handles every message posted while the bot was away, in each listened channel since the
    /// newest question recorded there, and in the leads channel since the newest post or relayed
    /// answer (so a lead's answer written during the outage is relayed). Pages through
    /// `GET /channels/{id}/messages` 100 at a time. Duplicates are skipped by the store.
    pub async fn catch_up(&self, rest: &Rest) -> Result<()> {
        // Read before the question channels' catch-up posts anything new to the leads.
        let leads_after = self.store.latest_leads_activity().await?;
        for &channel in &self.config.channels {
            let Some(after) = self.store.latest_message_id(channel).await? else {
                continue;
            };
            if let Err(e) = self.catch_up_channel(rest, channel, after).await {
                self.problem(None, &format!("catch-up in channel {channel} failed"), &e)
                    .await;
            }
        }
        let leads = self.config.leads_channel;
        if let Some(after) = leads_after {
            if let Err(e) = self.catch_up_channel(rest, leads, after).await {
                self.problem(
                    None,
                    &format!("catch-up in the leads channel {leads} failed"),
                    &e,
                )
                .await;
            }
        }
        Ok(())
    }

    async fn catch_up_channel(&self, rest: &Rest, channel: u64, mut after: u64) -> Result<()> {
        if channel == 0 || after == 0 {
            return Ok(());
        }
        // REST messages carry no guild id: take it from the channel.
        let guild = self.channel_info(rest, channel).await?.guild_id;
        let mut total = 0usize;
        loop {
            let page = rest.messages_after(channel, after).await?;
            let full = page.len() >= 100;
            let mut missed: Vec<Message> = page
                .into_iter()
                .filter_map(|v| match serde_json::from_value::<Message>(v) {
                    Ok(m) => Some(m),
                    Err(e) => {
                        warn!(channel, "catch-up: unreadable message: {e}");
                        None
                    }
                })
                .collect();
            missed.sort_by_key(|m| m.id);
            let Some(newest) = missed.last().map(|m| m.id.get()) else {
                break;
            };
            total += missed.len();
            for msg in &missed {
                let mut incoming = self.incoming(msg);
                incoming.guild_id = incoming.guild_id.or(guild);
                if incoming.roles.is_empty()
                    && !incoming.author_is_bot
                    && channel != self.config.leads_channel
                    && !self.config.region_roles.is_empty()
                {
                    if let Some(g) = incoming.guild_id {
                        match rest.member_roles(g, incoming.author_id).await {
                            Ok(roles) => incoming.roles = roles,
                            Err(e) => debug!("catch-up: no member roles: {e}"),
                        }
                    }
                }
                if let Err(e) = self.handle(rest, incoming, None).await {
                    warn!(message = %msg.id, "catch-up: {e}");
                }
            }
            if newest <= after || !full {
                break;
            }
            after = newest;
        }
        if total > 0 {
            info!(channel, count = total, "caught up on missed messages");
        }
        Ok(())
    }
}
