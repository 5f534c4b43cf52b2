//! `hub serve`: build into memory, serve over HTTP, watch the sources, rebuild what changed and
//! tell the browser to reload. It wraps the build pipeline; it does not fork it.

pub mod incremental;
