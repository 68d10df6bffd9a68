"""Runs a command and prints, as one JSON line on stderr's last line, its wall time, CPU time (user + system, with
its children) and peak resident set size: what the peer harness compares. Usage: measure.py OUT_FILE CMD ARGS..."""
import json
import resource
import subprocess
import sys
import time

with open(sys.argv[1], "wb") as out:
    started = time.monotonic()
    code = subprocess.call(sys.argv[2:], stdout=out)
    wall = time.monotonic() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"exit": code, "wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_kib": usage.ru_maxrss}), file=sys.stderr)
