//! Writing a command's output: standard output (a closed pipe is not an error) or a file.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::error::Error;

use super::args::ReportArgs;

/// Writes `text` to standard output; a closed pipe (`| head`) is not an error.
pub(super) fn write_stdout(text: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`| head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(source) => Err(Error::Io {
            action: "write",
            path: PathBuf::from("<stdout>"),
            source,
        }),
    }
}

/// Writes `text` to the file at `path`.
pub(super) fn write_file(path: &Path, text: &str) -> Result<(), Error> {
    std::fs::write(path, text).map_err(|source| Error::Io {
        action: "write",
        path: path.to_path_buf(),
        source,
    })
}

/// Refuses, before anything is simulated, an output path that could not be
/// written after: a `--json` file in a folder that does not exist (or that is
/// itself a folder), and a `--report` folder that could not be created, is
/// the current folder (or `..`), or would be refused as not a flowcast report.
pub(super) fn check_outputs(json: Option<&str>, report: &ReportArgs) -> Result<(), Error> {
    if let Some(target) = json.filter(|t| *t != "-") {
        check_json_target(Path::new(target))?;
    }
    if let Some(dir) = &report.report {
        check_report_target(dir)?;
    }
    report.check_before_running()
}

fn usage(m: String) -> Error {
    Error::Usage(m)
}

fn check_json_target(path: &Path) -> Result<(), Error> {
    let shown = path.display();
    if path.is_dir() {
        return Err(usage(format!(
            "--json {shown} is a folder; give a file name, e.g. --json {}",
            path.join("results.json").display()
        )));
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if parent.is_file() {
        return Err(usage(format!(
            "--json {shown}: {} is a file, not a folder; nothing was run",
            parent.display()
        )));
    }
    if !parent.is_dir() {
        return Err(usage(format!(
            "--json {shown}: the folder {} does not exist; create it first or choose another path \
             (nothing was run)",
            parent.display()
        )));
    }
    Ok(())
}

fn check_report_target(dir: &Path) -> Result<(), Error> {
    let shown = dir.display();
    let special = dir.file_name().is_none()
        || dir
            .components()
            .next_back()
            .is_some_and(|c| matches!(c, Component::CurDir | Component::ParentDir));
    if special {
        return Err(usage(format!(
            "--report {shown} is not a folder of its own (a report replaces the whole folder); \
             name a new one, e.g. --report report; nothing was run"
        )));
    }
    // The nearest part of the path that exists must be a folder we can create it in.
    if let Some(existing) = dir
        .ancestors()
        .skip(1)
        .find(|a| !a.as_os_str().is_empty() && a.exists())
        && !existing.is_dir()
    {
        return Err(usage(format!(
            "--report {shown} cannot be created: {} is a file, not a folder; nothing was run",
            existing.display()
        )));
    }
    Ok(())
}
