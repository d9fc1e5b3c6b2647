//! Loading a knowledge-base folder while collecting every problem, each naming its file and
//! line, for `fpt-assist kb check` and for admin staff editing `faq/`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::entry::{split_front_matter, FrontMatter};
use super::{Entry, EntryKind, KnowledgeBase, Regions, SynonymFile};
use crate::error::Error;

/// Something wrong (or worth a look) in a knowledge-base file.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub path: PathBuf,
    pub line: usize,
    pub message: String,
    /// Warnings do not stop the base from loading.
    pub warning: bool,
}

impl Problem {
    fn error(path: &Path, line: usize, message: impl Into<String>) -> Self {
        Problem {
            path: path.to_path_buf(),
            line,
            message: message.into(),
            warning: false,
        }
    }

    fn warning(path: &Path, line: usize, message: impl Into<String>) -> Self {
        Problem {
            warning: true,
            ..Self::error(path, line, message)
        }
    }

    pub fn is_error(&self) -> bool {
        !self.warning
    }

    pub fn into_error(self) -> Error {
        Error::kb(self.path, self.line, self.message)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = if self.warning { "warning" } else { "error" };
        write!(
            f,
            "{}:{}: {level}: {}",
            self.path.display(),
            self.line,
            self.message
        )
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn toml_line(text: &str, err: &toml::de::Error) -> usize {
    err.span().map(|s| line_of(text, s.start)).unwrap_or(1)
}

fn read_entry(path: &Path, kind: EntryKind, problems: &mut Vec<Problem>) -> Option<Entry> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            problems.push(Problem::error(path, 1, format!("cannot read file: {e}")));
            return None;
        }
    };
    parse_entry(path, &text, kind, problems)
}

/// The checks `kb check` runs on one entry file, on its text: the entry (when its front
/// matter parses) and every problem, named by `path` and line. Used to check a file before
/// it is written.
pub fn check_entry_text(path: &Path, text: &str, kind: EntryKind) -> (Option<Entry>, Vec<Problem>) {
    let mut problems = Vec::new();
    let entry = parse_entry(path, text, kind, &mut problems);
    (entry, problems)
}

fn parse_entry(
    path: &Path,
    text: &str,
    kind: EntryKind,
    problems: &mut Vec<Problem>,
) -> Option<Entry> {
    let text = text.to_string();
    let Some((front, body)) = split_front_matter(&text) else {
        problems.push(Problem::error(path, 1, "missing front matter: the file must start with a `+++` line, the TOML fields, and a closing `+++` line"));
        return None;
    };
    let front_matter: FrontMatter = match toml::from_str(front) {
        Ok(f) => f,
        Err(e) => {
            // +1: the opening `+++` line
            let line = toml_line(front, &e) + 1;
            problems.push(Problem::error(
                path,
                line,
                format!("front matter: {}", e.message()),
            ));
            return None;
        }
    };
    let body_line = line_of(&text, text.len() - body.len());
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if front_matter.id != stem {
        problems.push(Problem::error(
            path,
            2,
            format!(
                "id `{}` differs from the file name `{stem}.md`: rename one so they match",
                front_matter.id
            ),
        ));
    }
    if !front_matter
        .id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        || front_matter.id.is_empty()
    {
        problems.push(Problem::error(
            path,
            2,
            format!(
                "id `{}` must be lowercase letters, digits and hyphens",
                front_matter.id
            ),
        ));
    }
    if front_matter.title.trim().is_empty() {
        problems.push(Problem::error(path, 2, "empty title"));
    }
    if body.trim().is_empty() {
        problems.push(Problem::error(
            path,
            body_line,
            "empty answer: write the answer below the closing `+++`",
        ));
    }
    if kind == EntryKind::Faq && front_matter.questions.len() < 3 {
        problems.push(Problem::warning(
            path,
            2,
            "fewer than three question phrasings: add the ways people really ask this",
        ));
    }
    if front_matter.questions.iter().any(|q| q.trim().is_empty()) {
        problems.push(Problem::error(path, 2, "an empty question phrasing"));
    }
    Some(Entry {
        id: front_matter.id,
        title: front_matter.title,
        questions: front_matter.questions,
        answer: body.trim().to_string(),
        read_more: front_matter.read_more.filter(|r| !r.trim().is_empty()),
        kind,
        source: Some(path.to_path_buf()),
    })
}

fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "md"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Loads a folder, returning what could be loaded and every problem found.
pub(super) fn load_folder(dir: &Path) -> (KnowledgeBase, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut entries = Vec::new();
    let entries_dir = dir.join("entries");
    if !entries_dir.is_dir() {
        problems.push(Problem::error(
            &entries_dir,
            1,
            "no entries/ folder: FAQ entries live in faq/entries/<id>.md",
        ));
    }
    for (sub, kind) in [
        ("entries", EntryKind::Faq),
        ("handbook", EntryKind::Handbook),
    ] {
        for file in markdown_files(&dir.join(sub)) {
            if file.file_name().is_some_and(|n| n == "README.md") {
                continue;
            }
            if let Some(entry) = read_entry(&file, kind, &mut problems) {
                entries.push(entry);
            }
        }
    }
    let mut first_seen: HashMap<String, PathBuf> = HashMap::new();
    for e in &entries {
        let path = e.source.clone().unwrap_or_default();
        if let Some(previous) = first_seen.get(&e.id) {
            problems.push(Problem::error(
                &path,
                2,
                format!(
                    "duplicate id `{}`, also used by {}",
                    e.id,
                    previous.display()
                ),
            ));
        } else {
            first_seen.insert(e.id.clone(), path);
        }
    }

    let mut synonyms = Vec::new();
    let syn_path = dir.join("synonyms.toml");
    if let Ok(text) = std::fs::read_to_string(&syn_path) {
        match toml::from_str::<SynonymFile>(&text) {
            Ok(file) => {
                for (i, g) in file.group.into_iter().enumerate() {
                    if g.terms.len() < 2 {
                        problems.push(Problem::warning(
                            &syn_path,
                            1,
                            format!("group {} has fewer than two terms", i + 1),
                        ));
                    }
                    synonyms.push(g.terms);
                }
            }
            Err(e) => problems.push(Problem::error(
                &syn_path,
                toml_line(&text, &e),
                e.message().to_string(),
            )),
        }
    }

    let mut regions = Regions::default();
    let regions_path = dir.join("regions.toml");
    if let Ok(text) = std::fs::read_to_string(&regions_path) {
        match toml::from_str::<Regions>(&text) {
            Ok(r) => {
                check_regions(&regions_path, &text, &r, &mut problems);
                regions = r;
            }
            Err(e) => problems.push(Problem::error(
                &regions_path,
                toml_line(&text, &e),
                e.message().to_string(),
            )),
        }
    }

    let kb = KnowledgeBase {
        entries,
        synonyms,
        regions,
        source: dir.to_path_buf(),
        skipped: Vec::new(),
    };
    (kb, problems)
}

/// Loads a folder leniently: an entry or handbook file with an error is left out (and
/// reported in `skipped`) instead of stopping the load; problems anywhere else (no
/// `entries/`, `synonyms.toml`, `regions.toml`) still fail, since routing depends on them.
pub(super) fn load_folder_lenient(dir: &Path) -> Result<KnowledgeBase, Error> {
    let (mut kb, problems) = load_folder(dir);
    let entry_dirs = [dir.join("entries"), dir.join("handbook")];
    let is_entry_file = |p: &Path| {
        p.parent()
            .is_some_and(|parent| entry_dirs.iter().any(|d| d == parent))
            && p.extension().is_some_and(|x| x == "md")
    };
    let mut skipped = Vec::new();
    for problem in problems.into_iter().filter(Problem::is_error) {
        if !is_entry_file(&problem.path) {
            return Err(problem.into_error());
        }
        skipped.push(problem);
    }
    kb.entries.retain(|e| {
        e.source
            .as_deref()
            .is_none_or(|src| !skipped.iter().any(|p| p.path == src))
    });
    kb.skipped = skipped;
    Ok(kb)
}

fn check_regions(path: &Path, text: &str, regions: &Regions, problems: &mut Vec<Problem>) {
    let line_for = |needle: &str| text.find(needle).map(|o| line_of(text, o)).unwrap_or(1);
    let mut seen = HashMap::new();
    for r in &regions.regions {
        let line = line_for(&format!("\"{}\"", r.id));
        if seen.insert(r.id.clone(), ()).is_some() {
            problems.push(Problem::error(
                path,
                line,
                format!("duplicate region id `{}`", r.id),
            ));
        }
        if !r.id.chars().all(|c| c.is_ascii_lowercase() || c == '-') || r.id.is_empty() {
            problems.push(Problem::error(
                path,
                line,
                format!("region id `{}` must be lowercase letters and hyphens", r.id),
            ));
        }
        if !r.lead.email.contains('@') {
            problems.push(Problem::error(
                path,
                line,
                format!("region `{}`: the lead needs an email address", r.id),
            ));
        }
        for a in &r.ambiguous {
            if !r.places.contains(a) {
                problems.push(Problem::error(
                    path,
                    line_for(&format!("\"{a}\"")),
                    format!(
                        "region `{}`: ambiguous place `{a}` is not in its places",
                        r.id
                    ),
                ));
            }
        }
    }
    if !regions.regions.is_empty() && !regions.admin_team.email.contains('@') {
        problems.push(Problem::error(
            path,
            1,
            "[admin_team] needs an email address: enquiries with no region go there",
        ));
    }
}

/// Validates a knowledge-base folder and its templates; returns every problem found.
pub fn check_folder(dir: &Path, templates: &Path) -> Vec<Problem> {
    let (_, mut problems) = load_folder(dir);
    problems.extend(crate::draft::check_templates(templates));
    problems
}
