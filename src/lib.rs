//! hub: a static site generator for a bilingual peer-review knowledge hub of primary-care case
//! studies. The pipeline reads top to bottom (see [`pipeline`]):
//!
//! load (`sources`, `content`) → validate and model (`site` → `model::Site`) → render (`render`)
//! → write (`output`). `hub serve` wraps the same pipeline; it does not fork it.
#![warn(missing_docs)]

pub mod characters;
pub mod citations;
pub mod clusters;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod elsewhere;
pub mod lang;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod repository;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod sources;
pub mod theme;
pub mod timings;
pub mod urls;
pub mod vocab;
pub mod yaml;

pub use pipeline::{
    BuildOptions, Failure, Loaded, RequireWelsh, assemble, build, check, fail, load, render_site,
    require_welsh, welsh_summary,
};
pub use sources::Sources;
