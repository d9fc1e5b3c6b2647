//! Operations endpoints, open without signing in and free of personal data:
//! `/healthz` (the database answers) and `/metrics` (Prometheus text format: enquiries by
//! status, outbox rows by status, accounts, sessions).

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use sqlx::Row;

use super::{queries, AppState};
use crate::store;

/// 200 `ok` when the database answers, else 503.
pub async fn healthz(State(state): State<AppState>) -> Response {
    let ok = match state.service.store.conn().await {
        Ok(mut conn) => sqlx::query("SELECT 1").execute(&mut *conn).await.is_ok(),
        Err(_) => false,
    };
    if ok {
        (StatusCode::OK, "ok\n").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
    }
}

async fn gather(state: &AppState) -> Result<String, store::StoreError> {
    let mut conn = state.service.store.conn().await?;
    let by_status = store::counts_by_status(&mut conn).await?;
    let outbox = queries::outbox_counts(&mut conn).await?;
    let users =
        sqlx::query("SELECT role, COUNT(*) AS n FROM web_users WHERE disabled = 0 GROUP BY role")
            .fetch_all(&mut *conn)
            .await?;
    let sessions = sqlx::query("SELECT COUNT(*) AS n FROM web_sessions WHERE expires_at > $1")
        .bind(store::now())
        .fetch_one(&mut *conn)
        .await?;
    let mut out = String::new();
    out.push_str("# HELP fpt_enquiries Stored enquiries by status.\n# TYPE fpt_enquiries gauge\n");
    for st in store::Status::ALL {
        let n = by_status
            .iter()
            .find(|(s, _)| s == st.as_str())
            .map(|(_, n)| *n)
            .unwrap_or(0);
        out.push_str(&format!(
            "fpt_enquiries{{status=\"{}\"}} {n}\n",
            st.as_str()
        ));
    }
    out.push_str("# HELP fpt_outbox Outgoing messages by status.\n# TYPE fpt_outbox gauge\n");
    for st in ["pending", "sending", "sent", "failed"] {
        let n = outbox
            .iter()
            .find(|(s, _)| s == st)
            .map(|(_, n)| *n)
            .unwrap_or(0);
        out.push_str(&format!("fpt_outbox{{status=\"{st}\"}} {n}\n"));
    }
    out.push_str("# HELP fpt_web_users Active web accounts by role.\n# TYPE fpt_web_users gauge\n");
    for role in ["admin", "lead"] {
        let mut n = 0i64;
        for r in &users {
            let name: String = r.try_get("role")?;
            if name == role {
                n = r.try_get("n")?;
            }
        }
        out.push_str(&format!("fpt_web_users{{role=\"{role}\"}} {n}\n"));
    }
    let n: i64 = sessions.try_get("n")?;
    out.push_str(&format!(
        "# HELP fpt_web_sessions Live web sessions.\n# TYPE fpt_web_sessions gauge\nfpt_web_sessions {n}\n"
    ));
    Ok(out)
}

/// Prometheus text exposition format 0.0.4.
pub async fn metrics(State(state): State<AppState>) -> Response {
    match gather(&state).await {
        Ok(text) => (
            [(
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            )],
            text,
        )
            .into_response(),
        Err(e) => {
            tracing::error!("metrics: {e}");
            (StatusCode::SERVICE_UNAVAILABLE, "metrics unavailable\n").into_response()
        }
    }
}
