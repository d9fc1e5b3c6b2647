//! The bot's decisions as pure functions: an incoming chat message (or slash command, button
//! click, lead reply) and the current state in, the [`ChatAction`]s to take out. No I/O; the
//! [`Bot`](super::Bot) records and executes what these return.

use std::time::Instant;

use super::config::{DiscordConfig, Mention};
use super::ratelimit::{RateDecision, RateLimiter};
use super::store::{AnswerBy, ChatEnquiry};
use super::text::{
    escape_markdown, jump_link, looks_like_question, neutralise_mentions, quote, shorten,
};
use super::Result;
use crate::{DecisionKind, Enquiry, Triage};

/// Prefix of the buttons' custom ids: `fpt:helped:<external id>`, `fpt:more:<external id>`.
pub const HELPED_PREFIX: &str = "fpt:helped:";
pub const MORE_PREFIX: &str = "fpt:more:";

/// The notice for a user over the rate limit.
pub const RATE_NOTICE: &str = "You've asked a lot of questions in the last minute, so I'm \
taking a short break from answering you. Please try again in a minute.";

/// The answer to `/fpt` with small talk instead of a question.
pub const SMALL_TALK_REPLY: &str = "Hello! Ask me anything about Flexible Portfolio Training \
with `/fpt question: …`, for example: how many days a week are protected?";

/// The answer to `/fpt` in a direct message when direct messages are off.
pub const NO_DMS_REPLY: &str = "I only answer in the server's FPT channels. Please ask there \
(with `/fpt` or in the channel).";

/// An interaction to answer (slash command or button click).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interactive {
    pub id: u64,
    /// The interaction token (valid 15 minutes): the deferred response is edited with it.
    pub token: String,
    /// The application the interaction belongs to (the path of the follow-up webhook).
    pub application_id: u64,
}

/// A chat message or slash command as the bot sees it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IncomingChat {
    /// Message id, or interaction id for a slash command.
    pub id: u64,
    /// The channel (or thread) the message is in: replies go there.
    pub channel_id: u64,
    /// For a thread or forum post: the channel it belongs to, which is what the configuration
    /// names.
    pub parent_id: Option<u64>,
    pub guild_id: Option<u64>,
    pub author_id: u64,
    pub author_name: String,
    /// A bot, a webhook or a system message: never answered.
    pub author_is_bot: bool,
    /// The text, with any mention of the bot itself removed.
    pub content: String,
    /// The member's role ids (server messages only).
    pub roles: Vec<u64>,
    /// The message this one replies to.
    pub reference: Option<u64>,
    /// The message mentioned the bot.
    pub mentions_bot: bool,
    /// Set for a slash command: answers go back to the interaction, seen by the asker only.
    pub interaction: Option<Interactive>,
}

impl IncomingChat {
    pub fn is_dm(&self) -> bool {
        self.guild_id.is_none()
    }

    /// The channel the configuration is checked against: a thread's parent, else the channel.
    pub fn configured_channel(&self) -> u64 {
        self.parent_id.unwrap_or(self.channel_id)
    }
}

/// A button click on an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Click {
    pub interaction: Interactive,
    pub user_id: u64,
    pub external_id: String,
    pub helped: bool,
}

impl Click {
    /// Reads a button's custom id; `None` for buttons that are not ours.
    pub fn parse(custom_id: &str, interaction: Interactive, user_id: u64) -> Option<Click> {
        let (helped, rest) = if let Some(r) = custom_id.strip_prefix(HELPED_PREFIX) {
            (true, r)
        } else {
            (false, custom_id.strip_prefix(MORE_PREFIX)?)
        };
        (!rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit())).then(|| Click {
            interaction,
            user_id,
            external_id: rest.to_string(),
            helped,
        })
    }
}

