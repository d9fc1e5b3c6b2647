//! Ingest on real databases (SQLite always, PostgreSQL when TEST_DATABASE_URL is set): Maildir
//! in, duplicates, threads, ignored mail, routing, and hostile messages.

mod service_common;

use fpt_assist::service::maildir::{collect, ingest_files};
use fpt_assist::service::Outcome;
use fpt_assist::store::{self, Status};
use service_common::*;

async fn stored(outcome: Outcome) -> (i64, i64, Status) {
    match outcome {
        Outcome::Stored {
            id,
            thread_id,
            status,
        } => (id, thread_id, status),
        other => panic!("expected a stored enquiry, got {other:?}"),
    }
}

#[tokio::test]
async fn maildir_is_ingested_once_and_moved_to_cur() {
    for db in databases().await {
        let svc = service(&db).await;
        let maildir = db.dir.path().join("Maildir");
        for sub in ["new", "cur", "tmp"] {
            std::fs::create_dir_all(maildir.join(sub)).unwrap();
        }
        let msgs = [
            eml(
                "a@example.org",
                "eligibility",
                Some("m1@example.org"),
                "",
                ANSWERABLE,
            ),
            eml("b@example.org", "visa", Some("m2@example.org"), "", ROUTED),
            eml("c@example.org", "no id", None, "", ANSWERABLE),
        ];
        for (i, m) in msgs.iter().enumerate() {
            std::fs::write(maildir.join("new").join(format!("{i}.eml")), m).unwrap();
        }
        let files = collect(std::slice::from_ref(&maildir)).unwrap();
        assert_eq!(files.len(), 3);
        let report = ingest_files(&svc.ingestor(), &files, |_, _| {})
            .await
            .unwrap();
        assert_eq!(report.stored, 3, "{}: {report:?}", db.name);
        assert!(files_in(&maildir.join("new")).is_empty());
        let cur = files_in(&maildir.join("cur"));
        assert_eq!(cur.len(), 3);
        assert!(cur.iter().all(|p| p.to_string_lossy().ends_with(":2,S")));

        // the same files again (now in cur/): duplicates, nothing new
        let again = ingest_files(&svc.ingestor(), &collect(&[maildir]).unwrap(), |_, _| {})
            .await
            .unwrap();
        assert_eq!((again.stored, again.duplicates), (0, 3), "{}", db.name);

        let mut conn = svc.store.conn().await.unwrap();
        let all = store::list_enquiries(&mut conn, None).await.unwrap();
        assert_eq!(all.len(), 3, "{}", db.name);
        assert_eq!(all[0].status, "waiting");
        assert_eq!(all[1].status, "routed");
        assert!(all[2].external_id.starts_with("sha256:"));
        let waiting = store::list_enquiries(&mut conn, Some(Status::Waiting))
            .await
            .unwrap();
        assert_eq!(waiting.len(), 2);
        // the answered ones have a draft waiting for approval, and nothing queued
        let draft = store::latest_draft(&mut conn, all[0].id)
            .await
            .unwrap()
            .unwrap();
        assert!(draft.approved_at.is_none() && !draft.text.is_empty());
        assert!(store::list_outbox(&mut conn, Some(all[0].id))
            .await
            .unwrap()
            .is_empty());
        // every ingest is audited
        assert_eq!(store::list_audit(&mut conn, None).await.unwrap().len(), 3);
        db.finish().await;
    }
}

