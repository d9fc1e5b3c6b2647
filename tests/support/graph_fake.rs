//! A local fake of the Microsoft Graph mail endpoints fpt-assist uses, on a loopback port
//! (axum), with request and response shapes as in the Graph v1.0 documentation:
//!
//! - `GET /v1.0/users/{mb}/mailFolders/{folder}/messages/delta` → `{"value": [{"id", "isRead",
//!   "internetMessageId"} | {"id", "@removed": {"reason"}}], "@odata.nextLink" |
//!   "@odata.deltaLink"}`, two messages a page (paging is always exercised); an expired delta
//!   token → `410 Gone` with `{"error": {"code": "syncStateNotFound"}}`;
//! - `GET …/messages/{id}/$value` → the MIME message (`text/plain`);
//! - `PATCH …/messages/{id}` `{"isRead": true}`; `POST …/messages/{id}/move`
//!   `{"destinationId"}` → `201` with the moved message;
//! - `POST …/sendMail` with a base64 MIME body → `202 Accepted`.
//!
//! Every request must carry `Authorization: Bearer <token>` active at the OAuth fake, else
//! `401`. `throttle(n)` answers the next n requests `429` with `Retry-After: 1`;
//! `slow_mime` delays each MIME download. The log keeps each request's method and path.
//! With `check_db` set to the service's database URL, every mark-read or move first checks
//! that the message's enquiry is already committed, and records it in `marked_unstored` when
//! it is not (the order the crash rules require).
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use base64::Engine;

use super::oauth_fake::OAuthFake;

pub const MAILBOX: &str = "fpt@example.org";
const PAGE: usize = 2;

#[derive(Clone, Debug)]
pub struct Msg {
    pub id: String,
    pub message_id: String,
    pub mime: Vec<u8>,
    pub is_read: bool,
    pub folder: String,
    /// Sequence number of the last change (creation, read, move).
    pub changed: u64,
}

#[derive(Default)]
pub struct GraphState {
    pub messages: Vec<Msg>,
    pub seq: u64,
    /// Delta tokens below this are expired.
    pub expired_below: u64,
    pub throttle: u32,
    pub throttled: u32,
    pub slow_mime: Duration,
    pub sent: Vec<Vec<u8>>,
    pub log: Vec<String>,
    pub mime_downloads: usize,
    /// Each delta round's items and upper bound, fixed on its first page (`$skiptoken`).
    pub snapshots: Vec<(Vec<serde_json::Value>, u64)>,
    /// The service's database, checked before each mark-read or move.
    pub check_db: Option<String>,
    /// Message-IDs marked read or moved before their enquiry was committed.
    pub marked_unstored: Vec<String>,
}

#[derive(Clone)]
pub struct GraphFake {
    pub state: Arc<Mutex<GraphState>>,
    pub port: u16,
}

#[derive(Clone)]
struct App {
    state: Arc<Mutex<GraphState>>,
    auth: OAuthFake,
    port: u16,
}

