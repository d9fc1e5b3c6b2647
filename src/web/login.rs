//! Sign in and sign out. Failed sign-ins are counted per name and address: after
//! `MAX_FAILURES` in 15 minutes that pair is refused until the window passes, even with the
//! right password. Passwords and tokens are never logged.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use super::auth::{self, MaybeSession, Session, LOCKOUT_SECS, MAX_FAILURES};
use super::error::{WebError, WebResult};
use super::{queries, AppState};
use crate::store;

#[derive(Debug, Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// Only local paths: never an open redirect.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.into(),
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
    login_page(&state, q.next.as_deref(), None, "")
}

fn login_page(
    state: &AppState,
    next: Option<&str>,
    error: Option<&str>,
    name: &str,
) -> WebResult<Response> {
    let token = auth::random_token();
    let page = state.pages.render(
        "login.html",
        None,
        minijinja::context! { login_csrf => token, next => safe_next(next), error => error, name => name },
    )?;
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

/// Checks the password and the attempt limit; starts a session.
pub async fn submit(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    Form(form): Form<LoginForm>,
) -> WebResult<Response> {
    let ip = addr.ip().to_string();
    let name = form.name.trim().to_string();
    let now = store::now();
    let user = {
        let mut conn = state.service.store.conn().await?;
        if queries::recent_failures(&mut conn, &name, &ip, now - LOCKOUT_SECS).await?
            >= MAX_FAILURES
        {
            tracing::warn!(user = %name, %ip, "sign-in refused: too many failures");
            return Err(WebError::TooManyAttempts);
        }
        queries::user_by_name(&mut conn, &name).await?
    };
    let password = form.password;
    let candidate = user.clone();
    // argon2 is deliberately slow: keep it off the async threads
    let ok = tokio::task::spawn_blocking(move || match &candidate {
        Some(u) if !u.disabled => auth::verify_password(&password, &u.password_hash),
        _ => false,
    })
    .await
    .map_err(|e| WebError::Internal(e.to_string()))?;
    {
        let mut conn = state.service.store.conn().await?;
        queries::record_login_attempt(&mut conn, &name, &ip, ok, now).await?;
    }
    let user = match (ok, user) {
        (true, Some(u)) => u,
        _ => {
            tracing::info!(user = %name, %ip, "sign-in failed");
            let mut page = login_page(
                &state,
                form.next.as_deref(),
                Some("That name and password do not match an active account."),
                &name,
            )?;
            *page.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
            return Ok(page);
        }
    };
    let token = auth::start_session(&state, &user).await?;
    tracing::info!(user = %user.name, role = %user.role, "signed in");
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
    tracing::info!(user = %session.name, "signed out");
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
    }
}
