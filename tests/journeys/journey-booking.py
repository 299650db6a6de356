#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The navigator's hot path, as the README gives it: F2 answers the caller
at the front, Return confirms the patient the popup names, the navigation
form takes the reason in the patient's words, Ctrl+Shift+F finds the
first suitable slot, Return books it. At most 8 key presses besides
typing, and the server holds the booking for the slot that was
highlighted, linked to the request."""

import re

import journey as J

TARGET = 8


def run():
    with J.Journey("booking", scale=0.25) as j:
        api = j.api("navigator")
        patient, number = J.patient_with_mobile(api)
        clinicians = api.records("clinician")
        pc = j.console("navigator")
        pc.signed_in()

        j.server.call("call.offered", "booking-1", cli=number)
        pc.expect(re.compile(r"In the queue: 1 caller"))

        j.mark("booking")
        pc.press("F2")                                  # answer the caller at the front
        pc.expect(J.shown_name(patient))                # the popup names them
        pc.press("Return")                              # this is the caller
        pc.expect_focus("Reason")                       # the navigation form, ready to type
        pc.type("Back pain for three weeks, getting worse when sitting")
        pc.press("alt+g")                               # Green: the next routine appointment
        pc.expect_state(re.compile(r"^Green"), "checked")
        pc.press("ctrl+shift+f")                        # the first suitable slot
        slot_re = re.compile(r"(\d\d:\d\d)")
        pc.expect_focus(slot_re)
        highlighted = pc.focused()
        J.log(f"highlighted: {highlighted}")
        pc.press("Return")                              # book the highlighted slot
        pc.expect_focus(re.compile(r"^Book"))           # the booking dialog, on Book
        pc.press("Return")
        pc.expect(re.compile(r"Booked"))
        keys = j.keys_since("booking")

        # The server holds it: the slot that was highlighted, this patient,
        # linked to the request.
        appointment = j.server_has(
            api, "appointment", lambda a: a["patient_id"] == patient["id"] and a["status"] == "booked",
            f"a booking for {J.shown_name(patient)}")
        slot = api.record("slot", appointment["slot_id"])
        when = J.local_time(slot["start"])
        clinician = clinicians[slot["clinician_id"]]
        j.check(when in highlighted and clinician["family_name"] in highlighted,
                f"booked {when} with {clinician['family_name']}, but the highlighted slot read "
                f"“{highlighted}”")
        triage = j.server_has(api, "triage", lambda t: t["id"] == appointment["triage_id"],
                              "the request the booking came from")
        j.check(triage["status"] == "booked" and triage["patient_id"] == patient["id"] and
                triage["reason"].startswith("Back pain"),
                f"the request on the server: {J.summarise(triage)}")
        j.check(not pc.reads("when the connection is back"),
                "the screen says the booking waits for the connection, but the server has it")
        j.check(keys <= TARGET, f"the booking took {keys} key presses (target {TARGET})")


J.main(run)
