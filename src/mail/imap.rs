//! IMAP mailbox source: reads the FPT mailbox for new enquiries.
//!
//! [`ImapSource`] wraps one authenticated `async-imap` session (over TLS with rustls/ring and
//! the Mozilla root store from `webpki-roots`; plain TCP only to loopback hosts, for tests).
//! The serve loop uses it like this:
//!
//! ```no_run
//! # use fpt_assist::mail::imap::{Backoff, ImapConfig, ImapSource, ImapError};
//! # use std::time::Duration;
//! # async fn serve(config: ImapConfig, mut last_uid: u32) -> Result<(), ImapError> {
//! let mut backoff = Backoff::new();
//! loop {
//!     // Reconnects with 1 s .. 60 s backoff while the server is unreachable.
//!     let (mut source, _uidvalidity) =
//!         fpt_assist::mail::imap::connect_with_backoff(&config, &mut backoff).await?;
//!     let result: Result<(), ImapError> = async {
//!         loop {
//!             for msg in source.fetch_since(last_uid).await? {
//!                 // ... parse and handle msg.raw ...
//!                 source.mark_processed(msg.uid).await?;
//!                 last_uid = msg.uid;
//!             }
//!             source.wait_for_new(Duration::from_secs(300)).await?;
//!         }
//!     }
//!     .await;
//!     match result {
//!         Err(e) if e.is_connection_lost() => continue, // reconnect
//!         other => return other,
//!     }
//! }
//! # }
//! ```
//!
//! Fetching uses `BODY.PEEK[]`, so nothing is marked `\Seen` until [`ImapSource::mark_processed`].
//! The caller must compare the UIDVALIDITY returned by [`ImapSource::select`] with the stored
//! one: when it changes, stored UIDs are meaningless and `last_uid` must restart from 0.

use std::fmt;
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use async_imap::error::Error as RawImapError;
use async_imap::extensions::idle::IdleResponse;
use async_imap::imap_proto::{MailboxDatum, Response};
use async_imap::types::{Flag, UnsolicitedResponse};
use futures_util::TryStreamExt;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::{timeout, Instant};
use tokio_rustls::client::TlsStream;
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::ServerName;
use tokio_rustls::TlsConnector;

/// How long to wait for TCP connect + TLS handshake + greeting.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// Upper bound for one IMAP command (a stalled network otherwise hangs forever).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(120);

/// How to authenticate to the IMAP server.
#[derive(Clone, PartialEq, Eq)]
pub enum ImapAuth {
    /// `LOGIN username password`.
    Password(String),
    /// `AUTHENTICATE XOAUTH2` with an OAuth2 access token (Gmail, Microsoft 365).
    XOAuth2 {
        /// The bearer access token.
        token: String,
    },
}

impl fmt::Debug for ImapAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImapAuth::Password(_) => f.write_str("Password(<redacted>)"),
            ImapAuth::XOAuth2 { .. } => f.write_str("XOAuth2 { token: <redacted> }"),
        }
    }
}

/// The `[imap]` settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImapConfig {
    /// Server host name (also the TLS server name).
    pub host: String,
    /// Server port, usually 993 (implicit TLS).
    pub port: u16,
    /// Implicit TLS. `false` is only accepted for loopback hosts (tests).
    pub tls: bool,
    /// Login name.
    pub username: String,
    /// Password or OAuth2 token.
    pub auth: ImapAuth,
    /// Mailbox to read, normally `INBOX`.
    pub mailbox: String,
    /// When set, processed messages are moved here instead of only being flagged `\Seen`.
    pub processed_folder: Option<String>,
}

impl ImapConfig {
    /// A config with the defaults: TLS on, mailbox `INBOX`, no processed folder.
    pub fn new(
        host: impl Into<String>,
        port: u16,
        username: impl Into<String>,
        auth: ImapAuth,
    ) -> Self {
        ImapConfig {
            host: host.into(),
            port,
            tls: true,
            username: username.into(),
            auth,
            mailbox: default_mailbox(),
            processed_folder: None,
        }
    }
}

/// The default mailbox name, `INBOX` (for serde defaults in the config loader).
pub fn default_mailbox() -> String {
    "INBOX".to_string()
}

