//! Command-line behaviour.
