//! Finding the files to lint: named files, folders walked recursively (honouring `.gitignore`
//! and `--exclude`), glob patterns, and `-` for standard input.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

/// A file to read. `path` is `None` for standard input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputFile {
    /// The name printed in output: the path as the user wrote it, or as found under a folder
    /// they named, so relative paths stay relative.
    pub display: String,
    pub path: Option<PathBuf>,
    /// Named on the command line (read whatever its extension) rather than found in a walk.
    pub explicit: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("{0}: no such file or directory")]
    NotFound(String),
    #[error("{0}: no file matches this pattern")]
    NoMatch(String),
    #[error("invalid glob `{pattern}`: {message}")]
    BadGlob { pattern: String, message: String },
}

pub struct DiscoverOptions<'a> {
    pub paths: &'a [String],
    pub exclude: &'a [String],
    pub stdin_filename: Option<&'a str>,
}

const EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

fn has_manifest_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e))
}

fn is_glob(s: &str) -> bool {
    s.contains(['*', '?', '[', '{'])
}

/// Compiles exclude patterns; a pattern without a slash matches at any depth, as in .gitignore.
pub fn compile_excludes(patterns: &[String]) -> Result<GlobSet, DiscoverError> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let trimmed = pattern.trim_start_matches("./");
        let mut forms = vec![trimmed.to_string()];
        if !trimmed.starts_with('/') && !trimmed.starts_with("**") {
            forms.push(format!("**/{trimmed}"));
        }
        for form in forms {
            let glob = Glob::new(&form).map_err(|e| DiscoverError::BadGlob {
                pattern: pattern.clone(),
                message: e.kind().to_string(),
            })?;
            builder.add(glob);
            // A folder pattern excludes what is inside it too.
            if let Ok(inside) = Glob::new(&format!("{}/**", form.trim_end_matches('/'))) {
                builder.add(inside);
            }
        }
    }
    builder.build().map_err(|e| DiscoverError::BadGlob {
        pattern: patterns.join(", "),
        message: e.to_string(),
    })
}

/// Turns the command line's paths into the sorted, de-duplicated list of files to read.
pub fn discover(options: &DiscoverOptions<'_>) -> Result<Vec<InputFile>, DiscoverError> {
    let excludes = compile_excludes(options.exclude)?;
    let mut files = Vec::new();
    let default = [".".to_string()];
    let paths = if options.paths.is_empty() {
        &default[..]
    } else {
        options.paths
    };
    for raw in paths {
        if raw == "-" {
            files.push(InputFile {
                display: options.stdin_filename.unwrap_or("<stdin>").to_string(),
                path: None,
                explicit: true,
            });
            continue;
        }
        let path = Path::new(raw);
        // symlink_metadata first: a dangling link is still "there" and gets a read diagnostic.
        match std::fs::metadata(path).or_else(|_| std::fs::symlink_metadata(path)) {
            Ok(meta) if meta.is_dir() => walk(raw, &excludes, &mut files),
            Ok(_) => files.push(InputFile {
                display: raw.clone(),
                path: Some(path.to_path_buf()),
                explicit: true,
            }),
            Err(_) if is_glob(raw) => expand_glob(raw, &excludes, &mut files)?,
            Err(_) => return Err(DiscoverError::NotFound(raw.clone())),
        }
    }
    // The same file reached twice (`k8s/a.yaml` and `./k8s/a.yaml`, or named and walked) is
    // read once.
    let mut seen = rustc_hash::FxHashSet::default();
    files.retain(|f| match &f.path {
        Some(path) => seen.insert(super::normalize_path(path)),
        None => seen.insert(PathBuf::from("-")),
    });
    Ok(files)
}

fn display_of(path: &Path) -> String {
    let s = path.to_string_lossy();
    s.strip_prefix("./")
        .map(str::to_string)
        .unwrap_or_else(|| s.into_owned())
}

fn walk(root: &str, excludes: &GlobSet, files: &mut Vec<InputFile>) {
    let mut builder = ignore::WalkBuilder::new(root);
    // Hidden folders are walked (a `.hidden-chart/` is still input); only VCS internals are not.
    builder
        .hidden(false)
        .require_git(false)
        .follow_links(false)
        .filter_entry(|e| e.file_name() != ".git")
        .sort_by_file_name(|a, b| a.cmp(b));
    let root_path = Path::new(root);
    for entry in builder.build().flatten() {
        if !entry.file_type().is_some_and(|t| t.is_file()) || !has_manifest_extension(entry.path())
        {
            continue;
        }
        let relative = entry.path().strip_prefix(root_path).unwrap_or(entry.path());
        if excludes.is_match(relative) || excludes.is_match(entry.path()) {
            continue;
        }
        files.push(InputFile {
            display: display_of(entry.path()),
            path: Some(entry.into_path()),
            explicit: false,
        });
    }
}

/// Expands a glob by walking from its longest literal directory prefix.
fn expand_glob(
    pattern: &str,
    excludes: &GlobSet,
    files: &mut Vec<InputFile>,
) -> Result<(), DiscoverError> {
    // As in a shell, `*` stays within one folder (`k8s/*.yaml` is not recursive); `**` crosses.
    let matcher = GlobBuilder::new(pattern.trim_start_matches("./"))
        .literal_separator(true)
        .build()
        .map_err(|e| DiscoverError::BadGlob {
            pattern: pattern.to_string(),
            message: e.kind().to_string(),
        })?
        .compile_matcher();
    let literal: Vec<&str> = pattern
        .split('/')
        .take_while(|part| !is_glob(part))
        .collect();
    let base = if literal.is_empty() {
        ".".to_string()
    } else {
        literal.join("/")
    };
    let before = files.len();
    let mut builder = ignore::WalkBuilder::new(if base.is_empty() { "/" } else { &base });
    builder
        .hidden(false)
        .require_git(false)
        .filter_entry(|e| e.file_name() != ".git")
        .sort_by_file_name(|a, b| a.cmp(b));
    for entry in builder.build().flatten() {
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let display = display_of(entry.path());
        if matcher.is_match(&display) && !excludes.is_match(&display) {
            files.push(InputFile {
                display,
                path: Some(entry.into_path()),
                explicit: false,
            });
        }
    }
    if files.len() == before {
        return Err(DiscoverError::NoMatch(pattern.to_string()));
    }
    Ok(())
}
