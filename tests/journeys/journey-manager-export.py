#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The practice manager saves the day's calls as CSV from the load page:
Ctrl+S, a file name, Return. The file holds the server's figures for the
day."""

import csv
import os
import re
import time

import journey as J


def run():
    with J.Journey("manager-export", scale=0.25) as j:
        navigator = j.api("navigator")
        manager = j.api("manager")
        practice = navigator.practices[0]
        numbers = [J.patient_with_mobile(navigator, skip=i)[1] for i in range(4)]
        # The morning so far: four callers, one hangs up, one answered at
        # the phone system and done.
        for i, number in enumerate(numbers):
            j.server.call("call.offered", f"export-{i}", cli=number)
        j.server.call("call.abandoned", "export-0")
        j.server.call("call.answered", "export-1")
        j.server.call("call.ended", "export-1")

        pc = j.console("manager")
        pc.signed_in()
        pc.expect("Calls today")
        pc.press("F5")                                    # fetch the day again
        path = os.path.join(j.tmp, "today.csv")
        pc.press("ctrl+s")                                # save the day's calls
        pc.expect(re.compile(r"Save the Day", re.I))
        pc.press("ctrl+a")
        pc.type(path)
        pc.press("Return")
        j.wait(lambda: os.path.exists(path) and os.path.getsize(path) > 0, f"the file {path}")
        time.sleep(0.5)

        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        total = [r for r in rows if r.get("local_start") == "total"]
        j.check(total, f"no total row in the CSV ({len(rows)} rows)")
        day = manager.get(f"stats/day?practice={practice['id']}&date={J.london_today()}")
        for key in ("offered", "answered", "abandoned"):
            j.check(int(total[0][key]) == day["totals"][key],
                    f"{key}: the file says {total[0][key]}, the server {day['totals'][key]}")
        j.check(day["totals"]["offered"] == 4, f"the server's day: {day['totals']}")
        j.check(len(rows) - 1 == len(day["intervals"]), f"{len(rows) - 1} intervals in the file, "
                                                       f"{len(day['intervals'])} on the server")


J.main(run)
