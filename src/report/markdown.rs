//! `report.md`: the same report in Markdown, with the charts as SVG files beside it.

use crate::report::document::{Document, TableData};

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// A Markdown table, cells escaped.
pub(crate) fn table(t: &TableData) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "| {} |\n",
        t.header
            .iter()
            .map(|h| cell(h))
            .collect::<Vec<_>>()
            .join(" | ")
    ));
    let align: Vec<&str> = (0..t.header.len())
        .map(|i| if i == 0 { ":--" } else { "--:" })
        .collect();
    out.push_str(&format!("| {} |\n", align.join(" | ")));
    for r in &t.rows {
        out.push_str(&format!(
            "| {} |\n",
            r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
        ));
    }
    out
}

/// Renders the document as Markdown that shows its charts from the files beside it.
pub fn render(doc: &Document) -> String {
    let mut out = format!("# {}\n\n_{}_\n\n", doc.title, doc.meta);
    for p in &doc.summary {
        out.push_str(&format!("> {p}\n>\n"));
    }
    out.push('\n');
    for w in &doc.warnings {
        out.push_str(&format!("**Warning:** {w}\n\n"));
    }
    out.push_str("## Comparison\n\nRanked by the change in mean lead time; changes are variant − baseline with 95% confidence intervals from paired runs.\n\n");
    out.push_str(&table(&doc.comparison));
    if let Some((intro, t, formula)) = &doc.economics {
        out.push_str(&format!("\n## What it is worth\n\n{intro}\n\n"));
        out.push_str(&table(t));
        if !formula.is_empty() {
            out.push_str(&format!("\n_{formula}_\n"));
        }
    }
    if let Some((intro, t)) = &doc.split {
        out.push_str(&format!("\n## Split items and their parts\n\n{intro}\n\n"));
        out.push_str(&table(t));
    }
    for c in &doc.charts {
        out.push_str(&format!("\n## {}\n\n![{}]({})\n", c.title, c.title, c.file));
    }
    out.push_str("\n## Per stage (baseline)\n\n");
    out.push_str(&table(&doc.stages));
    if let Some(t) = &doc.types {
        out.push_str("\n## Flow distribution\n\n");
        out.push_str(&table(t));
    }
    if let Some(t) = &doc.classes {
        out.push_str("\n## Classes of service\n\nLead time per class of service; on time is the share delivered by the due date (classes with `due`).\n\n");
        out.push_str(&table(t));
    }
    if let Some(t) = &doc.sensitivity {
        out.push_str("\n## Sensitivity\n\nChange in mean lead time when one parameter is 20% lower or higher, largest effect first.\n\n");
        out.push_str(&table(t));
    }
    out.push_str("\n## Assumptions\n\n");
    for a in &doc.assumptions {
        out.push_str(&format!("- {a}\n"));
    }
    out.push_str(&format!(
        "\n## Appendix: the scenario ({})\n\n```yaml\n{}\n```\n",
        doc.scenario.0,
        doc.scenario.1.trim_end()
    ));
    out
}
