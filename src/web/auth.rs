//! Accounts and sessions: argon2 password hashes, random session tokens (only their SHA-256
//! is stored), per-session CSRF tokens, the sign-in rate limit and the role checks.
//!
//! `guard` runs before every page: it finds the session from the cookie and, for every POST,
//! compares the form's `csrf` field with the session's token (or, on the sign-in form, with
//! the pre-session `fpt_csrf` cookie) before the handler runs. Handlers then take `Session`,
//! which redirects anonymous requests to `/login`.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::error::WebError;
use super::queries::{self, UserRow};
use super::AppState;
use crate::store;

/// The session cookie.
pub const SESSION_COOKIE: &str = "fpt_session";
/// The pre-session CSRF cookie of the sign-in form.
pub const LOGIN_CSRF_COOKIE: &str = "fpt_csrf";
/// Failed sign-ins allowed per name and address in `LOCKOUT_SECS`.
pub const MAX_FAILURES: i64 = 5;
pub const LOCKOUT_SECS: i64 = 15 * 60;
/// Largest form body accepted.
const MAX_FORM_BYTES: usize = 1 << 20;

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything.
    Admin,
    /// Sees and answers the routed enquiries of one region.
    Lead,
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "admin" => Ok(Role::Admin),
            "lead" => Ok(Role::Lead),
            other => Err(format!("unknown role `{other}`: use admin or lead")),
        }
    }
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Lead => "lead",
        }
    }
}

/// A signed-in person.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Session {
    pub user_id: i64,
    pub name: String,
    pub role: Role,
    /// The lead's region.
    pub region: Option<String>,
    /// The token every form of this session carries.
    pub csrf: String,
}

impl Session {
    fn from_row(user: UserRow, csrf: String) -> Option<Session> {
        let role = user.role.parse().ok()?;
        Some(Session {
            user_id: user.id,
            name: user.name,
            role,
            region: user.region,
            csrf,
        })
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// 403 unless an admin.
    pub fn require_admin(&self) -> Result<(), WebError> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(WebError::Forbidden)
        }
    }

    /// Whether this person may see an enquiry: admins all, leads the routed enquiries of
    /// their region (routed by triage or re-routed by an admin).
    pub fn may_see(&self, decision: &str, status: &str, region: Option<&str>) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Lead => {
                (decision == "route" || status == "routed")
                    && region.is_some()
                    && region == self.region.as_deref()
            }
        }
    }

    /// The region a lead is limited to (`None` for admins).
    pub fn lead_region(&self) -> Option<&str> {
        match self.role {
            Role::Admin => None,
            // a lead without a region sees nothing: an impossible region id
            Role::Lead => Some(self.region.as_deref().unwrap_or("\u{0}none")),
        }
    }

    /// Who acts, for the audit log and draft versions.
    pub fn actor(&self) -> String {
        match self.role {
            Role::Admin => self.name.clone(),
            Role::Lead => format!("{} (lead)", self.name),
        }
    }
}

/// Hashes a password with argon2id and a random salt (PHC string).
pub fn hash_password(password: &str) -> Result<String, WebError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| WebError::Internal(format!("cannot hash a password: {e}")))
}

/// Whether `password` matches a stored hash (a malformed hash never matches).
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A random token: 32 bytes from the OS, hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What is stored for a session token.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Compares without stopping at the first difference.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A cookie's value from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, Path=/, Secure unless switched off.
pub fn set_cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> String {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}

/// Starts a session for `user`; returns the cookie token.
pub async fn start_session(state: &AppState, user: &UserRow) -> Result<String, WebError> {
    let token = random_token();
    let now = store::now();
    let mut conn = state.service.store.conn().await?;
    queries::insert_session(
        &mut conn,
        &token_hash(&token),
        user.id,
        &random_token(),
        now,
        now + state.options.session_secs,
    )
    .await?;
    Ok(token)
}

/// Finds the session, checks the CSRF token of every POST, then runs the handler.
pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    match guard_inner(&state, req).await {
        Ok(req) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

async fn guard_inner(state: &AppState, req: Request) -> Result<Request, WebError> {
    let (mut parts, body) = req.into_parts();
    let session = match cookie(&parts.headers, SESSION_COOKIE) {
        Some(token) if !token.is_empty() => {
            let mut conn = state.service.store.conn().await?;
            queries::session_user(&mut conn, &token_hash(&token), store::now())
                .await?
                .and_then(|(user, csrf)| Session::from_row(user, csrf))
        }
        _ => None,
    };
    if parts.method != Method::POST {
        parts.extensions.insert(session);
        return Ok(Request::from_parts(parts, body));
    }
    let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| WebError::BadRequest("the form is too large".into()))?;
    let sent = form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let expected = match (&session, parts.uri.path()) {
        (Some(s), _) => Some(s.csrf.clone()),
        (None, "/login") => cookie(&parts.headers, LOGIN_CSRF_COOKIE),
        (None, path) => {
            return Err(WebError::SignIn {
                next: path.to_string(),
            })
        }
    };
    match expected {
        Some(token) if !token.is_empty() && constant_time_eq(&token, &sent) => {}
        _ => {
            tracing::warn!(path = parts.uri.path(), "CSRF token missing or wrong");
            return Err(WebError::Csrf);
        }
    }
    parts.extensions.insert(session);
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

impl FromRequestParts<AppState> for Session {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, WebError> {
        match parts.extensions.get::<Option<Session>>() {
            Some(Some(s)) => Ok(s.clone()),
            _ => Err(WebError::SignIn {
                next: parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_else(|| "/".into()),
            }),
        }
    }
}

/// The signed-in person, if any (for the sign-in page).
pub struct MaybeSession(pub Option<Session>);

impl FromRequestParts<AppState> for MaybeSession {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, WebError> {
        Ok(MaybeSession(
            parts.extensions.get::<Option<Session>>().cloned().flatten(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn cookies_and_tokens() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, "a=1; fpt_session=abc".parse().unwrap());
        assert_eq!(cookie(&h, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(random_token().len(), 64);
        assert!(constant_time_eq("abc", "abc") && !constant_time_eq("abc", "abd"));
        let c = set_cookie("n", "v", Some(5), true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.contains("Secure"));
    }
}
