//! A local stand-in for Discord on loopback: a REST server that records every call and answers
//! like Discord's API v10 (created messages with ids, `nonce` + `enforce_nonce` deduplication,
//! channel and member look-ups, message history with `after`/`limit` paging, bulk overwrite of
//! commands), with faults injected on demand (429 with `Retry-After`, 5xx, JSON error codes);
//! and a websocket gateway that sends HELLO, checks IDENTIFY (token, intents), sends READY,
//! RESUMED or INVALID_SESSION, dispatches events, and closes with chosen codes.

#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message as WsMessage;

pub const APP: u64 = 1100000000000000900;
pub const BOT_USER: u64 = 1100000000000000900;

/// One REST call as received.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    /// Path without the query, below the origin (e.g. `/api/v10/channels/1/messages`).
    pub path: String,
    pub query: String,
    pub body: Value,
    pub status: u16,
    /// The id of the message the server created, if any.
    pub created: Option<u64>,
    pub at: Instant,
}

/// A fault to inject: the next `times` calls matching `method` and `path` get this answer.
#[derive(Debug, Clone)]
pub struct Fault {
    pub method: String,
    pub path: String,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Value,
    /// Create the message anyway (the request arrived, only the answer was lost).
    pub create_anyway: bool,
    pub times: u32,
}

#[derive(Default)]
struct RestState {
    calls: Vec<Call>,
    faults: Vec<Fault>,
    /// channel id → JSON of `GET /channels/{id}`.
    channels: HashMap<u64, Value>,
    /// channel id → messages (REST shape), any order.
    history: HashMap<u64, Vec<Value>>,
    /// (guild, user) → role ids.
    members: HashMap<(u64, u64), Vec<u64>>,
    /// nonce → created message id (Discord keeps a message per nonce for a few minutes).
    nonces: HashMap<String, u64>,
    /// Users whose direct messages are closed (posting in their DM channel gives 50007).
    closed_dms: HashSet<u64>,
    commands: Value,
}

/// The REST half.
#[derive(Clone)]
pub struct FakeRest {
    state: Arc<Mutex<RestState>>,
    next_id: Arc<AtomicU64>,
    pub url: String,
    pub gateway_url: Arc<Mutex<String>>,
}

