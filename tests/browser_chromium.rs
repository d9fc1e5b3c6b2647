//! The web app in headless Chromium (chromedriver + a small WebDriver client): an admin signs
//! in, opens an enquiry, edits the draft, approves it and finds it in the outbox; a lead sees
//! only their region; an enquiry carrying `<script>` shows it as text and runs nothing.
//! With `FPT_SCREENSHOTS=1`, saves screenshots of the queue, an enquiry, the dashboard, its gaps
//! as topics and the regression gate to
//! docs/screenshots/ (never otherwise: a test run leaves the clone clean).
//! Skips with a printed reason when chromedriver or Chromium is missing.

mod service_common;
#[path = "support/web_app.rs"]
mod web_app;
#[path = "support/webdriver.rs"]
mod webdriver;

use fpt_assist::store::{self, NewEnquiry, NewOutbox, OutboxKind, Status};
use service_common::{ANSWERABLE, ROUTED};
use web_app::{TestApp, PASSWORD};
use webdriver::Driver;

/// Some history, so the dashboard has something to show.
async fn history(app: &TestApp) {
    let now = store::now();
    let mut conn = app.service.store.conn().await.unwrap();
    let samples = [
        (
            "email",
            "answer",
            Status::Sent,
            "How many days a week is FPT?",
        ),
        (
            "email",
            "route",
            Status::Routed,
            "Is there funding for a masters during FPT?",
        ),
        ("chat", "answer", Status::Sent, "which pathways are there"),
        ("email", "ignore", Status::Ignored, "Out of office"),
        (
            "email",
            "route",
            Status::Routed,
            "Can FPT be taken during parental leave?",
        ),
        (
            "chat",
            "route",
            Status::Routed,
            "Is there funding for a masters during FPT?",
        ),
    ];
    for day in 0..10i64 {
        for (i, (channel, decision, status, text)) in samples.iter().enumerate() {
            if (day as usize + i).is_multiple_of(3) {
                continue;
            }
            let at = now - day * 86_400 - (i as i64) * 3_000 - 600;
            let ext = format!("history-{day}-{i}");
            let id = store::insert_enquiry(
                &mut conn,
                &NewEnquiry {
                    channel,
                    external_id: &ext,
                    thread_id: None,
                    sender: "history@example.org",
                    sender_name: Some("A Trainee"),
                    subject: Some(text),
                    cleaned_text: text,
                    raw: None,
                    attachments: "[]",
                    received_at: at,
                    decision,
                    confidence: if *decision == "answer" { 0.9 } else { 0.3 },
                    faq: "[]",
                    region: Some("london"),
                    reason: "sample",
                    status: *status,
                    parse_problem: None,
                },
            )
            .await
            .unwrap()
            .unwrap();
            if *status == Status::Sent && *channel == "email" {
                let key = format!("reply-{id}-1");
                store::enqueue(
                    &mut conn,
                    &NewOutbox {
                        idempotency_key: key.clone(),
                        enquiry_id: Some(id),
                        kind: OutboxKind::Reply,
                        to_addr: "history@example.org".into(),
                        subject: format!("Re: {text}"),
                        body_text: "sample".into(),
                        body_html: None,
                        in_reply_to: None,
                        references: vec![],
                        message_id: format!("{key}@test"),
                        auto_submitted: false,
                    },
                    at,
                )
                .await
                .unwrap();
                let rows = store::list_outbox(&mut conn, Some(id)).await.unwrap();
                store::mark_sent(&mut conn, rows[0].id, at + 3_600 * (1 + day % 5))
                    .await
                    .unwrap();
            }
        }
    }
}

async fn sign_in(d: &Driver, app: &TestApp, name: &str) {
    d.goto(&app.url("/queue")).await.unwrap();
    assert!(
        d.url().await.unwrap().contains("/login"),
        "anonymous → sign-in page"
    );
    d.clear_and_type("#name", name).await.unwrap();
    d.clear_and_type("#password", PASSWORD).await.unwrap();
    d.click("button[type=submit]").await.unwrap();
    d.wait_text("main", "enquir").await.unwrap();
    let url = d.url().await.unwrap();
    assert!(url.ends_with("/queue"), "signed in, at the queue: {url}");
}

