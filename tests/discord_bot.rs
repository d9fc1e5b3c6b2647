//! The Discord bot driven with real gateway payloads (tests/data/discord/) deserialized into
//! serenity's models, its REST calls sent to a local HTTP server that records them.
//! Discord itself is never contacted. The whole binary over a websocket gateway:
//! tests/discord_e2e.rs.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use fpt_assist::chat::rest::Rest;
use fpt_assist::chat::{AnswerBy, Bot, ChatStore, DiscordConfig, MemoryChatStore, Token};
use fpt_assist::draft::Drafter;
use fpt_assist::kb::{Entry, EntryKind, KnowledgeBase};
use fpt_assist::Triage;
use serde_json::{json, Value};
use serenity::all::{Interaction, Message};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

const GUILD: u64 = 1100000000000000001;
const CHANNEL: u64 = 1100000000000000010;
const LEADS: u64 = 1100000000000000020;
const TRAINEE: u64 = 1100000000000000501;
const LEAD_USER: u64 = 1100000000000000601;
const ADMIN_ROLE: u64 = 1100000000000000801;
const SW_ROLE: u64 = 1100000000000000201;
const BOT_USER: u64 = 1100000000000000900;
const QUESTION: u64 = 1239867315000000001;

// ---------------------------------------------------------------------------------------------
// A local stand-in for Discord's REST API.

#[derive(Debug, Clone)]
struct Call {
    method: String,
    path: String,
    body: Value,
    /// The id of the message the server created, if any.
    created: Option<u64>,
}

#[derive(Clone, Default)]
struct FakeDiscord {
    calls: Arc<Mutex<Vec<Call>>>,
    next_id: Arc<AtomicU64>,
    /// Bodies for GET paths (without the query).
    gets: Arc<Mutex<HashMap<String, Value>>>,
    /// Paths refused with this status line and JSON error.
    refuse: Arc<Mutex<HashMap<String, (&'static str, Value)>>>,
}

impl FakeDiscord {
    async fn start() -> (FakeDiscord, String) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let fake = FakeDiscord {
            next_id: Arc::new(AtomicU64::new(1239867500000000000)),
            ..Default::default()
        };
        let server = fake.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let server = server.clone();
                tokio::spawn(async move { server.serve(stream).await });
            }
        });
        (fake, format!("http://{addr}"))
    }

    async fn serve(&self, stream: tokio::net::TcpStream) {
        let mut reader = BufReader::new(stream);
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                return;
            }
            let mut parts = line.split_whitespace();
            let method = parts.next().unwrap_or_default().to_string();
            let path = parts.next().unwrap_or_default().to_string();
            let mut length = 0usize;
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).await.unwrap_or(0) == 0 {
                    return;
                }
                let h = h.trim_end();
                if h.is_empty() {
                    break;
                }
                if let Some((name, value)) = h.split_once(':') {
                    if name.eq_ignore_ascii_case("content-length") {
                        length = value.trim().parse().unwrap_or(0);
                    }
                }
            }
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).await.is_err() {
                return;
            }
            let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let (status, reply, created) = self.answer(&method, &path, &body);
            self.calls.lock().unwrap().push(Call {
                method,
                path,
                body,
                created,
            });
            let text = reply.map(|v| v.to_string()).unwrap_or_default();
            let head = format!(
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                text.len()
            );
            let stream = reader.get_mut();
            if stream.write_all(head.as_bytes()).await.is_err()
                || stream.write_all(text.as_bytes()).await.is_err()
            {
                return;
            }
        }
    }

    fn answer(
        &self,
        method: &str,
        path: &str,
        body: &Value,
    ) -> (&'static str, Option<Value>, Option<u64>) {
        let route = path.split('?').next().unwrap_or(path);
        let segs: Vec<&str> = route.trim_start_matches("/api/v10/").split('/').collect();
        if let Some((status, error)) = self.refuse.lock().unwrap().get(route).cloned() {
            return (status, Some(error), None);
        }
        match (method, segs.as_slice()) {
            ("POST", ["channels", channel, "messages"]) => {
                let id = self.next_id.fetch_add(1, Ordering::SeqCst);
                ("200 OK", Some(bot_message(id, channel, body)), Some(id))
            }
            ("POST", ["webhooks", _, _]) => {
                let id = self.next_id.fetch_add(1, Ordering::SeqCst);
                (
                    "200 OK",
                    Some(bot_message(id, &CHANNEL.to_string(), body)),
                    Some(id),
                )
            }
            ("POST", ["interactions", _, _, "callback"]) => ("204 No Content", None, None),
            ("PATCH", ["webhooks", _, _, "messages", "@original"]) => {
                let id = self.next_id.fetch_add(1, Ordering::SeqCst);
                (
                    "200 OK",
                    Some(bot_message(id, &CHANNEL.to_string(), body)),
                    Some(id),
                )
            }
            ("POST", ["users", "@me", "channels"]) => (
                "200 OK",
                Some(json!({
                    "id": "1100000000000000777", "type": 1, "last_message_id": null, "flags": 0,
                    "recipients": [{"id": body["recipient_id"], "username": "dr.jones",
                        "discriminator": "0", "global_name": "Dr Jones", "avatar": null}]
                })),
                None,
            ),
            ("GET", _) => match self.gets.lock().unwrap().get(route).cloned() {
                Some(v) => ("200 OK", Some(v), None),
                None if route.ends_with("/messages") => ("200 OK", Some(json!([])), None),
                None => (
                    "404 Not Found",
                    Some(json!({"message": "Unknown Channel", "code": 10003})),
                    None,
                ),
            },
            _ => (
                "404 Not Found",
                Some(json!({"message": "Unknown", "code": 0})),
                None,
            ),
        }
    }

    fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }

    fn posts_to(&self, channel: u64) -> Vec<Call> {
        let path = format!("/api/v10/channels/{channel}/messages");
        self.calls()
            .into_iter()
            .filter(|c| c.method == "POST" && c.path == path)
            .collect()
    }

    fn callbacks(&self) -> Vec<Call> {
        self.calls()
            .into_iter()
            .filter(|c| c.path.ends_with("/callback"))
            .collect()
    }

    /// The edits of deferred interaction responses (the answers).
    fn originals(&self) -> Vec<Call> {
        self.calls()
            .into_iter()
            .filter(|c| c.method == "PATCH" && c.path.ends_with("/messages/@original"))
            .collect()
    }

    fn posts(&self) -> Vec<Call> {
        self.calls()
            .into_iter()
            .filter(|c| c.method != "GET")
            .collect()
    }
}

