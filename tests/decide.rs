//! Decision support: `--set` and variants give exactly the numbers of the edited file;
//! sweep crossings, allocations, diffs and promises against independent truth (closed forms,
//! bisection on re-solved models, the edited files themselves).

use hacalc::decide::allocate::{self, By, Single};
use hacalc::decide::sweep::{self, Axis};
use hacalc::decide::{Outcome, Session, compare, diff};
use hacalc::{Analysis, Edits, Options, Request};

fn example(name: &str) -> (String, String) {
    let path = format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    (path, text)
}

fn target(text: &str) -> hacalc::probability::Probability {
    hacalc::parse::quantity::parse_probability(text, false).unwrap()
}

fn edits(sets: &[&str]) -> Edits {
    Edits {
        variant: None,
        sets: sets.iter().map(|s| s.to_string()).collect(),
        generated: Vec::new(),
    }
}

fn solve_text(text: &str) -> Analysis {
    hacalc::analyse("m.yaml", text).unwrap_or_else(|r| panic!("{r}"))
}

fn solve_edited(text: &str, e: &Edits) -> Result<Analysis, hacalc::diagnostics::Report> {
    hacalc::analyse_edited("m.yaml", text, e, &Options::default(), &Request::default())
}

/// Every figure of two analyses, bit for bit.
fn same_numbers(a: &Analysis, b: &Analysis) {
    let (s, t) = (&a.solution, &b.solution);
    assert_eq!(s.horizon_hours.to_bits(), t.horizon_hours.to_bits());
    assert_eq!(s.system.avail.p.to_bits(), t.system.avail.p.to_bits());
    assert_eq!(s.system.avail.q.to_bits(), t.system.avail.q.to_bits());
    assert_eq!(
        s.system.frequency.map(f64::to_bits),
        t.system.frequency.map(f64::to_bits)
    );
    assert_eq!(s.components.len(), t.components.len());
    for (x, y) in s.components.iter().zip(&t.components) {
        assert_eq!(x.name, y.name);
        assert_eq!(
            x.unavailability_saved.to_bits(),
            y.unavailability_saved.to_bits()
        );
        assert_eq!(x.birnbaum.to_bits(), y.birnbaum.to_bits());
    }
    assert_eq!(a.verdicts, b.verdicts);
}

/// `--set PATH=VALUE` against the same change written into the file's text.
#[test]
fn set_gives_the_numbers_of_the_edited_file() {
    let (_, text) = example("web-service.yaml");
    let cases: &[(&[&str], &str, &str)] = &[
        (&["db.mttr=30m"], "    mttr: 1h30m", "    mttr: 30m"),
        (
            &["frontend.k=3"],
            "k_of_n: { k: 2, n: 3, of: web }",
            "k_of_n: { k: 3, n: 3, of: web }",
        ),
        (&["horizon=30d"], "horizon: 1y", "horizon: 30d"),
        (
            &["targets.availability=99.99%"],
            "availability: 99.95%",
            "availability: 99.99%",
        ),
        (
            &["database.n=3"],
            "parallel: { n: 2, of: db }",
            "parallel: { n: 3, of: db }",
        ),
        (
            &["system.series.1=web"],
            "series: [dns, lb, frontend",
            "series: [dns, web, frontend",
        ),
        (
            &["web.mttr=1h", "web.mtbf=10d"],
            "    mtbf: 30d\n    mttr: 10m",
            "    mtbf: 10d\n    mttr: 1h",
        ),
    ];
    for (sets, from, to) in cases {
        assert!(text.contains(from), "{from}");
        let edited_text = text.replacen(from, to, 1);
        let by_file = solve_text(&edited_text);
        let by_set = solve_edited(&text, &edits(sets)).unwrap_or_else(|r| panic!("{r}"));
        same_numbers(&by_file, &by_set);
        // And it is a change: the unedited model differs (the horizon case aside, whose U is
        // the same per hour).
        if !sets[0].starts_with("horizon") && !sets[0].starts_with("targets") {
            assert_ne!(
                solve_text(&text).solution.system.avail.q,
                by_set.solution.system.avail.q,
                "{sets:?}"
            );
        }
    }
}

/// A key that the file does not write yet is added, and checked like the file's own keys.
#[test]
fn set_adds_keys_and_checks_them() {
    let (_, text) = example("web-service.yaml");
    let with_crews = text.replacen(
        "k_of_n: { k: 2, n: 3, of: web }",
        "k_of_n: { k: 2, n: 3, of: web, crews: 1 }",
        1,
    );
    same_numbers(
        &solve_text(&with_crews),
        &solve_edited(&text, &edits(&["frontend.crews=1"])).unwrap(),
    );
    // A whole component replaced by a flow mapping.
    let static_db = text.replacen(
        "    failure_rate: 1/90d            # a rate instead of an mtbf: once per 90 days\n    mttr: 1h30m",
        "    availability: 99.9%",
        1,
    );
    assert_ne!(static_db, text);
    same_numbers(
        &solve_text(&static_db),
        &solve_edited(&text, &edits(&["db={availability: 99.9%}"])).unwrap(),
    );
}

