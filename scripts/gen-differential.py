#!/usr/bin/env python3
"""Writes tests/differential/cases.json: a few hundred random availability models, each with its
exact answers computed in 50-digit arithmetic by tests/reference/exact.py (mpmath), for a Rust
test that compares hacalc's numbers to this independent truth.

The models are drawn from a fixed seed (random.Random(20261126)) and every number in them is
chosen from finite lists of decimal values, so two runs write the same bytes. They cover:

- independent block diagrams: nested series / parallel / k_of_n lists and their copies forms
  (`parallel: {n, of}`, `k_of_n: {k, n, of}`) of components and of sub-blocks, named blocks used
  in several places (each use an independent copy), components given by mtbf + mttr,
  failure_rate + mttr (or repair_rate), availability + mttr and availability alone (static:
  failures, mtbf and mttr are then null), horizons other than 1y;
- every Markov kind, alone and nested in diagrams: shared repair (`crews`), beta-factor common
  cause (with and without crews), standby (cold / warm / hot, active, spare_factor, switchover,
  coverage + manual_switchover, crews) and explicit `markov` chains;
- networks, undirected and directed, with 3-8 links via components or small blocks.

Each case is {"name", "markov", "yaml", "expected": {horizon_hours, availability,
unavailability, nines, downtime_hours, failures, mtbf_hours, mttr_hours}} with the key names and
number formatting of tests/reference/cases.py (40 significant digits; null where unknown).
`markov` is true when the model has a crews / common_cause / standby / markov block (a Rust test
holds those to a relative 1e-9, the others to 1e-12).

    python3 scripts/gen-differential.py                  # writes tests/differential/cases.json
    python3 scripts/gen-differential.py --check BINARY   # ... and compares BINARY's answers
    scripts/gen-differential.sh [--check BINARY]         # the same in a virtualenv with mpmath

--check runs `BINARY solve FILE --format json` on every case and compares unavailability,
availability, failures, mtbf_hours and mttr_hours to the expected values (relative 1e-12, 1e-9
for Markov cases; null must match null); it exits 1 when a case is rejected or disagrees.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from fractions import Fraction
from itertools import product
import random

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "reference"))
import exact  # noqa: E402  (sets mp.dps = 50)
from exact import Blk, comp, crews_chain, ctmc, k_of_n, series, standby_chain  # noqa: E402
from mpmath import mp, mpf  # noqa: E402

SEED = 20261126
OUT = os.path.join(ROOT, "tests", "differential", "cases.json")

# How many cases of each kind, in this order (names are dNNN_kind).
PLAN = [
    ("rbd", 105),        # independent block diagrams
    ("crews", 30),       # shared repair, alone or nested
    ("cc", 25),          # beta-factor common cause, with and without crews
    ("standby", 35),     # cold / warm / hot standby
    ("markov", 30),      # explicit chains
    ("net", 22),         # undirected networks
    ("dinet", 23),       # directed networks
    ("mixed", 30),       # several Markov kinds and networks in one hierarchy
]

# Exact values are carried at 50 digits; a series or network takes U = 1 - A, so its U must stay
# well above 1e-50 for 25 correct digits. Systems are kept in a range a float64 solver can state.
MIN_U_SUBTRACTED = mpf("1e-25")
MIN_U_SYSTEM = mpf("1e-30")
MAX_U_SYSTEM = mpf("0.1")


class Reject(Exception):
    """The drawn model is outside the ranges above; draw another."""


# ---------------------------------------------------------------------------------------------
# Quantities: text as written in the YAML, and its exact value (hours, per hour, probability).

UNIT_H = {"ms": Fraction(1, 3600000), "s": Fraction(1, 3600), "min": Fraction(1, 60),
          "m": Fraction(1, 60), "h": Fraction(1), "d": Fraction(24), "w": Fraction(168),
          "y": Fraction(8760)}
SUB = {"y": ("w", 52), "w": ("d", 7), "d": ("h", 24), "h": ("m", 60), "m": ("s", 60),
       "s": ("ms", 1000)}
DUR_RE = re.compile(r"\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(ms|min|s|m|h|d|w|y)")
MANTISSAS = ["1", "1.2", "1.5", "2", "2.5", "3", "4", "4.5", "5", "6", "7.5", "8"]


def dur_frac(text):
    """Exact hours of a duration text (ms, s, m/min, h, d, w, y; compounds; exponents)."""
    pos, total = 0, Fraction(0)
    while pos < len(text):
        m = DUR_RE.match(text, pos)
        if not m:
            raise ValueError(f"bad duration {text!r}")
        total += Fraction(m.group(1)) * UNIT_H[m.group(2)]
        pos = m.end()
    return total


def hours(text):
    """Hours of a duration text at 50 digits; agrees with exact.dur where that parses it."""
    f = dur_frac(text)
    h = mpf(f.numerator) / f.denominator
    if re.fullmatch(r"([0-9.]+[smhdwy])+", text):
        e = exact.dur(text)
        assert abs(e - h) <= abs(h) * mpf("1e-45"), (text, e, h)
    return h


def rate_frac(text):
    """Exact events per hour of a rate text: 2e-5/h, 3/y, 1/30d."""
    num, den = text.split("/")
    if not den[0].isdigit() and den[0] != ".":
        den = "1" + den
    return Fraction(num) / dur_frac(den)


def mpq(fr):
    return mpf(fr.numerator) / fr.denominator


def dec_text(d):
    """A Decimal written plainly, without exponent or trailing zeros."""
    s = format(d.normalize(), "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def nice_values(lo, hi):
    """Decimal values m * 10^e (m from MANTISSAS) in [lo, hi] (Fractions), as sorted texts."""
    out = []
    for e in range(-6, 8):
        for m in MANTISSAS:
            d = Decimal(m).scaleb(e)
            if lo <= Fraction(d) <= hi:
                out.append(d)
    out.sort()
    return out


def num_text(rng, d):
    """A Decimal as plain text, or now and then in exponent form (2.5e-5)."""
    if rng.random() < 0.12 and (d >= 1000 or d < Decimal("0.01")):
        sign, digits, exp = d.normalize().as_tuple()
        mant = "".join(map(str, digits))
        e = exp + len(mant) - 1
        mant = mant[0] + ("." + mant[1:] if len(mant) > 1 else "")
        return f"{mant}e{e}"
    return dec_text(d)


def dur_text(rng, lo, hi, units):
    """A duration text in [lo, hi] hours (Fractions) using the given units."""
    lo, hi = Fraction(lo), Fraction(hi)
    for _ in range(200):
        u = rng.choice(units)
        if rng.random() < 0.15 and u in SUB and SUB[u][0] in units:
            small, ratio = SUB[u]
            text = f"{rng.randint(1, 3)}{u}{rng.randint(1, ratio - 1)}{small}"
        else:
            vals = nice_values(lo / UNIT_H[u], hi / UNIT_H[u])
            if rng.random() < 0.9:  # mostly numbers a person would write with this unit
                vals = [v for v in vals if Decimal("0.1") <= v <= 1000]
            if not vals:
                continue
            unit = "min" if u == "m" and rng.random() < 0.2 else u
            text = num_text(rng, rng.choice(vals)) + unit
        if lo <= dur_frac(text) <= hi:
            return text
    raise AssertionError(f"no duration in [{lo}, {hi}] with {units}")


def rate_text(rng, lo, hi):
    """A rate text whose value per hour is in [lo, hi] (Fractions)."""
    lo, hi = Fraction(lo), Fraction(hi)
    for _ in range(200):
        r = rng.random()
        if r < 0.25:  # one per a multiple of a unit: 1/30d
            u = rng.choice(["h", "d", "w", "y"])
            vals = [v for v in nice_values(1 / (hi * UNIT_H[u]), 1 / (lo * UNIT_H[u]))
                    if 1 <= v <= 10000]
            if not vals:
                continue
            text = f"1/{dec_text(rng.choice(vals))}{u}"
        else:
            u = rng.choice(["h", "d", "w", "y"])
            vals = [v for v in nice_values(lo * UNIT_H[u], hi * UNIT_H[u]) if v <= 1000]
            if not vals:
                continue
            text = f"{num_text(rng, rng.choice(vals))}/{u}"
        if lo <= rate_frac(text) <= hi:
            return text
    raise AssertionError(f"no rate in [{lo}, {hi}]")


def prob_text(rng, u_lo, u_hi, percent=None):
    """(text, A, U): a probability whose complement is in [u_lo, u_hi], as 99.95% or 0.9995.
    A and U are exact at 50 digits: the complement is taken on the decimal digits."""
    u = rng.choice(nice_values(Fraction(u_lo), Fraction(u_hi)))
    a = Decimal(1) - u
    if percent is None:
        percent = rng.random() < 0.75
    text = dec_text(a * 100) + "%" if percent else dec_text(a)
    return text, mpf(dec_text(a)), mpf(dec_text(u))


def prob_value(text):
    d = Decimal(text[:-1]) / 100 if text.endswith("%") else Decimal(text)
    return mpf(dec_text(d))


# ---------------------------------------------------------------------------------------------
# Models: components, named blocks and a tree of blocks, each able to write its YAML and compute
# its exact Blk.

COMP_NAMES = ["web", "app", "db", "cache", "lb", "dns", "api", "queue", "disk", "host", "psu",
              "nic", "switch", "router", "fw", "auth", "worker", "broker", "store", "gw", "cdn",
              "vm", "node", "ctrl", "proxy", "search", "mq", "kv", "ingest", "etl", "san",
              "raid", "ups", "pdu", "cpu", "mem", "fan", "link", "uplink", "replica"]
BLOCK_NAMES = ["tier", "stack", "zone", "pod", "rack", "cell", "site", "shard", "path", "group",
               "frontend", "backend", "storage", "edge", "core", "data", "control", "power"]
STATE_NAMES = ["ok", "degraded", "busy", "failover", "down", "repair", "outage", "restoring",
               "partial", "lost", "backup", "rebuild", "spare", "overload", "drain", "s1", "s2",
               "s3", "s4", "s5"]
SRC_NAMES = ["client", "office", "src", "edge", "users", "ingress"]
DST_NAMES = ["server", "app-zone", "sink", "dc", "backend", "origin"]
MID_NAMES = ["x", "r1", "r2", "r3", "hub", "core-a", "core-b", "pop1", "pop2", "agg", "spine",
             "leaf", "mid", "w1", "w2"]


class Comp:
    def __init__(self, name, spec, blk, mtbf, mttr):
        self.name, self.spec, self.blk, self.mtbf, self.mttr = name, spec, blk, mtbf, mttr


class Model:
    def __init__(self, rng, static_p):
        self.rng = rng
        self.comps = {}
        self.blocks = {}   # name -> node
        self.static_p = static_p

    def fresh(self, pool, taken):
        rng = self.rng
        base = rng.choice(pool)
        if base not in taken:
            return base
        for _ in range(100):
            name = base + rng.choice(["", "-", "_"]) + str(rng.randint(2, 9))
            if name not in taken:
                return name
        raise AssertionError("names")

    def taken(self):
        return set(self.comps) | set(self.blocks)

    # components -------------------------------------------------------------------------------
    def new_comp(self, rated):
        rng = self.rng
        name = self.fresh(COMP_NAMES, self.taken())
        r = rng.random()
        if not rated and r < self.static_p:
            text, A, U = prob_text(rng, Fraction(1, 10**6), Fraction(1, 10))
            c = Comp(name, {"availability": text}, Blk(A, U, None), None, None)
        else:
            r = rng.random()
            while True:
                # mtbf from 5 hours to 10 years, mttr from a minute to 5 days, A in ~[90%, 99.9999%]
                if r < 0.45:
                    mtbf_t = dur_text(rng, 5, 87600, ["h", "d", "w", "y"])
                    mttr_t = dur_text(rng, Fraction(1, 60), 120, ["s", "m", "h", "d"])
                    mtbf, mttr = hours(mtbf_t), hours(mttr_t)
                    spec = {"mtbf": mtbf_t, "mttr": mttr_t}
                elif r < 0.75:
                    lam_t = rate_text(rng, Fraction(1, 87600), Fraction(1, 5))
                    lam = mpq(rate_frac(lam_t))
                    mtbf = 1 / lam
                    if rng.random() < 0.3:
                        mu_t = rate_text(rng, Fraction(1, 120), 60)
                        mttr = 1 / mpq(rate_frac(mu_t))
                        spec = {"failure_rate": lam_t, "repair_rate": mu_t}
                    else:
                        mttr_t = dur_text(rng, Fraction(1, 60), 120, ["s", "m", "h", "d"])
                        mttr = hours(mttr_t)
                        spec = {"failure_rate": lam_t, "mttr": mttr_t}
                else:
                    text, A, U = prob_text(rng, Fraction(1, 10**6), Fraction(1, 10))
                    mttr_t = dur_text(rng, Fraction(1, 60), 120, ["s", "m", "h", "d"])
                    mttr = hours(mttr_t)
                    mtbf = mttr * A / U
                    spec = {"availability": text, "mttr": mttr_t}
                ratio = mttr / mtbf
                if mpf("1e-6") <= ratio <= mpf("0.11"):
                    break
            c = Comp(name, spec, comp(mtbf, mttr), mtbf, mttr)
        self.comps[name] = c
        return name

    def comp_ref(self, rated=False):
        """A component name: an existing one now and then (another independent copy)."""
        old = [n for n, c in self.comps.items() if not rated or c.mtbf is not None]
        if old and self.rng.random() < 0.3:
            return self.rng.choice(old)
        return self.new_comp(rated)

    def named(self, make):
        """A reference to a named block: an existing one (another copy) or a new one."""
        rng = self.rng
        done = [n for n, b in self.blocks.items() if b is not None]  # not one being drawn
        if done and rng.random() < 0.4:
            return Ref(rng.choice(done))
        name = self.fresh(BLOCK_NAMES, self.taken())
        self.blocks[name] = None  # reserve the name while the body is drawn
        body = make()
        if isinstance(body, Ref):
            body = Series([body, Ref(self.comp_ref())])
        self.blocks[name] = body
        return Ref(name)


# Block nodes ----------------------------------------------------------------------------------

class Node:
    markov = False

    def kids(self):
        return []


def guard(b):
    if b.U < MIN_U_SUBTRACTED:
        raise Reject("U of a series or network below 1e-25")
    return b


class Ref(Node):
    def __init__(self, name):
        self.name = name

    def y(self):
        return self.name

    def ev(self, m):
        if self.name in m.comps:
            return m.comps[self.name].blk
        return m.blocks[self.name].ev(m)

    def kids_named(self, m):
        return [m.blocks[self.name]] if self.name in m.blocks else []


class Series(Node):
    def __init__(self, items):
        self.items = items

    def y(self):
        return {"series": [i.y() for i in self.items]}

    def ev(self, m):
        return guard(series(*[i.ev(m) for i in self.items]))

    def kids(self):
        return self.items


class Par(Node):
    def __init__(self, items):
        self.items = items

    def y(self):
        return {"parallel": [i.y() for i in self.items]}

    def ev(self, m):
        return k_of_n(1, [i.ev(m) for i in self.items])

    def kids(self):
        return self.items


class KList(Node):
    def __init__(self, k, items, show_n):
        self.k, self.items, self.show_n = k, items, show_n

    def y(self):
        d = {"k": self.k}
        if self.show_n:
            d["n"] = len(self.items)
        d["of"] = [i.y() for i in self.items]
        return {"k_of_n": d}

    def ev(self, m):
        return k_of_n(self.k, [i.ev(m) for i in self.items])

    def kids(self):
        return self.items


class Copies(Node):
    """parallel: {n, of} (k None) or k_of_n: {k, n, of} of any block: independent copies."""

    def __init__(self, k, n, of):
        self.k, self.n, self.of = k, n, of

    def y(self):
        if self.k is None:
            return {"parallel": {"n": self.n, "of": self.of.y()}}
        return {"k_of_n": {"k": self.k, "n": self.n, "of": self.of.y()}}

    def ev(self, m):
        b = self.of.ev(m)
        return k_of_n(self.k or 1, [b] * self.n)

    def kids(self):
        return [self.of]


class Crews(Node):
    """Shared repair: k_of_n: {k, n, of: c, crews: C} or parallel: {n, of: c, crews: C}."""
    markov = True

    def __init__(self, k, n, comp_name, crews, order):
        self.k, self.n, self.c, self.crews, self.order = k, n, comp_name, crews, order

    def y(self):
        d = {"k": self.k} if self.k is not None else {}
        for key in self.order:
            d[key] = {"n": self.n, "of": self.c, "crews": self.crews}[key]
        return {"parallel": d} if self.k is None else {"k_of_n": d}

    def ev(self, m):
        c = m.comps[self.c]
        return crews_chain(self.n, self.k or 1, self.crews, c.mtbf, c.mttr)


class CommonCause(Node):
    """Beta factor: a series element at beta*lambda (the component's mttr) in series with the
    copies failing at (1 - beta)*lambda, repaired by the crews when given."""
    markov = True

    def __init__(self, k, n, comp_name, beta_text, crews):
        self.k, self.n, self.c, self.beta_text, self.crews = k, n, comp_name, beta_text, crews

    def y(self):
        d = {"k": self.k} if self.k is not None else {}
        d["n"] = self.n
        d["of"] = self.c
        d["common_cause"] = {"beta": self.beta_text}
        if self.crews is not None:
            d["crews"] = self.crews
        return {"parallel": d} if self.k is None else {"k_of_n": d}

    def ev(self, m):
        c = m.comps[self.c]
        beta = prob_value(self.beta_text)
        lam = 1 / c.mtbf
        shared = comp(1 / (beta * lam), c.mttr)
        ind_mtbf = 1 / ((1 - beta) * lam)
        k = self.k or 1
        if self.crews is not None:
            group = crews_chain(self.n, k, self.crews, ind_mtbf, c.mttr)
        else:
            group = k_of_n(k, [comp(ind_mtbf, c.mttr)] * self.n)
        return guard(series(shared, group))


class Standby(Node):
    markov = True

    def __init__(self, spec):
        self.spec = spec  # ordered dict of the YAML keys

    def y(self):
        return {"standby": dict(self.spec)}

    def ev(self, m):
        s = self.spec
        c = m.comps[s["of"]]
        n = s["n"]
        k = s.get("active", 1)
        mode = s.get("mode", "warm" if "spare_factor" in s else "cold")
        phi = {"cold": mpf(0), "hot": mpf(1)}.get(mode)
        if mode == "warm":
            phi = mpf(s["spare_factor"])
        sw = hours(s["switchover"]) if "switchover" in s else mpf(0)
        sw = None if sw == 0 else sw
        cov = prob_value(s["coverage"]) if "coverage" in s else mpf(1)
        manual = hours(s["manual_switchover"]) if "manual_switchover" in s else None
        crews = s.get("crews", n)
        return standby_chain(n, k, crews, phi, c.mtbf, c.mttr, sw, cov, manual)


class Markov(Node):
    markov = True

    def __init__(self, states, up, transitions):
        self.states, self.up, self.transitions = states, up, transitions  # (from, to, key, text)

    def y(self):
        return {"markov": {"states": list(self.states), "up": list(self.up),
                           "transitions": [{"from": a, "to": b, key: t}
                                           for a, b, key, t in self.transitions]}}

    def ev(self, m):
        trans = {}
        for a, b, key, t in self.transitions:
            r = mpq(rate_frac(t)) if key == "rate" else 1 / hours(t)
            assert (a, b) not in trans
            trans[(a, b)] = r
        return ctmc(list(self.states), set(self.up), trans)


def network_enum(links, src, dst, directed):
    """Two-terminal reliability by enumerating the links' states, as exact.network does, with
    directed adjacency when asked. A and U are sums of positive terms; the failure frequency is
    sum_i f_i * P(link i is critical), also a sum of positive terms (None with a static link)."""
    nl = len(links)
    conn = {}
    for states in product([0, 1], repeat=nl):
        adj = {}
        for (a, b, _), st in zip(links, states):
            if st:
                adj.setdefault(a, []).append(b)
                if not directed:
                    adj.setdefault(b, []).append(a)
        seen, todo = {src}, [src]
        while todo:
            x = todo.pop()
            for y in adj.get(x, ()):
                if y not in seen:
                    seen.add(y)
                    todo.append(y)
        conn[states] = dst in seen
    assert conn[(1,) * nl], "no path from `from` to `to` with every link up"
    A, U = mpf(0), mpf(0)
    crit = [mpf(0)] * nl
    for states, ok in conn.items():
        p = mpf(1)
        for (_, _, bl), st in zip(links, states):
            p *= bl.A if st else bl.U
        if ok:
            A += p
        else:
            U += p
        for i, st in enumerate(states):
            if st and ok and not conn[states[:i] + (0,) + states[i + 1:]]:
                crit[i] += p / links[i][2].A
    if any(bl.f is None for _, _, bl in links):
        f = None
    else:
        f = sum(c * bl.f for c, (_, _, bl) in zip(crit, links))
    return Blk(A, U, f)


class Network(Node):
    def __init__(self, src, dst, links, directed, show_directed):
        self.src, self.dst, self.links = src, dst, links  # (from, to, node)
        self.directed, self.show_directed = directed, show_directed

    def y(self):
        d = {"from": self.src, "to": self.dst,
             "links": [{"from": a, "to": b, "via": n.y()} for a, b, n in self.links]}
        if self.show_directed:
            d["directed"] = self.directed
        return {"network": d}

    def ev(self, m):
        links = [(a, b, n.ev(m)) for a, b, n in self.links]
        mine = network_enum(links, self.src, self.dst, self.directed)
        if self.directed or mine.f is None:
            return guard(mine)
        b = guard(exact.network(links, self.src, self.dst))
        for x, y in ((b.A, mine.A), (b.U, mine.U), (b.f, mine.f)):
            assert abs(x - y) <= abs(y) * mpf("1e-20"), (x, y)
        return b

    def kids(self):
        return [n for _, _, n in self.links]


def uses_markov(node, m):
    if node.markov:
        return True
    if isinstance(node, Ref):
        return any(uses_markov(k, m) for k in node.kids_named(m))
    return any(uses_markov(k, m) for k in node.kids())


# ---------------------------------------------------------------------------------------------
# Random models.

class Gen:
    def __init__(self, rng):
        self.rng = rng

    def start(self, static_p=0.0):
        self.m = Model(self.rng, static_p)
        return self.m

    # Markov blocks ----------------------------------------------------------------------------
    def crews(self):
        rng, m = self.rng, self.m
        n = rng.randint(2, 10)
        c = rng.randint(1, n - 1)
        k = None if rng.random() < 0.4 else rng.randint(1, n)
        order = ["n", "of", "crews"]
        if rng.random() < 0.3:
            rng.shuffle(order)
        return Crews(k, n, m.comp_ref(rated=True), c, order)

    def common_cause(self):
        rng, m = self.rng, self.m
        n = rng.randint(2, 8)
        k = None if rng.random() < 0.5 else rng.randint(1, n)
        beta = rng.choice(["1%", "2%", "2.5%", "5%", "5%", "10%", "15%", "20%", "0.05", "0.1",
                           "0.02", "3%", "7.5%"])
        crews = rng.randint(1, n - 1) if rng.random() < 0.4 else None
        return CommonCause(k, n, m.comp_ref(rated=True), beta, crews)

    def standby(self):
        rng, m = self.rng, self.m
        n = rng.randint(2, 6) if rng.random() < 0.85 else rng.randint(7, 10)  # up to 33 states
        s = {"of": m.comp_ref(rated=True), "n": n}
        if rng.random() < 0.35:
            s["active"] = rng.randint(1, n - 1) if rng.random() < 0.95 else n
        elif rng.random() < 0.15:
            s["active"] = 1
        mode = rng.choice(["cold", "cold", "warm", "warm", "hot"])
        if mode != "warm" or rng.random() < 0.8:
            if not (mode == "cold" and rng.random() < 0.2):
                s["mode"] = mode
        if mode == "warm":
            s["spare_factor"] = rng.choice(["0.05", "0.1", "0.2", "0.25", "0.3", "0.5", "0.75"])
        r = rng.random()
        if r < 0.55:
            s["switchover"] = dur_text(rng, Fraction(1, 36000), Fraction(1, 6), ["ms", "s", "m"])
        elif r < 0.65:
            s["switchover"] = rng.choice(["0s", "0ms"])
        if rng.random() < 0.4:
            s["coverage"] = prob_text(rng, Fraction(1, 1000), Fraction(1, 5))[0]
            s["manual_switchover"] = dur_text(rng, Fraction(1, 60), 4, ["m", "h"])
        if rng.random() < 0.5:
            s["crews"] = rng.randint(1, n - 1) if rng.random() < 0.9 else n
        return Standby(s)

    def markov(self):
        rng = self.rng
        ns = rng.randint(3, 6)
        states = rng.sample(STATE_NAMES, ns)
        nup = rng.randint(1, ns - 1)
        up = [states[0]] + rng.sample(states[1:], nup - 1)
        upset = set(up)
        order = [states[0]] + rng.sample(states[1:], ns - 1)
        pairs = [(order[i], order[(i + 1) % ns]) for i in range(ns)]  # a cycle: irreducible
        for _ in range(rng.randint(0, ns + 2)):
            a, b = rng.sample(states, 2)
            if (a, b) not in pairs:
                pairs.append((a, b))
        rng.shuffle(pairs)
        stiff = rng.random() < 0.3  # rates from 1e-7 to 1e3 per hour
        trans = []
        for a, b in pairs:
            if a in upset and b not in upset:      # failures: rare
                lo, hi = (Fraction(1, 10**7), Fraction(1, 10**4)) if stiff else (Fraction(1, 10**5), Fraction(1, 50))
            elif a not in upset and b in upset:    # repairs: quick
                lo, hi = (Fraction(1), Fraction(1000)) if stiff else (Fraction(1, 20), Fraction(30))
            else:
                lo, hi = (Fraction(1, 10**4), Fraction(1000)) if stiff else (Fraction(1, 1000), Fraction(10))
            if rng.random() < 0.35:
                trans.append((a, b, "after", dur_text(rng, 1 / hi, 1 / lo, ["s", "m", "h", "d", "w", "y"])))
            else:
                trans.append((a, b, "rate", rate_text(rng, lo, hi)))
        return Markov(states, up, trans)

    def markov_block(self, kind=None):
        kind = kind or self.rng.choice(["crews", "cc", "standby", "markov"])
        return {"crews": self.crews, "cc": self.common_cause, "standby": self.standby,
                "markov": self.markov}[kind]()

    # block diagrams ---------------------------------------------------------------------------
    def leaf(self, markov_p=0.0, named_p=0.15, depth=1):
        rng, m = self.rng, self.m
        r = rng.random()
        if r < markov_p:
            return self.markov_block()
        if r < markov_p + named_p:
            return m.named(lambda: self.rbd(rng.randint(1, max(1, depth)), markov_p / 2))
        return Ref(m.comp_ref())

    def rbd(self, depth, markov_p=0.0):
        rng = self.rng
        if depth <= 0 or rng.random() < 0.15:
            return self.leaf(markov_p, depth=depth)
        sub = lambda: self.rbd(depth - 1, markov_p)  # noqa: E731
        form = rng.choice(["series", "series", "par", "par", "pcopies", "klist", "kcopies"])
        if form == "series":
            return Series([sub() for _ in range(rng.randint(2, 4))])
        if form == "par":
            return Par([sub() for _ in range(rng.randint(2, 3))])
        if form == "klist":
            items = [sub() for _ in range(rng.randint(3, 5))]
            return KList(rng.randint(1, len(items)), items, rng.random() < 0.3)
        # copies of a component (up to 10) or of a sub-block (up to 4)
        if rng.random() < 0.6:
            of, nmax = Ref(self.m.comp_ref()), 10
        else:
            of, nmax = self.rbd(depth - 1, markov_p / 2), 4
            if isinstance(of, Ref) and of.name in self.m.comps:
                nmax = 10
        n = rng.randint(2, nmax)
        if form == "pcopies":
            return Copies(None, n, of)
        return Copies(rng.randint(1, n), n, of)

    # networks -----------------------------------------------------------------------------------
    def link_block(self, markov_p):
        rng, m = self.rng, self.m
        r = rng.random()
        if r < markov_p:
            return self.markov_block(rng.choice(["crews", "cc", "standby", "markov"]))
        if r < markov_p + 0.15:
            return m.named(lambda: self.rbd(1))
        if r < markov_p + 0.35:
            return self.rbd(1)
        return Ref(m.comp_ref())

    def network(self, directed, markov_p=0.0, max_links=8):
        rng = self.rng
        nl = rng.randint(3, max_links)
        src, dst = rng.choice(SRC_NAMES), rng.choice(DST_NAMES)
        mids = rng.sample(MID_NAMES, rng.randint(1, min(4, nl - 1)))
        nodes = [src] + mids + [dst]
        path = [src] + rng.sample(mids, rng.randint(1, len(mids))) + [dst]
        edges = [(path[i], path[i + 1]) for i in range(len(path) - 1)]
        while len(edges) < nl:
            a, b = rng.sample(nodes, 2)
            if ((a, b) in edges or (b, a) in edges) and rng.random() < 0.85:
                continue
            edges.append((a, b))
        rng.shuffle(edges)
        if not directed:
            edges = [(b, a) if rng.random() < 0.5 else (a, b) for a, b in edges]
        links = [(a, b, self.link_block(markov_p)) for a, b in edges]
        show = directed or rng.random() < 0.25
        return Network(src, dst, links, directed, show)


def render_yaml(model, system, name, horizon, width, rng):
    top = {}
    if name:
        top["name"] = name
    if rng.random() < 0.15:
        top["description"] = DESCRIPTION
    if horizon:
        top["horizon"] = horizon
    if model.comps:
        top["components"] = {n: c.spec for n, c in model.comps.items()}
    if model.blocks:
        top["blocks"] = {n: b.y() for n, b in model.blocks.items()}
    top["system"] = system.y()
    return "\n".join(emit(top, 0, width)) + "\n"


DESCRIPTION = "Random model for the differential test"
PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.%/+-]*$")
RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


def flow(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        if v == DESCRIPTION:
            return v
        assert PLAIN.match(v) and v.lower() not in RESERVED, v
        return v
    if isinstance(v, list):
        return "[" + ", ".join(flow(x) for x in v) + "]"
    return "{ " + ", ".join(f"{k}: {flow(x)}" for k, x in v.items()) + " }"


def emit(v, ind, width):
    """Block-style YAML for a dict or list; a nested value is written in flow style when it
    fits in `width` columns."""
    pad = " " * ind
    lines = []
    if isinstance(v, dict):
        for k, x in v.items():
            if not isinstance(x, (dict, list)) or len(pad) + len(k) + 2 + len(flow(x)) <= width:
                lines.append(f"{pad}{k}: {flow(x)}")
            else:
                lines.append(f"{pad}{k}:")
                lines += emit(x, ind + 2, width)
        return lines
    for x in v:
        if not isinstance(x, (dict, list)) or len(pad) + 2 + len(flow(x)) <= width:
            lines.append(f"{pad}- {flow(x)}")
        else:
            sub = emit(x, ind + 2, width)
            sub[0] = pad + "- " + sub[0][ind + 2:]
            lines += sub
    return lines


HORIZONS = ["30d", "1w", "720h", "90d", "2y", "1d", "8760h", "6w", "1y", "4w2d", "1.5y", "100h",
            "1y26w", "365d"]


def draw(gen, kind):
    """One random model of the kind: (model, system node)."""
    rng = gen.rng
    if kind == "rbd":
        m = gen.start(static_p=0.25 if rng.random() < 0.3 else 0.0)
        sys_node = gen.rbd(rng.randint(2, 4))
        while isinstance(sys_node, Ref) and sys_node.name in m.comps:
            sys_node = gen.rbd(rng.randint(2, 4))
        return m, sys_node
    if kind in ("crews", "cc", "standby", "markov"):
        m = gen.start(static_p=0.2 if rng.random() < 0.15 else 0.0)
        r = rng.random()
        if r < 0.4:
            return m, gen.markov_block(kind)
        if r < 0.75:  # beside ordinary parts in a diagram
            items = [gen.markov_block(kind)] + [gen.rbd(rng.randint(0, 2)) for _ in range(rng.randint(1, 3))]
            rng.shuffle(items)
            shape = rng.choice(["series", "series", "par", "klist"])
            if shape == "series":
                return m, Series(items)
            if shape == "par":
                return m, Par(items)
            if len(items) < 3:
                items.append(Ref(m.comp_ref()))
            return m, KList(rng.randint(1, len(items) - 1), items, rng.random() < 0.3)
        if r < 0.9:  # in a named block used in several places
            ref = m.named(lambda: gen.markov_block(kind))
            uses = [ref, Ref(ref.name)] + [Ref(m.comp_ref()) for _ in range(rng.randint(0, 2))]
            rng.shuffle(uses)
            inner = Par(uses) if rng.random() < 0.5 else KList(rng.randint(1, len(uses)), uses, False)
            return m, Series([inner, Ref(m.comp_ref())])
        # copies of the chain
        n = rng.randint(2, 3)
        node = gen.markov_block(kind)
        return m, Series([Copies(None if rng.random() < 0.6 else rng.randint(1, n), n, node),
                          gen.rbd(1)])
    if kind in ("net", "dinet"):
        m = gen.start(static_p=0.2 if rng.random() < 0.15 else 0.0)
        net = gen.network(kind == "dinet", markov_p=0.1 if rng.random() < 0.3 else 0.0)
        r = rng.random()
        if r < 0.5:
            return m, net
        if r < 0.8:
            items = [net] + [gen.rbd(1) for _ in range(rng.randint(1, 2))]
            rng.shuffle(items)
            return m, Series(items)
        if r < 0.9:
            return m, Par([net, gen.rbd(2)])
        return m, Series([Copies(None, 2, net), Ref(m.comp_ref())])
    if kind == "mixed":
        m = gen.start(static_p=0.15 if rng.random() < 0.2 else 0.0)
        items = []
        for _ in range(rng.randint(2, 4)):
            r = rng.random()
            if r < 0.55:
                items.append(gen.markov_block())
            elif r < 0.75:
                items.append(gen.network(rng.random() < 0.5, markov_p=0.15, max_links=6))
            else:
                items.append(gen.rbd(2, markov_p=0.25))
        if not any(uses_markov(i, m) for i in items):
            items.append(gen.markov_block())
        rng.shuffle(items)
        r = rng.random()
        if r < 0.6:
            return m, Series(items)
        if r < 0.8:
            return m, Series([Par(items[:2])] + items[2:]) if len(items) > 2 else Par(items)
        return m, KList(rng.randint(1, len(items)), items, False)
    raise ValueError(kind)


def nstr(x, d=40):
    return mp.nstr(x, d)


def expected(blk, horizon):
    return {
        "horizon_hours": float(horizon),
        "availability": nstr(blk.A),
        "unavailability": nstr(blk.U),
        "nines": nstr(-mp.log10(blk.U), 20),
        "downtime_hours": nstr(blk.U * horizon),
        "failures": None if blk.f is None else nstr(blk.f * horizon),
        "mtbf_hours": None if blk.f is None else nstr(blk.A / blk.f),
        "mttr_hours": None if blk.f is None else nstr(blk.U / blk.f),
    }


def generate():
    rng = random.Random(SEED)
    gen = Gen(rng)
    cases = []
    i = 0
    for kind, count in PLAN:
        for _ in range(count):
            i += 1
            name = f"d{i:03d}_{kind}"
            for _attempt in range(1000):
                m, sys_node = draw(gen, kind)
                try:
                    blk = sys_node.ev(m)
                except Reject:
                    continue
                if not MIN_U_SYSTEM <= blk.U <= MAX_U_SYSTEM:
                    continue
                if blk.f is not None and blk.f <= 0:
                    continue
                break
            else:
                raise AssertionError(f"{name}: no model in range")
            horizon_t = rng.choice(HORIZONS) if rng.random() < 0.3 else ("1y" if rng.random() < 0.2 else None)
            horizon = hours(horizon_t) if horizon_t else hours("1y")
            width = rng.choice([40, 60, 80, 100, 120])
            text = render_yaml(m, sys_node, name if rng.random() < 0.6 else None, horizon_t, width, rng)
            cases.append({"name": name, "markov": uses_markov(sys_node, m), "yaml": text,
                          "expected": expected(blk, horizon)})
    return cases


# ---------------------------------------------------------------------------------------------
# --check: compare a hacalc binary with the expected values.

KEYS = ["unavailability", "availability", "failures", "mtbf_hours", "mttr_hours"]


def check(cases, binary):
    worst = {(mk, k): (0.0, None) for mk in (False, True) for k in KEYS}
    bad = []
    with tempfile.TemporaryDirectory() as tmp:
        for c in cases:
            path = os.path.join(tmp, c["name"] + ".yaml")
            with open(path, "w") as fh:
                fh.write(c["yaml"])
            p = subprocess.run([binary, "solve", path, "--format", "json"], capture_output=True,
                               text=True)
            if p.returncode != 0:
                bad.append((c["name"], "rejected (exit %d): %s" % (p.returncode, p.stderr.strip())))
                continue
            got = json.loads(p.stdout)
            tol = 1e-9 if c["markov"] else 1e-12
            for k in KEYS:
                g, w = got.get(k), c["expected"][k]
                if (g is None) != (w is None):
                    bad.append((c["name"], f"{k}: got {g}, expected {w}"))
                    continue
                if w is None:
                    continue
                w = float(w)
                err = abs(g - w) / abs(w) if w else abs(g)
                key = (c["markov"], k)
                if err > worst[key][0]:
                    worst[key] = (err, c["name"])
                if not err <= tol:
                    bad.append((c["name"], f"{k}: got {g!r}, expected {w!r} (relative error {err:.3e})"))
    print(f"checked {len(cases)} cases against {binary}")
    for (mk, k), (err, name) in worst.items():
        print(f"  worst {'markov' if mk else 'independent':11s} {k:15s} {err:.3e}  {name or ''}")
    for name, msg in bad:
        print(f"  DISAGREE {name}: {msg}")
    print(f"{len(cases) - len({n for n, _ in bad})} of {len(cases)} agree")
    return not bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", metavar="BINARY", help="compare BINARY's answers to the cases")
    ap.add_argument("--out", default=OUT, help="output file (default tests/differential/cases.json)")
    args = ap.parse_args()
    t0 = time.time()
    cases = generate()
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as fh:
        json.dump(cases, fh, indent=1)
        fh.write("\n")
    counts = {}
    for c in cases:
        kind = c["name"].split("_", 1)[1]
        counts[kind] = counts.get(kind, 0) + 1
    print(f"wrote {len(cases)} cases ({sum(c['markov'] for c in cases)} with Markov blocks) to "
          f"{os.path.relpath(args.out, ROOT)} in {time.time() - t0:.1f}s: "
          + ", ".join(f"{k} {v}" for k, v in counts.items()))
    if args.check and not check(cases, args.check):
        sys.exit(1)


if __name__ == "__main__":
    main()
