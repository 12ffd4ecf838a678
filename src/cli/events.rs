//! `flowcast run --events FILE.csv`: the event log of run 1 of the baseline,
//! written next to the normal output (never over an existing file without `--force`).

use std::fs::OpenOptions;
use std::path::Path;

use crate::error::Error;
use crate::model::Model;
use crate::report;

/// Refuses, before anything is simulated, an `--events` path that could not be
/// written after: a folder, a file in a folder that does not exist, or an
/// existing file without `--force`.
pub(super) fn check_target(path: Option<&Path>, force: bool) -> Result<(), Error> {
    let Some(path) = path else {
        return Ok(());
    };
    let shown = path.display();
    if path.is_dir() {
        return Err(Error::Usage(format!(
            "--events {shown} is a folder; give a file name, e.g. --events {}",
            path.join("events.csv").display()
        )));
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !parent.is_dir() {
        return Err(Error::Usage(format!(
            "--events {shown}: the folder {} does not exist; create it first or choose another \
             path (nothing was run)",
            parent.display()
        )));
    }
    if path.exists() && !force {
        return Err(Error::Usage(format!(
            "--events {shown} already exists; nothing was run or written. Choose another file, \
             or pass --force to replace it"
        )));
    }
    Ok(())
}

/// Writes the event log of run 1 of `model` with `seed` to `path`; an existing
/// file is replaced only with `force`.
pub(super) fn write(
    model: &Model,
    seed: u64,
    path: &Path,
    force: bool,
    quiet: bool,
) -> Result<(), Error> {
    let mut open = OpenOptions::new();
    open.write(true);
    if force {
        open.create(true).truncate(true);
    } else {
        open.create_new(true);
    }
    let file = open.open(path).map_err(|source| Error::Io {
        action: "write",
        path: path.to_path_buf(),
        source,
    })?;
    report::events::write_csv(model, seed, std::io::BufWriter::new(file), path)?;
    if !quiet {
        eprintln!("Event log of run 1 written to {}", path.display());
    }
    Ok(())
}