impl FakeRest {
    pub async fn start() -> FakeRest {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let fake = FakeRest {
            state: Arc::default(),
            next_id: Arc::new(AtomicU64::new(1300000000000000000)),
            url: format!("http://{addr}"),
            gateway_url: Arc::default(),
        };
        fake.state.lock().unwrap().commands = json!([]);
        let server = fake.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let server = server.clone();
                tokio::spawn(async move { server.serve(stream).await });
            }
        });
        fake
    }

    /// A new snowflake-like id, larger than every earlier one.
    pub fn new_id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::SeqCst)
    }

    pub fn set_channel(&self, id: u64, info: Value) {
        self.state.lock().unwrap().channels.insert(id, info);
    }

    pub fn add_history(&self, channel: u64, msg: Value) {
        self.state
            .lock()
            .unwrap()
            .history
            .entry(channel)
            .or_default()
            .push(msg);
    }

    pub fn set_member_roles(&self, guild: u64, user: u64, roles: Vec<u64>) {
        self.state
            .lock()
            .unwrap()
            .members
            .insert((guild, user), roles);
    }

    pub fn close_dms(&self, user: u64) {
        self.state.lock().unwrap().closed_dms.insert(user);
    }

    pub fn inject(&self, fault: Fault) {
        self.state.lock().unwrap().faults.push(fault);
    }

    pub fn calls(&self) -> Vec<Call> {
        self.state.lock().unwrap().calls.clone()
    }

    pub fn commands(&self) -> Value {
        self.state.lock().unwrap().commands.clone()
    }

    /// Successful message posts in a channel.
    pub fn posts_to(&self, channel: u64) -> Vec<Call> {
        let path = format!("/api/v10/channels/{channel}/messages");
        self.calls()
            .into_iter()
            .filter(|c| c.method == "POST" && c.path == path && c.created.is_some())
            .collect()
    }

    /// Successful posts in `channel` replying to message `to`.
    pub fn replies_to(&self, channel: u64, to: u64) -> Vec<Call> {
        self.posts_to(channel)
            .into_iter()
            .filter(|c| c.body["message_reference"]["message_id"] == json!(to.to_string()))
            .collect()
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
            let target = parts.next().unwrap_or_default().to_string();
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
            let (path, query) = match target.split_once('?') {
                Some((p, q)) => (p.to_string(), q.to_string()),
                None => (target.clone(), String::new()),
            };
            let (status, headers, reply, created) = self.answer(&method, &path, &query, &body);
            self.state.lock().unwrap().calls.push(Call {
                method,
                path,
                query,
                body,
                status,
                created,
                at: Instant::now(),
            });
            let text = match reply {
                Value::Null => String::new(),
                v => v.to_string(),
            };
            let mut head = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
                text.len()
            );
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            let stream = reader.get_mut();
            if stream.write_all(head.as_bytes()).await.is_err()
                || stream.write_all(text.as_bytes()).await.is_err()
            {
                return;
            }
        }
    }

    fn create(&self, channel: u64, body: &Value) -> (u64, Value) {
        let mut st = self.state.lock().unwrap();
        if body["enforce_nonce"] == json!(true) {
            if let Some(n) = body["nonce"].as_str() {
                if let Some(&id) = st.nonces.get(n) {
                    return (id, bot_message(id, channel, body));
                }
            }
        }
        let id = self.new_id();
        if let Some(n) = body["nonce"].as_str() {
            st.nonces.insert(n.to_string(), id);
        }
        (id, bot_message(id, channel, body))
    }

    fn answer(
        &self,
        method: &str,
        path: &str,
        query: &str,
        body: &Value,
    ) -> (u16, Vec<(String, String)>, Value, Option<u64>) {
        let segs: Vec<&str> = path.trim_start_matches("/api/v10/").split('/').collect();
        // injected faults first
        let fault = {
            let mut st = self.state.lock().unwrap();
            let i = st
                .faults
                .iter()
                .position(|f| f.method == method && f.path == path && f.times > 0);
            i.map(|i| {
                st.faults[i].times -= 1;
                st.faults[i].clone()
            })
        };
        if let Some(f) = fault {
            // The request arrived and the message exists, only the answer is an error: the call
            // is not reported as having created it, but a retry with the same nonce finds it.
            if let (true, ["channels", ch, "messages"]) = (f.create_anyway, segs.as_slice()) {
                self.create(ch.parse().unwrap_or(0), body);
            }
            return (f.status, f.headers, f.body, None);
        }
        match (method, segs.as_slice()) {
            ("GET", ["gateway"] | ["gateway", "bot"]) => (
                200,
                vec![],
                json!({"url": self.gateway_url.lock().unwrap().clone(), "shards": 1,
                       "session_start_limit": {"total": 1000, "remaining": 999,
                       "reset_after": 0, "max_concurrency": 1}}),
                None,
            ),
            ("PUT", ["applications", _, "commands"]) => {
                let mut st = self.state.lock().unwrap();
                let mut out = Vec::new();
                for c in body.as_array().cloned().unwrap_or_default() {
                    let mut c = c;
                    c["id"] = json!(self.new_id().to_string());
                    c["application_id"] = json!(APP.to_string());
                    c["version"] = json!("1");
                    out.push(c);
                }
                st.commands = Value::Array(out.clone());
                (200, vec![], Value::Array(out), None)
            }
            ("POST", ["channels", channel, "messages"]) => {
                let channel: u64 = channel.parse().unwrap_or(0);
                let dm_user = {
                    let st = self.state.lock().unwrap();
                    st.closed_dms
                        .iter()
                        .find(|u| dm_channel_of(**u) == channel)
                        .copied()
                };
                if dm_user.is_some() {
                    return (
                        403,
                        vec![],
                        json!({"message": "Cannot send messages to this user", "code": 50007}),
                        None,
                    );
                }
                let (id, msg) = self.create(channel, body);
                (200, vec![], msg, Some(id))
            }
            ("POST", ["interactions", _, _, "callback"]) => (204, vec![], Value::Null, None),
            ("PATCH", ["webhooks", _, _, "messages", "@original"]) => {
                let id = self.new_id();
                (200, vec![], bot_message(id, 0, body), Some(id))
            }
            ("POST", ["webhooks", _, _]) => {
                let id = self.new_id();
                (200, vec![], bot_message(id, 0, body), Some(id))
            }
            ("POST", ["users", "@me", "channels"]) => {
                let user: u64 = body["recipient_id"]
                    .as_str()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
                (
                    200,
                    vec![],
                    json!({"id": dm_channel_of(user).to_string(), "type": 1,
                           "last_message_id": null, "flags": 0,
                           "recipients": [{"id": user.to_string(), "username": "dr.jones",
                               "discriminator": "0", "global_name": "Dr Jones", "avatar": null}]}),
                    None,
                )
            }
            ("GET", ["channels", channel]) => {
                let channel: u64 = channel.parse().unwrap_or(0);
                match self.state.lock().unwrap().channels.get(&channel) {
                    Some(v) => (200, vec![], v.clone(), None),
                    None => (
                        404,
                        vec![],
                        json!({"message": "Unknown Channel", "code": 10003}),
                        None,
                    ),
                }
            }
            ("GET", ["channels", channel, "messages"]) => {
                let channel: u64 = channel.parse().unwrap_or(0);
                let param = |name: &str| {
                    query
                        .split('&')
                        .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
                        .and_then(|v| v.parse::<u64>().ok())
                };
                let after = param("after").unwrap_or(0);
                let limit = param("limit").unwrap_or(50).min(100) as usize;
                let st = self.state.lock().unwrap();
                let mut msgs: Vec<Value> = st
                    .history
                    .get(&channel)
                    .cloned()
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|m| msg_id(m) > after)
                    .collect();
                // the oldest `limit` after `after`, newest first (as Discord answers)
                msgs.sort_by_key(msg_id);
                msgs.truncate(limit);
                msgs.reverse();
                (200, vec![], Value::Array(msgs), None)
            }
            ("GET", ["guilds", guild, "members", user]) => {
                let key = (guild.parse().unwrap_or(0), user.parse().unwrap_or(0));
                let roles = self
                    .state
                    .lock()
                    .unwrap()
                    .members
                    .get(&key)
                    .cloned()
                    .unwrap_or_default();
                (
                    200,
                    vec![],
                    json!({"roles": roles.iter().map(u64::to_string).collect::<Vec<_>>(),
                           "user": {"id": key.1.to_string(), "username": "someone",
                                    "discriminator": "0", "avatar": null}}),
                    None,
                )
            }
            _ => (
                404,
                vec![],
                json!({"message": "404: Not Found", "code": 0}),
                None,
            ),
        }
    }
}

