//! Answers become knowledge: an admin answers a routed question with an entry ("answer with
//! entry…"), approves it, and accepts the one-click offer to add the sender's question as a
//! phrasing of that entry. The entry file gains the phrasing with its origin, the change is
//! audited, and once the base is reloaded (what `serve`'s watcher does, `serve_reload.rs`) a
//! similar later question is answered automatically. The change is in the entry's history as
//! a diff, and restoring the earlier text brings back the original file. On SQLite and (with TEST_DATABASE_URL)
//! PostgreSQL.

mod service_common;
#[path = "support/web_app.rs"]
mod web_app;

use std::sync::Arc;

use fpt_assist::{store, Triage};
use web_app::on_each_database;

/// The triage of the app's knowledge-base folder, put in use (as a reload does).
fn reload(app: &web_app::TestApp) {
    let triage = Triage::load(&app.kb_dir, &service_common::repo().join("templates")).unwrap();
    app.service.triage.swap(Arc::new(triage));
}

const ASKED: &str =
    "Hello, I am a registrar at a big trust, phone 07700 900123. Can I do FPT as a dental trainee?";
const LATER: &str = "Could a dental trainee do FPT?";

#[tokio::test]
async fn an_approved_answer_taught_as_a_phrasing_answers_the_next_similar_question() {
    on_each_database(|app| async move {
        service_common::copy_dir(&service_common::repo().join("faq"), &app.kb_dir);
        reload(&app);
        app.add_user("ada", "admin", None).await;
        let b = app.sign_in("ada").await;

        // not covered today: both wordings are routed
        let first = app.ingest("dental@example.org", "Dental", ASKED).await;
        assert_eq!(app.status_of(first).await, "routed");
        let probe = app.ingest("probe@example.org", "Dental", LATER).await;
        assert_eq!(app.status_of(probe).await, "routed");

        // the admin answers with the eligibility entry and approves
        let res = app
            .post(
                &format!("/enquiries/{first}/use-entry"),
                &b,
                &[("entry", "eligibility")],
            )
            .await;
        assert_eq!(res.status(), 303);
        let res = app
            .post(&format!("/enquiries/{first}/approve"), &b, &[])
            .await;
        assert_eq!(res.status(), 303);

        // the page offers the sender's question, without the personal details, for that entry
        let page = app.page(&format!("/enquiries/{first}"), &b).await;
        assert!(page.contains("id=\"learn\""), "{page}");
        assert!(
            page.contains("value=\"Can I do FPT as a dental trainee?\""),
            "{page}"
        );
        assert!(!page.contains("value=\"Hello, I am a registrar"), "{page}");
        assert!(
            page.contains("<option value=\"eligibility\" selected>"),
            "{page}"
        );

        let res = app
            .post(
                "/kb/phrasing",
                &b,
                &[
                    ("from", first.to_string().as_str()),
                    ("entry", "eligibility"),
                    (
                        "question",
                        "Can I do FPT as a dental trainee? Call 07700 900123",
                    ),
                ],
            )
            .await;
        assert_eq!(res.status(), 303);
        let file = std::fs::read_to_string(app.kb_dir.join("entries/eligibility.md")).unwrap();
        assert!(
            file.contains("\"Can I do FPT as a dental trainee? Call [number]\""),
            "{file}"
        );
        assert!(!file.contains("07700"), "{file}");
        assert!(
            file.contains("[[learned]]") && file.contains(&format!("FPT-{first}")),
            "{file}"
        );
        assert!(file.contains("by = \"ada\""), "{file}");
        let audit = {
            let mut conn = app.service.store.conn().await.unwrap();
            store::list_audit(&mut conn, Some(first)).await.unwrap()
        };
        assert!(
            audit
                .iter()
                .any(|a| a.action == "faq_phrasing" && a.detail.contains("dental")),
            "{audit:?}"
        );

        // the base still loads, and after the reload a similar question is answered from it
        let loaded = fpt_assist::kb::KnowledgeBase::load(&app.kb_dir);
        assert!(loaded.is_ok(), "{:?}", loaded.err());
        reload(&app);
        let later = app
            .ingest("later@example.org", "Dental trainees", LATER)
            .await;
        assert_eq!(
            app.status_of(later).await,
            "waiting",
            "answered, waiting for approval"
        );
        let e = {
            let mut conn = app.service.store.conn().await.unwrap();
            store::get_enquiry(&mut conn, later).await.unwrap().unwrap()
        };
        assert_eq!(e.decision, "answer");
        assert!(e.faq.contains("eligibility"), "{}", e.faq);

        // history: the change is shown as a diff, and the entry can be restored
        let original =
            std::fs::read_to_string(service_common::repo().join("faq/entries/eligibility.md"))
                .unwrap();
        let history = app.page("/kb/history/eligibility", &b).await;
        assert!(
            history.contains("+   &quot;Can I do FPT as a dental trainee? Call [number]&quot;,")
                || history.contains("+   \"Can I do FPT as a dental trainee? Call [number]\","),
            "{history}"
        );
        let version = history
            .split("name=\"version\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("a restore button")
            .to_string();
        let res = app
            .post(
                "/kb/history/eligibility/restore",
                &b,
                &[("version", version.as_str())],
            )
            .await;
        assert_eq!(res.status(), 303);
        let restored = std::fs::read_to_string(app.kb_dir.join("entries/eligibility.md")).unwrap();
        assert_eq!(restored, original);
        let history = app.page("/kb/history/eligibility", &b).await;
        assert_eq!(
            history.matches("class=\"card change\"").count(),
            2,
            "{history}"
        );
        assert!(
            history.contains("-   &quot;Can I do FPT as a dental trainee?")
                || history.contains("-   \"Can I do FPT as a dental trainee?"),
            "{history}"
        );
    })
    .await;
}
