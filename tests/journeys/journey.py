# SPDX-License-Identifier: GPL-3.0-or-later
"""The journey suite's harness: a real signpost-server, the real console
under a private Xvfb with a working accessibility bus, keys sent only
through the X server (XTest, by xdotool) and the screen read back only
over AT-SPI, as a screen reader reads it.

A journey is a script:

    with Journey("booking") as j:
        pc = j.console("navigator")
        pc.press("F2")
        pc.expect("Answered")            # wait until a screen reader can read it
        ...
        j.api("navigator").records("appointment")   # the outcome on the server

Key presses are counted (typing words is not) and printed at the end,
with the path the journey took, so the README's keyboard section can
quote it.

Nothing here calls the console's functions: what a journey knows of the
console is what a person at the keyboard with a screen reader would know.
"""

import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.request

BUILD = os.environ.get("SIGNPOST_BUILD_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", "build"))
SOURCE = os.environ.get("SIGNPOST_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
SERVER_BIN = os.environ.get("SIGNPOST_SERVER_BIN") or os.path.join(BUILD, "src", "server", "signpost-server")
CONSOLE_BIN = os.environ.get("SIGNPOST_CONSOLE_BIN") or os.path.join(BUILD, "src", "console", "signpost")
CALLGEN_BIN = os.environ.get("SIGNPOST_CALLGEN_BIN") or os.path.join(BUILD, "src", "callgen", "signpost-callgen")
SCHEMA_DIR = os.environ.get("GSETTINGS_SCHEMA_DIR") or os.path.join(BUILD, "data")

PASSWORD = "demo-password"
LINE_SECRET = "demo-line-secret"
# The demo practices' lines (020 7946 0001 and 0002).
LINE_1 = "+442079460001"
LINE_2 = "+442079460002"

# How long anything may take before a journey gives up: generous, because
# the machine may be busy; a journey never asserts on time.
TIMEOUT = float(os.environ.get("SIGNPOST_JOURNEY_TIMEOUT", "60"))
POLL = 0.15

Atspi = None
GLib = None


def _import_atspi():
    """Atspi reads the session bus address when it is first used, so it is
    imported once the private session bus exists."""
    global Atspi, GLib
    if Atspi is None:
        import gi
        gi.require_version("Atspi", "2.0")
        from gi.repository import Atspi as _Atspi
        from gi.repository import GLib as _GLib
        Atspi, GLib = _Atspi, _GLib
        Atspi.init()


class JourneyFailed(AssertionError):
    pass


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def parse_instant(text):
    """A wire instant (UTC ISO 8601) as Unix seconds."""
    import datetime
    text = text.replace("Z", "+00:00")
    return datetime.datetime.fromisoformat(text).timestamp()


def log(*args):
    print("#", *args, flush=True)


# ---- processes -----------------------------------------------------------------


def _read_line_matching(proc, pattern, timeout, what):
    """Reads @proc's stdout until a line matches @pattern; returns the match."""
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 0.2)
        if ready:
            line = proc.stdout.readline()
            if not line:
                break
            line = line.decode("utf-8", "replace").rstrip("\n")
            seen.append(line)
            m = re.search(pattern, line)
            if m:
                # Keep the pipe drained: a child blocked writing is a hang.
                threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
                return m
        elif proc.poll() is not None:
            break
    raise JourneyFailed(f"{what} did not start: {' / '.join(seen[-5:])}")


def _die_with_parent():
    """In each child: a journey that is killed (a test timeout) takes its
    servers, screens and consoles with it."""
    import ctypes
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _stop(proc, sig=signal.SIGTERM, timeout=10):
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


class Display:
    """A private X server: one receptionist's screen and keyboard."""

    def __init__(self, tmp, size="1366x768"):
        r, w = os.pipe()
        self.proc = subprocess.Popen(
            ["Xvfb", "-displayfd", str(w), "-screen", "0", size + "x24", "-nolisten", "tcp",
             "-noreset"],
            pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, preexec_fn=_die_with_parent)
        os.close(w)
        number = b""
        deadline = time.monotonic() + 30
        while not number.endswith(b"\n") and time.monotonic() < deadline:
            ready, _, _ = select.select([r], [], [], 0.5)
            if ready:
                chunk = os.read(r, 16)
                if not chunk:
                    break
                number += chunk
        os.close(r)
        if not number.strip():
            raise JourneyFailed("Xvfb did not start")
        self.name = ":" + number.decode().strip()

    def stop(self):
        _stop(self.proc)


class Bus:
    """A private D-Bus session bus; the accessibility bus is started from it
    on demand (at-spi-bus-launcher), as on a desktop."""

    def __init__(self, display):
        self.proc = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True, preexec_fn=_die_with_parent,
            env=dict(os.environ, DISPLAY=display))
        m = _read_line_matching(self.proc, r"^(unix:.*)$", 30, "The session bus")
        self.address = m.group(1)

    def stop(self):
        _stop(self.proc)


