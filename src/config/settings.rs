//! Resolved settings: the configuration file merged with the command line. Rules are built with
//! their parameters, severities decided, globs and dates checked, the baseline read. Every
//! failure happens here, before any manifest is read, and names the offending key's position.
//!
//! Precedence: `--select` replaces the file's `select`, which replaces the profile's rules;
//! `rules.<id>.enabled` switches a rule on or off after that (unless `--select` was given);
//! `ignore` (file and `--ignore` together) removes rules last. Severity: `rules.<id>.severity`,
//! else the profile's, else the rule's default. Parameters: the profile's, with the file's
//! `rules.<id>.params` merged over them key by key.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobMatcher};
use rustc_hash::FxHashMap;

use crate::config::baseline::Baseline;
use crate::config::date::Date;
use crate::config::options::External;
use crate::config::profiles::{self, Profile};
use crate::config::{ConfigError, LoadedConfig, Seg, did_you_mean};
use crate::diagnostic::{Category, Severity};
use crate::engine::{Options, RuleSet, RunError};
use crate::rules::{self, RuleEntry, RuleMeta};

/// A compiled `ignores` entry.
#[derive(Debug)]
pub struct ConfigIgnore {
    /// Position in `ignores`, for messages.
    pub index: usize,
    pub rules: Vec<String>,
    pub kind: Option<String>,
    pub namespace: Option<GlobMatcher>,
    pub name: Option<GlobMatcher>,
    pub path: Option<GlobMatcher>,
    pub reason: String,
    pub expires: Option<Date>,
}

/// Everything a run needs beyond the command line's plain values.
pub struct Settings {
    pub profile: &'static Profile,
    pub rules: RuleSet,
    /// What to lint (the command line's paths, else the file's, resolved against its folder).
    pub paths: Vec<String>,
    pub exclude: Vec<String>,
    pub ignores: Vec<ConfigIgnore>,
    pub external: Arc<External>,
    pub kubernetes_version: Option<String>,
    /// The alert coverage model's signals: the defaults with the configuration's additions.
    pub alert_signals: Arc<Vec<crate::model::signals::Signal>>,
    pub config: Option<Arc<LoadedConfig>>,
    pub baseline: Option<(PathBuf, Baseline)>,
    pub today: Date,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("profile", &self.profile.name)
            .field(
                "rules",
                &self
                    .rules
                    .rules
                    .iter()
                    .map(|(m, _)| m.id)
                    .collect::<Vec<_>>(),
            )
            .field("paths", &self.paths)
            .finish_non_exhaustive()
    }
}

fn matches(meta: &RuleMeta, names: &[String]) -> bool {
    names
        .iter()
        .any(|n| n == "all" || n == meta.id || n == meta.category.as_str())
}

fn is_known(registry: &[RuleEntry], name: &str) -> bool {
    name == "all" || Category::parse(name).is_some() || registry.iter().any(|e| e.meta.id == name)
}

fn names_and_categories(registry: &[RuleEntry]) -> impl Iterator<Item = &'static str> + '_ {
    registry
        .iter()
        .map(|e| e.meta.id)
        .chain(Category::ALL.iter().map(|c| c.as_str()))
}

/// Checks command-line rule names (no position to give).
fn check_cli_names(registry: &[RuleEntry], names: &[String]) -> Result<(), RunError> {
    for name in names {
        if !is_known(registry, name) {
            return Err(RunError::UnknownRule {
                name: name.clone(),
                suggestion: did_you_mean(name, names_and_categories(registry)),
            });
        }
    }
    Ok(())
}

/// Checks a list of rule names in the file at `key`.
fn check_file_names(
    registry: &[RuleEntry],
    config: &LoadedConfig,
    key: &str,
    names: &[String],
) -> Result<(), ConfigError> {
    for (i, name) in names.iter().enumerate() {
        if !is_known(registry, name) {
            return Err(config.error_at(
                &[Seg::Key(key.into()), Seg::Index(i)],
                false,
                format!("unknown rule or category `{name}`"),
                did_you_mean(name, names_and_categories(registry)),
            ));
        }
    }
    Ok(())
}

/// Merges `over` into `base` key by key (objects only; anything else replaces).
fn merge_params(base: serde_json::Value, over: &serde_json::Value) -> serde_json::Value {
    match (base, over) {
        (serde_json::Value::Object(mut b), serde_json::Value::Object(o)) => {
            for (k, v) in o {
                b.insert(k.clone(), v.clone());
            }
            serde_json::Value::Object(b)
        }
        (_, over) => over.clone(),
    }
}

fn compile_glob(
    config: &LoadedConfig,
    path: &[Seg],
    pattern: &str,
) -> Result<GlobMatcher, ConfigError> {
    Glob::new(pattern)
        .map(|g| g.compile_matcher())
        .map_err(|e| {
            config.error_at(
                path,
                false,
                format!("invalid glob `{pattern}`: {}", e.kind()),
                None,
            )
        })
}

