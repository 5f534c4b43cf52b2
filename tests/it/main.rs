//! Every integration test in one binary (as ripgrep does): the harness and hub's dependencies are
//! compiled and linked once, not once per test file.

mod harness;

mod build;
mod clusters;
mod deploy;
mod diagnostics;
mod faithful;
mod fuzz_corpus;
mod hardening;
mod incremental;
mod insights;
mod new;
mod search;
mod security;
mod serve;
mod welsh;