/// One thing for the bot to do.
#[derive(Debug, Clone, PartialEq)]
pub enum ChatAction {
    /// Record the enquiry; when it was already recorded (a replayed event), stop here.
    Record(ChatEnquiry),
    /// Post in a channel, replying to `reply_to` when set. Content longer than Discord's limit
    /// is split; the feedback buttons for `buttons_for` go on the last part. Pings nobody but
    /// the author of `reply_to`.
    Reply {
        channel_id: u64,
        reply_to: Option<u64>,
        content: String,
        buttons_for: Option<String>,
    },
    /// Post in the leads channel, pinging only `mention`; the posts are linked to `enquiry`.
    PostToLeads {
        channel_id: u64,
        content: String,
        mention: Option<Mention>,
        enquiry: String,
    },
    /// Answer an interaction (ephemeral: only the user sees it), with buttons when set.
    Respond {
        interaction: Interactive,
        content: String,
        ephemeral: bool,
        buttons_for: Option<String>,
    },
    /// A direct message to a user. When their direct messages are closed (Discord code 50007),
    /// `fallback` is posted instead: in that channel, replying to that message, mentioning them.
    DirectMessage {
        user_id: u64,
        content: String,
        fallback: Option<Fallback>,
    },
    /// Tells a lead their answer was delivered (or, after a fallback, where it went).
    ConfirmToLead {
        channel_id: u64,
        reply_to: u64,
        trainee_id: u64,
        correction: bool,
    },
    /// Store an answer that was sent.
    RecordAnswer {
        enquiry: String,
        by: AnswerBy,
        text: String,
    },
    /// Store a feedback click.
    RecordFeedback {
        enquiry: String,
        helped: bool,
        user_id: u64,
    },
    /// Nothing to do, and why.
    Ignore(String),
}

/// Where a direct message goes when the user's direct messages are closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fallback {
    pub channel_id: u64,
    pub content: String,
}

/// Decides what to do with a message in a channel, a direct message or a slash command.
/// A slash command always gets a response (Discord shows "The application did not respond"
/// otherwise).
pub fn plan_message(
    triage: &Triage,
    config: &DiscordConfig,
    incoming: &IncomingChat,
    limiter: &mut RateLimiter,
    now: Instant,
) -> Result<Vec<ChatAction>> {
    let slash = incoming.interaction.is_some();
    let ignore = |why: &str| {
        Ok(match &incoming.interaction {
            Some(_) if why.starts_with("over the rate limit") => {
                vec![to_asker(incoming, RATE_NOTICE.into(), None)]
            }
            Some(_) => vec![to_asker(incoming, SMALL_TALK_REPLY.into(), None)],
            None => vec![ChatAction::Ignore(why.to_string())],
        })
    };
    if incoming.author_is_bot {
        return Ok(vec![ChatAction::Ignore("sent by a bot".into())]);
    }
    if slash && incoming.is_dm() && !config.allow_dms {
        return Ok(vec![to_asker(incoming, NO_DMS_REPLY.into(), None)]);
    }
    if !slash && !config.listens_in(incoming.configured_channel(), incoming.is_dm()) {
        return ignore("not a channel the bot listens in");
    }
    let text = incoming.content.trim();
    // "@raj @fpt-bot what's the fpt day?": the bot was called on too, so the question is its
    // to answer; the colleagues' mentions in front are dropped (triage would read a message
    // that opens with a colleague's mention as said to that colleague)
    let text = if incoming.mentions_bot {
        without_leading_mentions(text)
    } else {
        text
    };
    if !slash
        && !incoming.is_dm()
        && config.questions_only
        && !incoming.mentions_bot
        && !looks_like_question(text)
    {
        return ignore("chatter, not a question");
    }

    // the bot's mention was taken out of the text (bot.rs); triage is told it was there as a
    // typed one reads ("anyone know if u need research exp? @fpt-bot" is asked of the desk,
    // not of the room), and takes it out again before matching
    let asked = if incoming.mentions_bot {
        format!("@fpt-bot {text}")
    } else {
        text.to_string()
    };
    let mut enquiry = Enquiry::chat(&format!("discord:{}", incoming.author_id), &asked);
    enquiry.from_name = Some(incoming.author_name.clone());
    enquiry.message_id = Some(incoming.id.to_string());
    let mut decision = triage.triage(&enquiry);
    if decision.decision == DecisionKind::Ignore {
        return ignore(&decision.reason);
    }
    if decision.region.is_none() {
        decision.region = incoming
            .roles
            .iter()
            .find_map(|r| config.region_roles.get(r))
            .filter(|id| triage.kb.regions.get(id).is_some())
            .cloned();
    }

    match limiter.check(incoming.author_id, now) {
        RateDecision::Allow => {}
        RateDecision::Silent => return ignore("over the rate limit (already told)"),
        RateDecision::Notify => return Ok(vec![to_asker(incoming, RATE_NOTICE.into(), None)]),
    }

    let record = ChatEnquiry {
        external_id: incoming.id.to_string(),
        channel_id: incoming.channel_id,
        guild_id: incoming.guild_id,
        reply_to: (!slash).then_some(incoming.id),
        author_id: incoming.author_id,
        author_name: incoming.author_name.clone(),
        text: text.to_string(),
        decision: decision.decision,
        confidence: decision.confidence,
        faq: decision.faq.clone(),
        region: decision.region.clone(),
        reason: decision.reason.clone(),
    };
    let draft = triage.draft(&enquiry, &decision)?;
    let Some(draft) = draft else {
        return ignore("nothing to say");
    };
    let mut actions = vec![ChatAction::Record(record.clone())];
    match decision.decision {
        DecisionKind::Answer => {
            actions.push(to_asker(incoming, draft.text.clone(), Some(&record)));
            actions.push(ChatAction::RecordAnswer {
                enquiry: record.external_id.clone(),
                by: AnswerBy::Bot {
                    faq: decision.faq.clone(),
                },
                text: draft.text,
            });
        }
        _ => {
            // The leads first: if telling the trainee fails, the question still reaches them.
            actions.push(lead_post(triage, config, &record, &decision.reason)?);
            actions.push(to_asker(incoming, draft.text, None));
        }
    }
    Ok(actions)
}

