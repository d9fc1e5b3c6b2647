//! The dashboard (admins): enquiries per day by channel and decision over the last two weeks,
//! median time to reply, the share answered automatically and the questions most often
//! routed (the gaps in the FAQ), and the Discord bot's "this helped" / "still need help"
//! feedback (overall and over the same two weeks). Charts are CSS bars with the numbers
//! written beside them.

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::auth::Session;
use super::error::WebResult;
use super::{queries, render, AppState};
use crate::store;

/// Days shown.
const DAYS: i64 = 14;

#[derive(Debug, Default, Serialize)]
struct Day {
    date: String,
    email: i64,
    chat: i64,
    answer: i64,
    route: i64,
    ignore: i64,
    total: i64,
    /// Bar widths in percent of the busiest day.
    w_answer: f64,
    w_route: f64,
    w_ignore: f64,
    w_email: f64,
    w_chat: f64,
}

/// "This helped" / "still need help" clicks on the Discord bot's answers over one period.
#[derive(Debug, Default, Serialize, PartialEq)]
pub struct Feedback {
    pub helped: i64,
    pub still_need_help: i64,
    pub total: i64,
    /// The share that helped, in [0, 1]; `None` without any feedback.
    pub share_helped: Option<f64>,
}

impl Feedback {
    pub fn new(helped: i64, still_need_help: i64) -> Self {
        let total = helped + still_need_help;
        Feedback {
            helped,
            still_need_help,
            total,
            share_helped: (total > 0).then(|| helped as f64 / total as f64),
        }
    }
}

/// One topic of routed questions: its best wording, how many, other wordings (enquiry id,
/// text) and, without the model, its key terms.
#[derive(Debug, Serialize)]
struct Gap {
    text: String,
    count: usize,
    width: f64,
    /// The enquiry whose question labels the topic ("write an entry for this" starts from it).
    from: i64,
    examples: Vec<(i64, String)>,
    terms: Vec<String>,
}

/// The median of some numbers (`None` when empty).
pub fn median(values: &mut [i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) as f64 / 2.0
    } else {
        values[mid] as f64
    })
}

/// `?weeks=N`: how far back the routed questions grouped into topics go (1 to 52, default 4).
#[derive(Debug, serde::Deserialize)]
pub struct Period {
    #[serde(default)]
    weeks: Option<i64>,
}

/// Default and longest look-back of the gaps' topics, in weeks.
const TOPIC_WEEKS: i64 = 4;
const MAX_TOPIC_WEEKS: i64 = 52;
/// At most this many routed questions are grouped (the newest): embedding each costs a few
/// milliseconds and clustering grows with the cube of the count.
const MAX_TOPIC_QUESTIONS: i64 = 300;
/// Topics shown, and examples under each.
const TOPICS_SHOWN: usize = 10;
const EXAMPLES_SHOWN: usize = 4;

/// Groups routed questions into topics with the triage in use: by sentence embeddings when
/// the model is on, else by shared key terms. On the blocking pool (CPU work).
async fn gap_topics(
    triage: std::sync::Arc<crate::triage::Triage>,
    questions: Vec<crate::topics::Question>,
) -> Vec<crate::topics::Topic> {
    use crate::topics;
    let job = tokio::task::spawn_blocking(move || {
        if let Some(semantic) = &triage.matcher.semantic {
            let refs: Vec<&str> = questions.iter().map(|q| q.text.as_str()).collect();
            match semantic.embed(&refs) {
                Ok(vectors) => {
                    return topics::by_embeddings(&questions, &vectors, topics::EMBEDDING_THRESHOLD)
                }
                Err(e) => tracing::warn!("cannot embed routed questions, grouping by words: {e}"),
            }
        }
        topics::by_terms(
            &questions,
            &triage.kb,
            triage.matcher.index.analyzer(),
            topics::LEXICAL_THRESHOLD,
        )
    });
    job.await.unwrap_or_else(|e| {
        tracing::error!("grouping routed questions stopped: {e}");
        Vec::new()
    })
}

