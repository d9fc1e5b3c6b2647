//! The admin web app over HTTP, on SQLite and (with TEST_DATABASE_URL) PostgreSQL: every
//! action and every permission rule — sign-in, sessions, the attempt limit, CSRF, roles, the
//! leads' region limit, escaping, idempotent approval, the KB and dashboard pages, metrics.

mod service_common;
#[path = "support/web_app.rs"]
mod web_app;

use fpt_assist::service::Outcome;
use service_common::{ANSWERABLE, ROUTED};
use web_app::{location, on_each_database, set_cookie, TestApp};

/// Routed to another region than ROUTED (Yorkshire and the Humber).
const ROUTED_NORTH_EAST: &str =
    "I work at the RVI in Newcastle. Will FPT affect my visa sponsorship with my trust?";

async fn seed(app: &TestApp) -> (i64, i64, i64) {
    let answer = app
        .ingest("a.trainee@example.org", "GP trainees", ANSWERABLE)
        .await;
    let routed = app
        .ingest("b.img@example.org", "Visa question", ROUTED)
        .await;
    let other = app
        .ingest("c.reg@example.org", "Visa and FPT", ROUTED_NORTH_EAST)
        .await;
    assert_eq!(app.status_of(answer).await, "waiting");
    assert_eq!(app.status_of(routed).await, "routed");
    (answer, routed, other)
}

