//! The BERT encoder of all-MiniLM-L6-v2 as candle operations over the same weights as
//! candle-transformers' `BertModel`, arranged for the short texts triage embeds one at a time.
//!
//! The operations and their order are `BertModel`'s (the same additions, scaling, softmax,
//! layer norm and exact GELU), so the hidden states are the same; what differs is how the
//! weights are held and how much is done per call:
//!
//! - each linear layer's weight is held transposed and contiguous (`in × out`), copied once at
//!   load, so a matrix product reads it as stored instead of through a strided view;
//! - the query, key and value projections are one product with their weights side by side
//!   (`384 × 1152`) instead of three;
//! - the attention mask is added only when the batch has padding: a text alone (or a batch
//!   of texts of one length) masks nothing, and adding zeros changes nothing.

use candle_core::{DType, Module, Result, Tensor, D};
use candle_nn::{LayerNorm, VarBuilder};
use candle_transformers::models::bert::{Config, HiddenAct};

/// A linear layer `x · W + b` with `W` held as `in × out` (contiguous) and `b` of `out`.
struct Dense {
    /// `in × out`, contiguous.
    weight_t: Tensor,
    /// `out`.
    bias: Tensor,
}

impl Dense {
    /// Loads the layers under `names` (each a PyTorch `Linear`: `weight` `out × in`, `bias`
    /// `out`) as one layer whose outputs are theirs side by side, in the order given.
    fn load(vb: &VarBuilder, names: &[&str], in_dim: usize, out_dim: usize) -> Result<Self> {
        let mut weights = Vec::with_capacity(names.len());
        let mut biases = Vec::with_capacity(names.len());
        for name in names {
            let vb = vb.pp(*name);
            weights.push(vb.get((out_dim, in_dim), "weight")?);
            biases.push(vb.get(out_dim, "bias")?);
        }
        let weight = Tensor::cat(&weights, 0)?;
        Ok(Dense {
            weight_t: weight.t()?.contiguous()?,
            bias: Tensor::cat(&biases, 0)?,
        })
    }

    /// `x`: `rows × in`, contiguous; returns `rows × out`.
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        x.matmul(&self.weight_t)?.broadcast_add(&self.bias)
    }
}

fn layer_norm(vb: VarBuilder, size: usize, eps: f64) -> Result<LayerNorm> {
    let weight = vb.get(size, "weight")?;
    let bias = vb.get(size, "bias")?;
    Ok(LayerNorm::new(weight, bias, eps))
}

/// One encoder layer: self-attention, then the feed-forward block, each with its residual
/// connection and layer norm.
struct Layer {
    /// Query, key and value side by side: `hidden × 3·hidden`.
    qkv: Dense,
    /// The attention output projection, `hidden × hidden`.
    attention_out: Dense,
    attention_norm: LayerNorm,
    /// `hidden × intermediate`, followed by the exact (erf) GELU.
    intermediate: Dense,
    /// `intermediate × hidden`.
    output: Dense,
    output_norm: LayerNorm,
}

/// The encoder: embeddings (word, position, token type, layer norm) and the layers.
pub(crate) struct Encoder {
    /// `vocab × hidden`.
    word: Tensor,
    /// `max positions × hidden`.
    position: Tensor,
    /// `token types × hidden`.
    token_type: Tensor,
    embedding_norm: LayerNorm,
    layers: Vec<Layer>,
    heads: usize,
    head_size: usize,
    hidden: usize,
}

