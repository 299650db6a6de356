#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A callback that never reaches the patient: the caller took the callback
and keeps their place; the navigator calls back twice and nobody answers;
after the second attempt the call is a failed contact on the server, and
it is on the failed-contact list (with its count on the queue page) for
the practice to follow up, never simply gone."""

import re

import journey as J


def run():
    with J.Journey("callback", scale=0.25) as j:
        api = j.api("navigator")
        patient, number = J.patient_with_mobile(api, skip=2)
        pc = j.console("navigator")
        pc.signed_in()

        j.server.call("call.offered", "callback-1", cli=number)
        j.server.call("call.callback_requested", "callback-1", number=number)
        pc.expect(re.compile(r"Callbacks: 1"))

        j.mark("callback")
        for attempt in (1, 2):
            pc.press("F2")                                # the callback is due: call them back
            pc.expect(J.shown_name(patient))
            pc.expect(re.compile(r"No Answer", re.I))
            pc.press("alt+n")                             # nobody answered
            if attempt == 1:
                # it keeps its place for the second try, and says so
                j.server_has(api, "call", lambda c: c["call_ref"] == "callback-1" and
                             c["state"] == "callback_requested" and c.get("callback_outcome") == "no_answer",
                             "the callback back in the queue after one attempt",
                             related=lambda c: c["call_ref"] == "callback-1")
                pc.expect(re.compile(r"Callbacks: 1"))
            else:
                # the screen says the truth at once: not "keeps its place"
                pc.expect(re.compile(r"failed contact, now on the failed-contact list", re.I))
        call = j.server_has(api, "call", lambda c: c["call_ref"] == "callback-1" and
                            c["state"] == "callback_done" and c.get("callback_outcome") == "failed_contact",
                            "the callback recorded as a failed contact",
                            related=lambda c: c["call_ref"] == "callback-1")
        J.log(f"failed contact after {j.keys_since('callback')} key presses")
        # The failed-contact list: its count on the queue page, and the
        # caller on it.
        pc.expect(re.compile(r"Failed contact[s]?:? 1|1 failed contact", re.I))
        pc.expect(J.shown_name(patient))
        del call


J.main(run)
