#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The accessibility walk: every window the console shows, for each role,
reached by the keyboard alone, each checked as a screen reader user meets
it (walker.py): every control named in a user's words, Tab reaching every
control, no label a Tab stop. One TAP result per window, every problem
listed."""

import re
import sys

import journey as J
import walker

results = []


def visit(console, title, tab=True, window=None):
    problems = walker.check_window(console, title, tab=tab, window=window)
    results.append((title, problems))
    status = "ok" if not problems else "not ok"
    print(f"{status} {len(results)} - {title}", flush=True)
    for p in problems:
        print(f"#   {p}", flush=True)


def step(console, title, keys, expect, tab=True, window=None):
    """Goes somewhere by @keys, waits for @expect (and for the window called
    @window to be the active one), and checks the active window."""
    try:
        for k in keys:
            console.press(k)
        console.expect(expect, timeout=20)
        if window is not None:
            console.journey.wait(lambda: any(re.search(window, w.get_name() or "")
                                             for w in console.screen.windows()),
                                 f"the window /{window}/", console=console)
    except J.JourneyFailed as e:
        # put away whatever half-opened, so that the next window is reached
        # from where a person would be
        console.press("Escape", times=2)
        results.append((title, [f"could not get there: {e.args[0].splitlines()[0]}"]))
        print(f"not ok {len(results)} - {title}\n#   could not get there: {e.args[0].splitlines()[0]}",
              flush=True)
        return False
    visit(console, title, tab=tab, window=window)
    return True


def run():
    with J.Journey("walk", scale=0.1) as j:
        navigator_api = j.api("navigator")
        patient, number = J.patient_with_mobile(navigator_api)
        other, _ = J.patient_with_mobile(navigator_api, skip=1)
        J.send_to_duty(navigator_api, other, "Dizzy spells since yesterday", "same_day")

        # Signing in: the console with no one signed in yet.
        login = j.console("navigator", sign_in=False, args=["--server", j.server.url], label="sign-in")
        login.expect("Sign in to Signpost")
        visit(login, "sign-in page")
        login.stop()
        j.consoles.remove(login)

        # The navigator's console.
        pc = j.console("navigator")
        pc.signed_in()
        j.server.call("call.offered", "walk-1", cli=number)
        pc.expect(re.compile(r"In the queue: 1 caller"))
        step(pc, "navigator: queue page, a caller waiting", ["alt+1"], "Answer next call")
        step(pc, "navigator: the caller popup", ["F2"], J.shown_name(patient))
        if step(pc, "navigator: the navigation form", ["Return"], "Reason", window="^New Request$"):
            pc.press("Escape")
        step(pc, "navigator: requests page", ["alt+2"], re.compile(r"Nothing open|\d+ open"))
        step(pc, "navigator: duty list page", ["alt+3"], "My Requests")
        if step(pc, "navigator: finding a patient", ["ctrl+f"], re.compile("Name, NHS number|Find", re.I)):
            pc.type(f"{patient['given_name']} {patient['family_name']}")
            if step(pc, "navigator: the patient's summary", ["Return"], patient["family_name"].upper()):
                pc.press("Escape")
            pc.press("Escape")
        # (names only: AT-SPI does not report that window active, so Tab is not followed there)
        if step(pc, "navigator: keyboard shortcuts", ["ctrl+question"], "Keyboard shortcuts", tab=False,
                window="Shortcuts"):
            pc.press("Escape")
        # F10 is the main menu, says the shortcuts window
        if step(pc, "navigator: the main menu", ["F10"], re.compile("Log Out", re.I), tab=False):
            pc.press("Escape")
        # The diary last: its grid is long to Tab through.
        step(pc, "navigator: diary page", ["alt+4"], "Find a Slot", tab=False)
        if step(pc, "navigator: the slot finder", ["ctrl+shift+f"], "First Suitable Slot"):
            pc.press("ctrl+shift+f")
        step(pc, "navigator: diary page, by Tab", [], "Find a Slot")
        pc.stop()

        # The duty doctor's.
        duty = j.console("duty")
        duty.signed_in()
        step(duty, "duty doctor: duty list", [], J.shown_name(other))
        if step(duty, "duty doctor: a request open", ["Return"], "Dizzy spells since yesterday"):
            if step(duty, "duty doctor: closing a request", ["alt+o"], re.compile("What was the outcome")):
                duty.press("Escape")
        duty.stop()

        # The practice manager's.
        manager = j.console("manager")
        manager.signed_in()
        step(manager, "manager: the load page", [], "Calls today")
        try:
            manager.press_until("Tab", re.compile(r"^Staffing"))
        except J.JourneyFailed:
            pass
        step(manager, "manager: staffing", ["space"], "Aim to answer")
        step(manager, "manager: the Hub page", ["alt+6"], "Practices side by side")
        # The shortcuts window lists the Hub page's keys: its search finds them.
        if step(manager, "manager: keyboard shortcuts", ["ctrl+question"], "Keyboard shortcuts", tab=False,
                window="Shortcuts"):
            manager.type("chart as a table")
            try:
                manager.expect("Every chart as a table, or back", timeout=20)
                print(f"ok {len(results) + 1} - manager: the shortcuts window lists the Hub page's keys",
                      flush=True)
                results.append(("manager: the shortcuts window lists the Hub page's keys", []))
            except J.JourneyFailed as e:
                problem = f"the Hub page's keys are not listed: {e.args[0].splitlines()[0]}"
                results.append(("manager: the shortcuts window lists the Hub page's keys", [problem]))
                print(f"not ok {len(results)} - manager: the shortcuts window lists the Hub page's keys\n#   {problem}",
                      flush=True)
            manager.press("Escape", times=2)

    failed = [t for t, p in results if p]
    print(f"1..{len(results)}", flush=True)
    J.log(f"walker: {len(results) - len(failed)} of {len(results)} windows pass; "
          f"{sum(len(p) for _, p in results)} problems")
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    run()
