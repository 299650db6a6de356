#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The online request form in a real browser (Debian's chromium and
chromedriver through python3-selenium), filled in with the keyboard only:
a registered patient who is matched, someone the practice does not know,
and the emergency stop. Every page is checked with axe-core (WCAG 2.2 A
and AA) when AXE_JS names axe.min.js. Screenshots go to SCREENSHOT_DIR
when it is set.

Usage: test-request-form.py SIGNPOST_SERVER_BIN
       test-request-form.py --send URL < request.json

--send fills in the form of the demo practice on a running server the same
way, keyboard only, with the request read from standard input (a JSON
object: given_name, family_name, date_of_birth, postcode, and optionally
reason, duration, hoped, contact_number) and prints the reference the
patient is given: the console's display tests take a request from a real
browser this way.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

SERVER = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("SIGNPOST_SERVER_BIN")
AXE_JS = os.environ.get("AXE_JS")
SHOTS = os.environ.get("SCREENSHOT_DIR")
ODS = "Y99901"
failures = []
checks = 0


def check(condition, message):
    global checks
    checks += 1
    if not condition:
        failures.append(message)
        print("not ok -", message)


class Server:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="signpost-web-test-")
        self.db = os.path.join(self.dir, "web.db")
        self.proc = subprocess.Popen(
            [SERVER, "--demo", "--db", self.db, "--listen", "127.0.0.1:0"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()
        if "Listening on" not in line:
            raise RuntimeError("the server did not start: " + line)
        self.base = line.split("Listening on ")[1].strip().rstrip("/")

    def api(self, method, path, body=None, token=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", "Bearer " + token)
        with urllib.request.urlopen(request, timeout=30) as reply:
            return json.loads(reply.read())

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)
        shutil.rmtree(self.dir, ignore_errors=True)


class Remote:
    """A server someone else started."""
    def __init__(self, base):
        self.base = base.rstrip("/")


def open_round_the_clock(server):
    """As the practice manager would: open every day and hour, so that the
    test does not depend on when it runs."""
    token = server.api("POST", "/api/v1/login",
                       {"username": "manager", "password": "demo-password"})["token"]
    me = server.api("GET", "/api/v1/me", token=token)
    practice = [p for p in me["practices"] if p["ods_code"] == ODS][0]
    days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    result = server.api("POST", "/api/v1/mutations", {"mutations": [{
        "mutation_id": "6f1c2a34-1d2e-4f5a-8b6c-7d8e9f0a1b2c", "type": "practice", "op": "update",
        "id": practice["id"], "base_version": practice["version"],
        "data": {"online_hours": [{"day": d, "opens": "00:00", "closes": "24:00"} for d in days],
                 "online_open_bank_holidays": True}}]}, token=token)
    assert result["results"][0]["status"] == "applied", result
    return practice["id"]


def a_patient(server, practice_id):
    with sqlite3.connect(server.db) as db:
        row = db.execute(
            "SELECT data FROM records WHERE kind = 'patient' AND practice_id = ? "
            "AND json_extract (data, '$.postcode') IS NOT NULL "
            "AND json_extract (data, '$.date_of_birth') < '2000-01-01' ORDER BY seq LIMIT 1",
            (practice_id,)).fetchone()
    return json.loads(row[0])


def triage_records(server):
    with sqlite3.connect(server.db) as db:
        return [json.loads(r[0]) for r in db.execute(
            "SELECT data FROM records WHERE kind = 'triage' AND "
            "json_extract (data, '$.source') = 'online'")]


def browser(width, height):
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=%d,%d" % (width, height), "--force-device-scale-factor=1"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def axe(driver, name):
    if not AXE_JS:
        return
    with open(AXE_JS) as f:
        driver.execute_script(f.read())
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']}})"
        ".then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' ' +"
        " v.nodes.map(n => n.target.join(' ')).join(', '))))"
        ".catch(e => done(['axe failed: ' + e]));")
    check(result == [], "axe on %s: %s" % (name, result))


def shot(driver, name):
    if SHOTS:
        driver.save_screenshot(os.path.join(SHOTS, name + ".png"))


def keys(driver, *sequence):
    """Types into whatever has the focus, as a person at a keyboard does."""
    webdriver.ActionChains(driver).send_keys(*sequence).perform()


def focused(driver):
    return driver.switch_to.active_element


def tab_to(driver, name, value=None, limit=80):
    """Tabs forward until the field called @name (with @value) has focus."""
    for _ in range(limit):
        element = focused(driver)
        if element.get_attribute("name") == name and (value is None or
                                                       element.get_attribute("value") == value):
            return element
        keys(driver, Keys.TAB)
    raise AssertionError("never reached %s=%s by Tab on %s" % (name, value, driver.title))


def choose(driver, name, value):
    """A radio: Tab to its group, then the arrow keys to the value."""
    element = tab_to(driver, name)
    for _ in range(10):
        if element.get_attribute("value") == value:
            keys(driver, Keys.SPACE)
            return
        keys(driver, Keys.ARROW_DOWN)
        element = focused(driver)
    raise AssertionError("no %s=%s" % (name, value))


def fill(driver, name, text):
    tab_to(driver, name)
    webdriver.ActionChains(driver).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL) \
        .send_keys(Keys.DELETE).perform()
    keys(driver, text)


