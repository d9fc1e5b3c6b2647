//! Issue 11 over HTTP, on SQLite and (with TEST_DATABASE_URL) PostgreSQL: approve exactly what
//! was seen (the editor's text, the version shown, never after closing), the state machine on
//! the page, 404 for another region's enquiry, local-only `next` redirects, the knowledge-base
//! form against front-matter injection, the original-message page capped, and huge subjects
//! and References ingested quickly while `/healthz` keeps answering.

mod service_common;
#[path = "support/web_app.rs"]
mod web_app;

use std::time::{Duration, Instant};

use fpt_assist::kb::KnowledgeBase;
use fpt_assist::store;
use service_common::{eml, ANSWERABLE, ROUTED};
use web_app::{location, on_each_database, TestApp};

async fn latest_version(app: &TestApp, id: i64) -> i64 {
    let mut conn = app.service.store.conn().await.unwrap();
    store::latest_draft(&mut conn, id)
        .await
        .unwrap()
        .map_or(0, |d| d.version)
}

async fn reply_text(app: &TestApp, id: i64) -> Option<String> {
    let mut conn = app.service.store.conn().await.unwrap();
    store::list_outbox(&mut conn, Some(id))
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.kind == "reply")
        .map(|o| o.body_text)
}

#[tokio::test]
async fn approve_sends_the_text_in_the_editor() {
    on_each_database(|app| async move {
        let id = app
            .ingest("a.trainee@example.org", "GP trainees", ANSWERABLE)
            .await;
        app.add_user("ada", "admin", None).await;
        let ada = app.sign_in("ada").await;
        let page = app.page(&format!("/enquiries/{id}"), &ada).await;
        assert!(
            page.contains("name=\"version\" value=\"1\""),
            "the form carries the version"
        );
        let edited = "Dear colleague,\r\n\r\nYes, GP trainees can apply.\r\n";
        let res = app
            .post(
                &format!("/enquiries/{id}/approve"),
                &ada,
                &[("version", "1"), ("text", edited)],
            )
            .await;
        assert_eq!(res.status(), 303);
        let sent = reply_text(&app, id).await.expect("a reply is queued");
        assert!(sent.contains("Yes, GP trainees can apply."), "{sent}");
        assert_eq!(
            latest_version(&app, id).await,
            2,
            "saved as a new version first"
        );
        // the page says so at once, and offers nothing more
        let page = app.page(&format!("/enquiries/{id}"), &ada).await;
        assert!(page.contains("Queued for sending"), "queued at once");
        assert!(
            !page.contains("id=\"approve\""),
            "no approve button any more"
        );
        assert!(!page.contains("Mark as answered elsewhere"));
        // approving the same version again queues nothing new
        let again = app
            .post(
                &format!("/enquiries/{id}/approve"),
                &ada,
                &[("version", "2")],
            )
            .await;
        assert_eq!(again.status(), 303);
        assert!(location(&again).contains("done=already"));
        assert_eq!(app.replies(id).await, 1);
    })
    .await;
}

#[tokio::test]
async fn approving_a_stale_version_is_refused_and_shows_the_newer_one() {
    on_each_database(|app| async move {
        let id = app
            .ingest("a.trainee@example.org", "GP trainees", ANSWERABLE)
            .await;
        app.add_user("ada", "admin", None).await;
        app.add_user("bea", "admin", None).await;
        let ada = app.sign_in("ada").await;
        let bea = app.sign_in("bea").await;
        // ada's page shows version 1; meanwhile bea saves version 2
        let newer = "Version two, written by bea.";
        let saved = app
            .post(&format!("/enquiries/{id}/save"), &bea, &[("text", newer)])
            .await;
        assert_eq!(saved.status(), 303);
        let res = app
            .post(
                &format!("/enquiries/{id}/approve"),
                &ada,
                &[("version", "1")],
            )
            .await;
        assert_eq!(res.status(), 409);
        let body = res.text().await.unwrap();
        assert!(body.contains(newer), "the newer text is shown: {body}");
        assert!(body.contains("bea"), "and who wrote it");
        assert_eq!(app.replies(id).await, 0, "nothing queued");
        // the CLI's --version does the same
        let refused = fpt_assist::service::actions::approve(
            &app.service.store,
            &app.service.config,
            id,
            "cli",
            &fpt_assist::service::actions::Seen {
                version: Some(1),
                text: None,
            },
        )
        .await;
        assert!(matches!(
            refused,
            Err(fpt_assist::service::ServiceError::Stale { .. })
        ));
        assert_eq!(app.replies(id).await, 0);
    })
    .await;
}

