//! The regression gate in the web app: a new FAQ entry that would take over questions an
//! admin approved answers to is shown with those enquiries (linked) before anything is
//! written; "save anyway" writes it and records the regressions in the audit log; a harmless
//! entry previews as "no answer changes". On SQLite and (with TEST_DATABASE_URL) PostgreSQL.

mod service_common;
#[path = "support/web_app.rs"]
mod web_app;

use fpt_assist::store;
use service_common::{ANSWERABLE, ROUTED};
use web_app::on_each_database;

#[tokio::test]
async fn an_entry_that_would_break_approved_answers_is_shown_before_saving() {
    on_each_database(|app| async move {
        app.add_user("ada", "admin", None).await;
        let b = app.sign_in("ada").await;

        // an answer the admin approved: from now on a labelled example
        let answered = app
            .ingest("gp@example.org", "GP trainees", ANSWERABLE)
            .await;
        assert_eq!(app.status_of(answered).await, "waiting");
        let entry = {
            let mut conn = app.service.store.conn().await.unwrap();
            let e = store::get_enquiry(&mut conn, answered)
                .await
                .unwrap()
                .unwrap();
            serde_json::from_str::<Vec<String>>(&e.faq).unwrap()[0].clone()
        };
        let res = app
            .post(&format!("/enquiries/{answered}/approve"), &b, &[])
            .await;
        assert_eq!(res.status(), 303);
        let routed = app.ingest("img@example.org", "Visa question", ROUTED).await;

        // a new entry asking exactly what the approved one answers
        let questions = app
            .service
            .triage
            .current()
            .kb
            .entry(&entry)
            .unwrap()
            .questions
            .join("\n");
        let fields = [
            ("from", routed.to_string()),
            ("id", "gp-copy".to_string()),
            ("title", "GP trainees and FPT (copy)".to_string()),
            ("questions", questions),
            (
                "answer",
                "A test answer that should not replace the approved one.".to_string(),
            ),
        ];
        let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = app.post("/kb/new", &b, &form).await;
        assert_eq!(
            res.status(),
            200,
            "not written: the form comes back with the gate"
        );
        let page = res.text().await.unwrap();
        assert!(page.contains("id=\"gate\""), "{page}");
        assert!(
            page.contains(&format!("1 enquiry answered from `{entry}` would now be")),
            "{page}"
        );
        assert!(
            page.contains(&format!("href=\"/enquiries/{answered}\"")),
            "the enquiry is linked: {page}"
        );
        assert!(page.contains("name=\"save_anyway\""), "{page}");
        let file = app.kb_dir.join("entries/gp-copy.md");
        assert!(!file.exists(), "nothing written before the admin decides");

        // saving anyway writes it and records why in the audit log
        let mut anyway = form.clone();
        anyway.push(("save_anyway", "1"));
        let res = app.post("/kb/new", &b, &anyway).await;
        assert_eq!(res.status(), 303);
        assert!(file.exists());
        let audit = {
            let mut conn = app.service.store.conn().await.unwrap();
            store::list_audit(&mut conn, Some(routed)).await.unwrap()
        };
        assert!(
            audit.iter().any(|a| a.action == "faq_entry"
                && a.detail.contains("despite regressions")
                && a.detail.contains(&format!("answered from `{entry}`"))),
            "{audit:?}"
        );

        // a harmless entry: the preview says nothing changes and writes nothing
        let res = app
            .post(
                "/kb/new",
                &b,
                &[
                    ("from", routed.to_string().as_str()),
                    ("id", "bicycle-storage"),
                    ("title", "Bicycle storage (test entry)"),
                    ("questions", "Where can I lock up my bicycle?"),
                    ("answer", "A test answer."),
                    ("preview", "1"),
                ],
            )
            .await;
        let status = res.status();
        let page = res.text().await.unwrap();
        assert_eq!(status, 200, "{page}");
        assert!(page.contains("No answer changes"), "{page}");
        assert!(!app.kb_dir.join("entries/bicycle-storage.md").exists());
    })
    .await;
}