/// One message fetched from the mailbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedMessage {
    /// The message UID (valid together with the mailbox's UIDVALIDITY).
    pub uid: u32,
    /// The full RFC 5322 message as stored on the server.
    pub raw: Vec<u8>,
    /// Whether the message already carried `\Seen` when fetched (e.g. a human read it).
    pub seen: bool,
}

/// Errors from the IMAP source. [`ImapError::is_connection_lost`] tells the caller to reconnect.
#[derive(Debug, thiserror::Error)]
pub enum ImapError {
    /// TCP connect failed or timed out.
    #[error("cannot connect to {host}:{port}: {source}; check [imap] host/port")]
    Connect {
        /// Configured host.
        host: String,
        /// Configured port.
        port: u16,
        /// Underlying error.
        #[source]
        source: io::Error,
    },
    /// TLS handshake failed (wrong port, certificate problem).
    #[error("TLS handshake with {host}:{port} failed: {source}; check [imap] host/port/tls")]
    Tls {
        /// Configured host.
        host: String,
        /// Configured port.
        port: u16,
        /// Underlying error.
        #[source]
        source: io::Error,
    },
    /// The host is not a valid TLS server name.
    #[error("invalid [imap] host {host:?}: {reason}")]
    InvalidHost {
        /// Configured host.
        host: String,
        /// Why it is invalid.
        reason: String,
    },
    /// `tls = false` for a non-loopback host.
    #[error(
        "refusing plain-text IMAP to {host}: tls = false is only allowed for loopback hosts; \
         set [imap] tls = true"
    )]
    InsecureNotAllowed {
        /// Configured host.
        host: String,
    },
    /// The server did not greet with `* OK`.
    #[error("{host}:{port} did not send an IMAP greeting ({detail}); check [imap] host/port/tls")]
    Greeting {
        /// Configured host.
        host: String,
        /// Configured port.
        port: u16,
        /// What was received instead.
        detail: String,
    },
    /// LOGIN / AUTHENTICATE was refused.
    #[error(
        "IMAP login as {username:?} on {host} failed: {detail}; check [imap] username and \
         password/token"
    )]
    Auth {
        /// Configured host.
        host: String,
        /// Configured user.
        username: String,
        /// Server's answer.
        detail: String,
    },
    /// SELECT failed.
    #[error("cannot select IMAP mailbox {mailbox:?}: {detail}; check [imap] mailbox")]
    Mailbox {
        /// Configured mailbox.
        mailbox: String,
        /// Server's answer.
        detail: String,
    },
    /// The connection broke (EOF, reset, BYE) or a command timed out: reconnect.
    #[error("IMAP connection to {host} lost during {op}: {detail}")]
    ConnectionLost {
        /// Configured host.
        host: String,
        /// The operation in progress.
        op: &'static str,
        /// What happened.
        detail: String,
    },
    /// The server refused a command (NO/BAD) or answered something unexpected.
    #[error("IMAP server {host} refused {op}: {detail}")]
    Command {
        /// Configured host.
        host: String,
        /// The operation.
        op: &'static str,
        /// Server's answer.
        detail: String,
    },
    /// A mailbox operation was called before [`ImapSource::select`].
    #[error("IMAP {op} called before select()")]
    NotSelected {
        /// The operation.
        op: &'static str,
    },
}

impl ImapError {
    /// True when the network connection is gone or was never established (connect refused,
    /// reset, EOF, timeout): the caller should reconnect with [`Backoff`]. Authentication,
    /// configuration and mailbox errors are not retried this way.
    pub fn is_connection_lost(&self) -> bool {
        matches!(
            self,
            ImapError::Connect { .. } | ImapError::ConnectionLost { .. }
        )
    }
}

/// Exponential backoff for reconnects: 1 s, 2 s, 4 s, ... capped at 60 s.
#[derive(Debug, Clone)]
pub struct Backoff {
    initial: Duration,
    max: Duration,
    next: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self::new()
    }
}

impl Backoff {
    /// 1 s doubling to 60 s.
    pub fn new() -> Self {
        Self::with_limits(Duration::from_secs(1), Duration::from_secs(60))
    }

    /// Custom limits (tests use milliseconds).
    pub fn with_limits(initial: Duration, max: Duration) -> Self {
        Backoff {
            initial,
            max,
            next: initial,
        }
    }

    /// The delay to wait now; the following one is doubled (up to the maximum).
    pub fn next_delay(&mut self) -> Duration {
        let delay = self.next;
        self.next = self.next.saturating_mul(2).min(self.max);
        delay
    }

