//! Configuration: `.pake-lint.yaml` ([`options`], as written) merged with the command line and
//! resolved into [`settings::Settings`] (rules built with their parameters, globs compiled,
//! severities decided), plus what acts on findings after the rules ran: [`suppress`]ions and
//! the [`baseline`]. Everything that can fail fails before any manifest is read, naming the
//! file, line and column of the offending key.

pub mod baseline;
pub mod date;
pub mod options;
pub mod profiles;
pub mod settings;
pub mod suppress;

use std::path::{Path, PathBuf};

use crate::load::tree::{Node, Span};
use crate::load::yaml::{self, Limits};
use crate::report::lines::LineIndex;

pub use options::{External, FileOptions};
pub use settings::Settings;

/// The file names looked for, in each folder from the working directory up to the repository
/// root.
pub const FILE_NAMES: [&str; 2] = [".pake-lint.yaml", ".pake-lint.yml"];

/// A configuration that cannot be used: the run stops with exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A problem at a place in the file.
    #[error("{file}:{line}:{column}: {message}{}", hint(suggestion))]
    At {
        file: String,
        line: usize,
        column: usize,
        message: String,
        suggestion: Option<String>,
    },
    #[error("cannot read configuration {file}: {reason}")]
    Read { file: String, reason: String },
    /// A problem with a command-line value (`--profile`).
    #[error("{message}{}", hint(suggestion))]
    Usage {
        message: String,
        suggestion: Option<String>,
    },
}

fn hint(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}

/// The closest of `candidates` to `name`, when one is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(c, name), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.to_string())
}

/// One step of a path into the configuration tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A configuration file as read: its text (for positions) and its options.
#[derive(Clone, Debug)]
pub struct LoadedConfig {
    /// The file as printed in messages.
    pub display: String,
    pub path: PathBuf,
    pub text: String,
    pub options: FileOptions,
}

impl LoadedConfig {
    /// The folder relative paths in the file are resolved against.
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new(""))
    }

    /// An error at `path` in the file: at the key when `at_key`, else at its value. A path that
    /// does not exist points at its longest existing prefix.
    pub fn error_at(
        &self,
        path: &[Seg],
        at_key: bool,
        message: impl Into<String>,
        suggestion: Option<String>,
    ) -> ConfigError {
        let span = self.span_of(path, at_key);
        let index = LineIndex::new(&self.text);
        let pos = index.position(&self.text, span.start);
        ConfigError::At {
            file: self.display.clone(),
            line: pos.line,
            column: pos.column,
            message: message.into(),
            suggestion,
        }
    }

    /// The span of the key (or value) at `path`, re-parsing the text (only errors need it).
    pub fn span_of(&self, path: &[Seg], at_key: bool) -> Span {
        let arena = crate::load::Bump::new();
        let stream = yaml::parse_stream(&self.text, &arena, Limits::default());
        let Some(root) = stream.documents.into_iter().find_map(|d| d.root) else {
            return Span::default();
        };
        span_in(&root, path, at_key)
    }
}

/// The span of `path` in `root` (see [`LoadedConfig::span_of`]).
pub fn span_in(root: &Node<'_>, path: &[Seg], at_key: bool) -> Span {
    let mut node = root;
    let mut key_span = root.span();
    for (i, seg) in path.iter().enumerate() {
        let last = i + 1 == path.len();
        match seg {
            Seg::Key(k) => match node.entry(k) {
                Some(e) => {
                    key_span = e.key.span();
                    node = &e.value;
                }
                None => return if i == 0 { root.span() } else { key_span },
            },
            Seg::Index(n) => match node.items().get(*n) {
                Some(item) => {
                    key_span = item.span();
                    node = item;
                }
                None => return key_span,
            },
        }
        if last {
            return if at_key { key_span } else { node.span() };
        }
    }
    node.span()
}

/// Converts a tree to JSON with kubectl's scalar resolution, for serde.
pub fn to_json(node: &Node<'_>) -> serde_json::Value {
    use crate::load::tree::{NodeKind, Resolved};
    use serde_json::Value;
    match node.kind() {
        NodeKind::Scalar(s) => match s.resolve() {
            Resolved::Null => Value::Null,
            Resolved::Bool(b) => Value::Bool(b),
            Resolved::Int(i) => Value::from(i),
            Resolved::Float(f) => {
                serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
            }
            Resolved::Str(s) => Value::String(s.to_string()),
        },
        NodeKind::Sequence(items) => Value::Array(items.iter().map(to_json).collect()),
        NodeKind::Mapping(entries) => Value::Object(
            entries
                .iter()
                .map(|e| {
                    let key = e
                        .key
                        .as_scalar()
                        .map_or_else(String::new, |s| s.text.to_string());
                    (key, to_json(&e.value))
                })
                .collect(),
        ),
    }
}

