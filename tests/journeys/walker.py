# SPDX-License-Identifier: GPL-3.0-or-later
"""The accessibility walker's checks, for one window as it is on screen.

Names: every control a person operates (and every dialog) has a name in a
user's words: not empty, not a widget's class name (GtkToggleButton,
GtkImage…), without a raw mnemonic underscore ("_Save").

Keyboard: Tab, pressed from where the focus is, goes round every control
of the window and comes back; every control is met on the way (a list or
grid counts as met when one of its rows is: arrows move inside it), and
no label is a Tab stop.
"""

import re
import time

import journey as J

# Controls: what a person operates, each needs a name.
CONTROL_ROLES = {
    "push button", "toggle button", "check box", "radio button", "combo box", "text",
    "password text", "entry", "spin button", "slider", "menu item", "check menu item",
    "radio menu item", "page tab", "link", "list item", "table row", "tree item", "switch",
    "toggle", "editbar", "list", "table", "tree", "tree table", "page tab list", "menu",
}
# Windows: announced by their name when they open.
WINDOW_ROLES = {"dialog", "alert", "frame", "file chooser"}
# Rows of a list or grid, reached with the arrow keys once the list has the
# focus.
ROW_ROLES = {"list item", "table row", "tree item", "table cell"}
CONTAINER_ROLES = {"list", "table", "tree", "tree table", "grid", "menu", "page tab list"}
MNEMONIC = re.compile(r"_\w")
TAB_LIMIT = 120


WINDOW_BUTTONS = {"Minimize", "Maximize", "Restore", "Close"}


def _in_title_bar(acc):
    """A window button: in the window's header bar, beside its siblings."""
    try:
        parent = acc.get_parent()
        names = {parent.get_child_at_index(i).get_name() for i in range(parent.get_child_count())}
        return names <= WINDOW_BUTTONS
    except Exception:
        return False


def name_problem(name):
    text = (name or "").strip()
    if not text:
        return "no name"
    if J.CLASS_NAME.match(text):
        return f"a class name ({text})"
    if MNEMONIC.search(text):
        return f"a raw mnemonic ({text!r})"
    return None


def describe_node(node):
    return f"{node.role} “{node.name}”" + (f" (reads “{node.text}”)" if node.text else "")


def check_names(nodes):
    """Problems with the names of the controls and windows on screen."""
    problems, seen = [], set()
    for n in nodes:
        if n.role not in CONTROL_ROLES and n.role not in WINDOW_ROLES:
            continue
        problem = name_problem(n.name)
        if problem is None:
            continue
        key = (n.role, n.name, _path(n.acc))
        if key in seen:
            continue
        seen.add(key)
        problems.append(f"{n.role} with {problem}{_context(n)}")
    # the rows of one list read alike: say so once, with how many
    counted = {}
    for p in problems:
        counted[p] = counted.get(p, 0) + 1
    return [p if n == 1 else f"{p} (× {n})" for p, n in counted.items()]


def _path(acc):
    try:
        return acc.path
    except Exception:
        return id(acc)


def _context(node):
    """A hint of where a nameless control is: the text next to it."""
    try:
        acc = node.acc
        for _ in range(3):
            parent = acc.get_parent()
            if parent is None:
                break
            texts = []
            for i in range(min(parent.get_child_count(), 8)):
                c = parent.get_child_at_index(i)
                if c is None:
                    continue
                name = c.get_name() or ""
                if name and not J.CLASS_NAME.match(name) and c != node.acc:
                    texts.append(name)
                if len(texts) >= 2:
                    break
            if texts:
                return " near “" + " / ".join(t[:50] for t in texts) + "”"
            acc = parent
    except Exception:
        pass
    return ""


def _container_of(screen, acc):
    """The list or grid a row belongs to (its nearest container)."""
    a = acc
    for _ in range(6):
        a = a.get_parent()
        if a is None:
            return None
        if a.get_role_name() in CONTAINER_ROLES:
            return _path(a)
    return None


def _containers_of(acc, depth=14):
    """Every list or grid @acc is inside, nearest first."""
    out = []
    a = acc
    for _ in range(depth):
        try:
            a = a.get_parent()
        except Exception:
            break
        if a is None:
            break
        try:
            if a.get_role_name() in CONTAINER_ROLES:
                out.append(_path(a))
        except Exception:
            break
    return out