#[tokio::test]
async fn duplicates_are_stored_once_with_or_without_message_id() {
    for db in databases().await {
        let svc = service(&db).await;
        let ing = svc.ingestor();
        let with_id = eml(
            "a@example.org",
            "q",
            Some("dup@example.org"),
            "",
            ANSWERABLE,
        );
        let first = stored(ing.ingest_raw(&with_id).await.unwrap()).await.0;
        assert_eq!(
            ing.ingest_raw(&with_id).await.unwrap(),
            Outcome::Duplicate { id: first }
        );
        // same Message-ID, different bytes (e.g. re-delivered with extra headers)
        let mut resent = b"Received: from relay\r\n".to_vec();
        resent.extend_from_slice(&with_id);
        assert_eq!(
            ing.ingest_raw(&resent).await.unwrap(),
            Outcome::Duplicate { id: first }
        );
        let no_id = eml("b@example.org", "q", None, "", ANSWERABLE);
        let second = stored(ing.ingest_raw(&no_id).await.unwrap()).await.0;
        assert_eq!(
            ing.ingest_raw(&no_id).await.unwrap(),
            Outcome::Duplicate { id: second }
        );
        let mut conn = svc.store.conn().await.unwrap();
        assert_eq!(
            store::list_enquiries(&mut conn, None).await.unwrap().len(),
            2,
            "{}",
            db.name
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn follow_ups_join_their_thread() {
    for db in databases().await {
        let svc = service(&db).await;
        let ing = svc.ingestor();
        let (root, root_thread, _) = stored(
            ing.ingest_raw(&eml(
                "a@example.org",
                "visa",
                Some("root@example.org"),
                "",
                ROUTED,
            ))
            .await
            .unwrap(),
        )
        .await;
        assert_eq!(root, root_thread);
        // In-Reply-To their own earlier message
        let (_, t1, _) = stored(
            ing.ingest_raw(&eml(
                "a@example.org",
                "Re: visa",
                Some("f1@example.org"),
                "In-Reply-To: <root@example.org>\r\nReferences: <root@example.org>\r\n",
                "Any news?",
            ))
            .await
            .unwrap(),
        )
        .await;
        assert_eq!(t1, root, "{}", db.name);
        // a reply to our acknowledgement (its Message-ID is ours)
        let mut conn = svc.store.conn().await.unwrap();
        let ack = store::list_outbox(&mut conn, Some(root))
            .await
            .unwrap()
            .into_iter()
            .find(|o| o.kind == "ack")
            .expect("an acknowledgement was queued");
        drop(conn);
        let (_, t2, _) = stored(
            ing.ingest_raw(&eml(
                "a@example.org",
                "Re: visa",
                Some("f2@example.org"),
                &format!("In-Reply-To: <{}>\r\n", ack.message_id),
                "Thanks, one more thing about my visa in Leeds?",
            ))
            .await
            .unwrap(),
        )
        .await;
        assert_eq!(t2, root, "{}", db.name);
        // only our reference in the subject
        let (_, t3, _) = stored(
            ing.ingest_raw(&eml(
                "a@example.org",
                &format!("Re: visa [FPT-{root}]"),
                Some("f3@example.org"),
                "",
                "Hello again about my visa",
            ))
            .await
            .unwrap(),
        )
        .await;
        assert_eq!(t3, root, "{}", db.name);
        // follow-ups are not acknowledged again
        let mut conn = svc.store.conn().await.unwrap();
        let acks = store::list_outbox(&mut conn, None)
            .await
            .unwrap()
            .into_iter()
            .filter(|o| o.kind == "ack")
            .count();
        assert_eq!(acks, 1, "{}", db.name);
        db.finish().await;
    }
}

#[tokio::test]
async fn out_of_office_is_stored_ignored_with_nothing_queued() {
    for db in databases().await {
        let svc = service(&db).await;
        let raw = eml(
            "a@example.org",
            "Automatic reply: FPT question",
            Some("ooo@example.org"),
            "Auto-Submitted: auto-replied\r\n",
            "I am out of the office until Monday. How do I apply for FPT?",
        );
        let (id, _, status) = stored(svc.ingestor().ingest_raw(&raw).await.unwrap()).await;
        assert_eq!(status, Status::Ignored);
        let mut conn = svc.store.conn().await.unwrap();
        assert!(store::list_outbox(&mut conn, None)
            .await
            .unwrap()
            .is_empty());
        assert!(store::drafts(&mut conn, id).await.unwrap().is_empty());
        assert_eq!(
            store::get_enquiry(&mut conn, id)
                .await
                .unwrap()
                .unwrap()
                .status,
            "ignored"
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn routed_enquiry_notifies_the_lead_and_acknowledges_the_sender() {
    for db in databases().await {
        let svc = service(&db).await;
        let raw = eml(
            "Jo <jo@example.org>",
            "visa",
            Some("r1@example.org"),
            "",
            ROUTED,
        );
        let (id, _, status) = stored(svc.ingestor().ingest_raw(&raw).await.unwrap()).await;
        assert_eq!(status, Status::Routed);
        let mut conn = svc.store.conn().await.unwrap();
        let e = store::get_enquiry(&mut conn, id).await.unwrap().unwrap();
        let lead = svc
            .triage
            .current()
            .contact_for(e.region.as_deref())
            .email
            .clone();
        let rows = store::list_outbox(&mut conn, Some(id)).await.unwrap();
        let kinds: Vec<(&str, &str)> = rows
            .iter()
            .map(|o| (o.kind.as_str(), o.to_addr.as_str()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("lead_notification", lead.as_str()),
                ("ack", "jo@example.org")
            ],
            "{}",
            db.name
        );
        assert!(rows
            .iter()
            .all(|o| o.auto_submitted && o.status == "pending"));
        assert_eq!(rows[1].in_reply_to.as_deref(), Some("r1@example.org"));
        assert!(rows[1].subject.starts_with("Re: visa"));
        db.finish().await;
    }
}

#[tokio::test]
async fn robots_and_our_own_address_get_no_automatic_mail() {
    for db in databases().await {
        let svc = service(&db).await;
        let ing = svc.ingestor();
        for (i, from) in [
            "no-reply@example.org",
            svc.config.mail.address.as_str(), // ours
        ]
        .iter()
        .enumerate()
        {
            let raw = eml(
                from,
                "visa",
                Some(&format!("robot{i}@example.org")),
                "",
                ROUTED,
            );
            let outcome = ing.ingest_raw(&raw).await.unwrap();
            let Outcome::Stored { id, .. } = outcome else {
                panic!("{outcome:?}")
            };
            let mut conn = svc.store.conn().await.unwrap();
            let rows = store::list_outbox(&mut conn, Some(id)).await.unwrap();
            assert!(
                rows.iter().all(|o| o.to_addr != *from),
                "{}: queued mail to {from}",
                db.name
            );
        }
        db.finish().await;
    }
}

#[tokio::test]
async fn hostile_messages_are_stored_or_flagged_never_a_crash() {
    for db in databases().await {
        let svc = service(&db).await;
        let ing = svc.ingestor();
        // malformed MIME: a multipart with no boundary and a broken header block
        let malformed = b"From: a@example.org\r\nSubject: broken\r\nContent-Type: multipart/mixed\r\nMessage-ID: <bad@example.org>\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nhello\r\n--x".to_vec();
        // not a message at all
        let garbage = b"\x00\x01\x02\xff\xfe not mail".to_vec();
        // a 25 MB attachment
        let big = {
            let mut m = b"From: a@example.org\r\nSubject: cv\r\nMessage-ID: <big@example.org>\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nPlease see my CV. How do I apply for FPT?\r\n--b\r\nContent-Type: application/pdf; name=\"cv.pdf\"\r\nContent-Disposition: attachment; filename=\"cv.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n".to_vec();
            let line =
                "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB\r\n";
            while m.len() < 25 * 1024 * 1024 {
                m.extend_from_slice(line.as_bytes());
            }
            m.extend_from_slice(b"--b--\r\n");
            m
        };
        let empty = eml("a@example.org", "empty", Some("empty@example.org"), "", "");
        let long = {
            let body: String = (0..20_000)
                .map(|i| format!("line {i} of a very long message\n"))
                .collect();
            eml("a@example.org", "long", Some("long@example.org"), "", &body)
        };
        let injection = eml(
            "a@example.org",
            "=?UTF-8?Q?Hello=0D=0ABcc:_victim@example.org?=",
            Some("inj@example.org"),
            "",
            ANSWERABLE,
        );
        for (name, raw) in [
            ("malformed", &malformed),
            ("garbage", &garbage),
            ("25 MB attachment", &big),
            ("empty body", &empty),
            ("20,000 lines", &long),
            ("header injection", &injection),
        ] {
            let outcome = ing.ingest_raw(raw).await;
            assert!(
                matches!(outcome, Ok(Outcome::Stored { .. })),
                "{}: {name}: {outcome:?}",
                db.name
            );
        }
        let mut conn = svc.store.conn().await.unwrap();
        let all = store::list_enquiries(&mut conn, None).await.unwrap();
        assert_eq!(all.len(), 6);
        // the unreadable one is flagged for a person, with nothing sent
        let garbage_row = &all[1];
        assert!(
            garbage_row.status == "needs_attention" || garbage_row.status == "ignored",
            "{:?}",
            garbage_row.status
        );
        assert!(store::list_outbox(&mut conn, Some(garbage_row.id))
            .await
            .unwrap()
            .is_empty());
        // the raw 25 MB message is kept whole
        let big_row = store::get_enquiry(&mut conn, all[2].id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(big_row.raw.as_ref().map(Vec::len), Some(big.len()));
        assert!(big_row.attachments.contains("cv.pdf"));
        // the injected subject is one line
        let inj = &all[5];
        assert!(!inj.subject.as_deref().unwrap_or("").contains('\n'));
        db.finish().await;
    }
}

/// A Maildir under `db.dir` with `msgs` in `new/` as `NN.eml`.
fn maildir_with(db: &TestDb, msgs: &[Vec<u8>]) -> std::path::PathBuf {
    let maildir = db.dir.path().join("Maildir");
    for sub in ["new", "cur", "tmp"] {
        std::fs::create_dir_all(maildir.join(sub)).unwrap();
    }
    for (i, m) in msgs.iter().enumerate() {
        std::fs::write(maildir.join("new").join(format!("{i:02}.eml")), m).unwrap();
    }
    maildir
}

/// The senders of every stored enquiry, sorted.
async fn stored_senders(svc: &fpt_assist::service::Service) -> Vec<String> {
    let mut conn = svc.store.conn().await.unwrap();
    let mut senders: Vec<String> = store::list_enquiries(&mut conn, None)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.sender)
        .collect();
    senders.sort();
    senders
}

/// Runs DDL the test uses to make the database misbehave (simple query protocol).
async fn ddl(svc: &fpt_assist::service::Service, sql: &str) {
    let mut conn = svc.store.conn().await.unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(&mut *conn)
        .await
        .unwrap();
}

fn question_from(i: usize, from: &str) -> Vec<u8> {
    eml(
        from,
        &format!("question {i}"),
        Some(&format!("group-{i}@example.org")),
        "",
        if i.is_multiple_of(2) {
            ANSWERABLE
        } else {
            ROUTED
        },
    )
}

#[tokio::test]
async fn a_poison_message_in_a_group_fails_alone_and_the_rest_are_stored() {
    for db in databases().await {
        let svc = service(&db).await;
        // the database refuses one sender's message, as a full disk or a corrupt page would
        // refuse some message in production
        if db.name == "postgres" {
            ddl(
                &svc,
                "CREATE FUNCTION refuse_poison() RETURNS trigger AS $$ BEGIN \
                 IF NEW.sender = 'poison@example.org' THEN \
                 RAISE EXCEPTION 'poison message refused'; END IF; RETURN NEW; END $$ \
                 LANGUAGE plpgsql; \
                 CREATE TRIGGER refuse_poison BEFORE INSERT ON enquiries \
                 FOR EACH ROW EXECUTE FUNCTION refuse_poison();",
            )
            .await;
        } else {
            ddl(
                &svc,
                "CREATE TRIGGER refuse_poison BEFORE INSERT ON enquiries \
                 WHEN NEW.sender = 'poison@example.org' \
                 BEGIN SELECT RAISE(ABORT, 'poison message refused'); END;",
            )
            .await;
        }
        let msgs: Vec<Vec<u8>> = (0..10)
            .map(|i| {
                let from = if i == 5 {
                    "poison@example.org".to_string()
                } else {
                    format!("sender{i}@example.org")
                };
                question_from(i, &from)
            })
            .collect();
        let maildir = maildir_with(&db, &msgs);
        // groups of four: the poison message is in the middle of the second
        let ingestor = svc
            .ingestor()
            .with_batch(4, std::time::Duration::from_secs(5));
        let mut progress = Vec::new();
        let report = ingest_files(
            &ingestor,
            &collect(std::slice::from_ref(&maildir)).unwrap(),
            |file, result| progress.push((file.path.clone(), result.is_ok())),
        )
        .await
        .unwrap();
        assert_eq!(report.stored, 9, "{}: {report:?}", db.name);
        assert_eq!(report.failed.len(), 1, "{}: {report:?}", db.name);
        let (path, error) = &report.failed[0];
        assert_eq!(path, &maildir.join("new/05.eml"), "{}", db.name);
        assert!(
            error.contains("poison message refused"),
            "{}: the poison message's own error is reported: {error}",
            db.name
        );
        // every file reported once, in order
        assert_eq!(progress.len(), 10);
        assert!(progress
            .iter()
            .enumerate()
            .all(|(i, (p, ok))| { p.ends_with(format!("{i:02}.eml")) && *ok == (i != 5) }));
        // the poison file stays unseen in new/; the others are stored and moved to cur/
        assert_eq!(files_in(&maildir.join("new")), [maildir.join("new/05.eml")]);
        assert_eq!(files_in(&maildir.join("cur")).len(), 9);
        let senders = stored_senders(&svc).await;
        assert_eq!(senders.len(), 9, "{}", db.name);
        assert!(!senders.contains(&"poison@example.org".to_string()));

        // the problem fixed, the next pass stores it, once, and nothing else again
        let drop = if db.name == "postgres" {
            "DROP TRIGGER refuse_poison ON enquiries"
        } else {
            "DROP TRIGGER refuse_poison"
        };
        ddl(&svc, drop).await;
        let again = ingest_files(
            &ingestor,
            &collect(std::slice::from_ref(&maildir)).unwrap(),
            |_, _| {},
        )
        .await
        .unwrap();
        assert_eq!(
            (again.stored, again.duplicates, again.failed.len()),
            (1, 9, 0),
            "{}",
            db.name
        );
        assert_eq!(stored_senders(&svc).await.len(), 10, "{}", db.name);
        assert!(files_in(&maildir.join("new")).is_empty());
        db.finish().await;
    }
}

#[tokio::test]
async fn messages_are_marked_seen_only_after_their_group_commits() {
    for db in databases().await {
        let svc = service(&db).await;
        // one sender's message makes COMMIT fail (a deferred constraint, checked only at
        // commit): the group holding it cannot commit, and neither can it alone
        let sql = if db.name == "postgres" {
            "CREATE TABLE commit_ok (sender TEXT PRIMARY KEY); \
             CREATE TABLE commit_guard (sender TEXT REFERENCES commit_ok (sender) \
             DEFERRABLE INITIALLY DEFERRED); \
             CREATE FUNCTION guard_commit() RETURNS trigger AS $$ BEGIN \
             IF NEW.sender = 'late@example.org' THEN \
             INSERT INTO commit_guard VALUES (NEW.sender); END IF; RETURN NEW; END $$ \
             LANGUAGE plpgsql; \
             CREATE TRIGGER guard_commit AFTER INSERT ON enquiries \
             FOR EACH ROW EXECUTE FUNCTION guard_commit();"
        } else {
            "CREATE TABLE commit_ok (sender TEXT PRIMARY KEY); \
             CREATE TABLE commit_guard (sender TEXT REFERENCES commit_ok (sender) \
             DEFERRABLE INITIALLY DEFERRED); \
             CREATE TRIGGER guard_commit AFTER INSERT ON enquiries \
             WHEN NEW.sender = 'late@example.org' \
             BEGIN INSERT INTO commit_guard VALUES (NEW.sender); END;"
        };
        ddl(&svc, sql).await;
        let msgs: Vec<Vec<u8>> = (0..8)
            .map(|i| {
                let from = if i == 6 {
                    "late@example.org".to_string()
                } else {
                    format!("sender{i}@example.org")
                };
                question_from(i, &from)
            })
            .collect();
        let maildir = maildir_with(&db, &msgs);
        // all eight in one group, whose commit fails
        let ingestor = svc
            .ingestor()
            .with_batch(100, std::time::Duration::from_secs(5));
        let report = ingest_files(
            &ingestor,
            &collect(std::slice::from_ref(&maildir)).unwrap(),
            |_, _| {},
        )
        .await
        .unwrap();
        assert_eq!(
            (report.stored, report.failed.len()),
            (7, 1),
            "{}: {report:?}",
            db.name
        );
        assert_eq!(report.failed[0].0, maildir.join("new/06.eml"));
        // what is marked seen is exactly what is committed: the message whose commit failed
        // is still unseen in new/ (marking it before the commit would have lost it)
        assert_eq!(files_in(&maildir.join("new")), [maildir.join("new/06.eml")]);
        assert_eq!(files_in(&maildir.join("cur")).len(), 7);
        let senders = stored_senders(&svc).await;
        assert_eq!(senders.len(), 7, "{}", db.name);
        assert!(!senders.contains(&"late@example.org".to_string()));

        // once the commit can succeed, the next pass stores it: each message exactly once
        ddl(&svc, "INSERT INTO commit_ok VALUES ('late@example.org')").await;
        let again = ingest_files(
            &ingestor,
            &collect(std::slice::from_ref(&maildir)).unwrap(),
            |_, _| {},
        )
        .await
        .unwrap();
        assert_eq!((again.stored, again.duplicates), (1, 7), "{}", db.name);
        let senders = stored_senders(&svc).await;
        assert_eq!(senders.len(), 8, "{}", db.name);
        let mut unique = senders.clone();
        unique.dedup();
        assert_eq!(unique, senders, "{}: stored twice", db.name);
        assert!(files_in(&maildir.join("new")).is_empty());
        assert_eq!(files_in(&maildir.join("cur")).len(), 8);
        db.finish().await;
    }
}

#[tokio::test]
async fn a_group_sees_its_own_earlier_messages() {
    for db in databases().await {
        let svc = service(&db).await;
        let root = eml(
            "a@example.org",
            "visa",
            Some("root-g@example.org"),
            "",
            ROUTED,
        );
        let follow_up = eml(
            "a@example.org",
            "Re: visa",
            Some("follow-g@example.org"),
            "In-Reply-To: <root-g@example.org>\r\nReferences: <root-g@example.org>\r\n",
            "Any news?",
        );
        // the same message delivered twice, and a follow-up, all in one group
        let outcomes = svc
            .ingestor()
            .ingest_batch(vec![root.clone(), root, follow_up])
            .await;
        let outcomes: Vec<Outcome> = outcomes.into_iter().map(Result::unwrap).collect();
        let Outcome::Stored { id, .. } = outcomes[0] else {
            panic!("{}: {outcomes:?}", db.name);
        };
        assert_eq!(outcomes[1], Outcome::Duplicate { id }, "{}", db.name);
        let Outcome::Stored { thread_id, .. } = outcomes[2] else {
            panic!("{}: {outcomes:?}", db.name);
        };
        assert_eq!(thread_id, id, "{}: the follow-up joins its thread", db.name);
        // one acknowledgement for the thread, not one per message
        let mut conn = svc.store.conn().await.unwrap();
        let acks = store::list_outbox(&mut conn, None)
            .await
            .unwrap()
            .into_iter()
            .filter(|o| o.kind == "ack")
            .count();
        assert_eq!(acks, 1, "{}", db.name);
        db.finish().await;
    }
}

#[tokio::test]
async fn files_that_are_not_mail_each_reach_an_admin_and_an_mbox_is_refused() {
    for db in databases().await {
        let svc = service(&db).await;
        let maildir = db.dir.path().join("Maildir");
        for sub in ["new", "cur", "tmp"] {
            std::fs::create_dir_all(maildir.join(sub)).unwrap();
        }
        let png: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89";
        let gzip: &[u8] = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xcbH\xcd\xc9\xc9\x07\x00\x86\xa6\x106\x05\x00\x00\x00";
        let not_mail: [(&str, &[u8]); 5] = [
            ("1-image.png", png),
            ("2-data.gz", gzip),
            ("3-empty", b""),
            ("4-hello", b"hello"),
            ("5-hello-again", b"hello\n"),
        ];
        for (name, bytes) in not_mail {
            std::fs::write(maildir.join("new").join(name), bytes).unwrap();
        }
        let mbox = "From a@example.org Thu Dec 11 12:00:00 2025\nFrom: a@example.org\nSubject: one\n\nHow long is FPT?\n\nFrom b@example.org Thu Dec 11 12:01:00 2025\nFrom: b@example.org\nSubject: two\n\nIs FPT paid?\n";
        std::fs::write(maildir.join("new").join("6-archive.mbox"), mbox).unwrap();

        let files = collect(std::slice::from_ref(&maildir)).unwrap();
        let report = ingest_files(&svc.ingestor(), &files, |_, _| {})
            .await
            .unwrap();
        assert_eq!(
            (report.stored, report.duplicates),
            (not_mail.len(), 0),
            "{}: {report:?}",
            db.name
        );
        // the mbox is refused by name with what to do, and left where it is
        let [(path, why)] = report.failed.as_slice() else {
            panic!("{}: {report:?}", db.name)
        };
        assert!(path.ends_with("6-archive.mbox"), "{path:?}");
        assert!(why.contains("mbox") && why.contains("Split"), "{why}");
        assert_eq!(files_in(&maildir.join("new")), vec![path.clone()]);

        let mut conn = svc.store.conn().await.unwrap();
        let all = store::list_enquiries(&mut conn, None).await.unwrap();
        assert_eq!(all.len(), not_mail.len(), "{}", db.name);
        for row in &all {
            assert_eq!(row.status, "needs_attention", "{}: {row:?}", db.name);
            assert!(
                row.parse_problem
                    .as_deref()
                    .is_some_and(|p| p.contains("not a readable email message")),
                "{row:?}"
            );
        }
        assert!(store::list_outbox(&mut conn, None)
            .await
            .unwrap()
            .is_empty());
        drop(conn);

        // the same files again are duplicates of themselves, not of one another
        let again = ingest_files(&svc.ingestor(), &collect(&[maildir]).unwrap(), |_, _| {})
            .await
            .unwrap();
        assert_eq!(
            (again.stored, again.duplicates),
            (0, not_mail.len()),
            "{}",
            db.name
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn a_web_forms_relay_and_a_persons_list_post_are_read_but_never_acknowledged() {
    for db in databases().await {
        let svc = service(&db).await;
        let ing = svc.ingestor();
        // a website's contact form: a robot in From, the person in Reply-To, RFC 3834's
        // Auto-Submitted: auto-generated
        let form = eml(
            "Website form <no-reply@example.org>",
            "Website enquiry form: Flexible Portfolio Training",
            Some("form1@example.org"),
            "Reply-To: sam.jones@example.org\r\nAuto-Submitted: auto-generated\r\n",
            &format!(
                "A new enquiry has been submitted.\r\n\r\nName: Sam Jones\r\nEmail: sam.jones@example.org\r\nEnquiry: {ROUTED}\r\n"
            ),
        );
        // a person's post to a list the mailbox is copied on
        let post = eml(
            "Dr Ana Lopes <ana.lopes@example.org>",
            "[Med Regs] FPT and visas",
            Some("post1@example.org"),
            "List-Id: <med-regs.example.org>\r\nPrecedence: list\r\nList-Unsubscribe: <mailto:med-regs-unsubscribe@example.org>\r\n",
            ROUTED,
        );
        for (raw, asker, field) in [
            (form, "sam.jones@example.org", "Auto-Submitted"),
            (post, "ana.lopes@example.org", "Precedence"),
        ] {
            let (id, _, status) = stored(ing.ingest_raw(&raw).await.unwrap()).await;
            assert_eq!(status, Status::Routed, "{}: {asker}", db.name);
            let mut conn = svc.store.conn().await.unwrap();
            let e = store::get_enquiry(&mut conn, id).await.unwrap().unwrap();
            assert_eq!(e.sender, asker, "{}", db.name);
            let rows = store::list_outbox(&mut conn, Some(id)).await.unwrap();
            let kinds: Vec<&str> = rows.iter().map(|o| o.kind.as_str()).collect();
            assert_eq!(kinds, vec!["lead_notification"], "{}: {asker}", db.name);
            let audit = store::list_audit(&mut conn, Some(id)).await.unwrap();
            assert!(
                audit.iter().any(|a| a.action == "ingest"
                    && a.detail.contains("no acknowledgement")
                    && a.detail.contains(field)),
                "{}: {audit:?}",
                db.name
            );
        }
        // the same form relay answering a question: a draft for an admin, to the person
        let form = eml(
            "Website form <no-reply@example.org>",
            "Website enquiry form",
            Some("form2@example.org"),
            "Reply-To: kim.lee@example.org\r\nAuto-Submitted: auto-generated\r\n",
            &format!("Name: Kim Lee\r\nEnquiry: {ANSWERABLE}\r\n"),
        );
        let (id, _, status) = stored(ing.ingest_raw(&form).await.unwrap()).await;
        assert_eq!(status, Status::Waiting, "{}", db.name);
        let mut conn = svc.store.conn().await.unwrap();
        let rows = store::list_outbox(&mut conn, Some(id)).await.unwrap();
        assert!(rows.is_empty(), "{}: {rows:?}", db.name);
        drop(conn);
        // a digest and a robot's notice under the same fields are still ignored
        for raw in [
            eml(
                "Med Regs <med-regs@example.org>",
                "Med Regs Digest, Vol 3, Issue 12",
                Some("digest1@example.org"),
                "List-Id: <med-regs.example.org>\r\nPrecedence: list\r\n",
                "Today's topics: 1. Does anyone know if FPT is one day a week? I'm asking for a friend.",
            ),
            eml(
                "Teams <notify@example.org>",
                "You have been added to a team",
                Some("robot1@example.org"),
                "Auto-Submitted: auto-generated\r\n",
                "Kim added you to the FPT team. What is Teams? Teams is where people meet.",
            ),
        ] {
            let (_, _, status) = stored(ing.ingest_raw(&raw).await.unwrap()).await;
            assert_eq!(status, Status::Ignored, "{}", db.name);
        }
        db.finish().await;
    }
}