/// Finds `.pake-lint.yaml` from `start` upward, stopping after the folder that holds `.git`
/// (the repository root).
pub fn find(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
    for dir in start.ancestors() {
        for name in FILE_NAMES {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    None
}

/// Reads and parses a configuration file. `display` is how messages name it.
pub fn load(path: &Path, display: &str) -> Result<LoadedConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
        file: display.to_string(),
        reason: e.to_string(),
    })?;
    parse(path, display, text)
}

/// Parses configuration text (see [`load`]).
pub fn parse(path: &Path, display: &str, text: String) -> Result<LoadedConfig, ConfigError> {
    let mut loaded = LoadedConfig {
        display: display.to_string(),
        path: path.to_path_buf(),
        text,
        options: FileOptions::default(),
    };
    let arena = crate::load::Bump::new();
    let stream = yaml::parse_stream(&loaded.text, &arena, Limits::default());
    if let Some(problem) = stream.problems.first() {
        let index = LineIndex::new(&loaded.text);
        let pos = index.position(&loaded.text, problem.span.start);
        return Err(ConfigError::At {
            file: loaded.display.clone(),
            line: pos.line,
            column: pos.column,
            message: problem.message.clone(),
            suggestion: None,
        });
    }
    let roots: Vec<&Node<'_>> = stream
        .documents
        .iter()
        .filter_map(|d| d.root.as_ref())
        .collect();
    if roots.len() > 1 {
        let span = roots[1].span();
        let index = LineIndex::new(&loaded.text);
        let pos = index.position(&loaded.text, span.start);
        return Err(ConfigError::At {
            file: loaded.display.clone(),
            line: pos.line,
            column: pos.column,
            message: "a configuration file holds one YAML document".into(),
            suggestion: None,
        });
    }
    let Some(root) = roots.first() else {
        // An empty file is an empty configuration.
        return Ok(loaded);
    };
    if root.as_mapping().is_none() && !root.is_null() {
        return Err(loaded.error_at(
            &[],
            true,
            format!(
                "the configuration must be a mapping, not a {}",
                root.type_name()
            ),
            None,
        ));
    }
    let value = to_json(root);
    let value = if value.is_null() {
        serde_json::Value::Object(Default::default())
    } else {
        value
    };
    match serde_path_to_error::deserialize::<_, FileOptions>(value) {
        Ok(options) => {
            loaded.options = options;
            Ok(loaded)
        }
        Err(err) => {
            let path = segments(err.path());
            let message = err.inner().to_string();
            Err(serde_error(&loaded, root, path, &message))
        }
    }
}

/// Turns a serde error into a positioned one, with a suggestion for unknown names.
pub fn serde_error(
    loaded: &LoadedConfig,
    root: &Node<'_>,
    mut path: Vec<Seg>,
    message: &str,
) -> ConfigError {
    let ticked: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    let (message, suggestion, at_key) = if message.starts_with("unknown field") {
        let name = ticked.first().copied().unwrap_or_default();
        if path.last() != Some(&Seg::Key(name.to_string())) {
            path.push(Seg::Key(name.to_string()));
        }
        let known: Vec<&str> = ticked.iter().skip(1).copied().collect();
        let suggestion = did_you_mean(name, known.iter().copied());
        let expected = if known.is_empty() {
            String::new()
        } else {
            format!(
                "; expected one of {}",
                known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        (format!("unknown key `{name}`{expected}"), suggestion, true)
    } else if message.starts_with("unknown variant") {
        let name = ticked.first().copied().unwrap_or_default();
        let suggestion = did_you_mean(name, ticked.iter().skip(1).copied());
        (message.to_string(), suggestion, false)
    } else if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next())
    {
        path.push(Seg::Key(field.to_string()));
        (format!("missing key `{field}`"), None, true)
    } else {
        (message.to_string(), None, false)
    };
    let span = span_in(root, &path, at_key);
    let index = LineIndex::new(&loaded.text);
    let pos = index.position(&loaded.text, span.start);
    // An unknown key is named in the message; the place is where it was found.
    let place = render_path(if at_key {
        &path[..path.len().saturating_sub(1)]
    } else {
        &path
    });
    let message = if message.contains("floating point") && message.ends_with("expected a string") {
        format!("{message}: quote it (YAML reads `1.30` as the number 1.3)")
    } else {
        message
    };
    ConfigError::At {
        file: loaded.display.clone(),
        line: pos.line,
        column: pos.column,
        message: if place.is_empty() {
            message
        } else {
            format!("{place}: {message}")
        },
        suggestion,
    }
}

/// `rules.container-privileged.severity`, `ignores[2].reason`.
pub fn render_path(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

fn segments(path: &serde_path_to_error::Path) -> Vec<Seg> {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|s| match s {
            Segment::Map { key } => Some(Seg::Key(key.clone())),
            Segment::Seq { index } => Some(Seg::Index(*index)),
            Segment::Enum { variant } => Some(Seg::Key(variant.clone())),
            Segment::Unknown => None,
        })
        .collect()
}

/// Path segments of a serde_path_to_error path, for errors in rule parameters.
pub fn path_segments(path: &serde_path_to_error::Path) -> Vec<Seg> {
    segments(path)
}