/// Problems of an assignment are located in the argument, with the argument named.
#[test]
fn set_errors_are_located_in_the_argument() {
    let (_, text) = example("web-service.yaml");
    let cases = [
        (
            "dbx.mttr=1h",
            "--set dbx.mttr=1h:1:7: error: no component, named block or model key `dbx`",
            Some("did you mean `db`?"),
        ),
        (
            "db.mttr=-5m",
            "--set db.mttr=-5m:1:15: error: mttr: duration `-5m` is negative",
            None,
        ),
        (
            "db.mtr=5m",
            "--set db.mtr=5m:1:10: error: unknown key `mtr` in component `db`",
            Some("did you mean `mttr`?"),
        ),
        (
            "db.mttr",
            "--set db.mttr:1:7: error: `db.mttr` is not an assignment: no `=`",
            None,
        ),
        (
            "db.mttr=",
            "--set db.mttr=:1:14: error: `db.mttr` is given no value",
            None,
        ),
        (
            "frontend.k=4",
            "--set frontend.k=4:1:18: error: k is 4 but there are only 3 members",
            None,
        ),
        (
            "db..mttr=1h",
            "--set db..mttr=1h:1:10: error: `db..mttr` has an empty name in its path",
            None,
        ),
        (
            "system.series.9=dns",
            "--set system.series.9=dns:1:21: error: `series` is a list of 5: `9` is not an index of it",
            None,
        ),
        (
            "db.mttr.x=1h",
            "--set db.mttr.x=1h:1:15: error: `mttr` is a string, so it has no `x`",
            None,
        ),
        (
            "variants=1",
            "--set variants=1:1:7: error: variants cannot be changed by an assignment",
            None,
        ),
        (
            "web.mttr=[1",
            "--set web.mttr=[1:1:16: error: invalid YAML",
            None,
        ),
    ];
    for (set, head, hint) in cases {
        let r = solve_edited(&text, &edits(&[set])).err().unwrap();
        let plain = r.to_plain();
        assert!(plain.starts_with(head), "{set}: {plain}");
        if let Some(h) = hint {
            assert!(plain.contains(h), "{set}: {plain}");
        }
        // The rendered form shows the argument with the place underlined, never the file.
        let shown = r.render(false, 10);
        assert!(shown.contains(&format!("1 | --set {set}")), "{shown}");
        // JSON names the argument.
        assert!(
            r.to_json().contains("\"argument\": \"--set "),
            "{}",
            r.to_json()
        );
    }
    // Several arguments: each problem at its own.
    let r = solve_edited(&text, &edits(&["db.mttr=1h", "web.mttr=-1m"]))
        .err()
        .unwrap();
    assert!(
        r.to_plain().starts_with("--set web.mttr=-1m:1:16: error"),
        "{}",
        r.to_plain()
    );
}

/// `--variant` is the variant's assignments applied to the file; `--set` goes on top.
#[test]
fn variants_give_the_numbers_of_the_edited_file() {
    let (_, text) = example("design-options.yaml");
    let cases = [
        ("fast-failover", "    mttr: 6h ", "    mttr: 30m "),
        (
            "second-dba",
            "k_of_n: { k: 1, n: 2, of: db, crews: 1 }",
            "k_of_n: { k: 1, n: 2, of: db, crews: 2 }",
        ),
        (
            "two-regions",
            "k_of_n: { k: 1, n: 1, of: region }",
            "k_of_n: { k: 1, n: 2, of: region }",
        ),
    ];
    let base = solve_text(&text);
    for (name, from, to) in cases {
        assert!(text.contains(from), "{from}");
        let by_file = solve_text(&text.replacen(from, to, 1));
        let e = Edits {
            variant: Some(name.to_string()),
            sets: Vec::new(),
            generated: Vec::new(),
        };
        let by_variant = solve_edited(&text, &e).unwrap();
        same_numbers(&by_file, &by_variant);
        assert_ne!(
            base.solution.system.avail.q,
            by_variant.solution.system.avail.q
        );
    }
    // --set after the variant wins over it.
    let e = Edits {
        variant: Some("fast-failover".to_string()),
        sets: vec!["db.mttr=6h".to_string()],
        generated: Vec::new(),
    };
    same_numbers(&base, &solve_edited(&text, &e).unwrap());
    // compare: one row per variant, each the variant solved alone.
    let (file, _) = example("design-options.yaml");
    let no_edits = Edits::default();
    let s = Session::open(
        &file,
        &text,
        &no_edits,
        Options::default(),
        Request::default(),
    )
    .unwrap();
    let c = compare::compare(&s).unwrap();
    assert_eq!(c.rows.len(), 4);
    assert_eq!(c.base().outcome, Outcome::of(&base));
    for (row, (name, _, _)) in c.rows[1..].iter().zip(cases) {
        assert_eq!(row.variant.as_deref(), Some(name));
        let alone = solve_edited(
            &text,
            &Edits {
                variant: Some(name.to_string()),
                sets: Vec::new(),
                generated: Vec::new(),
            },
        )
        .unwrap();
        assert_eq!(row.outcome, Outcome::of(&alone));
    }
    assert_eq!(c.rows[1].assignments, ["db.mttr=30m"]);
}

/// A variant that does not apply, or gives an invalid model, is reported at the file's line
/// even when it is not the one solved.
#[test]
fn bad_variants_are_located_in_the_file() {
    let (_, text) = example("design-options.yaml");
    let bad_path = text.replacen("    db.mttr: 30m", "    dbx.mttr: 30m", 1);
    let r = solve_edited(&bad_path, &Edits::default()).err().unwrap();
    assert!(
        r.to_plain().contains(
            "error: in variant `fast-failover`: no component, named block or model key `dbx`"
        ),
        "{}",
        r.to_plain()
    );
    let line = bad_path
        .lines()
        .position(|l| l.contains("dbx.mttr"))
        .unwrap()
        + 1;
    assert!(
        r.to_plain().contains(&format!(":{line}:5: error")),
        "{}",
        r.to_plain()
    );
    let bad_value = text.replacen("    regions.n: 2", "    regions.n: 0", 1);
    let r = solve_edited(&bad_value, &Edits::default()).err().unwrap();
    assert!(
        r.to_plain().contains("in variant `two-regions`"),
        "{}",
        r.to_plain()
    );
    let unknown = Edits {
        variant: Some("two-region".to_string()),
        sets: Vec::new(),
        generated: Vec::new(),
    };
    let r = solve_edited(&text, &unknown).err().unwrap();
    assert!(
        r.to_plain()
            .starts_with("--variant two-region:1:11: error: the model has no variant `two-region`"),
        "{}",
        r.to_plain()
    );
    assert!(r.to_plain().contains("did you mean `two-regions`?"));
}