fn json(status: StatusCode, body: serde_json::Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

fn graph_error(status: StatusCode, code: &str, message: &str) -> Response {
    json(
        status,
        serde_json::json!({"error": {"code": code, "message": message}}),
    )
}

impl GraphFake {
    pub async fn start(auth: OAuthFake) -> GraphFake {
        let state = Arc::new(Mutex::new(GraphState::default()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the Graph fake");
        let port = listener.local_addr().expect("local addr").port();
        let app = App {
            state: state.clone(),
            auth,
            port,
        };
        let router = Router::new()
            .route(
                "/v1.0/users/{mb}/mailFolders/{folder}/messages/delta",
                get(delta),
            )
            .route("/v1.0/users/{mb}/messages/{id}/$value", get(mime))
            .route(
                "/v1.0/users/{mb}/messages/{id}",
                axum::routing::patch(patch),
            )
            .route("/v1.0/users/{mb}/messages/{id}/move", post(move_to))
            .route("/v1.0/users/{mb}/sendMail", post(send_mail))
            .with_state(app);
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        GraphFake { state, port }
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/v1.0", self.port)
    }

    /// A new unread message in the inbox.
    pub fn deliver(&self, message_id: &str, mime: Vec<u8>) {
        let mut s = self.state.lock().unwrap();
        s.seq += 1;
        let n = s.messages.len() + 1;
        let changed = s.seq;
        s.messages.push(Msg {
            id: format!("AAMkAD-{n}="),
            message_id: message_id.to_string(),
            mime,
            is_read: false,
            folder: "inbox".into(),
            changed,
        });
    }

    pub fn throttle(&self, n: u32) {
        self.state.lock().unwrap().throttle = n;
    }

    /// Every delta token issued so far expires.
    pub fn expire_delta_tokens(&self) {
        let mut s = self.state.lock().unwrap();
        s.seq += 1;
        s.expired_below = s.seq;
    }

    pub fn messages(&self) -> Vec<Msg> {
        self.state.lock().unwrap().messages.clone()
    }

    pub fn log(&self) -> Vec<String> {
        self.state.lock().unwrap().log.clone()
    }
}

/// Whether the enquiry with this Message-ID is committed in `url`.
async fn committed(url: &str, message_id: &str) -> bool {
    use sqlx::{Connection, Row};
    let Ok(mut conn) = sqlx::AnyConnection::connect(url).await else {
        return false;
    };
    let n = sqlx::query("SELECT COUNT(*) AS n FROM enquiries WHERE external_id = $1")
        .bind(message_id)
        .fetch_one(&mut conn)
        .await
        .and_then(|r| r.try_get::<i64, _>("n"))
        .unwrap_or(0);
    let _ = conn.close().await;
    n > 0
}

impl App {
    /// Records `id` in `marked_unstored` when `check_db` is set and its enquiry is not stored.
    async fn check_committed(&self, id: &str) {
        let (url, message_id) = {
            let s = self.state.lock().unwrap();
            let Some(url) = s.check_db.clone() else {
                return;
            };
            let Some(m) = s.messages.iter().find(|m| m.id == id) else {
                return;
            };
            (url, m.message_id.clone())
        };
        if !committed(&url, &message_id).await {
            self.state.lock().unwrap().marked_unstored.push(message_id);
        }
    }

    /// Logs the request, checks the bearer token, applies throttling. `Some` = answer now.
    fn gate(&self, method: &Method, uri: &Uri, headers: &HeaderMap) -> Option<Response> {
        let mut s = self.state.lock().unwrap();
        s.log.push(format!("{method} {}", uri.path()));
        let token = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        if !self.auth.is_active(token) {
            return Some(graph_error(
                StatusCode::UNAUTHORIZED,
                "InvalidAuthenticationToken",
                "Access token has expired or is not yet valid.",
            ));
        }
        if s.throttle > 0 {
            s.throttle -= 1;
            s.throttled += 1;
            return Some(
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    [(header::RETRY_AFTER, "1")],
                    graph_error(
                        StatusCode::TOO_MANY_REQUESTS,
                        "ApplicationThrottled",
                        "Application is over its MailboxConcurrency limit.",
                    ),
                )
                    .into_response(),
            );
        }
        None
    }
}

async fn delta(
    State(app): State<App>,
    Path((mb, folder)): Path<(String, String)>,
    Query(q): Query<std::collections::HashMap<String, String>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if let Some(r) = app.gate(&method, &uri, &headers) {
        return r;
    }
    if mb != MAILBOX || folder != "inbox" {
        return graph_error(StatusCode::NOT_FOUND, "ErrorInvalidUser", "no such mailbox");
    }
    let mut s = app.state.lock().unwrap();
    let base = format!(
        "http://127.0.0.1:{}/v1.0/users/{mb}/mailFolders/{folder}/messages/delta",
        app.port
    );
    // $skiptoken=SNAPSHOT-OFFSET: a later page of a round; $deltatoken=N: changes after N
    let (snapshot, offset) = if let Some(t) = q.get("$skiptoken") {
        let mut parts = t.split('-').filter_map(|p| p.parse::<usize>().ok());
        let (Some(snap), Some(offset)) = (parts.next(), parts.next()) else {
            return graph_error(StatusCode::BAD_REQUEST, "BadRequest", "bad token");
        };
        if snap >= s.snapshots.len() {
            return graph_error(StatusCode::BAD_REQUEST, "BadRequest", "bad token");
        }
        (snap, offset)
    } else {
        let since = match q.get("$deltatoken").map(|t| t.parse::<u64>()) {
            None => 0,
            Some(Ok(n)) => n,
            Some(Err(_)) => return graph_error(StatusCode::BAD_REQUEST, "BadRequest", "bad token"),
        };
        if since > 0 && since < s.expired_below {
            return graph_error(
                StatusCode::GONE,
                "syncStateNotFound",
                "The sync state generation is not found or has expired.",
            );
        }
        let items: Vec<serde_json::Value> = s
            .messages
            .iter()
            .filter(|m| m.changed > since)
            .filter(|m| since > 0 || m.folder == "inbox")
            .map(|m| {
                if m.folder == "inbox" {
                    serde_json::json!({
                        "@odata.type": "#microsoft.graph.message",
                        "id": m.id,
                        "isRead": m.is_read,
                        "internetMessageId": format!("<{}>", m.message_id),
                    })
                } else {
                    serde_json::json!({"id": m.id, "@removed": {"reason": "deleted"}})
                }
            })
            .collect();
        let round = s.seq;
        s.snapshots.push((items, round));
        (s.snapshots.len() - 1, 0)
    };
    let (items, round) = &s.snapshots[snapshot];
    let page: Vec<_> = items.iter().skip(offset).take(PAGE).cloned().collect();
    let mut body = serde_json::json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Collection(message)",
        "value": page,
    });
    if offset + PAGE < items.len() {
        body["@odata.nextLink"] = format!("{base}?$skiptoken={snapshot}-{}", offset + PAGE).into();
    } else {
        body["@odata.deltaLink"] = format!("{base}?$deltatoken={round}").into();
    }
    json(StatusCode::OK, body)
}

