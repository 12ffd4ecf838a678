//! serde-saphyr's errors in the user's words.
//!
//! The YAML reader speaks to programmers ("invalid u64", "use `Option<String>`",
//! "set DuplicateKeyPolicy in Options", "budget breached: Depth { depth: 65 }").
//! [`describe`] is the one place its errors become what a scenario author
//! reads: what is wrong, said with the key it is about, and how to fix it. The
//! key is read from the file, just before the place the reader points at.

use serde_saphyr::Error as YamlError;
use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::{MessageFormatter, UserMessageFormatter};

use crate::error::{Loc, nearest};

/// What is wrong and how to fix it, for a YAML error at `loc` in `text`
/// (`text` may be empty when there is no file, as for a `--what-if` value).
pub(super) fn describe(e: &YamlError, text: &str, loc: Loc) -> (String, Option<String>) {
    let key = key_before(text, loc);
    let value = value_at(text, loc);
    match original(e) {
        YamlError::SerdeUnknownField {
            field, expected, ..
        } => unknown_key(field, expected),
        YamlError::SerdeMissingField { field, .. } => missing_key(field),
        YamlError::DuplicateMappingKey { key: dup, .. } => duplicate_key(dup.as_deref(), text, loc),
        YamlError::InvalidScalar { ty, .. } => wrong_scalar(ty, key.as_deref(), value.as_deref()),
        YamlError::NullIntoString { .. } => empty_value(key.as_deref()),
        YamlError::Unexpected { expected, .. } => unexpected(expected, key.as_deref()),
        YamlError::SerdeInvalidType {
            unexpected,
            expected,
            ..
        }
        | YamlError::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => (
            format!(
                "{}{} is not {}",
                key.as_deref()
                    .map(|k| format!("`{k}`: "))
                    .unwrap_or_default(),
                plain_words(unexpected),
                plain_words(expected)
            ),
            None,
        ),
        YamlError::NonFiniteFloat { value, .. } => (
            format!("`{value}` is not a finite number"),
            Some("give an ordinary number, e.g. 3 or 0.5".into()),
        ),
        other => document_problem(other, text).unwrap_or_else(|| {
            (
                plain_words(&UserMessageFormatter.format_message(other)),
                None,
            )
        }),
    }
}

/// Problems of the document as a whole: size, aliases, its end, several documents.
fn document_problem(e: &YamlError, text: &str) -> Option<(String, Option<String>)> {
    Some(match e {
        YamlError::Budget { breach, .. } => too_complex(breach),
        YamlError::RecursiveReferencesRequireWeakTypes { .. } => (
            "YAML aliases may not refer to themselves".into(),
            Some("a `*name` inside the value anchored as `&name` would repeat forever; write the value out".into()),
        ),
        YamlError::UnknownAnchor { .. } => (
            "this alias refers to an anchor that is not defined before it".into(),
            Some("define `&name` on a value above before using `*name`, or write the value out".into()),
        ),
        YamlError::AliasReplayCounterOverflow { .. }
        | YamlError::AliasReplayLimitExceeded { .. }
        | YamlError::AliasExpansionLimitExceeded { .. }
        | YamlError::AliasReplayStackDepthExceeded { .. } => (
            "the file's aliases expand to far more than a scenario needs".into(),
            Some("write the repeated values out, or use fewer nested aliases".into()),
        ),
        YamlError::Eof { .. } if text.trim().is_empty() => (
            "the file is empty".into(),
            Some("a scenario needs at least `arrivals:` and `stages:`; `flowcast new` writes a starter".into()),
        ),
        YamlError::Eof { .. } => (
            "the file ends in the middle of a value".into(),
            Some("close every `[` and `{`, and every quote".into()),
        ),
        YamlError::MultipleDocuments { .. } => (
            "the file holds more than one YAML document".into(),
            Some("a scenario is one document: remove the `---` lines after the first".into()),
        ),
        YamlError::InvalidUtf8Input => (
            "the file is not UTF-8 text".into(),
            Some("save it as UTF-8".into()),
        ),
        _ => return None,
    })
}
/// The error itself, without the snippet or alias wrappers.
fn original(e: &YamlError) -> &YamlError {
    match e.without_snippet() {
        YamlError::AliasError { error, .. } => original(error),
        other => other,
    }
}

fn unknown_key(field: &str, expected: &[&str]) -> (String, Option<String>) {
    let help = match nearest(field, expected.iter().copied()) {
        Some(n) => format!(
            "did you mean `{n}`? Valid keys here: {}",
            expected.join(", ")
        ),
        None => format!("valid keys here: {}", expected.join(", ")),
    };
    (format!("unknown key `{field}`"), Some(help))
}

