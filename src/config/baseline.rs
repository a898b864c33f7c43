//! Baselines: `--write-baseline FILE` records the findings of a run; `--baseline FILE` then
//! reports only findings that are not in it. Entries are keyed by rule, object identity (kind,
//! namespace, name) and the field path of the finding in the object, never by line, so an edit
//! elsewhere in the file does not revive recorded findings. Findings outside any object (a
//! syntax error) are keyed by file and message. Entries no current finding matches are stale:
//! the summary counts them, so the baseline can be rewritten as the tree gets fixed.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::config::ConfigError;

/// One recorded finding.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Entry {
    pub rule: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The field path in the object (`spec.template.spec.containers[web].image`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// For findings outside any object: the file and message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The baseline file: `{"version": 1, "findings": [...]}`, sorted, one entry per finding.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

/// What applying a baseline did, for the summary.
#[derive(Clone, Debug, Default, Serialize)]
pub struct BaselineSummary {
    /// The baseline file.
    pub file: String,
    /// Entries in it.
    pub entries: usize,
    /// Findings it hid.
    pub matched: usize,
    /// Entries that matched no finding.
    pub stale: usize,
    /// Those entries, so they can be reviewed.
    pub stale_entries: Vec<Entry>,
    /// Entries written (`--write-baseline`).
    pub written: usize,
    /// Whether the run wrote the baseline rather than read it.
    #[serde(skip)]
    pub wrote: bool,
}

impl Baseline {
    pub fn read(path: &Path) -> Result<Baseline, ConfigError> {
        let display = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
            file: display.clone(),
            reason: e.to_string(),
        })?;
        let baseline: Baseline = serde_json::from_str(&text).map_err(|e| ConfigError::At {
            file: display.clone(),
            line: e.line(),
            column: e.column(),
            message: format!("not a pake-lint baseline: {e}"),
            suggestion: None,
        })?;
        if baseline.version != 1 {
            return Err(ConfigError::Usage {
                message: format!(
                    "{display}: baseline version {} is not supported (expected 1)",
                    baseline.version
                ),
                suggestion: None,
            });
        }
        Ok(baseline)
    }

    pub fn new(mut findings: Vec<Entry>) -> Baseline {
        findings.sort();
        Baseline {
            version: 1,
            findings,
        }
    }

    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let mut text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        text.push('\n');
        std::fs::write(path, text)
    }

    /// Counts of each entry, consumed as findings match.
    pub fn budget(&self) -> BTreeMap<&Entry, usize> {
        let mut budget = BTreeMap::new();
        for e in &self.findings {
            *budget.entry(e).or_insert(0) += 1;
        }
        budget
    }
}
