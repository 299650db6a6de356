#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A household landline: the popup lists everyone who shares the number;
the navigator picks the one who needs help with the arrow keys, confirms,
and the call and the request are that person's on the server."""

import re

import journey as J


def run():
    with J.Journey("household", scale=0.25) as j:
        api = j.api("navigator")
        number, people = J.household(api)
        chosen = people[1]
        pc = j.console("navigator")
        pc.signed_in()

        j.server.call("call.offered", "household-1", cli=number)
        pc.expect(re.compile(r"In the queue: 1 caller"))
        pc.press("F2")
        for p in people:
            pc.expect(J.shown_name(p))                  # everyone on the line is listed
        pc.press_until("Down", J.shown_name(chosen))     # move to the one calling
        pc.press("Return")
        pc.expect_focus("Reason")
        pc.expect(J.shown_name(chosen))                  # the form is theirs
        pc.type("Repeat prescription for inhalers has run out")
        pc.press("alt+g")
        pc.press("ctrl+Return")

        calls = api.records("call")
        call = j.server_has(api, "call", lambda c: c["call_ref"] == "household-1" and
                            c["patient_id"] == chosen["id"], f"the call linked to {J.shown_name(chosen)}",
                            related=lambda c: c["call_ref"] == "household-1")
        triage = j.server_has(api, "triage", lambda t: t["patient_id"] == chosen["id"],
                              f"a request for {J.shown_name(chosen)}")
        j.check(triage["call_id"] == call["id"], f"the request is not the call's: {J.summarise(triage)}")
        j.check(triage["urgency"] == "routine", f"urgency: {triage['urgency']}")
        others = [t for t in api.records("triage").values()
                  if t["patient_id"] in {p["id"] for p in people if p is not chosen}]
        j.check(not others, f"requests made for the others on the line: {others}")
        del calls


J.main(run)
