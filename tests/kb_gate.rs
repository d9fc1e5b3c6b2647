//! The regression gate from a terminal: `fpt-assist kb check --against FILE [--before PATH]`
//! on the project's labelled set, through the real binary. An edit that routes enquiries the
//! shipped base answered is named enquiry by enquiry and fails the check; no edit passes.
//!
//! With the model when `FPT_TEST_MODEL` (or `models/all-MiniLM-L6-v2`) is there, lexical
//! matching otherwise.

mod service_common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn model_arg() -> String {
    let dir = std::env::var_os("FPT_TEST_MODEL")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("models/all-MiniLM-L6-v2"));
    if dir.join("model.safetensors").exists() {
        dir.display().to_string()
    } else {
        "none".into()
    }
}

/// `kb check` on `kb`; (exit code, stdout).
fn gate(kb: &Path, extra: &[&str], cache: &Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_fpt-assist"))
        .current_dir(root())
        .env_remove("FPT_MODEL")
        .arg("--kb")
        .arg(kb)
        .arg("--model")
        .arg(model_arg())
        .arg("--cache-dir")
        .arg(cache)
        .args(["kb", "check", "--against", "tests/data/dev-enquiries.jsonl"])
        .args(extra)
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn an_edit_that_routes_answered_enquiries_fails_the_gate_and_names_them() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let shipped = root().join("faq");

    // the shipped base passes its own labelled set
    let (code, out) = gate(&shipped, &[], &cache);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("no regressions"), "{out}");

    // the eligibility entry removed: what it answered is now routed or answered wrongly
    let edited = dir.path().join("faq");
    service_common::copy_dir(&shipped, &edited);
    std::fs::remove_file(edited.join("entries/eligibility.md")).unwrap();
    let before = shipped.display().to_string();
    let (code, out) = gate(&edited, &["--before", &before], &cache);
    assert_eq!(code, 1, "{out}");
    let regressions: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("REGRESSION"))
        .collect();
    assert!(!regressions.is_empty(), "{out}");
    assert!(
        regressions
            .iter()
            .all(|l| l.contains("answered from `eligibility` →")),
        "only enquiries answered from the removed entry regress:\n{out}"
    );
    assert!(
        out.contains("answered from `eligibility` would now be"),
        "{out}"
    );
    // "Can GPs do FPT?" (d005) is one of them, named with its subject
    assert!(
        regressions
            .iter()
            .any(|l| l.contains("d005") && l.contains("Can GPs do FPT?")),
        "{out}"
    );
}