def press_continue(driver, value="continue"):
    tab_to(driver, "go", value)
    keys(driver, Keys.ENTER)
    time.sleep(0.05)


def heading(driver):
    return driver.find_element(By.TAG_NAME, "h1").text


def start(driver, server, name):
    driver.get(server.base + "/p/%s/request" % ODS)
    axe(driver, name + " start")
    press_continue(driver)
    check("How old" in heading(driver), "age page after start: " + heading(driver))


def answer_no_to_all(driver):
    for element in driver.find_elements(By.CSS_SELECTOR, "input[type=radio][value=no]"):
        name = element.get_attribute("name")
        tab_to(driver, name)
        keys(driver, Keys.ARROW_DOWN)     # from "Yes" to "No", which selects it


COUGH = "A cough for three weeks <script>alert(1)</script> & it is getting worse"


def fill_request(driver, server, name, patient, someone_else=False, shots=False):
    reason = patient.get("reason", COUGH)
    start(driver, server, name)
    if shots:
        shot(driver, "form-phone-age")
    choose(driver, "age", "adult")
    press_continue(driver)
    check("any of these" in heading(driver), "emergency questions: " + heading(driver))
    axe(driver, name + " emergency")
    answer_no_to_all(driver)
    press_continue(driver)
    check("Who is this" in heading(driver), "who page: " + heading(driver))
    choose(driver, "who", "other" if someone_else else "self")
    press_continue(driver)
    if someone_else:
        check(heading(driver) == "About you", "about you: " + heading(driver))
        axe(driver, name + " about you")
        fill(driver, "requester_name", "Jo Carer")
        choose(driver, "relationship", "carer")
        press_continue(driver)
    # A mistake first: the error summary must say so and keep the answers.
    fill(driver, "given_name", patient["given_name"])
    press_continue(driver)
    check(driver.title.startswith("Error:"), "an empty date of birth is an error: " + driver.title)
    check(driver.switch_to.active_element.get_attribute("class") == "sp-error-summary",
          "the error summary has the focus")
    axe(driver, name + " details with errors")
    if shots:
        shot(driver, "form-phone-error")
    fill(driver, "family_name", patient["family_name"])
    y, m, d = patient["date_of_birth"].split("-")
    fill(driver, "dob_day", str(int(d)))
    fill(driver, "dob_month", str(int(m)))
    fill(driver, "dob_year", y)
    fill(driver, "postcode", patient.get("postcode") or "")
    press_continue(driver)
    check("request about" in heading(driver), "type page: " + heading(driver) + " " +
          driver.find_element(By.TAG_NAME, "main").text[:300])
    axe(driver, name + " type")
    choose(driver, "kind", "medical")
    press_continue(driver)
    axe(driver, name + " details")
    fill(driver, "reason", reason)
    fill(driver, "duration", patient.get("duration", "3 weeks"))
    if patient.get("hoped"):
        fill(driver, "hoped", patient["hoped"])
    press_continue(driver)
    check("contact" in heading(driver), "contact page: " + heading(driver))
    choose(driver, "contact_method", "phone")
    fill(driver, "contact_number", patient.get("contact_number", "07700 900 982"))
    tab_to(driver, "contact_morning")
    keys(driver, Keys.SPACE)
    choose(driver, "contact_message", "yes")
    axe(driver, name + " contact")
    press_continue(driver)
    check("Check your answers" in heading(driver), "check page: " + heading(driver))
    check(reason in driver.find_element(By.TAG_NAME, "main").text,
          "the words are shown as they were typed, not run")
    axe(driver, name + " check")
    if shots:
        shot(driver, "form-phone-check")
    press_continue(driver, "send")
    check(heading(driver) == "Request sent", "sent page: " + heading(driver))
    axe(driver, name + " sent")
    if shots:
        shot(driver, "form-phone-sent")
    return driver.find_element(By.CLASS_NAME, "sp-reference").text


