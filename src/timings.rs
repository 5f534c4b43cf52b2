//! Stage timings of a build, printed to stderr when `HUB_TIMINGS` is set: what the performance
//! work measures stages with, without a profiler.

use std::sync::OnceLock;
use std::time::Instant;

/// The moment the first stage was timed; times are printed from it.
static START: OnceLock<Instant> = OnceLock::new();

/// Whether `HUB_TIMINGS` is set.
fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("HUB_TIMINGS").is_some())
}

/// Starts the clock (the first call wins).
pub fn start() {
    if enabled() {
        START.get_or_init(Instant::now);
    }
}

/// Prints that `stage` ended, with the time since the clock started.
pub fn done(stage: &str) {
    if enabled() {
        let start = START.get_or_init(Instant::now);
        eprintln!("timing: {stage} done at {} ms", start.elapsed().as_millis());
    }
}
