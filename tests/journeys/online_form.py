# SPDX-License-Identifier: GPL-3.0-or-later
"""Online requests as patients send them: through the practice's own form
at /p/{ODS}/request on a real signpost-server, the way a browser posts it
(the start page's cookie and token, every answer sent with the last page).
Used by the online-request journey and to set up screenshots:

    online_form.py URL [COUNT]     # sends COUNT requests to the demo practice

Only synthetic people: NHS numbers from the 999 range, phone numbers from
Ofcom's drama ranges, made-up postcodes.
"""

import datetime
import http.cookiejar
import json
import re
import sys
import urllib.parse
import urllib.request

DEMO_ODS = "Y99901"
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def api(base, method, path, body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base.rstrip("/") + "/api/v1/" + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=30) as reply:
        text = reply.read()
        return json.loads(text) if text else None


def login(base, username, password="demo-password"):
    return api(base, "POST", "login", {"username": username, "password": password})["token"]


def open_round_the_clock(base, ods=DEMO_ODS):
    """As the practice manager would set it: open every day at every hour,
    so that what uses this does not depend on when it runs."""
    token = login(base, "manager")
    me = api(base, "GET", "me", token=token)
    practice = [p for p in me["practices"] if p["ods_code"] == ods][0]
    if len(practice.get("online_hours") or []) == 7 and practice.get("online_open_bank_holidays"):
        return practice["id"]
    result = api(base, "POST", "mutations", {"mutations": [{
        "mutation_id": "6f1c2a34-1d2e-4f5a-8b6c-%012x" % (hash(ods) & 0xffffffffffff),
        "type": "practice", "op": "update", "id": practice["id"],
        "base_version": practice["version"],
        "data": {"online_hours": [{"day": d, "opens": "00:00", "closes": "24:00"} for d in DAYS],
                 "online_open_bank_holidays": True}}]}, token=token)
    status = result["results"][0]["status"]
    if status not in ("applied", "duplicate"):
        raise RuntimeError("could not open the form: %r" % result)
    return practice["id"]


class _Browser:
    """Keeps the form's one cookie, as a browser does."""

    def __init__(self, base, ods):
        self.base = base.rstrip("/")
        self.ods = ods
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path):
        with self.opener.open(self.base + path, timeout=30) as reply:
            return reply.read().decode()

    def post(self, step, fields):
        data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request("%s/p/%s/request/%s" % (self.base, self.ods, step), data=data,
                                         method="POST")
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        with self.opener.open(request, timeout=30) as reply:
            return reply.read().decode()


def _hidden(page, name):
    found = re.search(r'name="%s" value="([^"]*)"' % re.escape(name), page)
    if not found:
        raise RuntimeError("the form page has no %s field" % name)
    return found.group(1)


def submit(base, ods=DEMO_ODS, given="Ada", family="Testcase", dob="1980-02-29", postcode="LS1 4AP",
           nhs_number="", phone="", reason="A cough that will not go away", kind="medical",
           admin_topic=None, duration="3 weeks", hoped="", contact_method="text",
           contact_number="07700 900982", morning=True, afternoon=False, message_ok=False,
           who="self", requester_name="", relationship=""):
    """Sends one request through the form; returns its reference."""
    browser = _Browser(base, ods)
    start = browser.get("/p/%s/request" % ods)
    fields = {"csrf": _hidden(start, "csrf"), "submission": _hidden(start, "submission"), "website": ""}
    born = datetime.date.fromisoformat(dob)
    today = datetime.date.today()
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    fields["age"] = "adult" if age >= 16 else "child"
    emergency = browser.post("age", dict(fields, go="continue"))
    flags = sorted(set(re.findall(r'name="(rf_[a-z0-9_]+)"', emergency)))
    if not flags:
        raise RuntimeError("the form asked no emergency questions")
    year, month, day = dob.split("-")
    fields.update({flag: "no" for flag in flags})
    fields.update({
        "who": who, "given_name": given, "family_name": family,
        "dob_day": str(int(day)), "dob_month": str(int(month)), "dob_year": year,
        "postcode": postcode, "nhs_number": nhs_number, "phone": phone,
        "kind": kind, "reason": reason, "duration": duration, "hoped": hoped,
        "contact_method": contact_method, "contact_number": contact_number,
        "contact_message": "yes" if message_ok else "no", "go": "send",
    })
    # The form asks one question: medical, or which admin matter.
    if kind == "admin":
        fields["kind"] = admin_topic or "admin_other"
    if morning:
        fields["contact_morning"] = "yes"
    if afternoon:
        fields["contact_afternoon"] = "yes"
    if who == "other":
        fields["requester_name"] = requester_name
        fields["relationship"] = relationship
    sent = browser.post("check", fields)
    found = re.search(r'class="sp-reference">([A-Z]{3}-[0-9]{4})<', sent)
    if not found:
        raise RuntimeError("the request was not sent: %s" % re.sub(r"<[^>]+>", " ", sent)[:2000])
    return found.group(1)


# A morning's online requests at the demo practice: some from registered
# patients the server matches, some it cannot (a typo, a new patient).
SAMPLES = [
    dict(given="Margaret", family="Ellwood", dob="1948-06-02", postcode="LS6 2QB",
         reason="My repeat prescription for ramipril has run out and the pharmacy says it needs a new request.",
         kind="admin", admin_topic="repeat_prescription", duration=""),
    dict(given="Tom", family="Okafor", dob="1991-11-23", postcode="LS7 3HA",
         reason="Sore ear for a week, worse at night, some discharge since yesterday.",
         duration="About a week", hoped="To be seen or speak to someone today if possible",
         morning=False, afternoon=True, message_ok=True),
    dict(given="Priya", family="Nair", dob="1985-03-14", postcode="LS2 9JT",
         reason="I need a fit note for another two weeks after my knee operation.",
         kind="admin", admin_topic="fit_note", duration=""),
    dict(given="Jack", family="Hughes", dob="2019-08-30", postcode="LS8 1DE", who="other",
         requester_name="Sarah Hughes", relationship="parent",
         reason="Rash on his arms and tummy for three days, itchy but he is eating and playing.",
         duration="3 days", hoped="Advice on whether he needs seeing"),
]


def main():
    base = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else len(SAMPLES)
    open_round_the_clock(base)
    for i in range(count):
        print(submit(base, **SAMPLES[i % len(SAMPLES)]))


if __name__ == "__main__":
    main()
