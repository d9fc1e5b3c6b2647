//! Page rendering: the templates in `templates/web/` (built into the binary), minijinja with
//! auto-escaping for `.html` names (every value is escaped unless a template says otherwise,
//! which none do with user text), filters for times and durations, and the security headers
//! every response carries.

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{Html, Response};
use minijinja::{Environment, Value};

use super::auth::Session;
use super::error::WebResult;
use crate::store;

const PAGES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/web/base.html")),
    ("login.html", include_str!("../../templates/web/login.html")),
    ("queue.html", include_str!("../../templates/web/queue.html")),
    (
        "enquiry.html",
        include_str!("../../templates/web/enquiry.html"),
    ),
    (
        "original.html",
        include_str!("../../templates/web/original.html"),
    ),
    ("kb.html", include_str!("../../templates/web/kb.html")),
    (
        "kb_new.html",
        include_str!("../../templates/web/kb_new.html"),
    ),
    (
        "kb_history.html",
        include_str!("../../templates/web/kb_history.html"),
    ),
    (
        "dashboard.html",
        include_str!("../../templates/web/dashboard.html"),
    ),
    (
        "outbox.html",
        include_str!("../../templates/web/outbox.html"),
    ),
];

/// The page templates.
pub struct Pages {
    env: Environment<'static>,
    /// Where `oauth2-status.json` is read from, for the mail sign-in alert admins see.
    data_dir: Option<std::path::PathBuf>,
    /// Where the Discord bot records its problems, when the bot is configured.
    discord: Option<store::Store>,
}

/// How many of the bot's problems the alert lists (newest first), as `config check` does.
pub const BOT_PROBLEMS_SHOWN: usize = 5;
/// The most of one problem's text the alert shows, in characters.
const BOT_PROBLEM_CHARS: usize = 600;

impl Default for Pages {
    fn default() -> Self {
        Self::new()
    }
}

impl Pages {
    pub fn new() -> Self {
        let mut env = Environment::new();
        // `.html` templates are auto-escaped by minijinja's default callback
        env.add_filter("time", |secs: i64| time(secs));
        env.add_filter("ago", |secs: i64| duration(store::now() - secs));
        env.add_filter("duration", duration);
        env.add_filter("label", |s: String| label(&s));
        env.add_filter("percent", |x: f64| format!("{:.0}%", x * 100.0));
        for (name, source) in PAGES {
            if let Err(e) = env.add_template(name, source) {
                // checked by the tests; a broken page shows as an error when rendered
                tracing::error!("page template {name}: {e}");
            }
        }
        Pages {
            env,
            data_dir: None,
            discord: None,
        }
    }

    /// Shows admins an alert on every page while `<data_dir>/oauth2-status.json` says the
    /// OAuth2 grant needs attention.
    pub fn with_data_dir(mut self, data_dir: &std::path::Path) -> Self {
        self.data_dir = Some(data_dir.to_path_buf());
        self
    }

    /// Shows admins an alert on every page while the Discord bot has problems recorded since
    /// it last connected (refused token, Message Content intent missing, failed REST
    /// actions: `chat::store::recent_problems`, as `config check` lists them).
    pub fn with_discord_problems(mut self, store: store::Store) -> Self {
        self.discord = Some(store);
        self
    }

    /// The bot's problems an admin should see, newest first, each cut to
    /// [`BOT_PROBLEM_CHARS`]. A database error is logged and shows no alert.
    async fn bot_problems(&self) -> Vec<String> {
        let Some(store) = &self.discord else {
            return Vec::new();
        };
        match crate::chat::store::recent_problems(store, BOT_PROBLEMS_SHOWN).await {
            Ok(found) => found
                .into_iter()
                .map(|p| match p.char_indices().nth(BOT_PROBLEM_CHARS) {
                    Some((at, _)) => format!("{}…", &p[..at]),
                    None => p,
                })
                .collect(),
            Err(e) => {
                tracing::warn!("cannot read the Discord bot's problems for the alert: {e}");
                Vec::new()
            }
        }
    }

    /// Renders a page for a signed-in person (or nobody, on the sign-in page). Admins' pages
    /// carry the mail sign-in and Discord bot alerts when those need attention.
    pub async fn render(
        &self,
        name: &str,
        session: Option<&Session>,
        ctx: Value,
    ) -> WebResult<Html<String>> {
        let template = self.env.get_template(name)?;
        let admin = session.is_some_and(|s| s.role == super::auth::Role::Admin);
        let mail_alert = match &self.data_dir {
            Some(dir) if admin => crate::oauth::read_status(dir)
                .filter(crate::oauth::GrantStatus::needs_attention)
                .map(|st| st.detail),
            _ => None,
        };
        let bot_alert = if admin {
            self.bot_problems().await
        } else {
            Vec::new()
        };
        let ctx = minijinja::context! {
            me => session,
            mail_alert => mail_alert,
            bot_alert => bot_alert,
            csrf => session.map(|s| s.csrf.clone()),
            ..ctx
        };
        Ok(Html(template.render(ctx)?))
    }
}

/// `YYYY-MM-DD HH:MM UTC`.
pub fn time(secs: i64) -> String {
    let t = store::format_time(secs);
    format!("{} {} UTC", &t[..10], &t[11..16])
}

/// `3 d 4 h`, `5 h 2 min`, `12 min`, `40 s`.
pub fn duration(secs: i64) -> String {
    let secs = secs.max(0);
    let (d, h, m) = (secs / 86_400, secs % 86_400 / 3600, secs % 3600 / 60);
    if d > 0 {
        format!("{d} d {h} h")
    } else if h > 0 {
        format!("{h} h {m} min")
    } else if m > 0 {
        format!("{m} min")
    } else {
        format!("{secs} s")
    }
}

/// Words for a status or decision code.
pub fn label(code: &str) -> String {
    match code {
        "waiting" => "Draft waiting".into(),
        "routed" => "Routed".into(),
        "sent" => "Sent".into(),
        "ignored" => "Ignored".into(),
        "needs_attention" => "Needs attention".into(),
        "closed" => "Closed".into(),
        "answered_elsewhere" => "Answered elsewhere".into(),
        "answer" => "Answer".into(),
        "route" => "Route".into(),
        "ignore" => "Ignore".into(),
        "email" => "Email".into(),
        "chat" => "Chat".into(),
        other => other.replace('_', " "),
    }
}

/// Adds headers that keep pages from being framed, sniffed or loading scripts.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_labels_read_well() {
        assert_eq!(duration(40), "40 s");
        assert_eq!(duration(3 * 3600 + 120), "3 h 2 min");
        assert_eq!(duration(2 * 86_400 + 3600), "2 d 1 h");
        assert_eq!(label("needs_attention"), "Needs attention");
        assert_eq!(time(0), "1970-01-01 00:00 UTC");
    }

    #[test]
    fn every_page_template_parses() {
        let mut env = Environment::new();
        for (name, source) in PAGES {
            env.add_template(name, source)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}