#[tokio::test]
async fn a_closed_enquiry_cannot_be_approved() {
    on_each_database(|app| async move {
        let id = app
            .ingest("a.trainee@example.org", "GP trainees", ANSWERABLE)
            .await;
        app.add_user("ada", "admin", None).await;
        let ada = app.sign_in("ada").await;
        let closed = app
            .post(&format!("/enquiries/{id}/answered-elsewhere"), &ada, &[])
            .await;
        assert_eq!(closed.status(), 303);
        assert_eq!(app.status_of(id).await, "closed");
        for (action, fields) in [
            ("approve", vec![("version", "1")]),
            ("save", vec![("text", "late edit")]),
            ("reject", vec![("reason", "late")]),
            ("reroute", vec![("region", "london")]),
        ] {
            let res = app
                .post(&format!("/enquiries/{id}/{action}"), &ada, &fields)
                .await;
            assert_eq!(res.status(), 409, "{action} after closing");
        }
        assert_eq!(app.replies(id).await, 0, "nothing queued");
        assert_eq!(app.status_of(id).await, "closed");
        let page = app.page(&format!("/enquiries/{id}"), &ada).await;
        assert!(!page.contains("id=\"approve\"") && !page.contains("Reject and close"));
        // and from the CLI's side
        assert!(fpt_assist::service::actions::approve(
            &app.service.store,
            &app.service.config,
            id,
            "cli",
            &Default::default(),
        )
        .await
        .is_err());
        assert_eq!(app.replies(id).await, 0);
    })
    .await;
}

#[tokio::test]
async fn another_regions_enquiry_is_not_found_for_a_lead() {
    on_each_database(|app| async move {
        let routed = app.ingest("b.img@example.org", "Visa", ROUTED).await;
        app.add_user("nel", "lead", Some("north-east")).await;
        let nel = app.sign_in("nel").await;
        let theirs = app.get(&format!("/enquiries/{routed}"), Some(&nel)).await;
        let missing = app.get("/enquiries/999999", Some(&nel)).await;
        assert_eq!(theirs.status(), 404);
        assert_eq!(missing.status(), 404);
        let (a, b) = (theirs.text().await.unwrap(), missing.text().await.unwrap());
        assert_eq!(a, b, "indistinguishable");
        assert!(!a.contains("visa sponsorship"));
    })
    .await;
}

#[tokio::test]
async fn next_only_ever_stays_on_the_site() {
    on_each_database(|app| async move {
        app.add_user("ada", "admin", None).await;
        let ada = app.sign_in("ada").await;
        for next in [
            "/%09/127.0.0.1:9515/status",
            "//evil.example/",
            "/%5Cevil.example",
            "https://evil.example/",
            "/queue%0ASet-Cookie:%20x=1",
            "/%0D%0A",
        ] {
            let res = app.get(&format!("/login?next={next}"), Some(&ada)).await;
            assert_eq!(res.status(), 303, "{next}: no 500");
            assert_eq!(location(&res), "/queue", "{next}");
        }
        let res = app.get("/login?next=/outbox", Some(&ada)).await;
        assert_eq!(location(&res), "/outbox");
        let anon = app.get("/login?next=/%0Aevil", None).await;
        assert_eq!(anon.status(), 200, "the form, not a 500");
        let page = anon.text().await.unwrap();
        assert!(
            page.contains("<title>Sign in"),
            "the sign-in page has a title"
        );
    })
    .await;
}

