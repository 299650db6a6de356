#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The duty doctor's list: the most urgent request first. The doctor opens
it, writes a clinical note and closes it with an outcome, in at most 6 key
presses besides typing; the server holds the note, who reviewed it, and
the request closed, and the less urgent ones are still waiting."""

import re

import journey as J

TARGET = 6
NOTE = "Spoke to patient. Chest clear, no red flags now. Safety-netted; rebook if worse."


def run():
    with J.Journey("duty-doctor", scale=0.25) as j:
        navigator = j.api("navigator")
        duty_api = j.api("duty")
        people = [J.patient_with_mobile(navigator, skip=i)[0] for i in range(3)]
        routine = J.send_to_duty(navigator, people[0], "Wants to discuss test results", "within_2_weeks")
        urgent = J.send_to_duty(navigator, people[1], "Short of breath since this morning, worse lying down",
                                "emergency", ["severe_breathlessness"])
        same_day = J.send_to_duty(navigator, people[2], "Temperature of 39 for two days", "same_day")

        pc = j.console("duty")
        pc.signed_in()
        pc.expect(J.shown_name(people[1]))                # on the list

        j.mark("duty")
        pc.expect_focus(J.shown_name(people[1]))          # the page opens on the most urgent
        pc.press("Return")                                # open it
        pc.expect("Short of breath since this morning")   # the navigator's notes, as written
        pc.expect_focus(re.compile(r"Clinical notes", re.I))
        pc.type(NOTE)
        pc.press("alt+o")                                 # Close with Outcome…
        pc.expect(re.compile(r"What was the outcome", re.I))
        pc.press("Return")                                # Close Request
        pc.expect_gone(J.shown_name(people[1]))           # off the list
        keys = j.keys_since("duty")

        closed = j.server_has(duty_api, "triage", lambda t: t["id"] == urgent and t["status"] == "closed",
                              "the urgent request closed", related=lambda t: t["id"] == urgent)
        j.check(NOTE in (closed["duty_notes"] or ""), f"duty notes on the server: {closed['duty_notes']!r}")
        j.check(closed["reviewed_by"] == duty_api.user["id"], f"reviewed by {closed['reviewed_by']}")
        j.check(closed.get("outcome") not in (None, "none"), f"outcome: {closed.get('outcome')}")
        for other in (routine, same_day):
            j.check(duty_api.record("triage", other)["status"] == "awaiting_duty",
                    "a request nobody opened changed")
        j.check(keys <= TARGET, f"open → note → close took {keys} key presses (target {TARGET})")


J.main(run)
