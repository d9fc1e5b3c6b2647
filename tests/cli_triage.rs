//! The command line as users and scripts drive it: `triage` JSONL in and out, `ask`, `kb`,
//! `kb check` and `eval`, through the real binary.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fpt(args: &[&str], stdin: &str) -> (i32, String) {
    fpt_bytes(args, stdin.as_bytes())
}

fn fpt_bytes(args: &[&str], stdin: &[u8]) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fpt-assist"))
        .current_dir(root())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin)
        .expect("write stdin");
    let out = child.wait_with_output().expect("the binary finishes");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn lines(out: &str) -> Vec<serde_json::Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).expect("every output line is JSON"))
        .collect()
}

#[test]
fn a_line_that_is_not_utf8_is_reported_alone_and_the_next_is_triaged() {
    let mut input = Vec::new();
    // a UTF-8 byte-order mark before the first line, as an editor may write
    input.extend_from_slice("\u{feff}".as_bytes());
    input.extend_from_slice(br#"{"id": "a", "channel": "chat", "from": "u", "body": "cheers!"}"#);
    input.extend_from_slice(b"\n");
    input.extend_from_slice(b"{\"id\": \"bad\", \"channel\": \"chat\", \"body\": \"x \xff\"}\n");
    input.extend_from_slice(
        br#"{"id": "b", "channel": "chat", "from": "u", "body": "how long is FPT?"}"#,
    );
    input.extend_from_slice(b"\n");
    let (code, out) = fpt_bytes(&["triage"], &input);
    assert_eq!(code, 0);
    let out = lines(&out);
    assert_eq!(out.len(), 3, "{out:?}");
    assert_eq!(out[0]["id"], "a");
    assert_eq!(out[1]["line"], 2);
    assert!(out[1]["error"].as_str().unwrap().contains("UTF-8"));
    assert_eq!(out[2]["id"], "b");
}

#[test]
fn triage_answers_routes_and_ignores_in_input_order() {
    let input = [
        r#"{"id": "a", "channel": "email", "from": "x@example.org", "subject": "FPT time", "body": "Dear team, how many days a week does FPT protect?\nThanks, Dr D. Moore"}"#,
        r#"{"id": "b", "channel": "chat", "from": "u1", "body": "my fpt day at Derriford keeps being cancelled for ward cover, who can help"}"#,
        r#"{"id": "c", "channel": "email", "from": "x@example.org", "subject": "Automatic reply: FPT", "body": "I am away", "headers": {"Auto-Submitted": "auto-replied"}}"#,
        r#"{"id": "d", "channel": "chat", "from": "u2", "body": "cheers!"}"#,
    ]
    .join("\n");
    let (code, out) = fpt(&["triage"], &input);
    assert_eq!(code, 0);
    let out = lines(&out);
    let ids: Vec<&str> = out.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a", "b", "c", "d"]);

    assert_eq!(out[0]["decision"], "answer");
    assert_eq!(out[0]["faq"][0], "protected-time");
    let reply = out[0]["reply"].as_str().unwrap();
    assert!(reply.starts_with("Dear Dr D. Moore,"), "{reply}");
    assert!(reply.contains("one day a week"), "{reply}");
    assert!(out[0]["confidence"].as_f64().unwrap() >= 0.5);
    assert!(out[0]["candidates"].as_array().unwrap().len() <= 3);
    // each candidate explains itself: the lexical signal, and the semantic one (a cosine
    // when the working folder has the model installed, null without it)
    let best = &out[0]["candidates"][0];
    assert_eq!(best["id"], "protected-time");
    assert!(best["lexical"].as_f64().is_some_and(|x| x > 0.0), "{best}");
    assert!(best["coverage"].as_f64().is_some_and(|x| x > 0.0), "{best}");
    let model = match std::env::var("FPT_MODEL") {
        Ok(folder) => folder != "none",
        Err(_) => root()
            .join("models/all-MiniLM-L6-v2/model.safetensors")
            .exists(),
    };
    for signal in ["semantic", "passage"] {
        let value = best.get(signal).expect("the signal is listed, null or not");
        match value.as_f64() {
            Some(cosine) => assert!(model && (-1.0..=1.0).contains(&cosine), "{best}"),
            None => assert!(!model && value.is_null(), "{best}"),
        }
    }
    assert!(!best["matched"].as_array().unwrap().is_empty(), "{best}");

    assert_eq!(out[1]["decision"], "route");
    assert_eq!(out[1]["region"], "south-west");
    assert!(out[1]["reply"].as_str().unwrap().contains("South West"));
    assert!(
        !out[1]["candidates"].as_array().unwrap().is_empty(),
        "candidates are listed also when routed"
    );

    for l in &out[2..] {
        assert_eq!(l["decision"], "ignore");
        assert!(l["reply"].is_null());
    }
}

#[test]
fn a_bad_line_gives_an_error_for_that_id_and_the_rest_go_on() {
    let input = "{\"id\": \"bad\", \"channel\": \"fax\", \"body\": \"x\"}\nnot json at all\n{\"id\": \"ok\", \"channel\": \"chat\", \"from\": \"u\", \"body\": \"what pathways are there\"}\n";
    let (code, out) = fpt(&["triage"], input);
    assert_eq!(code, 0);
    let out = lines(&out);
    assert_eq!(out.len(), 3);
    assert_eq!(out[0]["id"], "bad");
    assert!(out[0]["error"].as_str().unwrap().contains("fax"));
    assert!(out[1]["error"].is_string());
    assert_eq!(out[2]["decision"], "answer");
}

#[test]
fn raw_messages_are_parsed_and_quoted_text_is_not_matched() {
    let raw = "From: \"Dr Ruth Hale\" <r.hale@example.org>\r\nTo: fpt@example.org\r\nSubject: Re: FPT\r\nMessage-ID: <m1@example.org>\r\n\r\nIs there a trainee handbook I can read?\r\n\r\nOn Mon, 3 Oct 2022 at 10:00, FPT <fpt@example.org> wrote:\r\n> Funding for masters degrees is decided locally.\r\n";
    let line = serde_json::json!({"id": 7, "channel": "email", "raw": raw}).to_string();
    let (_, out) = fpt(&["triage"], &line);
    let out = lines(&out);
    assert_eq!(out[0]["id"], 7);
    assert_eq!(out[0]["decision"], "answer", "{}", out[0]);
    assert_eq!(out[0]["faq"][0], "handbook");
    assert!(out[0]["reply"]
        .as_str()
        .unwrap()
        .starts_with("Dear Dr Ruth Hale,"));
}

#[test]
fn ask_explains_the_decision() {
    let (code, out) = fpt(&["ask", "--chat", "how many capabilites per pathway"], "");
    assert_eq!(code, 0);
    assert!(out.contains("Decision:   answer"), "{out}");
    assert!(out.contains("capabilities"));
    assert!(
        out.contains("corrected: capabilites → capabilities"),
        "{out}"
    );
    assert!(out.contains("matched:"));
    // a pasted forward starts with dashes: still the question, not an unknown option
    let (code, out) = fpt(
        &[
            "ask",
            "---------- Forwarded message\nHow many days a week does FPT protect?",
        ],
        "",
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Decision:"), "{out}");
}

#[test]
fn kb_json_round_trips_through_kb_flag() {
    let (code, out) = fpt(&["kb", "--json"], "");
    assert_eq!(code, 0);
    let entries: Vec<serde_json::Value> =
        serde_json::from_str(&out).expect("kb --json is a JSON array");
    assert!(entries.len() >= 20);
    assert!(entries
        .iter()
        .all(|e| e["id"].is_string() && e["questions"].is_array() && e["answer"].is_string()));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kb.json");
    std::fs::write(&file, &out).unwrap();
    let (_, out) = fpt(
        &["--kb", file.to_str().unwrap(), "triage"],
        r#"{"id": 1, "channel": "chat", "from": "u", "body": "where is the trainee handbook"}"#,
    );
    assert_eq!(lines(&out)[0]["faq"][0], "handbook");
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn kb_check_names_file_and_line_of_each_problem() {
    let dir = tempfile::tempdir().unwrap();
    let kb = dir.path().join("faq");
    let entry = |id: &str, body: &str| {
        format!("+++\nid = \"{id}\"\ntitle = \"T\"\nquestions = [\"a?\", \"b?\", \"c?\"]\n+++\n{body}\n")
    };
    write(&kb.join("entries/one.md"), &entry("one", "An answer."));
    write(&kb.join("entries/two.md"), &entry("one", "Another."));
    write(&kb.join("entries/empty.md"), &entry("empty", ""));
    write(
        &kb.join("entries/broken.md"),
        "+++\nid = \"broken\"\ntitle = \n+++\nx\n",
    );
    write(&kb.join("regions.toml"), "[admin_team]\nname = \"A\"\nemail = \"a@example.org\"\n[[region]]\nid = \"Bad Id\"\nname = \"B\"\n[region.lead]\nname = \"L\"\nemail = \"l@example.org\"\n");
    let (code, out) = fpt(&["--kb", kb.to_str().unwrap(), "kb", "check"], "");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("two.md:2: error: duplicate id `one`"), "{out}");
    assert!(out.contains("empty.md:6: error: empty answer"), "{out}");
    assert!(out.contains("broken.md:3: error: front matter"), "{out}");
    assert!(
        out.contains("regions.toml:5: error: region id `Bad Id`"),
        "{out}"
    );
    let (code, out) = fpt(&["kb", "check"], "");
    assert_eq!(code, 0, "the shipped knowledge base is clean: {out}");
}

#[test]
fn eval_on_the_dev_set_meets_the_acceptance_thresholds() {
    // a copy of shared/eval/dev-enquiries.jsonl, so a clone of the repository has it
    let dev = root().join("tests/data/dev-enquiries.jsonl");
    let (code, out) = fpt(
        &[
            "eval",
            dev.to_str().unwrap(),
            "--min-correct",
            "0.9",
            "--max-false",
            "0.03",
        ],
        "",
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("enquiries:"), "{out}");
}

#[test]
fn eval_fails_below_the_thresholds_and_prints_the_misses() {
    let set = r#"{"id": "x1", "enquiry": {"channel": "chat", "from": "u", "body": "what pathways are there"}, "expect": {"decision": "route", "region": null}}"#;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("set.jsonl");
    std::fs::write(&file, set).unwrap();
    let (code, out) = fpt(&["eval", file.to_str().unwrap()], "");
    assert_eq!(code, 1);
    assert!(out.contains("FALSE ANSWER x1"), "{out}");
    assert!(out.contains("1 false answers"), "{out}");
}
