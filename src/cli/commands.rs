//! One function per command.

use std::io::{BufRead, Write};

use anyhow::{bail, Context};

use super::{Cli, Command, Common, KbAction};
use crate::enquiry::Enquiry;
use crate::eval::evaluate;
use crate::jsonl::triage_line;
use crate::kb::{check_folder, KnowledgeBase};
use crate::triage::Triage;

/// Runs a parsed command line, writing to `out`. Returns the process exit code.
pub fn run(cli: Cli, input: &mut dyn BufRead, out: &mut dyn Write) -> anyhow::Result<i32> {
    match cli.command {
        Command::Triage => triage(&cli.common, input, out),
        Command::Ask {
            question,
            chat,
            json,
        } => ask(&cli.common, &question, chat, json, out),
        Command::Kb { json, action } => match action {
            Some(KbAction::Check { against, before }) => {
                let code = kb_check(&cli.common, out)?;
                match against {
                    Some(file) if code == 0 => kb_gate(&cli.common, &file, before.as_deref(), out),
                    _ => Ok(code),
                }
            }
            None => kb_list(&cli.common, json, out),
        },
        Command::Eval {
            file,
            min_correct,
            max_false,
        } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read the labelled set {}", file.display()))?;
            eval(&cli.common, &text, min_correct, max_false, out)
        }
        Command::Model { action } => super::model::run(&cli.common, action, out),
        Command::User { svc, action } => {
            super::users::run(&svc, &cli.common.kb, action, input, out)
        }
        command => super::service::run(&cli.common, command, out),
    }
}

fn load(common: &Common) -> anyhow::Result<Triage> {
    if !(0.0..=1.0).contains(&common.threshold) {
        bail!(
            "--threshold must be between 0 and 1, got {}",
            common.threshold
        );
    }
    let triage = super::model::load_triage(common, None, false)?;
    if let Some(note) = &triage.matching_note {
        eprintln!("note: {note}");
    }
    Ok(triage)
}

fn triage(common: &Common, input: &mut dyn BufRead, out: &mut dyn Write) -> anyhow::Result<i32> {
    let triage = load(common)?;
    let mut bytes = Vec::new();
    let mut number = 0usize;
    loop {
        bytes.clear();
        // one line as bytes, decoded here: a line that is not UTF-8 is reported alone and
        // the next line is read as usual
        let read = input
            .read_until(b'\n', &mut bytes)
            .context("cannot read standard input")?;
        if read == 0 {
            break;
        }
        number += 1;
        let Ok(line) = std::str::from_utf8(&bytes) else {
            writeln!(
                out,
                "{}",
                serde_json::json!({
                    "id": null,
                    "line": number,
                    "error": "line is not valid UTF-8: re-encode the input as UTF-8"
                })
            )?;
            continue;
        };
        // a byte-order mark (an editor's UTF-8 file) is not part of the JSON
        let line = line.strip_prefix('\u{feff}').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        writeln!(out, "{}", triage_line(&triage, line))?;
    }
    out.flush()?;
    Ok(0)
}

