//! Jira REST JSON as the search API returns it with `expand=changelog`: a page
//! `{"issues": [...]}` or a bare array of issues. Each issue gives its entry
//! into the first status at `fields.created` (the `fromString` of its earliest
//! status change, or `fields.status.name` when it never moved) and one entry per
//! `changelog.histories[].items[]` whose `field` is `status` (`toString` at the
//! history's `created`). Errors name the issue (JSON rows have no line).

use std::path::Path;

use serde::Deserialize;

use super::{Builder, Row, input};
use crate::Error;
use crate::analysis::calibrate::time::{Stamp, TimeReader};

#[derive(Deserialize)]
struct Page {
    #[serde(default)]
    issues: Vec<Issue>,
}

#[derive(Deserialize)]
struct Issue {
    key: String,
    #[serde(default)]
    fields: Fields,
    #[serde(default)]
    changelog: Changelog,
}

#[derive(Deserialize, Default)]
struct Fields {
    created: Option<String>,
    issuetype: Option<Named>,
    status: Option<Named>,
}

#[derive(Deserialize, Default)]
struct Named {
    name: Option<String>,
}

#[derive(Deserialize, Default)]
struct Changelog {
    #[serde(default)]
    histories: Vec<Change>,
}

#[derive(Deserialize)]
struct Change {
    created: String,
    #[serde(default)]
    items: Vec<ChangeItem>,
}

#[derive(Deserialize)]
#[allow(non_snake_case)]
struct ChangeItem {
    #[serde(default)]
    field: String,
    fromString: Option<String>,
    toString: Option<String>,
}

pub(super) fn read(path: &Path, times: &TimeReader, b: &mut Builder) -> Result<(), Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        action: "read",
        path: path.to_path_buf(),
        source,
    })?;
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let bare = text.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'[');
    let parsed = if bare {
        serde_json::from_slice::<Vec<Issue>>(text)
    } else {
        serde_json::from_slice::<Page>(text).map(|p| p.issues)
    };
    let issues = parsed.map_err(|e| {
        input(path, e.line(), format!(
            "not Jira search JSON ({e}); export with /rest/api/2/search?expand=changelog, a page {{\"issues\": [...]}} or an array of issues"
        ))
    })?;
    for issue in &issues {
        read_issue(path, issue, times, b)?;
    }
    Ok(())
}

/// One issue of a Jira page: its key, type, creation and status changes.
///
/// Long on purpose: the JSON's fields in the order the API nests them.
fn read_issue(
    path: &Path,
    issue: &Issue,
    times: &TimeReader,
    b: &mut Builder,
) -> Result<(), Error> {
    let key = issue.key.as_str();
    let stamp = |t: &str| {
        times
            .read(t)
            .map_err(|m| input(path, 0, format!("issue {key}: {m}")))
    };
    let mut changes: Vec<(Stamp, &ChangeItem)> = Vec::new();
    for h in &issue.changelog.histories {
        let at = stamp(&h.created)?;
        for it in h
            .items
            .iter()
            .filter(|i| i.field.eq_ignore_ascii_case("status"))
        {
            changes.push((at, it));
        }
    }
    changes.sort_by_key(|(s, _)| millis(*s));
    let Some(created) = issue.fields.created.as_deref() else {
        return Err(input(
            path,
            0,
            format!(
                "issue {key} has no fields.created; export it with fields=created,status,issuetype"
            ),
        ));
    };
    let first = match changes.first() {
        Some((_, it)) => it.fromString.as_deref(),
        None => issue.fields.status.as_ref().and_then(|s| s.name.as_deref()),
    };
    let Some(first) = first else {
        return Err(input(
            path,
            0,
            format!(
                "issue {key}: cannot tell its first status (no fromString and no fields.status.name)"
            ),
        ));
    };
    let kind = issue
        .fields
        .issuetype
        .as_ref()
        .and_then(|t| t.name.as_deref());
    b.add(
        path,
        0,
        Row {
            key,
            kind,
            status: first,
            at: stamp(created)?,
        },
    )?;
    for (at, it) in changes {
        let Some(to) = it.toString.as_deref() else {
            return Err(input(
                path,
                0,
                format!("issue {key}: a status change has no toString"),
            ));
        };
        b.add(
            path,
            0,
            Row {
                key,
                kind,
                status: to,
                at,
            },
        )?;
    }
    Ok(())
}

fn millis(s: Stamp) -> i64 {
    match s {
        Stamp::Dated(ms, _) | Stamp::Undated(ms) => ms,
    }
}