/// A one-component system: U = mttr / (mtbf + mttr), so the target U = q is crossed at
/// mttr = q mtbf / (1 - q). The sweep's crossing is found to 1e-9 relative.
#[test]
fn sweep_crossing_against_the_closed_form() {
    let text =
        "components:\n  a: { mtbf: 1000h, mttr: 1h }\nsystem: a\ntargets:\n  availability: 99.9%\n";
    let no_edits = Edits::default();
    let s = Session::open(
        "a.yaml",
        text,
        &no_edits,
        Options::default(),
        Request::default(),
    )
    .unwrap();
    let axis = Axis::new("a.mttr", "10m", "8h", 20, false).unwrap();
    let sw = sweep::sweep(&s, vec![axis], sweep::DEFAULT_MAX_SOLVES).unwrap();
    assert_eq!(sw.points.len(), 20);
    for p in &sw.points {
        let mttr = p.values[0];
        let u = mttr / (1000.0 + mttr);
        assert!((p.outcome.availability.q - u).abs() <= 1e-15 * u.max(1.0) + 1e-15);
    }
    assert_eq!(sw.crossings.len(), 1);
    let c = &sw.crossings[0];
    let exact = 0.001 * 1000.0 / 0.999;
    assert!(
        (c.value - exact).abs() <= 2e-9 * exact,
        "{} vs {exact}",
        c.value
    );
    assert!(c.met_below);
    assert!(
        c.statement.contains("is met while a.mttr <= 1h"),
        "{}",
        c.statement
    );
    // The same crossing on a log axis and from the other end.
    let axis = Axis::new("a.mttr", "8h", "1m", 7, true).unwrap();
    let sw = sweep::sweep(&s, vec![axis], sweep::DEFAULT_MAX_SOLVES).unwrap();
    assert!((sw.crossings[0].value - exact).abs() <= 2e-9 * exact);
    assert!(sw.crossings[0].met_below);
    // A bound on the solves is a located error, not a hang.
    let axis = Axis::new("a.mttr", "10m", "8h", 20, false).unwrap();
    assert!(sweep::sweep(&s, vec![axis], 10).is_err());
}

/// On a real model the crossing agrees with a bisection on re-solved models (through
/// `--set`, the public route), and a two-way grid has every pair.
#[test]
fn sweep_crossing_against_bisection_and_grid() {
    let (file, text) = example("web-service.yaml");
    let no_edits = Edits::default();
    let request = Request {
        availability_target: Some(target("99.99%")),
        ..Request::default()
    };
    let s = Session::open(&file, &text, &no_edits, Options::default(), request.clone()).unwrap();
    let axis = Axis::new("web.mttr", "5m", "4h", 6, false).unwrap();
    let sw = sweep::sweep(&s, vec![axis], sweep::DEFAULT_MAX_SOLVES).unwrap();
    let c = sw
        .crossings
        .iter()
        .find(|c| c.kind == hacalc::analysis::targets::TargetKind::Availability)
        .unwrap();
    let met = |hours: f64| {
        let e = edits(&[&format!("web.mttr={hours}h")]);
        hacalc::analyse_edited(&file, &text, &e, &Options::default(), &request)
            .unwrap()
            .verdicts[0]
            .met
    };
    let (mut lo, mut hi) = (5.0 / 60.0, 4.0);
    while hi - lo > 1e-10 * hi {
        let mid = 0.5 * (lo + hi);
        if met(mid) { lo = mid } else { hi = mid }
    }
    assert!((c.value - lo).abs() <= 2e-9 * lo, "{} vs {lo}", c.value);
    assert!(met(c.value) && !met(c.value * (1.0 + 1e-6)));
    let grid = sweep::sweep(
        &s,
        vec![
            Axis::new("web.mttr", "5m", "1h", 3, false).unwrap(),
            Axis::new("db.mttr", "1h", "4h", 4, false).unwrap(),
        ],
        sweep::DEFAULT_MAX_SOLVES,
    )
    .unwrap();
    assert_eq!(grid.points.len(), 12);
    let p = &grid.points[5];
    let direct = solve_edited(
        &text,
        &edits(&[
            &format!("web.mttr={}h", p.values[0]),
            &format!("db.mttr={}h", p.values[1]),
        ]),
    )
    .unwrap();
    assert_eq!(p.outcome.availability, direct.solution.system.avail);
}

/// Counts step by whole numbers.
#[test]
fn sweep_of_a_count() {
    let axis = Axis::new("frontend.k", "1", "3", 20, false).unwrap();
    assert_eq!(axis.values(), [1.0, 2.0, 3.0]);
    assert!(Axis::new("x", "1h", "3", 5, false).is_err());
    assert!(Axis::new("x", "1h", "3h", 1, false).is_err());
    assert!(Axis::new("x", "0h", "3h", 5, true).is_err());
}