fn ask(
    common: &Common,
    question: &str,
    chat: bool,
    json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    let triage = load(common)?;
    let enquiry = if chat {
        Enquiry::chat("you", question)
    } else {
        Enquiry::email("you@example.org", "", question)
    };
    let decision = triage.triage(&enquiry);
    let draft = triage.draft(&enquiry, &decision)?;
    if json {
        let value =
            serde_json::json!({"decision": decision, "reply": draft.as_ref().map(|d| &d.text)});
        writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
        return Ok(0);
    }
    writeln!(
        out,
        "Decision:   {} (confidence {:.2}, threshold {:.2})",
        decision.decision.as_str(),
        decision.confidence,
        triage.threshold
    )?;
    let region = match (
        &decision.region,
        triage.region_name(decision.region.as_deref()),
    ) {
        (Some(id), Some(name)) => format!(
            "{name} ({id}, from {}: {})",
            decision.region_match.source,
            decision.region_match.places.join(", ")
        ),
        _ => "none found (the admin team triages)".into(),
    };
    writeln!(out, "Region:     {region}")?;
    writeln!(
        out,
        "Matching:   {}",
        triage
            .matching_note
            .as_deref()
            .unwrap_or("semantic and lexical, calibrated on this knowledge base")
    )?;
    writeln!(out, "Reason:     {}", decision.reason)?;
    for (i, q) in decision.questions.iter().enumerate() {
        writeln!(
            out,
            "\nQuestion {}: \"{}\" → confidence {:.2}{}",
            i + 1,
            q.text,
            q.result.confidence,
            if q.answered { ", answered" } else { "" }
        )?;
        for (rank, c) in q.result.candidates.iter().enumerate() {
            let title = triage
                .kb
                .entry(&c.id)
                .map(|e| e.title.as_str())
                .unwrap_or("");
            let semantic = match (c.semantic, c.passage) {
                (Some(s), Some(p)) => format!("  semantic {s:.2} (answer passage {p:.2})"),
                _ => "  semantic off".to_string(),
            };
            writeln!(
                out,
                "  {}. {:<24} probability {:.2}  lexical {:.2}  coverage {:.2}{semantic}  {title}",
                rank + 1,
                c.id,
                c.score,
                c.lexical,
                c.coverage
            )?;
            writeln!(out, "     matched: {}", c.matched.join(", "))?;
        }
        for (from, to) in &q.result.corrections {
            writeln!(out, "  corrected: {from} → {to}")?;
        }
        if let Some(why) = &q.result.mismatch {
            writeln!(out, "  the best entry {why}")?;
        }
        if let Some(word) = &q.result.missing_key {
            writeln!(
                out,
                "  the best entry lacks the question's most specific word: {word}"
            )?;
        }
        if !q.result.also.is_empty() {
            writeln!(
                out,
                "  the answer may lie in either of the first entries: their probabilities add up, and {} is sent too",
                q.result.also.join(", ")
            )?;
        }
        if !q.result.unknown.is_empty() {
            writeln!(
                out,
                "  not in the knowledge base: {}",
                q.result.unknown.join(", ")
            )?;
        }
    }
    if let Some(d) = draft {
        writeln!(out, "\nReply:\n{}\n{}", "-".repeat(60), d.text.trim_end())?;
    }
    Ok(0)
}

fn kb_list(common: &Common, json: bool, out: &mut dyn Write) -> anyhow::Result<i32> {
    let kb = KnowledgeBase::load(&common.kb).with_context(|| {
        format!(
            "cannot load the knowledge base from {}",
            common.kb.display()
        )
    })?;
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&kb.to_json())?)?;
    } else {
        for e in &kb.entries {
            writeln!(out, "{:<34} {}", e.id, e.title)?;
        }
        writeln!(
            out,
            "\n{} entries, {} synonym groups, {} regions",
            kb.entries.len(),
            kb.synonyms.len(),
            kb.regions.regions.len()
        )?;
    }
    Ok(0)
}

fn kb_check(common: &Common, out: &mut dyn Write) -> anyhow::Result<i32> {
    if common.kb.is_file() {
        let kb = KnowledgeBase::load(&common.kb)?;
        writeln!(
            out,
            "{}: {} entries, no problems",
            common.kb.display(),
            kb.entries.len()
        )?;
        return Ok(0);
    }
    let problems = check_folder(&common.kb, &common.templates);
    for p in &problems {
        writeln!(out, "{p}")?;
    }
    let errors = problems.iter().filter(|p| p.is_error()).count();
    let warnings = problems.len() - errors;
    if errors > 0 {
        writeln!(out, "{errors} error(s), {warnings} warning(s): fix the errors above, then run `fpt-assist kb check` again")?;
        return Ok(1);
    }
    let kb = KnowledgeBase::load(&common.kb)?;
    writeln!(
        out,
        "ok: {} entries, {} synonym groups, {} regions, templates render; {warnings} warning(s)",
        kb.entries.len(),
        kb.synonyms.len(),
        kb.regions.regions.len()
    )?;
    Ok(0)
}

