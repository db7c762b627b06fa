//! The integration tests, as one test binary (one link, one process), with a
//! module per area. Specs that several tests compile or render are compiled
//! and rendered once per run: see `common::compiled` and `common::rendered`.
//! Fixtures are in `tests/fixtures/`, snapshots in `tests/it/snapshots/`.

mod common;
mod e2e;

mod alerting;
mod architecture;
mod cli;
mod codes;
mod conform;
mod dashboards;
mod deploy;
mod discover;
mod end_to_end;
mod generated_tree;
mod go_oracle;
mod go_regex;
mod go_templates;
mod guide_verbatim;
mod hardware;
mod hostile;
mod invalid_specs;
mod lint_codes;
mod logs;
mod mutants;
mod official_parsers;
mod output_dir;
mod pre_commit;
mod readme;
mod real_tools;
mod rule_tests;
mod runbooks;
mod sloth;
mod tools_refuse;
mod utf8_names;