/// Every proposal, solved again from its `set` text, meets the target; made 1% worse, it
/// misses (the value is on the boundary).
#[test]
fn allocations_meet_the_target_on_the_boundary() {
    for (name, target, by) in [
        ("web-service.yaml", "99.996", By::Mttr),
        ("web-service.yaml", "99.996", By::Availability),
        ("design-options.yaml", "99.95", By::Mttr),
        ("design-options.yaml", "99.96", By::Mtbf),
    ] {
        let (file, text) = example(name);
        let request = Request {
            availability_target: Some(self::target(&format!("{target}%"))),
            downtime_target_hours: Some(1e6),
            ..Request::default()
        };
        let no_edits = Edits::default();
        let s =
            Session::open(&file, &text, &no_edits, Options::default(), request.clone()).unwrap();
        let a = allocate::allocate(&s, by).unwrap();
        assert!(!a.already_met, "{name} {target}");
        let mut proposals: Vec<&allocate::Proposal> = a
            .singles
            .iter()
            .filter_map(|s| match s {
                Single::Meets(p) => Some(p),
                _ => None,
            })
            .collect();
        proposals.extend(a.balanced.as_ref());
        assert!(!proposals.is_empty(), "{name} {target} {by:?}");
        let met = |sets: Vec<String>| {
            let e = Edits {
                variant: None,
                sets,
                generated: Vec::new(),
            };
            let r = hacalc::analyse_edited(&file, &text, &e, &Options::default(), &request)
                .unwrap_or_else(|r| panic!("{r}"));
            // Every target and promise, as `check` judges.
            r.targets_met()
        };
        for p in proposals {
            assert!(met(p.sets()), "{name}: {:?}", p.sets());
            // 1% worse on every change.
            let relaxed: Vec<String> = p
                .changes
                .iter()
                .map(|c| {
                    let (q, x) = hacalc::decide::Quantity::read(&c.to).unwrap();
                    let worse = match q {
                        hacalc::decide::Quantity::Percent => 1.0 - (1.0 - x) * 1.01,
                        _ if c.at_most => x * 1.01,
                        _ => x / 1.01,
                    };
                    format!("{}={}", c.path, q.text(worse))
                })
                .collect();
            assert!(!met(relaxed.clone()), "{name}: {relaxed:?} still meets");
        }
    }
}

/// A target already met asks for nothing; components with `cost:` improve less.
#[test]
fn allocation_when_met_and_with_costs() {
    let (file, text) = example("design-options.yaml");
    let no_edits = Edits::default();
    let easy = Request {
        availability_target: Some(target("99%")),
        ..Request::default()
    };
    // The database's promise is missed as written: not met, whatever the target.
    let s = Session::open(&file, &text, &no_edits, Options::default(), easy.clone()).unwrap();
    assert!(!allocate::allocate(&s, By::Mttr).unwrap().already_met);
    let kept = edits(&["database.slo=99.9%"]);
    let s = Session::open(&file, &text, &kept, Options::default(), easy).unwrap();
    let a = allocate::allocate(&s, By::Mttr).unwrap();
    assert!(a.already_met && a.singles.is_empty() && a.balanced.is_none());
    let s = Session::open(
        &file,
        &text,
        &no_edits,
        Options::default(),
        Request::default(),
    )
    .unwrap();
    let a = allocate::allocate(&s, By::Mttr).unwrap();
    let b = a.balanced.unwrap();
    let factor = |c: &str| b.changes.iter().find(|x| x.component == c).unwrap().factor;
    // db has cost 3: its factor is the others' to the power 1/3 (before rounding).
    let g = factor("region-network");
    assert!(
        (factor("db").ln() / g.ln() - 1.0 / 3.0).abs() < 0.02,
        "{} {g}",
        factor("db")
    );
}

/// diff of a model with itself shows nothing; each kind of change is listed.
#[test]
fn diff_lists_every_kind_of_change() {
    let (file, text) = example("design-options.yaml");
    let d = diff::diff(
        (&file, &text),
        (&file, &text),
        &Edits::default(),
        &Options::default(),
        &Request::default(),
    )
    .unwrap();
    assert!(d.changes.is_empty());
    assert_eq!(d.old, d.new);
    let new = text
        .replacen("horizon: 1y", "horizon: 30d", 1)
        .replacen("  availability: 99.95%", "  availability: 99.9%\n  downtime: 1h", 1)
        .replacen("    mttr: 6h ", "    mttr: 1h ", 1)
        .replacen("    cost: 3                     # for `allocate`: hard to improve (three times the others)\n", "", 1)
        .replacen("  edge:\n    mtbf: 5y\n    mttr: 10m\n", "  edge:\n    mtbf: 5y\n    mttr: 10m\n  cdn:\n    availability: 99.99%\n", 1)
        .replacen("k_of_n: { k: 1, n: 1, of: region }", "k_of_n: { k: 1, n: 2, of: region }", 1)
        .replacen("series: [edge, regions]", "series: [cdn, edge, regions]", 1)
        .replacen("  second-dba:\n    database.crews: 2\n", "", 1);
    let (old_tree, new_tree) = (
        hacalc::parse::yaml::read(&text).unwrap(),
        hacalc::parse::yaml::read(&new).unwrap(),
    );
    let changes = diff::model_changes(&old_tree, &new_tree);
    let listed: Vec<String> = changes
        .iter()
        .map(|c| {
            format!(
                "{} {} {:?}: {}",
                c.section,
                c.name,
                c.kind,
                c.details.join("; ")
            )
        })
        .collect();
    let expect = [
        "model horizon Changed: 1y -> 30d",
        "targets availability Changed: 99.95% -> 99.9%",
        "targets downtime Added: 1h",
        "component cdn Added: { availability: 99.99% }",
        "component db Changed: mttr: 6h -> 1h; cost: removed (was 3)",
        "block regions Changed: k_of_n: { k: 1, n: 1, of: region } -> { k: 1, n: 2, of: region }",
        "variant second-dba Removed: { database.crews: 2 }",
        "system system Changed: { series: [edge, regions] } -> { series: [cdn, edge, regions] }",
    ];
    assert_eq!(listed, expect, "{listed:#?}");
    let d = diff::diff(
        (&file, &text),
        ("new.yaml", &new),
        &Edits::default(),
        &Options::default(),
        &Request::default(),
    )
    .unwrap();
    assert_eq!(d.new.availability, solve_text(&new).solution.system.avail);
    assert!(d.new.availability.q < d.old.availability.q);
    // The old model is judged by the new targets.
    assert_eq!(d.old.verdicts.len(), d.new.verdicts.len());
}