# ---- the server, over HTTP -----------------------------------------------------------


class Api:
    """One user's HTTP client to the server: what the server holds is the
    outcome a journey asserts."""

    def __init__(self, url, username, role=None):
        self.url = url.rstrip("/") + "/api/v1/"
        body = {"username": username, "password": PASSWORD}
        if role:
            body["role"] = role
        status, reply = self.request("POST", "login", body, token=None)
        if status != 200:
            raise JourneyFailed(f"{username} could not sign in to the server: {status} {reply}")
        self.token = reply["token"]
        self.user = reply["user"]
        self.practices = reply.get("practices", [])

    def request(self, method, path, body=None, token=True):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", "Bearer " + self.token)
        try:
            with urllib.request.urlopen(req, timeout=30) as reply:
                raw = reply.read()
                kind = reply.headers.get("Content-Type", "")
                return reply.status, (json.loads(raw) if "json" in kind else raw)
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                return e.code, json.loads(raw)
            except ValueError:
                return e.code, raw

    def get(self, path):
        status, reply = self.request("GET", path)
        if status != 200:
            raise JourneyFailed(f"GET {path}: {status} {reply}")
        return reply

    def mutate(self, mutations):
        status, reply = self.request("POST", "mutations", {"mutations": mutations})
        if status != 200:
            raise JourneyFailed(f"POST mutations: {status} {reply}")
        return reply["results"]

    def records(self, kind):
        """Every record of @kind this user may see, by id (the change feed)."""
        out, since = {}, 0
        while True:
            page = self.get(f"changes?since={since}&limit=5000")
            for change in page["changes"]:
                if change["type"] != kind:
                    continue
                if change["op"] == "delete":
                    out.pop(change["id"], None)
                else:
                    out[change["id"]] = change["data"]
            since = page["last_seq"]
            if not page["more"]:
                return out

    def record(self, kind, record_id):
        return self.records(kind).get(record_id)


def telephony_event(url, event, call_ref, line=LINE_1, cli=None, number=None, at=None):
    """Signs and posts a phone-system event, as the practice's telephony does."""
    import hashlib
    import hmac
    body = {"event": event, "call_ref": call_ref, "line": line, "cli": cli,
            "at": at or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    if number is not None:
        body["number"] = number
    raw = json.dumps(body).encode()
    stamp = str(int(time.time()))
    sig = hmac.new(LINE_SECRET.encode(), stamp.encode() + b"." + raw, hashlib.sha256).hexdigest()
    req = urllib.request.Request(url.rstrip("/") + "/api/v1/telephony/events", data=raw, method="POST")
    req.add_header("Content-Type", "application/json")
    req.add_header("X-Signpost-Timestamp", stamp)
    req.add_header("X-Signpost-Signature", "sha256=" + sig)
    with urllib.request.urlopen(req, timeout=30) as reply:
        return json.loads(reply.read())


class Server:
    """A real signpost-server on 127.0.0.1 with a fresh --demo database."""

    def __init__(self, tmp, scale=None, port=0, db=None):
        self.tmp = tmp
        self.db = db or os.path.join(tmp, "server.db")
        self.scale = scale
        self.port = port
        self.proc = None
        self.start()

    def start(self):
        # The day opens now, as in the demo: whatever the hour the journeys
        # run at, there is a day to book into and a duty doctor on duty.
        args = [SERVER_BIN, "--demo", "--demo-open-now", "--db", self.db, "--listen", f"127.0.0.1:{self.port}"]
        if self.scale is not None:
            args += ["--demo-scale", str(self.scale)]
        self.log = open(os.path.join(self.tmp, "server.log"), "ab")
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.log,
                                     start_new_session=True, preexec_fn=_die_with_parent)
        m = _read_line_matching(self.proc, r"Listening on (http://127\.0\.0\.1:(\d+))/", 120,
                                "signpost-server")
        self.url = m.group(1)
        self.port = int(m.group(2))

    def stop(self):
        """The server goes away (a network or server outage)."""
        _stop(self.proc)
        self.proc = None

    def api(self, username, role=None):
        return Api(self.url, username, role)

    def call(self, event, call_ref, **kw):
        return telephony_event(self.url, event, call_ref, **kw)


class Proxy:
    """A TCP relay in front of the server for one console: the network
    between that PC and the server, which a journey can cut and mend."""

    def __init__(self, port):
        self.target = port
        self.blocked = False
        self.conns = []
        self.lock = threading.Lock()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            if self.blocked:
                client.close()
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target))
            except OSError:
                client.close()
                continue
            with self.lock:
                self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a, b):
        try:
            while True:
                data = a.recv(65536)
                if not data:
                    break
                b.sendall(data)
        except OSError:
            pass
        for s in (a, b):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cut(self):
        """The network goes down: open connections drop, new ones fail."""
        self.blocked = True
        with self.lock:
            for c in self.conns:
                try:
                    c.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                c.close()
            self.conns = []

    def mend(self):
        self.blocked = False


