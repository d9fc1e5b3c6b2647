//! The real `fpt-assist serve` binary against a local Discord (tests/support/fake_discord.rs):
//! `[discord] api_proxy` sends its REST calls to a recording server whose `GET /gateway/bot`
//! points at a local websocket gateway. The assertions are on what Discord would receive.
//! Needs nothing outside the repository; Discord itself is never contacted.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

#[path = "support/fake_discord.rs"]
mod fake_discord;

use fake_discord::{dm_channel_of, until, Call, FakeGateway, FakeRest, Fault, APP, BOT_USER};

const GUILD: u64 = 1100000000000000001;
const CHANNEL: u64 = 1100000000000000010;
const LEADS: u64 = 1100000000000000020;
const THREAD: u64 = 1100000000000000030;
const FORUM: u64 = 1100000000000000040;
const FORUM_POST: u64 = 1100000000000000041;
const TRAINEE: u64 = 1100000000000000501;
const CLOSED_DMS: u64 = 1100000000000000502;
const LEAD: u64 = 1100000000000000601;
const ADMIN_ROLE: u64 = 1100000000000000801;
const SW_ROLE: u64 = 1100000000000000201;
const TOKEN: &str = "test-token";

/// Generous: the machine is shared and serenity waits 5 s between identifies.
const WAIT: Duration = Duration::from_secs(90);

const CONFIDENT: &str = "how many days a week is protected for FPT?";
const ROUTED_PLACE: &str =
    "Is there funding for a masters degree during parental leave? I work at Derriford.";
const ROUTED_NO_PLACE: &str = "is there funding for a masters degree during parental leave?";
const ANSWER_TITLE: &str = "How much protected time FPT gives";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

// ---------------------------------------------------------------------------------------------
// Payloads.

fn user(id: u64, name: &str) -> Value {
    json!({"id": id.to_string(), "username": name, "global_name": name, "discriminator": "0",
           "avatar": null, "public_flags": 0})
}

/// A MESSAGE_CREATE as the gateway sends it (with `guild_id` and `member`).
fn gateway_message(id: u64, channel: u64, author: u64, content: &str, roles: &[u64]) -> Value {
    json!({
        "id": id.to_string(), "channel_id": channel.to_string(), "guild_id": GUILD.to_string(),
        "type": 0, "content": content, "author": user(author, "dr.jones"),
        "member": {"roles": roles.iter().map(u64::to_string).collect::<Vec<_>>(), "nick": null,
                   "joined_at": "2023-09-01T10:00:00.000000+00:00", "deaf": false, "mute": false,
                   "flags": 0, "pending": false},
        "timestamp": "2024-05-14T09:12:31.402000+00:00", "edited_timestamp": null,
        "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [],
        "attachments": [], "embeds": [], "pinned": false, "flags": 0, "components": [],
    })
}

/// The same message as `GET /channels/{id}/messages` returns it: no `guild_id`, no `member`.
fn rest_message(id: u64, channel: u64, author: u64, content: &str) -> Value {
    let mut m = gateway_message(id, channel, author, content, &[]);
    let o = m.as_object_mut().unwrap();
    o.remove("guild_id");
    o.remove("member");
    m
}

/// A lead's reply in the leads channel to the bot's post `post`.
fn lead_reply(id: u64, post: u64, content: &str, gateway: bool) -> Value {
    let mut m = if gateway {
        gateway_message(id, LEADS, LEAD, content, &[])
    } else {
        rest_message(id, LEADS, LEAD, content)
    };
    m["type"] = json!(19);
    m["author"] = user(LEAD, "casey");
    m["message_reference"] =
        json!({"message_id": post.to_string(), "channel_id": LEADS.to_string()});
    m
}

