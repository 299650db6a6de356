#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A withheld number and a caller who is not on the list (a temporary
resident): the popup asks who it is, the name typed in the search carries
over into the registration, Enter registers them, and the server holds a
temporary patient with the details asked for (name, date of birth, sex,
postcode), linked to the call, with a request."""

import re

import journey as J

GIVEN, FAMILY = "Wilhelmina", "Quartermaine"


def run():
    with J.Journey("withheld", scale=0.25) as j:
        api = j.api("navigator")
        pc = j.console("navigator")
        pc.signed_in()

        j.server.call("call.offered", "withheld-1", cli=None)
        pc.expect(re.compile(r"In the queue: 1 caller"))
        pc.press("F2")
        pc.expect(re.compile(r"withheld", re.I))
        pc.expect_focus(re.compile(r"Find the caller|Name, date of birth", re.I))   # the search, ready
        pc.type(f"{GIVEN} {FAMILY}")
        pc.expect(re.compile(r"No patient|nobody|not found", re.I))
        pc.press("alt+p")                                 # Register a Temporary Patient… (Alt+R is the Requests tab)
        pc.expect(GIVEN)                                  # the name typed is carried over
        pc.expect(FAMILY)
        pc.expect_focus(re.compile(r"Date of birth", re.I))
        pc.type("31/02/1990")                             # no such day: said so, not refused silently
        pc.press("Return")
        pc.expect(re.compile(r"no 31 February|not a date|no such date|31 February", re.I))
        pc.press("ctrl+a")
        pc.type("14/02/1990")
        pc.press_until("Tab", re.compile(r"^Sex", re.I))
        pc.press("Down")                                  # female
        pc.press_until("Tab", re.compile(r"^Postcode", re.I))
        pc.type("LS6 2AB")
        pc.press("Return")                                # “Enter confirms”
        pc.expect_focus("Reason")                         # the navigation form, for them
        pc.type("Staying with family for a month, needs her blood pressure tablets")
        pc.press("alt+g")
        pc.press("ctrl+Return")

        patient = j.server_has(api, "patient", lambda p: p["family_name"] == FAMILY,
                               f"the temporary patient {GIVEN} {FAMILY}")
        j.check(patient["temporary"] and patient["given_name"] == GIVEN and
                patient["date_of_birth"] == "1990-02-14" and patient["postcode"] == "LS6 2AB" and
                patient["sex"] in ("female", "male", "other"),
                f"the patient on the server: {J.summarise(patient)}")
        j.server_has(api, "call", lambda c: c["call_ref"] == "withheld-1" and c["patient_id"] == patient["id"],
                     "the withheld call linked to them", related=lambda c: c["call_ref"] == "withheld-1")
        j.server_has(api, "triage", lambda t: t["patient_id"] == patient["id"], "their request")


J.main(run)