#[tokio::test]
async fn anonymous_requests_go_to_sign_in_and_ops_endpoints_answer() {
    on_each_database(|app| async move {
        let (id, _, _) = seed(&app).await;
        for path in [
            "/queue",
            "/dashboard",
            &format!("/enquiries/{id}"),
            "/kb",
            "/outbox",
        ] {
            let res = app.get(path, None).await;
            assert_eq!(res.status(), 303, "{path}");
            assert!(location(&res).starts_with("/login?next="), "{path}");
        }
        let res = app
            .post_raw(&format!("/enquiries/{id}/approve"), None, &[("csrf", "x")])
            .await;
        assert_eq!(res.status(), 303);
        assert_eq!(app.replies(id).await, 0);
        let health = app.get("/healthz", None).await;
        assert_eq!(health.status(), 200);
        let metrics = app.get("/metrics", None).await;
        assert_eq!(metrics.status(), 200);
        let text = metrics.text().await.unwrap();
        assert!(
            text.contains("fpt_enquiries{status=\"waiting\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("fpt_enquiries{status=\"routed\"} 2"),
            "{text}"
        );
        assert!(text.contains("fpt_outbox{status=\"pending\"}"), "{text}");
        assert!(!text.contains("example.org"), "no personal data in metrics");
    })
    .await;
}

#[tokio::test]
async fn sign_in_sets_safe_cookies_and_sign_out_ends_the_session() {
    on_each_database(|app| async move {
        app.add_user("ada", "admin", None).await;
        assert_eq!(
            app.try_sign_in("ada", "wrong password").await.unwrap_err(),
            401
        );
        assert_eq!(
            app.try_sign_in("nobody", "wrong password")
                .await
                .unwrap_err(),
            401
        );
        // the cookie's attributes
        let form = app.get("/login", None).await;
        let pre = set_cookie(&form, "fpt_csrf").unwrap();
        assert!(
            pre.contains("HttpOnly") && pre.contains("SameSite=Strict") && pre.contains("Secure")
        );
        let b = app.sign_in("ada").await;
        assert_eq!(b.cookie.len(), 64);
        let queue = app.page("/queue", &b).await;
        assert!(queue.contains("lang=\"en-GB\"") && queue.contains("Skip to main content"));
        let res = app.post("/logout", &b, &[]).await;
        assert_eq!(res.status(), 303);
        let cleared = set_cookie(&res, "fpt_session").unwrap();
        assert!(cleared.contains("Max-Age=0"));
        assert_eq!(
            app.get("/queue", Some(&b)).await.status(),
            303,
            "the old cookie is dead"
        );
        // a disabled account cannot sign in, and its sessions end
        let b = app.sign_in("ada").await;
        {
            let mut conn = app.service.store.conn().await.unwrap();
            assert!(fpt_assist::web::queries::disable_user(&mut conn, "ada")
                .await
                .unwrap());
        }
        assert_eq!(app.get("/queue", Some(&b)).await.status(), 303);
        assert_eq!(
            app.try_sign_in("ada", web_app::PASSWORD).await.unwrap_err(),
            401
        );
    })
    .await;
}

#[tokio::test]
async fn sign_in_attempts_are_limited_per_user_and_address() {
    on_each_database(|app| async move {
        app.add_user("bea", "admin", None).await;
        for _ in 0..5 {
            assert_eq!(
                app.try_sign_in("bea", "guess guess").await.unwrap_err(),
                401
            );
        }
        // even the right password is refused now
        assert_eq!(
            app.try_sign_in("bea", web_app::PASSWORD).await.unwrap_err(),
            429
        );
    })
    .await;
}

#[tokio::test]
async fn every_post_needs_the_session_csrf_token() {
    on_each_database(|app| async move {
        let (id, _, _) = seed(&app).await;
        app.add_user("ada", "admin", None).await;
        let b = app.sign_in("ada").await;
        let cookie = format!("fpt_session={}", b.cookie);
        let path = format!("/enquiries/{id}/approve");
        assert_eq!(app.post_raw(&path, Some(&cookie), &[]).await.status(), 403);
        assert_eq!(
            app.post_raw(&path, Some(&cookie), &[("csrf", "0000")])
                .await
                .status(),
            403
        );
        let save = format!("/enquiries/{id}/save");
        assert_eq!(
            app.post_raw(&save, Some(&cookie), &[("text", "x")])
                .await
                .status(),
            403
        );
        assert_eq!(app.replies(id).await, 0);
        // the sign-in form too: no pre-session cookie, no sign-in
        let res = app
            .post_raw(
                "/login",
                None,
                &[
                    ("csrf", "abc"),
                    ("name", "ada"),
                    ("password", web_app::PASSWORD),
                ],
            )
            .await;
        assert_eq!(res.status(), 403);
        // with the token it works
        assert_eq!(app.post(&path, &b, &[]).await.status(), 303);
        assert_eq!(app.replies(id).await, 1);
    })
    .await;
}

#[tokio::test]
async fn admin_edits_approves_twice_and_one_reply_is_queued() {
    on_each_database(|app| async move {
        let (id, routed, _) = seed(&app).await;
        app.add_user("ada", "admin", None).await;
        let b = app.sign_in("ada").await;
        let queue = app.page("/queue", &b).await;
        assert!(queue.contains(&format!("FPT-{id}")) && queue.contains(&format!("FPT-{routed}")));
        assert!(queue.contains("Draft waiting (1)"), "counts per filter");
        let waiting = app.page("/queue?status=waiting", &b).await;
        assert!(
            waiting.contains(&format!("/enquiries/{id}\""))
                && !waiting.contains(&format!("/enquiries/{routed}\""))
        );
        let search = app.page("/queue?q=visa&sort=oldest", &b).await;
        assert!(
            search.contains(&format!("/enquiries/{routed}\""))
                && !search.contains(&format!("/enquiries/{id}\""))
        );
        let region = app.page("/queue?region=yorkshire-humber", &b).await;
        assert!(
            region.contains(&format!("/enquiries/{routed}\""))
                && !region.contains(&format!("/enquiries/{id}\""))
        );

        let page = app.page(&format!("/enquiries/{id}"), &b).await;
        assert!(page.contains("What they wrote") && page.contains("GP trainee"));
        assert!(page.contains("Terms that matched") && page.contains("Audit log"));
        assert!(page.contains("Approve and send") && page.contains("name=\"version\" value=\"1\""));
        let original = app.page(&format!("/enquiries/{id}/original"), &b).await;
        assert!(original.contains("Headers") && original.contains("a.trainee@example.org"));

        let res = app
            .post(
                &format!("/enquiries/{id}/save"),
                &b,
                &[("text", "Hello,\r\n\r\nYes, GP trainees can apply.\r\n")],
            )
            .await;
        assert_eq!(res.status(), 303);
        let page = app.page(&format!("/enquiries/{id}"), &b).await;
        assert!(
            page.contains("name=\"version\" value=\"2\"")
                && page.contains("Yes, GP trainees can apply.")
        );
        // double click
        for _ in 0..2 {
            assert_eq!(
                app.post(&format!("/enquiries/{id}/approve"), &b, &[("version", "2")])
                    .await
                    .status(),
                303
            );
        }
        assert_eq!(app.replies(id).await, 1, "approve twice sends once");
        let mut conn = app.service.store.conn().await.unwrap();
        let rows = fpt_assist::store::list_outbox(&mut conn, Some(id))
            .await
            .unwrap();
        assert!(rows[0].body_text.contains("Yes, GP trainees can apply."));
        drop(conn);
        let page = app.page(&format!("/enquiries/{id}?done=already"), &b).await;
        assert!(page.contains("nothing new was sent") && page.contains("already queued"));
        let outbox = app.page("/outbox", &b).await;
        assert!(outbox.contains(&format!("FPT-{id}")) && outbox.contains("a.trainee@example.org"));
    })
    .await;
}

#[tokio::test]
async fn reject_reroute_answered_elsewhere_and_answer_with_entry() {
    on_each_database(|app| async move {
        let (id, routed, other) = seed(&app).await;
        app.add_user("ada", "admin", None).await;
        let b = app.sign_in("ada").await;
        // reject needs a reason
        assert_eq!(
            app.post(&format!("/enquiries/{id}/reject"), &b, &[("reason", " ")])
                .await
                .status(),
            400
        );
        assert_eq!(
            app.post(
                &format!("/enquiries/{id}/reject"),
                &b,
                &[("reason", "wrong entry")]
            )
            .await
            .status(),
            303
        );
        assert_eq!(app.status_of(id).await, "closed");
        assert_eq!(
            app.post(&format!("/enquiries/{id}/approve"), &b, &[])
                .await
                .status(),
            409,
            "a rejected draft is not sent"
        );
        // re-route to the admin team, then to a region; unknown regions are refused
        assert_eq!(
            app.post(
                &format!("/enquiries/{routed}/reroute"),
                &b,
                &[("region", "mars")]
            )
            .await
            .status(),
            400
        );
        assert_eq!(
            app.post(
                &format!("/enquiries/{routed}/reroute"),
                &b,
                &[("region", "admin")]
            )
            .await
            .status(),
            303
        );
        assert_eq!(
            app.post(
                &format!("/enquiries/{routed}/reroute"),
                &b,
                &[("region", "london")]
            )
            .await
            .status(),
            303
        );
        let page = app.page(&format!("/enquiries/{routed}"), &b).await;
        assert!(
            page.contains("from admin team to london"),
            "audit shows the re-route"
        );
        // answer with another entry: a draft rendered from the templates
        let entry = app.service.triage.current().kb.entries[0].id.clone();
        assert_eq!(
            app.post(
                &format!("/enquiries/{routed}/use-entry"),
                &b,
                &[("entry", &entry)]
            )
            .await
            .status(),
            303
        );
        assert_eq!(app.status_of(routed).await, "waiting");
        let mut conn = app.service.store.conn().await.unwrap();
        let d = fpt_assist::store::latest_draft(&mut conn, routed)
            .await
            .unwrap()
            .unwrap();
        drop(conn);
        assert!(d.text.contains(
            &app.service.triage.current().kb.entries[0]
                .answer
                .lines()
                .next()
                .unwrap()[..10]
        ));
        assert!(d.html.is_some());
        assert_eq!(
            app.post(
                &format!("/enquiries/{routed}/use-entry"),
                &b,
                &[("entry", "nope")]
            )
            .await
            .status(),
            400
        );
        // answered elsewhere
        assert_eq!(
            app.post(&format!("/enquiries/{other}/answered-elsewhere"), &b, &[])
                .await
                .status(),
            303
        );
        assert_eq!(app.status_of(other).await, "closed");
        let queue = app.page("/queue?status=closed", &b).await;
        assert!(queue.contains("Answered elsewhere"));
        assert_eq!(app.get("/enquiries/99999", Some(&b)).await.status(), 404);
    })
    .await;
}

/// The lead notifications queued for an enquiry, oldest first.
async fn lead_notifications(app: &TestApp, id: i64) -> Vec<fpt_assist::store::OutboxRow> {
    let mut conn = app.service.store.conn().await.unwrap();
    fpt_assist::store::list_outbox(&mut conn, Some(id))
        .await
        .unwrap()
        .into_iter()
        .filter(|o| o.kind == "lead_notification")
        .collect()
}

#[tokio::test]
async fn reroute_notifies_the_new_lead_once_per_reroute_never_ourselves() {
    for db in service_common::databases().await {
        eprintln!("-- on {}", db.name);
        // the admin team's address is ours here: nothing may be sent to it
        let app = web_app::spawn_app_with(db, |c| {
            c.mail.own_addresses = vec!["fpt-admin@example.org".into()];
        })
        .await;
        let raw = service_common::eml(
            "b.img@example.org",
            "Visa question",
            Some("q1@trainee.example"),
            "",
            ROUTED,
        );
        let id = match app.service.ingestor().ingest_raw(&raw).await.unwrap() {
            Outcome::Stored { id, .. } => id,
            other => panic!("not stored: {other:?}"),
        };
        assert_eq!(app.status_of(id).await, "routed");
        let first = lead_notifications(&app, id).await;
        assert_eq!(first.len(), 1, "the ingest's notification");
        app.add_user("ada", "admin", None).await;
        let b = app.sign_in("ada").await;
        let reroute = |region: &'static str| {
            let (app, b) = (&app, &b);
            async move {
                app.post(
                    &format!("/enquiries/{id}/reroute"),
                    b,
                    &[("region", region)],
                )
                .await
                .status()
            }
        };

        // to the admin team, whose address is our own: re-routed, nobody mailed
        assert_eq!(reroute("admin").await, 303);
        assert_eq!(lead_notifications(&app, id).await.len(), 1);
        let page = app.page(&format!("/enquiries/{id}"), &b).await;
        assert!(page.contains("nobody notified"), "audited without a mail");

        // to London: one notification to London's lead from faq/regions.toml
        assert_eq!(reroute("london").await, 303);
        let london = app
            .service
            .triage
            .current()
            .kb
            .regions
            .get("london")
            .expect("london in faq/regions.toml")
            .lead
            .email
            .clone();
        let notes = lead_notifications(&app, id).await;
        assert_eq!(notes.len(), 2);
        let note = &notes[1];
        assert_eq!(note.to_addr, london);
        assert!(
            note.idempotency_key
                .starts_with(&format!("lead-{id}-reroute-")),
            "{}",
            note.idempotency_key
        );
        assert_eq!(note.status, "pending");
        assert!(note.auto_submitted);
        let bare = |m: &str| m.trim_matches(['<', '>']).to_string();
        assert_eq!(
            note.in_reply_to.as_deref().map(bare).as_deref(),
            Some("q1@trainee.example"),
            "threaded to the sender's message"
        );
        assert!(note
            .references
            .iter()
            .any(|r| bare(r) == "q1@trainee.example"));
        assert!(
            note.subject.contains(&format!("[FPT-{id}]")) && note.subject.contains("Visa question")
        );
        assert!(
            note.body_text.contains("re-routed by"),
            "{}",
            note.body_text
        );
        assert!(note.body_text.contains("London"), "{}", note.body_text);
        assert!(
            note.body_text.contains("visa sponsorship"),
            "the cleaned text"
        );
        assert!(note.body_text.contains("b.img@example.org"), "the sender");
        assert_ne!(note.message_id, first[0].message_id);

        // another re-route to London is another notification with its own key
        assert_eq!(reroute("london").await, 303);
        let notes = lead_notifications(&app, id).await;
        assert_eq!(notes.len(), 3);
        assert_ne!(notes[1].idempotency_key, notes[2].idempotency_key);

        // London's lead answering the re-route notification gives a draft on the enquiry
        let reply = service_common::eml(
            &london,
            &format!("Re: {}", note.subject),
            Some("r1@lead.example"),
            &format!(
                "In-Reply-To: <{}>\r\n{}",
                bare(&note.message_id),
                web_app::passed(&london)
            ),
            "Your trust's sponsorship is not affected by FPT; talk to your TPD about the days.",
        );
        match app.service.ingestor().ingest_raw(&reply).await.unwrap() {
            Outcome::LeadReply {
                enquiry_id,
                version,
            } => {
                assert_eq!(enquiry_id, id);
                assert!(version.is_some());
            }
            other => panic!("the lead's reply was not recognised: {other:?}"),
        }
        assert_eq!(app.status_of(id).await, "waiting");
    }
}

