//! `flowcast new`: write a commented starter scenario, never over an existing file.

use std::io::Write;
use std::path::Path;

use crate::error::Error;
use crate::scenario::TEMPLATE;

/// Runs `flowcast new`.
pub fn run(name: &str) -> Result<u8, Error> {
    let file = if name.ends_with(".yaml") || name.ends_with(".yml") {
        name.to_string()
    } else {
        format!("{name}.yaml")
    };
    let path = Path::new(&file);
    let stem = path
        .file_stem()
        .map_or("scenario".into(), |s| s.to_string_lossy().into_owned());
    let text = TEMPLATE.replacen("name: My value stream", &format!("name: {stem}"), 1);
    let mut f = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Error::Usage(format!(
                "{file} already exists; flowcast never overwrites a scenario. Choose another name: `flowcast new NAME`"
            )));
        }
        Err(source) => {
            return Err(Error::Io {
                action: "create",
                path: path.to_path_buf(),
                source,
            });
        }
    };
    f.write_all(text.as_bytes()).map_err(|source| Error::Io {
        action: "write",
        path: path.to_path_buf(),
        source,
    })?;
    println!("Wrote {file}. Next: `flowcast check {file}`, then `flowcast run {file}`.");
    Ok(0)
}
