//! Error types of the library: what went wrong and what to do about it.

use std::path::PathBuf;

/// Errors raised while loading or validating a knowledge base, templates or input.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}: {source}. Check the path exists and is readable")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Kb {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("template `{name}`: {message}. Fix the file in templates/ (see templates/README.md)")]
    Template { name: String, message: String },
    #[error("bad input: {0}")]
    Input(String),
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn kb(path: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> Self {
        Error::Kb {
            path: path.into(),
            line,
            message: message.into(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
