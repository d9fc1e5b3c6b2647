//! Gaps as topics: the dashboard groups routed questions by meaning. Several ways of asking
//! about parental leave make one topic, counted and listed with its wordings and a "write an
//! entry for this" link; unrelated questions stay topics of their own. On SQLite and (with
//! TEST_DATABASE_URL) PostgreSQL; with the model when `FPT_TEST_MODEL` (or
//! `models/all-MiniLM-L6-v2`) is there (then a "maternity leave" wording joins too), by shared
//! key terms otherwise.

mod service_common;
#[path = "support/web_app.rs"]
mod web_app;

use std::path::PathBuf;
use std::sync::Arc;

use fpt_assist::draft::Drafter;
use fpt_assist::kb::KnowledgeBase;
use fpt_assist::matcher::{Embed, Semantic};
use fpt_assist::model::Embedder;
use fpt_assist::Triage;
use web_app::on_each_database;

fn model_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("FPT_TEST_MODEL")
        .map(PathBuf::from)
        .unwrap_or_else(|| service_common::repo().join("models/all-MiniLM-L6-v2"));
    dir.join("model.safetensors").exists().then_some(dir)
}

/// The shipped base with semantic matching, when the model is installed.
fn semantic_triage() -> Option<Arc<Triage>> {
    let dir = model_dir()?;
    let repo = service_common::repo();
    let kb = KnowledgeBase::load(&repo.join("faq")).unwrap();
    let model: Arc<dyn Embed> = Arc::new(Embedder::load(&dir).expect("the model loads"));
    let semantic = Semantic::embed_kb(model, &kb).expect("the base embeds");
    let drafter = Drafter::load(&repo.join("templates")).unwrap();
    Some(Arc::new(Triage::with_semantic(kb, drafter, Some(semantic))))
}

const LEAVE: [&str; 3] = [
    "Can I still do FPT while I am on parental leave?",
    "What happens to my protected day when I go off on parental leave?",
    "Does parental leave pause or end my place on the scheme?",
];
const MATERNITY: &str = "I am expecting a baby soon. Will my maternity leave affect my FPT?";
const OTHERS: [&str; 2] = [
    "Will FPT affect my visa sponsorship with my trust?",
    "How do I claim travel expenses for my FPT project?",
];

/// The rows of the topics table, in order.
fn topic_rows(html: &str) -> Vec<String> {
    let Some(start) = html.find("<table id=\"topics\">") else {
        return Vec::new();
    };
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    table
        .split("<tr class=\"topic\">")
        .skip(1)
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn paraphrased_routed_questions_make_one_topic() {
    let semantic = semantic_triage();
    on_each_database(|app| {
        let semantic = semantic.clone();
        async move {
            if let Some(t) = semantic {
                app.service.triage.swap(t);
            }
            let model = app.service.triage.current().semantic();
            app.add_user("ada", "admin", None).await;
            let b = app.sign_in("ada").await;
            let mut leave_ids = Vec::new();
            let mut wordings: Vec<&str> = LEAVE.to_vec();
            if model {
                wordings.push(MATERNITY);
            }
            for (i, q) in wordings.iter().enumerate() {
                let id = app
                    .ingest(&format!("reg{i}@example.org"), "A question", q)
                    .await;
                assert_eq!(app.status_of(id).await, "routed", "{q}");
                leave_ids.push(id);
            }
            let mut other_ids = Vec::new();
            for (i, q) in OTHERS.iter().enumerate() {
                let id = app
                    .ingest(&format!("other{i}@example.org"), "A question", q)
                    .await;
                assert_eq!(app.status_of(id).await, "routed", "{q}");
                other_ids.push(id);
            }

            let dash = app.page("/dashboard", &b).await;
            let rows = topic_rows(&dash);
            assert!(rows.len() >= 2, "{dash}");
            // the largest topic first: every parental-leave wording, and nothing else
            let first = &rows[0];
            assert!(
                first.contains(&format!("<td class=\"count\">{}</td>", leave_ids.len())),
                "{first}"
            );
            for id in &leave_ids {
                assert!(
                    first.contains(&format!("/enquiries/{id}\"")),
                    "{id}: {first}"
                );
            }
            for id in &other_ids {
                assert!(
                    !first.contains(&format!("/enquiries/{id}\"")),
                    "{id}: {first}"
                );
            }
            assert!(first.contains("/kb/new?from="), "{first}");
            // the other questions are topics of their own, once each
            for id in &other_ids {
                let holding: Vec<&String> = rows
                    .iter()
                    .filter(|r| r.contains(&format!("/enquiries/{id}\"")))
                    .collect();
                assert_eq!(holding.len(), 1, "{id}: {rows:#?}");
                assert!(
                    holding[0].contains("<td class=\"count\">1</td>"),
                    "{rows:#?}"
                );
            }
            // the first lines are no longer listed one by one
            assert_eq!(rows.len(), 1 + other_ids.len(), "{rows:#?}");
        }
    })
    .await;
}
