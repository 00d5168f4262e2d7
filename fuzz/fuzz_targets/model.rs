//! Any text through parse, validate, compile and solve: no panic, no hang past the limits,
//! and whatever solves gives sound numbers; whatever is refused is located inside the file.
//!
//!     cargo +nightly fuzz run model

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match hacalc::analyse_with("fuzz.yaml", text, &common::options(), &Default::default()) {
        Ok(a) => common::check_numbers(&a),
        Err(report) => {
            // YAML breaks lines at \n, \r\n and a lone \r.
            let lines = text.replace("\r\n", "\n").matches(['\n', '\r']).count() as u32 + 2;
            for d in &report.diagnostics {
                assert!(d.pos.line >= 1 && d.pos.line <= lines && d.pos.column >= 1, "{d:?}");
            }
            common::check_text(&report.render(false, 20));
        }
    }
});