/// The DM channel the fake opens with a user.
pub fn dm_channel_of(user: u64) -> u64 {
    user + 7
}

fn msg_id(m: &Value) -> u64 {
    m["id"].as_str().and_then(|s| s.parse().ok()).unwrap_or(0)
}

/// What Discord answers to a message POST: the created message.
pub fn bot_message(id: u64, channel: u64, body: &Value) -> Value {
    json!({
        "id": id.to_string(), "channel_id": channel.to_string(), "type": 0,
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
// The gateway.

enum Command {
    Dispatch,
    Close(u16),
}

#[derive(Default)]
struct GatewayState {
    identifies: Vec<Value>,
    resumes: Vec<Value>,
    session: u64,
    /// (seq, event name, data) of the current session.
    events: Vec<(u64, String, Value)>,
    /// The live connection's command channel.
    live: Option<mpsc::UnboundedSender<Command>>,
    /// Replay this many already-delivered events too on RESUME (Discord may replay overlap).
    overlap: u64,
    /// The seq the live connection has sent up to.
    sent: u64,
}

/// The gateway half.
#[derive(Clone)]
pub struct FakeGateway {
    state: Arc<Mutex<GatewayState>>,
    pub url: String,
    token: String,
}

fn dispatch_frame(seq: u64, t: &str, d: &Value) -> WsMessage {
    WsMessage::Text(json!({"op": 0, "s": seq, "t": t, "d": d}).to_string())
}

impl FakeGateway {
    /// A gateway that accepts IDENTIFY/RESUME with `token` (with or without "Bot ") and closes
    /// with 4004 otherwise.
    pub async fn start(token: &str) -> FakeGateway {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let gw = FakeGateway {
            state: Arc::default(),
            url: format!("ws://{addr}"),
            token: token.to_string(),
        };
        let server = gw.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let server = server.clone();
                tokio::spawn(async move { server.connection(stream).await });
            }
        });
        gw
    }

    pub fn identifies(&self) -> Vec<Value> {
        self.state.lock().unwrap().identifies.clone()
    }

    pub fn resumes(&self) -> Vec<Value> {
        self.state.lock().unwrap().resumes.clone()
    }

    pub fn set_replay_overlap(&self, n: u64) {
        self.state.lock().unwrap().overlap = n;
    }

    /// Adds an event to the session; the live connection (if any) sends it now, a resumed one
    /// replays it.
    pub fn dispatch(&self, t: &str, d: Value) {
        let mut st = self.state.lock().unwrap();
        let seq = st.events.last().map_or(1, |e| e.0) + 1;
        st.events.push((seq, t.to_string(), d));
        if let Some(live) = &st.live {
            let _ = live.send(Command::Dispatch);
        }
    }

    /// Closes the live connection with `code`.
    pub fn close(&self, code: u16) {
        let mut st = self.state.lock().unwrap();
        if let Some(live) = st.live.take() {
            let _ = live.send(Command::Close(code));
        }
    }

    pub fn connected(&self) -> bool {
        self.state.lock().unwrap().live.is_some()
    }

    fn token_ok(&self, t: &Value) -> bool {
        let t = t.as_str().unwrap_or_default();
        t == self.token || t.strip_prefix("Bot ") == Some(self.token.as_str())
    }

    async fn connection(&self, stream: tokio::net::TcpStream) {
        let Ok(mut ws) = tokio_tungstenite::accept_async(stream).await else {
            return;
        };
        let hello = json!({"op": 10, "d": {"heartbeat_interval": 45000}});
        if ws.send(WsMessage::Text(hello.to_string())).await.is_err() {
            return;
        }
        let close = |code: u16| {
            WsMessage::Close(Some(CloseFrame {
                code: CloseCode::from(code),
                reason: "fake gateway".into(),
            }))
        };
        let (tx, mut rx) = mpsc::unbounded_channel();
        // wait for IDENTIFY or RESUME
        loop {
            let Some(Ok(frame)) = ws.next().await else {
                return;
            };
            let WsMessage::Text(text) = frame else {
                continue;
            };
            let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            match v["op"].as_u64() {
                Some(1) => {
                    let _ = ws
                        .send(WsMessage::Text(json!({"op": 11}).to_string()))
                        .await;
                }
                Some(2) => {
                    let ok = self.token_ok(&v["d"]["token"]);
                    self.state.lock().unwrap().identifies.push(v["d"].clone());
                    if !ok {
                        let _ = ws.send(close(4004)).await;
                        return;
                    }
                    let ready = {
                        let mut st = self.state.lock().unwrap();
                        st.session += 1;
                        st.events.clear();
                        st.events.push((1, "READY".into(), Value::Null));
                        st.sent = 1;
                        st.live = Some(tx.clone());
                        json!({
                            "v": 10,
                            "user": {"id": BOT_USER.to_string(), "username": "FPT Assistant",
                                     "discriminator": "7310", "global_name": null, "avatar": null,
                                     "bot": true, "verified": true, "mfa_enabled": false, "flags": 0},
                            "guilds": [],
                            "session_id": format!("session-{}", st.session),
                            "resume_gateway_url": self.url,
                            "shard": [0, 1],
                            "application": {"id": APP.to_string(), "flags": 0}
                        })
                    };
                    if ws.send(dispatch_frame(1, "READY", &ready)).await.is_err() {
                        return;
                    }
                    break;
                }
                Some(6) => {
                    let d = v["d"].clone();
                    self.state.lock().unwrap().resumes.push(d.clone());
                    let (valid, replay, next) = {
                        let mut st = self.state.lock().unwrap();
                        let valid = d["session_id"] == json!(format!("session-{}", st.session))
                            && self.token_ok(&d["token"]);
                        let from = d["seq"].as_u64().unwrap_or(0).saturating_sub(st.overlap);
                        let replay: Vec<_> = st
                            .events
                            .iter()
                            .filter(|e| e.0 > from && e.1 != "READY")
                            .cloned()
                            .collect();
                        let next = st.events.last().map_or(1, |e| e.0) + 1;
                        if valid {
                            st.events.push((next, "RESUMED".into(), Value::Null));
                            st.sent = next;
                            st.live = Some(tx.clone());
                        }
                        (valid, replay, next)
                    };
                    if !valid {
                        let _ = ws
                            .send(WsMessage::Text(json!({"op": 9, "d": false}).to_string()))
                            .await;
                        continue;
                    }
                    for (seq, t, data) in &replay {
                        if ws.send(dispatch_frame(*seq, t, data)).await.is_err() {
                            return;
                        }
                    }
                    if ws
                        .send(dispatch_frame(next, "RESUMED", &json!({})))
                        .await
                        .is_err()
                    {
                        return;
                    }
                    break;
                }
                _ => {}
            }
        }
        // the live session
        loop {
            tokio::select! {
                frame = ws.next() => match frame {
                    Some(Ok(WsMessage::Text(text))) => {
                        let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                        if v["op"].as_u64() == Some(1) {
                            let _ = ws.send(WsMessage::Text(json!({"op": 11}).to_string())).await;
                        }
                    }
                    Some(Ok(_)) => {}
                    _ => break,
                },
                cmd = rx.recv() => match cmd {
                    Some(Command::Dispatch) => {
                        let pending: Vec<_> = {
                            let mut st = self.state.lock().unwrap();
                            let sent = st.sent;
                            let p: Vec<_> = st.events.iter().filter(|e| e.0 > sent).cloned().collect();
                            if let Some(last) = p.last() {
                                st.sent = last.0;
                            }
                            p
                        };
                        for (seq, t, d) in pending {
                            if ws.send(dispatch_frame(seq, &t, &d)).await.is_err() {
                                break;
                            }
                        }
                    }
                    Some(Command::Close(code)) => {
                        let _ = ws.send(close(code)).await;
                        let _ = tokio::time::timeout(Duration::from_secs(2), ws.close(None)).await;
                        break;
                    }
                    None => break,
                },
            }
        }
        let mut st = self.state.lock().unwrap();
        if st.live.as_ref().is_some_and(|l| l.same_channel(&tx)) {
            st.live = None;
        }
    }
}

/// Polls `cond` every 50 ms until it holds (`true`) or `timeout` passes (`false`).
pub async fn until(timeout: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    while !cond() {
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    true
}
