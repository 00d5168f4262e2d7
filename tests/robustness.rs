//! No input makes hacalc panic: random text, and valid models with random edits.

use proptest::prelude::*;

const BASES: &[&str] = &[
    include_str!("../examples/web-service.yaml"),
    include_str!("../examples/mysql-replica.yaml"),
    include_str!("../examples/degraded-disk.yaml"),
    include_str!("../examples/bad-deploys.yaml"),
];

const TOKENS: &[&str] = &[
    "",
    " ",
    "\n",
    ":",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a",
    "*a",
    "!!str",
    "-1",
    "0",
    "1e400",
    ".nan",
    ".inf",
    "99.9%",
    "101%",
    "1h30m",
    "30m1h",
    "5",
    "series",
    "parallel",
    "k_of_n",
    "k: 0",
    "n: 0",
    "of: x",
    "crews: 1",
    "standby",
    "markov",
    "network",
    "\t",
    "'",
    "\"",
    "#",
    "~",
    "null",
    "true",
    "1y",
    "y",
    "%",
    "/h",
    "1/0h",
    "availability: 2",
    "mtbf: 0h",
    "system:",
    "blocks:",
    "components:",
    "x: { series: [x] }",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_edits_of_a_valid_model_never_panic(base in 0usize..BASES.len(), edits in prop::collection::vec((0usize..2000, 0usize..12, 0usize..TOKENS.len()), 1..6)) {
        let mut text = BASES[base].to_string();
        for (at, len, tok) in edits {
            let mut start = at % text.len().max(1);
            while !text.is_char_boundary(start) { start -= 1; }
            let mut end = (start + len).min(text.len());
            while !text.is_char_boundary(end) { end += 1; }
            text.replace_range(start..end, TOKENS[tok]);
        }
        let mut opts = hacalc::Options::default();
        opts.limits.max_states = 10_000;
        let result = hacalc::analyse_with("edited.yaml", &text, &opts, &Default::default());
        if let Ok(a) = &result {
            // Whatever solves also renders.
            let comment = hacalc::render::pr_comment::PrComment { stamp: Default::default() };
            let _ = hacalc::render::Exporter::render(&comment, a);
        }
        if let Err(report) = result {
            // Every problem has a location inside the file.
            for d in &report.diagnostics {
                prop_assert!(d.pos.line >= 1 && d.pos.column >= 1);
                prop_assert!(d.pos.line as usize <= text.lines().count().max(1) + 1, "{:?}", d);
            }
            let _ = report.render(false, 50);
        }
    }

    #[test]
    fn random_text_never_panics(text in "\\PC{0,200}") {
        let _ = hacalc::analyse("random.yaml", &text).map_err(|r| r.render(false, 10));
    }

    #[test]
    fn random_token_soup_never_panics(toks in prop::collection::vec(0usize..TOKENS.len(), 0..60)) {
        let text: String = toks.iter().map(|&t| TOKENS[t]).collect::<Vec<_>>().join(" ");
        let _ = hacalc::analyse("soup.yaml", &text).map_err(|r| r.render(false, 10));
    }
}