def _in_row(acc, depth=6):
    """Whether @acc is inside a row of a list or grid (arrows move there)."""
    a = acc
    for _ in range(depth):
        try:
            a = a.get_parent()
        except Exception:
            return False
        if a is None:
            return False
        try:
            if a.get_role_name() in ROW_ROLES:
                return True
        except Exception:
            return False
    return False


def check_tab(console, nodes):
    """Tab round the active window: problems found, and the stops met."""
    screen = console.screen
    problems = []
    # The title bar's window buttons are left out: under a desktop's window
    # manager the window has its own, and Alt+F4 or Escape closes it.
    focusable = [n for n in nodes
                 if n.role in CONTROL_ROLES and n.role not in ("page tab list", "menu") and
                 "focusable" in n.states and "sensitive" in n.states and
                 not (n.role == "push button" and n.name in WINDOW_BUTTONS and _in_title_bar(n.acc))]
    stops, order = [], []
    start = screen.focused()
    first = _path(start.acc) if start is not None else None
    previous = first
    closed = False
    seen = set()
    for i in range(TAB_LIMIT):
        console.press("Tab")
        node = None
        for _ in range(20):
            node = screen.focused()
            if node is not None and _path(node.acc) != previous:
                break
            time.sleep(0.1)
        if node is None:
            problems.append(f"Tab {i + 1} left the focus nowhere (after {order[-1] if order else 'the start'})")
            break
        here = _path(node.acc)
        if here == previous:
            problems.append(f"Tab {i + 1} did not move the focus from {describe_node(node)}")
            break
        previous = here
        if node.role == "label":
            problems.append(f"a label is a Tab stop: “{node.name}”")
        stops.append(node)
        order.append(describe_node(node))
        if first is None:
            first = here
        elif here == first:
            closed = True
            break
        elif here in seen:
            # Round once: Tab came back to a stop it met, though not to the
            # one it started from (a list's row takes the focus back from
            # the list that had it). The start is then checked like any
            # other control below.
            closed = True
            break
        seen.add(here)
    if not closed and not any("Tab " in p for p in problems):
        problems.append(f"Tab did not come back to where it started within {TAB_LIMIT} presses "
                        f"({len(set(_path(s.acc) for s in stops))} stops met)")
    met = {_path(s.acc) for s in stops}
    met_containers = set()
    for s in stops:
        if s.role in CONTAINER_ROLES:
            met_containers.add(_path(s.acc))
        # A list is met when Tab reaches a row of it or a control in one
        # (the entries of a list of entry rows).
        met_containers.update(_containers_of(s.acc))
    if closed:
        for n in focusable:
            p = _path(n.acc)
            if p in met:
                continue
            if n.role in CONTAINER_ROLES and p in met_containers:
                continue
            if n.role in ROW_ROLES and _container_of(screen, n.acc) in met_containers:
                continue
            # a control in a row of a list or grid Tab reached: the arrows
            # move to it (a diary's slots, cell by cell)
            if _in_row(n.acc) and any(c in met_containers for c in _containers_of(n.acc)):
                continue
            problems.append(f"Tab never reaches {describe_node(n)}")
    return problems, order


def check_window(console, title, tab=True, window=None):
    """Both checks on the active window of @console (or the one whose name
    @window matches); returns problems."""
    screen = console.screen
    nodes = []
    for attempt in range(3):
        active = screen.active_window()
        if window is not None:
            named = [w for w in screen.windows() if re.search(window, w.get_name() or "")]
            active = named[0] if named else active
        if active is not None:
            screen._parents = {}
            screen._unsure = False
            screen._walk(active, active, 0, nodes)
            break
        time.sleep(0.5)
    problems = [f"names: {p}" for p in check_names(nodes)]
    if tab:
        tab_problems, order = check_tab(console, nodes)
        problems += [f"keyboard: {p}" for p in tab_problems]
        J.log(f"{title}: Tab order: " + " → ".join(order[:60]) + (" …" if len(order) > 60 else ""))
    return problems
