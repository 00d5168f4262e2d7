//! Transient measures by uniformisation (placeholder filled in below).
