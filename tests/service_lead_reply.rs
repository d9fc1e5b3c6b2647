//! A regional lead (or the admin team) answering a routed-enquiry notification by email: the
//! reply becomes a draft on the routed enquiry, waiting for approval, and is never an enquiry
//! of its own or acknowledged — but only when it carries the notification's token and our
//! receiving server's Authentication-Results pass for the lead's domain. Forged replies are
//! ordinary, flagged messages; a finished enquiry is never reopened. On SQLite always,
//! PostgreSQL when TEST_DATABASE_URL is set.

mod service_common;

use fpt_assist::service::{actions, Outcome, Service};
use fpt_assist::store::{self, Status};
use service_common::*;

const YORKSHIRE_LEAD: &str = "lead.yorkshire-humber@example.org";
const ADMIN_TEAM: &str = "fpt-admin@example.org";
const LEAD_ANSWER: &str = "FPT does not change your sponsorship: your trust stays your sponsor.";
/// Our receiving server's authserv-id (RFC 8601).
const MX: &str = "mx.fpt.example.org";

/// A service that believes `MX`'s Authentication-Results.
async fn service(db: &TestDb) -> Service {
    service_with(
        db,
        |c| c.mail.trusted_authserv_ids = vec![MX.to_string()],
        None,
    )
    .await
}

/// What our server adds when the lead's domain signed the mail.
fn passed(from: &str) -> String {
    let domain = from.rsplit('@').next().unwrap_or_default().to_lowercase();
    format!("Authentication-Results: {MX}; dkim=pass header.d={domain}; dmarc=pass header.from={domain}\r\n")
}

async fn routed(svc: &Service, message_id: &str, body: &str) -> (i64, String) {
    let raw = eml(
        "img.doctor@example.com",
        "visa question",
        Some(message_id),
        "",
        body,
    );
    let Outcome::Stored { id, status, .. } = svc.ingestor().ingest_raw(&raw).await.unwrap() else {
        panic!("not stored");
    };
    assert_eq!(status, Status::Routed);
    let mut conn = svc.store.conn().await.unwrap();
    let note = store::list_outbox(&mut conn, Some(id))
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.kind == "lead_notification")
        .expect("a lead notification is queued");
    (id, note.message_id)
}

/// A lead's reply as our server would deliver it (authenticated).
fn lead_reply(from: &str, id: &str, notification: &str, extra: &str) -> Vec<u8> {
    unauthenticated_reply(from, id, notification, &format!("{}{extra}", passed(from)))
}

/// A reply claiming to be from `from`, with only the headers given.
fn unauthenticated_reply(from: &str, id: &str, notification: &str, extra: &str) -> Vec<u8> {
    let headers =
        format!("In-Reply-To: <{notification}>\r\nReferences: <{notification}>\r\n{extra}");
    let body = format!(
        "Hi,\r\n\r\n{LEAD_ANSWER}\r\n\r\nBest wishes,\r\nAlex\r\n\r\nOn Mon, FPT wrote:\r\n> I am an IMG in Leeds. Will FPT affect my visa sponsorship?\r\n"
    );
    eml(from, "Re: [FPT-1] visa question", Some(id), &headers, &body)
}

async fn counts(svc: &Service) -> (usize, usize) {
    let mut conn = svc.store.conn().await.unwrap();
    (
        store::list_enquiries(&mut conn, None).await.unwrap().len(),
        store::list_outbox(&mut conn, None).await.unwrap().len(),
    )
}

