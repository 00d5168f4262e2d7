#!/usr/bin/env python3
"""Public known-answer cases for hacalc: a YAML model in the format of ../FORMAT.md and its exact
answers, computed by exact.py in 50-digit arithmetic. Every number in cases/*.expected.json is the
truth a test should reproduce (unavailability to a relative 1e-12 for independent blocks, 1e-9 for
Markov blocks).

Regenerate: python3 -m pip install mpmath && python3 cases.py   (writes cases/NAME.yaml and
cases/NAME.expected.json beside this file)."""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from exact import (Blk, comp, component_measures, crews_chain, ctmc, dur, fd_checks,  # noqa: E402
                   k_of_n, network, parallel, series, standby_chain, static)
from mpmath import mp, mpf  # noqa: E402

OUT = HERE
Y = dur("1y")


def case(name, yaml_text, blk, note, horizon=Y):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name + ".yaml"), "w") as fh:
        fh.write(yaml_text.lstrip("\n"))
    exp = {
        "note": note,
        "horizon_hours": float(horizon),
        "availability": mp.nstr(blk.A, 40),
        "unavailability": mp.nstr(blk.U, 40),
        "nines": mp.nstr(-mp.log10(blk.U), 20),
        "downtime_hours": mp.nstr(blk.U * horizon, 40),
        "failures": None if blk.f is None else mp.nstr(blk.f * horizon, 40),
        "mtbf_hours": None if blk.f is None else mp.nstr(blk.A / blk.f, 40),
        "mttr_hours": None if blk.f is None else mp.nstr(blk.U / blk.f, 40),
        "components": components(name, yaml_text, blk, horizon),
    }
    with open(os.path.join(OUT, name + ".expected.json"), "w") as fh:
        json.dump(exp, fh, indent=1)
    print(f"{name:26s} U={mp.nstr(blk.U, 15):>24s}  {note}")


def rel(a, b):
    return abs(a - b) / max(abs(a), abs(b)) if a != b else mpf(0)


def components(name, yaml_text, blk, horizon):
    """The "components" object: per component (YAML order) its Birnbaum importance, downtime
    saved if it never failed, that as a share of system downtime, and the system failures per
    horizon it causes (None unless it is only plain two-state copies with rates). Computed at
    90 digits from the YAML by exact.component_measures and rounded to 40; refused unless
    (a) the YAML's system U matches the hand-built `blk` to 1e-40, (b) the 60-digit run agrees
    to 1e-40, (c) central differences at 130 digits (exact.fd_checks) agree to 1e-45, and
    (d) where every component is plain, the failures caused add up to the system's failures
    (Barlow-Proschan: every system failure starts with a critical copy's failure)."""
    import yaml
    if not yaml.safe_load(yaml_text).get("components"):
        return {}
    with mp.workdps(60):
        low, _, _, _ = component_measures(yaml_text)
    with mp.workdps(130):
        hi, _, _, _ = component_measures(yaml_text)
        worst = fd_checks(yaml_text, hi)
        assert worst < mpf(10) ** -45, (name, worst)
    with mp.workdps(90):
        got, A, U, h = component_measures(yaml_text)
        assert h == horizon, (name, h, horizon)
        assert rel(U, blk.U) < mpf(10) ** -40, (name, U, blk.U)
        for c, m in got.items():
            for key, v in m.items():
                if v is not None:
                    assert rel(v, low[c][key]) < mpf(10) ** -40, (name, c, key, v, low[c][key])
                    assert rel(v, hi[c][key]) < mpf(10) ** -60, (name, c, key, v, hi[c][key])
        if all(m["caused_per_hour"] is not None for m in got.values()):
            assert rel(sum(m["caused_per_hour"] for m in got.values()), blk.f) < mpf(10) ** -40, name
        return {
            c: {
                "birnbaum": mp.nstr(m["birnbaum"], 40),
                "downtime_saved_hours": mp.nstr(m["saved_u"] * h, 40),
                "downtime_share": mp.nstr(m["saved_u"] / U, 40),
                "system_failures_caused": None if m["caused_per_hour"] is None
                else mp.nstr(m["caused_per_hour"] * h, 40),
            }
            for c, m in got.items()
        }


def fr(x):
    return mpf(x.split("/")[0]) / mpf(x.split("/")[1]) if "/" in x else mpf(x)


