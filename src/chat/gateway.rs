//! The serenity client: connects with the intents the bot needs, hands events to [`Bot`],
//! registers `/fpt`, and catches up after a fresh session. Serenity reconnects (and resumes,
//! replaying missed events) by itself; the store's dedupe makes replays harmless.

use std::future::Future;
use std::sync::Arc;

use serenity::all::{
    Command, CommandOptionType, Context, CreateCommand, CreateCommandOption, EventHandler,
    GatewayIntents, Interaction, Message, Ready,
};
use serenity::async_trait;
use serenity::client::ClientBuilder;
use serenity::http::{Http, HttpBuilder};
use tracing::{info, warn};

use super::bot::{Bot, COMMAND, COMMAND_OPTION};
use super::config::DiscordConfig;
use super::store::ChatStore;
use super::{ChatError, Result};
use crate::Triage;

/// Gateway intents: server and direct messages, and their text (a privileged intent that must
/// be switched on in the Developer Portal).
pub fn intents() -> GatewayIntents {
    GatewayIntents::GUILD_MESSAGES
        | GatewayIntents::DIRECT_MESSAGES
        | GatewayIntents::MESSAGE_CONTENT
}

/// The `/fpt question:…` command.
pub fn fpt_command() -> CreateCommand {
    CreateCommand::new(COMMAND)
        .description("Ask the Flexible Portfolio Training assistant (only you see the answer)")
        .add_option(
            CreateCommandOption::new(CommandOptionType::String, COMMAND_OPTION, "Your question")
                .required(true)
                .max_length(1500),
        )
}

/// Serenity's event handler: converts events and calls the [`Bot`]; errors are logged.
pub struct Handler {
    pub bot: Arc<Bot>,
}

#[async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        info!(user = %ready.user.id, "connected to Discord");
        self.bot.set_bot_user(ready.user.id.get());
        ctx.http.set_application_id(ready.application.id);
        if self.bot.config.register_commands {
            if let Err(e) = Command::create_global_command(&ctx.http, fpt_command()).await {
                warn!("cannot register /{COMMAND}: {e}");
            }
        }
        if let Err(e) = self.bot.catch_up(&ctx.http).await {
            warn!("catch-up after connecting failed: {e}");
        }
    }

    async fn message(&self, ctx: Context, msg: Message) {
        if let Err(e) = self.bot.on_message(&ctx.http, &msg).await {
            warn!(message = %msg.id, channel = %msg.channel_id, "chat message not handled: {e}");
        }
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        if let Err(e) = self.bot.on_interaction(&ctx.http, &interaction).await {
            warn!(interaction = %interaction.id(), "interaction not handled: {e}");
        }
    }
}

/// Runs the bot until `shutdown` completes. Needs the token (`FPT_DISCORD_TOKEN`).
pub async fn run(
    config: DiscordConfig,
    triage: Arc<Triage>,
    store: Arc<dyn ChatStore>,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<()> {
    if config.token.is_empty() {
        return Err(ChatError::Config(format!(
            "no bot token: set {}",
            super::config::TOKEN_ENV
        )));
    }
    let http = HttpBuilder::new(config.token.expose()).build();
    run_with_http(config, http, triage, store, shutdown).await
}

/// [`run`] with a prepared `Http` (for example one sent to a local API with `.proxy(..)`).
pub async fn run_with_http(
    config: DiscordConfig,
    http: Http,
    triage: Arc<Triage>,
    store: Arc<dyn ChatStore>,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<()> {
    config.validate()?;
    let bot = Arc::new(Bot::new(config, triage, store));
    let mut client = ClientBuilder::new_with_http(http, intents())
        .event_handler(Handler { bot })
        .await?;
    let shards = client.shard_manager.clone();
    tokio::select! {
        r = client.start() => r.map_err(ChatError::from),
        () = shutdown => {
            info!("stopping the Discord bot");
            shards.shutdown_all().await;
            Ok(())
        }
    }
}
