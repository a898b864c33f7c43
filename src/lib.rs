//! pake-lint: a linter and validator for rendered Kubernetes manifests.
//!
//! The pipeline has four phases, each handing plain data to the next:
//! [`load`] (files to span-keeping trees) -> [`model`] (objects and one [`model::Index`]) ->
//! [`rules`] (run in parallel by the [`engine`]) -> [`report`] (one printer per format).

pub mod checklist;
pub mod config;
pub mod diagnostic;
pub mod docs;
pub mod engine;
pub mod load;
pub mod model;
pub mod progress;
pub mod report;
pub mod rules;
