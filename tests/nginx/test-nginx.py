#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The shipped nginx site (data/nginx/signpost.conf) with real nginx in
front of two real signpost-server instances on 127.0.0.1, rendered by
build-aux/nginx-site into a temporary directory with a self-signed
certificate made here with openssl:

- `nginx -t` accepts it;
- HTTP only redirects; TLS 1.2 and 1.3 are spoken and nothing older; HSTS
  on every answer, nginx's own included;
- body limits as the server's (1 MiB, 128 KiB for the form, 65 MiB for
  imports), refused by nginx as application/problem+json;
- the client's address reaches the server (--trusted-proxy) and cannot be
  forged with a header of the client's own;
- the access log has no query string, referrer or user agent;
- the WebSocket upgrade;
- the webhook's own rate limit (429 problem+json with Retry-After);
- which requests nginx resends to another instance when one took the
  request and died: GET, mutations, the webhook and intake yes; login no;
- every instance gone: 503 problem+json with Retry-After.

Usage: test-nginx.py SIGNPOST_SERVER_BIN [NGINX]  (TAP on standard output)
"""

import base64
import hashlib
import hmac
import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import warnings

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SERVER = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("SIGNPOST_SERVER_BIN")
RENDER = os.path.join(TOP, "build-aux", "nginx-site")
NGINX = sys.argv[2] if len(sys.argv) > 2 else shutil.which("nginx") or "/usr/sbin/nginx"
LINE = "+442079460001"
SECRET = "demo-line-secret"
PASSWORD = "demo-password"

results = []


def check(condition, message):
    results.append((bool(condition), message))
    print(("ok %d - " if condition else "not ok %d - ") % len(results) + message, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Instance:
    """A signpost-server process on 127.0.0.1, trusting nginx's address."""

    def __init__(self, db, demo=False):
        self.db = db
        self.demo = demo
        self.port = 0
        self.start()

    def start(self):
        args = [SERVER, "--db", self.db, "--listen", "127.0.0.1:%d" % self.port,
                "--trusted-proxy", "127.0.0.1"]
        if self.demo:
            args.append("--demo")
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     text=True)
        line = self.proc.stdout.readline()
        if "Listening on" not in line:
            raise RuntimeError("the server did not start: " + line)
        self.port = int(line.strip().rstrip("/").rsplit(":", 1)[1])

    def kill(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


class Blackhole(threading.Thread):
    """An "instance" that reads each request whole and dies on it: the
    connection is reset, no answer. Counts what it swallowed, by path."""

    def __init__(self):
        super().__init__(daemon=True)
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.seen = {}
        self.lock = threading.Lock()

    def run(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.swallow, args=(conn,), daemon=True).start()

    def swallow(self, conn):
        data = b""
        try:
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            path = lines[0].split(" ")[1]
            length = 0
            for line in lines[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            while len(body) < length:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                body += chunk
            with self.lock:
                self.seen[path] = self.seen.get(path, 0) + 1
        finally:
            # SO_LINGER 0: a reset, as from a process that died.
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            conn.close()

    def count(self, path):
        with self.lock:
            return self.seen.get(path, 0)

    def close(self):
        self.sock.close()


class Nginx:
    def __init__(self, workdir, name, upstreams, cert, key, **options):
        self.dir = os.path.join(workdir, name)
        self.https_port = free_port()
        self.http_port = free_port()
        args = [RENDER, "--dir", self.dir, "--https-port", str(self.https_port),
                "--http-port", str(self.http_port), "--cert", cert, "--key", key]
        for upstream in upstreams:
            args += ["--upstream", upstream]
        for option, value in options.items():
            args += ["--" + option.replace("_", "-"), str(value)]
        subprocess.run(args, check=True)
        self.conf = os.path.join(self.dir, "nginx.conf")
        self.base = [NGINX, "-p", self.dir, "-c", self.conf, "-e", os.path.join(self.dir, "error.log")]
        self.proc = None

    def test(self):
        return subprocess.run(self.base + ["-t"], capture_output=True, text=True)

    def start(self):
        self.proc = subprocess.Popen(self.base + ["-g", "daemon off;"])
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.https_port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nginx did not start")

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def log(self):
        with open(os.path.join(self.dir, "access.log"), encoding="utf-8", errors="replace") as f:
            return f.read()

    def wait_for_line(self, text):
        """The last access log line with text: nginx writes it when the
        request is over, which can be a moment after the client has its
        answer."""
        deadline = time.monotonic() + 10
        while True:
            lines = [line for line in self.log().splitlines() if text in line]
            if lines or time.monotonic() > deadline:
                return lines[-1] if lines else ""
            time.sleep(0.05)


class Client:
    def __init__(self, nginx, cafile, source="127.0.0.1"):
        self.nginx = nginx
        self.context = ssl.create_default_context(cafile=cafile)
        self.source = source

    def request(self, method, path, body=None, headers=None, token=None):
        conn = http.client.HTTPSConnection("localhost", self.nginx.https_port, context=self.context,
                                           timeout=30, source_address=(self.source, 0))
        headers = dict(headers or {})
        if token:
            headers["Authorization"] = "Bearer " + token
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
        try:
            conn.request(method, path, body=body, headers=headers)
            reply = conn.getresponse()
            data = reply.read()
            return reply.status, dict((k.lower(), v) for k, v in reply.getheaders()), data
        finally:
            conn.close()

    def json(self, *args, **kwargs):
        status, headers, data = self.request(*args, **kwargs)
        try:
            return status, headers, json.loads(data) if data else None
        except ValueError:
            return status, headers, None

    def login(self, username="navigator", password=PASSWORD):
        status, _, body = self.json("POST", "/api/v1/login",
                                    {"username": username, "password": password})
        return body["token"] if status == 200 else None


def webhook(client, call_ref, event="call.offered"):
    body = json.dumps({"event": event, "call_ref": call_ref, "line": LINE,
                       "cli": "+447700900123",
                       "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}).encode()
    stamp = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return client.json("POST", "/api/v1/telephony/events", body,
                       {"Content-Type": "application/json", "X-Signpost-Timestamp": stamp,
                        "X-Signpost-Signature": "sha256=" + digest})


def is_problem(status, headers, body, expected):
    return (status == expected and headers.get("content-type", "").startswith("application/problem+json")
            and isinstance(body, dict) and body.get("status") == expected)


def tls_handshake(port, cafile, version):
    """The version agreed when the client offers only @version, or None.
    (Debian's OpenSSL 3 will not offer TLS 1.1 at its default security
    level either: the refusal is checked as a scanner would see it.)"""
    context = ssl.create_default_context(cafile=cafile)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = version
        context.maximum_version = version
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
            with context.wrap_socket(raw, server_hostname="localhost") as tls:
                return tls.version()
    except (ssl.SSLError, OSError):
        return None


def websocket_hello(nginx, cafile, token):
    """Opens /api/v1/live through nginx and returns (status line, first frame)."""
    context = ssl.create_default_context(cafile=cafile)
    key = base64.b64encode(os.urandom(16)).decode()
    with socket.create_connection(("127.0.0.1", nginx.https_port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as tls:
            tls.sendall(("GET /api/v1/live HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                         "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n"
                         "Authorization: Bearer %s\r\n\r\n" % (key, token)).encode())
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = tls.recv(4096)
                if not chunk:
                    break
                data += chunk
            head, _, rest = data.partition(b"\r\n\r\n")
            status = head.split(b"\r\n")[0].decode()
            accept = base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                                                   .encode()).digest()).decode()
            if accept.encode() not in head:
                return status, None
            while len(rest) < 2 or len(rest) < 2 + (rest[1] & 0x7f):
                chunk = tls.recv(4096)
                if not chunk:
                    break
                rest += chunk
            length = rest[1] & 0x7f
            offset = 2
            if length == 126:
                while len(rest) < 4:
                    rest += tls.recv(4096)
                length = int.from_bytes(rest[2:4], "big")
                offset = 4
            while len(rest) < offset + length:
                rest += tls.recv(4096)
            return status, json.loads(rest[offset:offset + length])


def main():
    print("TAP version 13", flush=True)
    work = tempfile.mkdtemp(prefix="signpost-nginx-test-")
    instances = []
    proxies = []
    blackhole = None
    try:
        cert = os.path.join(work, "cert.pem")
        key = os.path.join(work, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
                        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                       check=True, capture_output=True)

        db = os.path.join(work, "hub.db")
        a = Instance(db, demo=True)
        b = Instance(db)
        instances += [a, b]

        # ---- the file as shipped passes nginx -t ---------------------------
        nginx = Nginx(work, "pair", ["127.0.0.1:%d" % a.port, "127.0.0.1:%d" % b.port], cert, key,
                      telephony_rate=2, telephony_burst=4)
        proxies.append(nginx)
        tested = nginx.test()
        check(tested.returncode == 0 and "test is successful" in tested.stderr,
              "nginx -t accepts the rendered site: " + tested.stderr.strip().replace("\n", " | "))
        nginx.start()
        client = Client(nginx, cert)

        # ---- HTTP redirects; TLS 1.2 and 1.3 only; HSTS everywhere ----------
        conn = http.client.HTTPConnection("127.0.0.1", nginx.http_port, timeout=10)
        conn.request("GET", "/api/v1/healthz")
        reply = conn.getresponse()
        reply.read()
        check(reply.status == 301 and reply.getheader("Location", "").startswith("https://"),
              "plain HTTP is only a redirect to HTTPS")
        conn.close()
        check(tls_handshake(nginx.https_port, cert, ssl.TLSVersion.TLSv1_3) == "TLSv1.3", "TLS 1.3 is spoken")
        check(tls_handshake(nginx.https_port, cert, ssl.TLSVersion.TLSv1_2) == "TLSv1.2", "TLS 1.2 is spoken")
        check(tls_handshake(nginx.https_port, cert, ssl.TLSVersion.TLSv1_1) is None, "TLS 1.1 is refused")
        status, headers, _ = client.json("GET", "/api/v1/healthz")
        check(status == 200 and headers.get("strict-transport-security") == "max-age=63072000",
              "an instance's answer carries HSTS")

        # ---- signing in through nginx; one token for both instances ----------
        token = client.login()
        check(token is not None, "a navigator signs in through nginx")
        served = set()
        for _ in range(6):
            status, _, _ = client.json("GET", "/api/v1/me", token=token)
            check(status == 200, "the token works through nginx")
        for line in nginx.log().splitlines():
            if '"GET /api/v1/me"' in line:
                served.add(line.split("upstream=")[1].split(" ")[0])
        check(len(served) == 2, "requests are shared between the two instances: %s" % sorted(served))

        # ---- body limits -------------------------------------------------------
        def sized(path, size, tok=None):
            return client.json("POST", path, b"x" * size, {"Content-Type": "application/json"}, token=tok)

        status, headers, body = sized("/api/v1/mutations", 1024 * 1024 + 1, token)
        check(is_problem(status, headers, body, 413) and "larger than this address" in body["detail"]
              and headers.get("strict-transport-security"),
              "1 MiB and a byte: 413 problem+json from nginx, with HSTS")
        status, headers, body = sized("/api/v1/mutations", 1024 * 1024, token)
        check(status == 400 and is_problem(status, headers, body, 400),
              "exactly 1 MiB reaches the server (which finds it malformed): %d" % status)
        status, headers, body = sized("/p/Y99901/request", 128 * 1024 + 1)
        check(is_problem(status, headers, body, 413), "the form: 128 KiB and a byte is refused by nginx")
        status, headers, body = sized("/p/Y99901/request", 128 * 1024)
        check(status != 413, "the form: exactly 128 KiB reaches the server (%d)" % status)
        status, headers, body = sized("/api/v1/admin/import/patients", 2 * 1024 * 1024, token)
        last = nginx.wait_for_line('"POST /api/v1/admin/import/patients"')
        check("upstream=127.0.0.1:" in last,
              "an import of 2 MiB is passed to an instance (%d, which decides)" % status)
        status, headers, body = sized("/api/v1/admin/import/patients", 65 * 1024 * 1024 + 1, token)
        check(is_problem(status, headers, body, 413), "an import over 65 MiB is refused by nginx")

        # ---- the client's address, not nginx's, and not a forged one --------------
        # Five failed sign-ins from one address close it for a while (the
        # server counts per client address); another address is not affected,
        # and saying X-Forwarded-For does not borrow someone else's.
        from_2 = Client(nginx, cert, "127.0.0.2")
        from_3 = Client(nginx, cert, "127.0.0.3")
        for i in range(5):
            from_2.json("POST", "/api/v1/login", {"username": "nobody-%d" % i, "password": "wrong"})
        status, headers, body = from_2.json("POST", "/api/v1/login", {"username": "nobody-9", "password": "x"})
        check(status == 429 and headers.get("retry-after"), "the server saw 127.0.0.2 fail five times: 429")
        status, _, _ = from_3.json("POST", "/api/v1/login", {"username": "nobody-10", "password": "x"})
        check(status == 401, "127.0.0.3 is another client (401, not 429)")
        status, _, _ = from_2.json("POST", "/api/v1/login", {"username": "nobody-11", "password": "x"},
                                   {"X-Forwarded-For": "127.0.0.9"})
        check(status == 429, "X-Forwarded-For from the client does not change who it is")

        # ---- the access log ---------------------------------------------------------
        client.request("GET", "/api/v1/audit?patient=9990001234&name=Smith", token=token,
                       headers={"Referer": "https://example.invalid/?q=Jones", "User-Agent": "Probe/Marker"})
        nginx.wait_for_line('"GET /api/v1/audit"')
        log = nginx.log()
        check('"GET /api/v1/audit"' in log, "the access log has the path")
        check(not any(word in log for word in ("9990001234", "Smith", "Jones", "Probe/Marker", "?")),
              "the access log has no query string, referrer or user agent")
        check(token not in log and "demo-password" not in log, "the access log has no token or password")

        # ---- the live connection ---------------------------------------------------
        status, frame = websocket_hello(nginx, cert, token)
        check("101" in status and frame is not None and frame.get("kind") == "hello",
              "the WebSocket upgrade through nginx reaches the server's hello: %s %s" % (status, frame))

        # ---- the webhook's own rate limit (rendered at 2/s, burst 4 here) ----------
        statuses = []
        for i in range(12):
            status, headers, body = webhook(client, "nginx-rate-%d" % i)
            statuses.append(status)
            if status == 429:
                limited = (headers, body)
        check(statuses.count(200) >= 4 and statuses.count(429) >= 1,
              "the webhook is rate limited by nginx: %s" % statuses)
        if 429 in statuses:
            headers, body = limited
            check(is_problem(429, headers, body, 429) and headers.get("retry-after") == "1",
                  "over the webhook's limit: 429 problem+json with Retry-After")
        statuses = [client.json("GET", "/api/v1/healthz")[0] for _ in range(12)]
        check(statuses == [200] * 12, "other paths do not share the webhook's limit")

        # ---- an instance killed: the other carries on -------------------------------
        b.kill()
        statuses = [client.json("GET", "/api/v1/me", token=token)[0] for _ in range(6)]
        statuses += [200 if client.login() else 0 for _ in range(4)]
        check(statuses == [200] * 10, "one instance killed: GETs and sign-ins all answered %s" % statuses)
        b.start()

        # ---- every instance gone -------------------------------------------------------
        a.kill()
        b.kill()
        status, headers, body = client.json("GET", "/api/v1/me", token=token)
        check(is_problem(status, headers, body, 503) and headers.get("retry-after") == "2"
              and headers.get("strict-transport-security"),
              "no instance: 503 problem+json with Retry-After, from nginx")
        a.start()
        b.start()
        nginx.stop()

        # ---- what nginx resends when an instance took the request and died ---------
        blackhole = Blackhole()
        blackhole.start()
        flaky = Nginx(work, "flaky", ["127.0.0.1:%d max_fails=0" % blackhole.port,
                                      "127.0.0.1:%d max_fails=0" % a.port], cert, key)
        proxies.append(flaky)
        flaky.start()
        client = Client(flaky, cert)
        token = None
        while token is None:
            token = client.login()

        n = 8
        gets = [client.json("GET", "/api/v1/me", token=token)[0] for _ in range(n)]
        check(gets == [200] * n and blackhole.count("/api/v1/me") > 0,
              "GET: resent to the other instance (%d swallowed) %s" % (blackhole.count("/api/v1/me"), gets))

        mutations = [client.json("POST", "/api/v1/mutations", {"mutations": []}, token=token)[0]
                     for _ in range(n)]
        check(mutations == [200] * n and blackhole.count("/api/v1/mutations") > 0,
              "POST /mutations: resent (%d swallowed) %s" % (blackhole.count("/api/v1/mutations"), mutations))

        events = [webhook(client, "nginx-resend-%d" % i) for i in range(n)]
        check([e[0] for e in events] == [200] * n and all(e[2]["status"] == "accepted" for e in events)
              and blackhole.count("/api/v1/telephony/events") > 0,
              "the webhook: resent, each event accepted once (%d swallowed)"
              % blackhole.count("/api/v1/telephony/events"))

        before = blackhole.count("/api/v1/login")
        logins = [client.json("POST", "/api/v1/login", {"username": "navigator", "password": PASSWORD})
                  for _ in range(n)]
        swallowed = blackhole.count("/api/v1/login") - before
        refused = [l for l in logins if is_problem(l[0], l[1], l[2], 503)]
        check(swallowed > 0 and len(refused) == swallowed and
              sum(1 for l in logins if l[0] == 200) == n - swallowed,
              "POST /login is never resent: each one swallowed is a 503 to the client "
              "(%d swallowed, %d refused)" % (swallowed, len(refused)))
    finally:
        for proxy in proxies:
            proxy.stop()
        if blackhole is not None:
            blackhole.close()
        for instance in instances:
            instance.stop()
        shutil.rmtree(work, ignore_errors=True)

    print("1..%d" % len(results), flush=True)
    return 0 if all(ok for ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
