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

/// The object a finding concerns, as users name it. Its API version, kind and namespace are
/// shared with the other objects' references where `Cx` can (a run has few distinct ones, and
/// tens of thousands of objects with findings).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ObjectRef {
    pub api_version: Arc<str>,
    pub kind: Arc<str>,
    pub namespace: Option<Arc<str>>,
    pub name: Option<Box<str>>,
    /// Where a rendered object came from: Helm's `# Source:` comment, else kustomize's
    /// `config.kubernetes.io/origin` annotation. Printed apart from the object, so not
    /// serialized with it.
    #[serde(skip)]
    pub origin: Option<Box<str>>,
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

/// The most related locations a finding keeps; the rest are only counted
/// ([`Diagnostic::related_omitted`]). Rules relate every object involved (each budget
/// covering a workload, each namesake of a missing target), so without a bound a finding
/// grows with the input, and the findings and the report with its square: 500 budgets over
/// the same 5,000 pods once made 2.5 million related locations and a 640 MB report out of
/// 1.4 MB of YAML.
pub const MAX_RELATED: usize = 10;

/// Another place that explains a finding: the HPA that targets a workload, the first of two
/// duplicate keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub file: FileId,
    pub span: Span,
    pub message: String,
}

/// A finding's help: a literal, or a formatted text shared by the findings that have the
/// same (`Cx` shares them: a rule's help usually names only a signal or a kind, so 110,000
/// findings of one rule had 11 distinct helps, 12 MB of copies on the benchmark's tree).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Help {
    Literal(&'static str),
    Shared(Arc<str>),
}

impl std::ops::Deref for Help {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Help::Literal(s) => s,
            Help::Shared(s) => s,
        }
    }
}

impl std::fmt::Display for Help {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

impl From<&'static str> for Help {
    fn from(s: &'static str) -> Self {
        Help::Literal(s)
    }
}

impl From<String> for Help {
    fn from(s: String) -> Self {
        Help::Shared(s.into())
    }
}

impl From<Cow<'static, str>> for Help {
    fn from(s: Cow<'static, str>) -> Self {
        match s {
            Cow::Borrowed(s) => Help::Literal(s),
            Cow::Owned(s) => s.into(),
        }
    }
}

/// A finding. A run can make hundreds of thousands, so its fields are kept lean: the message is
/// boxed without spare capacity, the help is borrowed when it is a literal (most are) and shared
/// otherwise, related locations (usually none) cost a pointer and a length, and the object,
/// with its origin, is shared by all findings of one object.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub rule: &'static str,
    /// Resolved by the engine from the rule's default and the configuration; never by a rule.
    pub severity: Severity,
    /// The rule's family, filled in by the engine.
    pub category: Category,
    /// Related locations beyond [`MAX_RELATED`], counted but not kept (saturating: a count
    /// of 65,535 means at least that many). It sits in what was padding, so it costs nothing.
    pub related_omitted: u16,
    pub file: FileId,
    pub span: Span,
    pub message: Box<str>,
    pub help: Option<Help>,
    pub related: Box<[Related]>,
    pub object: Option<Arc<ObjectRef>>,
}