/// A message to the asker: the interaction response for a slash command, else a reply.
fn to_asker(incoming: &IncomingChat, content: String, buttons: Option<&ChatEnquiry>) -> ChatAction {
    let buttons_for = buttons.map(|e| e.external_id.clone());
    match &incoming.interaction {
        Some(i) => ChatAction::Respond {
            interaction: i.clone(),
            content,
            ephemeral: true,
            buttons_for,
        },
        None => ChatAction::Reply {
            channel_id: incoming.channel_id,
            reply_to: Some(incoming.id),
            content,
            buttons_for,
        },
    }
}

/// Whom a question for `region` goes to: the mention (if configured) and a description.
pub fn lead_for(
    triage: &Triage,
    config: &DiscordConfig,
    region: Option<&str>,
) -> Result<(Option<Mention>, String)> {
    let region_name = triage.region_name(region);
    let admin = || -> Result<Option<Mention>> {
        match &config.admin_team {
            Some(v) => Mention::parse(v),
            None => Mention::parse(&triage.kb.regions.admin_team.discord_id),
        }
    };
    match (region, region_name) {
        (Some(id), Some(name)) => {
            let configured = match config.leads.get(id) {
                Some(v) => Mention::parse(v)?,
                None => Mention::parse(&triage.contact_for(Some(id)).discord_id)?,
            };
            // A region without a Discord lead falls back to the admin team's mention.
            let mention = match configured {
                Some(m) => Some(m),
                None => admin()?,
            };
            Ok((mention, format!("the FPT regional lead for {name}")))
        }
        _ => Ok((admin()?, "the FPT admin team".to_string())),
    }
}

/// The leads-channel post for a routed enquiry.
pub fn lead_post(
    triage: &Triage,
    config: &DiscordConfig,
    enquiry: &ChatEnquiry,
    why: &str,
) -> Result<ChatAction> {
    let (mention, whom) = lead_for(triage, config, enquiry.region.as_deref())?;
    let to = mention.map_or_else(|| whom.clone(), |m| format!("{} ({whom})", m.markup()));
    let place = match (enquiry.reply_to, enquiry.guild_id) {
        (Some(msg), guild) => format!(
            "in <#{}> ({})",
            enquiry.channel_id,
            jump_link(guild, enquiry.channel_id, msg)
        ),
        (None, Some(_)) => format!("with /fpt in <#{}>", enquiry.channel_id),
        (None, None) => "with /fpt in a direct message".to_string(),
    };
    let content = format!(
        "{to}: a question from <@{author}> {place}\n{question}\n-# {why}\nReply to this message \
         (or in its thread) and I'll send your answer to them.",
        author = enquiry.author_id,
        question = quote(&escape_markdown(&neutralise_mentions(&enquiry.text))),
        why = shorten(&neutralise_mentions(why), 300),
    );
    Ok(ChatAction::PostToLeads {
        channel_id: config.leads_channel,
        content,
        mention,
        enquiry: enquiry.external_id.clone(),
    })
}

