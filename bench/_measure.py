"""Run one command and report its wall time, CPU time and peak memory as JSON (one line).

A process of its own per measurement: ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` is the largest
descendant so far, so it only means "this command's peak" in a fresh parent.
"""

import json
import resource
import subprocess
import sys
import time

if __name__ == "__main__":
    cwd, cmd = sys.argv[1], sys.argv[2:]
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, check=False)
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"rc": done.returncode, "wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                      "maxrss_mb": usage.ru_maxrss / 1024, "stderr": done.stderr[-2000:]}))
