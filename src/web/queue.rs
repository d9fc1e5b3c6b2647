//! The queue: enquiries newest or oldest first, filtered by status (by default everything but
//! ignored mail; `status=all` includes it), channel, region and free text, with counts per
//! filter value and how long each has waited. Leads see only the routed enquiries of their
//! region.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

use super::auth::Session;
use super::error::WebResult;
use super::queries::{self, QueueRow};
use super::AppState;
use crate::store::{self, Status};

/// Rows shown at most on one page.
const MAX_ROWS: usize = 200;

/// The filters, as in the query string.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct Filters {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub sort: String,
}

/// One value of a filter and how many enquiries it would show.
#[derive(Debug, Serialize)]
struct Facet {
    value: String,
    label: String,
    count: usize,
}

#[derive(Debug, Serialize)]
struct Row {
    #[serde(flatten)]
    row: QueueRow,
    region_name: Option<String>,
    answered_elsewhere: bool,
    open: bool,
}

/// `/` → the queue.
pub async fn index() -> Response {
    Redirect::to("/queue").into_response()
}

fn region_key(r: &QueueRow) -> &str {
    r.region.as_deref().unwrap_or("none")
}

pub async fn page(
    State(state): State<AppState>,
    session: Session,
    Query(f): Query<Filters>,
) -> WebResult<Response> {
    let (rows, elsewhere) = {
        let mut conn = state.service.store.conn().await?;
        let rows = queries::queue_rows(&mut conn, &f.q, session.lead_region()).await?;
        let elsewhere = queries::marked(&mut conn, "answered_elsewhere").await?;
        (rows, elsewhere)
    };
    let matches = |r: &QueueRow, skip: &str| {
        // the default view leaves ignored mail (auto-replies, bounces, bulk) out; `all` shows it
        (skip == "status"
            || (f.status.is_empty() && r.status != Status::Ignored.as_str())
            || f.status == "all"
            || r.status == f.status)
            && (skip == "channel" || f.channel.is_empty() || r.channel == f.channel)
            && (skip == "region" || f.region.is_empty() || region_key(r) == f.region)
    };
    let kb = &state.service.triage.current().kb;
    let count = |skip: &str, value: &str, key: &dyn Fn(&QueueRow) -> String| {
        rows.iter()
            .filter(|r| matches(r, skip) && key(r) == value)
            .count()
    };
    let statuses: Vec<Facet> = Status::ALL
        .iter()
        .map(|s| Facet {
            value: s.as_str().into(),
            label: super::render::label(s.as_str()),
            count: count("status", s.as_str(), &|r| r.status.clone()),
        })
        .collect();
    let channels: Vec<Facet> = ["email", "chat"]
        .iter()
        .map(|c| Facet {
            value: (*c).into(),
            label: super::render::label(c),
            count: count("channel", c, &|r| r.channel.clone()),
        })
        .collect();
    let mut regions: Vec<Facet> = kb
        .regions
        .regions
        .iter()
        .map(|r| Facet {
            value: r.id.clone(),
            label: r.name.clone(),
            count: count("region", &r.id, &|q| region_key(q).to_string()),
        })
        .collect();
    regions.push(Facet {
        value: "none".into(),
        label: "No region (admin team)".into(),
        count: count("region", "none", &|q| region_key(q).to_string()),
    });
    if let Some(region) = session.lead_region() {
        regions.retain(|r| r.value == region);
    }
    let mut shown: Vec<&QueueRow> = rows.iter().filter(|r| matches(r, "")).collect();
    let total = shown.len();
    if f.sort == "oldest" {
        shown.reverse();
    }
    let now = store::now();
    let list: Vec<Row> = shown
        .into_iter()
        .take(MAX_ROWS)
        .map(|r| Row {
            region_name: state
                .service
                .triage
                .current()
                .region_name(r.region.as_deref())
                .map(str::to_string),
            answered_elsewhere: elsewhere.contains(&r.id),
            open: matches!(r.status.as_str(), "waiting" | "routed" | "needs_attention"),
            row: r.clone(),
        })
        .collect();
    let page = state
        .pages
        .render(
            "queue.html",
            Some(&session),
            minijinja::context! {
                title => "Queue",
                nav => "queue",
                f => f,
                statuses => statuses,
                channels => channels,
                regions => regions,
                rows => list,
                total => total,
                shown => total.min(MAX_ROWS),
                now => now,
            },
        )
        .await?;
    Ok(page.into_response())
}
