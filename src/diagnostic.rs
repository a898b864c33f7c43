//! What every phase produces and every printer consumes: a finding with a primary span, an
//! optional help, related locations in other objects, and the object it concerns.

use std::borrow::Cow;
use std::sync::Arc;

use serde::Serialize;

use crate::load::tree::Span;

/// Index of a file in the run's file table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct FileId(pub u32);

impl FileId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Rule families, usable with `--select` and `--ignore` like rule ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Problems with the input itself: syntax, encoding, objects that cannot be read.
    Input,
    Security,
    Resources,
    Reliability,
    Scaling,
    Networking,
    Storage,
    Rbac,
    Monitoring,
    Schema,
}

impl Category {
    pub const ALL: [Category; 10] = [
        Category::Input,
        Category::Security,
        Category::Resources,
        Category::Reliability,
        Category::Scaling,
        Category::Networking,
        Category::Storage,
        Category::Rbac,
        Category::Monitoring,
        Category::Schema,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Input => "input",
            Category::Security => "security",
            Category::Resources => "resources",
            Category::Reliability => "reliability",
            Category::Scaling => "scaling",
            Category::Networking => "networking",
            Category::Storage => "storage",
            Category::Rbac => "rbac",
            Category::Monitoring => "monitoring",
            Category::Schema => "schema",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// The object a finding concerns, as users name it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ObjectRef {
    pub api_version: String,
    pub kind: String,
    pub namespace: Option<String>,
    pub name: Option<String>,
}

impl std::fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.kind)?;
        match (&self.namespace, &self.name) {
            (Some(ns), Some(name)) => write!(f, " {ns}/{name}"),
            (None, Some(name)) => write!(f, " {name}"),
            _ => Ok(()),
        }
    }
}

/// Another place that explains a finding: the HPA that targets a workload, the first of two
/// duplicate keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub file: FileId,
    pub span: Span,
    pub message: String,
}

/// A finding. A run can make hundreds of thousands, so its fields are kept lean: the message is
/// boxed without spare capacity, the help is borrowed when it is a literal (most are), related
/// locations (usually none) cost a pointer and a length, and the object and origin are shared
/// by all findings of one object.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub rule: &'static str,
    /// Resolved by the engine from the rule's default and the configuration; never by a rule.
    pub severity: Severity,
    /// The rule's family, filled in by the engine.
    pub category: Category,
    pub file: FileId,
    pub span: Span,
    pub message: Box<str>,
    pub help: Option<Cow<'static, str>>,
    pub related: Box<[Related]>,
    pub object: Option<Arc<ObjectRef>>,
    /// Where a rendered object came from: Helm's `# Source:` comment, else kustomize's
    /// `config.kubernetes.io/origin` annotation.
    pub origin: Option<Arc<str>>,
}

impl Diagnostic {
    pub fn new(rule: &'static str, file: FileId, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity: Severity::Error,
            category: Category::Input,
            file,
            span,
            message: message.into().into_boxed_str(),
            help: None,
            related: Box::default(),
            object: None,
            origin: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<Cow<'static, str>>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, file: FileId, span: Span, message: impl Into<String>) -> Self {
        self.push_related(Related {
            file,
            span,
            message: message.into(),
        });
        self
    }

    /// Adds a related location. Findings have few, so the slice is simply rebuilt.
    pub fn push_related(&mut self, related: Related) {
        let mut all = std::mem::take(&mut self.related).into_vec();
        all.push(related);
        self.related = all.into_boxed_slice();
    }

    /// The order of the output: by file, position, rule and message, whatever the thread count.
    pub fn sort_key(&self) -> (FileId, u32, u32, &'static str, &str) {
        (
            self.file,
            self.span.start,
            self.span.end,
            self.rule,
            &self.message,
        )
    }
}

#[cfg(test)]
mod tests {
    /// A run can hold hundreds of thousands of findings: their size is watched (136 bytes before
    /// the message was boxed, literal helps borrowed and the origin shared).
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn findings_stay_small() {
        assert_eq!(std::mem::size_of::<super::Diagnostic>(), 112);
    }
}
