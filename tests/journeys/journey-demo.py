#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The README's first command: `build-aux/run demo` (build-aux/demo). The
first thing anyone sees must be what the product is for: within 30 s of
the demo's start callers are waiting, whatever the hour or weekday, and
today's diary has slots that can be booked now."""

import os
import re
import time

import journey as J


def run():
    with J.Journey("demo", server=False) as j:
        port = J.free_port()
        started = time.time()
        home = os.path.join(j.tmp, "home")
        env = {
            "SIGNPOST_DEMO_PORT": str(port),
            "XDG_STATE_HOME": os.path.join(home, "state"),
            "XDG_DATA_HOME": os.path.join(home, "data"),
            "XDG_CONFIG_HOME": os.path.join(home, "config"),
            "XDG_CACHE_HOME": os.path.join(home, "cache"),
        }
        env.pop("GSETTINGS_SCHEMA_DIR", None)
        demo, log = j.run([os.path.join(J.SOURCE, "build-aux", "demo"), J.BUILD], env=env, name="demo")

        # The console the demo started, signed in as the navigator.
        pc = j.console("navigator", display=j.displays[0], attach=True)
        pc.expect(re.compile(r"In the queue: [1-9]\d* callers? holding"), timeout=120,
                  what="the demo's queue reads callers waiting")
        seen_after = time.time() - started
        J.log(f"callers waiting on the navigator's screen {seen_after:.1f} s after the demo started")

        # On the server: callers rang within 30 s of the start.
        api = J.Api(f"http://127.0.0.1:{port}", "navigator")
        calls = api.records("call")
        j.check(calls, "the server holds no calls")
        first = min(J.parse_instant(c["offered_at"]) for c in calls.values())
        J.log(f"first call offered {first - started:.1f} s after the demo started; "
              f"{len(calls)} calls so far")
        j.check(first - started <= 30, f"the first caller rang {first - started:.1f} s after the demo "
                                       "started (more than 30 s)")
        practice = api.practices[0]["id"]
        queue = api.get(f"queue?practice={practice}")
        j.check(queue["waiting"] + queue["callbacks_due"] > 0,
                f"the server's queue holds nobody: {queue}")

        # Today's diary can be booked now: free, released slots from now on.
        now = time.time()
        tomorrow = now + 24 * 3600
        bookable = [s for s in api.records("slot").values()
                    if s["status"] == "free" and now < J.parse_instant(s["start"]) < tomorrow and
                    (s["release_at"] is None or J.parse_instant(s["release_at"]) <= now)]
        J.log(f"{len(bookable)} slots bookable in the next 24 hours")
        j.check(len(bookable) >= 20, f"only {len(bookable)} slots can be booked in the next 24 hours")
        soonest = min(J.parse_instant(s["start"]) for s in bookable)
        j.check(soonest - now <= 45 * 60, f"the first bookable slot is {(soonest - now) / 60:.0f} "
                                          "minutes away")


J.main(run)
