"""Issue 13 on the real MEE corpus: time and peak memory of the read commands.

Builds ../shared/realcorpus/mee into a store (or reuses it: an unchanged
document is skipped, so a second run only checks), then runs, each as its own
``kg`` process, ``kg export --format json``, ``kg stats``, ``kg owners X`` and
every named query (``kg query --list``; the ones with parameters also with a
value that matches something in this corpus), and prints wall-clock seconds,
peak RSS and output size of each against the targets (export < 30 s and
< 1 GB; stats, owners and each named query < 2 s).

    python bench/real_queries.py                      # store in /tmp/mee-store
    python bench/real_queries.py --store DIR --corpus DIR --rebuild
    python bench/real_queries.py --no-build           # the store as it is

Exit status 1 when a target is missed (or a command fails or times out).
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
KG = [sys.executable, "-c", "from cli import main; main()"]
DEFAULT_CORPUS = ROOT.parent / "shared" / "realcorpus" / "mee"

# values that match something in the MEE corpus, for the queries that take a parameter
REAL_PARAMS = {
    "body_profile": ["body=生态环境部"],
    "reporting_chain": ["body=新疆维吾尔自治区生态环境厅"],
    "implementation_chain": ["doc=mee0127.txt"],
    "owners_of_instrument": ["instrument=排污许可"],
}


def run(args: list[str], timeout: float) -> dict:
    """Run ``kg ARGS`` in its own process: seconds, peak RSS (MB), output bytes, exit code."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(KG + args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    out = bytearray()
    err = bytearray()

    def drain(stream, buf):
        for chunk in iter(lambda: stream.read(1 << 16), b""):
            buf.extend(chunk)

    readers = [threading.Thread(target=drain, args=(proc.stdout, out), daemon=True),
               threading.Thread(target=drain, args=(proc.stderr, err), daemon=True)]
    for r in readers:
        r.start()
    timed_out = []

    def kill():
        timed_out.append(True)
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(timeout, kill)
    timer.start()
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage: its peak RSS
    timer.cancel()
    seconds = time.perf_counter() - t0
    for r in readers:
        r.join(5)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"seconds": seconds, "peak_mb": usage.ru_maxrss / 1024, "bytes": len(out), "exit": proc.returncode,
            "timed_out": bool(timed_out), "stdout": bytes(out), "stderr": bytes(err).decode("utf-8", "replace").strip()}


def pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    import unicodedata

    cols = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - cols)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    ap.add_argument("--store", default="/tmp/mee-store")
    ap.add_argument("--rebuild", action="store_true", help="delete the store and build it from scratch")
    ap.add_argument("--no-build", action="store_true", help="use the store as it is")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds before a command is killed")
    ap.add_argument("--owners", default="排污许可", help="the text for kg owners")
    a = ap.parse_args()

    store = Path(a.store)
    print(f"corpus: {a.corpus}\nstore: {store}")
    if not a.no_build:
        if a.rebuild:
            shutil.rmtree(store, ignore_errors=True)
        if not Path(a.corpus).is_dir():
            print(f"no corpus at {a.corpus}; give --corpus or --no-build with an existing --store")
            return 1
        b = run(["build", a.corpus, "--store", str(store), "--fast", "--jobs", str(a.jobs)], timeout=3600)
        print(f"kg build --fast --jobs {a.jobs}: {b['seconds']:.1f} s, peak {b['peak_mb']:.0f} MB, exit {b['exit']}")
        print("  " + b["stdout"].decode("utf-8", "replace").strip().replace("\n", "; "))
        if b["exit"] not in (0, 3):
            print(b["stderr"][-2000:])
            return 1
    elif not store.exists():
        print(f"no store at {store}")
        return 1
    st = ["--store", str(store)]
    cases: list[tuple[str, list[str], float, float | None]] = [
        ("export --format json", ["export", "--format", "json", *st], 30.0, 1024.0),
        ("stats", ["stats", "--format", "json", *st], 2.0, None),
        (f"owners {a.owners}", ["owners", a.owners, "--format", "csv", *st], 2.0, None),
    ]
    listing = run(["query", "--list", "--format", "csv", *st], timeout=a.timeout)
    names = [line.split(",", 1)[0] for line in listing_lines(listing)]
    for name in names:
        cases.append((f"query --name {name}", ["query", "--name", name, "--format", "csv", *st], 2.0, None))
        for p in REAL_PARAMS.get(name, []):
            cases.append((f"query --name {name} --param {p}",
                          ["query", "--name", name, "--param", p, "--format", "csv", *st], 2.0, None))
    missed = 0
    width = max(len(pad(c[0], 0)) for c in cases)
    print(f"\n{pad('command', width)}  {'seconds':>8}  {'peak MB':>8}  {'output':>10}  target")
    for label, args, max_s, max_mb in cases:
        r = run(args, timeout=a.timeout)
        ok = r["exit"] == 0 and not r["timed_out"] and r["seconds"] < max_s and (max_mb is None or r["peak_mb"] < max_mb)
        missed += not ok
        target = f"< {max_s:g} s" + (f", < {max_mb / 1024:g} GB" if max_mb else "")
        status = "ok" if ok else ("TIMED OUT" if r["timed_out"] else f"exit {r['exit']}" if r["exit"] else "MISSED")
        size = f"{r['bytes'] / 1e6:.1f} MB" if r["bytes"] >= 1e6 else f"{r['bytes'] / 1e3:.1f} kB"
        print(f"{pad(label, width)}  {r['seconds']:8.2f}  {r['peak_mb']:8.0f}  {size:>10}  {target}: {status}", flush=True)
        if r["exit"] and not r["timed_out"]:
            print("    " + r["stderr"][-500:].replace("\n", "\n    "))
    print(f"\n{len(cases) - missed} of {len(cases)} within target" + ("" if not missed else f"; {missed} missed"))
    return 1 if missed else 0


def listing_lines(result: dict) -> list[str]:
    if result["exit"] != 0:
        raise SystemExit(f"kg query --list failed: {result['stderr']}")
    return [line for line in result["stdout"].decode("utf-8").splitlines()[1:] if line.strip()]


if __name__ == "__main__":
    sys.exit(main())
