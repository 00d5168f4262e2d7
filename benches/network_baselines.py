"""RePyability (PyPI `repyability`) on one hacalc network model: exact availability, and with
--cuts the number of minimal cut sets, each with its time.

usage: network_baselines.py MODEL.yaml [--cuts]

Each link is its own independent component, failed with probability q = mttr / (mtbf + mttr):
a link's steady-state unavailability, which is all a two-terminal network's availability
depends on. RePyability's Network is not repairable, so each link is given as a fixed
probability of having failed (surpyval's FixedEventProbability), not as a lifetime."""
import re
import sys
import time
from pathlib import Path

import networkx
import yaml
from repyability import Network, NonRepairableRBD
from surpyval import FixedEventProbability

HOURS = {"ms": 1 / 3.6e6, "s": 1 / 3600, "min": 1 / 60, "m": 1 / 60, "h": 1.0, "d": 24.0,
         "w": 168.0, "y": 8760.0}
NUMBER = r"([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)"


def hours(text):
    """A hacalc duration ("1y", "4h", "1h30m"; m is minutes, y is 365 days) in hours."""
    parts = re.findall(NUMBER + r"\s*(ms|min|s|m|h|d|w|y)", str(text))
    if not parts or re.sub(NUMBER + r"\s*(ms|min|s|m|h|d|w|y)", "", str(text)).strip():
        raise ValueError(f"not a duration: {text!r}")
    return sum(float(n) * HOURS[u] for n, u in parts)


def per_hour(text):
    """A hacalc rate ("2e-5/h", "3/y", "1/30d") in events per hour."""
    m = re.fullmatch(r"\s*" + NUMBER + r"\s*/\s*(.*)", str(text))
    if not m:
        raise ValueError(f"not a rate: {text!r}")
    unit = m.group(2).strip()
    return float(m.group(1)) / hours(unit if unit[0].isdigit() or unit[0] == "." else "1" + unit)


def probability(value):
    text = str(value).strip()
    return float(text[:-1]) / 100 if text.endswith("%") else float(text)


def failed_probability(spec):
    """A component's steady-state unavailability, computed as q directly rather than 1 - A so
    that no digits are lost to cancellation."""
    if spec.get("shared"):
        raise SystemExit("shared components are not independent per link: not supported")
    if "availability" in spec:
        return 1.0 - probability(spec["availability"])
    up = hours(spec["mtbf"]) if "mtbf" in spec else 1.0 / per_hour(spec["failure_rate"])
    down = hours(spec["mttr"]) if "mttr" in spec else 1.0 / per_hour(spec["repair_rate"])
    return down / (up + down)


def load(path):
    model = yaml.safe_load(Path(path).read_text())
    name = model.get("name") or Path(path).stem
    if not (isinstance(model["system"], dict) and "network" in model["system"]):
        print(f"{name} repyability skipped: not a network model")
        sys.exit(0)
    net = model["system"]["network"]
    q = {name: failed_probability(spec) for name, spec in (model.get("components") or {}).items()}
    links = []
    for link in net["links"]:
        if not isinstance(link["via"], str) or link["via"] not in q:
            raise SystemExit(f"link via {link['via']!r}: only plain components are supported")
        links.append((str(link["from"]), str(link["to"]), q[link["via"]]))
    return name, links, str(net["from"]), str(net["to"]), bool(net.get("directed", False))


class Refused(Exception):
    """A network RePyability cannot solve exactly."""


def undirected(links, source, target):
    return Network({f"L{i}": (u, v, FixedEventProbability.from_params(q))
                    for i, (u, v, q) in enumerate(links)}, source, target)


def directed(links, source, target):
    """RePyability's Network is undirected, and its RBDs are acyclic graphs of failing nodes, so
    a directed network goes in as the RBD of its line graph: a block per link, link a -> b
    feeding every link b -> c. Links on no source-to-target path are left out (an RBD must
    have one input and one output). A directed cycle on such a path makes the RBD cyclic,
    which RePyability refuses: such networks are not supported."""
    def reach(start, forward):
        seen, todo = {start}, [start]
        while todo:
            w = todo.pop()
            for u, v, _ in links:
                a, b = (u, v) if forward else (v, u)
                if a == w and b not in seen:
                    seen.add(b)
                    todo.append(b)
        return seen
    fwd, back = reach(source, True), reach(target, False)
    kept = {f"L{i}": (u, v, q) for i, (u, v, q) in enumerate(links)
            if u in fwd and v in back and u != target and v != source}
    edges = [("IN", n) for n, (u, _, _) in kept.items() if u == source]
    edges += [(n, "OUT") for n, (_, v, _) in kept.items() if v == target]
    edges += [(a, b) for a, (_, va, _) in kept.items() for b, (ub, _, _) in kept.items()
              if va == ub]
    if not networkx.is_directed_acyclic_graph(networkx.DiGraph(edges)):
        raise Refused("a directed cycle joins the terminals: RePyability's RBDs are acyclic")
    return NonRepairableRBD(edges, {n: FixedEventProbability.from_params(q)
                                    for n, (_, _, q) in kept.items()})


def main():
    path, cuts = sys.argv[1], "--cuts" in sys.argv[2:]
    name, links, source, target, is_directed = load(path)
    build = directed if is_directed else undirected
    try:
        measure(name, lambda: build(links, source, target), cuts)
    except (Refused, NotImplementedError) as e:
        # NotImplementedError is RePyability's own refusal: a Network's diagram past
        # network.MAX_STATES (5,000,000 frontier states), which it says to simulate instead.
        print(f"{name} repyability refused: {str(e).splitlines()[0]}", flush=True)
        sys.exit(3)


def measure(name, build, cuts):
    if cuts:
        # One run: building the decision diagram and reading every minimal cut set off it.
        # Minutes and many GB on meshed networks, so it is not repeated.
        t = time.perf_counter()
        system = build()
        count = len(system.cut_sets() if isinstance(system, Network)
                    else system.get_min_cut_sets())
        print(f"{name} repyability cut_sets {count} time {time.perf_counter() - t:.3f} s",
              flush=True)
        return
    # Best of 3, each on a fresh object (RePyability caches the diagram on the object). Timed:
    # building the model from the parsed links, its exact decision diagram, U (ff, worked out
    # as a sum of products of its own, not as 1 - A) and A (sf). Not timed: importing
    # RePyability and reading the YAML.
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        system = build()
        u, a = float(system.ff()), float(system.sf())
        best = min(best, time.perf_counter() - t)
    print(f"{name} repyability availability {a!r} unavailability {u!r} "
          f"one_minus_availability {1.0 - a!r} time {best:.4f} s", flush=True)


if __name__ == "__main__":
    main()
