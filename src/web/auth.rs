//! Accounts and sessions: argon2 password hashes, random session tokens (only their SHA-256
//! is stored), per-session CSRF tokens, the sign-in rate limit and the role checks.
//!
//! `guard` runs before every page: it finds the session from the cookie and, for every POST,
//! compares the form's `csrf` field with the session's token (or, on the sign-in form, with
//! the pre-session `fpt_csrf` cookie) before the handler runs. Handlers then take `Session`,
//! which redirects anonymous requests to `/login`.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
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
/// Failed sign-ins checked per name and client address in `LOCKOUT_SECS` before delays start.
pub const MAX_FAILURES: i64 = 5;
/// The window failures are counted in, in seconds; also the longest delay.
pub const LOCKOUT_SECS: i64 = 15 * 60;
/// The first delay after `MAX_FAILURES` failures, in seconds; it doubles with each further
/// failure, up to `LOCKOUT_SECS`.
pub const FIRST_DELAY_SECS: i64 = 30;
/// Passwords checked at once (argon2id with the default parameters uses 19 MiB each, RFC 9106
/// §4 / OWASP's second recommendation); more wait up to `HASH_WAIT` and then get 503.
pub const MAX_CONCURRENT_HASHES: usize = 2;
/// How long a sign-in waits for a free password check before 503.
pub const HASH_WAIT: std::time::Duration = std::time::Duration::from_secs(10);
/// The largest argon2 memory cost (KiB) a stored hash may ask for; larger ones never match.
const MAX_M_COST_KIB: u32 = 256 * 1024;
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

/// [`verify_password`] with caller-owned argon2 memory (`blocks`, grown when the hash needs
/// more), so that repeated checks reuse the same memory instead of leaving each thread's
/// allocator holding its own copy.
pub fn verify_password_in(password: &str, hash: &str, blocks: &mut Vec<Block>) -> bool {
    let Ok(h) = PasswordHash::new(hash) else {
        return false;
    };
    let (Ok(algorithm), Ok(params)) = (Algorithm::try_from(h.algorithm), Params::try_from(&h))
    else {
        return false;
    };
    let version = match h.version.map(Version::try_from).transpose() {
        Ok(v) => v.unwrap_or_default(),
        Err(_) => return false,
    };
    let (Some(salt), Some(expected)) = (h.salt, h.hash) else {
        return false;
    };
    if params.m_cost() > MAX_M_COST_KIB {
        return false;
    }
    let mut salt_buf = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_buf) else {
        return false;
    };
    if blocks.len() < params.block_count() {
        blocks.resize(params.block_count(), Block::default());
    }
    let mut out = vec![0u8; expected.len()];
    let argon = Argon2::new(algorithm, version, params.clone());
    argon
        .hash_password_into_with_memory(
            password.as_bytes(),
            salt,
            &mut out,
            &mut blocks[..params.block_count()],
        )
        .is_ok()
        && constant_time_eq_bytes(&out, expected.as_bytes())
}

fn constant_time_eq_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks passwords off the async threads, at most [`MAX_CONCURRENT_HASHES`] at once, each
/// with one of a fixed set of reused memory buffers: memory stays bounded (about 19 MiB per
/// permit) whatever the burst. An unknown or disabled name is checked against a dummy hash
/// with the same parameters, so its answer takes as long as a known name's.
pub struct PasswordChecker {
    permits: std::sync::Arc<tokio::sync::Semaphore>,
    buffers: std::sync::Arc<std::sync::Mutex<Vec<Vec<Block>>>>,
    dummy: std::sync::Arc<std::sync::OnceLock<String>>,
}

impl Default for PasswordChecker {
    fn default() -> Self {
        PasswordChecker {
            permits: std::sync::Arc::new(tokio::sync::Semaphore::new(MAX_CONCURRENT_HASHES)),
            buffers: Default::default(),
            dummy: Default::default(),
        }
    }
}