#[tokio::test]
async fn kb_entries_from_the_web_cannot_break_the_knowledge_base() {
    on_each_database(|app| async move {
        let routed = app.ingest("b.img@example.org", "Visa", ROUTED).await;
        app.add_user("ada", "admin", None).await;
        let ada = app.sign_in("ada").await;
        let form = app.page(&format!("/kb/new?from={routed}"), &ada).await;
        assert!(
            !form.contains("I am an IMG in Leeds"),
            "only the question is pre-filled, not the sender's context"
        );
        assert!(form.contains("Will FPT affect my visa sponsorship with my trust?"));
        let res = app
            .post(
                "/kb/new",
                &ada,
                &[
                    ("from", &routed.to_string()),
                    ("id", "visa-sponsorship"),
                    ("title", "Visa\n+++\nid = \"evil\"\n+++\n\"\"\""),
                    (
                        "questions",
                        "Does FPT change my visa?\r\n+++\r\nIs my sponsor the same?",
                    ),
                    ("answer", "Ask your trust.\n+++\nStill the answer."),
                    ("read_more", "https://example.org/\n+++"),
                ],
            )
            .await;
        assert_eq!(res.status(), 303, "stored");
        let kb = KnowledgeBase::load(&app.kb_dir).expect("the knowledge base still loads");
        let entry = kb.entry("visa-sponsorship").expect("the entry is there");
        assert!(entry.title.starts_with("Visa +++"), "{:?}", entry.title);
        assert!(entry.answer.contains("Still the answer."));
        assert!(kb.entry("evil").is_none());
        let problems = fpt_assist::kb::check_folder(&app.kb_dir, std::path::Path::new("templates"));
        assert!(
            !problems.iter().any(|p| p.is_error()),
            "kb check is clean: {problems:?}"
        );
        // too long a title is refused, nothing written
        let long = "x".repeat(1000);
        let res = app
            .post(
                "/kb/new",
                &ada,
                &[
                    ("from", &routed.to_string()),
                    ("id", "too-long"),
                    ("title", &long),
                    ("questions", "Why?"),
                    ("answer", "Because."),
                ],
            )
            .await;
        assert_eq!(res.status(), 200, "the form again, with the problem");
        assert!(!app.kb_dir.join("entries/too-long.md").exists());
    })
    .await;
}

#[tokio::test]
async fn the_original_message_page_is_capped_and_lists_attachments() {
    on_each_database(|app| async move {
        let big = "word/".repeat(400_000); // 2 MB of text full of "/"
        let attachment = "QUFB".repeat(500_000); // 2 MB of base64
        let raw = format!(
            "From: big@example.org\r\nSubject: big\r\nMessage-ID: <big1@example.org>\r\n\
             MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
             --b\r\nContent-Type: text/plain\r\n\r\nIs FPT one day a week? {big}\r\n\
             --b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"cv.pdf\"\r\n\
             Content-Transfer-Encoding: base64\r\n\r\n{attachment}\r\n--b--\r\n"
        );
        let id = match app.service.ingestor().ingest_raw(raw.as_bytes()).await.unwrap() {
            fpt_assist::service::Outcome::Stored { id, .. } => id,
            other => panic!("{other:?}"),
        };
        app.add_user("ada", "admin", None).await;
        let ada = app.sign_in("ada").await;
        let page = app.page(&format!("/enquiries/{id}/original"), &ada).await;
        assert!(
            page.len() < 2_000_000,
            "capped: {} bytes for a {} byte message",
            page.len(),
            raw.len()
        );
        assert!(page.contains("cv.pdf"), "the attachment is listed");
        assert!(page.contains(&format!("/enquiries/{id}/original.eml")));
        let eml = app
            .get(&format!("/enquiries/{id}/original.eml"), Some(&ada))
            .await;
        assert_eq!(eml.status(), 200);
        assert!(eml
            .headers()
            .get("content-disposition")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("attachment")));
        assert_eq!(eml.bytes().await.unwrap().len(), raw.len(), "the whole message");
    })
    .await;
}

