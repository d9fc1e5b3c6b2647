//! The example mails of the README's first run (`docs/example-mails/`) do what the walkthrough
//! says: answered (a draft waits), routed to the region of the hospital named (and the sender
//! acknowledged), and an out-of-office ignored.

mod service_common;

use fpt_assist::service::Outcome;
use fpt_assist::store::{self, Status};

#[tokio::test]
async fn the_walkthrough_examples_are_answered_routed_and_ignored() {
    let db = service_common::databases().await.remove(0);
    let svc = service_common::service(&db).await;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/example-mails");
    let mut seen = Vec::new();
    for (file, want) in [
        ("answerable.eml", Status::Waiting),
        ("routed-hospital.eml", Status::Routed),
        ("out-of-office.eml", Status::Ignored),
    ] {
        let raw = std::fs::read(dir.join(file)).unwrap();
        let Outcome::Stored { id, status, .. } = svc.ingestor().ingest_raw(&raw).await.unwrap()
        else {
            panic!("{file} not stored");
        };
        assert_eq!(status, want, "{file}");
        seen.push(id);
    }
    let mut conn = svc.store.conn().await.unwrap();
    let routed = store::get_enquiry(&mut conn, seen[1])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(routed.region.as_deref(), Some("yorkshire-humber"));
    let kinds: Vec<String> = store::list_outbox(&mut conn, Some(seen[1]))
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.kind)
        .collect();
    assert!(kinds.contains(&"ack".to_string()) && kinds.contains(&"lead_notification".to_string()));
    assert!(store::latest_draft(&mut conn, seen[0])
        .await
        .unwrap()
        .is_some());
    assert!(store::list_outbox(&mut conn, Some(seen[2]))
        .await
        .unwrap()
        .is_empty());
}