/// What Discord answers to a message POST: the created message.
fn bot_message(id: u64, channel: &str, body: &Value) -> Value {
    json!({
        "id": id.to_string(), "channel_id": channel, "type": 0,
        "content": body["content"].clone(),
        "author": {"id": BOT_USER.to_string(), "username": "FPT Assistant", "discriminator": "7310",
                   "global_name": null, "avatar": null, "bot": true},
        "timestamp": "2024-05-14T09:12:32.100000+00:00", "edited_timestamp": null,
        "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [],
        "attachments": [], "embeds": [], "pinned": false, "flags": 0,
        "components": body.get("components").cloned().unwrap_or(json!([])),
    })
}

// ---------------------------------------------------------------------------------------------
// Fixtures and set-up.

fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/discord")
        .join(name);
    let frame: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    frame["d"].clone()
}

/// A MESSAGE_CREATE from the trainee with this id and text.
fn question(id: u64, content: &str) -> Message {
    let mut d = fixture("message_create.json");
    d["id"] = json!(id.to_string());
    d["content"] = json!(content);
    serde_json::from_value(d).unwrap()
}

fn edit(name: &str, f: impl FnOnce(&mut Value)) -> Value {
    let mut d = fixture(name);
    f(&mut d);
    d
}

fn config() -> DiscordConfig {
    let mut c = DiscordConfig {
        channels: vec![CHANNEL],
        leads_channel: LEADS,
        allow_dms: true,
        admin_team: Some(format!("role:{ADMIN_ROLE}")),
        ..Default::default()
    };
    c.leads
        .insert("south-west".into(), format!("user:{LEAD_USER}"));
    c.region_roles.insert(SW_ROLE, "south-west".into());
    c
}

fn shipped_triage() -> Arc<Triage> {
    static T: std::sync::OnceLock<Arc<Triage>> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        Arc::new(Triage::load(&root.join("faq"), &root.join("templates")).unwrap())
    })
    .clone()
}

struct Rig {
    fake: FakeDiscord,
    http: Rest,
    bot: Bot,
    store: Arc<MemoryChatStore>,
}

async fn rig_with(config: DiscordConfig, triage: Arc<Triage>) -> Rig {
    let (fake, url) = FakeDiscord::start().await;
    let http = Rest::new(&Token::new("test-token"), Some(&url))
        .unwrap()
        .with_first_backoff(std::time::Duration::from_millis(10));
    let store = Arc::new(MemoryChatStore::new());
    let dyn_store: Arc<dyn ChatStore> = store.clone();
    let bot = Bot::new(config, triage, dyn_store);
    bot.set_bot_user(BOT_USER);
    Rig {
        fake,
        http,
        bot,
        store,
    }
}

async fn rig() -> Rig {
    rig_with(config(), shipped_triage()).await
}

