//! `--kustomize DIR`: renders a kustomize overlay with `kustomize build` (or `kubectl
//! kustomize`) and origin annotations, so each rendered object names the file it came from.
//!
//! The overlay is not modified: a temporary kustomization lists it as its only resource and adds
//! `buildMetadata: [originAnnotations]`. Kustomize refuses absolute resource paths, so the
//! overlay is named relative to the temporary folder, and the origin paths it writes (relative to
//! that folder) are rewritten relative to the working directory.

use std::path::{Component, Path, PathBuf};
use std::process::Command;

use crate::load::{RenderedInput, normalize_path};

/// The annotation kustomize writes with `buildMetadata: [originAnnotations]`.
pub const ORIGIN_ANNOTATION: &str = "config.kubernetes.io/origin";

#[derive(Debug, thiserror::Error)]
pub enum KustomizeError {
    #[error("--kustomize: {0}: no such folder")]
    NotFound(String),
    #[error("--kustomize: neither `kustomize` nor `kubectl` is installed (or on PATH)")]
    NoTool,
    #[error("--kustomize: cannot prepare a temporary kustomization: {0}")]
    Temp(std::io::Error),
    #[error("--kustomize: `{tool}` failed to render {dir}:\n{stderr}")]
    Failed {
        tool: String,
        dir: String,
        stderr: String,
    },
}

/// The renderers tried, in order: the standalone binary first (usually newer).
fn tools() -> [(&'static str, &'static [&'static str]); 2] {
    [("kustomize", &["build"]), ("kubectl", &["kustomize"])]
}

/// Whether a renderer is installed.
pub fn available() -> bool {
    tools().iter().any(|(tool, _)| runs(tool))
}

fn runs(tool: &str) -> bool {
    Command::new(tool)
        .arg("version")
        .args(if tool == "kubectl" {
            &["--client"][..]
        } else {
            &[][..]
        })
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Renders the overlay in `dir`; the input is named `dir` as the user wrote it.
pub fn render(dir: &str) -> Result<RenderedInput, KustomizeError> {
    let overlay = Path::new(dir);
    if !overlay.is_dir() {
        return Err(KustomizeError::NotFound(dir.to_string()));
    }
    let (tool, args) = tools()
        .into_iter()
        .find(|(tool, _)| runs(tool))
        .ok_or(KustomizeError::NoTool)?;
    let cwd = std::env::current_dir().map_err(KustomizeError::Temp)?;
    let overlay_abs = overlay.canonicalize().map_err(KustomizeError::Temp)?;
    let temp = TempDir::new().map_err(KustomizeError::Temp)?;
    let temp_abs = temp.0.canonicalize().map_err(KustomizeError::Temp)?;
    let resource = relative_to(&overlay_abs, &temp_abs);
    std::fs::write(
        temp.0.join("kustomization.yaml"),
        format!(
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - {}\nbuildMetadata: [originAnnotations]\n",
            serde_json::to_string(&resource.to_string_lossy()).unwrap_or_default()
        ),
    )
    .map_err(KustomizeError::Temp)?;
    let output = Command::new(tool)
        .args(args)
        .arg(&temp_abs)
        .output()
        .map_err(|_| KustomizeError::NoTool)?;
    if !output.status.success() {
        return Err(KustomizeError::Failed {
            tool: format!("{tool} {}", args.join(" ")),
            dir: dir.to_string(),
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_string(),
        });
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let cwd = cwd.canonicalize().unwrap_or(cwd);
    Ok(RenderedInput {
        name: dir.trim_end_matches('/').to_string(),
        text: rewrite_origins(&text, &temp_abs, &cwd),
    })
}

/// Rewrites the `path:` line of each origin annotation from the temporary folder's point of
/// view to the working directory's (`../../work/k8s/base/a.yaml` -> `k8s/base/a.yaml`).
fn rewrite_origins(text: &str, temp: &Path, cwd: &Path) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_origin = false;
    let mut origin_indent = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if in_origin && indent <= origin_indent && !trimmed.trim().is_empty() {
            in_origin = false;
        }
        if in_origin && let Some(path) = trimmed.strip_prefix("path: ") {
            let (path, newline) = match path.strip_suffix('\n') {
                Some(p) => (p, "\n"),
                None => (path, ""),
            };
            let absolute = normalize_path(&temp.join(path.trim()));
            let shown = absolute
                .strip_prefix(cwd)
                .map(Path::to_path_buf)
                .unwrap_or(absolute);
            out.push_str(&line[..indent]);
            out.push_str("path: ");
            out.push_str(&shown.to_string_lossy().replace('\\', "/"));
            out.push_str(newline);
            continue;
        }
        if trimmed.starts_with(&format!("{ORIGIN_ANNOTATION}: |")) {
            in_origin = true;
            origin_indent = indent;
        }
        out.push_str(line);
    }
    out
}

/// `to` relative to `from` (both absolute, normalized): `../../x/y`.
fn relative_to(to: &Path, from: &Path) -> PathBuf {
    let to: Vec<Component<'_>> = to.components().collect();
    let from: Vec<Component<'_>> = from.components().collect();
    let common = to.iter().zip(&from).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for c in &to[common..] {
        out.push(c.as_os_str());
    }
    out
}

/// The source file named by an origin annotation's text (`path: base/a.yaml`, with `repo:` for
/// remote bases).
pub fn origin_of(annotation: &str) -> Option<String> {
    let field = |key: &str| {
        annotation.lines().find_map(|l| {
            l.trim()
                .strip_prefix(key)
                .and_then(|rest| rest.strip_prefix(':'))
                .map(|v| v.trim().trim_matches('"').to_string())
                .filter(|v| !v.is_empty())
        })
    };
    let path = field("path")?;
    Some(match field("repo") {
        Some(repo) => format!("{repo}//{path}"),
        None => path,
    })
}

/// A temporary folder removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> std::io::Result<Self> {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "pake-lint-kustomize-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir)?;
        Ok(TempDir(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative_to(Path::new("/w/k8s/prod"), Path::new("/tmp/x")),
            PathBuf::from("../../w/k8s/prod")
        );
    }

    #[test]
    fn origins_are_rewritten_and_read() {
        let text = "metadata:\n  annotations:\n    config.kubernetes.io/origin: |\n      path: ../../w/k8s/base/a.yaml\n  name: a\nspec:\n  path: ../x\n";
        let out = rewrite_origins(text, Path::new("/tmp/x"), Path::new("/w"));
        assert!(
            out.contains("      path: k8s/base/a.yaml\n  name: a\n"),
            "{out}"
        );
        assert!(out.contains("  path: ../x\n"));
        assert_eq!(
            origin_of("path: k8s/base/a.yaml\n").as_deref(),
            Some("k8s/base/a.yaml")
        );
        assert_eq!(
            origin_of("path: a.yaml\nrepo: https://example.com/r\nref: v1\n").as_deref(),
            Some("https://example.com/r//a.yaml")
        );
    }
}