def main():
    server = Server()
    try:
        practice_id = open_round_the_clock(server)
        patient = a_patient(server, practice_id)
        phone = browser(390, 844)
        try:
            reference = fill_request(phone, server, "matched", patient, shots=True)
            records = [r for r in triage_records(server) if r["reference"] == reference]
            check(len(records) == 1, "one record for " + reference)
            check(records and records[0]["patient_id"] == patient["id"],
                  "the registered patient is matched")
            check(records and "<script>" in records[0]["reason"], "the words are stored as typed")

            stranger = dict(patient, family_name="Nobody-Known", postcode="M1 1AE")
            reference = fill_request(phone, server, "unmatched", stranger, someone_else=True)
            records = [r for r in triage_records(server) if r["reference"] == reference]
            check(records and records[0]["patient_id"] is None, "an unknown person is not matched")
            check(records and records[0]["caller_relationship"] == "carer", "the carer is recorded")

            # The emergency stop: a yes ends it, and nothing is sent.
            before = len(triage_records(server))
            start(phone, server, "emergency")
            choose(phone, "age", "child")
            press_continue(phone)
            choose(phone, "rf_child_breathing", "yes")
            press_continue(phone)
            check(heading(phone) == "Call 999 now", "the stop page: " + heading(phone))
            check("struggling to breathe" in phone.find_element(By.TAG_NAME, "main").text.lower(),
                  "it says why")
            axe(phone, "emergency stop")
            shot(phone, "form-phone-emergency")
            check(len(triage_records(server)) == before, "nothing was sent")
        finally:
            phone.quit()

        if SHOTS:
            desktop = browser(1280, 900)
            try:
                desktop.get(server.base + "/p/%s/request" % ODS)
                shot(desktop, "form-desktop-start")
                press_continue(desktop)
                choose(desktop, "age", "adult")
                press_continue(desktop)
                shot(desktop, "form-desktop-emergency")
            finally:
                desktop.quit()
    finally:
        server.stop()

    print("%d passed, %d failed" % (checks - len(failures), len(failures)))
    return 1 if failures else 0


def send(base):
    """--send: one request from stdin through the form on @base; prints its reference."""
    wanted = json.load(sys.stdin)
    driver = browser(1280, 900)
    try:
        reference = fill_request(driver, Remote(base), "sent", wanted)
    finally:
        driver.quit()
    if failures:
        print("\n".join(failures), file=sys.stderr)
        return 1
    print(reference)
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--send":
        sys.exit(send(sys.argv[2]))
    sys.exit(main())