/// Ingests `raw` while `/healthz` is polled; returns (ingest time, slowest /healthz).
async fn ingest_while_polling(app: &TestApp, raw: Vec<u8>) -> (Duration, Duration, i64) {
    let ingestor = app.service.ingestor();
    let started = Instant::now();
    let task = tokio::spawn(async move { ingestor.ingest_raw(&raw).await });
    let mut slowest = Duration::ZERO;
    while !task.is_finished() {
        let t = Instant::now();
        let res = app.get("/healthz", None).await;
        assert_eq!(res.status(), 200);
        slowest = slowest.max(t.elapsed());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let took = started.elapsed();
    let id = match task.await.unwrap().unwrap() {
        fpt_assist::service::Outcome::Stored { id, .. } => id,
        other => panic!("{other:?}"),
    };
    (took, slowest, id)
}

#[tokio::test]
async fn huge_subjects_and_references_do_not_stall_the_service() {
    on_each_database(|app| async move {
        let first_raw = eml(
            "a.trainee@example.org",
            "GP trainees",
            Some("first1@example.org"),
            "",
            ANSWERABLE,
        );
        let first = match app.service.ingestor().ingest_raw(&first_raw).await.unwrap() {
            fpt_assist::service::Outcome::Stored { id, .. } => id,
            other => panic!("{other:?}"),
        };
        let mut conn = app.service.store.conn().await.unwrap();
        let parent = store::get_enquiry(&mut conn, first).await.unwrap().unwrap();
        drop(conn);

        // a 1 MB subject of distinct words
        let subject: String = (0..110_000).map(|i| format!("w{i} ")).collect();
        let raw = eml(
            "big.subject@example.org",
            &subject,
            Some("subj1@example.org"),
            "",
            ANSWERABLE,
        );
        let (took, slowest, _) = ingest_while_polling(&app, raw).await;
        eprintln!("1 MB subject: ingested in {took:?}, slowest /healthz {slowest:?}");
        // cut to 64 KiB before parsing (`mail::bound`): measured 50-80 ms in a debug build,
        // 1.3 s once under a load of 6 on two cores; a stall is what this catches, so the
        // limit is what a person would notice as one
        assert!(took < Duration::from_secs(5), "1 MB subject took {took:?}");
        assert!(
            slowest < Duration::from_secs(5),
            "/healthz took {slowest:?}"
        );

        // 1M References, the last of which is the first enquiry: it joins that thread. The
        // header field is cut to its last ids before parsing (`mail::bound`), so the 30 MB
        // message costs about what a small one does (0.2-0.6 s in a debug build here). The
        // limit is a stall a person would notice, as for the subject: how fast the cut is
        // belongs in a benchmark (`benches/ingest.rs`), not in a timed test.
        let mut refs = String::with_capacity(30_000_000);
        refs.push_str("References:");
        for i in 0..1_000_000 {
            refs.push_str(&format!(" <r{i}@example.net>\r\n"));
        }
        refs.push_str(&format!(" <{}>\r\n", parent.external_id));
        let raw = eml(
            "many.refs@example.org",
            "Re: GP trainees",
            Some("refs@example.org"),
            &refs,
            ANSWERABLE,
        );
        let len = raw.len();
        let (took, slowest, id) = ingest_while_polling(&app, raw).await;
        eprintln!("1M References: ingested in {took:?}, slowest /healthz {slowest:?}");
        assert!(took < Duration::from_secs(5), "1M References took {took:?}");
        assert!(
            slowest < Duration::from_secs(5),
            "/healthz took {slowest:?}"
        );
        let mut conn = app.service.store.conn().await.unwrap();
        let e = store::get_enquiry(&mut conn, id).await.unwrap().unwrap();
        assert_eq!(e.raw.as_ref().map(Vec::len), Some(len), "raw kept whole");
        let audit = store::list_audit(&mut conn, Some(id)).await.unwrap();
        let cut = audit.iter().find(|a| a.action == "headers_cut");
        assert!(
            cut.is_some_and(|a| a.detail.contains("References: ")
                && a.detail.contains("1000001 message-ids; kept the last 100")),
            "{audit:?}"
        );
        assert_eq!(e.thread_id, first, "threaded by the last reference");
        drop(conn);

        // a million short header fields: only the first thousand (and From, Subject…) are
        // read, and an admin is asked to look (fields that were not read may have said "robot")
        let mut junk = String::with_capacity(20_000_000);
        for i in 0..1_000_000 {
            junk.push_str(&format!("X-J{i}: x\r\n"));
        }
        let raw = eml(
            "many.fields@example.org",
            "GP trainees",
            Some("fields@example.org"),
            &junk,
            ANSWERABLE,
        );
        let (took, slowest, id) = ingest_while_polling(&app, raw).await;
        eprintln!("1M header fields: ingested in {took:?}, slowest /healthz {slowest:?}");
        assert!(
            took < Duration::from_secs(5),
            "1M header fields took {took:?}"
        );
        assert!(
            slowest < Duration::from_secs(5),
            "/healthz took {slowest:?}"
        );
        let mut conn = app.service.store.conn().await.unwrap();
        let e = store::get_enquiry(&mut conn, id).await.unwrap().unwrap();
        assert_eq!(e.status, "needs_attention");
        assert!(
            e.parse_problem
                .as_deref()
                .is_some_and(|p| p.contains("were not read")),
            "{:?}",
            e.parse_problem
        );
    })
    .await;
}

#[tokio::test]
async fn a_leads_thread_view_shows_only_what_the_lead_may_open() {
    on_each_database(|app| async move {
        // a routed enquiry in Yorkshire, then a follow-up in its thread routed elsewhere
        let first = eml(
            "b.img@example.org",
            "Visa",
            Some("t1@example.org"),
            "",
            ROUTED,
        );
        let first = match app.service.ingestor().ingest_raw(&first).await.unwrap() {
            fpt_assist::service::Outcome::Stored { id, .. } => id,
            other => panic!("{other:?}"),
        };
        let follow = eml(
            "b.img@example.org",
            "Re: Visa",
            Some("t2@example.org"),
            "In-Reply-To: <t1@example.org>\r\n",
            "I moved to the RVI in Newcastle. My parental leave ends in May: does that change things?",
        );
        let second = match app.service.ingestor().ingest_raw(&follow).await.unwrap() {
            fpt_assist::service::Outcome::Stored { id, thread_id, .. } => {
                assert_eq!(thread_id, first);
                id
            }
            other => panic!("{other:?}"),
        };
        app.add_user("yan", "lead", Some("yorkshire-humber")).await;
        let yan = app.sign_in("yan").await;
        let page = app.page(&format!("/enquiries/{first}"), &yan).await;
        assert_eq!(
            app.get(&format!("/enquiries/{second}"), Some(&yan))
                .await
                .status(),
            404,
            "the follow-up went to another region"
        );
        assert!(
            !page.contains("parental leave"),
            "nothing of an enquiry the lead may not open"
        );
    })
    .await;
}

#[tokio::test]
async fn the_default_queue_leaves_ignored_mail_out() {
    on_each_database(|app| async move {
        let ooo = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("docs/example-mails/out-of-office.eml"),
        )
        .unwrap();
        let ignored = match app.service.ingestor().ingest_raw(&ooo).await.unwrap() {
            fpt_assist::service::Outcome::Stored { id, status, .. } => {
                assert_eq!(status, store::Status::Ignored);
                id
            }
            other => panic!("{other:?}"),
        };
        let waiting = app
            .ingest("a.trainee@example.org", "GP trainees", ANSWERABLE)
            .await;
        app.add_user("ada", "admin", None).await;
        let ada = app.sign_in("ada").await;
        let queue = app.page("/queue", &ada).await;
        assert!(queue.contains(&format!("/enquiries/{waiting}\"")));
        assert!(!queue.contains(&format!("/enquiries/{ignored}\"")));
        let all = app.page("/queue?status=all", &ada).await;
        assert!(all.contains(&format!("/enquiries/{ignored}\"")));
        let only = app.page("/queue?status=ignored", &ada).await;
        assert!(only.contains(&format!("/enquiries/{ignored}\"")));
    })
    .await;
}

#[tokio::test]
async fn faq_gaps_show_the_question_not_the_first_line() {
    on_each_database(|app| async move {
        app.ingest("b.img@example.org", "Visa question", ROUTED)
            .await;
        app.add_user("ada", "admin", None).await;
        let ada = app.sign_in("ada").await;
        let dash = app.page("/dashboard", &ada).await;
        assert!(
            dash.contains("Will FPT affect my visa sponsorship with my trust?"),
            "the question itself"
        );
        assert!(
            !dash.contains("I am an IMG in Leeds"),
            "not the sender's context before it"
        );
    })
    .await;
}
