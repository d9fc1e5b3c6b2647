//! The admin review web app (axum, server-rendered with minijinja): the queue, one page per
//! enquiry with its actions, the regional leads' view, the knowledge base, the dashboard, the
//! outbox, sign-in and the operations endpoints (`/healthz`, `/metrics`).
//!
//! One module per page or group of routes, as in zero-to-production's `routes/`:
//! `login`, `queue`, `enquiry`, `actions`, `kb`, `dashboard`, `outbox`, `ops`. Shared pieces:
//! `auth` (passwords, sessions, CSRF, roles), `queries` (the web's own SQL), `render`
//! (templates and their filters) and `error`.
//!
//! Safety rules every route keeps: a session is required (anonymous → redirect to `/login`),
//! the role is checked (`Session::require_admin`, `Session::may_see`), every POST carries the
//! session's CSRF token (checked once, in `auth::guard`, before any handler runs), and all
//! user text is escaped by minijinja's auto-escaping of `.html` templates.

pub mod actions;
pub mod auth;
pub mod dashboard;
pub mod enquiry;
pub mod error;
pub mod gate;
pub mod history;
pub mod kb;
pub mod login;
pub mod ops;
pub mod outbox;
pub mod queries;
pub mod queue;
pub mod render;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

use crate::service::Service;

pub use auth::{hash_password, verify_password, Role, Session};
pub use error::WebError;

/// Settings of the web app.
#[derive(Debug, Clone)]
pub struct WebOptions {
    /// Mark cookies `Secure` (sent over HTTPS only). On by default; browsers treat
    /// `http://127.0.0.1` and `http://localhost` as secure, so loopback testing still works.
    pub secure_cookies: bool,
    /// The knowledge-base folder new FAQ entries are written to (`<kb>/entries/<id>.md`).
    /// Default: the folder the triage knowledge base was loaded from.
    pub kb_dir: Option<PathBuf>,
    /// How long a session lasts, in seconds.
    pub session_secs: i64,
    /// Reverse proxies whose `X-Forwarded-For` is believed for the client address (the
    /// sign-in limit counts per client address). Empty: the peer address is the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Labelled enquiries (the `eval` JSONL format) the regression gate checks edits against,
    /// besides the enquiries admins settled (`[matcher] labelled_set`).
    pub labelled_set: Option<PathBuf>,
}

impl Default for WebOptions {
    fn default() -> Self {
        WebOptions {
            secure_cookies: true,
            kb_dir: None,
            session_secs: 8 * 3600,
            trusted_proxies: Vec::new(),
            labelled_set: None,
        }
    }
}

impl WebOptions {
    /// The defaults with the configuration's `[web]` settings.
    pub fn from_config(config: &crate::config::Config) -> Self {
        WebOptions {
            trusted_proxies: config.web.trusted_proxies.clone(),
            labelled_set: config.matcher.labelled_set.clone(),
            ..WebOptions::default()
        }
    }
}

/// What every handler gets.
#[derive(Clone)]
pub struct AppState {
    pub service: Service,
    pub options: Arc<WebOptions>,
    pub pages: Arc<render::Pages>,
    /// Checks passwords with bounded concurrency and memory.
    pub passwords: Arc<auth::PasswordChecker>,
}

impl AppState {
    pub fn new(service: Service, options: WebOptions) -> Self {
        let mut pages = render::Pages::new().with_data_dir(&service.config.data_dir);
        if service.config.discord.is_some() {
            pages = pages.with_discord_problems(service.store.clone());
        }
        AppState {
            service,
            options: Arc::new(options),
            pages: Arc::new(pages),
            passwords: Arc::new(auth::PasswordChecker::default()),
        }
    }

    /// Where new FAQ entries go, when the knowledge base is a folder.
    pub fn kb_dir(&self) -> Option<PathBuf> {
        self.options
            .kb_dir
            .clone()
            .or_else(|| Some(self.service.triage.current().kb.source.clone()))
            .filter(|p| p.is_dir())
    }
}

/// Every route of the app.
pub fn router(state: AppState) -> Router {
    let pages = Router::new()
        .route("/", get(queue::index))
        .route("/queue", get(queue::page))
        .route("/enquiries/{id}", get(enquiry::page))
        .route("/enquiries/{id}/original", get(enquiry::original))
        .route("/enquiries/{id}/original.eml", get(enquiry::download))
        .route("/enquiries/{id}/approve", post(actions::approve))
        .route("/enquiries/{id}/save", post(actions::save))
        .route("/enquiries/{id}/reject", post(actions::reject))
        .route("/enquiries/{id}/reroute", post(actions::reroute))
        .route(
            "/enquiries/{id}/answered-elsewhere",
            post(actions::answered_elsewhere),
        )
        .route("/enquiries/{id}/use-entry", post(actions::use_entry))
        .route("/enquiries/{id}/answer", post(actions::lead_answer))
        .route("/kb", get(kb::page))
        .route("/kb/try", get(kb::try_question))
        .route("/kb/new", get(kb::new_form).post(kb::create))
        .route("/kb/phrasing", post(kb::add_phrasing))
        .route("/kb/history/{entry}", get(history::page))
        .route("/kb/history/{entry}/restore", post(history::restore))
        .route("/dashboard", get(dashboard::page))
        .route("/outbox", get(outbox::page))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::guard,
        ));
    Router::new()
        .route("/healthz", get(ops::healthz))
        .route("/metrics", get(ops::metrics))
        .merge(pages)
        .layer(axum::middleware::from_fn(render::security_headers))
        .with_state(state)
}

/// Serves the app on `listener` until `shutdown` completes.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

/// Binds `listen` and serves the app with default options until `shutdown` completes: what
/// `fpt-assist serve --listen ADDR` runs beside the mailbox loop.
pub async fn run(
    service: Service,
    listen: SocketAddr,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    tracing::info!(address = %listener.local_addr()?, "web app listening");
    serve_on(
        listener,
        AppState::new(service.clone(), WebOptions::from_config(&service.config)),
        shutdown,
    )
    .await
}

/// Binds `listen` now (so a taken port is reported at once) and serves the app in the
/// background until `shutdown` completes; then it stops accepting, lets requests in flight
/// finish and closes idle connections. What `fpt-assist serve --listen ADDR` calls, with the
/// shutdown signal it shares with the mailbox loop and the Discord bot.
pub async fn spawn(
    service: Service,
    listen: SocketAddr,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<tokio::task::JoinHandle<std::io::Result<()>>> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    tracing::info!(address = %listener.local_addr()?, "web app listening");
    let options = WebOptions::from_config(&service.config);
    let state = AppState::new(service, options);
    Ok(tokio::spawn(serve_on(listener, state, shutdown)))
}
