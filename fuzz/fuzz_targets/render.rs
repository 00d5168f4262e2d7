//! Any model that solves, through every output format: JSON parses, XML (JUnit, SVG) is
//! well-formed, no text output carries a control or bidi character.
//!
//!     cargo +nightly fuzz run render

#![no_main]

mod common;

use hacalc::render::report::Stamp;
use hacalc::render::{self, Exporter};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let request = hacalc::Request {
        over_time: hacalc::OverTime::At(vec![1.0, 8760.0]),
        tornado: 4,
        ..Default::default()
    };
    let Ok(a) = hacalc::analyse_with("fuzz.yaml", text, &common::options(), &request) else {
        return;
    };
    common::check_numbers(&a);
    let json = render::json::Json { check: true }.render(&a).unwrap();
    serde_json::from_str::<serde_json::Value>(&json).unwrap();
    for xml in [
        render::junit::Junit.render(&a).unwrap(),
        render::svg::Svg.render(&a).unwrap(),
    ] {
        roxmltree::Document::parse(&xml).unwrap();
    }
    let texts: Vec<Box<dyn Exporter>> = vec![
        Box::new(render::table::Tables { top: 0, importance: true }),
        Box::new(render::markdown::Markdown { top: 0 }),
        Box::new(render::check_text::CheckText),
        Box::new(render::pr_comment::PrComment {
            stamp: Stamp::default(),
        }),
        Box::new(render::html::Html {
            stamp: Stamp::default(),
        }),
    ];
    for e in texts {
        let out = e.render(&a).unwrap();
        // The check text is styled with colour escapes on purpose; the rest must be plain.
        if !out.contains("\u{1b}[") {
            common::check_text(&out);
        }
    }
});