impl Encoder {
    /// Loads the weights (named as a Hugging Face `BertModel`, with or without a `bert.` or
    /// model-type prefix). Errors: a weight missing or of the wrong shape, or an activation
    /// other than the exact GELU all-MiniLM-L6-v2 uses.
    pub(crate) fn load(vb: VarBuilder, config: &Config) -> Result<Self> {
        if config.hidden_act != HiddenAct::Gelu {
            candle_core::bail!(
                "hidden_act {:?}: only the exact GELU (\"gelu\") is supported",
                config.hidden_act
            );
        }
        let hidden = config.hidden_size;
        let heads = config.num_attention_heads;
        if heads == 0 || !hidden.is_multiple_of(heads) {
            candle_core::bail!("hidden_size {hidden} is not a multiple of {heads} heads");
        }
        let word_name = "embeddings.word_embeddings.weight";
        let vb = if vb.contains_tensor(word_name) {
            vb
        } else if vb.contains_tensor(&format!("bert.{word_name}")) {
            vb.pp("bert")
        } else {
            match &config.model_type {
                Some(t) if vb.contains_tensor(&format!("{t}.{word_name}")) => vb.pp(t),
                _ => vb,
            }
        };
        let e = vb.pp("embeddings");
        let word = e.get((config.vocab_size, hidden), "word_embeddings.weight")?;
        let position = e.get(
            (config.max_position_embeddings, hidden),
            "position_embeddings.weight",
        )?;
        let token_type = e.get(
            (config.type_vocab_size, hidden),
            "token_type_embeddings.weight",
        )?;
        let eps = config.layer_norm_eps;
        let embedding_norm = layer_norm(e.pp("LayerNorm"), hidden, eps)?;
        let inter = config.intermediate_size;
        let layers = (0..config.num_hidden_layers)
            .map(|i| {
                let l = vb.pp(format!("encoder.layer.{i}"));
                let a = l.pp("attention");
                Ok(Layer {
                    qkv: Dense::load(&a.pp("self"), &["query", "key", "value"], hidden, hidden)?,
                    attention_out: Dense::load(&a.pp("output"), &["dense"], hidden, hidden)?,
                    attention_norm: layer_norm(a.pp("output").pp("LayerNorm"), hidden, eps)?,
                    intermediate: Dense::load(&l.pp("intermediate"), &["dense"], hidden, inter)?,
                    output: Dense::load(&l.pp("output"), &["dense"], inter, hidden)?,
                    output_norm: layer_norm(l.pp("output").pp("LayerNorm"), hidden, eps)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Encoder {
            word,
            position,
            token_type,
            embedding_norm,
            layers,
            heads,
            head_size: hidden / heads,
            hidden,
        })
    }

    /// The last hidden state, `texts × tokens × hidden`, of `ids` and `types` (both
    /// `texts × tokens`, u32). `mask` (`texts × tokens`, u32, 1 for a token, 0 for padding)
    /// is applied only if it masks something.
    pub(crate) fn forward(&self, ids: &Tensor, types: &Tensor, mask: &Tensor) -> Result<Tensor> {
        let (n, len) = ids.dims2()?;
        if len > self.position.dim(0)? {
            candle_core::bail!(
                "{len} tokens: longer than the model's {} positions",
                self.position.dim(0)?
            );
        }
        let words = self.word.index_select(&ids.flatten_all()?, 0)?;
        let types = self.token_type.index_select(&types.flatten_all()?, 0)?;
        let positions = self.position.narrow(0, 0, len)?;
        // BertModel's order: (words + types) + positions, then the layer norm
        let x = (words + types)?
            .reshape((n, len, self.hidden))?
            .broadcast_add(&positions)?;
        let mut x = self
            .embedding_norm
            .forward(&x)?
            .reshape((n * len, self.hidden))?;
        // BertModel's extended mask: (1 - m) · f32::MIN, added to every head's scores
        let mask = if mask.min_all()?.to_scalar::<u32>()? == 0 {
            let m = mask.to_dtype(DType::F32)?.reshape((n, 1, 1, len))?;
            Some((m.ones_like()? - &m)?.broadcast_mul(&Tensor::new(f32::MIN, m.device())?)?)
        } else {
            None
        };
        for layer in &self.layers {
            x = self.layer(layer, &x, mask.as_ref(), n, len)?;
        }
        x.reshape((n, len, self.hidden))
    }

    /// One layer over `x`: `(n·len) × hidden`, returning the same shape.
    fn layer(
        &self,
        layer: &Layer,
        x: &Tensor,
        mask: Option<&Tensor>,
        n: usize,
        len: usize,
    ) -> Result<Tensor> {
        let (heads, size) = (self.heads, self.head_size);
        // (n·len) × 3·hidden → 3 × n × heads × len × head size
        let qkv = layer
            .qkv
            .forward(x)?
            .reshape((n, len, 3, heads, size))?
            .permute((2, 0, 3, 1, 4))?
            .contiguous()?;
        let (q, k, v) = (qkv.get(0)?, qkv.get(1)?, qkv.get(2)?);
        let scores = (q.matmul(&k.t()?)? / (size as f64).sqrt())?;
        let scores = match mask {
            Some(m) => scores.broadcast_add(m)?,
            None => scores,
        };
        let probs = candle_nn::ops::softmax(&scores, D::Minus1)?;
        let context = probs
            .matmul(&v)?
            .transpose(1, 2)?
            .contiguous()?
            .reshape((n * len, self.hidden))?;
        let attended = layer
            .attention_norm
            .forward(&(layer.attention_out.forward(&context)? + x)?)?;
        let inner = layer.intermediate.forward(&attended)?.gelu_erf()?;
        layer
            .output_norm
            .forward(&(layer.output.forward(&inner)? + &attended)?)
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use candle_core::{DType, Device, Tensor};
    use candle_nn::VarBuilder;
    use candle_transformers::models::bert::{BertModel, Config};
    use tokenizers::{PaddingParams, Tokenizer};

    use super::Encoder;

    /// The encoder gives candle-transformers' `BertModel`'s hidden states (the oracle), for a
    /// text alone and for a padded batch.
    #[test]
    fn gives_bert_models_hidden_states() {
        let dir = std::env::var_os("FPT_TEST_MODEL")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(super::super::DEFAULT_MODEL_DIR)
            });
        if !dir.join("model.safetensors").exists() {
            eprintln!("skipping: no model at {}", dir.display());
            return;
        }
        let config: Config =
            serde_json::from_str(&std::fs::read_to_string(dir.join("config.json")).unwrap())
                .unwrap();
        let device = Device::Cpu;
        let weights = [dir.join("model.safetensors")];
        // SAFETY: the test's model folder is not written while the test runs
        let vb =
            unsafe { VarBuilder::from_mmaped_safetensors(&weights, DType::F32, &device) }.unwrap();
        let oracle = BertModel::load(vb.clone(), &config).unwrap();
        let encoder = Encoder::load(vb, &config).unwrap();
        let mut tokenizer = Tokenizer::from_file(dir.join("tokenizer.json")).unwrap();
        tokenizer.with_padding(Some(PaddingParams::default()));
        let texts = [
            "how many days a week do i get for fpt?",
            "Hi, I am an ST4 registrar. Could you tell me how much protected time I would get each week if I joined FPT?",
            "ok",
        ];
        let batches: Vec<Vec<&str>> = vec![vec![texts[0]], vec![texts[1]], texts.to_vec()];
        for batch in batches {
            let enc = tokenizer.encode_batch(batch.clone(), true).unwrap();
            let len = enc[0].get_ids().len();
            let flat = |f: &dyn Fn(&tokenizers::Encoding) -> &[u32]| {
                let v: Vec<u32> = enc.iter().flat_map(|e| f(e).to_vec()).collect();
                Tensor::from_vec(v, (enc.len(), len), &device).unwrap()
            };
            let ids = flat(&|e| e.get_ids());
            let types = flat(&|e| e.get_type_ids());
            let mask = flat(&|e| e.get_attention_mask());
            let want = oracle.forward(&ids, &types, Some(&mask)).unwrap();
            let got = encoder.forward(&ids, &types, &mask).unwrap();
            assert_eq!(got.dims(), want.dims());
            let diff = (got - want)
                .unwrap()
                .abs()
                .unwrap()
                .flatten_all()
                .unwrap()
                .max(0)
                .unwrap()
                .to_scalar::<f32>()
                .unwrap();
            eprintln!(
                "{} texts of {len} tokens: largest difference {diff:e}",
                batch.len()
            );
            assert!(diff <= 1e-5, "{batch:?}: largest difference {diff}");
        }
    }
}
