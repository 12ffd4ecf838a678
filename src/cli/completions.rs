//! `flowcast completions`: print a shell completion script.

use crate::error::Error;

use super::output::write_stdout;

/// Runs `flowcast completions` for `command` (the whole command line's definition).
pub fn run(shell: clap_complete::Shell, command: &mut clap::Command) -> Result<u8, Error> {
    let mut out = Vec::new();
    clap_complete::generate(shell, command, "flowcast", &mut out);
    write_stdout(&String::from_utf8_lossy(&out))?;
    Ok(0)
}