fn missing_key(field: &str) -> (String, Option<String>) {
    let help = match field {
        "arrivals" => {
            "add `arrivals:` with one of rate, interval or backlog (e.g. `arrivals: {rate: 1.0}`)"
                .to_string()
        }
        "stages" => {
            "add `stages:` with at least one stage (e.g. `- {name: develop, work: 2}`)".to_string()
        }
        "name" => "every stage and intervention needs a unique `name:`".to_string(),
        "probability" => {
            "rework needs `probability:` (e.g. `rework: {probability: 0.2, to: develop}`)"
                .to_string()
        }
        "max" => "a process batch needs `max:` (e.g. `process_batch: {max: 20}`)".to_string(),
        other => format!("add `{other}:`"),
    };
    (format!("`{field}` is missing"), Some(help))
}

/// "duplicate key `work`", with where it was first written when we can find it.
fn duplicate_key(key: Option<&str>, text: &str, loc: Loc) -> (String, Option<String>) {
    let Some(key) = key else {
        return (
            "a key is written twice in the same mapping".into(),
            Some("keep one of them".into()),
        );
    };
    let first = first_place(text, key, loc)
        .map(|(l, c)| format!(" (first written at line {l}, column {c})"))
        .unwrap_or_default();
    (
        format!("duplicate key `{key}`{first}"),
        Some(format!("a mapping has each key once; keep one `{key}:`")),
    )
}

/// The same key written earlier: on the same line in a flow mapping, else at
/// the same column further up in a block mapping.
fn first_place(text: &str, key: &str, loc: Loc) -> Option<(u64, u64)> {
    if loc.line == 0 {
        return None;
    }
    let lines: Vec<&str> = text.lines().collect();
    let here = loc.line as usize - 1;
    let is_key_at = |line: &str, col: usize| {
        let rest: String = line.chars().skip(col).collect();
        let before: Option<char> = col.checked_sub(1).and_then(|c| line.chars().nth(c));
        rest.strip_prefix(key)
            .is_some_and(|r| r.trim_start().starts_with(':'))
            && before.is_none_or(|b| b == ' ' || b == '{' || b == ',' || b == '-' || b == '"')
    };
    let line = lines.get(here)?;
    let mut cols: Vec<usize> = (0..(loc.column as usize).saturating_sub(1))
        .filter(|&c| is_key_at(line, c))
        .collect();
    if let Some(c) = cols.pop() {
        return Some((loc.line, c as u64 + 1));
    }
    let col = loc.column as usize - 1;
    (0..here)
        .rev()
        .find(|&l| is_key_at(lines[l], col))
        .map(|l| (l as u64 + 1, col as u64 + 1))
}

/// A scalar that does not read as the number the key needs.
fn wrong_scalar(ty: &str, key: Option<&str>, value: Option<&str>) -> (String, Option<String>) {
    let whole = matches!(ty, "u64" | "u32" | "u16" | "u8" | "usize" | "i64" | "i32");
    let rule = match key {
        Some("wip_limit") => "a WIP limit is a whole number ≥ 1".to_string(),
        Some("seed") => "a seed is a whole number ≥ 0".to_string(),
        Some("backlog") => "a backlog is a whole number of items ≥ 1".to_string(),
        Some("runs") => "runs is a whole number ≥ 1".to_string(),
        Some("items") => "items is a whole number of deliveries ≥ 1".to_string(),
        Some("warmup") => "warmup is a whole number of deliveries ≥ 0".to_string(),
        Some("capacity") => "a schedule's capacity is a whole number of items ≥ 1".to_string(),
        Some(k @ ("max" | "min")) => {
            format!("a process batch's {k} is a whole number of items ≥ 1")
        }
        Some("rate") => "an arrival rate is a number of items per time unit, e.g. 1.5".to_string(),
        Some("probability") => "a probability is a number from 0 to 1, e.g. 0.2".to_string(),
        Some(k) if whole => format!("`{k}` is a whole number"),
        Some(k) => format!("`{k}` is a number"),
        None if whole => "a whole number is needed here".to_string(),
        None => "a number is needed here".to_string(),
    };
    let what = match value {
        Some(v) => format!("`{v}` is not allowed here: {rule}"),
        None => rule.clone(),
    };
    let example = match key {
        Some("wip_limit") => "e.g. `wip_limit: 10`".to_string(),
        Some("seed") => "e.g. `seed: 42`".to_string(),
        Some(k) if whole => format!("write a whole number without quotes or units, e.g. `{k}: 5`"),
        Some(k) => format!("write a number without quotes or units, e.g. `{k}: 0.5`"),
        None => "write a number without quotes or units".to_string(),
    };
    (what, Some(example))
}

