//! A delivery-history CSV → `History::from_csv`, then the cheap views of it
//! (`daily`, `span`, a window over its own span). Never forecasts.
#![no_main]

use flowcast::analysis::forecast::History;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(history) = History::from_csv(text) else {
        return;
    };
    let _ = history.daily().iter().map(|&d| u64::from(d)).sum::<u64>();
    let (first, last) = history.span();
    let _ = history.window(Some(first), Some(last));
    let _ = history.window(Some(last), None);
});