# ---- the demo's people, as a journey picks them -------------------------------------------


def shown_name(patient):
    """A patient as the console lists them: FAMILY, Given."""
    return f"{patient['family_name'].upper()}, {patient['given_name']}"


def uk_number(e164):
    """+447700900123 → 07700 900123, as the console shows numbers."""
    national = "0" + e164[3:]
    if national.startswith("020"):
        return f"{national[:3]} {national[3:7]} {national[7:]}"
    return f"{national[:5]} {national[5:]}"


def patients_by_phone(api):
    by = {}
    for p in api.records("patient").values():
        for ph in p["phones"] or []:
            by.setdefault(ph["number"], []).append(p)
    return by


def patient_with_mobile(api, skip=0, adult=True):
    """A patient alone on their mobile number (the @skip-th such), aged
    18 to 70 when @adult."""
    by = patients_by_phone(api)
    found = []
    for number, people in sorted(by.items()):
        if not number.startswith("+447700") or len(people) != 1:
            continue
        p = people[0]
        age = int(time.strftime("%Y")) - int(p["date_of_birth"][:4])
        if adult and not 18 <= age <= 70:
            continue
        if p["temporary"] or not p["usual_clinician_id"]:
            continue
        found.append((p, number))
    return found[skip]


def london_today():
    """Today's date where the demo practices are."""
    import datetime
    import zoneinfo
    return datetime.datetime.now(zoneinfo.ZoneInfo("Europe/London")).strftime("%Y-%m-%d")


def local_time(instant):
    """HH:MM of a wire instant, in the practices' time."""
    import datetime
    import zoneinfo
    dt = datetime.datetime.fromisoformat(instant.replace("Z", "+00:00"))
    return dt.astimezone(zoneinfo.ZoneInfo("Europe/London")).strftime("%H:%M")


def new_uuid():
    import uuid
    return str(uuid.uuid4())


def send_to_duty(api, patient, reason, urgency, red_flags=()):
    """A request routed to the duty doctor, as another navigator's console
    sends it (over HTTP: the journey's subject is someone else)."""
    record_id = new_uuid()
    data = {
        "id": record_id, "practice_id": patient["practice_id"], "patient_id": patient["id"],
        "reason": reason, "urgency": urgency, "red_flags": list(red_flags),
        "route": {"kind": "duty", "clinician_id": None, "profession": None, "signpost": None},
        "contact_method": "phone",
        "contact_number": (patient["phones"] or [{"number": None}])[0]["number"],
        "status": "awaiting_duty", "outcome": "sent_to_duty",
    }
    result = api.mutate([{"mutation_id": new_uuid(), "type": "triage", "op": "create", "id": record_id,
                          "data": data}])[0]
    if result["status"] != "applied":
        raise JourneyFailed(f"could not send a request to the duty doctor: {result}")
    return record_id


def household(api, size=3):
    """A landline shared by at least @size patients: (number, patients)."""
    for number, people in sorted(patients_by_phone(api).items()):
        if not number.startswith("+447700") and len(people) >= size:
            return number, sorted(people, key=lambda p: p["date_of_birth"])
    raise JourneyFailed("the demo has no household line")


# ---- reading the screen over AT-SPI -----------------------------------------------------

# The roles a person operates: each needs a name in a user's words.
INTERACTIVE_ROLES = {
    "push button", "toggle button", "check box", "radio button", "combo box", "text",
    "password text", "entry", "spin button", "slider", "menu item", "check menu item",
    "radio menu item", "page tab", "link", "list item", "table row", "tree item", "switch",
    "scroll pane", "list", "table", "tree table", "tree", "menu", "toggle", "editbar",
}
CLASS_NAME = re.compile(r"^(Gtk|Adw|Signpost|Gdk|Gsk)[A-Z][A-Za-z0-9]*$")
_MNEMONIC = re.compile(r"_(?=\w)")


# Roles whose text content is what they read (entries, text views).
_TEXT_ROLES = {"text", "entry", "password text", "spin button", "editbar", "terminal",
               "document text", "paragraph"}
# Roles that never carry a description of their own here; skipping them
# keeps a read of the screen to a few calls a node.
_PLAIN_ROLES = {"label", "panel", "filler", "separator", "scroll bar", "image", "static",
                "heading", "section"}
_SURFACE_ROLES = {"menu", "popup menu", "tool tip", "window"}
_STATES = ("focused", "focusable", "sensitive", "checked", "selected", "pressed", "expanded",
           "editable", "active", "showing")


