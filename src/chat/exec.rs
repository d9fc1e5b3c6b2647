//! Performs [`ChatAction`]s that talk to Discord, through [`Rest`]. Every message is sent with
//! explicit `allowed_mentions`: nothing is parsed from the text, so `@everyone`, `@here` and
//! quoted mentions can never ping; only the intended lead (user or role), the person replied
//! to, or (for a closed-DM fallback) the trainee are notified. Every message carries a `nonce`
//! with `enforce_nonce`, derived from where it goes and what it says, so a retried or replayed
//! send creates it once.

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::config::Mention;
use super::plan::{ChatAction, Interactive, HELPED_PREFIX, MORE_PREFIX};
use super::rest::Rest;
use super::text::{split_message, MAX_MESSAGE};
use super::{ChatError, Result};

/// Interaction callback types (<https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object-interaction-callback-type>).
pub const DEFERRED_CHANNEL_MESSAGE: u64 = 5;
/// Message flag EPHEMERAL (1 << 6): only the user who invoked the interaction sees it.
pub const EPHEMERAL: u64 = 64;

fn nonzero(id: u64, what: &str) -> Result<u64> {
    (id != 0)
        .then_some(id)
        .ok_or_else(|| ChatError::Config(format!("{what} id 0")))
}

/// `allowed_mentions` that ping nobody except `users`/`roles` (and the replied-to author when
/// `replied_user`).
fn allowed(users: &[u64], roles: &[u64], replied_user: bool) -> Value {
    json!({
        "parse": [],
        "users": users.iter().map(u64::to_string).collect::<Vec<_>>(),
        "roles": roles.iter().map(u64::to_string).collect::<Vec<_>>(),
        "replied_user": replied_user,
    })
}

fn mentions_for(mention: Option<Mention>) -> (Vec<u64>, Vec<u64>) {
    match mention {
        Some(Mention::User(id)) if id != 0 => (vec![id], vec![]),
        Some(Mention::Role(id)) if id != 0 => (vec![], vec![id]),
        _ => (vec![], vec![]),
    }
}

/// The "this helped" / "still need help" buttons for an enquiry (component type 2, styles
/// 3 Success and 2 Secondary).
pub fn feedback_buttons(external_id: &str) -> Value {
    json!([{
        "type": 1,
        "components": [
            {"type": 2, "style": 3, "label": "This helped", "custom_id": format!("{HELPED_PREFIX}{external_id}")},
            {"type": 2, "style": 2, "label": "Still need help", "custom_id": format!("{MORE_PREFIX}{external_id}")},
        ]
    }])
}

/// A nonce (at most 25 characters) for one message part: the same message to the same place
/// gets the same nonce, so Discord keeps one copy.
fn nonce(channel_id: u64, reply_to: Option<u64>, part: usize, content: &str) -> String {
    let mut h = Sha256::new();
    h.update(format!("{channel_id}/{}/{part}/", reply_to.unwrap_or(0)));
    h.update(content.as_bytes());
    let digest = h.finalize();
    digest.iter().take(12).map(|b| format!("{b:02x}")).collect()
}

/// Sends `content` (split to Discord's limit) to a channel; returns the ids of the messages.
/// The first part pings `users`/`roles` and replies to `reply_to`; the last carries the buttons.
pub async fn post(
    rest: &Rest,
    channel_id: u64,
    reply_to: Option<u64>,
    content: &str,
    (users, roles): (Vec<u64>, Vec<u64>),
    buttons_for: Option<&str>,
) -> Result<Vec<u64>> {
    let channel_id = nonzero(channel_id, "channel")?;
    let parts = split_message(content, MAX_MESSAGE);
    let last = parts.len().saturating_sub(1);
    let mut ids = Vec::with_capacity(parts.len());
    for (i, part) in parts.into_iter().enumerate() {
        let reply = reply_to.filter(|id| i == 0 && *id != 0);
        let mut body = json!({
            "content": part,
            "nonce": nonce(channel_id, reply_to, i, &part),
            "enforce_nonce": true,
            "allowed_mentions": if i == 0 {
                allowed(&users, &roles, reply.is_some())
            } else {
                allowed(&[], &[], false)
            },
        });
        if let Some(reply) = reply {
            body["message_reference"] = json!({
                "message_id": reply.to_string(),
                "channel_id": channel_id.to_string(),
                "fail_if_not_exists": false,
            });
        }
        if let Some(id) = buttons_for.filter(|_| i == last) {
            body["components"] = feedback_buttons(id);
        }
        ids.push(rest.create_message(channel_id, &body).await?);
    }
    Ok(ids)
}

