//! The outbox (admins): every queued, sent and failed message, newest first, with the
//! enquiry it belongs to. Bodies are not shown here (they are on the enquiry page).

use axum::extract::State;
use axum::response::{IntoResponse, Response};

use super::auth::Session;
use super::error::WebResult;
use super::AppState;
use crate::store;

pub async fn page(State(state): State<AppState>, session: Session) -> WebResult<Response> {
    session.require_admin()?;
    let mut rows = {
        let mut conn = state.service.store.conn().await?;
        store::list_outbox(&mut conn, None).await?
    };
    rows.reverse();
    rows.truncate(500);
    Ok(state
        .pages
        .render(
            "outbox.html",
            Some(&session),
            minijinja::context! { title => "Outbox", nav => "outbox", rows => rows },
        )
        .await?
        .into_response())
}