#[tokio::test]
async fn a_leads_reply_becomes_a_draft_waiting_for_approval() {
    for db in databases().await {
        let svc = service(&db).await;
        let (id, notification) = routed(&svc, "visa1@example.com", ROUTED).await;
        let before = counts(&svc).await;

        let reply = lead_reply(
            &YORKSHIRE_LEAD.to_uppercase(),
            "lead1@example.org",
            &notification,
            "",
        );
        let outcome = svc.ingestor().ingest_raw(&reply).await.unwrap();
        assert_eq!(
            outcome,
            Outcome::LeadReply {
                enquiry_id: id,
                version: Some(1)
            },
            "{}",
            db.name
        );
        assert_eq!(
            counts(&svc).await,
            before,
            "{}: no enquiry, no mail",
            db.name
        );

        let mut conn = svc.store.conn().await.unwrap();
        let draft = store::latest_draft(&mut conn, id).await.unwrap().unwrap();
        assert_eq!(draft.edited_by, YORKSHIRE_LEAD);
        assert!(draft.text.contains(LEAD_ANSWER), "{}", draft.text);
        assert!(!draft.text.contains("> I am an IMG"), "{}", draft.text);
        let row = store::get_enquiry(&mut conn, id).await.unwrap().unwrap();
        assert_eq!(row.status, "waiting");
        let audit = store::list_audit(&mut conn, Some(id)).await.unwrap();
        assert!(
            audit
                .iter()
                .any(|a| a.action == "lead_reply" && a.actor == YORKSHIRE_LEAD),
            "{audit:?}"
        );
        drop(conn);

        // the same message again (a re-fetch after a crash): nothing new
        assert_eq!(
            svc.ingestor().ingest_raw(&reply).await.unwrap(),
            Outcome::Duplicate { id }
        );
        let mut conn = svc.store.conn().await.unwrap();
        assert_eq!(store::drafts(&mut conn, id).await.unwrap().len(), 1);
        drop(conn);

        // the admin approves: the lead's words go to the enquirer, threaded
        let approved = actions::approve(&svc.store, &svc.config, id, "alice", &Default::default())
            .await
            .unwrap();
        assert_eq!(approved.version, 1);
        let mut conn = svc.store.conn().await.unwrap();
        let reply_row = store::list_outbox(&mut conn, Some(id))
            .await
            .unwrap()
            .into_iter()
            .find(|o| o.kind == "reply")
            .expect("reply queued");
        assert_eq!(reply_row.to_addr, "img.doctor@example.com");
        assert!(reply_row.body_text.contains(LEAD_ANSWER));
        assert_eq!(reply_row.in_reply_to.as_deref(), Some("visa1@example.com"));
        drop(conn);
        db.finish().await;
    }
}

#[tokio::test]
async fn only_leads_answering_a_notification_make_drafts() {
    for db in databases().await {
        let svc = service(&db).await;
        // no region → the admin team is notified, and may answer
        let (id, notification) = routed(
            &svc,
            "visa2@example.com",
            "Will FPT affect my visa sponsorship with my trust?",
        )
        .await;
        let out = svc
            .ingestor()
            .ingest_raw(&lead_reply(
                ADMIN_TEAM,
                "admin1@example.org",
                &notification,
                "",
            ))
            .await
            .unwrap();
        assert!(
            matches!(out, Outcome::LeadReply { enquiry_id, version: Some(_) } if enquiry_id == id),
            "{}: {out:?}",
            db.name
        );

        // a lead's out-of-office is ignored like anyone's: no draft
        let (id2, note2) = routed(&svc, "visa3@example.com", ROUTED).await;
        let ooo = lead_reply(
            YORKSHIRE_LEAD,
            "ooo1@example.org",
            &note2,
            "Auto-Submitted: auto-replied\r\n",
        );
        let out = svc.ingestor().ingest_raw(&ooo).await.unwrap();
        assert!(
            matches!(
                out,
                Outcome::Stored {
                    status: Status::Ignored,
                    ..
                }
            ),
            "{out:?}"
        );
        let mut conn = svc.store.conn().await.unwrap();
        assert!(store::drafts(&mut conn, id2).await.unwrap().is_empty());
        drop(conn);

        // someone else answering the notification: an ordinary follow-up in the thread
        let (_, outbox_before) = counts(&svc).await;
        let out = svc
            .ingestor()
            .ingest_raw(&lead_reply(
                "someone@example.net",
                "other1@example.org",
                &note2,
                "",
            ))
            .await
            .unwrap();
        let Outcome::Stored { thread_id, .. } = out else {
            panic!("{out:?}");
        };
        assert_eq!(thread_id, id2);
        let mut conn = svc.store.conn().await.unwrap();
        assert!(store::drafts(&mut conn, id2).await.unwrap().is_empty());
        drop(conn);

        // a lead writing a new message (no notification referenced) is an ordinary enquiry
        let out = svc
            .ingestor()
            .ingest_raw(&eml(
                YORKSHIRE_LEAD,
                "question",
                Some("leadq@example.org"),
                "",
                ANSWERABLE,
            ))
            .await
            .unwrap();
        assert!(matches!(out, Outcome::Stored { .. }), "{out:?}");
        assert!(counts(&svc).await.1 >= outbox_before);
        db.finish().await;
    }
}

