#!/usr/bin/env python3
"""Changes lead statuses at a steady rate, as opens, clicks and replies do
during a campaign, until stopped (SIGTERM) or for SECONDS.

    writer.py PORT TOKEN RATE MAX_ID OUT [SECONDS]

PATCH /api/leads/{id} {"status": …} on random leads 1..MAX_ID over one
keep-alive connection, RATE per second on a fixed schedule (a late write is
not made up by bursting). Writes the achieved rate and the latency
percentiles to OUT as "writes N seconds S rate R p50_ms A p99_ms B max_ms C errors E".
"""
import http.client
import json
import random
import signal
import sys
import time

port, token, rate, max_id, out = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
seconds = float(sys.argv[6]) if len(sys.argv) > 6 else 1e9
statuses = ["new", "contacted", "replied", "interested", "not_interested", "converted"]
stop = False


def on_term(*_):
    global stop
    stop = True


signal.signal(signal.SIGTERM, on_term)
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
latencies, errors = [], 0
start = time.monotonic()
next_at = start
rng = random.Random()
while not stop and time.monotonic() - start < seconds:
    now = time.monotonic()
    if now < next_at:
        time.sleep(min(next_at - now, 0.05))
        continue
    next_at = max(next_at + 1.0 / rate, now)
    body = json.dumps({"status": rng.choice(statuses)})
    t0 = time.monotonic()
    try:
        conn.request("PATCH", f"/api/leads/{rng.randint(1, max_id)}", body, headers)
        r = conn.getresponse()
        r.read()
        if r.status not in (200, 404):
            errors += 1
    except (OSError, http.client.HTTPException):
        errors += 1
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies.append((time.monotonic() - t0) * 1000)
elapsed = time.monotonic() - start
latencies.sort()


def pct(p):
    return latencies[min(len(latencies) - 1, int(len(latencies) * p))] if latencies else 0.0


with open(out, "w") as f:
    f.write(f"writes {len(latencies)} seconds {elapsed:.1f} rate {len(latencies) / elapsed:.1f} "
            f"p50_ms {pct(0.5):.1f} p99_ms {pct(0.99):.1f} max_ms {latencies[-1] if latencies else 0:.1f} "
            f"errors {errors}\n")