#[tokio::test]
async fn leads_see_only_their_region_and_answer_as_drafts() {
    on_each_database(|app| async move {
        let (answer, routed, other) = seed(&app).await;
        app.add_user("lee", "lead", Some("yorkshire-humber")).await;
        app.add_user("ada", "admin", None).await;
        let lead = app.sign_in("lee").await;
        let queue = app.page("/queue", &lead).await;
        assert!(queue.contains(&format!("/enquiries/{routed}\"")));
        assert!(
            !queue.contains(&format!("/enquiries/{other}\""))
                && !queue.contains(&format!("/enquiries/{answer}\""))
        );
        assert_eq!(
            app.get(&format!("/enquiries/{other}"), Some(&lead))
                .await
                .status(),
            404, // not theirs: as if it did not exist
        );
        assert_eq!(
            app.get(&format!("/enquiries/{other}/original"), Some(&lead))
                .await
                .status(),
            404, // not theirs: as if it did not exist
        );
        assert_eq!(
            app.get(&format!("/enquiries/{answer}"), Some(&lead))
                .await
                .status(),
            404, // not theirs: as if it did not exist
        );
        for path in ["/dashboard", "/outbox", &format!("/kb/new?from={routed}")] {
            assert_eq!(app.get(path, Some(&lead)).await.status(), 403, "{path}");
        }
        for action in [
            "approve",
            "save",
            "reject",
            "reroute",
            "answered-elsewhere",
            "use-entry",
        ] {
            let res = app
                .post(
                    &format!("/enquiries/{routed}/{action}"),
                    &lead,
                    &[
                        ("text", "x"),
                        ("reason", "x"),
                        ("region", "london"),
                        ("entry", "aims"),
                    ],
                )
                .await;
            assert_eq!(res.status(), 403, "{action}");
        }
        assert_eq!(
            app.post(
                &format!("/enquiries/{other}/answer"),
                &lead,
                &[("text", "hi")]
            )
            .await
            .status(),
            404
        );
        let page = app.page(&format!("/enquiries/{routed}"), &lead).await;
        assert!(page.contains("Your answer") && !page.contains("Approve and send"));
        let res = app
            .post(
                &format!("/enquiries/{routed}/answer"),
                &lead,
                &[("text", "Your visa is not affected by FPT.")],
            )
            .await;
        assert_eq!(res.status(), 303);
        assert_eq!(app.status_of(routed).await, "waiting");
        assert_eq!(
            app.replies(routed).await,
            0,
            "a lead's answer waits for an admin"
        );
        let admin = app.sign_in("ada").await;
        let page = app.page(&format!("/enquiries/{routed}"), &admin).await;
        assert!(page.contains("lee (lead)") && page.contains("Your visa is not affected by FPT."));
        assert_eq!(
            app.post(&format!("/enquiries/{routed}/approve"), &admin, &[])
                .await
                .status(),
            303
        );
        assert_eq!(app.replies(routed).await, 1);
        // the lead still sees it
        assert_eq!(
            app.get(&format!("/enquiries/{routed}"), Some(&lead))
                .await
                .status(),
            200
        );
    })
    .await;
}

