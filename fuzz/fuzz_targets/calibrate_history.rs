//! A status history (any of the three formats, detected from the bytes) →
//! `read`, then the inferred workflow, journeys, observations and the fit.
//! Everything short of simulating; nothing may panic.
#![no_main]

use flowcast::analysis::calibrate::{fit, infer, journeys, observe, read, ReadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("flowcast-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let ext = if data.first() == Some(&b'{') || data.first() == Some(&b'[') { "json" } else { "csv" };
    let path = dir.join(format!("history.{ext}"));
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let Ok(history) = read(&[path], &ReadOptions::default()) else {
        return;
    };
    let workflow = infer(&history);
    let j = journeys(&history, &workflow);
    let kinds: Vec<Option<String>> = history.items.iter().map(|i| i.kind.clone()).collect();
    let has_active: Vec<bool> = workflow.stages.iter().map(|s| !s.active.is_empty()).collect();
    let names: Vec<String> = workflow.stages.iter().map(|s| s.stage.clone()).collect();
    let obs = observe::observe(&j, &has_active, &kinds);
    let _ = fit::fit(&obs, &names, &has_active, None);
});