/// A lead's reply to a leads-channel post: send it to the trainee, store it, confirm to the lead.
/// `correction`: the lead edited an answer already relayed; it goes out marked as a correction.
pub fn plan_lead_reply(
    triage: &Triage,
    config: &DiscordConfig,
    enquiry: &ChatEnquiry,
    lead: &IncomingChat,
    correction: bool,
) -> Result<Vec<ChatAction>> {
    if lead.author_is_bot {
        return Ok(vec![ChatAction::Ignore("sent by a bot".into())]);
    }
    let text = lead.content.trim();
    if text.is_empty() {
        return Ok(vec![ChatAction::Ignore("empty reply from the lead".into())]);
    }
    let (_, whom) = lead_for(triage, config, enquiry.region.as_deref())?;
    let heading = if correction {
        "Correction from"
    } else {
        "Answer from"
    };
    let content = format!(
        "**{heading} {whom}** ({name}):\n{body}",
        name = escape_markdown(&neutralise_mentions(&lead.author_name)),
        body = neutralise_mentions(text)
    );
    let to_trainee = match enquiry.reply_to {
        Some(msg) => ChatAction::Reply {
            channel_id: enquiry.channel_id,
            reply_to: Some(msg),
            content,
            buttons_for: None,
        },
        None => {
            let about = format!(
                "About your question \"{}\":\n{content}",
                escape_markdown(&shorten(&neutralise_mentions(&enquiry.text), 200))
            );
            ChatAction::DirectMessage {
                user_id: enquiry.author_id,
                fallback: (enquiry.guild_id.is_some() && enquiry.channel_id != 0).then(|| {
                    Fallback {
                        channel_id: enquiry.channel_id,
                        content: format!(
                            "<@{}> (your direct messages are closed, so here): {about}",
                            enquiry.author_id
                        ),
                    }
                }),
                content: about,
            }
        }
    };
    Ok(vec![
        to_trainee,
        ChatAction::RecordAnswer {
            enquiry: enquiry.external_id.clone(),
            by: AnswerBy::Lead {
                user_id: lead.author_id,
                name: lead.author_name.clone(),
            },
            text: text.to_string(),
        },
        ChatAction::ConfirmToLead {
            channel_id: lead.channel_id,
            reply_to: lead.id,
            trainee_id: enquiry.author_id,
            correction,
        },
    ])
}

/// A click on "this helped" / "still need help". `enquiry` is the stored enquiry (if any),
/// `routed` whether it already went to the leads.
pub fn plan_feedback(
    triage: &Triage,
    config: &DiscordConfig,
    click: &Click,
    enquiry: Option<&ChatEnquiry>,
    routed: bool,
) -> Result<Vec<ChatAction>> {
    let respond = |content: &str| ChatAction::Respond {
        interaction: click.interaction.clone(),
        content: content.to_string(),
        ephemeral: true,
        buttons_for: None,
    };
    let Some(enquiry) = enquiry else {
        return Ok(vec![respond(
            "Sorry, I can't find that question any more. Please ask it again.",
        )]);
    };
    // Only the asker's clicks count (once each way: the store's claim drops repeats).
    let mut actions = Vec::new();
    if click.user_id == enquiry.author_id {
        actions.push(ChatAction::RecordFeedback {
            enquiry: enquiry.external_id.clone(),
            helped: click.helped,
            user_id: click.user_id,
        });
    }
    if click.helped {
        actions.push(respond("Thanks for letting us know. Glad it helped!"));
    } else if click.user_id != enquiry.author_id {
        actions.push(respond(
            "Thanks, noted. If you have a question of your own, please ask it here or with /fpt.",
        ));
    } else if routed {
        actions.push(respond(
            "Your question is already with the team; they'll reply here as soon as they can.",
        ));
    } else {
        let (_, whom) = lead_for(triage, config, enquiry.region.as_deref())?;
        actions.push(lead_post(
            triage,
            config,
            enquiry,
            "the trainee clicked \"still need help\" on the FAQ answer",
        )?);
        actions.push(respond(&format!(
            "Sorry that didn't answer it. I've passed your question to {whom}; they'll reply as \
             soon as they can."
        )));
    }
    Ok(actions)
}

/// `text` without the user mentions (`<@123>`, `<@!123>`) that open it.
fn without_leading_mentions(mut text: &str) -> &str {
    loop {
        let t = text.trim_start();
        let Some(rest) = t.strip_prefix("<@") else {
            return t;
        };
        let rest = rest.strip_prefix('!').unwrap_or(rest);
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        match rest[digits..].strip_prefix('>') {
            Some(after) if digits > 0 => text = after,
            _ => return t,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::without_leading_mentions;

    #[test]
    fn a_question_that_calls_on_the_bot_loses_the_colleagues_mentions_in_front() {
        assert_eq!(
            without_leading_mentions("<@12> <@!34>  how long is fpt?"),
            "how long is fpt?"
        );
        assert_eq!(
            without_leading_mentions("how long is <@12>?"),
            "how long is <@12>?"
        );
        assert_eq!(
            without_leading_mentions("<@&56> role ping"),
            "<@&56> role ping"
        );
        assert_eq!(without_leading_mentions("<@> odd"), "<@> odd");
        assert_eq!(without_leading_mentions("<@12"), "<@12");
    }
}