fn parse_list(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn button_ids(body: &Value) -> Vec<String> {
    body["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|b| b["custom_id"].as_str().map(String::from))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Tests.

#[test]
fn every_fixture_deserializes_into_serenity_models() {
    for name in [
        "message_create.json",
        "message_create_bot.json",
        "message_create_lead_reply.json",
        "message_create_dm.json",
    ] {
        let m: Result<Message, _> = serde_json::from_value(fixture(name));
        assert!(m.is_ok(), "{name}: {:?}", m.err());
    }
    for name in ["interaction_command.json", "interaction_button.json"] {
        let i: Result<Interaction, _> = serde_json::from_value(fixture(name));
        assert!(i.is_ok(), "{name}: {:?}", i.err());
    }
}

#[tokio::test]
async fn a_confident_question_is_answered_as_a_reply_with_title_read_more_and_buttons() {
    let r = rig().await;
    let msg = question(QUESTION, "how much protected time do I get on FPT?");
    r.bot.on_message(&r.http, &msg).await.unwrap();

    let calls = r.fake.calls();
    assert_eq!(calls.len(), 1, "{calls:#?}");
    let body = &calls[0].body;
    assert_eq!(
        calls[0].path,
        format!("/api/v10/channels/{CHANNEL}/messages")
    );
    assert_eq!(
        body["message_reference"]["message_id"],
        json!(QUESTION.to_string())
    );
    let content = body["content"].as_str().unwrap();
    assert!(
        content.contains("How much protected time FPT gives"),
        "{content}"
    );
    assert!(content.contains("one day a week"), "{content}");
    assert!(content.contains("Read more"), "{content}");
    assert_eq!(
        button_ids(body),
        vec![
            format!("fpt:helped:{QUESTION}"),
            format!("fpt:more:{QUESTION}")
        ]
    );
    assert!(parse_list(&body["allowed_mentions"]["parse"]).is_empty());
    assert_eq!(body["allowed_mentions"]["replied_user"], json!(true));

    let stored = r.store.enquiries();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].external_id, QUESTION.to_string());
    assert!(matches!(r.store.answers()[0].by, AnswerBy::Bot { .. }));
}

#[tokio::test]
async fn an_unanswerable_question_naming_a_place_goes_to_that_regions_lead() {
    let r = rig().await;
    let msg = question(
        QUESTION,
        "Is there funding for a masters degree during parental leave? I work at Derriford.",
    );
    r.bot.on_message(&r.http, &msg).await.unwrap();

    let acks = r.fake.posts_to(CHANNEL);
    assert_eq!(acks.len(), 1);
    let ack = acks[0].body["content"].as_str().unwrap();
    assert!(ack.contains("regional lead for South West"), "{ack}");
    assert_eq!(
        acks[0].body["message_reference"]["message_id"],
        json!(QUESTION.to_string())
    );
    assert!(button_ids(&acks[0].body).is_empty());

    let leads = r.fake.posts_to(LEADS);
    assert_eq!(leads.len(), 1);
    let post = &leads[0].body;
    let text = post["content"].as_str().unwrap();
    assert!(text.starts_with(&format!("<@{LEAD_USER}>")), "{text}");
    assert!(text.contains("masters degree") && text.contains(&format!("<@{TRAINEE}>")));
    assert!(text.contains(&format!(
        "https://discord.com/channels/{GUILD}/{CHANNEL}/{QUESTION}"
    )));
    assert!(parse_list(&post["allowed_mentions"]["parse"]).is_empty());
    assert_eq!(
        post["allowed_mentions"]["users"],
        json!([LEAD_USER.to_string()])
    );
    assert_eq!(post["allowed_mentions"]["roles"], json!([]));
    assert_eq!(r.store.enquiries()[0].region.as_deref(), Some("south-west"));
}

#[tokio::test]
async fn a_lead_configured_as_a_role_is_mentioned_as_that_role() {
    let mut c = config();
    c.leads
        .insert("south-west".into(), "role:1100000000000000701".into());
    let r = rig_with(c, shipped_triage()).await;
    let msg = question(
        QUESTION,
        "Is there funding for a masters degree at Derriford?",
    );
    r.bot.on_message(&r.http, &msg).await.unwrap();
    let post = &r.fake.posts_to(LEADS)[0].body;
    assert!(post["content"]
        .as_str()
        .unwrap()
        .starts_with("<@&1100000000000000701>"));
    assert_eq!(
        post["allowed_mentions"]["roles"],
        json!(["1100000000000000701"])
    );
    assert_eq!(post["allowed_mentions"]["users"], json!([]));
}

#[tokio::test]
async fn with_no_region_the_admin_team_is_mentioned() {
    let r = rig().await;
    let msg = question(
        QUESTION,
        "is there funding for a masters degree during parental leave?",
    );
    r.bot.on_message(&r.http, &msg).await.unwrap();
    let ack = &r.fake.posts_to(CHANNEL)[0].body["content"];
    assert!(ack.as_str().unwrap().contains("FPT admin team"), "{ack}");
    let post = &r.fake.posts_to(LEADS)[0].body;
    assert!(post["content"]
        .as_str()
        .unwrap()
        .starts_with(&format!("<@&{ADMIN_ROLE}>")));
    assert_eq!(
        post["allowed_mentions"]["roles"],
        json!([ADMIN_ROLE.to_string()])
    );
}

#[tokio::test]
async fn a_question_put_to_the_room_is_the_desks_when_it_mentions_the_bot() {
    let r = rig().await;
    let text = "does anyone have the teaching rota for thurs?";
    // said to the others in the room: theirs to answer
    r.bot
        .on_message(&r.http, &question(QUESTION, text))
        .await
        .unwrap();
    assert!(r.fake.posts().is_empty(), "{:#?}", r.fake.calls());
    // the same words with the bot mentioned: the desk was asked, and says whom it asked
    let mentioned: Message = serde_json::from_value(edit("message_create.json", |d| {
        d["id"] = json!((QUESTION + 1).to_string());
        d["content"] = json!(format!("{text} <@{BOT_USER}>"));
        d["mentions"] = json!([{"id": BOT_USER.to_string(), "username": "FPT Assistant",
            "discriminator": "7310", "global_name": null, "avatar": null, "bot": true}]);
    }))
    .unwrap();
    r.bot.on_message(&r.http, &mentioned).await.unwrap();
    let ack = &r.fake.posts_to(CHANNEL)[0].body["content"];
    assert!(ack.as_str().unwrap().contains("FPT admin team"), "{ack}");
    assert_eq!(r.fake.posts_to(LEADS).len(), 1);
    assert_eq!(r.store.enquiries()[0].text, text);
}

#[tokio::test]
async fn the_region_comes_from_the_members_regional_role_when_the_text_names_none() {
    let r = rig().await;
    let d = edit("message_create.json", |d| {
        d["content"] = json!("is there funding for a masters degree during parental leave?");
        d["member"]["roles"] = json!([SW_ROLE.to_string()]);
    });
    r.bot
        .on_message(&r.http, &serde_json::from_value(d).unwrap())
        .await
        .unwrap();
    let post = &r.fake.posts_to(LEADS)[0].body;
    assert!(post["content"]
        .as_str()
        .unwrap()
        .starts_with(&format!("<@{LEAD_USER}>")));
}

#[tokio::test]
async fn bots_small_talk_chatter_and_other_channels_get_no_calls() {
    let r = rig().await;
    let bot: Message = serde_json::from_value(fixture("message_create_bot.json")).unwrap();
    r.bot.on_message(&r.http, &bot).await.unwrap();
    let own: Message = serde_json::from_value(edit("message_create.json", |d| {
        d["author"]["id"] = json!(BOT_USER.to_string());
    }))
    .unwrap();
    r.bot.on_message(&r.http, &own).await.unwrap();
    for (i, text) in ["thanks!", "Cheers all 👍", "see you at the teaching day"]
        .iter()
        .enumerate()
    {
        r.bot
            .on_message(&r.http, &question(QUESTION + i as u64, text))
            .await
            .unwrap();
    }
    let elsewhere: Message = serde_json::from_value(edit("message_create.json", |d| {
        d["channel_id"] = json!("1100000000000000055");
    }))
    .unwrap();
    r.bot.on_message(&r.http, &elsewhere).await.unwrap();
    assert!(r.fake.posts().is_empty(), "{:#?}", r.fake.calls());
    assert!(r.store.enquiries().is_empty());
}

#[tokio::test]
async fn mass_mentions_in_user_text_are_neutralised_and_never_allowed() {
    let r = rig().await;
    let msg = question(
        QUESTION,
        "@everyone @here <@&1100000000000000999> is there funding for a masters degree at Derriford?",
    );
    r.bot.on_message(&r.http, &msg).await.unwrap();
    let calls = r.fake.calls();
    assert_eq!(calls.len(), 2);
    for c in &calls {
        let text = c.body["content"].as_str().unwrap();
        assert!(
            !text.contains("@everyone") && !text.contains("@here"),
            "{text}"
        );
        assert!(!text.contains("<@&1100000000000000999>"), "{text}");
        let parse = parse_list(&c.body["allowed_mentions"]["parse"]);
        assert!(!parse.iter().any(|p| p == "everyone"), "{parse:?}");
        assert!(parse.is_empty());
    }
    let lead_post = &r.fake.posts_to(LEADS)[0].body["content"];
    assert!(lead_post.as_str().unwrap().contains("@\u{200B}everyone"));
}

#[tokio::test]
async fn a_long_answer_is_split_into_messages_within_discords_limit() {
    let paragraph = "FPT protects one day a week for your pathway. ".repeat(20); // ~920 chars
    let answer = vec![paragraph; 5].join("\n\n"); // ~4600 chars
    let kb = KnowledgeBase {
        entries: vec![Entry {
            id: "long".into(),
            title: "Everything about protected time".into(),
            questions: vec!["How much protected time do I get?".into()],
            answer,
            read_more: Some("https://example.org/fpt".into()),
            kind: EntryKind::Faq,
            source: None,
        }],
        ..Default::default()
    };
    let triage = Arc::new(Triage::new(kb, Drafter::builtin()));
    let r = rig_with(config(), triage).await;
    r.bot
        .on_message(
            &r.http,
            &question(QUESTION, "How much protected time do I get?"),
        )
        .await
        .unwrap();
    let posts = r.fake.posts_to(CHANNEL);
    assert!(posts.len() >= 3, "{} posts", posts.len());
    let total: usize = posts
        .iter()
        .map(|p| p.body["content"].as_str().unwrap().chars().count())
        .sum();
    assert!(total > 4500);
    for (i, p) in posts.iter().enumerate() {
        assert!(p.body["content"].as_str().unwrap().chars().count() <= 2000);
        // only the first part replies; only the last carries the buttons
        assert_eq!(
            p.body
                .get("message_reference")
                .is_some_and(|v| !v.is_null()),
            i == 0
        );
        assert_eq!(!button_ids(&p.body).is_empty(), i == posts.len() - 1);
    }
}

#[tokio::test]
async fn a_replayed_message_create_is_answered_once() {
    let r = rig().await;
    let msg = question(QUESTION, "how much protected time do I get on FPT?");
    r.bot.on_message(&r.http, &msg).await.unwrap();
    r.bot.on_message(&r.http, &msg).await.unwrap();
    assert_eq!(r.fake.calls().len(), 1);
    assert_eq!(r.store.enquiries().len(), 1);
}

#[tokio::test]
async fn the_sixth_question_in_a_minute_gets_a_notice_then_silence() {
    let r = rig().await;
    for i in 0..7 {
        let msg = question(QUESTION + i, "how much protected time do I get on FPT?");
        r.bot.on_message(&r.http, &msg).await.unwrap();
    }
    let posts = r.fake.posts_to(CHANNEL);
    assert_eq!(posts.len(), 6, "5 answers and one notice");
    let notice = posts[5].body["content"].as_str().unwrap();
    assert!(notice.contains("try again in a minute"), "{notice}");
    assert!(button_ids(&posts[5].body).is_empty());
    assert_eq!(r.store.enquiries().len(), 5);
}

#[tokio::test]
async fn the_slash_command_answers_only_the_asker() {
    let r = rig().await;
    let i: Interaction = serde_json::from_value(fixture("interaction_command.json")).unwrap();
    r.bot.on_interaction(&r.http, &i).await.unwrap();
    let calls = r.fake.calls();
    assert_eq!(calls.len(), 2, "{calls:#?}");
    // acknowledged at once with a deferred ephemeral response ...
    assert_eq!(
        calls[0].path,
        "/api/v10/interactions/1239890000000000004/aW50ZXJhY3Rpb246MTIzOTg5MDAwMDAwMDAwMDAwNDp0ZXN0dG9rZW4/callback"
    );
    assert_eq!(calls[0].body, json!({"type": 5, "data": {"flags": 64}}));
    // ... then the answer fills it
    assert_eq!(
        calls[1].path,
        format!("/api/v10/webhooks/{BOT_USER}/aW50ZXJhY3Rpb246MTIzOTg5MDAwMDAwMDAwMDAwNDp0ZXN0dG9rZW4/messages/@original")
    );
    let body = &calls[1].body;
    assert!(body["content"]
        .as_str()
        .unwrap()
        .contains("How much protected time FPT gives"));
    assert_eq!(button_ids(body).len(), 2);
}

#[tokio::test]
async fn a_routed_slash_command_is_acknowledged_privately_and_the_leads_reply_goes_by_dm() {
    let r = rig().await;
    let d = edit("interaction_command.json", |d| {
        d["data"]["options"][0]["value"] =
            json!("Is there funding for a masters degree at Derriford?");
    });
    let i: Interaction = serde_json::from_value(d).unwrap();
    r.bot.on_interaction(&r.http, &i).await.unwrap();
    let cb = r.fake.callbacks();
    assert_eq!(cb.len(), 1);
    assert_eq!(cb[0].body["data"]["flags"], json!(64));
    assert_eq!(r.fake.originals().len(), 1);
    let lead_post = r.fake.posts_to(LEADS);
    assert_eq!(lead_post.len(), 1);
    let post_id = lead_post[0].created.unwrap();

    let reply = edit("message_create_lead_reply.json", |d| {
        d["message_reference"]["message_id"] = json!(post_id.to_string());
    });
    r.bot
        .on_message(&r.http, &serde_json::from_value(reply).unwrap())
        .await
        .unwrap();
    let dm = r.fake.posts_to(1100000000000000777);
    assert_eq!(dm.len(), 1, "{:#?}", r.fake.calls());
    assert!(dm[0].body["content"]
        .as_str()
        .unwrap()
        .contains("one course per year"));
}

#[tokio::test]
async fn still_need_help_routes_the_question_and_this_helped_is_stored() {
    let r = rig().await;
    let msg = question(QUESTION, "how much protected time do I get on FPT?");
    r.bot.on_message(&r.http, &msg).await.unwrap();

    let helped = edit("interaction_button.json", |d| {
        d["data"]["custom_id"] = json!(format!("fpt:helped:{QUESTION}"));
    });
    r.bot
        .on_interaction(&r.http, &serde_json::from_value(helped).unwrap())
        .await
        .unwrap();
    let more: Interaction = serde_json::from_value(fixture("interaction_button.json")).unwrap();
    r.bot.on_interaction(&r.http, &more).await.unwrap();

    let cb = r.fake.callbacks();
    assert_eq!(cb.len(), 2);
    assert!(cb.iter().all(|c| c.body["data"]["flags"] == json!(64)));
    let leads = r.fake.posts_to(LEADS);
    assert_eq!(leads.len(), 1);
    let text = leads[0].body["content"].as_str().unwrap();
    assert!(
        text.contains("protected time") && text.contains("still need help"),
        "{text}"
    );
    let feedback = r.store.feedback();
    assert_eq!(feedback.len(), 2);
    assert!(feedback[0].helped && !feedback[1].helped);
    assert_eq!(feedback[1].user_id, TRAINEE);

    // a second click does not post to the leads again
    r.bot.on_interaction(&r.http, &more).await.unwrap();
    assert_eq!(r.fake.posts_to(LEADS).len(), 1);
}

#[tokio::test]
async fn a_leads_reply_goes_back_to_the_trainee_and_is_stored_as_the_answer() {
    let r = rig().await;
    let msg = question(
        QUESTION,
        "Is there funding for a masters degree at Derriford?",
    );
    r.bot.on_message(&r.http, &msg).await.unwrap();
    let post_id = r.fake.posts_to(LEADS)[0].created.unwrap();

    let reply = edit("message_create_lead_reply.json", |d| {
        d["message_reference"]["message_id"] = json!(post_id.to_string());
        d["content"] = json!("@everyone Yes: one course per year, up to £500. Ask your TPD.");
    });
    r.bot
        .on_message(&r.http, &serde_json::from_value(reply).unwrap())
        .await
        .unwrap();

    let to_trainee = r.fake.posts_to(CHANNEL);
    assert_eq!(
        to_trainee.len(),
        2,
        "the acknowledgement, then the lead's answer"
    );
    let answer = &to_trainee[1].body;
    assert_eq!(
        answer["message_reference"]["message_id"],
        json!(QUESTION.to_string())
    );
    let text = answer["content"].as_str().unwrap();
    assert!(
        text.contains("one course per year") && text.contains("South West"),
        "{text}"
    );
    assert!(!text.contains("@everyone"));
    assert!(parse_list(&answer["allowed_mentions"]["parse"]).is_empty());

    let answers = r.store.answers();
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0].external_id, QUESTION.to_string());
    assert_eq!(
        answers[0].by,
        AnswerBy::Lead {
            user_id: LEAD_USER,
            name: "Casey (SW lead)".into()
        }
    );
    // the lead is told it was sent
    assert_eq!(r.fake.posts_to(LEADS).len(), 2);
}