/// `dir/path`, written relative to the working directory when `dir` is an ancestor of it.
fn resolve_path(dir: &Path, path: &str) -> String {
    if Path::new(path).is_absolute() || dir.as_os_str().is_empty() {
        return path.to_string();
    }
    let cwd = std::env::current_dir()
        .ok()
        .map(|c| std::fs::canonicalize(&c).unwrap_or(c));
    let dir_abs = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    if let Some(cwd) = cwd {
        if cwd == dir_abs {
            return path.to_string();
        }
        if let Ok(rest) = cwd.strip_prefix(&dir_abs) {
            let ups = rest.components().count();
            let mut p = PathBuf::new();
            for _ in 0..ups {
                p.push("..");
            }
            return p.join(path).to_string_lossy().into_owned();
        }
    }
    dir.join(path).to_string_lossy().into_owned()
}

impl Settings {
    /// Merges the command line (`options`) with its configuration file, checking everything.
    pub fn resolve(options: &Options) -> Result<Settings, RunError> {
        let registry = rules::registry();
        let config = options.config.clone();
        let file = config.as_ref().map(|c| &c.options);

        check_cli_names(&registry, &options.select)?;
        check_cli_names(&registry, &options.ignore)?;

        // The profile: the command line's, else the file's, else the default.
        let profile = match (&options.profile, file.and_then(|f| f.profile.as_ref())) {
            (Some(name), _) => profiles::find(name).ok_or_else(|| ConfigError::Usage {
                message: format!("unknown profile `{name}`; profiles: {}", profile_names()),
                suggestion: did_you_mean(name, profiles::PROFILES.iter().map(|p| p.name)),
            })?,
            (None, Some(name)) => profiles::find(name).ok_or_else(|| {
                let c = config.as_ref().expect("a file gave it");
                c.error_at(
                    &[Seg::Key("profile".into())],
                    false,
                    format!("unknown profile `{name}`; profiles: {}", profile_names()),
                    did_you_mean(name, profiles::PROFILES.iter().map(|p| p.name)),
                )
            })?,
            (None, None) => profiles::default_profile(),
        };

        let mut file_select: Option<&[String]> = None;
        let mut ignore: Vec<String> = options.ignore.clone();
        let mut ignores = Vec::new();
        let mut exclude = Vec::new();
        let mut paths = options.paths.clone();
        if let (Some(c), Some(f)) = (&config, file) {
            if let Some(select) = &f.select {
                check_file_names(&registry, c, "select", select)?;
                file_select = Some(select);
            }
            check_file_names(&registry, c, "ignore", &f.ignore)?;
            ignore.extend(f.ignore.iter().cloned());
            for id in f.rules.keys() {
                if !registry.iter().any(|e| e.meta.id == id) {
                    return Err(c
                        .error_at(
                            &[Seg::Key("rules".into()), Seg::Key(id.clone())],
                            true,
                            format!("unknown rule `{id}`"),
                            did_you_mean(id, registry.iter().map(|e| e.meta.id)),
                        )
                        .into());
                }
            }
            for (i, pattern) in f.exclude.iter().enumerate() {
                crate::load::discover::compile_excludes(std::slice::from_ref(pattern)).map_err(
                    |e| {
                        c.error_at(
                            &[Seg::Key("exclude".into()), Seg::Index(i)],
                            false,
                            e.to_string(),
                            None,
                        )
                    },
                )?;
                exclude.push(pattern.clone());
            }
            if paths.is_empty() {
                paths = f.paths.iter().map(|p| resolve_path(c.dir(), p)).collect();
            }
            if let Some(v) = &f.kubernetes_version {
                let ok = v
                    .strip_prefix('v')
                    .unwrap_or(v)
                    .split('.')
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                    && v.contains('.');
                if !ok {
                    return Err(c
                        .error_at(
                            &[Seg::Key("kubernetes_version".into())],
                            false,
                            format!("`{v}` is not a Kubernetes version such as \"1.30\""),
                            None,
                        )
                        .into());
                }
            }
            ignores = compile_ignores(&registry, c)?;
        }
        exclude.extend(options.exclude.iter().cloned());

        // Which rules run, with which parameters and severity.
        let rule_options = file.map(|f| &f.rules);
        let mut set = Vec::new();
        let mut severity = FxHashMap::default();
        for entry in registry {
            let meta = entry.meta;
            let own = rule_options.and_then(|r| r.get(meta.id));
            let mut enabled = if !options.select.is_empty() {
                matches(meta, &options.select) || meta.category == Category::Input
            } else if let Some(select) = file_select {
                matches(meta, select) || meta.category == Category::Input
            } else {
                profile.enables(meta) || meta.category == Category::Input
            };
            if options.select.is_empty()
                && let Some(on) = own.and_then(|o| o.enabled)
            {
                enabled = on;
            }
            if matches(meta, &ignore) {
                enabled = false;
            }
            // Parameters given in the file are checked even for a rule that does not run, so a
            // mistake does not wait for the day the rule is turned on.
            let has_params = own.is_some_and(|o| o.params.is_some());
            if !enabled && !has_params {
                continue;
            }
            let from_profile = profile.rule(meta.id);
            let mut params: Option<serde_json::Value> = from_profile
                .and_then(|r| r.params)
                .map(|p| serde_json::from_str(p).expect("profile parameters are valid JSON"));
            if let Some(over) = own.and_then(|o| o.params.as_ref()) {
                params = Some(match params {
                    Some(base) => merge_params(base, over),
                    None => over.clone(),
                });
            }
            let rule = (entry.build)(params.as_ref()).map_err(|e| {
                match (&config, own.and_then(|o| o.params.as_ref())) {
                    (Some(c), Some(_)) => {
                        let mut path = vec![
                            Seg::Key("rules".into()),
                            Seg::Key(meta.id.into()),
                            Seg::Key("params".into()),
                        ];
                        path.extend(e.path.iter().cloned());
                        let arena = crate::load::Bump::new();
                        let stream =
                            crate::load::yaml::parse_stream(&c.text, &arena, Default::default());
                        let root = stream.documents.into_iter().find_map(|d| d.root);
                        match root {
                            Some(root) => RunError::Config(crate::config::serde_error(
                                c, &root, path, &e.message,
                            )),
                            None => RunError::Params(e),
                        }
                    }
                    _ => RunError::Params(e),
                }
            })?;
            if !enabled {
                continue;
            }
            let sev = own
                .and_then(|o| o.severity)
                .or(from_profile.and_then(|r| r.severity))
                .unwrap_or(meta.severity);
            severity.insert(meta.id, sev);
            set.push((meta, rule));
        }

        let baseline = match &options.baseline {
            Some(path) => Some((path.clone(), Baseline::read(path)?)),
            None => None,
        };

        Ok(Settings {
            profile,
            rules: RuleSet {
                rules: set,
                severity,
            },
            paths,
            exclude,
            ignores,
            external: Arc::new(file.map(|f| f.external.clone()).unwrap_or_default()),
            kubernetes_version: file.and_then(|f| f.kubernetes_version.clone()),
            alert_signals: Arc::new(crate::model::signals::with_additions(
                file.map(|f| f.alert_signals.as_slice()).unwrap_or_default(),
            )),
            config,
            baseline,
            today: options.today.unwrap_or_else(Date::today),
        })
    }