pub async fn page(
    State(state): State<AppState>,
    session: Session,
    Query(period): Query<Period>,
) -> WebResult<Response> {
    session.require_admin()?;
    let weeks = period
        .weeks
        .unwrap_or(TOPIC_WEEKS)
        .clamp(1, MAX_TOPIC_WEEKS);
    let now = store::now();
    let today = now / 86_400;
    let since = (today - DAYS + 1) * 86_400;
    let topic_since = now - weeks * 7 * 86_400;
    let (volumes, mut delays, routed, feedback_recent, feedback_all) = {
        let mut conn = state.service.store.conn().await?;
        let (recent_helped, recent_still) = queries::feedback_counts(&mut conn, since).await?;
        let (all_helped, all_still) = queries::feedback_counts(&mut conn, i64::MIN).await?;
        (
            queries::volumes(&mut conn, since).await?,
            queries::reply_delays(&mut conn, since).await?,
            queries::routed_questions(&mut conn, topic_since, MAX_TOPIC_QUESTIONS).await?,
            Feedback::new(recent_helped, recent_still),
            Feedback::new(all_helped, all_still),
        )
    };
    let mut days: BTreeMap<i64, Day> = (today - DAYS + 1..=today)
        .map(|d| {
            let date = store::format_time(d * 86_400)[..10].to_string();
            (
                d,
                Day {
                    date,
                    ..Day::default()
                },
            )
        })
        .collect();
    for (day, channel, decision, n) in &volumes {
        let Some(d) = days.get_mut(day) else { continue };
        match channel.as_str() {
            "chat" => d.chat += n,
            _ => d.email += n,
        }
        match decision.as_str() {
            "answer" => d.answer += n,
            "route" => d.route += n,
            _ => d.ignore += n,
        }
        d.total += n;
    }
    let busiest = days.values().map(|d| d.total).max().unwrap_or(0).max(1) as f64;
    let pct = |n: i64| (n as f64 * 100.0 / busiest * 10.0).round() / 10.0;
    for d in days.values_mut() {
        d.w_answer = pct(d.answer);
        d.w_route = pct(d.route);
        d.w_ignore = pct(d.ignore);
        d.w_email = pct(d.email);
        d.w_chat = pct(d.chat);
    }
    let days: Vec<Day> = days.into_values().rev().collect();
    let answered: i64 = days.iter().map(|d| d.answer).sum();
    let considered: i64 = days.iter().map(|d| d.answer + d.route).sum();
    let share = (considered > 0).then(|| answered as f64 / considered as f64);
    let median_reply = median(&mut delays).map(|s| render::duration(s as i64));

    let routed_count = routed.len();
    let mut topics = gap_topics(state.service.triage.current(), routed).await;
    topics.truncate(TOPICS_SHOWN);
    // the Discord panel only when the bot is configured or has ever had feedback
    let discord = state.service.config.discord.is_some() || feedback_all.total > 0;
    let top = topics.first().map_or(1, |t| t.count()).max(1) as f64;
    let gaps: Vec<Gap> = topics
        .into_iter()
        .map(|t| Gap {
            width: (t.count() as f64 * 100.0 / top).round(),
            text: queries::shorten(&t.label.text, 120),
            count: t.count(),
            from: t.label.enquiry,
            examples: {
                // distinct wordings only: the same question asked again is counted, not listed
                let mut seen = vec![t.label.text.to_lowercase()];
                t.questions
                    .iter()
                    .filter(|q| {
                        let key = q.text.to_lowercase();
                        let new = !seen.contains(&key);
                        if new {
                            seen.push(key);
                        }
                        new
                    })
                    .take(EXAMPLES_SHOWN)
                    .map(|q| (q.enquiry, queries::shorten(&q.text, 120)))
                    .collect()
            },
            terms: t.terms,
        })
        .collect();
    let total: i64 = days.iter().map(|d| d.total).sum();
    Ok(state
        .pages
        .render(
            "dashboard.html",
            Some(&session),
            minijinja::context! {
                title => "Dashboard", nav => "dashboard", days => days, total => total,
                share => share, answered => answered, considered => considered,
                median_reply => median_reply, replies => delays.len(), gaps => gaps,
                weeks => weeks, routed_count => routed_count,
                period => DAYS, feedback_recent => feedback_recent,
                discord => discord,
                feedback_all => feedback_all,
            },
        )
        .await?
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feedback_share() {
        assert_eq!(Feedback::new(0, 0).share_helped, None);
        assert_eq!(Feedback::new(3, 1).share_helped, Some(0.75));
        assert_eq!(Feedback::new(3, 1).total, 4);
    }

    #[test]
    fn median_of_odd_even_and_none() {
        assert_eq!(median(&mut [3, 1, 2]), Some(2.0));
        assert_eq!(median(&mut [4, 1, 2, 3]), Some(2.5));
        assert_eq!(median(&mut []), None);
    }
}