async fn mime(
    State(app): State<App>,
    Path((_mb, id)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if let Some(r) = app.gate(&method, &uri, &headers) {
        return r;
    }
    let (found, delay) = {
        let mut s = app.state.lock().unwrap();
        s.mime_downloads += 1;
        (
            s.messages
                .iter()
                .find(|m| m.id == id)
                .map(|m| m.mime.clone()),
            s.slow_mime,
        )
    };
    tokio::time::sleep(delay).await;
    match found {
        Some(mime) => ([(header::CONTENT_TYPE, "text/plain")], mime).into_response(),
        None => graph_error(StatusCode::NOT_FOUND, "ErrorItemNotFound", "not found"),
    }
}

async fn patch(
    State(app): State<App>,
    Path((_mb, id)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(r) = app.gate(&method, &uri, &headers) {
        return r;
    }
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return graph_error(StatusCode::BAD_REQUEST, "BadRequest", "not JSON");
    };
    app.check_committed(&id).await;
    let mut s = app.state.lock().unwrap();
    s.seq += 1;
    let seq = s.seq;
    let Some(m) = s.messages.iter_mut().find(|m| m.id == id) else {
        return graph_error(StatusCode::NOT_FOUND, "ErrorItemNotFound", "not found");
    };
    if let Some(read) = v.get("isRead").and_then(|r| r.as_bool()) {
        m.is_read = read;
        m.changed = seq;
    }
    json(
        StatusCode::OK,
        serde_json::json!({"id": m.id, "isRead": m.is_read}),
    )
}

async fn move_to(
    State(app): State<App>,
    Path((_mb, id)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(r) = app.gate(&method, &uri, &headers) {
        return r;
    }
    let dest = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.get("destinationId")?.as_str().map(str::to_string));
    let Some(dest) = dest else {
        return graph_error(StatusCode::BAD_REQUEST, "BadRequest", "no destinationId");
    };
    app.check_committed(&id).await;
    let mut s = app.state.lock().unwrap();
    s.seq += 1;
    let seq = s.seq;
    let Some(m) = s.messages.iter_mut().find(|m| m.id == id) else {
        return graph_error(StatusCode::NOT_FOUND, "ErrorItemNotFound", "not found");
    };
    m.folder = dest;
    m.changed = seq;
    json(StatusCode::CREATED, serde_json::json!({"id": m.id}))
}

async fn send_mail(
    State(app): State<App>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(r) = app.gate(&method, &uri, &headers) {
        return r;
    }
    let is_text = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"));
    let Ok(mime) = base64::engine::general_purpose::STANDARD.decode(body.trim_ascii()) else {
        return graph_error(
            StatusCode::BAD_REQUEST,
            "ErrorMimeContentInvalid",
            "not base64",
        );
    };
    if !is_text {
        return graph_error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "MIME must be text/plain",
        );
    }
    app.state.lock().unwrap().sent.push(mime);
    StatusCode::ACCEPTED.into_response()
}