#[tokio::test]
async fn a_reply_in_the_thread_of_the_leads_post_is_relayed_too() {
    let r = rig().await;
    let msg = question(
        QUESTION,
        "Is there funding for a masters degree at Derriford?",
    );
    r.bot.on_message(&r.http, &msg).await.unwrap();
    let post_id = r.fake.posts_to(LEADS)[0].created.unwrap();
    // a thread started from a message has the message's id as its channel id
    let in_thread = edit("message_create_lead_reply.json", |d| {
        d["type"] = json!(0);
        d["message_reference"] = Value::Null;
        d["channel_id"] = json!(post_id.to_string());
    });
    r.bot
        .on_message(&r.http, &serde_json::from_value(in_thread).unwrap())
        .await
        .unwrap();
    assert_eq!(r.fake.posts_to(CHANNEL).len(), 2);
    assert_eq!(r.store.answers().len(), 1);
    // a reply in the leads channel to some other message is not relayed
    let other = edit("message_create_lead_reply.json", |d| {
        d["message_reference"]["message_id"] = json!("1239000000000000001");
    });
    r.bot
        .on_message(&r.http, &serde_json::from_value(other).unwrap())
        .await
        .unwrap();
    assert_eq!(r.store.answers().len(), 1);
}

#[tokio::test]
async fn direct_messages_are_answered_when_enabled() {
    let r = rig().await;
    let dm: Message = serde_json::from_value(fixture("message_create_dm.json")).unwrap();
    r.bot.on_message(&r.http, &dm).await.unwrap();
    assert_eq!(r.fake.posts_to(1100000000000000099).len(), 1);

    let mut c = config();
    c.allow_dms = false;
    let r = rig_with(c, shipped_triage()).await;
    r.bot.on_message(&r.http, &dm).await.unwrap();
    assert!(r.fake.calls().is_empty());
}