    /// Sleep for [`Backoff::next_delay`].
    pub async fn wait(&mut self) {
        let delay = self.next_delay();
        tokio::time::sleep(delay).await;
    }

    /// Back to the initial delay (call after a successful connect).
    pub fn reset(&mut self) {
        self.next = self.initial;
    }
}

/// Connect and select, retrying with `backoff` while [`ImapError::is_connection_lost`];
/// other errors (bad password, missing mailbox, TLS) are returned at once. Resets `backoff`
/// on success. Returns the source and the mailbox UIDVALIDITY.
pub async fn connect_with_backoff(
    config: &ImapConfig,
    backoff: &mut Backoff,
) -> Result<(ImapSource, u32), ImapError> {
    loop {
        let attempt = async {
            let mut source = ImapSource::connect(config).await?;
            let uidvalidity = source.select().await?;
            Ok::<_, ImapError>((source, uidvalidity))
        }
        .await;
        match attempt {
            Ok(ok) => {
                backoff.reset();
                return Ok(ok);
            }
            Err(e) if e.is_connection_lost() => {
                let delay = backoff.next_delay();
                tracing::warn!(error = %e, retry_in = ?delay, "IMAP unavailable, retrying");
                tokio::time::sleep(delay).await;
            }
            Err(e) => return Err(e),
        }
    }
}

/// The transport under the IMAP session: TLS, or plain TCP to loopback.
#[derive(Debug)]
pub enum ImapStream {
    /// Plain TCP (loopback only).
    Plain(TcpStream),
    /// Implicit TLS.
    Tls(Box<TlsStream<TcpStream>>),
}

impl AsyncRead for ImapStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            ImapStream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            ImapStream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for ImapStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            ImapStream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            ImapStream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            ImapStream::Plain(s) => Pin::new(s).poll_flush(cx),
            ImapStream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            ImapStream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            ImapStream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

type Session = async_imap::Session<ImapStream>;

/// Empties an unsolicited-response receiver; true if it announced new messages (EXISTS/RECENT).
macro_rules! announces_new {
    ($rx:expr) => {{
        let mut seen = false;
        while let Ok(r) = $rx.try_recv() {
            seen |= matches!(
                r,
                UnsolicitedResponse::Exists(_) | UnsolicitedResponse::Recent(_)
            );
        }
        seen
    }};
}

/// SASL XOAUTH2: the first (empty) challenge gets the token; an error challenge gets an empty
/// response so the server finishes with NO.
struct XOAuth2 {
    response: Option<String>,
}

impl async_imap::Authenticator for XOAuth2 {
    type Response = String;

    fn process(&mut self, _challenge: &[u8]) -> String {
        self.response.take().unwrap_or_default()
    }
}

/// An authenticated IMAP connection to the configured mailbox.
pub struct ImapSource {
    host: String,
    mailbox: String,
    processed_folder: Option<String>,
    /// `None` once the connection is known to be broken (or during IDLE).
    session: Option<Session>,
    selected: bool,
    has_idle: bool,
    has_move: bool,
    caps_move: bool,
    has_uidplus: bool,
    use_idle: bool,
}

impl fmt::Debug for ImapSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImapSource")
            .field("host", &self.host)
            .field("mailbox", &self.mailbox)
            .field("connected", &self.session.is_some())
            .field("selected", &self.selected)
            .field("idle", &self.has_idle)
            .field("move", &self.has_move)
            .finish()
    }
}

/// Whether `host` names the local machine (plain TCP is allowed only then).
pub fn is_loopback_host(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    if h.eq_ignore_ascii_case("localhost") {
        return true;
    }
    h.parse::<IpAddr>()
        .map(|ip| ip.is_loopback())
        .unwrap_or(false)
}

fn tls_connector() -> Result<TlsConnector, rustls::Error> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(TlsConnector::from(Arc::new(config)))
}

/// Whether an async-imap error means the connection is unusable.
fn is_fatal(e: &RawImapError) -> bool {
    matches!(e, RawImapError::Io(_) | RawImapError::ConnectionLost)
}

