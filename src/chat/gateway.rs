//! The serenity client: connects with the intents the bot needs, hands events to [`Bot`],
//! registers `/fpt` (one bulk overwrite per start), and catches up after a fresh session.
//! Serenity reconnects by itself: it resumes after a dropped connection (close codes 1001,
//! 4000…, replaying missed events; the store's dedupe makes replays harmless) and identifies
//! again when the session is gone (4009), which brings a new READY and a catch-up. A refused
//! token (4004) or refused intents (4013/4014) stop the bot with an error that says what to do.
//!
//! Serenity's HTTP client is used only to fetch the gateway URL (`GET /gateway`, `/gateway/bot`); every
//! other REST call goes through [`Rest`]. With `api_proxy`, serenity's own rate limiter is
//! switched off: in serenity 0.12 it would send requests to discord.com, bypassing the proxy.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde_json::{json, Value};
use serenity::all::{
    Context, EventHandler, GatewayError, GatewayIntents, Interaction, Message, MessageUpdateEvent,
    Ready,
};
use serenity::async_trait;
use serenity::client::ClientBuilder;
use serenity::http::{Http, HttpBuilder};
use tracing::{info, warn};

use super::bot::{Bot, COMMAND, COMMAND_OPTION};
use super::config::DiscordConfig;
use super::rest::Rest;
use super::store::ChatStore;
use super::{ChatError, Result};
use crate::live::LiveTriage;

/// Gateway intents: server and direct messages, and their text (a privileged intent that must
/// be switched on in the Developer Portal).
pub fn intents() -> GatewayIntents {
    GatewayIntents::GUILD_MESSAGES
        | GatewayIntents::DIRECT_MESSAGES
        | GatewayIntents::MESSAGE_CONTENT
}

/// The application commands, as `PUT /applications/{id}/commands` takes them: `/fpt
/// question:…` (type 1 chat input; option type 3 string).
pub fn commands() -> Value {
    json!([{
        "name": COMMAND,
        "type": 1,
        "description": "Ask the Flexible Portfolio Training assistant (only you see the answer)",
        "options": [{
            "type": 3,
            "name": COMMAND_OPTION,
            "description": "Your question",
            "required": true,
            "max_length": 1500
        }]
    }])
}

/// Serenity's event handler: converts events and calls the [`Bot`]; errors are logged.
pub struct Handler {
    pub bot: Arc<Bot>,
    pub rest: Arc<Rest>,
    commands_registered: AtomicBool,
}

impl Handler {
    pub fn new(bot: Arc<Bot>, rest: Arc<Rest>) -> Self {
        Handler {
            bot,
            rest,
            commands_registered: AtomicBool::new(false),
        }
    }
}

#[async_trait]
impl EventHandler for Handler {
    async fn ready(&self, _ctx: Context, ready: Ready) {
        info!(user = %ready.user.id, "connected to Discord");
        self.bot.set_bot_user(ready.user.id.get());
        if let Err(e) = self.bot.store.record_connected().await {
            warn!("cannot record the connection: {e}");
        }
        if self.bot.config.register_commands
            && !self.commands_registered.swap(true, Ordering::SeqCst)
        {
            let app = ready.application.id.get();
            match self.rest.overwrite_commands(app, &commands()).await {
                Ok(()) => info!("registered /{COMMAND}"),
                Err(e) => {
                    self.commands_registered.store(false, Ordering::SeqCst);
                    warn!("cannot register /{COMMAND}: {e}");
                }
            }
        }
        if let Err(e) = self.bot.catch_up(&self.rest).await {
            warn!("catch-up after connecting failed: {e}");
        }
    }

    async fn message(&self, _ctx: Context, msg: Message) {
        if let Err(e) = self.bot.on_message(&self.rest, &msg).await {
            warn!(message = %msg.id, channel = %msg.channel_id, "chat message not handled: {e}");
        }
    }

    async fn message_update(
        &self,
        _ctx: Context,
        _old: Option<Message>,
        _new: Option<Message>,
        event: MessageUpdateEvent,
    ) {
        if let Err(e) = self.bot.on_message_update(&self.rest, &event).await {
            warn!(message = %event.id, "edited chat message not handled: {e}");
        }
    }

    async fn interaction_create(&self, _ctx: Context, interaction: Interaction) {
        if let Err(e) = self.bot.on_interaction(&self.rest, &interaction).await {
            warn!(interaction = %interaction.id(), "interaction not handled: {e}");
        }
    }
}

/// Runs the bot until `shutdown` completes. Needs the token (`FPT_DISCORD_TOKEN`). A fatal
/// error (refused token or intents) is also recorded in `store` for `config check`.
pub async fn run(
    config: DiscordConfig,
    triage: LiveTriage,
    store: Arc<dyn ChatStore>,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<()> {
    if config.token.is_empty() {
        return Err(ChatError::Config(format!(
            "no bot token: set {}",
            super::config::TOKEN_ENV
        )));
    }
    config.validate()?;
    let mut http = HttpBuilder::new(config.token.expose());
    if let Some(proxy) = &config.api_proxy {
        http = http
            .proxy(proxy.trim().trim_end_matches('/'))
            .ratelimiter_disabled(true);
    }
    let rest = Rest::new(&config.token, config.api_proxy.as_deref())?;
    let result = run_with_http(config, http.build(), rest, triage, store.clone(), shutdown).await;
    if let Err(e) = &result {
        if let Err(e2) = store.record_problem(None, &e.to_string()).await {
            warn!("cannot record the problem: {e2}");
        }
    }
    result
}

/// What to say about an error that stopped the gateway.
fn fatal(e: serenity::Error) -> ChatError {
    let env = super::config::TOKEN_ENV;
    match e {
        serenity::Error::Gateway(GatewayError::InvalidAuthentication) => {
            ChatError::Refused(format!(
            "Discord refused the bot token (gateway close code 4004, authentication failed): set \
             {env} to the bot's current token (Developer Portal → Bot → Reset Token); mail is \
             not affected"
        ))
        }
        serenity::Error::Gateway(
            GatewayError::DisallowedGatewayIntents | GatewayError::InvalidGatewayIntents,
        ) => ChatError::Refused(
            "Discord refused the gateway intents (close code 4013/4014): switch on Message \
             Content Intent under Developer Portal → Bot → Privileged Gateway Intents"
                .into(),
        ),
        serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(r))
            if r.status_code.as_u16() == 401 =>
        {
            ChatError::Refused(format!(
                "Discord refused the bot token (HTTP 401 when asking for the gateway): set {env} to the \
                 bot's current token (Developer Portal → Bot → Reset Token)"
            ))
        }
        other => ChatError::from(other),
    }
}

/// [`run`] with a prepared `Http` for the gateway (for example one sent to a local API with
/// `.proxy(..)`) and the [`Rest`] client for everything else.
pub async fn run_with_http(
    config: DiscordConfig,
    http: Http,
    rest: Rest,
    triage: LiveTriage,
    store: Arc<dyn ChatStore>,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<()> {
    config.validate()?;
    let bot = Arc::new(Bot::new(config, triage, store));
    let mut client = ClientBuilder::new_with_http(http, intents())
        .event_handler(Handler::new(bot, Arc::new(rest)))
        .await
        .map_err(fatal)?;
    let shards = client.shard_manager.clone();
    tokio::select! {
        r = client.start() => {
            shards.shutdown_all().await;
            r.map_err(fatal)
        }
        () = shutdown => {
            info!("stopping the Discord bot");
            shards.shutdown_all().await;
            Ok(())
        }
    }
}