class Node:
    """One accessible as a screen reader would present it (read lazily:
    every read is a round trip to the console)."""

    __slots__ = ("acc", "role", "name", "depth", "_text", "_description", "_states")

    def __init__(self, acc, depth):
        self.acc = acc
        self.depth = depth
        self.role = acc.get_role_name()
        self.name = acc.get_name() or ""
        self._text = None
        self._description = None
        self._states = None

    @property
    def text(self):
        if self._text is None:
            self._text = ""
            if self.role in _TEXT_ROLES:
                try:
                    self._text = Atspi.Text.get_text(self.acc, 0, -1) or ""
                except Exception:
                    pass
        return self._text

    @property
    def description(self):
        if self._description is None:
            self._description = ""
            if self.role not in _PLAIN_ROLES:
                try:
                    self._description = self.acc.get_description() or ""
                except Exception:
                    pass
        return self._description

    @property
    def states(self):
        if self._states is None:
            try:
                st = self.acc.get_state_set()
                self._states = {s for s in _STATES if st.contains(getattr(Atspi.StateType, s.upper()))}
            except Exception:
                self._states = set()
        return self._states

    def spoken(self):
        """Roughly what Orca says for it: name, text, role, states."""
        parts = [p for p in (self.name, self.text if self.text != self.name else "") if p]
        extra = [s for s in ("checked", "selected", "pressed", "expanded") if s in self.states]
        if "sensitive" not in self.states:
            extra.append("greyed")
        return " ".join(parts) + f" [{self.role}{', ' + ', '.join(extra) if extra else ''}]"

    def reads(self):
        """What it reads, for a journey's matching. A raw mnemonic
        underscore ("_Save") is taken out here: that bug is the walker's
        to report (walker.py), and a journey goes on to find the next."""
        return _MNEMONIC.sub("", "\n".join(p for p in (self.name, self.text, self.description) if p))