/// Promises: a named block's is judged against that block's own availability, the system's
/// against the system's; each target's error budget is its unavailability over the window.
#[test]
fn promises_and_error_budgets() {
    let (_, text) = example("design-options.yaml");
    let a = solve_text(&text);
    let db = a
        .solution
        .blocks
        .iter()
        .find(|b| b.name == "database")
        .unwrap();
    let v = a
        .verdicts
        .iter()
        .find(|v| v.block.as_deref() == Some("database"))
        .unwrap();
    assert_eq!(v.actual, db.measures.avail.p);
    assert_eq!(v.met, db.measures.avail.q <= 1e-4);
    assert!(!v.met);
    assert!(
        v.summary
            .contains("`database` promises 99.99% but its structure gives at most")
    );
    let sys = a
        .verdicts
        .iter()
        .find(|v| v.kind == hacalc::analysis::targets::TargetKind::Slo && v.block.is_none())
        .unwrap();
    assert!(sys.met);
    for v in &a.verdicts {
        let q = v.availability.map(|p| p.q);
        for b in &v.budgets {
            if let Some(q) = q {
                assert!((b.budget_hours - q * b.window_hours).abs() <= 1e-12 * b.window_hours);
            }
            assert!(
                (b.expected_downtime_hours / b.budget_hours - v.budget_used.unwrap()).abs() < 1e-12
            );
        }
        assert_eq!(
            v.budgets.iter().map(|b| b.window).collect::<Vec<_>>(),
            ["28d", "30d", "quarter", "year"]
        );
    }
    let avail = &a.verdicts[0];
    let u = a.solution.system.avail.q;
    assert!((avail.budget_used.unwrap() - u / 5e-4).abs() < 1e-12);
    assert!((avail.budgets[0].budget_hours - 5e-4 * 672.0).abs() < 1e-12);
}

mod cli {
    use assert_cmd::Command;
    use predicates::prelude::*;

    fn hacalc() -> Command {
        let mut c = Command::cargo_bin("hacalc").unwrap();
        c.env("NO_COLOR", "1").env("SOURCE_DATE_EPOCH", "0");
        c
    }

    fn example(name: &str) -> String {
        format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"))
    }

    fn json(args: &[&str]) -> serde_json::Value {
        let out = hacalc().args(args).output().unwrap();
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
    }

