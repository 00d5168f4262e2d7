"""One baseline solver on one benchmark chain: time, residual, and accuracy against hacalc.

usage: baselines.py superlu|storm target/markov-bench/NAME
reads NAME.mtx (the generator Q), NAME.up (up flags) and NAME.hacalc-pi (hacalc's answer)."""
import os
import resource
import sys
import tempfile
import time

import numpy as np
import scipy.io
import scipy.sparse as sp
import scipy.sparse.linalg as spla


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(name, solver, seconds, pi, q, up, ref):
    residual = np.abs(q.T @ pi).max()
    u = pi[~up].sum()
    u_ref = ref[~up].sum()
    rel_u = abs(u - u_ref) / u_ref
    l1 = np.abs(pi - ref).sum()
    print(f"{name} {solver}: {seconds:.2f} s, peak {peak_mb():.0f} MB, U = {u:.16e} "
          f"(hacalc {u_ref:.16e}, relative difference {rel_u:.1e}), L1 difference {l1:.1e}, "
          f"residual {residual:.1e}", flush=True)


def main():
    solver, base = sys.argv[1], sys.argv[2]
    name = os.path.basename(base)
    q = scipy.io.mmread(base + ".mtx").tocsr()
    up = np.loadtxt(base + ".up", dtype=np.int8).astype(bool)
    ref = np.loadtxt(base + ".hacalc-pi")
    n = q.shape[0]
    if solver == "superlu":
        # pi Q = 0: pin one state's probability to 1 and drop its equation, solve the rest with
        # SuperLU (COLAMD ordering), then normalise. A dense normalisation row instead would
        # fill the factors completely. The pinned state is the most probable one (taken from
        # hacalc's answer): pinning a state of probability 1e-4000 would overflow the others.
        k = int(np.argmax(ref))
        keep = np.r_[0:k, k + 1:n]
        qt = q.T.tocsr()
        a = qt[keep][:, keep].tocsc()
        b = -qt[keep][:, [k]].toarray().ravel()
        t = time.perf_counter()
        x = spla.spsolve(a, b)
        pi = np.empty(n)
        pi[keep] = x
        pi[k] = 1.0
        pi /= pi.sum()
        seconds = time.perf_counter() - t
        report(name, "scipy SuperLU", seconds, pi, q, up, ref)
    elif solver == "storm":
        import stormpy
        d = tempfile.mkdtemp()
        tra, lab = os.path.join(d, "m.tra"), os.path.join(d, "m.lab")
        coo = q.tocoo()
        off = coo.row != coo.col
        order = np.lexsort((coo.col[off], coo.row[off]))
        rows, cols, vals = coo.row[off][order], coo.col[off][order], coo.data[off][order]
        with open(tra, "w") as f:
            f.write("ctmc\n")
            for i, j, v in zip(rows, cols, vals):
                f.write(f"{i} {j} {float(v)!r}\n")
        with open(lab, "w") as f:
            f.write("#DECLARATION\ninit up\n#END\n")
            for s in range(n):
                labels = (["init"] if s == 0 else []) + (["up"] if up[s] else [])
                if labels:
                    f.write(f"{s} {' '.join(labels)}\n")
        t = time.perf_counter()
        model = stormpy.build_model_from_explicit(tra, lab)
        prop = stormpy.parse_properties('LRA=? ["up"]')[0]
        result = stormpy.model_checking(model, prop)
        seconds = time.perf_counter() - t
        a = result.get_value(0) if hasattr(result, "get_value") else float("nan")
        u_ref = ref[~up].sum()
        print(f"{name} Storm (read + solve, default long-run-average solver): {seconds:.2f} s, "
              f"peak {peak_mb():.0f} MB, A = {a!r}, U = {1 - a:.16e} (hacalc {u_ref:.16e}, "
              f"relative difference {abs((1 - a) - u_ref) / u_ref:.1e})", flush=True)


main()