#[tokio::test]
async fn user_text_is_escaped_everywhere() {
    on_each_database(|app| async move {
        let id = app
            .ingest(
                "x@example.org",
                "<script>alert('s')</script>",
                "Hello <script>alert(1)</script> <img src=x onerror=alert(2)> what is FPT?",
            )
            .await;
        app.add_user("ada", "admin", None).await;
        let b = app.sign_in("ada").await;
        for path in [
            format!("/enquiries/{id}"),
            format!("/enquiries/{id}/original"),
            "/queue".to_string(),
            "/queue?q=%3Cscript%3E".to_string(),
        ] {
            let html = app.page(&path, &b).await;
            assert!(!html.contains("<script>alert"), "{path}");
            assert!(!html.contains("<img src=x"), "{path}");
            assert!(html.contains("&lt;script&gt;alert"), "{path}");
        }
        let res = app.get(&format!("/enquiries/{id}"), Some(&b)).await;
        let csp = res
            .headers()
            .get("content-security-policy")
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        assert!(csp.contains("default-src 'none'"));
    })
    .await;
}

#[tokio::test]
async fn knowledge_base_try_a_question_new_entry_and_dashboard() {
    on_each_database(|app| async move {
        let (answer, routed, _) = seed(&app).await;
        app.add_user("ada", "admin", None).await;
        let b = app.sign_in("ada").await;
        let kb = app.page("/kb", &b).await;
        assert!(kb.contains(
            &app.service.triage.current().kb.entries[0]
                .title
                .replace('\'', "&#x27;")
        ));
        let tried = app
            .page("/kb/try?question=how+many+days+a+week+is+FPT%3F", &b)
            .await;
        assert!(tried.contains("<strong>Answer</strong>"), "{tried}");
        // not yet answered: no FAQ link
        let page = app.page(&format!("/enquiries/{routed}"), &b).await;
        assert!(!page.contains("Turn this into an FAQ entry"));
        app.post(
            &format!("/enquiries/{routed}/save"),
            &b,
            &[("text", "Visa sponsorship is not affected by FPT.")],
        )
        .await;
        app.post(&format!("/enquiries/{routed}/approve"), &b, &[])
            .await;
        let page = app.page(&format!("/enquiries/{routed}"), &b).await;
        assert!(page.contains("Turn this into an FAQ entry"));
        let form = app.page(&format!("/kb/new?from={routed}"), &b).await;
        assert!(form.contains("Visa sponsorship is not affected"));
        let bad = app
            .post(
                "/kb/new",
                &b,
                &[
                    ("from", &routed.to_string()),
                    ("id", "../evil"),
                    ("title", "t"),
                    ("questions", "q?"),
                    ("answer", "a"),
                ],
            )
            .await;
        assert_eq!(bad.status(), 200);
        assert!(bad.text().await.unwrap().contains("lower-case letters"));
        let res = app
            .post(
                "/kb/new",
                &b,
                &[
                    ("from", &routed.to_string()),
                    ("id", "visa-sponsorship"),
                    ("title", "FPT and visas"),
                    (
                        "questions",
                        "Will FPT affect my visa?\r\nvisa sponsorship fpt",
                    ),
                    ("answer", "Visa sponsorship is not affected by FPT."),
                    ("read_more", ""),
                ],
            )
            .await;
        assert_eq!(res.status(), 303);
        let text = std::fs::read_to_string(app.kb_dir.join("entries/visa-sponsorship.md")).unwrap();
        assert!(
            text.starts_with("+++\nid = \"visa-sponsorship\"\n")
                && text.contains("Will FPT affect my visa?")
        );
        // the written entry loads as part of a knowledge base
        let loaded = fpt_assist::kb::KnowledgeBase::load(&app.kb_dir);
        assert!(loaded.is_ok(), "{:?}", loaded.err());
        // the dashboard
        let _ = answer;
        let dash = app.page("/dashboard", &b).await;
        assert!(dash.contains("Enquiries per day") && dash.contains("Answered automatically"));
        assert!(dash.contains("What routed questions ask about"));
        assert!(dash.contains("33%"), "1 of 3 answered automatically");
    })
    .await;
}

