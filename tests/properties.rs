//! Property tests for the model's exact arithmetic: quantities, label selectors, and the
//! conversion from byte spans to lines and columns.

use pake_lint::load::tree::Span;
use pake_lint::model::Labels;
use pake_lint::model::quantity::Quantity;
use pake_lint::model::selector::{LabelSelector, Operator, Requirement};
use pake_lint::report::lines::{LineIndex, Position};
use proptest::prelude::*;

fn q(s: &str) -> Quantity {
    Quantity::parse(s).unwrap_or_else(|e| panic!("{e}"))
}

proptest! {
    #[test]
    fn binary_suffixes_are_exact_multiples(n in 0i64..1_000_000) {
        prop_assert_eq!(q(&format!("{n}Mi")), q(&format!("{}Ki", n * 1024)));
        prop_assert_eq!(q(&format!("{n}Gi")), q(&format!("{}Mi", n * 1024)));
    }

    #[test]
    fn decimal_and_milli_notations_agree(whole in 0u32..10_000, milli in 0u32..1000) {
        prop_assert_eq!(q(&format!("{whole}.{milli:03}")), q(&format!("{}m", whole as u64 * 1000 + milli as u64)));
        prop_assert_eq!(q(&format!("{whole}e3")), q(&format!("{whole}k")));
    }

    #[test]
    fn order_follows_the_numbers(a in 0u32..100_000, b in 0u32..100_000) {
        let (qa, qb) = (q(&format!("{a}m")), q(&format!("{b}m")));
        prop_assert_eq!(qa.cmp(&qb), a.cmp(&b));
        prop_assert_eq!(q(&format!("{a}M")) < q(&format!("{a}Mi")), a > 0);
    }

    #[test]
    fn display_round_trips(n in 0i64..1_000_000, suffix in prop::sample::select(vec!["", "m", "Ki", "Mi", "Gi", "k", "M"])) {
        let value = q(&format!("{n}{suffix}"));
        prop_assert_eq!(q(&value.to_string()), value);
    }

    #[test]
    fn garbage_never_panics(s in "\\PC{0,12}") {
        let _ = Quantity::parse(&s);
    }
}

fn labels_strategy() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec(("[a-c]", "[t-z]{1,2}"), 0..4)
}

fn requirement_strategy() -> impl Strategy<Value = Requirement> {
    (
        "[a-c]",
        prop::sample::select(vec![
            Operator::In,
            Operator::NotIn,
            Operator::Exists,
            Operator::DoesNotExist,
        ]),
        // Up to 40 values: lists of more than 16 are searched in sorted order.
        prop::collection::vec("[t-z]{1,2}", 1..40),
    )
        .prop_map(|(key, operator, values)| Requirement::new(key, operator, values))
}

proptest! {
    #[test]
    fn selectors_match_like_the_definition(pairs in labels_strategy(), reqs in prop::collection::vec(requirement_strategy(), 0..4)) {
        let labels = Labels::from_pairs(pairs);
        let selector = LabelSelector { requirements: reqs.clone(), span: Span::default() };
        // The definition, written out independently: every requirement holds.
        let expected = reqs.iter().all(|r| {
            let v = labels.get(&r.key);
            match r.operator {
                Operator::In => v.is_some_and(|v| r.values.iter().any(|x| x == v)),
                Operator::NotIn => !v.is_some_and(|v| r.values.iter().any(|x| x == v)),
                Operator::Exists => v.is_some(),
                Operator::DoesNotExist => v.is_none(),
            }
        });
        prop_assert_eq!(selector.matches(&labels), expected);
    }

    #[test]
    fn in_and_not_in_are_complements(pairs in labels_strategy(), key in "[a-c]", values in prop::collection::vec("[x-z]", 1..3)) {
        let labels = Labels::from_pairs(pairs);
        let make = |operator| LabelSelector { requirements: vec![Requirement::new(key.clone(), operator, values.clone())], span: Span::default() };
        prop_assert_ne!(make(Operator::In).matches(&labels), make(Operator::NotIn).matches(&labels));
        prop_assert_ne!(make(Operator::Exists).matches(&labels), make(Operator::DoesNotExist).matches(&labels));
    }
}

proptest! {
    #[test]
    fn positions_match_a_naive_count(text in "[a-zé€\\n\\r ]{0,200}", cut in 0usize..200) {
        let index = LineIndex::new(&text);
        // Only offsets on character boundaries are ever positioned.
        let offset = (0..=cut.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap();
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
        prop_assert_eq!(index.position(&text, offset as u32), Position { line, column });
    }
}
