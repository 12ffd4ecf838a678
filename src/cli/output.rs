//! Writing a command's output: standard output (a closed pipe is not an error) or a file.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Error;

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