/// The dashboard's Discord feedback: what the bot stores through `SqlChatStore`, counted
/// over the last 14 days and overall, with the share that helped.
#[tokio::test]
async fn dashboard_shows_discord_feedback() {
    use fpt_assist::chat::{ChatEnquiry, ChatStore, SqlChatStore};
    on_each_database(|app| async move {
        app.add_user("ada", "admin", None).await;
        let b = app.sign_in("ada").await;
        let dash = app.page("/dashboard", &b).await;
        assert!(
            !dash.contains("Discord feedback"),
            "no Discord panel while Discord is off and has no feedback"
        );
        let chat = SqlChatStore::new(app.service.store.clone());
        for n in 0..3u64 {
            let e = ChatEnquiry {
                external_id: format!("11000000000000009{n:02}"),
                channel_id: 1100000000000000010,
                guild_id: Some(1100000000000000001),
                reply_to: Some(1100000000000000900 + n),
                author_id: 1100000000000000501 + n,
                author_name: "Dr Jones".into(),
                text: "How many days a week is FPT?".into(),
                decision: fpt_assist::DecisionKind::Answer,
                confidence: 0.9,
                faq: vec!["protected-time".into()],
                region: None,
                reason: "answered".into(),
            };
            chat.record_enquiry(&e).await.unwrap().expect("new");
        }
        // three "this helped" and one "still need help" now…
        for (n, helped) in [(0u64, true), (1, true), (2, true), (2, false)] {
            chat.record_feedback(
                &format!("11000000000000009{n:02}"),
                helped,
                1100000000000000501 + n,
            )
            .await
            .unwrap();
        }
        // …and one "still need help" a month ago, outside the two weeks
        {
            let mut conn = app.service.store.conn().await.unwrap();
            fpt_assist::store::audit(
                &mut conn,
                None,
                "discord:1100000000000000599",
                "discord_feedback",
                "still_need_help",
                fpt_assist::store::now() - 30 * 86_400,
            )
            .await
            .unwrap();
        }
        let dash = app.page("/dashboard", &b).await;
        assert!(
            dash.contains(
                "<th scope=\"row\">Last 14 days</th><td>3</td><td>1</td><td>75% of 4</td>"
            ),
            "{dash}"
        );
        assert!(
            dash.contains("<th scope=\"row\">All time</th><td>3</td><td>2</td><td>60% of 5</td>"),
            "{dash}"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_commands_add_change_and_disable_accounts() {
    use clap::Parser;
    for db in service_common::databases().await {
        let config = db.dir.path().join("c.toml");
        std::fs::write(&config, format!("database_url = \"{}\"\n", db.url)).unwrap();
        let config = config.display().to_string();
        let run = |args: &[&str], input: &str| {
            let mut argv = vec![
                "fpt-assist",
                "--kb",
                concat!(env!("CARGO_MANIFEST_DIR"), "/faq"),
                "user",
                "--config",
                &config,
            ];
            argv.extend_from_slice(args);
            let cli = fpt_assist::cli::Cli::try_parse_from(argv).expect("arguments parse");
            let mut out = Vec::new();
            let code = fpt_assist::cli::run(cli, &mut input.as_bytes(), &mut out);
            (
                code.map_err(|e| e.to_string()),
                String::from_utf8_lossy(&out).to_string(),
            )
        };
        let (code, out) = tokio::task::block_in_place(|| {
            run(
                &["add", "ada", "--role", "admin"],
                "a long enough password\n",
            )
        });
        assert_eq!(code, Ok(0), "{out}");
        let (code, _) = tokio::task::block_in_place(|| {
            run(
                &["add", "ada", "--role", "admin"],
                "a long enough password\n",
            )
        });
        assert!(code.unwrap_err().contains("exists"));
        let (code, _) = tokio::task::block_in_place(|| {
            run(
                &["add", "lee", "--role", "lead"],
                "a long enough password\n",
            )
        });
        assert!(code.unwrap_err().contains("--region"));
        let (code, _) = tokio::task::block_in_place(|| {
            run(
                &["add", "lee", "--role", "lead", "--region", "atlantis"],
                "a long enough password\n",
            )
        });
        assert!(code.unwrap_err().contains("unknown region"));
        let (code, _) = tokio::task::block_in_place(|| {
            run(
                &["add", "lee", "--role", "lead", "--region", "london"],
                "short\n",
            )
        });
        assert!(code.unwrap_err().contains("at least"));
        let (code, _) =
            tokio::task::block_in_place(|| run(&["passwd", "ada"], "another long password\n"));
        assert_eq!(code, Ok(0));
        let (code, _) = tokio::task::block_in_place(|| run(&["disable", "ada"], ""));
        assert_eq!(code, Ok(0));
        let store = fpt_assist::store::Store::open(&db.url).await.unwrap();
        let mut conn = store.conn().await.unwrap();
        let user = fpt_assist::web::queries::user_by_name(&mut conn, "ada")
            .await
            .unwrap()
            .unwrap();
        assert!(
            user.disabled
                && fpt_assist::web::verify_password("another long password", &user.password_hash)
        );
        assert!(!user.password_hash.contains("another"));
    }
}

#[tokio::test]
async fn admins_see_an_alert_while_the_mail_sign_in_needs_attention() {
    on_each_database(|app| async move {
        app.add_user("ada", "admin", None).await;
        app.add_user("lee", "lead", Some("yorkshire-humber")).await;
        let admin = app.sign_in("ada").await;
        let lead = app.sign_in("lee").await;
        assert!(!app.page("/queue", &admin).await.contains("mail-alert"));
        let data_dir = &app.service.config.data_dir;
        let refused = fpt_assist::oauth::GrantStatus {
            state: "needs_attention".into(),
            detail: "the OAuth2 grant was refused by the token endpoint (invalid_grant); an \
                     administrator must sign in again with `fpt-assist oauth2 login`"
                .into(),
            at: 0,
        };
        fpt_assist::oauth::record_status(data_dir, &refused);
        let page = app.page("/queue", &admin).await;
        assert!(
            page.contains("Mail sign-in needs attention") && page.contains("oauth2 login"),
            "{page}"
        );
        assert!(!app.page("/queue", &lead).await.contains("mail-alert"));
        let ok = fpt_assist::oauth::GrantStatus {
            state: "ok".into(),
            detail: String::new(),
            at: 1,
        };
        fpt_assist::oauth::record_status(data_dir, &ok);
        assert!(!app.page("/queue", &admin).await.contains("mail-alert"));
    })
    .await;
}

#[tokio::test]
async fn admins_see_the_discord_bots_problems_until_it_connects_again() {
    use fpt_assist::chat::{ChatStore, DiscordConfig, SqlChatStore};
    for db in service_common::databases().await {
        eprintln!("-- on {}", db.name);
        let app = web_app::spawn_app_with(db, |c| c.discord = Some(DiscordConfig::default())).await;
        app.add_user("ada", "admin", None).await;
        app.add_user("lee", "lead", Some("yorkshire-humber")).await;
        let admin = app.sign_in("ada").await;
        let lead = app.sign_in("lee").await;
        assert!(!app.page("/queue", &admin).await.contains("discord-alert"));

        // what the running bot records: the same store, the same calls
        let bot = SqlChatStore::new(app.service.store.clone());
        bot.record_problem(None, fpt_assist::chat::bot::MESSAGE_CONTENT_PROBLEM)
            .await
            .unwrap();
        bot.record_problem(
            None,
            "Discord refused the bot token (gateway close code 4004, authentication failed): set \
             FPT_DISCORD_TOKEN to the bot's current token <b>now</b>",
        )
        .await
        .unwrap();
        for path in ["/queue", "/dashboard"] {
            let page = app.page(path, &admin).await;
            assert!(
                page.contains("The Discord bot needs attention")
                    && page.contains("Message Content Intent")
                    && page.contains("gateway close code 4004"),
                "{page}"
            );
            // newest first, and the bot's text is shown as text
            assert!(page.find("close code 4004") < page.find("Message Content Intent"));
            assert!(
                page.contains("&lt;b&gt;now") && !page.contains("<b>now"),
                "{page}"
            );
        }
        let page = app.page("/queue", &lead).await;
        assert!(
            !page.contains("discord-alert") && !page.contains("close code 4004"),
            "a lead sees no bot alert: {page}"
        );

        // the bot connected again: nothing to show
        bot.record_connected().await.unwrap();
        assert!(!app.page("/queue", &admin).await.contains("discord-alert"));
    }
}
