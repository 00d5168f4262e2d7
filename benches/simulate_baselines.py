"""CERN's availsim4 (PyPI `availsim4`) beside `hacalc simulate` on two repairable systems of
identical exponential components (MTTF 100 h, MTTR 10 h, each repaired on its own at once):
a 1-out-of-2 pair and a 2-out-of-3. Prints, per case and tool, the wall time of the whole
process, the availability estimate beside the exact one, the events simulated and events/s.

usage: simulate_baselines.py   (run by simulate_baselines.sh, inside availsim4's virtualenv)

Environment: HACALC (default ../target/release/hacalc from this file), SIMULATE_BASELINE_HISTORIES
(default 200; fewer for a quick check of the set-up)."""
import glob
import json
import os
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

import openpyxl
import pandas

HERE = Path(__file__).resolve().parent
HACALC = os.environ.get("HACALC", str(HERE / ".." / "target" / "release" / "hacalc"))
HISTORIES = int(os.environ.get("SIMULATE_BASELINE_HISTORIES", "200"))
DURATION = 100_000  # hours of one availsim4 history
MTTF, MTTR = 100.0, 10.0
A = MTTF / (MTTF + MTTR)

# name, availsim4's children logic (XooY: X of Y must run), components, hacalc system, exact A
CASES = [
    ("1oo2-pair", "1oo2", 2, "{ parallel: { n: 2, of: x } }", 1 - (1 / 11) ** 2),
    ("2oo3", "2oo3", 3, "{ k_of_n: { k: 2, n: 3, of: x } }", A**3 + 3 * A**2 * (1 - A)),
]


def write_xlsx(path, sheets):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)


def write_availsim4_inputs(folder, logic, n):
    """The layout of the E2E inputs shipped in availsim4core/test/E2E/input (e.g. children_logic/,
    convergence_rare_event/). Every sheet must exist, even empty: the reader indexes them all."""
    system, simulation = folder / "system.xlsx", folder / "simulation.xlsx"
    write_xlsx(system, {
        "ARCHITECTURE": [
            ["COMPONENT_NAME", "COMPONENT_TYPE", "COMPONENT_NUMBER", "CHILDREN_NAME",
             "CHILDREN_LOGIC", "IN_MRU", "TRIGGER_MRU"],
            ["ROOT", "compound", 1, "X", logic, "none", "none"],
            ["X", "basic", n, "none", "none", "none", "none"],
        ],
        # exp's parameter is the mean (numpy's scale). 'detectable' orders the repair at once; a
        # 'blind' failure would wait for an inspection. No phases, so nothing is ever held.
        "FAILURE_MODES": [
            ["FAILURE_MODE_NAME", "FAILURE_LAW", "FAILURE_PARAMETERS", "REPAIR_LAW",
             "REPAIR_PARAMETERS", "TYPE_OF_FAILURE", "HELD_BEFORE_REPAIR", "INSPECTION_NAME",
             "PHASE_NAME", "NEXT_PHASE_IF_FAILURE", "PHASE_CHANGE_TRIGGER", "HELD_AFTER_REPAIR"],
            ["xFailure", "exp", MTTF, "exp", MTTR, "detectable", "NEVER_HELD", "none", "none",
             "none", "never", "never_held"],
        ],
        "FAILURE_MODE_ASSIGNMENTS": [["COMPONENT_NAME", "FAILURE_MODE_NAME"], ["X", "xFailure"]],
        "MRU": [["MRU_NAME", "MRU_LAW", "MRU_PARAMETERS", "MRU_SCHEDULE",
                 "LOWEST_COMMON_ANCESTOR_SCOPE", "TRIGGERING_STATUS"]],
        "INSPECTIONS": [["INSPECTION_NAME", "INSPECTION_PERIOD", "INSPECTION_DURATION"]],
        "PHASES": [["PHASE_NAME", "PHASE_LAW", "PHASE_PARAMETERS", "NEXT_DEFAULT_PHASE",
                    "FIRST_PHASE", "NEXT_DEFAULT_PHASE_IF_FAILURE"]],
        "ROOT_CAUSE_ANALYSIS": [["TRIGGERING_COMPONENT_NAME", "TRIGGERED_BY_COMPONENT_STATUS",
                                 "TRIGGERED_IN_PHASE"]],
        "PHASE_JUMP": [["TRIGGERING_COMPONENT_NAME", "TRIGGERED_BY_COMPONENT_STATUS",
                        "FROM_PHASE", "TO_PHASE"]],
    })
    # MIN = MAX histories: plain Monte Carlo runs MIN and the local runner loops until MAX.
    # MAX_EXECUTION_TIME only limits HTCondor jobs; set high so it never matters.
    write_xlsx(simulation, {"SIMULATION": [
        ["SIMULATION_TYPE", "MIN_NUMBER_OF_SIMULATION", "MAX_NUMBER_OF_SIMULATION",
         "CONVERGENCE_MARGIN", "MAX_EXECUTION_TIME", "SEED", "DIAGNOSTICS", "SIMULATION_DURATION"],
        ["MONTE_CARLO", HISTORIES, HISTORIES, 0, 10**7, 1, "SUMMARY, EXECUTION_METRICS", DURATION],
    ]})
    return system, simulation


