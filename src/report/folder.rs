//! Writing a report folder safely: the only place that writes report files.
//!
//! The folder is written complete into a hidden sibling folder, then renamed into
//! place, so an interrupted run leaves the old report (or nothing) and never a
//! half-written one. A non-empty folder that is not a flowcast report is never
//! replaced unless the user asks with `--force`.

use std::path::{Path, PathBuf};

use crate::error::Error;

/// The file that marks a folder as a flowcast report.
pub const MARKER: &str = ".flowcast-report";

fn io<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> Error + 'a {
    move |source| Error::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// Whether `dir` may be replaced without `--force`: it does not exist, is empty, or
/// is a flowcast report.
pub fn replaceable(dir: &Path) -> Result<bool, Error> {
    if !dir.exists() {
        return Ok(true);
    }
    if !dir.is_dir() {
        return Ok(false);
    }
    if dir.join(MARKER).is_file() {
        return Ok(true);
    }
    let mut entries = std::fs::read_dir(dir).map_err(io("read", dir))?;
    Ok(entries.next().is_none())
}

/// Writes `files` (name, contents) as the folder `dir`, replacing an earlier report.
pub fn write(dir: &Path, files: &[(String, Vec<u8>)], force: bool) -> Result<(), Error> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::Usage(format!(
            "{} is a file, not a folder; choose a folder name for --report",
            dir.display()
        )));
    }
    if !force && !replaceable(dir)? {
        return Err(Error::Usage(format!(
            "{} is not empty and is not a flowcast report; nothing was written. \
             Choose another folder, or pass --force to replace it",
            dir.display()
        )));
    }
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Error::Usage(format!("{} cannot be a report folder", dir.display())))?;
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io("create", &parent))?;
    let pid = std::process::id();
    let tmp = parent.join(format!(".{name}.writing-{pid}"));
    let old = parent.join(format!(".{name}.old-{pid}"));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(io("remove", &tmp))?;
    }
    std::fs::create_dir(&tmp).map_err(io("create", &tmp))?;
    let written = (|| -> Result<(), Error> {
        for (file, bytes) in files {
            let path = tmp.join(file);
            std::fs::write(&path, bytes).map_err(io("write", &path))?;
        }
        let marker = tmp.join(MARKER);
        std::fs::write(
            &marker,
            "This folder is a flowcast report; `flowcast run --report` may replace it.\n",
        )
        .map_err(io("write", &marker))
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    if dir.exists() {
        std::fs::rename(dir, &old).map_err(io("move aside", dir))?;
        if let Err(source) = std::fs::rename(&tmp, dir) {
            // Put the old report back rather than leave nothing.
            let _ = std::fs::rename(&old, dir);
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(Error::Io {
                action: "move into place",
                path: dir.to_path_buf(),
                source,
            });
        }
        std::fs::remove_dir_all(&old).map_err(io("remove", &old))?;
    } else {
        std::fs::rename(&tmp, dir).map_err(io("move into place", dir))?;
    }
    Ok(())
}