class Screen:
    """What one console shows, over AT-SPI.

    GTK 4.8 keeps the pages a stack is not showing in the accessible tree
    (and reports them 'visible'); a page is taken as shown when the
    window's hit test at a point of it lands inside it, which is what a
    person sees (and what a screen reader's flat review reaches)."""

    def __init__(self, pid, name=None):
        _import_atspi()
        self.pid = pid
        self.name = name
        self._parents = {}
        self._unsure = False
        self._first_read = True
        self.app = None
        self.focus = None
        self._listener = Atspi.EventListener.new(self._on_event)
        self._listener.register("object:state-changed:focused")

    def _on_event(self, event):
        try:
            if event.detail1 == 1 and event.source.get_process_id() == self.application().get_process_id():
                self.focus = event.source
        except Exception:
            pass

    def pump(self):
        ctx = GLib.MainContext.default()
        while ctx.pending():
            ctx.iteration(False)

    def application(self):
        if self.app is not None:
            return self.app
        desktop = Atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            a = desktop.get_child_at_index(i)
            try:
                if a is not None and (a.get_process_id() == self.pid if self.pid is not None
                                      else a.get_name() == self.name):
                    self.app = a
                    return a
            except Exception:
                continue
        return None

    def windows(self):
        """The console's windows that are on screen, the active one first."""
        app = self.application()
        if app is None:
            return []
        out = []
        for i in range(app.get_child_count()):
            w = app.get_child_at_index(i)
            if w is None:
                continue
            st = w.get_state_set()
            if not st.contains(Atspi.StateType.SHOWING) and not st.contains(Atspi.StateType.VISIBLE):
                continue
            try:
                ext = w.get_extents(Atspi.CoordType.SCREEN)
                if ext.width <= 1 or ext.height <= 1:
                    continue
            except Exception:
                pass
            out.append(w)
        out.sort(key=lambda w: not w.get_state_set().contains(Atspi.StateType.ACTIVE))
        return out

    def _within(self, hit, acc, stop):
        """Is @hit @acc or inside it? Walks up from @hit only until it meets
        an accessible this read has met (whose ancestors it knows)."""
        h = hit
        for _ in range(80):
            if h is None or h == stop:
                return h is acc
            if h == acc:
                return True
            if h in self._parents:
                while h is not None:
                    if h == acc:
                        return True
                    h = self._parents.get(h)
                return False
            h = h.get_parent()
        return False

    def on_screen(self, acc, window):
        """True when a point of @acc is what the window shows there (GTK
        picks the widget at the point: only mapped, shown ones); None when
        GTK could not say, because what is there has not been read yet (GTK
        names only accessibles a client has already met)."""
        try:
            ext = acc.get_extents(Atspi.CoordType.WINDOW)
        except Exception:
            return None
        if ext.width <= 0 or ext.height <= 0:
            return False
        answered = False
        for fx, fy in ((0.5, 0.5), (0.2, 0.2), (0.8, 0.2), (0.2, 0.8), (0.8, 0.8)):
            x = int(ext.x + ext.width * fx)
            y = int(ext.y + ext.height * fy)
            try:
                hit = window.get_accessible_at_point(x, y, Atspi.CoordType.WINDOW)
            except Exception:
                hit = None
            # None: GTK picked a widget that is not in the accessible tree
            # (or not met yet); that point says nothing.
            if hit is not None:
                answered = True
                if self._within(hit, acc, window):
                    return True
        return False if answered else None

    def _walk(self, acc, window, depth, out, surface=False):
        if acc is None:
            return
        try:
            node = Node(acc, depth)
        except Exception:
            return  # gone meanwhile
        # A popover has a surface of its own, which the window's hit test
        # does not see: inside one, what is in the tree is taken as shown.
        surface = surface or node.role in _SURFACE_ROLES
        # A stack's page that is not the one shown: skip it, and all in it.
        if node.role == "panel" and node.name == "GtkStackPage" and not surface:
            child = acc.get_child_at_index(0) if acc.get_child_count() > 0 else None
            shown = self.on_screen(child, window) if child is not None else False
            if shown is None:
                self._unsure = True
            elif not shown:
                return
        out.append(node)
        try:
            n = acc.get_child_count()
            children = [acc.get_child_at_index(i) for i in range(n)]
        except Exception:
            return
        children = [c for c in children if c is not None]
        for c in children:
            self._parents[c] = acc
        if len(children) >= 2:
            children = self._shown_children(children, window, surface)
        for child in children:
            self._walk(child, window, depth + 1, out, surface)

    def _shown_children(self, children, window, surface=False):
        """Of siblings, the ones on screen: a child with no size is not;
        of children laid over each other (a stack's pages, an overlay) the
        window's hit test decides."""
        boxes = []
        for c in children:
            try:
                e = c.get_extents(Atspi.CoordType.WINDOW)
                boxes.append((e.x, e.y, e.width, e.height))
            except Exception:
                boxes.append(None)
        keep = []
        for i, c in enumerate(children):
            b = boxes[i]
            if b is None:
                keep.append(c)
                continue
            # A popover or menu has a surface of its own, over the window:
            # the window's hit test cannot see it, and when it is in the
            # tree at all it is shown.
            try:
                if c.get_role_name() in _SURFACE_ROLES:
                    keep.append(c)
                    continue
            except Exception:
                pass
            if b[2] <= 0 or b[3] <= 0:
                continue
            if surface:
                keep.append(c)
                continue
            overlapped = any(
                o is not None and j != i and o[2] > 0 and o[3] > 0 and
                b[0] < o[0] + o[2] and o[0] < b[0] + b[2] and b[1] < o[1] + o[3] and o[1] < b[1] + b[3]
                for j, o in enumerate(boxes))
            if overlapped:
                shown = self.on_screen(c, window)
                if shown is None:
                    self._unsure = True
                elif not shown:
                    continue
            keep.append(c)
        return keep

    def read(self, all_windows=True):
        """Every node of the windows on screen, as a list of Node. A page
        GTK could not yet place is read too, and then the whole screen is
        read again: by then GTK knows every accessible on it."""
        self.pump()
        app = self.application()
        if app is None:
            return []
        for attempt in range(2):
            app.clear_cache()
            self._unsure = False
            self._parents = {}
            out = []
            wins = self.windows()
            for w in (wins if all_windows else wins[:1]):
                self._walk(w, w, 0, out)
            # Once more when GTK could not place a page because nothing
            # had asked for what is on it yet: it has been asked now.
            if not self._unsure or not self._first_read:
                break
            self._first_read = False
        return out

    def active_window(self):
        for w in self.windows():
            if w.get_state_set().contains(Atspi.StateType.ACTIVE):
                return w
        return None

    def _window_of(self, acc):
        a = acc
        for _ in range(100):
            if a is None:
                return None
            if a.get_role_name() in ("frame", "dialog", "window", "alert", "file chooser"):
                return a
            a = a.get_parent()
        return None

    def focused(self):
        """The focused control of the active window: what a screen reader
        announces. Focus events say where it went; the tree confirms it."""
        self.pump()
        active = self.active_window()
        f = self.focus
        if f is not None:
            try:
                f.clear_cache()
                if (f.get_state_set().contains(Atspi.StateType.FOCUSED) and
                        (active is None or self._window_of(f) == active)):
                    return Node(f, 0)
            except Exception:
                pass
        if active is None:
            return None
        out = []
        self._unsure = False
        self._parents = {}
        self._walk(active, active, 0, out)
        for node in out:
            if "focused" in node.states and node.role not in ("frame", "dialog", "window"):
                self.focus = node.acc
                return node
        return None

    def text(self):
        return "\n".join(n.reads() for n in self.read() if n.reads())


# ---- a console, driven by keys --------------------------------------------------------------

# xdotool's names for keys people write differently.
_KEYNAMES = {
    "return": "Return", "enter": "Return", "esc": "Escape", "escape": "Escape",
    "tab": "Tab", "space": "space", "up": "Up", "down": "Down", "left": "Left",
    "right": "Right", "home": "Home", "end": "End", "backspace": "BackSpace",
    "delete": "Delete", "pageup": "Prior", "pagedown": "Next", "?": "question",
    "/": "slash",
}


def _xdotool_key(chord):
    parts = chord.split("+")
    out = []
    for p in parts:
        low = p.lower()
        if low in ("ctrl", "control"):
            out.append("ctrl")
        elif low in ("shift", "alt", "super"):
            out.append(low)
        else:
            out.append(_KEYNAMES.get(low, p))
    return "+".join(out)


