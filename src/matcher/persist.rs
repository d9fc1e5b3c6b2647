//! The built matcher on disk: the lexical index (with the analyzer's vocabulary and typo
//! index) and the fitted calibration, saved beside the embedding cache so a start with an
//! unchanged base loads them instead of rebuilding and re-fitting.
//!
//! One file per model, `<dir>/matcher-<first 16 hex of the model's id, or "lexical">.bin`.
//! It is keyed by [`MatcherKey`]: the BLAKE3 hash of a format version, the matcher's own source
//! code (so a changed feature, constant or calibration method never meets a file written by
//! older code), the knowledge base's content (every entry's id, kind, title, questions and
//! answer, and the synonym groups) and the model's id. Layout (little-endian): the 8 bytes
//! `FPTMIX1\n`, [`FORMAT_VERSION`] as u32, the 32-byte key, the payload's length as u64, the
//! payload, then the BLAKE3 hash of the payload. Written to a temporary file and renamed, so a crash
//! leaves the old file or the new one. A file that is missing, unreadable, corrupt, of another
//! version or for another base or model is rebuilt (a corrupt or unreadable one with a
//! warning, an out-of-date one at debug level, since every edit of the base makes one),
//! never trusted and never a reason to fail: loading checks the checksum, every length and every
//! number that indexes something.

use std::path::{Path, PathBuf};

use crate::kb::{EntryKind, KnowledgeBase};

const MAGIC: &[u8; 8] = b"FPTMIX1\n";
/// Version of the payload layout; bump it whenever [`super::Index`]'s or the calibration's
/// encoding changes. 6: the key and checksum are BLAKE3 hashes (sha256 before; the layout is
/// 5's).
pub const FORMAT_VERSION: u32 = 6;

/// The source of everything that decides what a built matcher holds: a change to any of it
/// changes the key, so a file written by other code is rebuilt rather than trusted.
const SOURCES: [&str; 18] = [
    include_str!("index.rs"),
    include_str!("features.rs"),
    include_str!("calibrate.rs"),
    include_str!("ask.rs"),
    include_str!("semantic.rs"),
    include_str!("mod.rs"),
    include_str!("persist.rs"),
    include_str!("ragged.rs"),
    include_str!("../text/normalize.rs"),
    include_str!("../text/typos.rs"),
    include_str!("../text/strings.rs"),
    include_str!("../text/mod.rs"),
    include_str!("../text/informal.rs"),
    include_str!("../text/acronyms.rs"),
    include_str!("../text/irregular.rs"),
    include_str!("shared.rs"),
    include_str!("quantity.rs"),
    include_str!("../kb/entry.rs"),
];

/// Errors reading or writing a persisted matcher. None of them is fatal to the caller: the
/// matcher is built instead.
#[derive(Debug, thiserror::Error)]
pub enum PersistError {
    #[error("cannot read or write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file is not one this version wrote, or its checksum or content does not hold up.
    #[error("corrupt matcher file: {0}")]
    Corrupt(String),
    /// A sound file for another base, model, code or format version.
    #[error("the matcher file is for another knowledge base, model or version")]
    Stale,
}

/// Whether a start used the file, and if not why it was rebuilt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Loaded: nothing was built.
    Loaded,
    /// No file yet.
    Missing,
    /// A sound file for another base, model, code or format version.
    Stale,
    /// Unreadable or corrupt (logged as a warning).
    Unusable,
}

/// What a persisted matcher is keyed by (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatcherKey(pub [u8; 32]);

impl MatcherKey {
    /// The key of `kb` matched with the model `model_id` (`None`: lexical only).
    pub fn new(kb: &KnowledgeBase, model_id: Option<&str>) -> Self {
        // BLAKE3 (O'Connor, Aumasson, Neves, Wilcox-O'Hearn, 2020): a cryptographic hash
        // several times faster than sha256 on this CPU's SIMD units; the key hashes the whole
        // base at every start
        // (fed in blocks of `BLOCK` bytes: BLAKE3 hashes several 1 KiB chunks of one update at
        // once, and one chunk at a time for small updates; the same hash either way)
        const BLOCK: usize = 64 * 1024;
        let mut h = blake3::Hasher::new();
        let mut buf: Vec<u8> = Vec::with_capacity(BLOCK);
        let mut field = |bytes: &[u8]| {
            buf.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
            buf.extend_from_slice(bytes);
            if buf.len() >= BLOCK {
                h.update(&buf);
                buf.clear();
            }
        };
        field(MAGIC);
        field(&FORMAT_VERSION.to_le_bytes());
        for source in SOURCES {
            field(source.as_bytes());
        }
        field(model_id.unwrap_or("").as_bytes());
        field(&(kb.synonyms.len() as u64).to_le_bytes());
        for group in &kb.synonyms {
            field(&(group.len() as u64).to_le_bytes());
            for term in group {
                field(term.as_bytes());
            }
        }
        field(&(kb.entries.len() as u64).to_le_bytes());
        for e in &kb.entries {
            field(e.id.as_bytes());
            field(match e.kind {
                EntryKind::Faq => b"faq",
                EntryKind::Handbook => b"handbook",
            });
            field(e.title.as_bytes());
            field(&(e.questions.len() as u64).to_le_bytes());
            for q in &e.questions {
                field(q.as_bytes());
            }
            field(e.answer.as_bytes());
        }
        h.update(&buf);
        MatcherKey(*h.finalize().as_bytes())
    }
}