    /// The severity findings of `rule` get in this run.
    pub fn severity(&self, rule: &str) -> Option<Severity> {
        self.rules.severity.get(rule).copied()
    }
}

fn profile_names() -> String {
    profiles::PROFILES
        .iter()
        .map(|p| format!("`{}`", p.name))
        .collect::<Vec<_>>()
        .join(", ")
}

fn compile_ignores(
    registry: &[RuleEntry],
    c: &LoadedConfig,
) -> Result<Vec<ConfigIgnore>, ConfigError> {
    let mut out = Vec::new();
    for (i, entry) in c.options.ignores.iter().enumerate() {
        let at = |key: &str| {
            vec![
                Seg::Key("ignores".into()),
                Seg::Index(i),
                Seg::Key(key.into()),
            ]
        };
        let rules: Vec<String> = entry.rule.as_ref().map(|r| r.0.clone()).unwrap_or_default();
        for (j, id) in rules.iter().enumerate() {
            if !registry.iter().any(|e| e.meta.id == id) {
                let mut path = at("rule");
                if entry.rule.as_ref().is_some_and(|r| r.0.len() > 1) {
                    path.push(Seg::Index(j));
                }
                return Err(c.error_at(
                    &path,
                    false,
                    format!("unknown rule `{id}`"),
                    did_you_mean(id, registry.iter().map(|e| e.meta.id)),
                ));
            }
        }
        if entry.rule.is_none()
            && entry.kind.is_none()
            && entry.namespace.is_none()
            && entry.name.is_none()
            && entry.path.is_none()
        {
            return Err(c.error_at(
                &[Seg::Key("ignores".into()), Seg::Index(i)],
                false,
                "an ignore entry needs at least one of `rule`, `kind`, `namespace`, `name`, `path`",
                None,
            ));
        }
        if entry.reason.trim().is_empty() {
            return Err(c.error_at(&at("reason"), false, "the reason is empty", None));
        }
        let glob = |key: &str, v: &Option<String>| -> Result<Option<GlobMatcher>, ConfigError> {
            v.as_deref()
                .map(|p| compile_glob(c, &at(key), p))
                .transpose()
        };
        let expires = match &entry.expires {
            None => None,
            Some(s) => Some(Date::parse(s).ok_or_else(|| {
                c.error_at(
                    &at("expires"),
                    false,
                    format!("`{s}` is not a date: write `YYYY-MM-DD`"),
                    None,
                )
            })?),
        };
        out.push(ConfigIgnore {
            index: i,
            rules,
            kind: entry.kind.clone(),
            namespace: glob("namespace", &entry.namespace)?,
            name: glob("name", &entry.name)?,
            path: glob("path", &entry.path)?,
            reason: entry.reason.clone(),
            expires,
        });
    }
    Ok(out)
}
