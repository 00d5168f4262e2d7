//! The CI gate's verdicts against closed forms: met or not, the excess downtime (negative
//! when under budget) and the figures the summary states, for both kinds of target.

fn verdicts(yaml: &str) -> Vec<hacalc::analysis::targets::Verdict> {
    hacalc::analyse("t.yaml", yaml)
        .unwrap_or_else(|r| panic!("{}", r.to_plain()))
        .verdicts
}

/// One component, U = 2h / (998h + 2h) = 0.002: 17.52 h of downtime a year.
const MODEL: &str = "components:\n  a: { mtbf: 998h, mttr: 2h }\nsystem: a\n";

#[test]
fn availability_target() {
    let u = 0.002;
    let h = 8760.0;
    for (target, met) in [(0.99, true), (0.999, false)] {
        let v = verdicts(&format!("targets: {{ availability: {} }}\n{MODEL}", target));
        assert_eq!(v.len(), 1);
        let budget = (1.0 - target) * h;
        assert_eq!(v[0].met, met);
        assert!((v[0].target_downtime_hours - budget).abs() < 1e-9);
        let excess = u * h - budget;
        assert!(
            (v[0].excess_hours - excess).abs() < 1e-9,
            "{} vs {excess}",
            v[0].excess_hours
        );
        assert!((v[0].actual - (1.0 - u)).abs() < 1e-15);
        // The summary states the gap: 17.52 h against 87.6 h or 8.76 h.
        let gap = hacalc::units::duration(excess.abs());
        assert!(v[0].summary.contains(&gap), "{} lacks {gap}", v[0].summary);
    }
}

#[test]
fn downtime_target() {
    let downtime = 0.002 * 8760.0;
    for (max, met) in [(20.0, true), (10.0, false)] {
        let v = verdicts(&format!("targets: {{ downtime: {max}h }}\n{MODEL}"));
        assert_eq!(v[0].met, met);
        assert!(
            (v[0].excess_hours - (downtime - max)).abs() < 1e-9,
            "{}",
            v[0].excess_hours
        );
        assert!((v[0].actual - downtime).abs() < 1e-9);
        let gap = hacalc::units::duration((downtime - max).abs());
        assert!(v[0].summary.contains(&gap), "{} lacks {gap}", v[0].summary);
    }
}