impl ImapSource {
    /// Connect (TLS unless loopback with `tls = false`), read the greeting, log in and read
    /// the server capabilities. Does not select the mailbox: call [`ImapSource::select`].
    pub async fn connect(config: &ImapConfig) -> Result<ImapSource, ImapError> {
        let host = config.host.clone();
        let port = config.port;
        if !config.tls && !is_loopback_host(&host) {
            return Err(ImapError::InsecureNotAllowed { host });
        }
        let connect = async {
            let tcp = TcpStream::connect((host.as_str(), port))
                .await
                .map_err(|source| ImapError::Connect {
                    host: host.clone(),
                    port,
                    source,
                })?;
            let stream = if config.tls {
                let name =
                    ServerName::try_from(host.clone()).map_err(|e| ImapError::InvalidHost {
                        host: host.clone(),
                        reason: e.to_string(),
                    })?;
                let connector = tls_connector().map_err(|e| ImapError::Tls {
                    host: host.clone(),
                    port,
                    source: io::Error::other(e),
                })?;
                let tls = connector
                    .connect(name, tcp)
                    .await
                    .map_err(|source| ImapError::Tls {
                        host: host.clone(),
                        port,
                        source,
                    })?;
                ImapStream::Tls(Box::new(tls))
            } else {
                ImapStream::Plain(tcp)
            };
            let mut client = async_imap::Client::new(stream);
            match client.read_response().await {
                Ok(Some(greeting)) => match greeting.parsed() {
                    Response::Data {
                        status: async_imap::imap_proto::Status::Ok,
                        ..
                    } => Ok(client),
                    other => Err(ImapError::Greeting {
                        host: host.clone(),
                        port,
                        detail: format!("{other:?}"),
                    }),
                },
                Ok(None) => Err(ImapError::Connect {
                    host: host.clone(),
                    port,
                    source: io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "connection closed before the greeting",
                    ),
                }),
                Err(source) => Err(ImapError::Connect {
                    host: host.clone(),
                    port,
                    source,
                }),
            }
        };
        let client =
            timeout(CONNECT_TIMEOUT, connect)
                .await
                .map_err(|_| ImapError::Connect {
                    host: host.clone(),
                    port,
                    source: io::Error::new(
                        io::ErrorKind::TimedOut,
                        format!("no answer within {}s", CONNECT_TIMEOUT.as_secs()),
                    ),
                })??;

        let auth_error = |e: RawImapError| -> ImapError {
            if is_fatal(&e) {
                ImapError::ConnectionLost {
                    host: host.clone(),
                    op: "login",
                    detail: e.to_string(),
                }
            } else {
                ImapError::Auth {
                    host: host.clone(),
                    username: config.username.clone(),
                    detail: e.to_string(),
                }
            }
        };
        let login = async {
            match &config.auth {
                ImapAuth::Password(password) => client
                    .login(&config.username, password)
                    .await
                    .map_err(|(e, _)| auth_error(e)),
                ImapAuth::XOAuth2 { token } => {
                    let sasl = format!("user={}\x01auth=Bearer {}\x01\x01", config.username, token);
                    client
                        .authenticate(
                            "XOAUTH2",
                            XOAuth2 {
                                response: Some(sasl),
                            },
                        )
                        .await
                        .map_err(|(e, _)| auth_error(e))
                }
            }
        };
        let session =
            timeout(COMMAND_TIMEOUT, login)
                .await
                .map_err(|_| ImapError::ConnectionLost {
                    host: host.clone(),
                    op: "login",
                    detail: "timed out".into(),
                })??;