/// The file a matcher for `model_id` is kept in, inside `dir`.
pub fn path_for(dir: &Path, model_id: Option<&str>) -> PathBuf {
    let name: String = match model_id {
        Some(id) => id
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(16)
            .collect(),
        None => "lexical".into(),
    };
    dir.join(format!("matcher-{name}.bin"))
}

/// Writes `payload` under `key` to `path` (temporary file, then rename).
pub fn write(path: &Path, key: MatcherKey, payload: &[u8]) -> Result<(), PersistError> {
    let io = |source| PersistError::Io {
        path: path.to_path_buf(),
        source,
    };
    // the header, the payload and its checksum written in turn (no copy of the payload)
    let mut header = Vec::with_capacity(52);
    header.extend_from_slice(MAGIC);
    header.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    header.extend_from_slice(&key.0);
    header.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    let sum = *blake3::hash(payload).as_bytes();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    // one temporary name per process and write, so parallel writers never share one
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = path.with_extension(format!("tmp{}-{n}", std::process::id()));
    let written = std::fs::File::create(&tmp).and_then(|mut f| {
        use std::io::Write;
        f.write_all(&header)?;
        f.write_all(payload)?;
        f.write_all(&sum)
    });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(e));
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io(e)
    })
}

/// Reads the payload at `path` if it was written under `key` and is intact.
pub fn read(path: &Path, key: MatcherKey) -> Result<Vec<u8>, PersistError> {
    let mut bytes = std::fs::read(path).map_err(|source| PersistError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let corrupt = |what: &str| PersistError::Corrupt(format!("{}: {what}", path.display()));
    if bytes.len() < 84 || &bytes[..8] != MAGIC {
        return Err(corrupt("not a matcher file"));
    }
    let mut r = Reader::new(&bytes[8..]);
    if r.u32()? != FORMAT_VERSION {
        return Err(PersistError::Stale);
    }
    if r.take(32)? != key.0 {
        return Err(PersistError::Stale);
    }
    let len = usize::try_from(r.u64()?).map_err(|_| corrupt("length"))?;
    if len.checked_add(84) != Some(bytes.len()) {
        return Err(corrupt("truncated or overlong"));
    }
    let (payload, sum) = bytes[52..].split_at(len);
    if blake3::hash(payload).as_bytes()[..] != *sum {
        return Err(corrupt("checksum mismatch"));
    }
    bytes.truncate(52 + len);
    bytes.drain(..52);
    Ok(bytes)
}

/// Little-endian encoder of a payload.
#[derive(Debug, Default)]
pub(crate) struct Writer {
    pub buf: Vec<u8>,
}

impl Writer {
    pub fn u8(&mut self, x: u8) {
        self.buf.push(x);
    }
    pub fn u32(&mut self, x: u32) {
        self.buf.extend_from_slice(&x.to_le_bytes());
    }
    pub fn u64(&mut self, x: u64) {
        self.buf.extend_from_slice(&x.to_le_bytes());
    }
    pub fn f32(&mut self, x: f32) {
        self.u32(x.to_bits());
    }
    /// An unsigned number in LEB128: seven bits a byte, the lowest first, the top bit set
    /// on every byte but the last (below 128: one byte; a u32: at most five).
    pub fn var(&mut self, mut x: u64) {
        loop {
            let low = (x & 0x7f) as u8;
            x >>= 7;
            if x == 0 {
                self.buf.push(low);
                return;
            }
            self.buf.push(low | 0x80);
        }
    }
    /// A length or count (as u64).
    pub fn len(&mut self, n: usize) {
        self.u64(n as u64);
    }
    pub fn str(&mut self, s: &str) {
        self.len(s.len());
        self.buf.extend_from_slice(s.as_bytes());
    }
}

/// Checked little-endian decoder: every read past the end, bad UTF-8 or impossible length is
/// an error, never a panic.
#[derive(Debug)]
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    fn corrupt(&self, what: &str) -> PersistError {
        PersistError::Corrupt(format!("{what} at byte {}", self.pos))
    }

    pub fn take(&mut self, n: usize) -> Result<&'a [u8], PersistError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.buf.len())
            .ok_or_else(|| self.corrupt("unexpected end"))?;
        let out = &self.buf[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], PersistError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    pub fn u8(&mut self) -> Result<u8, PersistError> {
        Ok(self.array::<1>()?[0])
    }
    pub fn u32(&mut self) -> Result<u32, PersistError> {
        self.array().map(u32::from_le_bytes)
    }
    pub fn u64(&mut self) -> Result<u64, PersistError> {
        self.array().map(u64::from_le_bytes)
    }
    pub fn f32(&mut self) -> Result<f32, PersistError> {
        self.u32().map(f32::from_bits)
    }
    /// A number [`Writer::var`] wrote (more than ten bytes is corrupt).
    pub fn var(&mut self) -> Result<u64, PersistError> {
        let mut x = 0u64;
        for i in 0..10 {
            let b = self.u8()?;
            x |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                return Ok(x);
            }
        }
        Err(self.corrupt("overlong number"))
    }
    /// A count written with [`Writer::var`] of items of at least `min_bytes` each (checked
    /// as [`Reader::len`] checks its count).
    pub fn var_len(&mut self, min_bytes: usize) -> Result<usize, PersistError> {
        let n = self.var()?;
        let left = (self.buf.len() - self.pos) as u64;
        if n.saturating_mul(min_bytes.max(1) as u64) > left {
            return Err(self.corrupt("impossible length"));
        }
        usize::try_from(n).map_err(|_| self.corrupt("impossible length"))
    }
    /// A [`Reader::var`] that must fit in 32 bits.
    pub fn var32(&mut self) -> Result<u32, PersistError> {
        let x = self.var()?;
        u32::try_from(x).map_err(|_| self.corrupt("number too large"))
    }
    pub fn bool(&mut self) -> Result<bool, PersistError> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(self.corrupt("not a boolean")),
        }
    }

    /// A count of items of at least `min_bytes` each: more than the bytes left could hold is
    /// corrupt (so a bad count never allocates).
    pub fn len(&mut self, min_bytes: usize) -> Result<usize, PersistError> {
        let n = self.u64()?;
        let left = (self.buf.len() - self.pos) as u64;
        if n.saturating_mul(min_bytes.max(1) as u64) > left {
            return Err(self.corrupt("impossible length"));
        }
        usize::try_from(n).map_err(|_| self.corrupt("impossible length"))
    }

    pub fn str(&mut self) -> Result<&'a str, PersistError> {
        let n = self.len(1)?;
        let bytes = self.take(n)?;
        std::str::from_utf8(bytes).map_err(|_| self.corrupt("not UTF-8"))
    }

    /// Fails unless every byte was read.
    pub fn finish(&self) -> Result<(), PersistError> {
        if self.pos == self.buf.len() {
            Ok(())
        } else {
            Err(self.corrupt("trailing bytes"))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::sync::Arc;

    use super::super::{Matcher, Semantic};
    use super::*;

    /// A stand-in model (hashed words, shared with the feature oracle's tests).
    use super::super::features_reference::Hashed;

    fn shipped() -> KnowledgeBase {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("faq");
        KnowledgeBase::load(&root).expect("the shipped base loads")
    }

    fn semantic(kb: &KnowledgeBase) -> Semantic {
        Semantic::embed_kb(Arc::new(Hashed), kb).expect("the stand-in embeds")
    }

    const QUESTIONS: [&str; 6] = [
        "what proportion of the week is set aside for FPT?",
        "how many capabilites per pathway",
        "Is there funding for a master's in London?",
        "can I do FPT part time",
        "",
        "zzzz qqqq",
    ];

    /// Every question's whole result, from two matchers, must be equal.
    fn assert_same_results(a: &Matcher, b: &Matcher, kb: &KnowledgeBase) {
        let drop = HashSet::new();
        let mut questions: Vec<String> = QUESTIONS.map(String::from).to_vec();
        questions.extend(kb.entries.iter().flat_map(|e| e.questions.iter().cloned()));
        for q in &questions {
            assert_eq!(a.search_text(q, &drop), b.search_text(q, &drop), "{q:?}");
        }
        assert_eq!(a.calibration.method, b.calibration.method);
        assert_eq!(
            a.calibration.weights.map(f32::to_bits),
            b.calibration.weights.map(f32::to_bits)
        );
    }

    #[test]
    fn a_loaded_matcher_gives_the_results_of_a_fresh_one() {
        let kb = shipped();
        let dir = tempfile::tempdir().expect("temporary folder");
        for with_model in [false, true] {
            let model = || with_model.then(|| semantic(&kb));
            let fresh = Matcher::new(&kb, model());
            let (built, first) = Matcher::cached_with_outcome(&kb, model(), dir.path());
            assert_eq!(first, Outcome::Missing);
            let (loaded, second) = Matcher::cached_with_outcome(&kb, model(), dir.path());
            assert_eq!(second, Outcome::Loaded, "with model: {with_model}");
            assert_same_results(&fresh, &built, &kb);
            assert_same_results(&fresh, &loaded, &kb);
            assert_eq!(
                loaded.calibration.report.queries,
                fresh.calibration.report.queries
            );
        }
        // one file per model
        assert!(path_for(dir.path(), None).exists());
        assert!(path_for(dir.path(), Some("hashed-words-16")).exists());
    }

    #[test]
    fn a_changed_base_is_rebuilt_and_its_file_replaced() {
        let mut kb = shipped();
        let dir = tempfile::tempdir().expect("temporary folder");
        Matcher::cached(&kb, None, dir.path());
        kb.entries[0]
            .questions
            .push("where do I find the zebra form?".into());
        let (changed, outcome) = Matcher::cached_with_outcome(&kb, None, dir.path());
        assert_eq!(outcome, Outcome::Stale);
        assert_same_results(&Matcher::new(&kb, None), &changed, &kb);
        let (_, again) = Matcher::cached_with_outcome(&kb, None, dir.path());
        assert_eq!(again, Outcome::Loaded);
        // synonyms and entry kinds are part of the key too
        kb.synonyms.push(vec!["zebra".into(), "okapi".into()]);
        assert_eq!(
            Matcher::cached_with_outcome(&kb, None, dir.path()).1,
            Outcome::Stale
        );
        kb.entries[1].kind = EntryKind::Handbook;
        assert_ne!(
            MatcherKey::new(&kb, None),
            MatcherKey::new(&shipped(), None)
        );
        assert_ne!(MatcherKey::new(&kb, None), MatcherKey::new(&kb, Some("m")));
    }

    #[test]
    fn a_corrupt_file_is_rebuilt_never_trusted() {
        let kb = shipped();
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = path_for(dir.path(), None);
        Matcher::cached(&kb, None, dir.path());
        let good = std::fs::read(&path).expect("written");
        let fresh = Matcher::new(&kb, None);
        let mut flipped = good.clone();
        let middle = flipped.len() / 2;
        flipped[middle] ^= 0x40;
        for bad in [
            flipped,
            good[..good.len() - 1].to_vec(),
            good[..40].to_vec(),
            b"not a matcher file at all".to_vec(),
            Vec::new(),
        ] {
            std::fs::write(&path, &bad).expect("write");
            let (m, outcome) = Matcher::cached_with_outcome(&kb, None, dir.path());
            assert_eq!(outcome, Outcome::Unusable);
            assert_same_results(&fresh, &m, &kb);
            // and rewritten whole
            assert_eq!(std::fs::read(&path).expect("rewritten"), good);
        }
    }

    #[test]
    fn a_payload_that_does_not_hold_together_is_an_error_not_a_panic() {
        let kb = shipped();
        let m = Matcher::new(&kb, None);
        let mut w = Writer::default();
        m.index.encode(&mut w).expect("encodes");
        let payload = w.buf;
        let decode = |bytes: &[u8]| {
            let mut r = Reader::new(bytes);
            super::super::Index::decode(&kb, &mut r).and_then(|_| r.finish())
        };
        decode(&payload).expect("the payload decodes");
        // every cut, and bytes overwritten all along, with the checksum bypassed
        for cut in (0..payload.len()).step_by(97) {
            assert!(decode(&payload[..cut]).is_err(), "cut at {cut}");
        }
        for at in (0..payload.len()).step_by(61) {
            let mut bad = payload.clone();
            bad[at] = 0xff;
            let _ = decode(&bad);
        }
        // another base with the same payload is refused (entry count)
        let mut other = kb.clone();
        other.entries.pop();
        assert!(super::super::Index::decode(&other, &mut Reader::new(&payload)).is_err());
    }
}
