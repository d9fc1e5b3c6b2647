//! The sentence-embedding model run in-process with candle: a sentence-transformers folder
//! (`config.json`, `model.safetensors`, `tokenizer.json`, `1_Pooling/config.json`) loaded as
//! a BERT encoder (`model::bert`: candle-transformers' `BertModel`'s operations, with the
//! weights arranged for short texts), with the pooling sentence-transformers applies for
//! all-MiniLM-L6-v2.
//!
//! Method (sentence-transformers `SentenceTransformer.encode` for this model): WordPiece
//! tokens truncated to [`MAX_TOKENS`], the encoder's last hidden state mean-pooled over the
//! attention mask, then L2-normalised, so the dot product of two embeddings is their cosine.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::Config;
use serde::Deserialize;
use tokenizers::{Encoding, Tokenizer, TruncationParams};

use super::bert::Encoder;
use super::files::{sha256_file, ModelError, MODEL_FILE, TOKENIZER_FILE};
use crate::matcher::Embed;

/// Longest input in WordPiece tokens (sentence-transformers' `max_seq_length` for
/// all-MiniLM-L6-v2 is 256); longer text is truncated, as the reference implementation does.
pub const MAX_TOKENS: usize = 256;
/// Texts of one length embedded in one forward pass at most: batching amortises the per-call
/// overhead (the knowledge base's texts are embedded together at start-up).
const BATCH: usize = 16;

#[derive(Debug, Deserialize)]
struct Pooling {
    #[serde(default)]
    pooling_mode_mean_tokens: bool,
    #[serde(default)]
    pooling_mode_cls_token: bool,
    #[serde(default)]
    pooling_mode_max_tokens: bool,
}

/// A loaded sentence-embedding model. Cheap to share behind an `Arc`; `embed` takes `&self`.
pub struct Embedder {
    encoder: Encoder,
    tokenizer: Tokenizer,
    device: Device,
    /// Hex sha256 of `model.safetensors`: identifies the weights (cache key).
    checksum: String,
    dims: usize,
    dir: PathBuf,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedder")
            .field("dir", &self.dir)
            .field("checksum", &self.checksum)
            .field("dims", &self.dims)
            .finish()
    }
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, ModelError> {
    let text = std::fs::read_to_string(path).map_err(|e| ModelError::io(path, e))?;
    serde_json::from_str(&text).map_err(|e| ModelError::Invalid {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

impl Embedder {
    /// Loads a sentence-transformers folder on the CPU (weights memory-mapped).
    ///
    /// Errors: a missing or unreadable file, a config that is not a BERT model, or a pooling
    /// other than mean pooling ([`ModelError`], naming the file and what to do).
    pub fn load(dir: &Path) -> Result<Self, ModelError> {
        if !dir.is_dir() {
            return Err(ModelError::Missing {
                dir: dir.to_path_buf(),
            });
        }
        let config: Config = read_json(&dir.join("config.json"))?;
        let pooling_path = dir.join("1_Pooling").join("config.json");
        if pooling_path.exists() {
            let pooling: Pooling = read_json(&pooling_path)?;
            if !pooling.pooling_mode_mean_tokens
                || pooling.pooling_mode_cls_token
                || pooling.pooling_mode_max_tokens
            {
                return Err(ModelError::Invalid {
                    path: pooling_path,
                    message: "only mean pooling is supported (the all-MiniLM-L6-v2 setting)".into(),
                });
            }
        }
        let weights = dir.join(MODEL_FILE);
        let tokenizer_path = dir.join(TOKENIZER_FILE);
        for p in [&weights, &tokenizer_path] {
            if !p.exists() {
                return Err(ModelError::io(
                    p,
                    std::io::Error::new(std::io::ErrorKind::NotFound, "file missing"),
                ));
            }
        }
        let checksum = sha256_file(&weights)?;
        let mut tokenizer =
            Tokenizer::from_file(&tokenizer_path).map_err(|e| ModelError::Invalid {
                path: tokenizer_path.clone(),
                message: e.to_string(),
            })?;
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS,
                ..Default::default()
            }))
            .map_err(|e| ModelError::Invalid {
                path: tokenizer_path.clone(),
                message: e.to_string(),
            })?;
        // no padding: `embed` puts only texts of one length in a forward pass
        tokenizer.with_padding(None);

        let device = Device::Cpu;
        // SAFETY: the weights file is memory-mapped read-only; it must not be changed while
        // the model is loaded (model install writes a new folder and renames it into place).
        let vb = unsafe {
            VarBuilder::from_mmaped_safetensors(std::slice::from_ref(&weights), DType::F32, &device)
        }
        .map_err(|e| ModelError::Invalid {
            path: weights.clone(),
            message: e.to_string(),
        })?;
        let encoder = Encoder::load(vb, &config).map_err(|e| ModelError::Invalid {
            path: weights,
            message: e.to_string(),
        })?;
        Ok(Embedder {
            encoder,
            tokenizer,
            device,
            checksum,
            dims: config.hidden_size,
            dir: dir.to_path_buf(),
        })
    }

    /// The folder the model was loaded from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// WordPiece tokens of `text` as the model sees it (the special tokens `[CLS]` and
    /// `[SEP]` included, truncated to [`MAX_TOKENS`]); 0 when the tokenizer fails.
    pub fn token_count(&self, text: &str) -> usize {
        self.tokenizer
            .encode(text, true)
            .map_or(0, |e| e.get_ids().len())
    }

    /// One forward pass over `encodings`, which must all have the same number of tokens (no
    /// padding): one L2-normalised vector of `dims` floats per encoding, in order.
    fn embed_same_length(&self, encodings: &[&Encoding]) -> Result<Vec<Vec<f32>>, ModelError> {
        let compute = |e: &dyn std::fmt::Display| ModelError::Compute(e.to_string());
        let n = encodings.len();
        let len = encodings.first().map_or(0, |e| e.get_ids().len());
        let mut ids = Vec::with_capacity(n * len);
        let mut types = Vec::with_capacity(n * len);
        let mut mask = Vec::with_capacity(n * len);
        for e in encodings {
            if e.get_ids().len() != len {
                return Err(ModelError::Compute(format!(
                    "texts of {} and {len} tokens in one forward pass",
                    e.get_ids().len()
                )));
            }
            ids.extend_from_slice(e.get_ids());
            types.extend_from_slice(e.get_type_ids());
            mask.extend_from_slice(e.get_attention_mask());
        }
        let shape = (n, len);
        let ids = Tensor::from_vec(ids, shape, &self.device).map_err(|e| compute(&e))?;
        let types = Tensor::from_vec(types, shape, &self.device).map_err(|e| compute(&e))?;
        let mask = Tensor::from_vec(mask, shape, &self.device).map_err(|e| compute(&e))?;
        let hidden = self
            .encoder
            .forward(&ids, &types, &mask)
            .map_err(|e| compute(&e))?;
        // mean over the tokens the attention mask keeps: sum(h * m) / sum(m)
        let pooled = (|| {
            let m = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
            let summed = hidden.broadcast_mul(&m)?.sum(1)?;
            let counts = m.sum(1)?.clamp(1e-9f32, f32::MAX)?;
            summed.broadcast_div(&counts)?.to_vec2::<f32>()
        })()
        .map_err(|e| compute(&e))?;
        Ok(pooled
            .into_iter()
            .map(|mut v| {
                let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
                v.iter_mut().for_each(|x| *x /= norm);
                v
            })
            .collect())
    }
}

