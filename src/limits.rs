//! Bounds on the work a model may ask for, shared by every stage that applies them (validation
//! refuses what solving could not do), so that a hostile or mistaken model ends in a located
//! error rather than a hang or an exhausted memory.

/// Limits that a user may raise on the command line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Largest Markov chain built, in states (`--max-states`).
    pub max_states: u64,
    /// Largest model file read, in bytes (`--max-input-mb`).
    pub max_input_bytes: u64,
    /// Most nodes of one decision diagram (`--max-bdd-nodes`).
    pub max_bdd_nodes: usize,
    /// Most minimal cut sets listed (`--max-cut-sets`).
    pub max_cut_sets: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_states: 2_000_000,
            // A 100,000-component model is about 6 MB; reading takes about ten times the
            // file's size in memory.
            max_input_bytes: 64 << 20,
            max_bdd_nodes: DEFAULT_MAX_BDD_NODES,
            max_cut_sets: 2_000_000,
        }
    }
}

/// Most time points of `--at` (each costs a pass over the structure).
pub const MAX_TIME_POINTS: usize = 1000;

/// Most nodes of one decision diagram (a network's, or the shared instances'), by default
/// (`--max-bdd-nodes`): about 100 bytes each with their tables.
pub const DEFAULT_MAX_BDD_NODES: usize = 4_000_000;
