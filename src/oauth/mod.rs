//! OAuth2 access tokens that look after themselves, for Microsoft 365 mailboxes (IMAP and SMTP
//! with XOAUTH2, and the Microsoft Graph channel).
//!
//! [`TokenSource`] hands out bearer tokens from the `[oauth2]` token endpoint (RFC 6749, through
//! the `oauth2` crate) with one of two grants:
//!
//! - **client credentials** (RFC 6749 §4.4): an app registration with application
//!   permissions and a client secret from `FPT_OAUTH2_CLIENT_SECRET`; for an unattended service
//!   reading a shared mailbox;
//! - **refresh token** (RFC 6749 §6) obtained once with the device authorization grant
//!   (RFC 8628, `fpt-assist oauth2 login`, see [`login`]) and kept in a file with mode 0600
//!   under the data folder. When the server rotates it, the new one is saved at once.
//!
//! A token is renewed before it expires (a fifth of its lifetime early, at most 5 minutes),
//! and once more when a server refuses it ([`TokenSource::reject`]). A refused grant
//! (`invalid_grant`, `invalid_client`, `unauthorized_client`: revoked consent, expired secret,
//! password change) is logged as an error and written to `<data_dir>/oauth2-status.json`
//! (state `needs_attention`) for `config check` and the web app; the rest of the service keeps
//! running, and the grant is tried again at most every [`RETRY_REFUSED`]. Tokens and secrets
//! are never logged.

pub mod login;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use ::oauth2::basic::{BasicClient, BasicErrorResponseType};
use ::oauth2::{
    AuthType, ClientId, ClientSecret, EndpointNotSet, EndpointSet, RefreshToken, RequestTokenError,
    Scope, TokenResponse, TokenUrl,
};
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::config::Secret;

/// The environment variable holding the client secret (client-credentials flow).
pub const CLIENT_SECRET_ENV: &str = "FPT_OAUTH2_CLIENT_SECRET";
/// The Microsoft identity platform's v2.0 endpoints, `{tenant}` replaced by `[oauth2] tenant`.
pub const MICROSOFT_AUTHORITY: &str = "https://login.microsoftonline.com";
/// After a refused grant, how long before the token endpoint is asked again.
pub const RETRY_REFUSED: Duration = Duration::from_secs(60);
/// Renewal margin cap: a token is renewed at most this long before it expires.
const MAX_MARGIN: Duration = Duration::from_secs(300);
/// Lifetime assumed when the server omits `expires_in` (RFC 6749 §5.1 makes it optional;
/// Microsoft's tokens last 60-90 minutes).
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);
/// Timeout of one request to the token endpoint.
const HTTP_TIMEOUT: Duration = Duration::from_secs(30);

/// Which grant obtains the access tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Flow {
    /// Client credentials: app-only access, secret from `FPT_OAUTH2_CLIENT_SECRET`.
    #[default]
    ClientCredentials,
    /// A refresh token from `fpt-assist oauth2 login` (device code), saved under `data_dir`.
    DeviceCode,
}

/// The `[oauth2]` settings. The client secret is never read from the file, only from
/// `FPT_OAUTH2_CLIENT_SECRET` (filled in by `Config::load`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct OAuthConfig {
    /// Microsoft Entra tenant id or domain (`example.onmicrosoft.com`); builds the endpoints
    /// `https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token` and `…/devicecode`.
    pub tenant: String,
    /// The token endpoint, instead of the one built from `tenant` (other providers, tests).
    pub token_url: Option<String>,
    /// The device authorization endpoint, instead of the one built from `tenant`.
    pub device_code_url: Option<String>,
    /// The app registration's application (client) id.
    pub client_id: String,
    /// Scopes to ask for, e.g. `["https://outlook.office365.com/.default"]`.
    pub scopes: Vec<String>,
    /// `client_credentials` (default) or `device_code`.
    pub flow: Flow,
    /// Where the refresh token is kept (device code). Default `<data_dir>/oauth2-refresh-token`.
    pub token_file: Option<PathBuf>,
    /// From `FPT_OAUTH2_CLIENT_SECRET` only.
    #[serde(skip)]
    pub client_secret: Secret,
}

impl OAuthConfig {
    /// The token endpoint URL.
    pub fn token_url(&self) -> String {
        self.token_url.clone().unwrap_or_else(|| {
            format!(
                "{MICROSOFT_AUTHORITY}/{}/oauth2/v2.0/token",
                self.tenant.trim()
            )
        })
    }