#[tokio::test]
async fn admin_and_lead_in_a_real_browser() {
    let (driver, chromium) = match webdriver::find_browser() {
        Ok(found) => found,
        Err(why) => {
            std::io::Write::write_fmt(&mut std::io::stderr(), format_args!("skipping: {why}\n"))
                .ok();
            return;
        }
    };
    let db = service_common::databases().await.remove(0);
    let app = web_app::spawn_app(db).await;
    history(&app).await;
    let answer = app
        .ingest(
            "Dr Jane Doe <jane.doe@example.org>",
            "Can GP trainees do FPT?",
            ANSWERABLE,
        )
        .await;
    let routed = app
        .ingest("b.img@example.org", "Visa question", ROUTED)
        .await;
    let xss = app
        .ingest(
            "mallory@example.org",
            "<script>alert('subject')</script>",
            "Hi <script>alert(1)</script><img src=x onerror=alert(2)> is FPT one day a week?",
        )
        .await;
    app.add_user("ada", "admin", None).await;
    app.add_user("lee", "lead", Some("north-east")).await;

    let d = match Driver::start(&driver, &chromium).await {
        Ok(d) => d,
        Err(why) => {
            std::io::Write::write_fmt(
                &mut std::io::stderr(),
                format_args!("skipping: cannot start the browser: {why}\n"),
            )
            .ok();
            return;
        }
    };
    let shots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
    let refresh = std::env::var("FPT_SCREENSHOTS").is_ok_and(|v| v == "1");
    let shoot = |name: &'static str| {
        let path = shots.join(name);
        let d = &d;
        async move {
            if refresh {
                d.screenshot(&path).await.unwrap();
            }
        }
    };

    // keyboard: the first Tab reaches the skip link
    d.goto(&app.url("/login")).await.unwrap();
    assert_eq!(
        d.tab_and_focused_text().await.unwrap(),
        "Skip to main content"
    );

    sign_in(&d, &app, "ada").await;
    d.set_size(1280, 1100).await.unwrap();
    d.goto(&app.url("/queue")).await.unwrap();
    assert!(d.text("#count").await.unwrap().contains("enquiries"));
    shoot("queue.png").await;

    // open the enquiry from the queue, edit, save, approve, twice
    d.click(&format!("a[href='/enquiries/{answer}']"))
        .await
        .unwrap();
    assert!(d
        .url()
        .await
        .unwrap()
        .ends_with(&format!("/enquiries/{answer}")));
    if refresh {
        d.set_size(1280, 2000).await.unwrap();
        shoot("enquiry.png").await;
    }
    // a 1366×768 laptop: the draft and its buttons come before the explanation
    d.set_size(1366, 768).await.unwrap();
    let source = d.source().await.unwrap();
    let (draft_at, why_at) = (source.find("id=\"approve\""), source.find("id=\"why\""));
    assert!(
        draft_at.is_some() && draft_at < why_at,
        "approve button before the explanation"
    );
    // edit, then approve in one click: what is in the editor is what is sent
    let edited = "Dear Jane,\n\nYes: GP trainees can apply for FPT.\n\nBest wishes";
    d.clear_and_type("#text", edited).await.unwrap();
    d.click("#approve").await.unwrap();
    d.wait_text("#result", "Approved").await.unwrap();
    assert_eq!(
        d.text("#stage").await.unwrap(),
        "Queued for sending",
        "the page says so at once"
    );
    assert!(
        !d.source().await.unwrap().contains("id=\"approve\""),
        "no approve button on a queued reply"
    );
    assert_eq!(app.replies(answer).await, 1);
    {
        let mut conn = app.service.store.conn().await.unwrap();
        let queued = store::list_outbox(&mut conn, Some(answer)).await.unwrap();
        let reply = queued.iter().find(|o| o.kind == "reply").unwrap();
        assert!(
            reply
                .body_text
                .contains("Yes: GP trainees can apply for FPT."),
            "the edited text went out: {}",
            reply.body_text
        );
    }
    d.set_size(1280, 1100).await.unwrap();
    d.goto(&app.url("/outbox")).await.unwrap();
    let outbox = d.text("main").await.unwrap();
    assert!(outbox.contains(&format!("FPT-{answer}")) && outbox.contains("jane.doe@example.org"));

    d.goto(&app.url("/dashboard")).await.unwrap();
    d.set_size(1280, 1500).await.unwrap();
    assert!(d
        .text("main")
        .await
        .unwrap()
        .contains("Median time to reply"));
    shoot("dashboard.png").await;
    d.set_size(1280, 1100).await.unwrap();

    // the gaps as topics: paraphrases of one question grouped, with "write an entry for this"
    d.goto(&app.url("/dashboard#gaps")).await.unwrap();
    let topics = d.text("#topics").await.unwrap();
    assert!(
        topics.contains("parental leave") && topics.contains("Write an entry for this"),
        "{topics}"
    );
    shoot("gaps.png").await;

    // the regression gate: an entry that would take over the answer just approved, previewed
    d.goto(&app.url(&format!("/kb/new?from={routed}")))
        .await
        .unwrap();
    d.clear_and_type("#id", "gp-trainees-copy").await.unwrap();
    d.clear_and_type("#questions", ANSWERABLE).await.unwrap();
    d.clear_and_type("#answer", "A test answer.").await.unwrap();
    d.click("button[name='preview']").await.unwrap();
    let gate = d.wait_text("#gate", "would now be").await.unwrap();
    assert!(gate.contains(&format!("FPT-{answer}")), "{gate}");
    if refresh {
        d.set_size(1280, 1900).await.unwrap();
        shoot("gate.png").await;
        d.set_size(1280, 1100).await.unwrap();
    }

    // the XSS case: shown as text, nothing runs
    d.goto(&app.url(&format!("/enquiries/{xss}")))
        .await
        .unwrap();
    assert!(!d.alert_open().await, "no script ran");
    assert!(d
        .text("#cleaned")
        .await
        .unwrap()
        .contains("<script>alert(1)</script>"));
    assert!(d
        .text("h1")
        .await
        .unwrap()
        .contains("<script>alert('subject')</script>"));
    d.goto(&app.url(&format!("/enquiries/{xss}/original")))
        .await
        .unwrap();
    assert!(
        !d.alert_open().await,
        "no script ran on the original either"
    );

    // sign out; the lead sees only their region
    d.goto(&app.url("/queue")).await.unwrap();
    d.click("form[action='/logout'] button").await.unwrap();
    d.wait_text("h1", "Sign in").await.unwrap();
    sign_in(&d, &app, "lee").await;
    d.wait_text("h1", "Enquiries routed to your region")
        .await
        .unwrap();
    let queue = d.source().await.unwrap();
    assert!(
        queue.contains("Enquiries routed to your region"),
        "{}",
        &queue[..queue.len().min(3000)]
    );
    assert!(!queue.contains(&format!("/enquiries/{answer}\"")));
    d.goto(&app.url(&format!("/enquiries/{routed}")))
        .await
        .unwrap();
    assert!(
        d.text("main").await.unwrap().contains("not found"),
        "Yorkshire's enquiry → 404, like one that does not exist"
    );
    d.goto(&app.url("/dashboard")).await.unwrap();
    assert!(d.text("main").await.unwrap().contains("not allowed"));
    d.quit().await;
}
