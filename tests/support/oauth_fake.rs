//! A local OAuth2 authorization server for tests, on a loopback port (axum):
//!
//! - `POST /token` (RFC 6749 §4.4 client credentials, §6 refresh token, RFC 8628 device code)
//!   issues `at-N` access tokens living `lifetime`; a refresh grant rotates the refresh token
//!   (`rt-N`; the old one stops working, so a client that did not save the new one fails);
//! - `POST /devicecode` (RFC 8628 §3.1) starts a sign-in that completes on the second poll;
//! - `POST /introspect` (RFC 7662, the form Dovecot's oauth2 passdb and the SMTP sink post)
//!   says whether a token is active, with `"username": USER`.
//!
//! Controls: `refuse_next_token` (the next token issued is inactive from the start: a server
//! refuses it), `revoke` (every grant is refused with `invalid_grant`), and counters.
//! Include with `#[path = "support/oauth_fake.rs"] mod oauth_fake;`.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Form, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;

pub const CLIENT_ID: &str = "fpt-test-client";
pub const CLIENT_SECRET: &str = "test-client-secret";
pub const USER: &str = "fpt";

#[derive(Default)]
pub struct AuthState {
    pub lifetime: Duration,
    pub issued: HashMap<String, Instant>,
    pub inactive: HashSet<String>,
    pub refuse_next: bool,
    pub revoked: bool,
    pub refresh_token: String,
    pub device_polls: u32,
    pub token_requests: usize,
    pub introspections: usize,
    pub counter: usize,
}

/// The running fake; stops with the test's runtime.
#[derive(Clone)]
pub struct OAuthFake {
    pub state: Arc<Mutex<AuthState>>,
    pub port: u16,
}

fn json(status: StatusCode, body: serde_json::Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

fn error(code: &str, description: &str) -> Response {
    json(
        StatusCode::BAD_REQUEST,
        serde_json::json!({"error": code, "error_description": description}),
    )
}

impl OAuthFake {
    /// Starts on a free loopback port; tokens live `lifetime`; the valid refresh token is `rt-0`.
    pub async fn start(lifetime: Duration) -> OAuthFake {
        let state = Arc::new(Mutex::new(AuthState {
            lifetime,
            refresh_token: "rt-0".into(),
            ..AuthState::default()
        }));
        let app = Router::new()
            .route("/token", post(token))
            .route("/devicecode", post(devicecode))
            .route("/introspect", post(introspect))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the OAuth fake");
        let port = listener.local_addr().expect("local addr").port();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        OAuthFake { state, port }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn refuse_next_token(&self) {
        self.state.lock().unwrap().refuse_next = true;
    }

    pub fn revoke(&self) {
        self.state.lock().unwrap().revoked = true;
    }

    pub fn token_requests(&self) -> usize {
        self.state.lock().unwrap().token_requests
    }

    pub fn introspections(&self) -> usize {
        self.state.lock().unwrap().introspections
    }

    pub fn refresh_token(&self) -> String {
        self.state.lock().unwrap().refresh_token.clone()
    }

    /// Whether `token` is one we issued, unexpired and not refused.
    pub fn is_active(&self, token: &str) -> bool {
        active(&self.state.lock().unwrap(), token)
    }
}

fn active(s: &AuthState, token: &str) -> bool {
    s.issued
        .get(token)
        .is_some_and(|at| at.elapsed() < s.lifetime)
        && !s.inactive.contains(token)
}

fn issue(s: &mut AuthState, with_refresh: bool) -> Response {
    s.counter += 1;
    let token = format!("at-{}", s.counter);
    s.issued.insert(token.clone(), Instant::now());
    if std::mem::take(&mut s.refuse_next) {
        s.inactive.insert(token.clone());
    }
    let mut body = serde_json::json!({
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": s.lifetime.as_secs(),
    });
    if with_refresh {
        s.refresh_token = format!("rt-{}", s.counter);
        body["refresh_token"] = s.refresh_token.clone().into();
    }
    json(StatusCode::OK, body)
}

async fn token(
    State(state): State<Arc<Mutex<AuthState>>>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut s = state.lock().unwrap();
    s.token_requests += 1;
    if form.get("client_id").map(String::as_str) != Some(CLIENT_ID) {
        return error("invalid_client", "unknown client");
    }
    if s.revoked {
        return error("invalid_grant", "the grant was revoked (test)");
    }
    match form.get("grant_type").map(String::as_str) {
        Some("client_credentials") => {
            if form.get("client_secret").map(String::as_str) != Some(CLIENT_SECRET) {
                return error("invalid_client", "wrong client secret");
            }
            issue(&mut s, false)
        }
        Some("refresh_token") => {
            if form.get("refresh_token") != Some(&s.refresh_token) {
                return error("invalid_grant", "unknown or already used refresh token");
            }
            issue(&mut s, true)
        }
        Some("urn:ietf:params:oauth:grant-type:device_code") => {
            if form.get("device_code").map(String::as_str) != Some("dev-1") {
                return error("invalid_grant", "unknown device code");
            }
            s.device_polls += 1;
            if s.device_polls < 2 {
                return error("authorization_pending", "waiting for the user");
            }
            issue(&mut s, true)
        }
        _ => error("unsupported_grant_type", "unsupported grant"),
    }
}

async fn devicecode(Form(form): Form<HashMap<String, String>>) -> Response {
    if form.get("client_id").map(String::as_str) != Some(CLIENT_ID) {
        return error("invalid_client", "unknown client");
    }
    json(
        StatusCode::OK,
        serde_json::json!({
            "device_code": "dev-1",
            "user_code": "FPT-TEST-CODE",
            "verification_uri": "https://login.example.org/device",
            "expires_in": 900,
            "interval": 1,
        }),
    )
}

async fn introspect(
    State(state): State<Arc<Mutex<AuthState>>>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut s = state.lock().unwrap();
    s.introspections += 1;
    let token = form.get("token").cloned().unwrap_or_default();
    if active(&s, &token) {
        json(
            StatusCode::OK,
            serde_json::json!({"active": true, "username": USER}),
        )
    } else {
        json(StatusCode::OK, serde_json::json!({"active": false}))
    }
}