#[tokio::test]
async fn after_a_fresh_session_missed_messages_are_caught_up_once() {
    let r = rig().await;
    r.bot
        .on_message(
            &r.http,
            &question(QUESTION, "how much protected time do I get on FPT?"),
        )
        .await
        .unwrap();
    // REST messages carry no guild id and no member: the bot takes the guild from the channel.
    let rest_shaped = |d: &mut Value| {
        let o = d.as_object_mut().unwrap();
        o.remove("guild_id");
        o.remove("member");
    };
    let missed = edit("message_create.json", |d| {
        d["id"] = json!((QUESTION + 10).to_string());
        d["content"] = json!("Which pathways are there in FPT?");
        rest_shaped(d);
    });
    let routed = edit("message_create.json", |d| {
        d["id"] = json!((QUESTION + 11).to_string());
        d["author"]["id"] = json!("1100000000000000509");
        d["content"] = json!("Is there funding for a masters degree at Derriford?");
        rest_shaped(d);
    });
    let again = edit("message_create.json", rest_shaped); // already answered: skipped
    r.fake.gets.lock().unwrap().insert(
        format!("/api/v10/channels/{CHANNEL}/messages"),
        json!([routed, missed, again]),
    );
    r.fake.gets.lock().unwrap().insert(
        format!("/api/v10/channels/{CHANNEL}"),
        json!({"id": CHANNEL.to_string(), "type": 0, "guild_id": GUILD.to_string()}),
    );
    r.bot.catch_up(&r.http).await.unwrap();
    let get = r
        .fake
        .calls()
        .into_iter()
        .find(|c| c.method == "GET" && c.path.contains("/messages"))
        .unwrap();
    assert!(
        get.path.contains(&format!("after={QUESTION}")),
        "{}",
        get.path
    );
    let posts = r.fake.posts_to(CHANNEL);
    assert_eq!(posts.len(), 3, "{posts:#?}");
    assert_eq!(
        posts[1].body["message_reference"]["message_id"],
        json!((QUESTION + 10).to_string())
    );
    // the routed one reached the leads, linked to the server's message (not a DM's `@me`)
    let lead = &r.fake.posts_to(LEADS)[0].body["content"];
    assert!(
        lead.as_str().unwrap().contains(&format!(
            "https://discord.com/channels/{GUILD}/{CHANNEL}/{}",
            QUESTION + 11
        )),
        "{lead}"
    );
}

