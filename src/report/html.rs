//! `report.html`: one self-contained page (inline CSS and SVG, no scripts, nothing
//! fetched from the network), readable on a laptop and printable.

use askama::Template;

use crate::report::document::Document;

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a> {
    doc: &'a Document,
}

/// Renders the document as HTML; every text is escaped, only our SVG is inlined.
pub fn render(doc: &Document) -> String {
    Page { doc }
        .render()
        .expect("the report template renders plain strings and cannot fail")
}
