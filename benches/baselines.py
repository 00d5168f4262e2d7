"""One baseline solver on one benchmark chain: time, memory, and accuracy against a reference.

usage: baselines.py reference|hacalc|superlu|storm|storm-gs target/markov-bench/NAME

Reads NAME.mtx (the generator Q), NAME.up (up flags) and NAME.hacalc-pi (hacalc's answer).

- `reference` writes NAME.reference-pi, the steady state in long double (80-bit): the product
  form for a birth-death chain, otherwise hacalc's answer refined by three rounds of iterative
  refinement (residual in long double, correction by SuperLU). Every tool, hacalc included, is
  then measured against it, not against hacalc.
- `superlu`: scipy's SuperLU (COLAMD), the most probable state pinned, the solve alone timed.
- `storm`: Storm's steady-state query `S=? ["down"]` (U directly) with its default settings; reading the
  explicit files and the solve are timed apart.
- `storm-gs`: the same with its native Gauss-Seidel to a relative precision of 1e-12.
"""
import os
import resource
import sys
import tempfile
import time

import numpy as np
import scipy.io
import scipy.sparse.linalg as spla


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load(base):
    q = scipy.io.mmread(base + ".mtx").tocsr()
    up = np.loadtxt(base + ".up", dtype=np.int8).astype(bool)
    return q, up


def reference_u(base, up):
    path = base + ".reference-pi"
    if not os.path.exists(path):
        return None
    ref = np.loadtxt(path, dtype=np.longdouble)
    return ref[~up].sum()


def accuracy(u, u_ref):
    if u_ref is None:
        return "no reference"
    return f"U off the reference by {float(abs(np.longdouble(u) - u_ref) / u_ref):.1e} (relative)"


def pinned_system(q, k):
    """Q^T without row and column k, and the right-hand side for pi_k = 1."""
    n = q.shape[0]
    keep = np.r_[0:k, k + 1:n]
    qt = q.T.tocsr()
    return keep, qt[keep][:, keep].tocsc(), -qt[keep][:, [k]].toarray().ravel()


def reference(base, q, up):
    n = q.shape[0]
    coo = q.tocoo()
    off = coo.row != coo.col
    rows, cols = coo.row[off], coo.col[off]
    vals = coo.data[off].astype(np.longdouble)
    if np.all(np.abs(rows.astype(np.int64) - cols) == 1):
        # Birth-death: pi_{i+1} / pi_i = q(i, i+1) / q(i+1, i), multiplied in long double
        # with the binary exponent kept apart (the probabilities span millions of orders of
        # magnitude, past even long double's range).
        upr = np.zeros(n - 1, dtype=np.longdouble)
        down = np.zeros(n - 1, dtype=np.longdouble)
        fwd = cols == rows + 1
        upr[rows[fwd]] = vals[fwd]
        down[cols[~fwd]] = vals[~fwd]
        ratio = upr / down
        mant = np.empty(n, dtype=np.longdouble)
        expo = np.empty(n, dtype=np.int64)
        m, e = np.longdouble(1), 0
        mant[0], expo[0] = m, e
        for i in range(n - 1):
            m, de = np.frexp(m * ratio[i])
            e += int(de)
            mant[i + 1], expo[i + 1] = m, e
        shift = np.maximum(expo - expo.max(), -16000)
        pi = np.ldexp(mant, shift.astype(np.int32))
        how = "birth-death product form in long double"
    else:
        ref = np.loadtxt(base + ".hacalc-pi")
        k = int(np.argmax(ref))
        keep, a, _ = pinned_system(q, k)
        lu = spla.splu(a)
        x = ref.astype(np.longdouble) / np.longdouble(ref[k])
        diag = np.asarray(q.diagonal(), dtype=np.longdouble)
        for _ in range(3):
            # r = x Q in long double: off-diagonal flows in, minus each state's outflow.
            r = x * diag
            np.add.at(r, cols, x[rows] * vals)
            delta = lu.solve(-np.asarray(r[keep], dtype=np.float64))
            x[keep] += delta.astype(np.longdouble)
        pi = x
        how = "hacalc refined three times (residual in long double, SuperLU correction)"
    pi = pi / pi.sum()
    np.savetxt(base + ".reference-pi", pi, fmt="%.25Le")
    r = pi * np.asarray(q.diagonal(), dtype=np.longdouble)
    np.add.at(r, cols, pi[rows] * vals)
    print(f"{os.path.basename(base)} reference: {how}, U = {float(pi[~up].sum()):.17e}, "
          f"residual |pi Q|_inf = {float(np.abs(r).max()):.1e}", flush=True)


def main():
    solver, base = sys.argv[1], sys.argv[2]
    name = os.path.basename(base)
    q, up = load(base)
    n = q.shape[0]
    if solver == "reference":
        reference(base, q, up)
        return
    u_ref = reference_u(base, up)
    if solver == "hacalc":
        pi = np.loadtxt(base + ".hacalc-pi")
        print(f"{name} hacalc: {accuracy(pi[~up].sum(), u_ref)}", flush=True)
    elif solver == "superlu":
        # Pin the most probable state (pinning one of probability 1e-4000 would overflow the
        # others) and drop its equation; a dense normalisation row would fill the factors.
        k = int(np.argmax(np.loadtxt(base + ".hacalc-pi")))
        keep, a, b = pinned_system(q, k)
        t = time.perf_counter()
        x = spla.spsolve(a, b)
        pi = np.empty(n)
        pi[keep] = x
        pi[k] = 1.0
        pi /= pi.sum()
        seconds = time.perf_counter() - t
        print(f"{name} scipy SuperLU (solve): {seconds:.2f} s, peak {peak_mb():.0f} MB, "
              f"{accuracy(pi[~up].sum(), u_ref)}", flush=True)
    elif solver in ("storm", "storm-gs"):
        import stormpy
        import stormpy.developer._core as core
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
            f.write("#DECLARATION\ninit up down\n#END\n")
            for s in range(n):
                labels = (["init"] if s == 0 else []) + (["up"] if up[s] else ["down"])
                if labels:
                    f.write(f"{s} {' '.join(labels)}\n")
        env = stormpy.Environment()
        setting = "default settings"
        if solver == "storm-gs":
            env.solver().set_linear_equation_solver_type(core.EquationSolverType.NATIVE)
            native = env.solver().native()
            native.method = core.NativeLinearEquationSolverMethod.GAUSS_SEIDEL
            native.precision = stormpy.Rational("1/1000000000000")
            setting = "native Gauss-Seidel, precision 1e-12"
        t = time.perf_counter()
        model = stormpy.build_model_from_explicit(tra, lab)
        read = time.perf_counter() - t
        # U asked for directly: 1 - A would lose its digits.
        prop = stormpy.parse_properties('S=? ["down"]')[0]
        t = time.perf_counter()
        result = stormpy.model_checking(model, prop, environment=env)
        seconds = time.perf_counter() - t
        u = result.at(0) if hasattr(result, "at") else result.get_value(0)
        print(f"{name} Storm S=? [down] ({setting}): solve {seconds:.2f} s (+ {read:.2f} s reading), "
              f"peak {peak_mb():.0f} MB, U = {u!r}, {accuracy(u, u_ref)}", flush=True)


main()