fn empty_value(key: Option<&str>) -> (String, Option<String>) {
    match key {
        Some("name") => (
            "`name` is empty: a stage needs a name".into(),
            Some("give it a name, e.g. `name: review`".into()),
        ),
        Some(k) => (
            format!("`{k}` has no value"),
            Some(format!("give `{k}` a value, or remove the line")),
        ),
        None => ("a value is missing here".into(), None),
    }
}

fn unexpected(expected: &str, key: Option<&str>) -> (String, Option<String>) {
    let (what, example) = match expected {
        e if e.contains("sequence") => ("a list", "`[a, b]`, or one `- item` per line"),
        e if e.contains("mapping") => ("a mapping", "`key: value` lines, or `{key: value}`"),
        e if e.contains("string") || e.contains("scalar") => {
            ("a single value", "a name or a number")
        }
        _ => ("something else", ""),
    };
    let msg = match key {
        Some(k) => format!("`{k}` must be {what} here"),
        None => format!("{what} is expected here"),
    };
    (
        msg,
        (!example.is_empty()).then(|| format!("write {example}")),
    )
}

fn too_complex(breach: &BudgetBreach) -> (String, Option<String>) {
    match breach {
        BudgetBreach::Depth { .. } => (
            "the file nests deeper than 64 levels".into(),
            Some("a scenario never needs more than a few levels of lists and mappings; check the brackets".into()),
        ),
        _ => (
            "the file is larger or more complex than a scenario can be".into(),
            Some("a scenario needs a few hundred lines at most; check that this is the right file".into()),
        ),
    }
}

/// Serde's type words in ours: "u64" → "a whole number", "a sequence" → "a list".
fn plain_words(s: &str) -> String {
    let mut out = s.to_string();
    for (from, to) in [
        ("; use Option<String>", ""),
        (
            "tabs disallowed within this context (block indentation)",
            "YAML does not allow tabs for indentation; indent with spaces",
        ),
        (", set DuplicateKeyPolicy in Options if acceptable", ""),
        ("rejected by the configured policy", "is not allowed"),
        ("by configured policy", ""),
        ("struct RawStage", "a stage"),
        ("struct RawScenario", "a scenario"),
        ("a sequence", "a list"),
        ("sequence", "list"),
        ("a map", "a mapping"),
        ("a string", "a text"),
        ("string", "text"),
        ("floating point", "a number"),
        ("unsigned integer", "a whole number"),
        ("integer", "whole number"),
        ("u64", "a whole number"),
        ("u32", "a whole number"),
        ("i64", "a whole number"),
        ("f64", "a number"),
    ] {
        out = out.replace(from, to);
    }
    out
}

/// The key whose value starts at `loc`: the word before the `:` just before it.
fn key_before(text: &str, loc: Loc) -> Option<String> {
    let line = text.lines().nth((loc.line as usize).checked_sub(1)?)?;
    let before: String = line
        .chars()
        .take((loc.column as usize).saturating_sub(1))
        .collect();
    let before = before
        .trim_end()
        .strip_suffix(':')?
        .trim_end()
        .trim_end_matches(['"', '\'']);
    let key: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-' || *c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    (!key.is_empty()).then_some(key)
}

/// The plain value written at `loc`, up to the end of the line or flow item.
fn value_at(text: &str, loc: Loc) -> Option<String> {
    let line = text.lines().nth((loc.line as usize).checked_sub(1)?)?;
    let rest: String = line
        .chars()
        .skip((loc.column as usize).saturating_sub(1))
        .take_while(|c| !",]}#".contains(*c))
        .collect();
    let v = rest.trim();
    (!v.is_empty()).then(|| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Proves the key and value before an error's place are found in block and flow style.
    #[test]
    fn finds_key_and_value() {
        let text = "wip_limit: -1\nstages:\n  - {name: a, work: 2, wip_limit: 2.5}\n";
        let at = |line, column| Loc { line, column };
        assert_eq!(key_before(text, at(1, 12)).as_deref(), Some("wip_limit"));
        assert_eq!(value_at(text, at(1, 12)).as_deref(), Some("-1"));
        assert_eq!(key_before(text, at(3, 35)).as_deref(), Some("wip_limit"));
        assert_eq!(value_at(text, at(3, 35)).as_deref(), Some("2.5"));
    }

    // Proves the first place of a duplicate key is found on the same line and further up.
    #[test]
    fn finds_the_first_of_a_duplicate_key() {
        let flow = "  - {name: a, work: 0.5, work: 1}\n";
        assert_eq!(
            first_place(
                flow,
                "work",
                Loc {
                    line: 1,
                    column: 26
                }
            ),
            Some((1, 15))
        );
        let block = "stages:\n  - name: a\n    work: 1\n    wait: 2\n    work: 3\n";
        assert_eq!(
            first_place(block, "work", Loc { line: 5, column: 5 }),
            Some((3, 5))
        );
    }
}
