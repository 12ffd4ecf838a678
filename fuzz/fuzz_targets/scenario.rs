//! Scenario text → validated model → interventions and what-ifs → the cheap
//! derived figures `flowcast check` shows. Never simulates (too slow to fuzz).
//!
//! Lines of the form `#?what-if PATH=VALUE` (YAML comments, so the scenario
//! parses the same) are also read as `--what-if` strings, so the fuzzer explores
//! command-line interventions with the same input.
#![no_main]

use flowcast::scenario::interventions as variants;
use flowcast::{Scenario, describe, report};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut what_ifs = Vec::new();
    for line in text.lines() {
        if let Some(w) = line.strip_prefix("#?what-if ") {
            // Errors are fine; a panic is not.
            if let Ok(iv) = variants::parse_what_if(w) {
                what_ifs.push(iv);
            }
        }
    }
    let Ok(scenario) = Scenario::from_text("fuzz.yaml", text) else {
        return;
    };
    let model = &scenario.model;
    let _ = model.loads();
    let _ = describe::overload_warnings(&model);
    let _ = report::check(model);
    let Ok(mut interventions) = variants::from_file(&scenario) else {
        return;
    };
    interventions.extend(what_ifs);
    if let Ok(built) = variants::build(&scenario, &interventions) {
        for v in &built {
            let _ = v.model.loads();
            let _ = describe::overload_warnings(&v.model);
        }
    }
});
