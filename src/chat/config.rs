//! `[discord]` configuration: where the bot listens, where routed questions go, who to mention.
//! The bot token never comes from the file: it is read from `FPT_DISCORD_TOKEN` and is never
//! printed (its `Debug` is redacted).

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Deserializer};

use super::{ChatError, Result};

/// Environment variable holding the bot token.
pub const TOKEN_ENV: &str = "FPT_DISCORD_TOKEN";

/// The bot token. `Debug` and `Display` never show it.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    pub fn new(token: impl Into<String>) -> Self {
        Token(token.into().trim().to_string())
    }

    /// The token from `FPT_DISCORD_TOKEN`, when set and not empty.
    pub fn from_env() -> Option<Self> {
        std::env::var(TOKEN_ENV)
            .ok()
            .map(Token::new)
            .filter(|t| !t.0.is_empty())
    }

    /// The secret itself, for the HTTP client only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_empty() {
            "<unset>"
        } else {
            "<redacted>"
        })
    }
}

/// Who a leads-channel post mentions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mention {
    User(u64),
    Role(u64),
}

impl Mention {
    /// Parses `"user:123"`, `"role:123"`, `"<@123>"`, `"<@&123>"` or plain digits (a user).
    /// Empty text is `Ok(None)`: nobody is configured.
    pub fn parse(text: &str) -> Result<Option<Mention>> {
        let t = text.trim();
        if t.is_empty() {
            return Ok(None);
        }
        let bad = || {
            ChatError::Config(format!(
                "`{t}` is not a Discord id: use \"user:ID\", \"role:ID\" or the digits of a user id"
            ))
        };
        let digits = |s: &str| s.trim().parse::<u64>().ok().filter(|n| *n > 0);
        let m = if let Some(rest) = t.strip_prefix("role:") {
            Mention::Role(digits(rest).ok_or_else(bad)?)
        } else if let Some(rest) = t.strip_prefix("user:") {
            Mention::User(digits(rest).ok_or_else(bad)?)
        } else if let Some(rest) = t.strip_prefix("<@&").and_then(|r| r.strip_suffix('>')) {
            Mention::Role(digits(rest).ok_or_else(bad)?)
        } else if let Some(rest) = t.strip_prefix("<@").and_then(|r| r.strip_suffix('>')) {
            Mention::User(digits(rest.trim_start_matches('!')).ok_or_else(bad)?)
        } else {
            Mention::User(digits(t).ok_or_else(bad)?)
        };
        Ok(Some(m))
    }

    /// The mention as Discord writes it.
    pub fn markup(self) -> String {
        match self {
            Mention::User(id) => format!("<@{id}>"),
            Mention::Role(id) => format!("<@&{id}>"),
        }
    }
}

fn default_rate() -> u32 {
    5
}

fn default_true() -> bool {
    true
}

/// The `[discord]` section.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DiscordConfig {
    /// Read from `FPT_DISCORD_TOKEN`, never from the file.
    #[serde(skip)]
    pub token: Token,
    /// Channel ids the bot answers in.
    #[serde(default, deserialize_with = "ids")]
    pub channels: Vec<u64>,
    /// Channel where routed questions are posted for the leads.
    #[serde(deserialize_with = "id")]
    pub leads_channel: u64,
    /// Answer direct messages too.
    #[serde(default)]
    pub allow_dms: bool,
    /// Member role id → region id (`faq/regions.toml`), used when the text names no region.
    #[serde(default, deserialize_with = "id_map")]
    pub region_roles: HashMap<u64, String>,
    /// Region id → `"user:ID"`/`"role:ID"`, overriding the lead's `discord_id` in regions.toml.
    #[serde(default)]
    pub leads: HashMap<String, String>,
    /// Mention for questions with no region, overriding `[admin_team] discord_id`.
    #[serde(default)]
    pub admin_team: Option<String>,
    /// Questions per user per minute; over it the user gets one notice, then silence.
    #[serde(default = "default_rate")]
    pub rate_limit_per_minute: u32,
    /// In server channels, only messages that look like questions are triaged
    /// (a `?`, a question word, or a mention of the bot); other chatter is ignored.
    #[serde(default = "default_true")]
    pub questions_only: bool,
    /// Register the `/fpt question:…` slash command when connected (one bulk overwrite per
    /// start, so restarts never duplicate it).
    #[serde(default = "default_true")]
    pub register_commands: bool,
    /// Send every REST call to this origin (`http://host:port`) instead of
    /// `https://discord.com`: a rate-limit proxy in front of Discord's API (e.g.
    /// twilight-http-proxy), or a local test server. The gateway URL comes from the proxied
    /// `GET /gateway` and `GET /gateway/bot` as usual.
    #[serde(default)]
    pub api_proxy: Option<String>,
}