impl Diagnostic {
    pub fn new(rule: &'static str, file: FileId, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity: Severity::Error,
            category: Category::Input,
            related_omitted: 0,
            file,
            span,
            message: message.into().into_boxed_str(),
            help: None,
            related: Box::default(),
            object: None,
        }
    }

    /// Where the object the finding concerns was rendered from ([`ObjectRef::origin`]).
    pub fn origin(&self) -> Option<&str> {
        self.object.as_ref()?.origin.as_deref()
    }

    pub fn with_help(mut self, help: impl Into<Help>) -> Self {
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

    /// Adds a related location, or counts it once [`MAX_RELATED`] are kept. Findings have
    /// few, so the slice is simply rebuilt.
    pub fn push_related(&mut self, related: Related) {
        if self.related.len() >= MAX_RELATED {
            self.related_omitted = self.related_omitted.saturating_add(1);
            return;
        }
        let mut all = std::mem::take(&mut self.related).into_vec();
        all.push(related);
        self.related = all.into_boxed_slice();
    }

    /// What the printers say after the related locations they show, when some were left out.
    pub fn related_omitted_note(&self) -> Option<String> {
        match self.related_omitted {
            0 => None,
            1 => Some("1 more related location not shown".to_string()),
            u16::MAX => Some(format!("{} or more related locations not shown", u16::MAX)),
            n => Some(format!("{n} more related locations not shown")),
        }
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

/// The findings of a run, in chunks that do not grow once allocated.
///
/// A vector grown by doubling holds up to twice its findings, and copies them all at each
/// step; at 100,000 documents that slack was 27 MB at the run's peak of memory, the end of the
/// rules, when every tree is still alive. Chunks start small (most rule runs find little) and
/// stop growing at `MAX_CHUNK`, so the slack is at most one chunk per gatherer (and cut when
/// gatherers are joined). The store goes on to the printers as it is, sorted in place: one
/// vector of all the findings would hold them twice while it is filled.
#[derive(Debug, Default)]
pub struct Findings {
    chunks: Vec<Vec<Diagnostic>>,
    len: usize,
}

impl Findings {
    const FIRST_CHUNK: usize = 16;
    const MAX_CHUNK: usize = 1024;

    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds a finding and returns it, for the rule to add help and related locations.
    pub fn push(&mut self, diagnostic: Diagnostic) -> &mut Diagnostic {
        let full = self.chunks.last().is_none_or(|c| c.len() == c.capacity());
        if full {
            let next = self.chunks.last().map_or(Self::FIRST_CHUNK, |c| {
                (c.capacity() * 2).min(Self::MAX_CHUNK)
            });
            self.chunks.push(Vec::with_capacity(next));
        }
        self.len += 1;
        let chunk = self
            .chunks
            .last_mut()
            .expect("a chunk with room was just ensured");
        chunk.push(diagnostic);
        chunk.last_mut().expect("just pushed")
    }

    /// Moves `other`'s chunks after this one's. This one's last chunk is cut to its length
    /// first (a gatherer stops with it partly filled), which copies at most that chunk.
    pub fn append(&mut self, mut other: Findings) {
        if let Some(last) = self.chunks.last_mut() {
            last.shrink_to_fit();
        }
        self.len += other.len;
        self.chunks.append(&mut other.chunks);
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.into_iter()
    }

    pub fn retain_mut(&mut self, mut keep: impl FnMut(&mut Diagnostic) -> bool) {
        for chunk in &mut self.chunks {
            chunk.retain_mut(&mut keep);
        }
        self.chunks.retain(|c| !c.is_empty());
        self.len = self.chunks.iter().map(Vec::len).sum();
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&Diagnostic) -> bool) {
        self.retain_mut(|d| keep(d));
    }

    pub fn clear(&mut self) {
        self.chunks.clear();
        self.len = 0;
    }

    /// The findings on all threads, in order (rayon keeps it when collecting).
    pub fn par_iter(&self) -> impl rayon::iter::ParallelIterator<Item = &Diagnostic> {
        use rayon::prelude::*;
        self.chunks.par_iter().flat_map_iter(|c| c.iter())
    }

    /// Puts the findings in the output's order ([`Diagnostic::sort_key`]) where they are: the
    /// order is sorted as positions, then applied by swaps, so no second copy of the findings
    /// is ever made.
    pub fn sort(&mut self) {
        use rayon::prelude::*;
        let starts: Vec<usize> = self
            .chunks
            .iter()
            .scan(0, |start, c| {
                let here = *start;
                *start += c.len();
                Some(here)
            })
            .collect();
        let mut order: Vec<(u32, u32)> = self
            .chunks
            .iter()
            .enumerate()
            .flat_map(|(c, chunk)| (0..chunk.len() as u32).map(move |i| (c as u32, i)))
            .collect();
        let chunks = &self.chunks;
        let at = |p: (u32, u32)| &chunks[p.0 as usize][p.1 as usize];
        order.par_sort_unstable_by(|&a, &b| at(a).sort_key().cmp(&at(b).sort_key()));
        // `from[t]`: where the finding that belongs at position `t` is now.
        let from: Vec<usize> = order
            .into_iter()
            .map(|(c, i)| starts[c as usize] + i as usize)
            .collect();
        let place = |p: usize| -> (usize, usize) {
            let c = starts.partition_point(|&s| s <= p) - 1;
            (c, p - starts[c])
        };
        let mut done = vec![false; from.len()];
        for start in 0..from.len() {
            // Each cycle of the permutation: every swap puts one finding in its place.
            let mut t = start;
            while !done[t] {
                done[t] = true;
                let f = from[t];
                if f == start {
                    break;
                }
                swap_across(&mut self.chunks, place(t), place(f));
                t = f;
            }
        }
    }

    /// One vector of exactly the findings' number, each chunk freed as soon as it is moved
    /// (for callers that want a slice, such as tests).
    pub fn into_vec(self) -> Vec<Diagnostic> {
        let mut all = Vec::with_capacity(self.len);
        for chunk in self.chunks {
            all.extend(chunk);
        }
        all
    }
}

/// Swaps two findings, in the same chunk or in two.
fn swap_across(chunks: &mut [Vec<Diagnostic>], a: (usize, usize), b: (usize, usize)) {
    if a.0 == b.0 {
        chunks[a.0].swap(a.1, b.1);
        return;
    }
    let (low, high) = if a.0 < b.0 { (a, b) } else { (b, a) };
    let (left, right) = chunks.split_at_mut(high.0);
    std::mem::swap(&mut left[low.0][low.1], &mut right[0][high.1]);
}

impl<'a> IntoIterator for &'a Findings {
    type Item = &'a Diagnostic;
    type IntoIter = std::iter::Flatten<std::slice::Iter<'a, Vec<Diagnostic>>>;

    fn into_iter(self) -> Self::IntoIter {
        self.chunks.iter().flatten()
    }
}

impl Extend<Diagnostic> for Findings {
    fn extend<I: IntoIterator<Item = Diagnostic>>(&mut self, iter: I) {
        for d in iter {
            self.push(d);
        }
    }
}

impl From<Vec<Diagnostic>> for Findings {
    fn from(chunk: Vec<Diagnostic>) -> Self {
        let len = chunk.len();
        let chunks = if len == 0 { Vec::new() } else { vec![chunk] };
        Findings { chunks, len }
    }
}

#[cfg(test)]
mod tests {
    /// A run can hold hundreds of thousands of findings: their size is watched (136 bytes before
    /// the message was boxed, literal helps borrowed and the origin shared; 112 before the
    /// origin moved into the shared object).
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn findings_stay_small() {
        assert_eq!(std::mem::size_of::<super::Diagnostic>(), 96);
    }

    #[test]
    fn related_locations_are_kept_up_to_the_bound_and_counted_after() {
        let related = |n: u32| super::Related {
            file: FileId(0),
            span: Span::new(n, n + 1),
            message: format!("r{n}"),
        };
        let mut d = finding(0, 0, "r", "m");
        assert_eq!(d.related_omitted_note(), None);
        for n in 0..super::MAX_RELATED as u32 {
            d.push_related(related(n));
        }
        assert_eq!(d.related.len(), super::MAX_RELATED);
        assert_eq!((d.related_omitted, d.related_omitted_note()), (0, None));
        d.push_related(related(100));
        assert_eq!(
            d.related_omitted_note().as_deref(),
            Some("1 more related location not shown")
        );
        for n in 101..115 {
            d.push_related(related(n));
        }
        // The first ones stay, in order; the later ones are only counted.
        let kept: Vec<&str> = d.related.iter().map(|r| r.message.as_str()).collect();
        assert_eq!(
            kept,
            ["r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9"]
        );
        assert_eq!(
            d.related_omitted_note().as_deref(),
            Some("15 more related locations not shown")
        );
        d.related_omitted = u16::MAX - 1;
        d.push_related(related(200));
        d.push_related(related(201));
        assert_eq!(d.related_omitted, u16::MAX);
        assert_eq!(
            d.related_omitted_note().as_deref(),
            Some("65535 or more related locations not shown")
        );
    }

    use super::{Diagnostic, FileId, Findings};
    use crate::load::tree::Span;
    use proptest::prelude::*;

    fn finding(file: u32, start: u32, rule: &'static str, message: &str) -> Diagnostic {
        Diagnostic::new(rule, FileId(file), Span::new(start, start + 1), message)
    }

    fn keys(findings: &Findings) -> Vec<(u32, u32, &'static str, String)> {
        findings
            .iter()
            .map(|d| (d.file.0, d.span.start, d.rule, d.message.to_string()))
            .collect()
    }

    #[test]
    fn chunks_keep_the_order_of_pushes_and_appends() {
        let mut first = Findings::new();
        for i in 0..100 {
            first.push(finding(0, i, "a", "m"));
        }
        let mut second = Findings::new();
        for i in 100..3000 {
            second.push(finding(0, i, "a", "m"));
        }
        // A chunk never grows: a finding stays where it was pushed.
        let first_of_second: *const Diagnostic = second.iter().next().unwrap();
        for i in 3000..5000 {
            second.push(finding(0, i, "a", "m"));
        }
        assert!(std::ptr::eq(first_of_second, second.iter().next().unwrap()));
        assert!(
            second
                .chunks
                .iter()
                .all(|c| c.capacity() <= Findings::MAX_CHUNK)
        );
        second.retain(|d| d.span.start < 3000);
        first.append(second);
        first.append(Findings::new());
        first.append(vec![finding(1, 0, "b", "n")].into());
        assert_eq!(first.len(), 3001);
        let starts: Vec<u32> = first.iter().map(|d| d.span.start).collect();
        assert_eq!(&starts[..3000], (0..3000).collect::<Vec<_>>().as_slice());
        assert_eq!(first.iter().last().map(|d| d.file), Some(FileId(1)));
        first.retain(|d| d.span.start % 2 == 0 && d.file == FileId(0));
        assert_eq!(first.len(), 1500);
        assert!(first.iter().all(|d| d.span.start % 2 == 0));
        assert_eq!(first.into_vec().len(), 1500);
    }

    #[test]
    fn sorting_copes_with_empty_and_uneven_chunks() {
        // The store never keeps an empty chunk, but the sort must not depend on it.
        let mut findings = Findings {
            chunks: vec![
                vec![finding(0, 9, "a", "m"), finding(0, 3, "a", "m")],
                Vec::new(),
                Vec::new(),
                vec![finding(0, 1, "a", "m")],
                vec![
                    finding(0, 7, "a", "m"),
                    finding(0, 0, "a", "m"),
                    finding(0, 5, "a", "m"),
                ],
                Vec::new(),
            ],
            len: 6,
        };
        findings.sort();
        let starts: Vec<u32> = findings.iter().map(|d| d.span.start).collect();
        assert_eq!(starts, [0, 1, 3, 5, 7, 9]);
    }

    proptest! {
        /// Sorting in place across chunks gives the order a sort of one vector gives.
        #[test]
        fn sorting_across_chunks_matches_a_sorted_vector(
            parts in proptest::collection::vec(
                proptest::collection::vec((0u32..4, 0u32..50, 0usize..3, 0u8..4), 0..300),
                0..6,
            ),
            dropped in 0u32..7,
        ) {
            const RULES: [&str; 3] = ["a", "b", "c"];
            let mut findings = Findings::new();
            for part in &parts {
                let mut chunked = Findings::new();
                for &(file, start, rule, message) in part {
                    chunked.push(finding(file, start, RULES[rule], &message.to_string()));
                }
                findings.append(chunked);
            }
            // Suppression leaves chunks of uneven lengths, some emptied.
            if dropped > 0 {
                findings.retain(|d| d.span.start % dropped != 0);
            }
            let mut expected = keys(&findings);
            expected.sort();
            findings.sort();
            prop_assert_eq!(keys(&findings), expected);
        }
    }
}