def run_availsim4(name, logic, n):
    with tempfile.TemporaryDirectory(prefix="availsim4-") as tmp:
        folder = Path(tmp)
        system, simulation = write_availsim4_inputs(folder, logic, n)
        out = folder / "out"
        exe = Path(sys.executable).parent / "availsim4"  # the venv's console script
        start = time.perf_counter()
        proc = subprocess.run([str(exe), "--simulation", str(simulation), "--system", str(system),
                               "--output_folder", str(out)], capture_output=True, text=True)
        wall = time.perf_counter() - start
        results = glob.glob(str(out / "simulation_result_*.xlsx"))
        if proc.returncode != 0 or len(results) != 1:
            sys.exit(f"{name}: availsim4 failed (exit {proc.returncode}):\n"
                     + (proc.stderr or proc.stdout)[-3000:])
        sheets = pandas.read_excel(results[0], sheet_name=None, engine="openpyxl")
    metrics = sheets["RESULTS_EXECUTION_METRICS"].iloc[0]
    done = eval(metrics["number_of_DES_simulations_executed"])  # its own repr of {level: count}
    if sum(done.values()) != HISTORIES:
        sys.exit(f"{name}: availsim4 ran {done} histories, not {HISTORIES}")
    availability = float(sheets["RESULTS_ROOT_SUMMARY"]["availability"].iloc[0])
    # Failures of the basic components (mean per history, summed over them), counted from its
    # timeline: times 2 (failure + end of repair) is the count hacalc's `events` makes.
    res = sheets["RESULTS"]
    basic = res["component"].str.upper().str.startswith("X_")
    failures = res.loc[basic & (res["status"] == "FAILED"), "_MEAN_OCCURRENCES"].sum() * HISTORIES
    b_events = float(metrics["number_of_b_events_executed_MEAN"]) * HISTORIES
    c_events = float(metrics["number_of_c_events_executed_MEAN"]) * HISTORIES
    note = (f"failures+repairs from its RESULTS sheet; it executed {b_events:,.0f} B-events"
            f" + {c_events:,.0f} C-events")
    return wall, availability, None, 2 * failures, note


def run_hacalc(name, system):
    with tempfile.TemporaryDirectory(prefix="hacalc-") as tmp:
        model = Path(tmp) / f"{name}.yaml"
        model.write_text(f"components:\n  x: {{ mtbf: 100h, mttr: 10h }}\nsystem: {system}\n")
        start = time.perf_counter()
        proc = subprocess.run([HACALC, "simulate", str(model), "--horizon",
                               f"{HISTORIES * DURATION}h", "--threads", "1", "--format", "json"],
                              capture_output=True, text=True)
        wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{name}: hacalc failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    out = json.loads(proc.stdout)
    a = out["availability"]
    return (wall, a["estimate"], (a["low"], a["high"]), out["events"],
            "failures+repairs of its parts, its 1% warm-up included")


def line(name, tool, wall, est, interval, exact, events, note):
    ci = f" [{interval[0]:.5f}, {interval[1]:.5f}]" if interval else ""
    print(f"{name:10} {tool:16} {wall:8.2f} s  A {est:.5f}{ci} (exact {exact:.5f})  "
          f"events {events:,.0f} ({note})  {events / wall:,.0f} events/s", flush=True)
    return events / wall


def main():
    if not os.access(HACALC, os.X_OK):
        sys.exit(f"no hacalc at {HACALC}: run 'cargo build --release' first, or set HACALC")
    tool = f"availsim4 {version('availsim4')}"
    print(f"{HISTORIES} histories x {DURATION:,} h; hacalc one thread over "
          f"{HISTORIES * DURATION:,} h; wall time of the whole process", flush=True)
    for name, logic, n, system, exact in CASES:
        wall, est, ci, events, note = run_availsim4(name, logic, n)
        theirs = line(name, tool, wall, est, ci, exact, events, note)
        wall, est, ci, events, note = run_hacalc(name, system)
        ours = line(name, "hacalc", wall, est, ci, exact, events, note)
        print(f"{name:10} events/s ratio hacalc / availsim4: {ours / theirs:,.0f}", flush=True)


if __name__ == "__main__":
    main()