    #[test]
    fn set_and_variant_on_every_command() {
        let web = example("web-service.yaml");
        for cmd in ["solve", "check", "cuts", "validate"] {
            hacalc()
                .args([cmd, &web, "--set", "dbx.mttr=1h"])
                .assert()
                .code(2)
                .stderr(predicate::str::contains(
                    "--set dbx.mttr=1h:1:7: error: no component",
                ));
        }
        hacalc()
            .args(["report", &web, "-o", "-", "--set", "db.mttr=-1h"])
            .assert()
            .code(2)
            .stdout("");
        hacalc()
            .args(["simulate", &web, "--horizon", "10y", "--set", "db.mttr=30m"])
            .assert()
            .success();
        hacalc()
            .args(["check", &web, "--set", "targets.availability=99.999%"])
            .assert()
            .code(1);
        let options = example("design-options.yaml");
        hacalc()
            .args(["check", &options, "--variant", "two-regions"])
            .assert()
            .code(1)
            .stdout(predicate::str::contains("PASS availability 99.99959%"));
        hacalc()
            .args(["solve", &options, "--variant", "nope"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--variant nope:1:11: error"));
        // JSON says what was changed.
        let v = json(&["solve", &web, "--format", "json", "--set", "db.mttr=30m"]);
        assert_eq!(v["set"][0], "db.mttr=30m");
        let v = json(&["solve", &web, "--format", "json"]);
        assert!(v.get("set").is_none());
        hacalc()
            .args([
                "validate",
                &web,
                "--set",
                "db.mttr=-1h",
                "--format",
                "github",
            ])
            .assert()
            .code(2)
            .stdout(predicate::str::starts_with(
                "::error title=hacalc::--set db.mttr=-1h: mttr",
            ));
    }

    #[test]
    fn compare_in_every_format() {
        let options = example("design-options.yaml");
        let v = json(&["compare", &options, "--format", "json"]);
        assert_eq!(v["variants"].as_array().unwrap().len(), 3);
        assert_eq!(v["variants"][0]["name"], "fast-failover");
        assert_eq!(v["variants"][0]["set"][0], "db.mttr=30m");
        assert!(v["model"]["name"].is_null());
        assert!(v["variants"][2]["delta_downtime_hours"].as_f64().unwrap() < -4.0);
        hacalc()
            .args(["compare", &options])
            .assert()
            .success()
            .stdout(predicate::str::contains("two-regions"));
        hacalc()
            .args(["compare", &options, "--format", "markdown"])
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "<details><summary>What each variant changes</summary>",
            ));
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("c.html");
        hacalc()
            .args([
                "compare",
                &options,
                "--format",
                "html",
                "-o",
                out.to_str().unwrap(),
            ])
            .assert()
            .success();
        let html = std::fs::read_to_string(&out).unwrap();
        assert!(html.contains("<td class=\"\">two-regions</td>") || html.contains(">two-regions<"));
        // No variants: a usage error with a hint.
        hacalc()
            .args(["compare", &example("web-service.yaml")])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("has no variants"));
        // The output may not replace the model.
        hacalc()
            .args(["compare", &options, "-o", &options])
            .assert()
            .code(2);
        assert!(
            std::fs::read_to_string(&options)
                .unwrap()
                .contains("variants:")
        );
    }

    #[test]
    fn sweep_in_every_format() {
        let web = example("web-service.yaml");
        let v = json(&[
            "sweep", &web, "--param", "web.mttr", "--from", "5m", "--to", "4h", "--steps", "5",
            "--target", "99.99%", "--format", "json",
        ]);
        assert_eq!(v["points"].as_array().unwrap().len(), 5);
        assert!((v["points"][0]["value"].as_f64().unwrap() - 5.0 / 60.0).abs() < 1e-12);
        let c = &v["crossings"][0];
        let hours = c["crossing_hours"].as_f64().unwrap();
        assert!(hours > 2.0 && hours < 3.0, "{c}");
        assert!(c.get("crossing").is_none());
        let v = json(&[
            "sweep",
            &web,
            "--param",
            "frontend.k",
            "--from",
            "1",
            "--to",
            "3",
            "--format",
            "json",
            "--target",
            "99.99%",
        ]);
        assert!(v["crossings"][0]["crossing"].is_number(), "{v}");
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("s.html");
        hacalc()
            .args([
                "sweep",
                &web,
                "--param",
                "db.mttr",
                "--from",
                "15m",
                "--to",
                "8h",
                "--format",
                "html",
                "-o",
                out.to_str().unwrap(),
                "--target",
                "99.994%",
            ])
            .assert()
            .success();
        let html = std::fs::read_to_string(&out).unwrap();
        assert_eq!(html.matches("<svg").count(), 2);
        assert!(html.contains("is met while db.mttr &lt;="), "{html}");
        hacalc()
            .args([
                "sweep", &web, "--param", "web.mttr", "--from", "5m", "--to", "1h", "--param",
                "db.mttr", "--from", "1h", "--to", "4h", "--steps", "3",
            ])
            .assert()
            .success()
            .stdout(predicate::str::contains("web.mttr   db.mttr"));
        for (args, message) in [
            (vec!["--param", "db.mttr", "--from", "1h"], "required"),
            (
                vec!["--param", "db.mttr", "--from", "1h", "--to", "3"],
                "different kinds of quantity",
            ),
            (
                vec!["--param", "dbx.mttr", "--from", "1h", "--to", "3h"],
                "no component, named block or model key `dbx`",
            ),
            (
                vec![
                    "--param",
                    "db.mttr",
                    "--from",
                    "1h",
                    "--to",
                    "3h",
                    "--max-solves",
                    "3",
                ],
                "more than --max-solves 3",
            ),
        ] {
            hacalc()
                .args(["sweep", &web])
                .args(&args)
                .assert()
                .code(2)
                .stderr(predicate::str::contains(message));
        }
    }

    #[test]
    fn diff_exits_like_check() {
        let web = example("web-service.yaml");
        let dir = tempfile::tempdir().unwrap();
        let worse = dir.path().join("worse.yaml");
        let text = std::fs::read_to_string(&web).unwrap();
        std::fs::write(&worse, text.replacen("    mttr: 1h30m", "    mttr: 3d", 1)).unwrap();
        let worse = worse.to_str().unwrap();
        hacalc()
            .args(["diff", &web, &web])
            .assert()
            .success()
            .stdout(predicate::str::contains("no change in the model"));
        hacalc()
            .args(["diff", &web, worse])
            .assert()
            .code(1)
            .stdout(predicate::str::contains("now MISSED"));
        let md = hacalc()
            .args(["diff", &web, worse, "--format", "markdown"])
            .output()
            .unwrap();
        let md = String::from_utf8(md.stdout).unwrap();
        assert!(
            md.lines()
                .nth(2)
                .unwrap()
                .starts_with("**availability 99.9942% -> "),
            "{md}"
        );
        assert!(md.contains("<details><summary>What changed in the model (1)</summary>"));
        assert!(
            md.contains("| component db | changed | mttr: 1h30m -&gt; 3d |")
                || md.contains("| component db | changed | mttr: 1h30m -> 3d |"),
            "{md}"
        );
        let v = json(&["diff", &web, worse, "--format", "json"]);
        assert_eq!(v["met"], false);
        assert_eq!(v["changes"][0]["name"], "db");
        assert!(v["delta_downtime_hours"].as_f64().unwrap() > 1.0);
        hacalc()
            .args([
                "diff",
                &web,
                worse,
                "--target",
                "99%",
                "--max-downtime",
                "1d",
            ])
            .assert()
            .success();
        hacalc()
            .args(["diff", &web, "/nonexistent.yaml"])
            .assert()
            .code(2);
        hacalc().args(["diff", "-", "-"]).assert().code(2);
    }

    #[test]
    fn allocate_in_every_format() {
        let web = example("web-service.yaml");
        let v = json(&["allocate", &web, "--target", "99.996%", "--format", "json"]);
        let set = v["proposals"][0]["set"].as_str().unwrap();
        assert_eq!(v["proposals"][0]["sets"][0], set);
        assert!(set.starts_with("dns.mttr="), "{v}");
        // The `set` is accepted by --set as written, and meets the target.
        hacalc()
            .args(["check", &web, "--target", "99.996%", "--set", set])
            .assert()
            .success();
        hacalc()
            .args(["allocate", &web, "--target", "99.996%"])
            .assert()
            .success()
            .stdout(predicate::str::contains("alone meets 99.996%"));
        hacalc()
            .args(["allocate", &web, "--target", "99%"])
            .assert()
            .success()
            .stdout(predicate::str::contains("already meets"));
        let none = tempfile::Builder::new().suffix(".yaml").tempfile().unwrap();
        std::fs::write(
            none.path(),
            "components:\n  a: { mtbf: 1y, mttr: 1h }\nsystem: a\n",
        )
        .unwrap();
        hacalc()
            .args(["allocate", none.path().to_str().unwrap()])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("no target to work back from"));
        hacalc()
            .args([
                "allocate",
                &web,
                "--target",
                "99.9999999%",
                "--format",
                "markdown",
            ])
            .assert()
            .success()
            .stdout(predicate::str::contains("no single change meets"));
    }
}