impl Default for DiscordConfig {
    fn default() -> Self {
        DiscordConfig {
            token: Token::default(),
            channels: Vec::new(),
            leads_channel: 0,
            allow_dms: false,
            region_roles: HashMap::new(),
            leads: HashMap::new(),
            admin_team: None,
            rate_limit_per_minute: default_rate(),
            questions_only: true,
            register_commands: true,
            api_proxy: None,
        }
    }
}

impl DiscordConfig {
    /// Fills the token from the environment; `Ok(false)` when none is set (the bot stays off).
    pub fn with_env_token(mut self) -> (Self, bool) {
        let found = match Token::from_env() {
            Some(t) => {
                self.token = t;
                true
            }
            None => false,
        };
        (self, found)
    }

    /// Checks what can be checked without Discord.
    pub fn validate(&self) -> Result<()> {
        if self.leads_channel == 0 {
            return Err(ChatError::Config(
                "`leads_channel` must be the id of the channel where routed questions go".into(),
            ));
        }
        if self.channels.is_empty() && !self.allow_dms {
            return Err(ChatError::Config(
                "no `channels` and `allow_dms = false`: the bot would listen nowhere".into(),
            ));
        }
        for v in self.leads.values().chain(self.admin_team.iter()) {
            Mention::parse(v)?;
        }
        if let Some(proxy) = &self.api_proxy {
            let p = proxy.trim();
            let rest = p
                .strip_prefix("http://")
                .or_else(|| p.strip_prefix("https://"));
            if rest.is_none_or(|r| r.is_empty() || r.contains(['/', '?', '#'])) {
                return Err(ChatError::Config(format!(
                    "`api_proxy = \"{p}\"` must be an origin like \"http://127.0.0.1:3000\" (scheme, host, port; no path)"
                )));
            }
        }
        Ok(())
    }

    /// Whether the bot answers in this channel (for a thread or forum post: pass its parent).
    pub fn listens_in(&self, channel_id: u64, is_dm: bool) -> bool {
        if is_dm {
            self.allow_dms
        } else {
            self.channels.contains(&channel_id)
        }
    }
}

/// A Discord id written as a TOML integer or a string.
#[derive(Deserialize)]
#[serde(untagged)]
enum IdRepr {
    Int(u64),
    Text(String),
}

impl IdRepr {
    fn get<E: serde::de::Error>(self) -> std::result::Result<u64, E> {
        match self {
            IdRepr::Int(n) => Ok(n),
            IdRepr::Text(s) => s
                .trim()
                .parse()
                .map_err(|_| E::custom(format!("`{s}` is not a Discord id (digits)"))),
        }
    }
}

fn id<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<u64, D::Error> {
    IdRepr::deserialize(d)?.get()
}

fn ids<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Vec<u64>, D::Error> {
    Vec::<IdRepr>::deserialize(d)?
        .into_iter()
        .map(IdRepr::get)
        .collect()
}

fn id_map<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<HashMap<u64, String>, D::Error> {
    HashMap::<String, String>::deserialize(d)?
        .into_iter()
        .map(|(k, v)| IdRepr::Text(k).get().map(|k| (k, v)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_parse_in_every_accepted_form() {
        assert_eq!(Mention::parse("").unwrap(), None);
        assert_eq!(Mention::parse("42").unwrap(), Some(Mention::User(42)));
        assert_eq!(Mention::parse("user:42").unwrap(), Some(Mention::User(42)));
        assert_eq!(Mention::parse("role:7").unwrap(), Some(Mention::Role(7)));
        assert_eq!(Mention::parse("<@&7>").unwrap(), Some(Mention::Role(7)));
        assert_eq!(Mention::parse("<@!42>").unwrap(), Some(Mention::User(42)));
        assert!(Mention::parse("role:abc").is_err());
        assert!(Mention::parse("@everyone").is_err());
    }

    #[test]
    fn the_section_reads_from_toml_with_ids_as_numbers_or_text() {
        let c: DiscordConfig = toml::from_str(
            r#"
            channels = [111, "222"]
            leads_channel = "333"
            allow_dms = true
            admin_team = "role:9"
            [region_roles]
            "444" = "south-west"
            [leads]
            south-west = "user:555"
            "#,
        )
        .unwrap();
        assert_eq!(c.channels, vec![111, 222]);
        assert_eq!(c.leads_channel, 333);
        assert_eq!(
            c.region_roles.get(&444).map(String::as_str),
            Some("south-west")
        );
        assert_eq!(c.rate_limit_per_minute, 5);
        assert!(c.validate().is_ok());
        let proxied = |p: &str| DiscordConfig {
            api_proxy: Some(p.into()),
            ..c.clone()
        };
        assert!(proxied("http://127.0.0.1:3000").validate().is_ok());
        assert!(proxied("127.0.0.1:3000").validate().is_err());
        assert!(proxied("http://127.0.0.1:3000/api/v10").validate().is_err());
        assert_eq!(format!("{:?}", Token::new("secret")), "<redacted>");
        assert!(!format!("{c:?}").contains("secret"));
    }
}