#[tokio::test]
async fn a_missing_permission_in_the_question_channel_still_reaches_the_leads_and_is_reported() {
    let r = rig().await;
    r.fake.refuse.lock().unwrap().insert(
        format!("/api/v10/channels/{CHANNEL}/messages"),
        (
            "403 Forbidden",
            json!({"message": "Missing Permissions", "code": 50013}),
        ),
    );
    let msg = question(
        QUESTION,
        "Is there funding for a masters degree at Derriford?",
    );
    r.bot.on_message(&r.http, &msg).await.unwrap();
    assert_eq!(
        r.fake.posts_to(LEADS).len(),
        1,
        "the leads see the question"
    );
    let problems = r.store.problems();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("50013") && problems[0].contains("Send Messages"),
        "{}",
        problems[0]
    );
}

#[tokio::test]
async fn this_helped_counts_the_asker_once_and_nobody_else() {
    let r = rig().await;
    let msg = question(QUESTION, "how much protected time do I get on FPT?");
    r.bot.on_message(&r.http, &msg).await.unwrap();
    let click = |user: u64, id: u64| {
        let d = edit("interaction_button.json", |d| {
            d["id"] = json!(id.to_string());
            d["data"]["custom_id"] = json!(format!("fpt:helped:{QUESTION}"));
            d["member"]["user"]["id"] = json!(user.to_string());
        });
        serde_json::from_value::<Interaction>(d).unwrap()
    };
    for (user, id) in [
        (TRAINEE, 1239895000000000010),
        (TRAINEE, 1239895000000000011),
        (1100000000000000999, 1239895000000000012),
    ] {
        r.bot
            .on_interaction(&r.http, &click(user, id))
            .await
            .unwrap();
    }
    let feedback = r.store.feedback();
    assert_eq!(feedback.len(), 1, "{feedback:?}");
    assert_eq!(feedback[0].user_id, TRAINEE);
    // every click was still acknowledged and answered
    assert_eq!(r.fake.callbacks().len(), 3);
    assert_eq!(r.fake.originals().len(), 3);
}

