//! Performs [`ChatAction`]s that talk to Discord, through serenity's `Http`. Every message is
//! sent with explicit `allowed_mentions`: nothing is parsed from the text, so `@everyone`,
//! `@here` and quoted mentions can never ping; only the intended lead (user or role) and, for
//! replies, the person replied to are notified.

use serenity::all::{
    ButtonStyle, ChannelId, CreateActionRow, CreateAllowedMentions, CreateButton,
    CreateInteractionResponse, CreateInteractionResponseFollowup, CreateInteractionResponseMessage,
    CreateMessage, InteractionId, MessageId, MessageReference, MessageReferenceKind,
};
use serenity::http::Http;

use super::config::Mention;
use super::plan::{ChatAction, Interactive, HELPED_PREFIX, MORE_PREFIX};
use super::text::{split_message, MAX_MESSAGE};
use super::{ChatError, Result};

fn channel(id: u64) -> Result<ChannelId> {
    (id != 0)
        .then(|| ChannelId::new(id))
        .ok_or_else(|| ChatError::Config("channel id 0".into()))
}

fn no_pings() -> CreateAllowedMentions {
    CreateAllowedMentions::new()
        .everyone(false)
        .all_users(false)
        .all_roles(false)
}

fn mentions_for(mention: Option<Mention>) -> CreateAllowedMentions {
    match mention {
        Some(Mention::User(id)) if id != 0 => no_pings().users([id]),
        Some(Mention::Role(id)) if id != 0 => no_pings().roles([id]),
        _ => no_pings(),
    }
}

/// The "this helped" / "still need help" buttons for an enquiry.
pub fn feedback_buttons(external_id: &str) -> Vec<CreateActionRow> {
    vec![CreateActionRow::Buttons(vec![
        CreateButton::new(format!("{HELPED_PREFIX}{external_id}"))
            .label("This helped")
            .style(ButtonStyle::Success),
        CreateButton::new(format!("{MORE_PREFIX}{external_id}"))
            .label("Still need help")
            .style(ButtonStyle::Secondary),
    ])]
}

/// Sends `content` (split to Discord's limit) to a channel; returns the ids of the messages.
async fn post(
    http: &Http,
    channel_id: u64,
    reply_to: Option<u64>,
    content: &str,
    mention: Option<Mention>,
    buttons_for: Option<&str>,
) -> Result<Vec<u64>> {
    let channel_id = channel(channel_id)?;
    let parts = split_message(content, MAX_MESSAGE);
    let last = parts.len().saturating_sub(1);
    let mut ids = Vec::with_capacity(parts.len());
    for (i, part) in parts.into_iter().enumerate() {
        let mut allowed = if i == 0 {
            mentions_for(mention)
        } else {
            no_pings()
        };
        let mut msg = CreateMessage::new().content(part);
        if let Some(reply) = reply_to.filter(|id| i == 0 && *id != 0) {
            allowed = allowed.replied_user(true);
            msg = msg.reference_message(
                MessageReference::new(MessageReferenceKind::Default, channel_id)
                    .message_id(MessageId::new(reply))
                    .fail_if_not_exists(false),
            );
        }
        if let Some(id) = buttons_for.filter(|_| i == last) {
            msg = msg.components(feedback_buttons(id));
        }
        msg = msg.allowed_mentions(allowed);
        let sent = http.send_message(channel_id, Vec::new(), &msg).await?;
        ids.push(sent.id.get());
    }
    Ok(ids)
}

async fn respond(
    http: &Http,
    interaction: &Interactive,
    content: &str,
    ephemeral: bool,
    buttons_for: Option<&str>,
) -> Result<()> {
    if interaction.id == 0 {
        return Err(ChatError::Config("interaction id 0".into()));
    }
    let parts = split_message(content, MAX_MESSAGE);
    let last = parts.len().saturating_sub(1);
    for (i, part) in parts.into_iter().enumerate() {
        let buttons = buttons_for.filter(|_| i == last).map(feedback_buttons);
        if i == 0 {
            let mut msg = CreateInteractionResponseMessage::new()
                .content(part)
                .ephemeral(ephemeral)
                .allowed_mentions(no_pings());
            if let Some(b) = buttons {
                msg = msg.components(b);
            }
            http.create_interaction_response(
                InteractionId::new(interaction.id),
                &interaction.token,
                &CreateInteractionResponse::Message(msg),
                Vec::new(),
            )
            .await?;
        } else {
            let mut msg = CreateInteractionResponseFollowup::new()
                .content(part)
                .ephemeral(ephemeral)
                .allowed_mentions(no_pings());
            if let Some(b) = buttons {
                msg = msg.components(b);
            }
            http.create_followup_message(&interaction.token, &msg, Vec::new())
                .await?;
        }
    }
    Ok(())
}

async fn direct_message(http: &Http, user_id: u64, content: &str) -> Result<Vec<u64>> {
    if user_id == 0 {
        return Err(ChatError::Config("user id 0".into()));
    }
    let dm = http
        .create_private_channel(&serde_json::json!({ "recipient_id": user_id.to_string() }))
        .await?;
    post(http, dm.id.get(), None, content, None, None).await
}

/// Performs one action that talks to Discord; returns the ids of messages it created.
/// Store actions and `Ignore` do nothing here.
pub async fn execute(http: &Http, action: &ChatAction) -> Result<Vec<u64>> {
    match action {
        ChatAction::Reply {
            channel_id,
            reply_to,
            content,
            buttons_for,
        } => {
            post(
                http,
                *channel_id,
                *reply_to,
                content,
                None,
                buttons_for.as_deref(),
            )
            .await
        }
        ChatAction::PostToLeads {
            channel_id,
            content,
            mention,
            ..
        } => post(http, *channel_id, None, content, *mention, None).await,
        ChatAction::Respond {
            interaction,
            content,
            ephemeral,
            buttons_for,
        } => {
            respond(
                http,
                interaction,
                content,
                *ephemeral,
                buttons_for.as_deref(),
            )
            .await?;
            Ok(Vec::new())
        }
        ChatAction::DirectMessage { user_id, content } => {
            direct_message(http, *user_id, content).await
        }
        ChatAction::Record(_)
        | ChatAction::RecordAnswer { .. }
        | ChatAction::RecordFeedback { .. }
        | ChatAction::Ignore(_) => Ok(Vec::new()),
    }
}