def main():
    c = comp(mpf(1000), mpf(10))
    case("p01_single", """
components:
  unit: { mtbf: 1000h, mttr: 10h }
system: unit
""", c, "one component: A = mtbf / (mtbf + mttr)")

    a, b, d = comp(dur("30d"), dur("2h")), comp(dur("1y"), dur("8h")), comp(dur("90d"), dur("45m"))
    case("p02_series3", """
components:
  app:   { mtbf: 30d, mttr: 2h }
  db:    { mtbf: 1y, mttr: 8h }
  queue: { mtbf: 90d, mttr: 45m }
system:
  series: [app, db, queue]
""", series(a, b, d), "series of three different components")

    case("p03_parallel2", """
components:
  unit: { mtbf: 1000h, mttr: 10h }
system:
  parallel: [unit, unit]
""", parallel(c, c), "two independent copies in parallel, each with its own repair")

    w = comp(dur("30d"), dur("4h"))
    case("p04_2of3", """
components:
  web: { mtbf: 30d, mttr: 4h }
system:
  k_of_n: { k: 2, n: 3, of: web }
""", k_of_n(2, [w] * 3), "2-of-3 identical copies")

    hs = [comp(dur(x), dur(y)) for x, y in [("40d", "2h"), ("60d", "3h"), ("90d", "1h"), ("25d", "30m"), ("1y", "1d")]]
    case("p05_3of5_heterogeneous", """
components:
  s1: { mtbf: 40d, mttr: 2h }
  s2: { mtbf: 60d, mttr: 3h }
  s3: { mtbf: 90d, mttr: 1h }
  s4: { mtbf: 25d, mttr: 30m }
  s5: { mtbf: 1y, mttr: 1d }
system:
  k_of_n: { k: 3, of: [s1, s2, s3, s4, s5] }
""", k_of_n(3, hs), "3-of-5 with different components")

    dns, lb = static("0.9999"), comp(dur("2y"), dur("1h"))
    app, pg = comp(dur("14d"), dur("1h")), comp(dur("180d"), dur("6h"))
    case("p06_web_stack", """
name: web-stack
horizon: 30d
targets:
  availability: 99.9%
components:
  dns: { availability: 99.99% }
  lb:  { mtbf: 2y, mttr: 1h }
  app: { mtbf: 14d, mttr: 1h }
  pg:  { mtbf: 180d, mttr: 6h }
blocks:
  database:
    parallel: [pg, pg]
system:
  series:
    - dns
    - lb
    - k_of_n: { k: 2, n: 4, of: app }
    - database
""", series(dns, lb, k_of_n(2, [app] * 4), parallel(pg, pg)),
        "nested stack with a static availability: failures, mtbf and mttr are null", horizon=dur("30d"))

    u = comp(mpf(999999), mpf(1))
    case("p07_ultra_parallel3", """
components:
  u: { mtbf: 999999h, mttr: 1h }
system:
  parallel: [u, u, u]
""", parallel(u, u, u), "U = 1e-18: 1 - A in double precision gives 0; carry U directly")

    e = [comp(dur(x), dur(y)) for x, y in [("50d", "3h"), ("70d", "5h"), ("40d", "2h"), ("100d", "6h"), ("20d", "1h")]]
    case("p08_bridge", """
components:
  l1: { mtbf: 50d, mttr: 3h }
  l2: { mtbf: 70d, mttr: 5h }
  l3: { mtbf: 40d, mttr: 2h }
  l4: { mtbf: 100d, mttr: 6h }
  l5: { mtbf: 20d, mttr: 1h }
system:
  network:
    from: client
    to: server
    links:
      - { from: client, to: x, via: l1 }
      - { from: client, to: y, via: l2 }
      - { from: x, to: server, via: l3 }
      - { from: y, to: server, via: l4 }
      - { from: x, to: y, via: l5 }
""", network([("client", "x", e[0]), ("client", "y", e[1]), ("x", "server", e[2]), ("y", "server", e[3]),
              ("x", "y", e[4])], "client", "server"), "bridge: not series-parallel; links carry both ways")

    case("p09_shared_repair_pair", """
components:
  unit: { mtbf: 1000h, mttr: 10h }
system:
  parallel: { n: 2, of: unit, crews: 1 }
""", crews_chain(2, 1, 1, mpf(1000), mpf(10)), "two copies, one repair crew (compare p03)")

    case("p10_cold_standby", """
components:
  db: { mtbf: 2000h, mttr: 8h }
system:
  standby: { of: db, n: 2, mode: cold, switchover: 1m, coverage: 95%, manual_switchover: 15m, crews: 1 }
""", standby_chain(2, 1, 1, 0, mpf(2000), mpf(8), dur("1m"), mpf("0.95"), dur("15m")),
        "cold standby with switchover delay and imperfect coverage")

    case("p11_warm_standby", """
components:
  node: { mtbf: 1500h, mttr: 12h }
system:
  standby: { of: node, n: 2, mode: warm, spare_factor: 0.5, crews: 1 }
""", standby_chain(2, 1, 1, mpf("0.5"), mpf(1500), mpf(12), None, mpf(1), None),
        "warm standby, instant perfect switchover")

    case("p12_2of4_one_crew", """
components:
  node: { mtbf: 500h, mttr: 20h }
system:
  k_of_n: { k: 2, n: 4, of: node, crews: 1 }
""", crews_chain(4, 2, 1, mpf(500), mpf(20)), "2-of-4 with one repair crew")

    lam, beta = 1 / mpf(1000), mpf("0.1")
    case("p13_common_cause_pair", """
components:
  unit: { mtbf: 1000h, mttr: 10h }
system:
  parallel: { n: 2, of: unit, common_cause: { beta: 10% } }
""", series(comp(1 / (beta * lam), mpf(10)), parallel(*[comp(1 / ((1 - beta) * lam), mpf(10))] * 2)),
        "beta-factor: series of a common-cause element (rate beta*lambda) and the independent pair")

    ladder = [("s0_ok", "s1_transient", "1/100"), ("s1_transient", "s0_ok", "10000"),
              ("s1_transient", "s2_degraded", "1/10000"), ("s2_degraded", "s1_transient", "10000"),
              ("s2_degraded", "s3_outage", "1/100000000"), ("s3_outage", "s2_degraded", "10000"),
              ("s3_outage", "s4_outage_deep", "1/1000000"), ("s4_outage_deep", "s0_ok", "1/100"),
              ("s4_outage_deep", "s3_outage", "10000")]
    lines = "\n".join(f"      - {{ from: {x}, to: {y}, rate: {float(fr(r)):g}/h }}" for x, y, r in ladder)
    case("p14_stiff_ladder", f"""
system:
  markov:
    states: [s0_ok, s1_transient, s2_degraded, s3_outage, s4_outage_deep]
    up: [s0_ok, s1_transient, s2_degraded]
    transitions:
{lines}
""", ctmc(["s0_ok", "s1_transient", "s2_degraded", "s3_outage", "s4_outage_deep"],
         {"s0_ok", "s1_transient", "s2_degraded"}, {(x, y): fr(r) for x, y, r in ladder}),
        "stiff chain, rates 1e-8..1e4, U ~ 1e-26: a float64 LU solve returns a negative U; GTH does not")

    ncd = [("u0", "u1", "10000"), ("u1", "u0", "10000"), ("u1", "u2", "10000"), ("u2", "u1", "10000"),
           ("u2", "u0", "10000"), ("u0", "u2", "10000"), ("u2", "d0", "1/100000000"), ("d0", "d1", "10000"),
           ("d1", "d0", "10000"), ("d1", "u0", "1"), ("d0", "u0", "1")]
    lines = "\n".join(f"      - {{ from: {x}, to: {y}, rate: {float(fr(r)):g}/h }}" for x, y, r in ncd)
    case("p15_stiff_ncd", f"""
system:
  markov:
    states: [u0, u1, u2, d0, d1]
    up: [u0, u1, u2]
    transitions:
{lines}
""", ctmc(["u0", "u1", "u2", "d0", "d1"], {"u0", "u1", "u2"}, {(x, y): fr(r) for x, y, r in ncd}),
        "nearly completely decomposable chain: fast clusters joined by a 1e-8 leak")

    sb = standby_chain(2, 1, 1, 0, mpf(2000), mpf(8), dur("1m"), mpf("0.95"), dur("15m"))
    case("p16_mixed_hierarchy", """
components:
  gw: { mtbf: 3y, mttr: 20m }
  db: { mtbf: 2000h, mttr: 8h }
  app: { mtbf: 10d, mttr: 30m }
system:
  series:
    - gw
    - k_of_n: { k: 2, n: 3, of: app, crews: 1 }
    - standby: { of: db, n: 2, mode: cold, switchover: 1m, coverage: 95%, manual_switchover: 15m, crews: 1 }
""", series(comp(dur("3y"), dur("20m")), crews_chain(3, 2, 1, dur("10d"), dur("30m")), sb),
        "Markov blocks inside a block diagram (hierarchical composition)")


if __name__ == "__main__":
    main()