class Console:
    """The real `signpost` program on its own display, signed in as a user."""

    def __init__(self, journey, username, display, server_url, label=None, extra_env=None,
                 args=None, sign_in=True, attach=False):
        self.journey = journey
        self.username = username
        self.label = label or username
        self.display = display
        home = os.path.join(journey.tmp, "home-" + self.label)
        for d in ("data", "state", "config", "cache"):
            os.makedirs(os.path.join(home, d), exist_ok=True)
        self.env = dict(journey.base_env)
        self.env.update({
            "DISPLAY": display.name,
            "XDG_DATA_HOME": os.path.join(home, "data"),
            "XDG_STATE_HOME": os.path.join(home, "state"),
            "XDG_CONFIG_HOME": os.path.join(home, "config"),
            "XDG_CACHE_HOME": os.path.join(home, "cache"),
        })
        if sign_in:
            self.env["SIGNPOST_PASSWORD"] = PASSWORD
        self.env.update(extra_env or {})
        self.server_url = server_url
        self.args = args if args is not None else (
            ["--server", server_url, "--user", username] if sign_in else [])
        self.proc = None
        self.screen = None
        if attach:
            # started by someone else (the demo script): found by its name
            # on the accessibility bus
            self.log_path = None
            self.screen = Screen(None, name="signpost")
            self.journey.wait(lambda: self.screen.windows(), f"{self.label}'s console window",
                              console=self)
        else:
            self.start()

    def start(self):
        self.log_path = os.path.join(self.journey.tmp, f"console-{self.label}.log")
        self.proc = subprocess.Popen([CONSOLE_BIN] + self.args, env=self.env,
                                     stdout=open(self.log_path, "ab"), stderr=subprocess.STDOUT,
                                     start_new_session=True, preexec_fn=_die_with_parent)
        self.screen = Screen(self.proc.pid)
        self.journey.wait(lambda: self.screen.windows(), f"{self.label}'s console window",
                          console=self)

    def signed_in(self):
        """Waits until the console has signed in; someone who works for
        several practices or in several roles is asked how they are working
        today first, and takes what is offered (Return)."""
        asked = re.compile(r"How are you working today")
        done = re.compile(r"Up to date|Copying the practice")
        self.journey.wait(lambda: self.reads(asked) or self.reads(done),
                          f"{self.label}: signed in", console=self)
        if self.reads(asked):
            self.press("Return")
        self.expect("Up to date")

    def stop(self):
        _stop(self.proc)

    def running(self):
        if self.proc is None:
            return self.screen is not None and self.screen.application() is not None
        return self.proc.poll() is None

    # -- keys -----------------------------------------------------------------------

    def _xdotool(self, *args):
        subprocess.run(["xdotool"] + list(args), env=dict(os.environ, DISPLAY=self.display.name),
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def _windows(self):
        """This console's mapped X windows, bottom to top."""
        pid = self.proc.pid if self.proc is not None else self.screen.application().get_process_id()
        out = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(pid)],
                             env=dict(os.environ, DISPLAY=self.display.name),
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
        return [w for w in out.split() if w]

    def _keep_focus(self):
        """What any window manager does and Xvfb alone does not: when the
        window with the keyboard goes away, the keyboard goes to the window
        left on top instead of to nowhere."""
        focus = subprocess.run(["xdotool", "getwindowfocus"], env=dict(os.environ, DISPLAY=self.display.name),
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout.strip()
        windows = self._windows()
        if windows and focus not in windows:
            subprocess.run(["xdotool", "windowfocus", "--sync", windows[-1]],
                           env=dict(os.environ, DISPLAY=self.display.name),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(0.1)

    def press(self, *chords, times=1):
        """Presses each chord (e.g. "F2", "ctrl+Return") @times times through
        the X server; each counts as one key press."""
        self._check_alive()
        self._keep_focus()
        for _ in range(times):
            for chord in chords:
                self.journey.count(chord)
                self._xdotool("key", "--clearmodifiers", _xdotool_key(chord))
                time.sleep(0.05)

    def type(self, text):
        """Types words (not counted as key presses)."""
        self._check_alive()
        self._keep_focus()
        self.journey.path.append(f'"{text}"')
        self._xdotool("type", "--delay", "15", "--", text)
        time.sleep(0.05)

    # -- reading --------------------------------------------------------------------

    def _check_alive(self):
        if self.proc is not None and self.proc.poll() is not None:
            raise JourneyFailed(f"{self.label}'s console exited ({self.proc.returncode}); "
                                f"see {self.log_path}")

    def reads(self, text, where="screen"):
        if where == "focus":
            node = self.screen.focused()
            return node is not None and _matches(text, node.reads())
        return _matches(text, self.screen.text())

    def expect(self, text, timeout=None, what=None):
        """Waits until a screen reader can read @text (a string, found in
        any name, text or description on screen, or a compiled regex)."""
        self.journey.wait(lambda: (self._check_alive(), self.reads(text))[1],
                          what or f"{self.label}: the screen reads {_show(text)}",
                          timeout=timeout, console=self)

    def expect_gone(self, text, timeout=None):
        self.journey.wait(lambda: (self._check_alive(), not self.reads(text))[1],
                          f"{self.label}: the screen no longer reads {_show(text)}",
                          timeout=timeout, console=self)

    def expect_focus(self, text, timeout=None):
        """Waits until the focused control (what is announced) reads @text."""
        self.journey.wait(lambda: (self._check_alive(), self.reads(text, "focus"))[1],
                          f"{self.label}: the focus reads {_show(text)}",
                          timeout=timeout, console=self)

    def expect_state(self, text, state="checked", timeout=None):
        """Waits until a control reading @text is in @state (checked,
        selected, expanded…), as a screen reader says it."""
        def look():
            self._check_alive()
            return any(state in n.states and _matches(text, n.reads()) for n in self.screen.read())
        self.journey.wait(look, f"{self.label}: {_show(text)} reads {state}", timeout=timeout, console=self)

    def press_until(self, chord, text, limit=40, where="focus"):
        """Presses @chord until @text can be read (at the focus by default):
        how a keyboard user moves through a list or a form. Every press
        counts. Returns the presses it took."""
        for i in range(limit + 1):
            deadline = time.monotonic() + 2.0
            while time.monotonic() < deadline:
                if self.reads(text, where):
                    return i
                time.sleep(POLL)
            if i < limit:
                self.press(chord)
        raise JourneyFailed(f"{self.label}: {limit} × {chord} never reached {_show(text)}\n" +
                            self.journey.describe(self))

    def focused(self):
        node = self.screen.focused()
        return node.spoken() if node else "(nothing focused)"

    def screenshot(self, path):
        if shutil.which("import") is None:
            return None
        subprocess.run(["import", "-display", self.display.name, "-window", "root", path],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return path


_SUMMARY_SKIP = {"practice_id", "version", "updated_at", "seq", "id"}


def summarise(record):
    """A record in one line, without its bookkeeping."""
    return json.dumps({k: v for k, v in record.items() if k not in _SUMMARY_SKIP and v not in (None, [], "")},
                      ensure_ascii=False)


def _matches(text, haystack):
    if hasattr(text, "search"):
        return text.search(haystack) is not None
    return text in haystack


def _show(text):
    return f"/{text.pattern}/" if hasattr(text, "pattern") else f"“{text}”"


# ---- a journey ------------------------------------------------------------------------------


class Journey:
    """One journey: its temporary directory, screens, bus, server and
    consoles, and the keys it took."""

    def __init__(self, name, scale=None, server=True):
        self.name = name
        self.keys = 0
        self.path = []
        self.consoles = []
        self.displays = []
        self.tmp = tempfile.mkdtemp(prefix=f"journey-{name}-")
        self.keep = os.environ.get("SIGNPOST_JOURNEY_KEEP") is not None
        self.artifacts = os.environ.get("SIGNPOST_JOURNEY_ARTIFACTS")
        self.bus = None
        self.server = None
        self._scale = scale
        self._want_server = server
        self.base_env = {
            k: v for k, v in os.environ.items()
            if k not in ("NO_AT_BRIDGE", "GTK_A11Y", "DISPLAY", "WAYLAND_DISPLAY",
                         "DBUS_SESSION_BUS_ADDRESS", "AT_SPI_BUS_ADDRESS", "SIGNPOST_PASSWORD")
        }
        self.base_env.update({
            "GDK_BACKEND": "x11",
            "GSK_RENDERER": "cairo",
            "GSETTINGS_BACKEND": "memory",
            "GSETTINGS_SCHEMA_DIR": SCHEMA_DIR,
            "LC_ALL": "C.UTF-8",
            "GTK_A11Y": "atspi",
        })

    def __enter__(self):
        # meson's timeout sends SIGTERM: clean up as for any failure
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        try:
            first = Display(self.tmp)
            self.displays.append(first)
            self.bus = Bus(first.name)
            # This process reads the screens over the same accessibility bus.
            os.environ["DBUS_SESSION_BUS_ADDRESS"] = self.bus.address
            os.environ["DISPLAY"] = first.name
            os.environ.pop("NO_AT_BRIDGE", None)
            self.base_env["DBUS_SESSION_BUS_ADDRESS"] = self.bus.address
            _import_atspi()
            if self._want_server:
                self.server = Server(self.tmp, scale=self._scale)
        except BaseException:
            self._cleanup()
            raise
        log(f"journey {self.name}: started in {self.tmp}")
        return self

    def __exit__(self, kind, value, tb):
        failed = kind is not None
        if failed:
            print(f"not ok - journey {self.name}: {value}", flush=True)
            if kind is not JourneyFailed:
                traceback.print_exception(kind, value, tb)
            for c in self.consoles:
                if c.running():
                    shot = c.screenshot(os.path.join(self.artifacts or self.tmp,
                                                     f"{self.name}-{c.label}-failed.png"))
                    if shot:
                        log(f"screenshot of {c.label}'s screen: {shot}")
        self.report()
        self._cleanup(keep=failed or self.keep)
        if failed:
            sys.exit(1)
        return False

    def _cleanup(self, keep=False):
        for c in self.consoles:
            c.stop()
        for p in getattr(self, "_programs", []):
            _stop(p)
        if self.server is not None:
            self.server.stop()
        if self.bus is not None:
            self.bus.stop()
        for d in self.displays:
            d.stop()
        if keep:
            log(f"kept {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    # -- parts -------------------------------------------------------------------------

    def display(self, size="1366x768"):
        d = Display(self.tmp, size)
        self.displays.append(d)
        return d

    def run(self, args, env=None, name="program"):
        """Starts another program on the journey's first screen and bus (in
        its own process group, stopped at the end)."""
        full = dict(self.base_env)
        full["DISPLAY"] = self.displays[0].name
        full.update(env or {})
        log_path = os.path.join(self.tmp, name + ".log")
        proc = subprocess.Popen(args, env=full, stdout=open(log_path, "ab"), stderr=subprocess.STDOUT,
                                start_new_session=True, preexec_fn=_die_with_parent)
        self._programs = getattr(self, "_programs", [])
        self._programs.append(proc)
        return proc, log_path

    def console(self, username, display=None, via=None, **kw):
        """The console signed in as @username, on its own screen (a second
        console gets a second screen: another PC); @via is a Proxy standing
        for that PC's network."""
        if display is None:
            used = {c.display for c in self.consoles}
            free = [d for d in self.displays if d not in used]
            display = free[0] if free else self.display()
        url = via.url if via is not None else (self.server.url if self.server else None)
        c = Console(self, username, display, url, **kw)
        self.consoles.append(c)
        return c

    def api(self, username, role=None):
        return self.server.api(username, role)

    # -- counting and waiting ----------------------------------------------------------

    def count(self, chord):
        self.keys += 1
        self.path.append(chord)

    def mark(self, label):
        """Starts a counted stretch: keys() since the mark."""
        self._marks = getattr(self, "_marks", {})
        self._marks[label] = self.keys
        self.path.append(f"[{label}]")

    def keys_since(self, label):
        return self.keys - self._marks[label]

    def wait(self, condition, what, timeout=None, console=None):
        deadline = time.monotonic() + (timeout or TIMEOUT)
        last_error = None
        while True:
            try:
                if condition():
                    return
            except JourneyFailed:
                raise
            except Exception as e:  # an accessible that went away meanwhile
                last_error = e
            if time.monotonic() > deadline:
                detail = self.describe(console) if console else ""
                if last_error is not None:
                    detail += f"\n(last error: {last_error})"
                raise JourneyFailed(f"timed out waiting for {what}\n{detail}")
            time.sleep(POLL)

    def describe(self, console):
        """What the screen reader has at the moment: the focus, and the
        screen's text (for a failure's message)."""
        try:
            focus = console.focused()
            lines = []
            for n in console.screen.read():
                r = n.reads().replace("\n", " / ")
                if r and not CLASS_NAME.match(n.name or "x"):
                    lines.append("  " + "  " * min(n.depth, 12) + n.spoken())
            text = "\n".join(lines[:160])
            more = f"\n  … {len(lines) - 160} more" if len(lines) > 160 else ""
            return f"focus: {focus}\nscreen ({console.label}):\n{text}{more}"
        except Exception as e:
            return f"(could not read the screen: {e})"

    def server_has(self, api, kind, predicate, what, timeout=None, related=None):
        """Waits until the server holds a @kind record for which @predicate
        holds (the outbox sends in the background); returns it. On a
        timeout the message shows what the server holds instead: the
        records for which @related holds, else the newest few."""
        found = []

        def look():
            for r in api.records(kind).values():
                if predicate(r):
                    found.append(r)
                    return True
            return False

        try:
            self.wait(look, f"the server to hold {what}", timeout=timeout)
        except JourneyFailed as e:
            records = list(api.records(kind).values())
            if related is not None:
                records = [r for r in records if related(r)]
            records.sort(key=lambda r: -r.get("seq", 0))
            held = "\n".join("  " + summarise(r) for r in records[:4]) or "  (none)"
            raise JourneyFailed(f"{e.args[0].splitlines()[0]}\nthe server holds ({kind}):\n{held}")
        return found[0]

    def check(self, condition, message):
        if not condition:
            raise JourneyFailed(message)

    def report(self):
        print(f"# journey {self.name}: {self.keys} key presses besides typing", flush=True)
        if self.path:
            print("# path: " + " ".join(self.path), flush=True)


def main(fn):
    """Runs a journey function as a TAP test program."""
    print("1..1", flush=True)
    fn()
    print(f"ok 1 - {os.path.basename(sys.argv[0])}", flush=True)