    /// The device authorization endpoint URL (RFC 8628 §3.1).
    pub fn device_code_url(&self) -> String {
        self.device_code_url.clone().unwrap_or_else(|| {
            format!(
                "{MICROSOFT_AUTHORITY}/{}/oauth2/v2.0/devicecode",
                self.tenant.trim()
            )
        })
    }

    /// The refresh-token file.
    pub fn token_file(&self, data_dir: &Path) -> PathBuf {
        self.token_file
            .clone()
            .unwrap_or_else(|| data_dir.join("oauth2-refresh-token"))
    }

    /// What stops tokens from being obtained; empty when the settings look usable.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.token_url.is_none() && self.tenant.trim().is_empty() {
            problems.push("oauth2.tenant is empty (or set oauth2.token_url)".into());
        }
        if self.client_id.trim().is_empty() {
            problems.push("oauth2.client_id is empty: the app registration's client id".into());
        }
        if self.scopes.is_empty() {
            problems.push("oauth2.scopes is empty".into());
        }
        for url in [self.token_url(), self.device_code_url()] {
            if let Err(e) = check_url(&url) {
                problems.push(format!("[oauth2]: {e}"));
            }
        }
        match self.flow {
            Flow::ClientCredentials if self.client_secret.is_empty() => problems.push(format!(
                "oauth2.flow is client_credentials but {CLIENT_SECRET_ENV} is not set"
            )),
            Flow::DeviceCode
                if !self
                    .scopes
                    .iter()
                    .any(|s| s.eq_ignore_ascii_case("offline_access")) =>
            {
                problems.push(
                    "oauth2.flow is device_code: add \"offline_access\" to oauth2.scopes, else no \
                     refresh token is issued"
                        .into(),
                )
            }
            _ => {}
        }
        problems
    }
}

/// An https URL, or http to a loopback host (tests).
pub(crate) fn check_url(url: &str) -> Result<reqwest::Url, String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("`{url}` is not a URL: {e}"))?;
    let host = parsed.host_str().unwrap_or_default();
    match parsed.scheme() {
        "https" => Ok(parsed),
        "http" if crate::mail::imap::is_loopback_host(host) => Ok(parsed),
        _ => Err(format!(
            "`{url}` must be https (plain http only to a loopback host)"
        )),
    }
}

/// Errors getting a token.
#[derive(Debug, Clone, thiserror::Error)]
pub enum OAuthError {
    /// The settings cannot work.
    #[error("[oauth2] settings: {0}; run `fpt-assist config check`")]
    Config(String),
    /// Device-code flow but nobody signed in yet.
    #[error("no OAuth2 refresh token in {0}: run `fpt-assist oauth2 login` once")]
    NotLoggedIn(PathBuf),
    /// The server refused the grant: an administrator must act.
    #[error("the OAuth2 grant was refused by the token endpoint ({detail}); {action}")]
    Refused {
        /// The server's error code and description.
        detail: String,
        /// What to do about it.
        action: String,
    },
    /// The token endpoint could not be reached or answered nonsense: try again later.
    #[error("cannot get an OAuth2 token from {url}: {detail}; will try again")]
    Unavailable {
        /// The token endpoint.
        url: String,
        /// What happened.
        detail: String,
    },
    /// The refresh-token or status file could not be read or written.
    #[error("{path}: {detail}")]
    File {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        detail: String,
    },
}

impl OAuthError {
    /// Whether an administrator must act (refused grant, missing login, bad settings), as
    /// opposed to a passing network problem.
    pub fn needs_attention(&self) -> bool {
        !matches!(self, OAuthError::Unavailable { .. })
    }
}

/// A bearer access token and when it expires. `Debug` hides the token.
#[derive(Clone, PartialEq, Eq)]
pub struct Bearer {
    secret: String,
    /// When the token stops working (the server's `expires_in` from when it was issued).
    pub expires_at: Instant,
}

impl Bearer {
    /// The token itself, for an `Authorization` header or a SASL exchange. Never log it.
    pub fn secret(&self) -> &str {
        &self.secret
    }
}

impl fmt::Debug for Bearer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bearer")
            .field("secret", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// What `<data_dir>/oauth2-status.json` says: the last outcome of asking for a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantStatus {
    /// `ok` or `needs_attention`.
    pub state: String,
    /// For `needs_attention`: what went wrong and what to do. Never a token.
    pub detail: String,
    /// Unix seconds.
    pub at: i64,
}

