#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A red-flag caller: the navigator answers, takes the reason, ticks the
red flag the caller describes (thoughts of suicide with a plan: the duty
doctor now), and saves; the request is Red, routed to the duty doctor, and
appears on the duty doctor's console (another PC) at once."""

import re

import journey as J


def run():
    with J.Journey("red-flag", scale=0.25) as j:
        api = j.api("navigator")
        patient, number = J.patient_with_mobile(api, skip=1)
        navigator = j.console("navigator")
        duty = j.console("duty")                         # the duty doctor's PC
        navigator.signed_in()
        duty.signed_in()

        j.server.call("call.offered", "red-flag-1", cli=number)
        navigator.expect(re.compile(r"In the queue: 1 caller"))
        navigator.press("F2")
        navigator.expect(J.shown_name(patient))
        navigator.press("Return")
        navigator.expect_focus("Reason")
        navigator.type("Feels there is no point going on and has made a plan")
        # The red flags are asked in order after the reason.
        navigator.press_until("Tab", "Thoughts of suicide")
        navigator.press("space")
        navigator.expect_state("Thoughts of suicide", "checked")
        navigator.expect(re.compile(r"duty doctor", re.I))   # what to do now
        navigator.expect_state(re.compile(r"^Red"), "checked")
        navigator.press("ctrl+Return")                   # save and close

        triage = j.server_has(
            api, "triage", lambda t: t["patient_id"] == patient["id"] and t["status"] == "awaiting_duty",
            f"{J.shown_name(patient)}'s request waiting for the duty doctor",
            related=lambda t: t["patient_id"] == patient["id"])
        j.check("suicidal_intent" in (triage["red_flags"] or []), f"red flags: {triage['red_flags']}")
        j.check(triage["urgency"] in ("emergency", "same_day"), f"urgency: {triage['urgency']}")
        j.check(triage["route"]["kind"] == "duty", f"route: {triage['route']}")
        j.check(triage.get("outcome") == "sent_to_duty", f"outcome: {triage.get('outcome')}")

        # On the duty doctor's console, without anyone touching it.
        duty.expect(J.shown_name(patient))


J.main(run)