fn slash(id: u64, token: &str, question: &str, from: u64, in_guild: bool) -> Value {
    let mut d = json!({
        "id": id.to_string(), "application_id": APP.to_string(), "type": 2, "token": token,
        "version": 1, "locale": "en-GB",
        "data": {"id": "1239000000000000100", "name": "fpt", "type": 1,
                 "options": [{"name": "question", "type": 3, "value": question}]},
        "channel_id": CHANNEL.to_string(),
        "channel": {"id": CHANNEL.to_string(), "type": 0},
        "entitlements": [], "authorizing_integration_owners": {}, "context": 0,
        "attachment_size_limit": 10485760,
    });
    if in_guild {
        d["guild_id"] = json!(GUILD.to_string());
        d["member"] = json!({"user": user(from, "dr.jones"), "roles": [], "nick": null,
            "joined_at": "2023-09-01T10:00:00.000000+00:00", "deaf": false, "mute": false,
            "flags": 0, "pending": false, "permissions": "0"});
        d["app_permissions"] = json!("0");
    } else {
        let dm = dm_channel_of(from);
        d["user"] = user(from, "dr.jones");
        d["channel_id"] = json!(dm.to_string());
        d["channel"] = json!({"id": dm.to_string(), "type": 1});
        d["context"] = json!(1);
    }
    d
}

fn button(id: u64, token: &str, custom_id: &str, from: u64) -> Value {
    json!({
        "id": id.to_string(), "application_id": APP.to_string(), "type": 3, "token": token,
        "version": 1, "locale": "en-GB", "guild_id": GUILD.to_string(),
        "channel_id": CHANNEL.to_string(), "channel": {"id": CHANNEL.to_string(), "type": 0},
        "member": {"user": user(from, "dr.jones"), "roles": [], "nick": null,
            "joined_at": "2023-09-01T10:00:00.000000+00:00", "deaf": false, "mute": false,
            "flags": 0, "pending": false, "permissions": "0"},
        "data": {"custom_id": custom_id, "component_type": 2},
        "message": {"id": "1239867320000000009", "channel_id": CHANNEL.to_string(), "type": 19,
            "content": "answer", "author": user(BOT_USER, "FPT Assistant"),
            "timestamp": "2024-05-14T09:12:32.100000+00:00", "edited_timestamp": null,
            "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [],
            "attachments": [], "embeds": [], "pinned": false, "flags": 0, "components": []},
        "entitlements": [], "authorizing_integration_owners": {}, "context": 0,
        "attachment_size_limit": 10485760,
        "app_permissions": "0",
    })
}

fn edit(id: u64, channel: u64, author: u64, content: &str, stamp: &str) -> Value {
    json!({
        "id": id.to_string(), "channel_id": channel.to_string(), "guild_id": GUILD.to_string(),
        "type": 0, "content": content, "author": user(author, "casey"),
        "edited_timestamp": stamp, "timestamp": "2024-05-14T09:12:31.402000+00:00",
        "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [],
        "attachments": [], "embeds": [], "pinned": false, "flags": 0, "components": [],
    })
}

fn content(c: &Call) -> String {
    c.body["content"].as_str().unwrap_or_default().to_string()
}

fn distinct_ids(calls: &[Call]) -> usize {
    let mut ids: Vec<u64> = calls.iter().filter_map(|c| c.created).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len()
}

fn callbacks_for(rest: &FakeRest, interaction: u64) -> Vec<Call> {
    let prefix = format!("/api/v10/interactions/{interaction}/");
    rest.calls()
        .into_iter()
        .filter(|c| c.path.starts_with(&prefix) && c.path.ends_with("/callback"))
        .collect()
}