impl Embed for Embedder {
    fn model_id(&self) -> &str {
        &self.checksum
    }

    fn dims(&self) -> usize {
        self.dims
    }

    /// A whole-word token of the WordPiece vocabulary.
    fn knows_word(&self, word: &str) -> bool {
        self.tokenizer.token_to_id(word).is_some()
    }

    /// Embeds texts with no padding: texts of the same number of tokens share a forward pass
    /// (up to [`BATCH`] at a time), each other length has its own. A text's vector is then the
    /// same, bit for bit, whatever it is embedded with (a padded batch changed the last bits of
    /// its shorter texts, and cost the padding's tokens: a 5-token subject padded to a 55-token
    /// context costs eleven times its own work). Empty texts embed as the model's empty input.
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, crate::matcher::EmbedError> {
        let fail = |e: &dyn std::fmt::Display| crate::matcher::EmbedError(e.to_string());
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| fail(&e))?;
        // text indices by token count, each group in input order
        let mut by_length: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, e) in encodings.iter().enumerate() {
            by_length.entry(e.get_ids().len()).or_default().push(i);
        }
        let mut vectors: Vec<Option<Vec<f32>>> = vec![None; texts.len()];
        for group in by_length.values() {
            for chunk in group.chunks(BATCH) {
                let batch: Vec<&Encoding> = chunk.iter().map(|&i| &encodings[i]).collect();
                let embedded = self.embed_same_length(&batch).map_err(|e| fail(&e))?;
                for (&i, v) in chunk.iter().zip(embedded) {
                    vectors[i] = Some(v);
                }
            }
        }
        vectors
            .into_iter()
            .map(|v| v.ok_or_else(|| crate::matcher::EmbedError("a text was not embedded".into())))
            .collect()
    }
}