/// What a hostile review found, each pinned.
mod regressions {
    use super::*;

    /// The value a crossing statement prints meets that target when solved as printed.
    #[test]
    fn printed_crossings_meet_their_target() {
        for (name, param, from, to, log) in [
            ("design-options.yaml", "db.mtbf", "1d", "60d", false),
            ("web-service.yaml", "db.failure_rate", "1/1y", "1/1d", true),
            ("web-service.yaml", "web.mtbf", "1h", "30d", false),
            ("web-service.yaml", "web.mttr", "5m", "4h", false),
            ("bad-deploys.yaml", "api.mttr", "1m", "1d", true),
        ] {
            let (file, text) = example(name);
            let none = Edits::default();
            let s =
                Session::open(&file, &text, &none, Options::default(), Request::default()).unwrap();
            let sw = sweep::sweep(
                &s,
                vec![Axis::new(param, from, to, 12, log).unwrap()],
                sweep::DEFAULT_MAX_SOLVES,
            )
            .unwrap();
            for c in &sw.crossings {
                let shown = c.statement.rsplit(' ').next().unwrap();
                let a = solve_edited(&text, &edits(&[&format!("{param}={shown}")])).unwrap();
                let v = a
                    .verdicts
                    .iter()
                    .find(|v| {
                        v.kind == c.kind
                            && v.summary.split(':').next() == c.target.split(':').next()
                    })
                    .or_else(|| a.verdicts.iter().find(|v| v.kind == c.kind))
                    .unwrap();
                assert!(
                    v.met,
                    "{name}: {} but {param}={shown} gives {}",
                    c.statement, v.summary
                );
            }
        }
    }

    /// Components whose names are top-level keys, hold dots or `=`: every proposal is a
    /// path to that component alone, and re-solved from its text it meets the target.
    #[test]
    fn allocations_for_awkward_names() {
        let text = "targets: { availability: 99.99% }\ncomponents:\n  targets: { mtbf: 30d, mttr: 1h }\n  \"db.primary\": { mtbf: 30d, mttr: 1h }\n  db: { mtbf: 60d, mttr: 2h }\n  \"a=b\": { mtbf: 90d, mttr: 1h }\nsystem: { series: [targets, \"db.primary\", db, \"a=b\"] }\n";
        let none = Edits::default();
        let s = Session::open(
            "odd.yaml",
            text,
            &none,
            Options::default(),
            Request::default(),
        )
        .unwrap();
        let a = allocate::allocate(&s, By::Mttr).unwrap();
        let b = a.balanced.expect("a balanced allocation exists");
        assert_eq!(b.changes.len(), 4);
        for c in &b.changes {
            let alone = solve_edited(text, &edits(&[&format!("{}={}", c.path, c.to)])).unwrap();
            let base = solve_text(text);
            // The change reaches its component and no other.
            let moved: Vec<&str> = alone
                .solution
                .components
                .iter()
                .zip(&base.solution.components)
                .filter(|(x, y)| x.measures.avail != y.measures.avail)
                .map(|(x, _)| x.name.as_str())
                .collect();
            assert_eq!(moved, [c.component.as_str()], "{}", c.path);
        }
        let all: Vec<String> = b.sets();
        let refs: Vec<&str> = all.iter().map(String::as_str).collect();
        assert!(solve_edited(text, &edits(&refs)).unwrap().targets_met());
    }

    #[test]
    fn quoted_names_in_paths() {
        let text = "components:\n  db: { mtbf: 30d, mttr: 1h }\n  \"db.mttr\": { mtbf: 60d, mttr: 2h }\nsystem: { series: [db, \"db.mttr\"] }\n";
        let by_file = solve_text(&text.replacen(
            "db: { mtbf: 30d, mttr: 1h }",
            "db: { mtbf: 30d, mttr: 5h }",
            1,
        ));
        same_numbers(
            &by_file,
            &solve_edited(text, &edits(&["components.\"db\".mttr=5h"])).unwrap(),
        );
        same_numbers(
            &by_file,
            &solve_edited(text, &edits(&["\"db\".mttr=5h"])).unwrap(),
        );
        let r = solve_edited(text, &edits(&["\"db.mttr=5h"])).err().unwrap();
        assert!(
            r.to_plain().contains("no `=`") || r.to_plain().contains("not closed"),
            "{}",
            r.to_plain()
        );
    }