impl PasswordChecker {
    /// Whether `password` matches `hash` (`None`: an unknown or disabled account, checked
    /// against the dummy hash and never matching). [`WebError::Busy`] when no check was free
    /// within [`HASH_WAIT`].
    pub async fn check(&self, password: String, hash: Option<String>) -> Result<bool, WebError> {
        let permit = tokio::time::timeout(HASH_WAIT, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| WebError::Busy)?
            .map_err(|_| WebError::Busy)?;
        let buffers = self.buffers.clone();
        let dummy = self.dummy.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let mut blocks = buffers
                .lock()
                .map(|mut b| b.pop())
                .ok()
                .flatten()
                .unwrap_or_default();
            let ok = match &hash {
                Some(h) => verify_password_in(&password, h, &mut blocks),
                None => {
                    let dummy = dummy.get_or_init(|| {
                        hash_password(&random_token()).unwrap_or_else(|_| String::new())
                    });
                    verify_password_in(&password, dummy, &mut blocks);
                    false
                }
            };
            if let Ok(mut b) = buffers.lock() {
                b.push(blocks);
            }
            ok
        })
        .await
        .map_err(|e| WebError::Internal(format!("password check stopped: {e}")))
    }
}

/// The sign-in limit, per name and client address: whether a password may be checked now,
/// given `failures` failed checks in the last [`LOCKOUT_SECS`] (counting this attempt's own
/// reservation) and `since_last` seconds since the previous failure. Up to [`MAX_FAILURES`]
/// are checked at once; after that each further check must wait [`FIRST_DELAY_SECS`],
/// doubling per failure, at most [`LOCKOUT_SECS`]: an attacker is slowed down, the real user
/// waits minutes at worst, never hours.
pub fn may_check(failures: i64, since_last: i64) -> bool {
    if failures <= MAX_FAILURES {
        return true;
    }
    let excess = u32::try_from(failures - MAX_FAILURES - 1).unwrap_or(u32::MAX);
    let delay = FIRST_DELAY_SECS
        .saturating_mul(2i64.saturating_pow(excess.min(20)))
        .min(LOCKOUT_SECS);
    since_last >= delay
}

/// The client's address: the peer, or — when the peer is one of `trusted_proxies` — the
/// right-most `X-Forwarded-For` entry that is not itself a trusted proxy (entries left of it
/// could be forged by the client). An unreadable header falls back to the peer.
pub fn client_ip(
    peer: std::net::IpAddr,
    headers: &HeaderMap,
    trusted_proxies: &[std::net::IpAddr],
) -> std::net::IpAddr {
    if !trusted_proxies.contains(&peer) {
        return peer;
    }
    let hops: Vec<std::net::IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .map(|s| s.parse::<std::net::IpAddr>())
        .collect::<Result<_, _>>()
        .unwrap_or_default();
    hops.into_iter()
        .rev()
        .find(|ip| !trusted_proxies.contains(ip))
        .unwrap_or(peer)
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
    fn reused_memory_verifies_like_the_library() {
        let h = hash_password("correct horse").unwrap();
        let mut blocks = Vec::new();
        assert!(verify_password_in("correct horse", &h, &mut blocks));
        assert!(!verify_password_in("correct hors", &h, &mut blocks));
        assert!(!verify_password_in("x", "not a hash", &mut blocks));
    }

    #[test]
    fn the_limit_slows_down_without_locking_out() {
        assert!(may_check(MAX_FAILURES, 0));
        assert!(!may_check(MAX_FAILURES + 1, 0));
        assert!(may_check(MAX_FAILURES + 1, FIRST_DELAY_SECS));
        assert!(!may_check(MAX_FAILURES + 2, FIRST_DELAY_SECS));
        assert!(may_check(MAX_FAILURES + 2, 2 * FIRST_DELAY_SECS));
        // never longer than the window
        assert!(may_check(MAX_FAILURES + 40, LOCKOUT_SECS));
    }

    #[test]
    fn forwarded_for_counts_only_behind_a_trusted_proxy() {
        let proxy: std::net::IpAddr = "127.0.0.1".parse().unwrap();
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "10.9.9.9, 192.0.2.7".parse().unwrap());
        assert_eq!(client_ip(proxy, &h, &[proxy]).to_string(), "192.0.2.7");
        assert_eq!(client_ip(proxy, &h, &[]), proxy);
        h.insert("x-forwarded-for", "garbage".parse().unwrap());
        assert_eq!(client_ip(proxy, &h, &[proxy]), proxy);
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