/// Acknowledges an interaction at once with a deferred (ephemeral) response: Discord drops
/// interactions not acknowledged within 3 seconds; the answer follows with [`respond`].
pub async fn defer(rest: &Rest, interaction: &Interactive) -> Result<()> {
    let id = nonzero(interaction.id, "interaction")?;
    rest.interaction_callback(
        id,
        &interaction.token,
        &json!({"type": DEFERRED_CHANNEL_MESSAGE, "data": {"flags": EPHEMERAL}}),
    )
    .await
}

/// Fills a deferred interaction response (the first part), then sends the rest as follow-ups.
pub async fn respond(
    rest: &Rest,
    interaction: &Interactive,
    content: &str,
    ephemeral: bool,
    buttons_for: Option<&str>,
) -> Result<()> {
    let app = nonzero(interaction.application_id, "application")?;
    let parts = split_message(content, MAX_MESSAGE);
    let last = parts.len().saturating_sub(1);
    for (i, part) in parts.into_iter().enumerate() {
        let mut body = json!({
            "content": part,
            "allowed_mentions": allowed(&[], &[], false),
            "components": buttons_for.filter(|_| i == last).map(feedback_buttons).unwrap_or_else(|| json!([])),
        });
        if i == 0 {
            rest.edit_original(app, &interaction.token, &body).await?;
        } else {
            if ephemeral {
                body["flags"] = json!(EPHEMERAL);
            }
            rest.followup(app, &interaction.token, &body).await?;
        }
    }
    Ok(())
}

/// A direct message: opens the DM channel and posts in it.
pub async fn direct_message(rest: &Rest, user_id: u64, content: &str) -> Result<Vec<u64>> {
    let user_id = nonzero(user_id, "user")?;
    let dm = rest.dm_channel(user_id).await?;
    post(rest, dm, None, content, (vec![], vec![]), None).await
}

/// Performs one action that talks to Discord; returns the ids of messages it created.
/// Store actions, `Ignore` and `ConfirmToLead` (its text depends on what happened before, so
/// the bot sends it) do nothing here.
pub async fn execute(rest: &Rest, action: &ChatAction) -> Result<Vec<u64>> {
    match action {
        ChatAction::Reply {
            channel_id,
            reply_to,
            content,
            buttons_for,
        } => {
            post(
                rest,
                *channel_id,
                *reply_to,
                content,
                (vec![], vec![]),
                buttons_for.as_deref(),
            )
            .await
        }
        ChatAction::PostToLeads {
            channel_id,
            content,
            mention,
            ..
        } => {
            post(
                rest,
                *channel_id,
                None,
                content,
                mentions_for(*mention),
                None,
            )
            .await
        }
        ChatAction::Respond {
            interaction,
            content,
            ephemeral,
            buttons_for,
        } => {
            respond(
                rest,
                interaction,
                content,
                *ephemeral,
                buttons_for.as_deref(),
            )
            .await?;
            Ok(Vec::new())
        }
        ChatAction::DirectMessage {
            user_id, content, ..
        } => direct_message(rest, *user_id, content).await,
        ChatAction::Record(_)
        | ChatAction::RecordAnswer { .. }
        | ChatAction::RecordFeedback { .. }
        | ChatAction::ConfirmToLead { .. }
        | ChatAction::Ignore(_) => Ok(Vec::new()),
    }
}