    /// `shared` and `slo` of a named block sit beside its kind.
    #[test]
    fn block_level_keys_beside_the_kind() {
        let (_, text) = example("design-options.yaml");
        let by_file = solve_text(&text.replacen(
            "    slo: 99.99%                 # the database team's promise to the API teams",
            "    slo: 99.9%",
            1,
        ));
        same_numbers(
            &by_file,
            &solve_edited(&text, &edits(&["database.slo=99.9%"])).unwrap(),
        );
        let shared = text.replacen(
            "    k_of_n: { k: 1, n: 2, of: db, crews: 1 }   # primary and replica, one DBA on call",
            "    k_of_n: { k: 1, n: 2, of: db, crews: 1 }\n    shared: true",
            1,
        );
        same_numbers(
            &solve_text(&shared),
            &solve_edited(&text, &edits(&["database.shared=true"])).unwrap(),
        );
    }

    /// Every bad assignment is listed, and a bad count says nothing false about the file.
    #[test]
    fn every_assignment_problem_and_no_follow_ups() {
        let (_, text) = example("design-options.yaml");
        let r = solve_edited(&text, &edits(&["nope=1", "db.mttr=-5m"]))
            .err()
            .unwrap();
        assert_eq!(r.diagnostics.len(), 2, "{}", r.to_plain());
        for bad in ["regions.n=0", "regions.n=abc", "regions.n=2.5"] {
            let r = solve_edited(&text, &edits(&[bad])).err().unwrap();
            assert_eq!(r.diagnostics.len(), 1, "{bad}: {}", r.to_plain());
            assert!(
                r.to_plain().starts_with(&format!("--set {bad}:1:")),
                "{}",
                r.to_plain()
            );
        }
        // The file's variants are checked with assignments given too.
        let broken = text.replacen("    regions.n: 2", "    regions.n: 0", 1);
        let r = solve_edited(&broken, &edits(&["db.mttr=1h"]))
            .err()
            .unwrap();
        assert!(
            r.to_plain().contains("in variant `two-regions`"),
            "{}",
            r.to_plain()
        );
    }

    /// diff with a --set that cancels a change lists nothing; a sweep's problems point at
    /// --param, not at a --set nobody typed.
    #[test]
    fn diff_with_set_and_sweep_errors() {
        let (file, text) = example("design-options.yaml");
        let faster = text.replacen("    mttr: 6h ", "    mttr: 30m ", 1);
        let d = diff::diff(
            (&file, &text),
            ("new.yaml", &faster),
            &edits(&["db.mttr=6h"]),
            &Options::default(),
            &Request::default(),
        )
        .unwrap();
        assert!(d.changes.is_empty(), "{:?}", d.changes);
        assert_eq!(d.old.availability, d.new.availability);
        let none = Edits::default();
        let s = Session::open(&file, &text, &none, Options::default(), Request::default()).unwrap();
        let r = sweep::sweep(
            &s,
            vec![Axis::new("db.mttr", "0m", "1h", 3, false).unwrap()],
            100,
        )
        .err()
        .unwrap();
        assert!(
            r.to_plain().starts_with("--param db.mttr=0h:1:"),
            "{}",
            r.to_plain()
        );
        let r = sweep::sweep(
            &s,
            vec![Axis::new("regions.n", "1", "3.5", 3, false).unwrap()],
            100,
        )
        .err()
        .unwrap();
        assert!(
            r.to_plain()
                .starts_with("--param regions.n:1:1: error: `regions.n` is a whole number"),
            "{}",
            r.to_plain()
        );
        let r = sweep::sweep(
            &s,
            vec![Axis::new("db.mttr", "1h", "3h", 30, false).unwrap()],
            20,
        )
        .err()
        .unwrap();
        assert!(
            r.to_plain().starts_with("--max-solves 20:1:1: error"),
            "{}",
            r.to_plain()
        );
    }
}

mod cli_regressions {
    use assert_cmd::Command;
    use predicates::prelude::*;

    fn hacalc() -> Command {
        let mut c = Command::cargo_bin("hacalc").unwrap();
        c.env("NO_COLOR", "1");
        c
    }

    fn example(name: &str) -> String {
        format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"))
    }

    #[test]
    fn refused_combinations() {
        let options = example("design-options.yaml");
        hacalc()
            .args(["compare", &options, "--variant", "two-regions"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("does not apply"));
        hacalc()
            .args([
                "sweep", &options, "--param", "db.mttr", "--from", "1h", "--to", "2h", "--param",
                "db.mttr", "--from", "1h", "--to", "2h",
            ])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("given twice"));
        hacalc()
            .args(["allocate", &options, "--max-solves", "3"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--max-solves 3:1:1: error"));
        // Sweeping the horizon: downtime per each point's own horizon.
        hacalc()
            .args([
                "sweep",
                &example("web-service.yaml"),
                "--param",
                "horizon",
                "--from",
                "1d",
                "--to",
                "1y",
                "--steps",
                "3",
            ])
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "downtime per horizon (each point's own)",
            ));
        // --set into compare: the model row says so.
        let out = hacalc()
            .args([
                "compare",
                &options,
                "--set",
                "db.mttr=1h",
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["model"]["set"][0], "db.mttr=1h");
        assert_eq!(v["variants"][1]["set"][1], "db.mttr=1h");
    }
}
