//! Problems with the input itself, reported by the loader: each is declared as a rule so it
//! has an id, a severity, documentation, and can be configured like any other.

mod file_binary;
mod file_not_utf8;
mod file_too_large;
mod file_unreadable;
mod invalid_object;
mod suppression_expired;
mod suppression_malformed;
mod suppression_unknown_rule;
mod suppression_unused;
mod yaml_alias_bomb;
mod yaml_duplicate_key;
mod yaml_syntax;
mod yaml_too_deep;

use crate::rules::{RuleEntry, rule};

pub fn entries() -> Vec<RuleEntry> {
    vec![
        rule::<yaml_syntax::YamlSyntax>(),
        rule::<yaml_duplicate_key::YamlDuplicateKey>(),
        rule::<yaml_alias_bomb::YamlAliasBomb>(),
        rule::<yaml_too_deep::YamlTooDeep>(),
        rule::<invalid_object::InvalidObject>(),
        rule::<file_unreadable::FileUnreadable>(),
        rule::<file_binary::FileBinary>(),
        rule::<file_not_utf8::FileNotUtf8>(),
        rule::<file_too_large::FileTooLarge>(),
        rule::<suppression_expired::SuppressionExpired>(),
        rule::<suppression_malformed::SuppressionMalformed>(),
        rule::<suppression_unknown_rule::SuppressionUnknownRule>(),
        rule::<suppression_unused::SuppressionUnused>(),
    ]
}