#[tokio::test]
async fn every_slash_command_gets_an_answer_small_talk_rate_limit_and_dms_included() {
    let mut c = config();
    c.allow_dms = false;
    let r = rig_with(c, shipped_triage()).await;
    let command = |id: u64, text: &str| {
        let d = edit("interaction_command.json", |d| {
            d["id"] = json!(id.to_string());
            d["data"]["options"][0]["value"] = json!(text);
        });
        serde_json::from_value::<Interaction>(d).unwrap()
    };
    r.bot
        .on_interaction(&r.http, &command(1239890000000000100, "hi"))
        .await
        .unwrap();
    for i in 0..7 {
        r.bot
            .on_interaction(
                &r.http,
                &command(
                    1239890000000000200 + i,
                    "how much protected time do I get on FPT?",
                ),
            )
            .await
            .unwrap();
    }
    let dm = edit("interaction_command.json", |d| {
        let o = d.as_object_mut().unwrap();
        o.remove("guild_id");
        let member = o.remove("member").unwrap();
        o.insert("user".into(), member["user"].clone());
        d["channel_id"] = json!("1100000000000000099");
        d["channel"] = json!({"id": "1100000000000000099", "type": 1});
        d["context"] = json!(1);
        d["id"] = json!("1239890000000000300");
    });
    r.bot
        .on_interaction(&r.http, &serde_json::from_value(dm).unwrap())
        .await
        .unwrap();

    let answers: Vec<String> = r
        .fake
        .originals()
        .iter()
        .map(|c| c.body["content"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(r.fake.callbacks().len(), 9, "each acknowledged");
    assert_eq!(answers.len(), 9, "each answered: {answers:#?}");
    assert!(answers[0].contains("Ask me anything"), "{}", answers[0]);
    assert!(answers[1..6]
        .iter()
        .all(|a| a.contains("How much protected time FPT gives")));
    assert!(answers[6].contains("try again in a minute") && answers[7].contains("try again"));
    assert!(
        answers[8].contains("only answer in the server"),
        "{}",
        answers[8]
    );
}

#[tokio::test]
async fn a_question_in_a_thread_under_a_listened_channel_is_answered_in_the_thread() {
    let r = rig().await;
    let thread = 1100000000000000031u64;
    r.fake.gets.lock().unwrap().insert(
        format!("/api/v10/channels/{thread}"),
        json!({"id": thread.to_string(), "type": 11, "guild_id": GUILD.to_string(),
               "parent_id": CHANNEL.to_string()}),
    );
    let d = edit("message_create.json", |d| {
        d["channel_id"] = json!(thread.to_string());
    });
    r.bot
        .on_message(&r.http, &serde_json::from_value(d).unwrap())
        .await
        .unwrap();
    assert_eq!(r.fake.posts_to(thread).len(), 1, "{:#?}", r.fake.calls());
    // a thread under a channel the bot does not listen in is left alone
    let other = 1100000000000000032u64;
    r.fake.gets.lock().unwrap().insert(
        format!("/api/v10/channels/{other}"),
        json!({"id": other.to_string(), "type": 11, "guild_id": GUILD.to_string(),
               "parent_id": "1100000000000000055"}),
    );
    let d = edit("message_create.json", |d| {
        d["id"] = json!((QUESTION + 1).to_string());
        d["channel_id"] = json!(other.to_string());
    });
    r.bot
        .on_message(&r.http, &serde_json::from_value(d).unwrap())
        .await
        .unwrap();
    assert!(r.fake.posts_to(other).is_empty());
}

#[tokio::test]
async fn a_leads_answer_that_cannot_be_delivered_is_not_stored_as_sent_and_the_lead_is_told() {
    let r = rig().await;
    let msg = question(
        QUESTION,
        "Is there funding for a masters degree at Derriford?",
    );
    r.bot.on_message(&r.http, &msg).await.unwrap();
    let post_id = r.fake.posts_to(LEADS)[0].created.unwrap();
    // the question channel now refuses the bot
    r.fake.refuse.lock().unwrap().insert(
        format!("/api/v10/channels/{CHANNEL}/messages"),
        (
            "403 Forbidden",
            json!({"message": "Missing Permissions", "code": 50013}),
        ),
    );
    let reply = edit("message_create_lead_reply.json", |d| {
        d["message_reference"]["message_id"] = json!(post_id.to_string());
    });
    r.bot
        .on_message(&r.http, &serde_json::from_value(reply).unwrap())
        .await
        .unwrap();
    assert!(r.store.answers().is_empty(), "not stored as sent");
    let told = r.fake.posts_to(LEADS);
    assert_eq!(told.len(), 2);
    let text = told[1].body["content"].as_str().unwrap();
    assert!(
        text.contains("could not deliver") && text.contains("50013"),
        "{text}"
    );
    assert_eq!(r.store.problems().len(), 1);
}