/// `kb check --against FILE [--before PATH]`: the regression gate from a terminal.
fn kb_gate(
    common: &Common,
    file: &std::path::Path,
    before: Option<&std::path::Path>,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read the labelled set {}", file.display()))?;
    let (labelled, errors) = crate::gate::parse_labelled(&text);
    for e in &errors {
        writeln!(out, "error: {}: {e}", file.display())?;
    }
    let after = load(common)?;
    let before = match before {
        Some(path) => {
            let mut c = common.clone();
            c.kb = path.to_path_buf();
            Some(load(&c).with_context(|| format!("the --before base {}", path.display()))?)
        }
        None => None,
    };
    let report = crate::gate::compare(before.as_ref(), &after, &labelled);
    let against_labels = before.is_none();
    for c in &report.changes {
        let before = c
            .before
            .as_ref()
            .map_or_else(|| "labelled right".to_string(), ToString::to_string);
        let mark = if c.regression && against_labels {
            // no before-base: wrong against its label, not necessarily a change
            "MISS"
        } else if c.regression {
            "REGRESSION"
        } else if c.fixed {
            "fixed"
        } else {
            "changed"
        };
        writeln!(
            out,
            "{mark:<10} {}: {before} → {}  ({})",
            c.id,
            c.after,
            super::inert::inert_line(&c.summary)
        )?;
    }
    let lines = report.summary();
    for l in &lines {
        writeln!(out, "{l}")?;
    }
    if report.has_regressions() {
        writeln!(
            out,
            "regressions in {} of {} labelled enquiries: fix the base, or check each one above before saving anyway",
            report.regressions().count(),
            report.total
        )?;
        return Ok(1);
    }
    writeln!(
        out,
        "no regressions: {} labelled enquiries, {} changed",
        report.total,
        report.changes.len()
    )?;
    Ok(if errors.is_empty() { 0 } else { 1 })
}

fn eval(
    common: &Common,
    text: &str,
    min_correct: f64,
    max_false: f64,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    let triage = load(common)?;
    let report = evaluate(&triage, text);
    for e in &report.errors {
        writeln!(out, "error: {e}")?;
    }
    for m in &report.misses {
        let tag = if m.false_answer {
            "FALSE ANSWER"
        } else {
            "miss"
        };
        writeln!(
            out,
            "{tag} {}: expected {}, got {}: {}",
            m.id, m.expected, m.got, m.detail
        )?;
    }
    writeln!(
        out,
        "{} enquiries: {} correct ({:.1}%), {} false answers ({:.1}%)",
        report.total,
        report.correct,
        100.0 * report.correct_rate(),
        report.false_answers,
        100.0 * report.false_answer_rate()
    )?;
    if report.ranked > 0 || report.routable > 0 {
        writeln!(
            out,
            "answered precision {:.3} ({} of {} replies), coverage {:.3} of {} answerable; routed {:.3} of {} to route{}",
            report.answered_precision(),
            report.answered_correct,
            report.answered,
            report.coverage(),
            report.answerable,
            report.routed_rate(),
            report.routable,
            if report.ranked > 0 {
                format!("; top candidate right {:.3} ({} of {})", report.top1_rate(), report.top1, report.ranked)
            } else {
                String::new()
            }
        )?;
    }
    let mut code = 0;
    if report.correct_rate() < min_correct {
        writeln!(out, "below --min-correct {:.1}%", 100.0 * min_correct)?;
        code = 1;
    }
    if report.false_answer_rate() > max_false {
        writeln!(out, "above --max-false {:.1}%", 100.0 * max_false)?;
        code = 1;
    }
    if !report.errors.is_empty() {
        code = 1;
    }
    Ok(code)
}
