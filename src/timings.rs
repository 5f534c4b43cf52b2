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

/// Prints that `stage` ended, with the time since the clock started and, where the system says
/// (Linux), the resident memory then and at its peak so far.
pub fn done(stage: &str) {
    if enabled() {
        let start = START.get_or_init(Instant::now);
        eprintln!(
            "timing: {stage} done at {} ms{}",
            start.elapsed().as_millis(),
            memory()
        );
    }
}

/// `, RSS <now> MiB (peak <peak> MiB)` from /proc/self/status, or nothing.
fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map(|kb| kb / 1024)
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(now), Some(peak)) => format!(", RSS {now} MiB (peak {peak} MiB)"),
        _ => String::new(),
    }
}