impl GrantStatus {
    /// Whether an administrator must act.
    pub fn needs_attention(&self) -> bool {
        self.state == "needs_attention"
    }
}

/// The status file in `data_dir`.
pub fn status_path(data_dir: &Path) -> PathBuf {
    data_dir.join("oauth2-status.json")
}

/// The last recorded grant status, if any (written by `serve`, `config check`, `oauth2 login`).
pub fn read_status(data_dir: &Path) -> Option<GrantStatus> {
    let text = std::fs::read_to_string(status_path(data_dir)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Writes `bytes` to `path` through a temporary file with mode 0600, fsynced, then renamed.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> Result<(), OAuthError> {
    use std::io::Write;
    let err = |e: std::io::Error| OAuthError::File {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(err)?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp).map_err(err)?;
    file.write_all(bytes).map_err(err)?;
    file.sync_all().map_err(err)?;
    drop(file);
    std::fs::rename(&tmp, path).map_err(err)
}

/// Saves a refresh token (mode 0600).
pub fn save_refresh_token(path: &Path, token: &str) -> Result<(), OAuthError> {
    write_private(path, format!("{}\n", token.trim()).as_bytes())
}

fn load_refresh_token(path: &Path) -> Result<String, OAuthError> {
    match std::fs::read_to_string(path) {
        Ok(text) if !text.trim().is_empty() => Ok(text.trim().to_string()),
        Ok(_) => Err(OAuthError::NotLoggedIn(path.to_path_buf())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(OAuthError::NotLoggedIn(path.to_path_buf()))
        }
        Err(e) => Err(OAuthError::File {
            path: path.to_path_buf(),
            detail: e.to_string(),
        }),
    }
}

pub(crate) type TokenClient =
    BasicClient<EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

/// The HTTP client for the token endpoint: no redirects (the `oauth2` crate's advice against
/// SSRF), a timeout, rustls.
pub(crate) fn http_client() -> Result<reqwest::Client, OAuthError> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(HTTP_TIMEOUT)
        .build()
        .map_err(|e| OAuthError::Config(format!("cannot build the HTTP client: {e}")))
}

pub(crate) fn token_client(config: &OAuthConfig) -> Result<TokenClient, OAuthError> {
    let url = config.token_url();
    check_url(&url).map_err(OAuthError::Config)?;
    let token_url = TokenUrl::new(url).map_err(|e| OAuthError::Config(e.to_string()))?;
    let mut client = BasicClient::new(ClientId::new(config.client_id.trim().to_string()))
        .set_auth_type(AuthType::RequestBody)
        .set_token_uri(token_url);
    if !config.client_secret.is_empty() {
        client =
            client.set_client_secret(ClientSecret::new(config.client_secret.expose().to_string()));
    }
    Ok(client)
}

/// Turns the `oauth2` crate's error into ours; refused grants become [`OAuthError::Refused`].
pub(crate) fn classify<RE: std::error::Error + 'static>(
    url: &str,
    flow: Flow,
    e: RequestTokenError<RE, ::oauth2::StandardErrorResponse<BasicErrorResponseType>>,
) -> OAuthError {
    match e {
        RequestTokenError::ServerResponse(resp) => {
            let code = resp.error().clone();
            let detail = match resp.error_description() {
                Some(d) => format!("{code}: {}", d.lines().next().unwrap_or_default()),
                None => code.to_string(),
            };
            let action = match (&code, flow) {
                (BasicErrorResponseType::InvalidClient, Flow::ClientCredentials) => format!(
                    "the client secret was refused: create a new one in the app registration \
                     and set {CLIENT_SECRET_ENV}"
                ),
                (_, Flow::DeviceCode) => "an administrator must sign in again with \
                     `fpt-assist oauth2 login`"
                    .to_string(),
                _ => "check the app registration's permissions and admin consent".to_string(),
            };
            match code {
                BasicErrorResponseType::InvalidGrant
                | BasicErrorResponseType::InvalidClient
                | BasicErrorResponseType::UnauthorizedClient
                | BasicErrorResponseType::InvalidScope
                | BasicErrorResponseType::UnsupportedGrantType => {
                    OAuthError::Refused { detail, action }
                }
                _ => OAuthError::Unavailable {
                    url: url.to_string(),
                    detail,
                },
            }
        }
        RequestTokenError::Request(e) => OAuthError::Unavailable {
            url: url.to_string(),
            detail: error_chain(&e),
        },
        RequestTokenError::Parse(e, _) => OAuthError::Unavailable {
            url: url.to_string(),
            detail: format!("unreadable answer: {e}"),
        },
        RequestTokenError::Other(detail) => OAuthError::Unavailable {
            url: url.to_string(),
            detail,
        },
    }
}

fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

/// Renew this long before expiry: a fifth of the lifetime, at most [`MAX_MARGIN`].
fn margin(lifetime: Duration) -> Duration {
    (lifetime / 5).min(MAX_MARGIN)
}

#[derive(Default)]
struct Cached {
    bearer: Option<Bearer>,
    lifetime: Duration,
    /// The last refused grant and when it was refused.
    refused: Option<(OAuthError, Instant)>,
}

/// Hands out access tokens, renewing them as needed; share one per process (`Arc`).
pub struct TokenSource {
    config: OAuthConfig,
    data_dir: PathBuf,
    http: reqwest::Client,
    client: TokenClient,
    state: Mutex<Cached>,
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSource")
            .field("token_url", &self.config.token_url())
            .field("flow", &self.config.flow)
            .finish_non_exhaustive()
    }
}

impl TokenSource {
    /// From the `[oauth2]` settings; `data_dir` holds the refresh token and the status file.
    /// Nothing is requested until the first [`TokenSource::access_token`].
    pub fn new(config: &OAuthConfig, data_dir: &Path) -> Result<Arc<Self>, OAuthError> {
        Ok(Arc::new(TokenSource {
            client: token_client(config)?,
            http: http_client()?,
            config: config.clone(),
            data_dir: data_dir.to_path_buf(),
            state: Mutex::new(Cached::default()),
        }))
    }

    /// A token valid for a while yet: the cached one, or a new one from the token endpoint.
    /// While the endpoint is unreachable a cached token that has not expired is still
    /// returned. After a refused grant, errors for [`RETRY_REFUSED`] without asking again.
    pub async fn access_token(&self) -> Result<Bearer, OAuthError> {
        let mut state = self.state.lock().await;
        let now = Instant::now();
        if let Some(b) = &state.bearer {
            if now + margin(state.lifetime) < b.expires_at {
                return Ok(b.clone());
            }
        }
        if let Some((e, at)) = &state.refused {
            if now < *at + RETRY_REFUSED {
                return Err(e.clone());
            }
        }
        match self.fetch().await {
            Ok((bearer, lifetime)) => {
                if state.refused.take().is_some() {
                    tracing::info!("OAuth2 grant works again");
                }
                tracing::debug!(lifetime_secs = lifetime.as_secs(), "OAuth2 token renewed");
                state.bearer = Some(bearer.clone());
                state.lifetime = lifetime;
                self.record(None);
                Ok(bearer)
            }
            Err(e) if e.needs_attention() => {
                tracing::error!("OAuth2 needs attention: {e}");
                self.record(Some(&e));
                state.bearer = None;
                state.refused = Some((e.clone(), now));
                Err(e)
            }
            Err(e) => match &state.bearer {
                Some(b) if now < b.expires_at => {
                    tracing::warn!("{e}; using the current token until it expires");
                    Ok(b.clone())
                }
                _ => {
                    tracing::warn!("{e}");
                    Err(e)
                }
            },
        }
    }

    /// A server refused `token` (IMAP/SMTP authentication failed, HTTP 401): it is dropped, so
    /// the next [`TokenSource::access_token`] asks for a new one.
    pub async fn reject(&self, token: &Bearer) {
        let mut state = self.state.lock().await;
        if state.bearer.as_ref() == Some(token) {
            tracing::info!("a server refused the OAuth2 access token; renewing it");
            state.bearer = None;
        }
    }

    /// The settings this source uses.
    pub fn config(&self) -> &OAuthConfig {
        &self.config
    }