fn originals_for(rest: &FakeRest, token: &str) -> Vec<Call> {
    let path = format!("/api/v10/webhooks/{APP}/{token}/messages/@original");
    rest.calls()
        .into_iter()
        .filter(|c| c.method == "PATCH" && c.path == path)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The binary.

struct Serve {
    child: Child,
    log: PathBuf,
}

fn write_config(dir: &Path, rest: &FakeRest, extra: &str) -> PathBuf {
    let path = dir.join("config.toml");
    std::fs::write(
        &path,
        format!(
            r#"data_dir = "{data}"

[discord]
channels = [{CHANNEL}, {FORUM}]
leads_channel = {LEADS}
api_proxy = "{proxy}"
admin_team = "role:{ADMIN_ROLE}"
{extra}

[discord.leads]
south-west = "user:{LEAD}"

[discord.region_roles]
"{SW_ROLE}" = "south-west"
"#,
            data = dir.join("var").display(),
            proxy = rest.url,
        ),
    )
    .unwrap();
    path
}

fn fpt(dir: &Path, config: &Path, token: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_fpt-assist"));
    c.current_dir(dir)
        .env_remove("DATABASE_URL")
        .env("FPT_CONFIG", config)
        .env("FPT_DISCORD_TOKEN", token)
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .arg("--kb")
        .arg(repo().join("faq"))
        .arg("--templates")
        .arg(repo().join("templates"));
    c
}

impl Serve {
    fn start(dir: &Path, config: &Path, token: &str, n: usize) -> Serve {
        let log = dir.join(format!("serve-{n}.log"));
        let file = std::fs::File::create(&log).unwrap();
        let child = fpt(dir, config, token)
            .arg("serve")
            .stdout(Stdio::null())
            .stderr(file)
            .spawn()
            .expect("fpt-assist serve starts");
        Serve { child, log }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if !self.alive() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Polls `cond` until it holds; on timeout fails with `what` and the service's log.
async fn wait_for(serve: &Serve, what: &str, timeout: Duration, cond: impl FnMut() -> bool) {
    if !until(timeout, cond).await {
        panic!(
            "timed out waiting for {what}; the service's log:\n{}",
            serve.log()
        );
    }
}

fn config_check(dir: &Path, config: &Path, token: &str) -> String {
    let out = fpt(dir, config, token)
        .args(["config", "check"])
        .output()
        .expect("config check runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

async fn fake_discord(token: &str) -> (FakeRest, FakeGateway) {
    let rest = FakeRest::start().await;
    let gw = FakeGateway::start(token).await;
    *rest.gateway_url.lock().unwrap() = gw.url.clone();
    for (id, kind, parent) in [
        (CHANNEL, 0, None),
        (LEADS, 0, None),
        (THREAD, 11, Some(CHANNEL)),
        (FORUM, 15, None),
        (FORUM_POST, 11, Some(FORUM)),
    ] {
        rest.set_channel(
            id,
            json!({"id": id.to_string(), "type": kind, "guild_id": GUILD.to_string(),
                   "parent_id": parent.map(|p: u64| p.to_string())}),
        );
    }
    (rest, gw)
}

async fn connected(serve: &Serve, gw: &FakeGateway, rest: &FakeRest, identifies: usize) {
    wait_for(serve, "IDENTIFY", WAIT, || {
        gw.identifies().len() >= identifies
    })
    .await;
    wait_for(serve, "the bot to register /fpt", WAIT, || {
        rest.calls().iter().filter(|c| c.method == "PUT").count() >= identifies
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Tests.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_answers_routes_relays_and_answers_every_interaction() {
    let dir = tempfile::tempdir().unwrap();
    let (rest, gw) = fake_discord(TOKEN).await;
    let config = write_config(dir.path(), &rest, "");
    let serve = Serve::start(dir.path(), &config, TOKEN, 1);

    // IDENTIFY: the token and the intents the bot needs.
    connected(&serve, &gw, &rest, 1).await;
    let identify = &gw.identifies()[0];
    assert!(
        identify["token"].as_str().unwrap().ends_with(TOKEN),
        "{identify}"
    );
    let intents = identify["intents"].as_u64().unwrap();
    for (bit, name) in [
        (1 << 9, "GUILD_MESSAGES"),
        (1 << 12, "DIRECT_MESSAGES"),
        (1 << 15, "MESSAGE_CONTENT"),
    ] {
        assert!(intents & bit != 0, "intent {name} missing: {intents}");
    }

    // A confident question: answered as a reply, with the buttons.
    let q1 = rest.new_id();
    gw.dispatch(
        "MESSAGE_CREATE",
        gateway_message(q1, CHANNEL, TRAINEE, CONFIDENT, &[]),
    );
    wait_for(&serve, "the answer", WAIT, || {
        !rest.replies_to(CHANNEL, q1).is_empty()
    })
    .await;
    let answer = &rest.replies_to(CHANNEL, q1)[0];
    assert!(
        content(answer).contains(ANSWER_TITLE),
        "{}",
        content(answer)
    );
    assert_eq!(
        answer.body["components"][0]["components"][0]["custom_id"],
        json!(format!("fpt:helped:{q1}"))
    );

    // A routed question: posted to the leads mentioning the lead, then the trainee is told.
    let q2 = rest.new_id();
    gw.dispatch(
        "MESSAGE_CREATE",
        gateway_message(
            q2,
            CHANNEL,
            TRAINEE,
            "Is there *funding* for a masters degree during parental leave? I work at Derriford.",
            &[],
        ),
    );
    wait_for(
        &serve,
        "the lead post and the acknowledgement",
        WAIT,
        || !rest.posts_to(LEADS).is_empty() && !rest.replies_to(CHANNEL, q2).is_empty(),
    )
    .await;
    let post = rest.posts_to(LEADS)[0].clone();
    let text = content(&post);
    assert!(text.starts_with(&format!("<@{LEAD}>")), "{text}");
    assert!(text.contains(&format!(
        "https://discord.com/channels/{GUILD}/{CHANNEL}/{q2}"
    )));
    assert!(text.contains("\\*funding\\*"), "Markdown escaped: {text}");
    assert_eq!(
        post.body["allowed_mentions"]["users"],
        json!([LEAD.to_string()])
    );
    let ack = rest.replies_to(CHANNEL, q2)[0].clone();
    assert!(content(&ack).contains("South West"), "{}", content(&ack));
    assert!(post.at <= ack.at, "the leads are told before the trainee");

    // The lead's reply is relayed to the trainee, and the lead is told.
    let l1 = rest.new_id();
    let post_id = post.created.unwrap();
    gw.dispatch(
        "MESSAGE_CREATE",
        lead_reply(l1, post_id, "One course a year, ask your TPD.", true),
    );
    wait_for(&serve, "the relayed answer", WAIT, || {
        rest.replies_to(CHANNEL, q2).len() >= 2 && !rest.replies_to(LEADS, l1).is_empty()
    })
    .await;
    let relayed = content(&rest.replies_to(CHANNEL, q2)[1]);
    assert!(relayed.contains("One course a year"), "{relayed}");
    assert!(content(&rest.replies_to(LEADS, l1)[0]).contains(&format!("Sent to <@{TRAINEE}>")));

    // The lead corrects the answer by editing it: relayed once as a correction.
    let fixed = edit(
        l1,
        LEADS,
        LEAD,
        "Two courses a year, ask your TPD.",
        "2024-05-14T10:00:00.000000+00:00",
    );
    gw.dispatch("MESSAGE_UPDATE", fixed.clone());
    gw.dispatch("MESSAGE_UPDATE", fixed);
    wait_for(&serve, "the correction", WAIT, || {
        rest.replies_to(CHANNEL, q2).len() >= 3
    })
    .await;
    let correction = content(&rest.replies_to(CHANNEL, q2)[2]);
    assert!(
        correction.contains("Correction from") && correction.contains("Two courses"),
        "{correction}"
    );

    // "This helped": acknowledged within Discord's 3 seconds, then answered.
    let b1 = rest.new_id();
    let sent = Instant::now();
    gw.dispatch(
        "INTERACTION_CREATE",
        button(b1, "tok-b1", &format!("fpt:helped:{q1}"), TRAINEE),
    );
    wait_for(&serve, "the button's acknowledgement", WAIT, || {
        !callbacks_for(&rest, b1).is_empty()
    })
    .await;
    let cb = callbacks_for(&rest, b1)[0].clone();
    assert!(
        cb.at.duration_since(sent) < Duration::from_secs(3),
        "acknowledged after {:?}",
        cb.at.duration_since(sent)
    );
    assert_eq!(cb.body, json!({"type": 5, "data": {"flags": 64}}));
    wait_for(&serve, "the button's answer", WAIT, || {
        !originals_for(&rest, "tok-b1").is_empty()
    })
    .await;
    assert!(content(&originals_for(&rest, "tok-b1")[0]).contains("Glad it helped"));

    // `/fpt` answered ephemerally: a deferred ephemeral response, then the answer.
    let c1 = rest.new_id();
    gw.dispatch(
        "INTERACTION_CREATE",
        slash(c1, "tok-c1", CONFIDENT, TRAINEE, true),
    );
    wait_for(&serve, "the /fpt answer", WAIT, || {
        !originals_for(&rest, "tok-c1").is_empty()
    })
    .await;
    assert_eq!(callbacks_for(&rest, c1)[0].body["data"]["flags"], json!(64));
    let original = &originals_for(&rest, "tok-c1")[0];
    assert!(
        content(original).contains(ANSWER_TITLE),
        "{}",
        content(original)
    );
    assert_eq!(
        original.body["components"][0]["components"][0]["custom_id"],
        json!(format!("fpt:helped:{c1}"))
    );

    // `/fpt question: hi` and `/fpt` in a DM (DMs off) still get a polite answer.
    let c2 = rest.new_id();
    gw.dispatch(
        "INTERACTION_CREATE",
        slash(c2, "tok-c2", "hi", TRAINEE, true),
    );
    let c3 = rest.new_id();
    gw.dispatch(
        "INTERACTION_CREATE",
        slash(c3, "tok-c3", CONFIDENT, TRAINEE, false),
    );
    wait_for(&serve, "answers to small talk and the DM", WAIT, || {
        !originals_for(&rest, "tok-c2").is_empty() && !originals_for(&rest, "tok-c3").is_empty()
    })
    .await;
    assert!(content(&originals_for(&rest, "tok-c2")[0]).contains("Ask me anything"));
    assert!(content(&originals_for(&rest, "tok-c3")[0]).contains("only answer in the server"));

    // A routed `/fpt` from a trainee whose DMs are closed: the lead's answer falls back to a
    // mention in the channel, and the lead is told.
    rest.close_dms(CLOSED_DMS);
    let c4 = rest.new_id();
    gw.dispatch(
        "INTERACTION_CREATE",
        slash(c4, "tok-c4", ROUTED_PLACE, CLOSED_DMS, true),
    );
    wait_for(
        &serve,
        "the /fpt question in the leads channel",
        WAIT,
        // (the acknowledgement comes after the post is linked to the question)
        || {
            !originals_for(&rest, "tok-c4").is_empty()
                && rest
                    .posts_to(LEADS)
                    .iter()
                    .any(|c| content(c).contains(&format!("<@{CLOSED_DMS}>")))
        },
    )
    .await;
    let post4 = rest
        .posts_to(LEADS)
        .into_iter()
        .find(|c| content(c).contains(&format!("<@{CLOSED_DMS}>")))
        .unwrap();
    let l4 = rest.new_id();
    gw.dispatch(
        "MESSAGE_CREATE",
        lead_reply(l4, post4.created.unwrap(), "Yes, one course a year.", true),
    );
    wait_for(&serve, "the closed-DM fallback", WAIT, || {
        !rest.replies_to(LEADS, l4).is_empty()
    })
    .await;
    let fallback: Vec<Call> = rest
        .posts_to(CHANNEL)
        .into_iter()
        .filter(|c| content(c).starts_with(&format!("<@{CLOSED_DMS}>")))
        .collect();
    assert_eq!(fallback.len(), 1, "{:#?}", rest.posts_to(CHANNEL));
    assert!(content(&fallback[0]).contains("one course a year"));
    assert_eq!(
        fallback[0].body["allowed_mentions"]["users"],
        json!([CLOSED_DMS.to_string()])
    );
    assert!(content(&rest.replies_to(LEADS, l4)[0]).contains("does not accept direct messages"));

    // Questions in a thread and in a forum post under configured channels are answered there.
    let t1 = rest.new_id();
    gw.dispatch(
        "MESSAGE_CREATE",
        gateway_message(t1, THREAD, TRAINEE, CONFIDENT, &[]),
    );
    let f1 = rest.new_id();
    gw.dispatch(
        "MESSAGE_CREATE",
        gateway_message(f1, FORUM_POST, 1100000000000000503, CONFIDENT, &[]),
    );
    wait_for(
        &serve,
        "answers in the thread and the forum post",
        WAIT,
        || !rest.replies_to(THREAD, t1).is_empty() && !rest.replies_to(FORUM_POST, f1).is_empty(),
    )
    .await;

    // Chatter that becomes a question after an edit is answered, once.
    let e1 = rest.new_id();
    let trainee2 = 1100000000000000504;
    gw.dispatch(
        "MESSAGE_CREATE",
        gateway_message(e1, CHANNEL, trainee2, "see you at the teaching day", &[]),
    );
    let mut edited = edit(
        e1,
        CHANNEL,
        trainee2,
        CONFIDENT,
        "2024-05-14T10:01:00.000000+00:00",
    );
    edited["author"] = user(trainee2, "dr.smith");
    gw.dispatch("MESSAGE_UPDATE", edited.clone());
    wait_for(&serve, "the answer to the edited message", WAIT, || {
        !rest.replies_to(CHANNEL, e1).is_empty()
    })
    .await;
    edited["edited_timestamp"] = json!("2024-05-14T10:02:00.000000+00:00");
    gw.dispatch("MESSAGE_UPDATE", edited);

    // A missing permission in the question channel: the leads still get the question, and
    // `config check` reports the problem.
    rest.inject(Fault {
        method: "POST".into(),
        path: format!("/api/v10/channels/{CHANNEL}/messages"),
        status: 403,
        headers: vec![],
        body: json!({"message": "Missing Permissions", "code": 50013}),
        create_anyway: false,
        times: 1,
    });
    let q5 = rest.new_id();
    gw.dispatch(
        "MESSAGE_CREATE",
        gateway_message(q5, CHANNEL, 1100000000000000505, ROUTED_PLACE, &[]),
    );
    wait_for(
        &serve,
        "the leads post despite the refused acknowledgement",
        WAIT,
        || {
            rest.posts_to(LEADS)
                .iter()
                .any(|c| content(c).contains(&q5.to_string()))
        },
    )
    .await;
    wait_for(&serve, "the recorded problem", WAIT, || {
        config_check(dir.path(), &config, TOKEN).contains("50013")
    })
    .await;
    assert!(rest.replies_to(CHANNEL, q5).is_empty());

    // Every message arrives with empty text (Message Content intent off): reported loudly.
    for i in 0..3 {
        let id = rest.new_id();
        gw.dispatch(
            "MESSAGE_CREATE",
            gateway_message(id, CHANNEL, 1100000000000000510 + i, "", &[]),
        );
    }
    wait_for(&serve, "the Message Content warning", WAIT, || {
        serve
            .log()
            .contains("Message Content intent is not granted")
    })
    .await;
    assert!(
        config_check(dir.path(), &config, TOKEN).contains("Message Content intent is not granted")
    );

    // Nothing was answered twice.
    assert_eq!(distinct_ids(&rest.replies_to(CHANNEL, e1)), 1);
    assert_eq!(distinct_ids(&rest.replies_to(CHANNEL, q1)), 1);
    assert_eq!(
        rest.replies_to(CHANNEL, q2).len(),
        3,
        "ack, answer, one correction"
    );

    // A restart registers /fpt again by bulk overwrite: still one command.
    serve.stop();
    let serve = Serve::start(dir.path(), &config, TOKEN, 2);
    connected(&serve, &gw, &rest, 2).await;
    let commands = rest.commands();
    assert_eq!(commands.as_array().unwrap().len(), 1, "{commands}");
    assert_eq!(commands[0]["name"], json!("fpt"));
    assert!(!rest
        .calls()
        .iter()
        .any(|c| c.method == "POST" && c.path.contains("/commands")));
    serve.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_survives_dropped_connections_and_failed_calls() {
    let dir = tempfile::tempdir().unwrap();
    let (rest, gw) = fake_discord(TOKEN).await;
    let config = write_config(dir.path(), &rest, "");
    let serve = Serve::start(dir.path(), &config, TOKEN, 1);
    connected(&serve, &gw, &rest, 1).await;

    let q1 = rest.new_id();
    gw.dispatch(
        "MESSAGE_CREATE",
        gateway_message(q1, CHANNEL, TRAINEE, CONFIDENT, &[]),
    );
    let qr = rest.new_id();
    gw.dispatch(
        "MESSAGE_CREATE",
        gateway_message(qr, CHANNEL, 1100000000000000520, ROUTED_PLACE, &[]),
    );
    wait_for(&serve, "the first answers", WAIT, || {
        !rest.replies_to(CHANNEL, q1).is_empty() && !rest.replies_to(CHANNEL, qr).is_empty()
    })
    .await;
    let lead_post = rest.posts_to(LEADS)[0].created.unwrap();

    // Closed with 4000 and 1001: the bot resumes; the gateway replays some events it already
    // delivered, and a message sent while it was away; nothing is answered twice.
    gw.set_replay_overlap(3);
    for (round, code) in [4000u16, 1001].into_iter().enumerate() {
        gw.close(code);
        let q = rest.new_id();
        gw.dispatch(
            "MESSAGE_CREATE",
            gateway_message(
                q,
                CHANNEL,
                1100000000000000530 + round as u64,
                CONFIDENT,
                &[],
            ),
        );
        wait_for(&serve, "RESUME", WAIT, || gw.resumes().len() > round).await;
        wait_for(&serve, "the answer after resuming", WAIT, || {
            !rest.replies_to(CHANNEL, q).is_empty()
        })
        .await;
        assert_eq!(distinct_ids(&rest.replies_to(CHANNEL, q)), 1);
    }
    assert_eq!(gw.identifies().len(), 1, "resumed, not identified again");
    assert_eq!(distinct_ids(&rest.replies_to(CHANNEL, q1)), 1);
    assert_eq!(distinct_ids(&rest.replies_to(CHANNEL, qr)), 1);

    // Closed with 4009 (session timed out): the bot identifies again and catches up over REST:
    // 120 messages of chatter (two pages), then a question from a member whose region comes
    // from their role; and, in the leads channel, a lead's answer written meanwhile.
    for i in 0..120u64 {
        let id = rest.new_id();
        rest.add_history(
            CHANNEL,
            rest_message(
                id,
                CHANNEL,
                1100000000000000600 + i,
                "see you at the teaching day",
            ),
        );
    }
    let missed = rest.new_id();
    let sw_trainee = 1100000000000000540;
    rest.set_member_roles(GUILD, sw_trainee, vec![SW_ROLE]);
    rest.add_history(
        CHANNEL,
        rest_message(missed, CHANNEL, sw_trainee, ROUTED_NO_PLACE),
    );
    let late = rest.new_id();
    rest.add_history(
        LEADS,
        lead_reply(late, lead_post, "Answered while you were away.", false),
    );
    gw.close(4009);
    wait_for(&serve, "IDENTIFY again", WAIT, || {
        gw.identifies().len() >= 2
    })
    .await;
    wait_for(
        &serve,
        "the missed question routed and acknowledged",
        WAIT,
        || {
            !rest.replies_to(CHANNEL, missed).is_empty()
                && rest
                    .posts_to(LEADS)
                    .iter()
                    .any(|c| content(c).contains(&missed.to_string()))
        },
    )
    .await;
    let post = rest
        .posts_to(LEADS)
        .into_iter()
        .find(|c| content(c).contains(&missed.to_string()))
        .unwrap();
    let text = content(&post);
    assert!(
        text.starts_with(&format!("<@{LEAD}>")),
        "the member's regional role: {text}"
    );
    assert!(
        text.contains(&format!(
            "https://discord.com/channels/{GUILD}/{CHANNEL}/{missed}"
        )),
        "{text}"
    );
    wait_for(
        &serve,
        "the lead's answer written during the outage",
        WAIT,
        || {
            rest.replies_to(CHANNEL, qr)
                .iter()
                .any(|c| content(c).contains("Answered while you were away"))
        },
    )
    .await;
    let pages = rest
        .calls()
        .iter()
        .filter(|c| c.method == "GET" && c.path == format!("/api/v10/channels/{CHANNEL}/messages"))
        .count();
    assert!(pages >= 2, "paged through the history: {pages} request(s)");

    // Another fresh session: nothing is caught up twice.
    let gets = rest.calls().iter().filter(|c| c.method == "GET").count();
    gw.close(4009);
    wait_for(&serve, "IDENTIFY a third time", WAIT, || {
        gw.identifies().len() >= 3
    })
    .await;
    wait_for(&serve, "the second catch-up", WAIT, || {
        rest.calls().iter().filter(|c| c.method == "GET").count() > gets + 1
    })
    .await;
    let q = rest.new_id();
    gw.dispatch(
        "MESSAGE_CREATE",
        gateway_message(q, CHANNEL, 1100000000000000550, CONFIDENT, &[]),
    );
    wait_for(&serve, "a later answer", WAIT, || {
        !rest.replies_to(CHANNEL, q).is_empty()
    })
    .await;
    assert_eq!(distinct_ids(&rest.replies_to(CHANNEL, missed)), 1);
    let relayed = rest
        .replies_to(CHANNEL, qr)
        .iter()
        .filter(|c| content(c).contains("Answered while you were away"))
        .count();
    assert_eq!(relayed, 1);

    // 429 with Retry-After: the bot waits that long, then sends once.
    let path = format!("/api/v10/channels/{CHANNEL}/messages");
    rest.inject(Fault {
        method: "POST".into(),
        path: path.clone(),
        status: 429,
        headers: vec![("retry-after".into(), "2".into())],
        body: json!({"message": "You are being rate limited.", "retry_after": 2.0, "global": false}),
        create_anyway: false,
        times: 1,
    });
    let q6 = rest.new_id();
    gw.dispatch(
        "MESSAGE_CREATE",
        gateway_message(q6, CHANNEL, 1100000000000000560, CONFIDENT, &[]),
    );
    wait_for(&serve, "the answer after the 429", WAIT, || {
        !rest.replies_to(CHANNEL, q6).is_empty()
    })
    .await;
    let limited = rest.calls().into_iter().find(|c| c.status == 429).unwrap();
    let ok = &rest.replies_to(CHANNEL, q6)[0];
    assert!(
        ok.at.duration_since(limited.at) >= Duration::from_millis(1900),
        "retried after {:?}",
        ok.at.duration_since(limited.at)
    );

    // A 500 after Discord did create the message, and a 502 before: retried, one message each.
    for (status, anyway) in [(500u16, true), (502, false)] {
        rest.inject(Fault {
            method: "POST".into(),
            path: path.clone(),
            status,
            headers: vec![],
            body: json!({"message": "Internal Server Error", "code": 0}),
            create_anyway: anyway,
            times: 1,
        });
        let q = rest.new_id();
        gw.dispatch(
            "MESSAGE_CREATE",
            gateway_message(
                q,
                CHANNEL,
                1100000000000000570 + status as u64,
                CONFIDENT,
                &[],
            ),
        );
        wait_for(&serve, "the answer after a server error", WAIT, || {
            !rest.replies_to(CHANNEL, q).is_empty()
        })
        .await;
        assert_eq!(
            distinct_ids(&rest.replies_to(CHANNEL, q)),
            1,
            "HTTP {status}: not lost, not doubled"
        );
    }
    serve.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_token_stops_the_bot_clearly_and_mail_keeps_working() {
    let dir = tempfile::tempdir().unwrap();
    let (rest, gw) = fake_discord("the-real-token").await;
    let config = write_config(dir.path(), &rest, "");
    let mut serve = Serve::start(dir.path(), &config, "a-revoked-token", 1);
    wait_for(&serve, "IDENTIFY", WAIT, || !gw.identifies().is_empty()).await;
    wait_for(&serve, "the error in the log", WAIT, || {
        serve.log().contains("Discord refused the bot token")
    })
    .await;
    assert!(serve.log().contains("4004"), "{}", serve.log());
    assert!(serve.alive(), "the service keeps running without the bot");

    let new = dir.path().join("var/mail/new");
    std::fs::create_dir_all(&new).unwrap();
    std::fs::write(
        new.join("1.eml"),
        "From: Sam Jones <sam@example.org>\r\nTo: fpt@example.org\r\nSubject: days\r\nMessage-ID: <d1@example.org>\r\n\r\nHow many days a week is protected for FPT?\r\n",
    )
    .unwrap();
    wait_for(&serve, "the mail to be ingested", WAIT, || {
        fpt(dir.path(), &config, "a-revoked-token")
            .args(["queue", "--status", "all", "--json"])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).contains("sam@example.org"))
            .unwrap_or(false)
    })
    .await;
    let check = config_check(dir.path(), &config, "a-revoked-token");
    assert!(
        check.contains("problem:   discord: Discord refused the bot token"),
        "{check}"
    );
    serve.stop();
}

#[test]
fn the_payloads_sent_by_the_fake_gateway_are_valid_for_serenity() {
    use serenity::all::{Interaction, Message, MessageUpdateEvent};
    let m =
        serde_json::from_value::<Message>(gateway_message(1, CHANNEL, TRAINEE, "hi", &[SW_ROLE]));
    assert!(m.is_ok(), "{m:?}");
    let m = serde_json::from_value::<Message>(rest_message(1, CHANNEL, TRAINEE, "hi"));
    assert!(m.as_ref().is_ok_and(|m| m.guild_id.is_none()), "{m:?}");
    let m = serde_json::from_value::<Message>(lead_reply(2, 1, "answer", false));
    assert!(m.is_ok(), "{m:?}");
    let e = serde_json::from_value::<MessageUpdateEvent>(edit(
        2,
        LEADS,
        LEAD,
        "x",
        "2024-05-14T10:00:00.000000+00:00",
    ));
    assert!(e.is_ok(), "{e:?}");
    for i in [
        slash(3, "t", "q", TRAINEE, true),
        slash(4, "t", "q", TRAINEE, false),
        button(5, "t", "fpt:helped:1", TRAINEE),
    ] {
        let r = serde_json::from_value::<Interaction>(i.clone());
        assert!(r.is_ok(), "{r:?}\n{i}");
    }
}
