//! The on-disk cache of knowledge-base embeddings, so a restart or a `triage` run does not
//! re-embed the base and a changed entry is re-embedded alone.
//!
//! One file per model, `<dir>/embeddings-<first 16 hex of the model's sha256>.bin`, keyed by the
//! sha256 of each text. Layout (little-endian): the 8 bytes `FPTEMB1\n`, the dimension as u32,
//! then records of a 32-byte key and `dims` f32 values. Written to a temporary file and renamed,
//! so a crash leaves the old cache or the new one, never half of one. A cache that cannot be
//! read is ignored (and rebuilt), never trusted. Only knowledge-base texts are cached: enquiries
//! (personal data) never reach the disk.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::matcher::{Embed, EmbedError};

const MAGIC: &[u8; 8] = b"FPTEMB1\n";
/// Records kept at most; past this the cache keeps only the texts of the latest call.
const MAX_RECORDS: usize = 500_000;

type Key = [u8; 32];

/// Embeddings of texts for one model, loaded from and saved to one file.
#[derive(Debug)]
pub struct EmbeddingCache {
    path: PathBuf,
    dims: usize,
    vectors: HashMap<Key, Vec<f32>>,
}

/// What one [`EmbeddingCache::embed_all`] call did, for logs and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Texts found in the cache.
    pub hits: usize,
    /// Texts the model embedded.
    pub embedded: usize,
}

fn key(text: &str) -> Key {
    Sha256::digest(text.as_bytes()).into()
}

impl EmbeddingCache {
    /// Opens (or starts) the cache for `model` in `dir`; an unreadable or foreign file is
    /// treated as empty.
    pub fn open(dir: &Path, model: &dyn Embed) -> Self {
        let id: String = model.model_id().chars().take(16).collect();
        let path = dir.join(format!("embeddings-{id}.bin"));
        let dims = model.dims();
        let vectors = std::fs::read(&path)
            .ok()
            .and_then(|bytes| parse(&bytes, dims))
            .unwrap_or_default();
        EmbeddingCache {
            path,
            dims,
            vectors,
        }
    }

    /// The cache file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Embeddings of `texts` in order: cached ones are reused, the rest embedded in one batch
    /// call and the file rewritten. A failure to write the file is logged, not fatal.
    pub fn embed_all(
        &mut self,
        model: &dyn Embed,
        texts: &[&str],
    ) -> Result<(Vec<Vec<f32>>, CacheStats), EmbedError> {
        let keys: Vec<Key> = texts.iter().map(|t| key(t)).collect();
        let mut missing: Vec<usize> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (i, k) in keys.iter().enumerate() {
            if !self.vectors.contains_key(k) && seen.insert(*k) {
                missing.push(i);
            }
        }
        let stats = CacheStats {
            hits: texts.len() - missing.len(),
            embedded: missing.len(),
        };
        if !missing.is_empty() {
            let batch: Vec<&str> = missing.iter().map(|&i| texts[i]).collect();
            let vectors = model.embed(&batch)?;
            for (&i, v) in missing.iter().zip(vectors) {
                self.vectors.insert(keys[i], v);
            }
            if self.vectors.len() > MAX_RECORDS {
                let keep: std::collections::HashSet<Key> = keys.iter().copied().collect();
                self.vectors.retain(|k, _| keep.contains(k));
            }
            if let Err(e) = self.save() {
                tracing::warn!(path = %self.path.display(), error = %e, "could not write the embedding cache; the base will be embedded again at the next start");
            }
        }
        let out = keys
            .iter()
            .map(|k| {
                self.vectors
                    .get(k)
                    .cloned()
                    .ok_or_else(|| EmbedError("embedding missing after embedding".into()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok((out, stats))
    }

    fn save(&self) -> std::io::Result<()> {
        if let Some(parent) = self.path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut bytes = Vec::with_capacity(12 + self.vectors.len() * (32 + 4 * self.dims));
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&(self.dims as u32).to_le_bytes());
        let mut keys: Vec<&Key> = self.vectors.keys().collect();
        keys.sort();
        for k in keys {
            bytes.extend_from_slice(k);
            for x in &self.vectors[k] {
                bytes.extend_from_slice(&x.to_le_bytes());
            }
        }
        let tmp = self
            .path
            .with_extension(format!("tmp-{}", std::process::id()));
        std::fs::write(&tmp, &bytes)?;
        std::fs::rename(&tmp, &self.path)
    }
}

fn parse(bytes: &[u8], dims: usize) -> Option<HashMap<Key, Vec<f32>>> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let (d, mut rest) = rest.split_at_checked(4)?;
    if u32::from_le_bytes(d.try_into().ok()?) as usize != dims {
        return None;
    }
    let record = 32 + 4 * dims;
    if rest.len() % record != 0 {
        return None;
    }
    let mut map = HashMap::with_capacity(rest.len() / record);
    while !rest.is_empty() {
        let (k, tail) = rest.split_at(32);
        let (v, tail) = tail.split_at(4 * dims);
        let vector = v
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        map.insert(k.try_into().ok()?, vector);
        rest = tail;
    }
    Some(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A stand-in model that counts how many texts it was asked to embed.
    #[derive(Debug, Default)]
    struct Counting(AtomicUsize);

    impl Embed for Counting {
        fn model_id(&self) -> &str {
            "0123456789abcdef0123"
        }
        fn dims(&self) -> usize {
            3
        }
        fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
            self.0.fetch_add(texts.len(), Ordering::SeqCst);
            Ok(texts
                .iter()
                .map(|t| vec![t.len() as f32, 1.0, 0.5])
                .collect())
        }
    }

    #[test]
    fn a_restart_reuses_the_cache_and_a_changed_text_is_embedded_alone() {
        let dir = tempfile::tempdir().unwrap();
        let model = Counting::default();
        let mut cache = EmbeddingCache::open(dir.path(), &model);
        let (v, stats) = cache
            .embed_all(&model, &["alpha", "beta", "alpha"])
            .unwrap();
        assert_eq!(stats.embedded, 2);
        assert_eq!(v[0], v[2]);
        assert_eq!(model.0.load(Ordering::SeqCst), 2);

        let mut reopened = EmbeddingCache::open(dir.path(), &model);
        let (_, stats) = reopened.embed_all(&model, &["alpha", "beta"]).unwrap();
        assert_eq!(
            stats,
            CacheStats {
                hits: 2,
                embedded: 0
            }
        );
        let (v, stats) = reopened.embed_all(&model, &["alpha", "gamma!"]).unwrap();
        assert_eq!(
            stats,
            CacheStats {
                hits: 1,
                embedded: 1
            }
        );
        assert_eq!(v[1][0], 6.0);
        assert_eq!(model.0.load(Ordering::SeqCst), 3);
    }

    #[test]
    fn a_corrupt_cache_file_is_ignored_and_rebuilt() {
        let dir = tempfile::tempdir().unwrap();
        let model = Counting::default();
        let cache = EmbeddingCache::open(dir.path(), &model);
        std::fs::write(cache.path(), b"FPTEMB1\ngarbage").unwrap();
        let mut cache = EmbeddingCache::open(dir.path(), &model);
        let (_, stats) = cache.embed_all(&model, &["alpha"]).unwrap();
        assert_eq!(stats.embedded, 1);
        let mut again = EmbeddingCache::open(dir.path(), &model);
        assert_eq!(again.embed_all(&model, &["alpha"]).unwrap().1.hits, 1);
    }
}
