//! A view of PodDisruptionBudgets: `minAvailable` and `maxUnavailable` as integers or
//! percentages, and how many disruptions they allow for a given number of pods.

use crate::load::tree::Node;
use crate::model::Object;

/// An `IntOrString` that is a count or a percentage (`1`, `"50%"`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum IntOrPercent {
    Int(i64),
    Percent(f64),
}

impl IntOrPercent {
    /// Reads `3`, `"3"` (the API accepts a numeric string too) or `"25%"`.
    pub fn from_node(node: &Node<'_>) -> Option<Self> {
        if let Some(i) = node.as_i64() {
            return Some(IntOrPercent::Int(i));
        }
        let text = node.scalar_text()?.trim();
        if let Some(p) = text.strip_suffix('%') {
            return p.trim().parse::<f64>().ok().map(IntOrPercent::Percent);
        }
        text.parse::<i64>().ok().map(IntOrPercent::Int)
    }

    /// The value scaled to `total` pods, rounded up as the disruption controller does
    /// (`GetScaledValueFromIntOrPercent(..., roundUp: true)`).
    pub fn scaled(self, total: i64) -> i64 {
        match self {
            IntOrPercent::Int(i) => i,
            IntOrPercent::Percent(p) => (p * total as f64 / 100.0).ceil() as i64,
        }
    }

    pub fn is_zero(self) -> bool {
        match self {
            IntOrPercent::Int(i) => i == 0,
            IntOrPercent::Percent(p) => p == 0.0,
        }
    }
}

impl std::fmt::Display for IntOrPercent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IntOrPercent::Int(i) => write!(f, "{i}"),
            IntOrPercent::Percent(p) => write!(f, "{p}%"),
        }
    }
}

/// Which of the two budgets a PDB sets (the API allows one of them).
#[derive(Clone, Copy, Debug)]
pub enum Budget<'a, 's> {
    MinAvailable(IntOrPercent, &'a Node<'s>),
    MaxUnavailable(IntOrPercent, &'a Node<'s>),
}

impl<'a, 's> Budget<'a, 's> {
    pub fn node(&self) -> &'a Node<'s> {
        match self {
            Budget::MinAvailable(_, n) | Budget::MaxUnavailable(_, n) => n,
        }
    }

    /// How many of `replicas` pods may be evicted at once (never negative).
    pub fn allowed_disruptions(&self, replicas: i64) -> i64 {
        match self {
            Budget::MinAvailable(v, _) => (replicas - v.scaled(replicas)).max(0),
            Budget::MaxUnavailable(v, _) => v.scaled(replicas).clamp(0, replicas),
        }
    }

    /// `minAvailable: 1` or `maxUnavailable: 25%`, for messages.
    pub fn describe(&self) -> String {
        match self {
            Budget::MinAvailable(v, _) => format!("minAvailable: {v}"),
            Budget::MaxUnavailable(v, _) => format!("maxUnavailable: {v}"),
        }
    }
}

/// A PodDisruptionBudget (`policy/v1` or `v1beta1`).
#[derive(Clone, Copy, Debug)]
pub struct Pdb<'a, 's> {
    pub object: &'a Object<'s>,
    pub spec: &'a Node<'s>,
}

impl<'a, 's> Pdb<'a, 's> {
    pub fn of(object: &'a Object<'s>) -> Option<Self> {
        if !object.is("policy", "PodDisruptionBudget") {
            return None;
        }
        let spec = object.spec()?;
        spec.as_mapping()?;
        Some(Pdb { object, spec })
    }

    /// The budget it sets: `minAvailable` first (the API refuses both). `None` when it sets
    /// neither (or an unreadable value): the disruption controller then requires no healthy
    /// pods, so callers treat `None` as no constraint.
    pub fn budget(&self) -> Option<Budget<'a, 's>> {
        if let Some(n) = self.spec.get("minAvailable").filter(|n| !n.is_null()) {
            return IntOrPercent::from_node(n).map(|v| Budget::MinAvailable(v, n));
        }
        let n = self.spec.get("maxUnavailable").filter(|n| !n.is_null())?;
        IntOrPercent::from_node(n).map(|v| Budget::MaxUnavailable(v, n))
    }

    /// The `selector:` key, where findings about what it selects point; else the `spec:` key.
    pub fn selector_span(&self) -> crate::load::tree::Span {
        self.spec
            .entry("selector")
            .map(|e| e.key.span())
            .or_else(|| self.object.root.entry("spec").map(|e| e.key.span()))
            .unwrap_or_else(|| self.object.anchor())
    }
}