    /// The folder with the refresh token and the status file.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    async fn fetch(&self) -> Result<(Bearer, Duration), OAuthError> {
        let url = self.config.token_url();
        let scopes = self.config.scopes.iter().map(|s| Scope::new(s.clone()));
        let (response, refresh_file) = match self.config.flow {
            Flow::ClientCredentials => {
                if self.config.client_secret.is_empty() {
                    return Err(OAuthError::Config(format!(
                        "flow client_credentials needs {CLIENT_SECRET_ENV}"
                    )));
                }
                let r = self
                    .client
                    .exchange_client_credentials()
                    .add_scopes(scopes)
                    .request_async(&self.http)
                    .await
                    .map_err(|e| classify(&url, self.config.flow, e))?;
                (r, None)
            }
            Flow::DeviceCode => {
                let file = self.config.token_file(&self.data_dir);
                let refresh = RefreshToken::new(load_refresh_token(&file)?);
                let r = self
                    .client
                    .exchange_refresh_token(&refresh)
                    .add_scopes(scopes)
                    .request_async(&self.http)
                    .await
                    .map_err(|e| classify(&url, self.config.flow, e))?;
                (r, Some((file, refresh)))
            }
        };
        if let (Some((file, old)), Some(new)) = (refresh_file, response.refresh_token()) {
            if new.secret() != old.secret() {
                // the access token is good either way: a failed save must not stop the service
                match save_refresh_token(&file, new.secret()) {
                    Ok(()) => {
                        tracing::info!(file = %file.display(), "saved the rotated OAuth2 refresh token")
                    }
                    Err(e) => tracing::error!(
                        "cannot save the rotated OAuth2 refresh token ({e}); make the folder \
                         writable, or sign in again with `fpt-assist oauth2 login` if the old \
                         token stops working"
                    ),
                }
            }
        }
        let lifetime = response.expires_in().unwrap_or(DEFAULT_LIFETIME);
        Ok((
            Bearer {
                secret: response.access_token().secret().clone(),
                expires_at: Instant::now() + lifetime,
            },
            lifetime,
        ))
    }

    /// Writes the status file when the state changes (best effort: a read-only data folder
    /// must not stop the service).
    fn record(&self, error: Option<&OAuthError>) {
        let status = GrantStatus {
            state: if error.is_some() {
                "needs_attention".into()
            } else {
                "ok".into()
            },
            detail: error.map(ToString::to_string).unwrap_or_default(),
            at: crate::store::now(),
        };
        let previous = read_status(&self.data_dir);
        if previous
            .as_ref()
            .is_some_and(|p| p.state == status.state && p.detail == status.detail)
        {
            return;
        }
        record_status(&self.data_dir, &status);
    }
}

/// Writes `<data_dir>/oauth2-status.json` (best effort, logged on failure).
pub fn record_status(data_dir: &Path, status: &GrantStatus) {
    let json = serde_json::to_vec_pretty(status).unwrap_or_default();
    if let Err(e) = write_private(&status_path(data_dir), &json) {
        tracing::warn!("cannot record the OAuth2 status: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_come_from_the_tenant_and_must_be_https() {
        let c = OAuthConfig {
            tenant: "example.onmicrosoft.com".into(),
            client_id: "id".into(),
            scopes: vec!["https://outlook.office365.com/.default".into()],
            client_secret: Secret("s".into()),
            ..OAuthConfig::default()
        };
        assert_eq!(
            c.token_url(),
            "https://login.microsoftonline.com/example.onmicrosoft.com/oauth2/v2.0/token"
        );
        assert!(c.problems().is_empty(), "{:?}", c.problems());
        let mut plain = c.clone();
        plain.token_url = Some("http://login.example.org/token".into());
        assert!(plain.problems().join(" ").contains("https"));
        plain.token_url = Some("http://127.0.0.1:9/token".into());
        assert!(plain.problems().is_empty(), "{:?}", plain.problems());
    }

    #[test]
    fn each_flow_says_what_it_lacks() {
        let c = OAuthConfig {
            tenant: "t".into(),
            client_id: "id".into(),
            scopes: vec!["x".into()],
            ..OAuthConfig::default()
        };
        assert!(c.problems().join(" ").contains(CLIENT_SECRET_ENV));
        let d = OAuthConfig {
            flow: Flow::DeviceCode,
            ..c
        };
        assert!(d.problems().join(" ").contains("offline_access"));
    }

    #[test]
    fn renewal_margin_scales_and_is_capped() {
        assert_eq!(margin(Duration::from_secs(3600)), MAX_MARGIN);
        assert_eq!(margin(Duration::from_secs(10)), Duration::from_secs(2));
    }

    #[test]
    fn refresh_token_file_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("var/rt");
        save_refresh_token(&path, "abc").unwrap();
        assert_eq!(load_refresh_token(&path).unwrap(), "abc");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(matches!(
            load_refresh_token(&dir.path().join("none")),
            Err(OAuthError::NotLoggedIn(_))
        ));
    }

    #[test]
    fn bearer_debug_hides_the_token() {
        let b = Bearer {
            secret: "eyJsecret".into(),
            expires_at: Instant::now(),
        };
        assert!(!format!("{b:?}").contains("eyJsecret"));
    }
}
