#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""An online request, routed by a navigator: a registered patient asks
through the practice's form with a postcode the practice does not have,
so the server cannot be sure who it is. The navigator goes to the
Requests list (Alt+2), matches it to the patient with the patient search
(Ctrl+M, Return), opens it (Return), decides it is Red (Alt+D) and saves
(Ctrl+Return): it goes to the duty doctor exactly as a call's would, and
the duty doctor's console shows it."""

import re

import journey as J
import online_form

TARGET = 6


def run():
    with J.Journey("online-request", scale=0.25) as j:
        api = j.api("navigator")
        patient, _ = J.patient_with_mobile(api, skip=2)
        navigator = j.console("navigator")
        duty = j.console("duty")                         # the duty doctor's PC
        navigator.signed_in()
        duty.signed_in()

        online_form.open_round_the_clock(j.server.url)
        reference = online_form.submit(
            j.server.url, given=patient["given_name"], family=patient["family_name"],
            dob=patient["date_of_birth"], postcode="ZZ9 9ZZ",
            reason="Dizzy when I stand up, since Sunday", duration="Since Sunday",
            hoped="To find out why", contact_number="07700 900461")
        J.log(f"sent {reference}")

        j.mark("online")
        navigator.press("alt+2")                         # the Requests list
        navigator.expect(re.compile(r"Not matched yet: " + re.escape(J.shown_name(patient))))
        navigator.expect_focus(reference)                # the keyboard is on the request
        navigator.press("ctrl+m")                        # match it to a patient
        navigator.expect_focus("Find a patient")         # the patient search, already searched
        navigator.expect(re.compile(r"1 patient found"))
        navigator.expect(J.shown_name(patient))          # by the name and date of birth given
        navigator.press("Return")                        # this is who it is
        navigator.expect_gone("Not matched yet")
        navigator.press("Return")                        # open it in the navigation form
        navigator.expect("How long: Since Sunday")
        navigator.press("alt+d")                         # Red: today
        navigator.expect_state(re.compile(r"^Red"), "checked")
        navigator.press("ctrl+Return")                   # save and close
        keys = j.keys_since("online")

        triage = j.server_has(
            api, "triage", lambda t: t.get("reference") == reference and t["status"] == "awaiting_duty",
            f"request {reference} waiting for the duty doctor",
            related=lambda t: t.get("reference") == reference)
        j.check(triage["patient_id"] == patient["id"], f"patient: {triage['patient_id']}")
        j.check(triage["source"] == "online", f"source: {triage['source']}")
        j.check(triage["route"]["kind"] == "duty", f"route: {triage['route']}")
        j.check(triage.get("outcome") == "sent_to_duty", f"outcome: {triage.get('outcome')}")
        j.check(triage["urgency"] == "same_day", f"urgency: {triage['urgency']}")
        j.check(keys <= TARGET, f"{keys} key presses from the Requests list to routed (target {TARGET})")

        # Opening it was audited, though it named nobody when it was opened.
        admin = j.api("admin")
        seen, since = False, 0
        while not seen:
            events = admin.get(f"audit?since={since}&limit=1000")["events"]
            seen = any(e["action"] == "view" and e.get("type") == "triage" and e.get("record_id") == triage["id"]
                       for e in events)
            if len(events) < 1000:
                break
            since = events[-1]["id"]
        j.check(seen, "opening the request is in the audit log")

        # On the duty doctor's console, without anyone touching it.
        duty.expect(J.shown_name(patient))


J.main(run)
