//! Every model in models/invalid is rejected with the message its first line expects.

#[test]
fn invalid_models_report_the_expected_problem() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models/invalid");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "yaml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let expect = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .unwrap_or_else(|| {
                panic!(
                    "{}: first line must be `# expect: LINE:COL: text`",
                    path.display()
                )
            });
        let (at, message) = expect.split_at(expect.find(": ").unwrap());
        let message = &message[2..];
        let report = hacalc::analyse("m.yaml", &text).expect_err(&path.display().to_string());
        let plain = report.to_plain();
        let line = format!("m.yaml:{at}: error: ");
        // The message, or its hint on the next line.
        let lines: Vec<&str> = plain.lines().collect();
        let found = (0..lines.len()).any(|i| {
            lines[i].starts_with(&line)
                && (lines[i].contains(message)
                    || lines
                        .get(i + 1)
                        .is_some_and(|h| h.starts_with("  hint: ") && h.contains(message)))
        });
        assert!(
            found,
            "{}: expected `{line}...{message}`, got:\n{plain}",
            path.display()
        );
        checked += 1;
    }
    assert!(checked >= 9);
}