async fn flagged(svc: &Service, id: i64) -> bool {
    let mut conn = svc.store.conn().await.unwrap();
    store::list_audit(&mut conn, Some(id))
        .await
        .unwrap()
        .iter()
        .any(|a| a.action == "flagged")
}

#[tokio::test]
async fn forged_lead_replies_are_ordinary_flagged_messages() {
    for db in databases().await {
        let svc = service(&db).await;
        let (id, notification) = routed(&svc, "visa4@example.com", ROUTED).await;
        assert!(
            notification.starts_with(&format!("lead-{id}.")),
            "the Message-ID carries a token: {notification}"
        );
        // 1. the guessable id of old (`lead-<id>@<domain>`), with a passing header
        let guessed = format!("lead-{id}@{}", svc.config.mail.domain);
        // 2. the real notification id, but no Authentication-Results
        // 3. the real id, with a pass from a server we do not trust
        let attempts = [
            lead_reply(YORKSHIRE_LEAD, "forged1@example.org", &guessed, ""),
            unauthenticated_reply(YORKSHIRE_LEAD, "forged2@example.org", &notification, ""),
            unauthenticated_reply(
                YORKSHIRE_LEAD,
                "forged3@example.org",
                &notification,
                "Authentication-Results: mx.attacker.example; dkim=pass header.d=example.org\r\n",
            ),
        ];
        for raw in &attempts {
            let out = svc.ingestor().ingest_raw(raw).await.unwrap();
            let Outcome::Stored {
                id: stored,
                thread_id,
                status,
            } = out
            else {
                panic!(
                    "{}: a forged reply must be an ordinary message: {out:?}",
                    db.name
                );
            };
            assert_eq!(status, Status::NeedsAttention, "{}", db.name);
            assert_eq!(thread_id, id, "attached to the thread");
            assert!(flagged(&svc, stored).await, "{}: flagged", db.name);
        }
        let mut conn = svc.store.conn().await.unwrap();
        assert!(
            store::drafts(&mut conn, id).await.unwrap().is_empty(),
            "{}: no draft credited to the lead",
            db.name
        );
        let e = store::get_enquiry(&mut conn, id).await.unwrap().unwrap();
        assert_eq!(e.status, "routed");
        let audit = store::list_audit(&mut conn, Some(id)).await.unwrap();
        assert!(
            !audit.iter().any(|a| a.actor == YORKSHIRE_LEAD),
            "{audit:?}"
        );
        drop(conn);
        db.finish().await;
    }
}

#[tokio::test]
async fn a_sent_enquiry_is_not_reopened_by_a_leads_reply() {
    for db in databases().await {
        let svc = service(&db).await;
        let (id, notification) = routed(&svc, "visa5@example.com", ROUTED).await;
        let first = lead_reply(YORKSHIRE_LEAD, "lead5a@example.org", &notification, "");
        assert!(matches!(
            svc.ingestor().ingest_raw(&first).await.unwrap(),
            Outcome::LeadReply {
                version: Some(1),
                ..
            }
        ));
        actions::approve(&svc.store, &svc.config, id, "alice", &Default::default())
            .await
            .unwrap();
        svc.worker().run_once().await.unwrap();
        assert_eq!(status_of(&svc, id).await, "sent", "{}", db.name);

        // a genuine second reply from the lead, after the answer went out
        let late = lead_reply(YORKSHIRE_LEAD, "lead5b@example.org", &notification, "");
        let out = svc.ingestor().ingest_raw(&late).await.unwrap();
        let Outcome::Stored {
            id: stored, status, ..
        } = out
        else {
            panic!("{}: {out:?}", db.name);
        };
        assert_eq!(status, Status::NeedsAttention);
        assert!(flagged(&svc, stored).await);
        assert_eq!(
            status_of(&svc, id).await,
            "sent",
            "{}: not reopened",
            db.name
        );
        let mut conn = svc.store.conn().await.unwrap();
        assert_eq!(store::drafts(&mut conn, id).await.unwrap().len(), 1);
        drop(conn);
        db.finish().await;
    }
}

async fn status_of(svc: &Service, id: i64) -> String {
    let mut conn = svc.store.conn().await.unwrap();
    store::get_enquiry(&mut conn, id)
        .await
        .unwrap()
        .unwrap()
        .status
}
