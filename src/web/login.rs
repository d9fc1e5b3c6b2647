//! Sign in and sign out. Each attempt is first reserved in the database and then counted, so
//! parallel attempts cannot slip past the limit: per name and client address (the peer, or
//! `X-Forwarded-For` behind a trusted proxy), `MAX_FAILURES` wrong passwords are checked, then
//! each further check waits a doubling delay (`auth::may_check`). Passwords are checked by
//! `auth::PasswordChecker` (bounded concurrency and memory; a dummy hash for unknown names).
//! Passwords and tokens are never logged; a name that failed is logged only as a fingerprint
//! (it may be a password typed in the wrong field), and nothing from the form reaches the log
//! with control characters in it.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use super::auth::{self, MaybeSession, Session, LOCKOUT_SECS};
use super::error::{WebError, WebResult};
use super::{queries, AppState};
use crate::logging;
use crate::store;

#[derive(Debug, Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// Only local paths: never an open redirect. Accepted: "/" followed by anything but "/" or
/// "\\", with no control characters, backslashes or whitespace anywhere (browsers drop tabs
/// and newlines, so "/\t/host" would become "//host"); everything else becomes `/queue`.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.chars().any(|c| c.is_control() || c.is_whitespace())
                && n.len() <= 2048 =>
        {
            n.into()
        }
        _ => "/queue".into(),
    }
}

/// The sign-in form, with a fresh pre-session CSRF cookie.
pub async fn form(
    State(state): State<AppState>,
    MaybeSession(session): MaybeSession,
    Query(q): Query<Next>,
) -> WebResult<Response> {
    if session.is_some() {
        return Ok(Redirect::to(&safe_next(q.next.as_deref())).into_response());
    }
    login_page(&state, q.next.as_deref(), None, "").await
}

async fn login_page(
    state: &AppState,
    next: Option<&str>,
    error: Option<&str>,
    name: &str,
) -> WebResult<Response> {
    let token = auth::random_token();
    let page = state.pages.render(
        "login.html",
        None,
        minijinja::context! {
            title => "Sign in", login_csrf => token, next => safe_next(next), error => error, name => name,
        },
    ).await?;
    let cookie = auth::set_cookie(
        auth::LOGIN_CSRF_COOKIE,
        &token,
        Some(3600),
        state.options.secure_cookies,
    );
    Ok(([(header::SET_COOKIE, cookie)], page).into_response())
}

#[derive(Deserialize)]
pub struct LoginForm {
    name: String,
    password: String,
    next: Option<String>,
}

/// Checks the attempt limit, then the password; starts a session.
pub async fn submit(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> WebResult<Response> {
    let ip = auth::client_ip(addr.ip(), &headers, &state.options.trusted_proxies).to_string();
    let name: String = form.name.trim().chars().take(200).collect();
    let key = logging::fingerprint(&name.to_lowercase());
    let now = store::now();
    let (attempt, user) = {
        let mut conn = state.service.store.conn().await?;
        let attempt = queries::reserve_login_attempt(&mut conn, &key, &ip, now).await?;
        let (failures, last) =
            queries::recent_failures(&mut conn, &key, &ip, now - LOCKOUT_SECS, attempt).await?;
        if !auth::may_check(failures, last.map_or(i64::MAX, |t| now - t)) {
            queries::settle_login_attempt(&mut conn, attempt, None).await?;
            tracing::warn!(name_fingerprint = %key, %ip, "sign-in refused: too many failures");
            return Err(WebError::TooManyAttempts);
        }
        (attempt, queries::user_by_name(&mut conn, &name).await?)
    };
    let hash = user
        .as_ref()
        .filter(|u| !u.disabled)
        .map(|u| u.password_hash.clone());
    let checked = state.passwords.check(form.password, hash).await;
    let ok = match checked {
        Ok(ok) => ok,
        Err(e) => {
            // not checked: it does not count
            let mut conn = state.service.store.conn().await?;
            queries::settle_login_attempt(&mut conn, attempt, None).await?;
            return Err(e);
        }
    };
    {
        let mut conn = state.service.store.conn().await?;
        queries::settle_login_attempt(&mut conn, attempt, Some(ok)).await?;
    }
    let user = match (ok, user) {
        (true, Some(u)) => u,
        _ => {
            tracing::info!(name_fingerprint = %key, %ip, "sign-in failed");
            let mut page = login_page(
                &state,
                form.next.as_deref(),
                Some("That name and password do not match an active account."),
                &name,
            )
            .await?;
            *page.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
            return Ok(page);
        }
    };
    let token = auth::start_session(&state, &user).await?;
    tracing::info!(user = %logging::safe(&user.name), role = %user.role, %ip, "signed in");
    let mut headers = HeaderMap::new();
    let secure = state.options.secure_cookies;
    for cookie in [
        auth::set_cookie(
            auth::SESSION_COOKIE,
            &token,
            Some(state.options.session_secs),
            secure,
        ),
        auth::set_cookie(auth::LOGIN_CSRF_COOKIE, "", Some(0), secure),
    ] {
        if let Ok(v) = cookie.parse() {
            headers.append(header::SET_COOKIE, v);
        }
    }
    Ok((headers, Redirect::to(&safe_next(form.next.as_deref()))).into_response())
}

/// Ends the session (POST with the CSRF token, from the header's button).
pub async fn logout(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
) -> WebResult<Response> {
    if let Some(token) = auth::cookie(&headers, auth::SESSION_COOKIE) {
        let mut conn = state.service.store.conn().await?;
        queries::delete_session(&mut conn, &auth::token_hash(&token)).await?;
    }
    tracing::info!(user = %logging::safe(&session.name), "signed out");
    let cookie = auth::set_cookie(
        auth::SESSION_COOKIE,
        "",
        Some(0),
        state.options.secure_cookies,
    );
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/login")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_only_ever_a_local_path() {
        assert_eq!(safe_next(Some("/enquiries/3")), "/enquiries/3");
        assert_eq!(safe_next(Some("//evil.example")), "/queue");
        assert_eq!(safe_next(Some("https://evil.example")), "/queue");
        assert_eq!(safe_next(None), "/queue");
        assert_eq!(safe_next(Some("/\t/127.0.0.1:9515/status")), "/queue");
        assert_eq!(safe_next(Some("/\\evil.example")), "/queue");
        assert_eq!(safe_next(Some("/queue\nSet-Cookie: x=1")), "/queue");
        assert_eq!(safe_next(Some("/queue?status=all")), "/queue?status=all");
    }
}