        let mut source = ImapSource {
            host,
            mailbox: config.mailbox.clone(),
            processed_folder: config.processed_folder.clone(),
            session: Some(session),
            selected: false,
            has_idle: false,
            has_move: false,
            caps_move: false,
            has_uidplus: false,
            use_idle: true,
        };
        let caps = source
            .run("CAPABILITY", |s| Box::pin(s.capabilities()))
            .await?;
        source.has_idle = caps.has_str("IDLE");
        source.caps_move = caps.has_str("MOVE");
        source.has_move = source.caps_move;
        source.has_uidplus = caps.has_str("UIDPLUS");
        tracing::debug!(?source, "IMAP connected");
        Ok(source)
    }

    /// Use IDLE when the server offers it (default `true`); `false` forces polling.
    pub fn set_use_idle(&mut self, use_idle: bool) {
        self.use_idle = use_idle;
    }

    /// Whether [`ImapSource::wait_for_new`] will use IDLE (server support and setting).
    pub fn uses_idle(&self) -> bool {
        self.use_idle && self.has_idle
    }

    /// Whether [`ImapSource::mark_processed`] uses MOVE (RFC 6851): the server advertised it
    /// and [`ImapSource::set_use_move`] did not turn it off.
    pub fn supports_move(&self) -> bool {
        self.has_move
    }

    /// `false` makes [`ImapSource::mark_processed`] use COPY + `\Deleted` + EXPUNGE even when
    /// the server offers MOVE (for servers with a broken MOVE, and for tests).
    pub fn set_use_move(&mut self, use_move: bool) {
        self.has_move = use_move && self.caps_move;
    }

    /// SELECT the configured mailbox; returns its UIDVALIDITY.
    pub async fn select(&mut self) -> Result<u32, ImapError> {
        let mailbox = self.mailbox.clone();
        let host = self.host.clone();
        let selected = self
            .run("SELECT", |s| Box::pin(s.select(mailbox.clone())))
            .await
            .map_err(|e| match e {
                ImapError::Command { detail, .. } => ImapError::Mailbox {
                    mailbox: mailbox.clone(),
                    detail,
                },
                other => other,
            })?;
        let uidvalidity = selected.uid_validity.ok_or_else(|| ImapError::Command {
            host,
            op: "SELECT",
            detail: format!("no UIDVALIDITY reported for {mailbox:?}"),
        })?;
        self.selected = true;
        self.drain_unsolicited();
        Ok(uidvalidity)
    }

    /// All messages with UID > `last_uid`, in UID order, fetched with `BODY.PEEK[]` (their
    /// `\Seen` flag is not changed).
    pub async fn fetch_since(&mut self, last_uid: u32) -> Result<Vec<FetchedMessage>, ImapError> {
        self.require_selected("FETCH")?;
        let Some(first) = last_uid.checked_add(1) else {
            return Ok(Vec::new());
        };
        self.drain_unsolicited();
        // First only the UIDs: `n:*` always includes the last message even when its UID < n,
        // and we do not want to download that body on every poll.
        let range = format!("{first}:*");
        let listed = self
            .run("UID FETCH", |s| {
                Box::pin(async move {
                    let stream = s.uid_fetch(range.as_str(), "(UID)").await?;
                    stream.try_collect::<Vec<_>>().await
                })
            })
            .await?;
        let mut uids: Vec<u32> = listed
            .iter()
            .filter_map(|f| f.uid)
            .filter(|&uid| uid > last_uid)
            .collect();
        if uids.is_empty() {
            return Ok(Vec::new());
        }
        uids.sort_unstable();
        uids.dedup();
        let set = uids
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let fetched = self
            .run("UID FETCH", |s| {
                Box::pin(async move {
                    let stream = s.uid_fetch(set.as_str(), "(UID FLAGS BODY.PEEK[])").await?;
                    stream.try_collect::<Vec<_>>().await
                })
            })
            .await?;
        let mut out: Vec<FetchedMessage> = Vec::with_capacity(fetched.len());
        for f in &fetched {
            let Some(uid) = f.uid.filter(|&u| u > last_uid) else {
                continue;
            };
            let Some(body) = f.body() else {
                // Unsolicited FETCH (flag update) without a body.
                continue;
            };
            if out.iter().any(|m| m.uid == uid) {
                continue;
            }
            out.push(FetchedMessage {
                uid,
                raw: body.to_vec(),
                seen: f.flags().any(|flag| flag == Flag::Seen),
            });
        }
        out.sort_by_key(|m| m.uid);
        Ok(out)
    }

    /// Mark a message as handled: add `\Seen`, and when `processed_folder` is configured move
    /// it there (MOVE if offered, else COPY + `\Deleted` + (UID) EXPUNGE). Creates the folder
    /// on first use if the server says it does not exist.
    pub async fn mark_processed(&mut self, uid: u32) -> Result<(), ImapError> {
        self.require_selected("STORE")?;
        let uid_s = uid.to_string();
        {
            let uid_s = uid_s.clone();
            self.run("UID STORE", |s| {
                Box::pin(async move {
                    let stream = s
                        .uid_store(uid_s.as_str(), "+FLAGS.SILENT (\\Seen)")
                        .await?;
                    stream.try_collect::<Vec<_>>().await
                })
            })
            .await?;
        }
        let Some(folder) = self.processed_folder.clone() else {
            return Ok(());
        };
        match self.move_to(&uid_s, &folder).await {
            Err(ImapError::Command { .. }) => {
                // Most likely [TRYCREATE]: create the folder and try once more.
                let f = folder.clone();
                if let Err(e) = self.run("CREATE", |s| Box::pin(s.create(f.clone()))).await {
                    if e.is_connection_lost() {
                        return Err(e);
                    }
                    tracing::debug!(error = %e, folder, "CREATE failed (may already exist)");
                }
                self.move_to(&uid_s, &folder).await
            }
            other => other,
        }
    }

    async fn move_to(&mut self, uid_s: &str, folder: &str) -> Result<(), ImapError> {
        let uid_o = uid_s.to_string();
        let folder_o = folder.to_string();
        if self.has_move {
            return self
                .run("UID MOVE", |s| {
                    Box::pin(s.uid_mv(uid_o.clone(), folder_o.clone()))
                })
                .await;
        }
        self.run("UID COPY", |s| {
            Box::pin(s.uid_copy(uid_o.clone(), folder_o.clone()))
        })
        .await?;
        self.run("UID STORE", |s| {
            Box::pin(async move {
                let stream = s
                    .uid_store(uid_o.as_str(), "+FLAGS.SILENT (\\Deleted)")
                    .await?;
                stream.try_collect::<Vec<_>>().await
            })
        })
        .await?;
        let uid_o = uid_s.to_string();
        if self.has_uidplus {
            self.run("UID EXPUNGE", |s| {
                Box::pin(async move {
                    let stream = s.uid_expunge(uid_o.as_str()).await?;
                    stream.try_collect::<Vec<_>>().await
                })
            })
            .await?;
        } else {
            self.run("EXPUNGE", |s| {
                Box::pin(async move {
                    let stream = s.expunge().await?;
                    stream.try_collect::<Vec<_>>().await
                })
            })
            .await?;
        }
        Ok(())
    }

    /// Wait until new mail may have arrived or `wait` elapses. Uses IDLE when the server
    /// advertises it, else sleeps and polls with NOOP. `Ok(true)`: new mail was announced
    /// (call [`ImapSource::fetch_since`]); `Ok(false)`: nothing seen before the timeout (calling
    /// `fetch_since` anyway is cheap and harmless). A dropped connection is an error with
    /// [`ImapError::is_connection_lost`].
    pub async fn wait_for_new(&mut self, wait: Duration) -> Result<bool, ImapError> {
        self.require_selected("IDLE")?;
        if self.drain_unsolicited() {
            return Ok(true);
        }
        if !self.uses_idle() {
            tokio::time::sleep(wait).await;
            self.run("NOOP", |s| Box::pin(s.noop())).await?;
            return Ok(self.drain_unsolicited());
        }

        let session = self.take_session("IDLE")?;
        let rx = session.unsolicited_responses.clone();
        let mut handle = session.idle();
        match timeout(COMMAND_TIMEOUT, handle.init()).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(self.lost("IDLE", e.to_string())),
            Err(_) => return Err(self.lost("IDLE", "timed out".into())),
        }
        let mut got = announces_new!(rx);
        let deadline = Instant::now() + wait;
        while !got {
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                break;
            }
            let (fut, _stop) = handle.wait_with_timeout(remaining);
            match timeout(remaining, fut).await {
                Err(_) | Ok(Ok(IdleResponse::Timeout)) => break,
                Ok(Ok(IdleResponse::NewData(data))) => {
                    got = matches!(
                        data.parsed(),
                        Response::MailboxData(MailboxDatum::Exists(_))
                            | Response::MailboxData(MailboxDatum::Recent(_))
                    );
                    if !got {
                        tracing::trace!(response = ?data.parsed(), "IDLE: ignoring");
                    }
                }
                // We never trigger the interrupt ourselves: the stream ended.
                Ok(Ok(IdleResponse::ManualInterrupt)) => {
                    return Err(self.lost("IDLE", "server closed the connection".into()));
                }
                Ok(Err(e)) => return Err(self.lost("IDLE", e.to_string())),
            }
        }
        let session = match timeout(COMMAND_TIMEOUT, handle.done()).await {
            Ok(Ok(session)) => session,
            Ok(Err(e)) => return Err(self.lost("IDLE DONE", e.to_string())),
            Err(_) => return Err(self.lost("IDLE DONE", "timed out".into())),
        };
        self.session = Some(session);
        got |= announces_new!(rx);
        Ok(got)
    }

    /// LOGOUT and close the connection (best effort).
    pub async fn logout(mut self) {
        if let Some(mut session) = self.session.take() {
            let _ = timeout(Duration::from_secs(5), session.logout()).await;
        }
    }

    fn require_selected(&self, op: &'static str) -> Result<(), ImapError> {
        if self.selected {
            Ok(())
        } else {
            Err(ImapError::NotSelected { op })
        }
    }

    fn lost(&mut self, op: &'static str, detail: String) -> ImapError {
        self.session = None;
        ImapError::ConnectionLost {
            host: self.host.clone(),
            op,
            detail,
        }
    }

    fn take_session(&mut self, op: &'static str) -> Result<Session, ImapError> {
        self.session
            .take()
            .ok_or_else(|| ImapError::ConnectionLost {
                host: self.host.clone(),
                op,
                detail: "connection already closed; reconnect".into(),
            })
    }

    /// Empty the unsolicited-response queue; true if it announced new messages.
    fn drain_unsolicited(&mut self) -> bool {
        let Some(session) = self.session.as_ref() else {
            return false;
        };
        announces_new!(session.unsolicited_responses)
    }

    /// Run one command with a timeout; I/O errors and timeouts drop the session.
    async fn run<T, F>(&mut self, op: &'static str, f: F) -> Result<T, ImapError>
    where
        F: for<'s> FnOnce(
            &'s mut Session,
        ) -> Pin<
            Box<dyn std::future::Future<Output = Result<T, RawImapError>> + Send + 's>,
        >,
    {
        let Some(session) = self.session.as_mut() else {
            return Err(ImapError::ConnectionLost {
                host: self.host.clone(),
                op,
                detail: "connection already closed; reconnect".into(),
            });
        };
        match timeout(COMMAND_TIMEOUT, f(session)).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) if is_fatal(&e) => Err(self.lost(op, e.to_string())),
            Ok(Err(e)) => Err(ImapError::Command {
                host: self.host.clone(),
                op,
                detail: e.to_string(),
            }),
            Err(_) => Err(self.lost(
                op,
                format!("no answer within {}s", COMMAND_TIMEOUT.as_secs()),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_cap_and_resets() {
        let mut b = Backoff::new();
        let got: Vec<u64> = (0..9).map(|_| b.next_delay().as_secs()).collect();
        assert_eq!(got, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
        b.reset();
        assert_eq!(b.next_delay(), Duration::from_secs(1));
    }

    #[test]
    fn loopback_detection() {
        for h in [
            "localhost",
            "127.0.0.1",
            "::1",
            "[::1]",
            "127.0.0.2",
            "LOCALHOST",
        ] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in ["imap.example.org", "10.0.0.1", "localhost.example.org", ""] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }

    #[tokio::test]
    async fn plain_tcp_refused_for_remote_hosts() {
        let mut cfg = ImapConfig::new("imap.example.org", 143, "u", ImapAuth::Password("p".into()));
        cfg.tls = false;
        let err = ImapSource::connect(&cfg).await.unwrap_err();
        assert!(matches!(err, ImapError::InsecureNotAllowed { .. }), "{err}");
        assert!(!err.is_connection_lost());
    }

    #[test]
    fn connect_error_message_names_the_setting() {
        let e = ImapError::Connect {
            host: "imap.example.org".into(),
            port: 993,
            source: io::Error::new(io::ErrorKind::ConnectionRefused, "connection refused"),
        };
        assert_eq!(
            e.to_string(),
            "cannot connect to imap.example.org:993: connection refused; check [imap] host/port"
        );
        assert!(e.is_connection_lost());
    }

    #[test]
    fn xoauth2_sends_token_once() {
        use async_imap::Authenticator;
        let mut a = XOAuth2 {
            response: Some("user=u\x01auth=Bearer t\x01\x01".into()),
        };
        assert_eq!(a.process(b""), "user=u\x01auth=Bearer t\x01\x01");
        assert_eq!(a.process(b"{\"status\":\"400\"}"), "");
    }

    #[test]
    fn auth_debug_is_redacted() {
        let s = format!("{:?}", ImapAuth::Password("hunter2".into()));
        assert!(!s.contains("hunter2"));
    }
}
