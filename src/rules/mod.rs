//! The rules: one file each, with its documentation, metadata, parameters and check. The
//! registry at the bottom is one line per rule.

use serde::de::DeserializeOwned;

use crate::diagnostic::{Category, Diagnostic, Severity};
use crate::load::tree::Span;
use crate::model::{Index, Object};

/// What the engine and the documentation need to know about a rule.
#[derive(Debug)]
pub struct RuleMeta {
    pub id: &'static str,
    pub category: Category,
    pub severity: Severity,
    /// Opt-in rules are off unless selected.
    pub default_enabled: bool,
    /// Kinds the rule's `check` is called for; `["*"]` for every object, `[]` for none (rules
    /// that only look at the input as a whole, or input problems reported by the loader).
    pub kinds: &'static [&'static str],
    pub summary: &'static str,
    /// The documentation: Markdown with the sections What it does, Why it matters, Example,
    /// Use instead, Parameters, Known limitations.
    pub docs: &'static str,
}

/// Declares a rule's metadata with its documentation taken from the doc comments above it, as
/// clippy does, so code and documentation live in one place.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $name:ident {
            id: $id:literal,
            category: $category:ident,
            severity: $severity:ident,
            enabled: $enabled:literal,
            kinds: $kinds:expr,
            summary: $summary:literal $(,)?
        }
    ) => {
        impl $name {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                id: $id,
                category: $crate::diagnostic::Category::$category,
                severity: $crate::diagnostic::Severity::$severity,
                default_enabled: $enabled,
                kinds: $kinds,
                summary: $summary,
                docs: concat!($($doc, "\n"),*),
            };
        }
        impl $crate::rules::HasMeta for $name {
            const META_REF: &'static $crate::rules::RuleMeta = &$name::META;
        }
    };
}

/// The per-object (or per-run) context a rule reports through.
pub struct Cx<'a, 's> {
    pub index: &'a Index<'s>,
    rule: &'static str,
    out: Vec<Diagnostic>,
}

impl<'a, 's> Cx<'a, 's> {
    pub fn new(index: &'a Index<'s>, rule: &'static str) -> Self {
        Cx {
            index,
            rule,
            out: Vec::new(),
        }
    }

    pub fn set_rule(&mut self, rule: &'static str) {
        self.rule = rule;
    }

    /// Reports a finding on `object` at `span` (a place in the object's own file).
    pub fn report(
        &mut self,
        object: &Object<'_>,
        span: Span,
        message: impl Into<String>,
    ) -> Report<'_> {
        let mut d = Diagnostic::new(self.rule, object.file, span, message);
        d.object = Some(object.object_ref());
        d.origin = object.origin.clone();
        self.out.push(d);
        Report(self.out.last_mut().expect("just pushed"))
    }

    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.out
    }

    pub fn take(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.out)
    }
}

/// Adds help and related locations to a reported finding.
pub struct Report<'d>(&'d mut Diagnostic);

impl Report<'_> {
    pub fn help(self, help: impl Into<String>) -> Self {
        self.0.help = Some(help.into());
        self
    }

    /// Points at another object involved in the finding.
    pub fn related(self, object: &Object<'_>, span: Span, message: impl Into<String>) -> Self {
        self.0.related.push(crate::diagnostic::Related {
            file: object.file,
            span,
            message: message.into(),
        });
        self
    }
}

/// A rule's behaviour. Its metadata comes from `declare_rule!`; the engine pairs the two.
pub trait Rule: Send + Sync {
    /// Called for every object whose kind the rule declares.
    fn check(&self, _object: &Object<'_>, _cx: &mut Cx<'_, '_>) {}

    /// Called once per run, for findings about the input as a whole.
    fn check_input(&self, _cx: &mut Cx<'_, '_>) {}
}

/// Why a rule's parameters were refused.
#[derive(Debug, thiserror::Error)]
#[error("invalid parameters for `{rule}`: {message}")]
pub struct ParamsError {
    pub rule: &'static str,
    pub message: String,
}

/// A registry entry: the rule's metadata and how to build it from its parameters.
pub struct RuleEntry {
    pub meta: &'static RuleMeta,
    #[allow(clippy::type_complexity)]
    pub build: fn(Option<&serde_json::Value>) -> Result<Box<dyn Rule>, ParamsError>,
}

/// Registers a rule whose struct is also its parameter set (`Deserialize` with defaults).
pub fn rule<R: Rule + DeserializeOwned + Default + HasMeta + 'static>() -> RuleEntry {
    RuleEntry {
        meta: R::META_REF,
        build: |params| match params {
            None => Ok(Box::new(R::default())),
            Some(value) => serde_json::from_value::<R>(value.clone())
                .map(|r| Box::new(r) as Box<dyn Rule>)
                .map_err(|e| ParamsError {
                    rule: R::META_REF.id,
                    message: e.to_string(),
                }),
        },
    }
}

/// Gives generic code the `META` that `declare_rule!` defines.
pub trait HasMeta {
    const META_REF: &'static RuleMeta;
}

pub mod input;

mod container_privileged;

/// Every rule pake-lint knows, in id order within each family.
pub fn registry() -> Vec<RuleEntry> {
    let mut rules = input::entries();
    rules.extend([rule::<container_privileged::ContainerPrivileged>()]);
    rules
}

/// The metadata of every rule, in registry order.
pub fn all_meta() -> Vec<&'static RuleMeta> {
    registry().into_iter().map(|e| e.meta).collect()
}

pub fn find_meta(id: &str) -> Option<&'static RuleMeta> {
    registry().into_iter().map(|e| e.meta).find(|m| m.id == id)
}

/// Strips the single leading space rustdoc comments leave on each line.
pub fn docs_markdown(meta: &RuleMeta) -> String {
    meta.docs
        .lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}
