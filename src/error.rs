//! Errors with the file, line and column they are about, and how to fix them.

use std::fmt;
use std::path::PathBuf;

/// A place in a scenario file (1-based line and column; 0 when unknown, e.g. for a
/// value given on the command line).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Loc {
    /// 1-based line, 0 when unknown.
    pub line: u64,
    /// 1-based column, 0 when unknown.
    pub column: u64,
}

impl Loc {
    /// A place that is not known.
    pub const UNKNOWN: Loc = Loc { line: 0, column: 0 };

    /// Builds a place from a YAML location.
    pub fn from_yaml(l: &serde_saphyr::Location) -> Loc {
        Loc {
            line: l.line(),
            column: l.column(),
        }
    }
}

/// What is wrong with a scenario, where, and how to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioError {
    /// The file (or `--what-if` text) the error is about.
    pub file: String,
    /// Where in the file.
    pub loc: Loc,
    /// What is wrong, in the user's words.
    pub message: String,
    /// How to fix it, when we can say.
    pub help: Option<String>,
    /// The offending source line, shown under the message.
    pub snippet: Option<String>,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.loc.line > 0 {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.loc.line, self.loc.column, self.message
            )?;
        } else {
            write!(f, "{}: {}", self.file, self.message)?;
        }
        if let Some(line) = &self.snippet {
            let num = self.loc.line.to_string();
            let pad = " ".repeat(num.len());
            write!(f, "\n {pad} |\n {num} | {line}")?;
            if self.loc.column > 0 {
                let caret_pad: String = line
                    .chars()
                    .take(self.loc.column as usize - 1)
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                write!(f, "\n {pad} | {caret_pad}^")?;
            }
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {}

/// Every way the library can fail.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The scenario (or a `--what-if`) is invalid; exit code 2.
    #[error("{0}")]
    Scenario(Box<ScenarioError>),
    /// A command-line value is invalid; exit code 2.
    #[error("{0}")]
    Usage(String),
    /// A file could not be read or written.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        /// What we tried to do ("read", "write").
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A history file (status changelog) has a malformed row; exit code 2.
    #[error("{}{}: {message}", file.display(), if *line > 0 { format!(":{line}") } else { String::new() })]
    Input {
        /// The file.
        file: PathBuf,
        /// 1-based line of the row, 0 when unknown (e.g. inside a JSON document).
        line: usize,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A run could not finish (e.g. the stream is overloaded far beyond capacity).
    #[error("{0}")]
    Simulation(String),
}

impl Error {
    /// The process exit code for this error: 2 for bad input, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Scenario(_) | Error::Usage(_) | Error::Input { .. } => 2,
            Error::Io { action, .. } if *action == "read" => 2,
            _ => 1,
        }
    }
}

impl From<ScenarioError> for Error {
    fn from(e: ScenarioError) -> Self {
        Error::Scenario(Box::new(e))
    }
}

/// The scenario text and its name, for building located errors.
#[derive(Debug, Clone)]
pub struct Source {
    /// Shown as the file in messages.
    pub name: String,
    /// The whole text.
    pub text: String,
}

impl Source {
    /// An error at `loc` with a fix-it hint.
    pub fn error(
        &self,
        loc: Loc,
        message: impl Into<String>,
        help: Option<String>,
    ) -> ScenarioError {
        let snippet = if loc.line > 0 {
            self.text
                .lines()
                .nth(loc.line as usize - 1)
                .map(|l| l.trim_end().to_string())
        } else {
            None
        };
        ScenarioError {
            file: self.name.clone(),
            loc,
            message: message.into(),
            help,
            snippet,
        }
    }
}

/// The closest of `candidates` to `word` (edit distance), if it is close enough to be
/// a likely typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = edit_distance(&word.to_lowercase(), &c.to_lowercase());
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.and_then(|(d, c)| {
        let limit = (word.chars().count().max(c.chars().count()) / 3).max(2);
        (d <= limit).then_some(c)
    })
}

/// Levenshtein distance between two words, in characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    // Proves typo suggestions pick the intended key and refuse far-off words.
    #[test]
    fn nearest_key() {
        let keys = ["name", "workers", "work", "wait", "rework", "handoff_batch"];
        assert_eq!(nearest("wokers", keys), Some("workers"));
        assert_eq!(nearest("handof_batch", keys), Some("handoff_batch"));
        assert_eq!(nearest("zzzzzzzz", keys), None);
    }

    // Proves the rendered error starts with FILE:LINE:COL and shows the line and a caret.
    #[test]
    fn renders_location_snippet_and_help() {
        let src = Source {
            name: "s.yaml".into(),
            text: "a: 1\n  wokers: 2\n".into(),
        };
        let e = src.error(
            Loc { line: 2, column: 3 },
            "unknown key `wokers`",
            Some("did you mean `workers`?".into()),
        );
        let s = e.to_string();
        assert!(s.starts_with("s.yaml:2:3: unknown key `wokers`"), "{s}");
        assert!(s.contains("2 |   wokers: 2"), "{s}");
        assert!(s.contains("  |   ^"), "{s}");
        assert!(s.ends_with("help: did you mean `workers`?"), "{s}");
    }
}
