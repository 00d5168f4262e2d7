//! Progress of long steps, for people watching a terminal. The library only reports; what is
//! shown (an indicatif bar on standard error, after a second, only on a terminal) is the
//! command line's choice, installed with [`set_reporter`]. Without one, reporting costs a
//! relaxed atomic load.

use std::sync::OnceLock;

/// Shows the progress of steps.
pub trait Reporter: Send + Sync {
    /// A step of `total` units of work (0: unknown) has started.
    fn start(&self, what: &str, total: u64) -> Box<dyn Step>;
}

/// One step under way.
pub trait Step {
    /// `done` units of work are done.
    fn set(&mut self, done: u64);
}

static REPORTER: OnceLock<Box<dyn Reporter>> = OnceLock::new();

/// Installs the reporter (once per process; later calls are ignored).
pub fn set_reporter(r: Box<dyn Reporter>) {
    let _ = REPORTER.set(r);
}

struct Silent;

impl Step for Silent {
    fn set(&mut self, _: u64) {}
}

/// Starts reporting a step.
pub fn start(what: &str, total: u64) -> Box<dyn Step> {
    match REPORTER.get() {
        Some(r) => r.start(what, total),
        None => Box::new(Silent),
    }
}
