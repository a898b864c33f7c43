//! The rule reference in `rules/`: one generated page per rule and an index. A test checks the
//! committed pages match; `PAKE_LINT_UPDATE_DOCS=1 cargo test --test docs` rewrites them.

use crate::rules::{RuleMeta, docs_markdown};

pub fn kinds_text(meta: &RuleMeta) -> String {
    match meta.kinds {
        [] => "the input as a whole".to_string(),
        ["*"] => "every object".to_string(),
        kinds => kinds
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

pub fn rule_page(meta: &RuleMeta) -> String {
    format!(
        "<!-- Generated from src/rules by `PAKE_LINT_UPDATE_DOCS=1 cargo test --test docs`; edit the rule's doc comments instead. -->\n\
         # {id}\n\n{summary}.\n\n\
         | | |\n|---|---|\n| Category | {category} |\n| Default severity | {severity} |\n| Enabled by default | {enabled} |\n| Applies to | {kinds} |\n\n\
         {docs}\n",
        id = meta.id,
        summary = capitalize(meta.summary),
        category = meta.category.as_str(),
        severity = meta.severity,
        enabled = if meta.default_enabled {
            "yes"
        } else {
            "no (opt-in: `--select` it)"
        },
        kinds = kinds_text(meta),
        docs = docs_markdown(meta).trim_end(),
    )
}

pub fn index_page(metas: &[&RuleMeta]) -> String {
    let mut s = String::from(
        "<!-- Generated from src/rules by `PAKE_LINT_UPDATE_DOCS=1 cargo test --test docs`. -->\n# Rules\n\n\
         Every rule pake-lint knows, by category. `pake-lint rules` prints the same list and \
         `pake-lint explain RULE` a rule's page.\n",
    );
    for category in crate::diagnostic::Category::ALL {
        let in_category: Vec<_> = metas.iter().filter(|m| m.category == category).collect();
        if in_category.is_empty() {
            continue;
        }
        s.push_str(&format!(
            "\n## {}\n\n| Rule | Severity | Default | Summary |\n|---|---|---|---|\n",
            category.as_str()
        ));
        for m in in_category {
            s.push_str(&format!(
                "| [{id}]({id}.md) | {sev} | {on} | {summary} |\n",
                id = m.id,
                sev = m.severity,
                on = if m.default_enabled { "on" } else { "off" },
                summary = m.summary
            ));
        }
    }
    s
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}
