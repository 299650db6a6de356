#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Offline: the network to the server goes down. The navigator finds the
patient, saves a request and books the first suitable slot from this PC's
copy; the screen says they wait to be sent. Meanwhile a colleague whose
PC is online books that same slot. The network comes back: the request
reaches the server, the booking conflicts and the navigator is offered
the nearest alternatives; Return takes the first. The server holds the
request and the patient's booking in another slot, and the colleague's
booking untouched."""

import re

import journey as J


def run():
    with J.Journey("offline", scale=0.25) as j:
        api = j.api("navigator")
        colleague = j.api("navigator")                   # another PC, online
        patient, _ = J.patient_with_mobile(api, skip=3)
        other, _ = J.patient_with_mobile(api, skip=4)
        clinicians = api.records("clinician")
        network = J.Proxy(j.server.port)
        pc = j.console("navigator", via=network)
        pc.signed_in()

        network.cut()
        pc.expect(re.compile(r"Offline", re.I))

        pc.press("ctrl+f")                               # find the patient in this PC's copy
        pc.type(f"{patient['given_name']} {patient['family_name']}")
        pc.expect(J.shown_name(patient))
        pc.press("Return")
        pc.press("ctrl+n")                               # a new request for them
        pc.expect_focus("Reason")
        pc.type("Painful knee after a fall last week, can walk on it")
        pc.press("alt+g")
        pc.press("ctrl+s")
        pc.expect(re.compile(r"on this PC|waiting to (be )?sen[dt]", re.I))
        pc.press("ctrl+shift+f")                         # the first suitable slot
        pc.expect_focus(re.compile(r"\d\d:\d\d"))
        highlighted = pc.focused()
        J.log(f"highlighted offline: {highlighted}")
        pc.press("Return")
        pc.expect_focus(re.compile(r"^Book"))
        pc.press("Return")
        pc.expect(re.compile(r"waiting to (be )?sen[dt]|when the connection is back", re.I))

        # The colleague books that very slot meanwhile.
        when = re.search(r"\d\d:\d\d", highlighted).group(0)
        taken = None
        for slot in api.records("slot").values():
            c = clinicians[slot["clinician_id"]]
            if (slot["status"] == "free" and J.local_time(slot["start"]) == when and
                    c["family_name"] in highlighted and slot["start"][:10] >= J.london_today()):
                taken = slot
                break
        j.check(taken is not None, f"no free slot on the server matches “{highlighted}”")
        result = colleague.mutate([{"mutation_id": J.new_uuid(), "type": "slot", "op": "book",
                                    "id": taken["id"], 
                                    "data": {"appointment_id": J.new_uuid(), "patient_id": other["id"],
                                             "reason": "Colleague's booking"}}])[0]
        j.check(result["status"] == "applied", f"the colleague's booking: {result}")

        network.mend()
        pc.expect("Up to date", timeout=120)
        triage = j.server_has(api, "triage", lambda t: t["patient_id"] == patient["id"],
                              "the request typed offline")
        j.check(triage["reason"].startswith("Painful knee"), f"the request: {J.summarise(triage)}")
        pc.expect(re.compile(r"booked .*first|someone else|already booked|taken", re.I))   # the conflict
        pc.press("Return")                               # the nearest alternative
        booked = j.server_has(api, "appointment", lambda a: a["patient_id"] == patient["id"] and
                              a["status"] == "booked", f"{J.shown_name(patient)} booked in another slot")
        j.check(booked["slot_id"] != taken["id"], "booked into the slot the colleague took")
        theirs = api.records("appointment")
        j.check(any(a["slot_id"] == taken["id"] and a["patient_id"] == other["id"] and a["status"] == "booked"
                    for a in theirs.values()), "the colleague's booking was changed")


J.main(run)
