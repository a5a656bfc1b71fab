#!/usr/bin/env python3
"""Self-test of surf_sim.py, the simulated SURFeduhub RIO mapper. Test use only.

usage: surf_sim_selftest.py GENERATOR_BIN WORKDIR

Generates a tiny DUO data set with GENERATOR_BIN (ooapi-duo-generate; with a BOM, CRLF line ends
and .count sidecars, to exercise byte-exact export) into WORKDIR/duo, starts the simulator on
it and checks tokens and 403s, every validation error body, link/unlink semantics (overwrite
with old-id/new-id, diff false, duplicate keys P01081/A01160, unknown code -> time-out),
webhooks with a retry after a 500, the fault modes, the export, the duplicates counter and
SIGTERM. Exits 0 when everything passed, 1 with a message per failed check otherwise.
"""
import base64
import csv
import http.client
import http.server
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
SIM = os.path.join(HERE, "surf_sim.py")
CLIENT_ID, SECRET = "ooapi-endpoint-test", "sim-secret"
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL: " + what, flush=True)
    return cond


def fatal(what):
    print("FATAL: " + what, file=sys.stderr, flush=True)
    sys.exit(1)


class Sim:
    def __init__(self, workdir, duo, name, extra):
        self.port_file = os.path.join(workdir, name + ".port")
        if os.path.exists(self.port_file):
            os.remove(self.port_file)
        self.stderr = open(os.path.join(workdir, name + ".stderr"), "w")
        self.proc = subprocess.Popen(
            [sys.executable, SIM, "--port", "0", "--port-file", self.port_file, "--duo", duo] + extra,
            stdout=subprocess.DEVNULL, stderr=self.stderr)
        deadline = time.monotonic() + 30
        while not os.path.exists(self.port_file):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                fatal("the simulator did not start (see %s.stderr)" % name)
            time.sleep(0.05)
        with open(self.port_file) as f:
            self.port = int(f.read().strip())

    def request(self, method, path, headers=None, body=None, timeout=30):
        """(status, headers, body bytes); raises http.client/OSError errors on a dropped line."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            if isinstance(body, (dict, list)):
                body = json.dumps(body)
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, dict(resp.getheaders()), resp.read()
        finally:
            conn.close()

    def json(self, method, path, body=None, headers=None):
        status, _, data = self.request(method, path, headers, body)
        return status, json.loads(data) if data else None

    def token(self):
        basic = base64.b64encode(("%s:%s" % (CLIENT_ID, SECRET)).encode()).decode()
        status, _, data = self.request("POST", "/oauth/token", {
            "Authorization": "Basic " + basic,
            "Content-Type": "application/x-www-form-urlencoded"}, "grant_type=client_credentials")
        if status != 200:
            fatal("token endpoint answered %d %r" % (status, data))
        return json.loads(data)["access_token"]

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None
        finally:
            self.stderr.close()


class Receiver:
    """Webhook receiver: the first POST to a path ending in /fail-once answers 500."""

    def __init__(self):
        self.lock = threading.Lock()
        self.posts = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(n))
                with outer.lock:
                    outer.posts.append((self.path, body))
                    seen = sum(1 for p, _ in outer.posts if p == self.path)
                status = 500 if self.path.endswith("/fail-once") and seen == 1 else 204
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)


def read_items(path, code_col, key_col):
    """{code: key} of a DUO file, with the csv module (first non-empty key of the item)."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    names = [h.strip().upper() for h in rows[0]]
    ci, ki = names.index(code_col), names.index(key_col)
    out = {}
    for row in rows[1:]:
        if row[ci] not in out or not out[row[ci]]:
            out[row[ci]] = row[ki]
    return out


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    generator, workdir = sys.argv[1], os.path.abspath(sys.argv[2])
    duo = os.path.join(workdir, "duo")
    export = os.path.join(workdir, "export")
    for d in (duo, export):
        shutil.rmtree(d, ignore_errors=True)
    os.makedirs(workdir, exist_ok=True)
    gen = subprocess.run([generator, "--out", duo, "--profile", "tiny", "--bom", "--crlf",
                          "--count-sidecars"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if gen.returncode != 0:
        fatal("the generator failed: %s" % gen.stdout.decode(errors="replace"))

    oes = read_items(os.path.join(duo, "ho_opleidingen.csv"), "OPLEIDINGSEENHEIDCODE",
                     "EIGEN_OPLEIDINGSEENHEIDSLEUTEL")
    aos = read_items(os.path.join(duo, "aangeboden_ho_opleidingen.csv"), "AANGEBODEN_OPLEIDINGCODE",
                     "EIGEN_AANGEBODEN_OPLEIDINGSLEUTEL")
    # oe_c and ao_a carry a key, so that unlinking them changes the export
    oe_codes = sorted(c for c in oes if re.fullmatch(r"[0-9]{4}O[0-9]{4}", c))
    ao_codes = sorted(c for c in aos if c == c.lower())
    oe_keyed = [c for c in oe_codes if oes[c]]
    ao_keyed = [c for c in ao_codes if aos[c]]
    if len(oe_codes) < 3 or len(ao_codes) < 2 or not oe_keyed or not ao_keyed:
        fatal("the tiny profile has too few OEs/AOs (with keys) to test with")
    oe_c = oe_keyed[0]
    oe_a, oe_b = [c for c in oe_codes if c != oe_c][:2]
    ao_a = ao_keyed[0]
    ao_b = [c for c in ao_codes if c != ao_a][0]

    receiver = Receiver()
    log_path = os.path.join(workdir, "sim-log.jsonl")
    if os.path.exists(log_path):
        os.remove(log_path)
    sim = Sim(workdir, duo, "sim", ["--job-seconds", "0.02", "--retry-wait-seconds", "0.01",
                                    "--max-retries", "2", "--webhook-retry-seconds", "0.2",
                                    "--log", log_path])
    try:
        run_checks(sim, receiver, duo, export, oes, aos, oe_a, oe_b, oe_c, ao_a, ao_b, log_path)
    except Exception as e:  # a crash in a check is a failure too
        import traceback
        traceback.print_exc()
        failures.append("exception: %s" % e)
    rc = sim.stop()
    check(rc == 0, "the simulator exits 0 on SIGTERM (got %r)" % rc)

    # A second instance: short token lifetime, read-only client (no OIN).
    sim2 = Sim(workdir, duo, "sim2", ["--token-ttl", "2", "--oin", ""])
    try:
        tok = sim2.token()
        auth = {"Authorization": "Bearer " + tok}
        st, _, body = sim2.request("POST", "/job/upsert/courses/%s" % uuid.uuid4(), auth)
        check(st == 403 and body == b"", "a client without OIN gets 403 on job POSTs (%d)" % st)
        st, _, _ = sim2.request("GET", "/status/%s" % uuid.uuid4(), auth)
        check(st == 404, "a client without OIN may read statuses (%d)" % st)
        time.sleep(2.2)
        st, _, body = sim2.request("GET", "/status/%s" % uuid.uuid4(), auth)
        check(st == 403 and body == b"", "an expired token gets 403 (%d)" % st)
    finally:
        sim2.stop()

    if failures:
        print("surf_sim_selftest: %d check(s) failed:" % len(failures), file=sys.stderr)
        for f in failures:
            print("  - " + f, file=sys.stderr)
        return 1
    print("surf_sim_selftest: all checks passed")
    return 0


def run_checks(sim, receiver, duo, export, oes, aos, oe_a, oe_b, oe_c, ao_a, ao_b, log_path):
    # ---- health, tokens, 403 ----
    st, hdr, body = sim.request("GET", "/health")
    check(st == 200 and body == b"OK", "GET /health is 200 OK (%d %r)" % (st, body))
    bad = base64.b64encode(b"ooapi-endpoint-test:wrong").decode()
    st, _, body = sim.request("POST", "/oauth/token?grant_type=client_credentials",
                              {"Authorization": "Basic " + bad})
    check(st == 401 and json.loads(body) == {"error": "invalid_client"},
          "bad client secret: 401 invalid_client (%d %r)" % (st, body))
    good = base64.b64encode(("%s:%s" % (CLIENT_ID, SECRET)).encode()).decode()
    st, _, body = sim.request("POST", "/oauth/token?grant_type=client_credentials",
                              {"Authorization": "Basic " + good})
    tok_body = json.loads(body) if st == 200 else {}
    check(st == 200 and tok_body.get("token_type") == "Bearer" and tok_body.get("expires_in") == 3600
          and tok_body.get("access_token"), "token by query string grant (%d %r)" % (st, body))
    token = sim.token()
    auth = {"Authorization": "Bearer " + token}
    some = str(uuid.uuid4())
    st, _, body = sim.request("POST", "/job/upsert/programs/" + some)
    check(st == 403 and body == b"", "job POST without a token: 403 empty (%d %r)" % (st, body))
    st, _, body = sim.request("POST", "/job/upsert/programs/" + some,
                              {"Authorization": "Bearer not-a-token"})
    check(st == 403 and body == b"", "job POST with a bad token: 403 empty (%d %r)" % (st, body))
    st, _, body = sim.request("GET", "/status/" + some, {"Authorization": "Bearer nope"})
    check(st == 403 and body == b"", "status GET with a bad token: 403 empty (%d)" % st)

    # ---- validation errors ----
    def expect_400(path, text, headers=None):
        st, hdr, body = sim.request("POST" if path.startswith("/job") else "GET", path,
                                    dict(auth, **(headers or {})))
        check(st == 400 and body.decode() == text and hdr.get("Content-Type", "").startswith(
            "text/plain"), "%s: 400 %r (got %d %r)" % (path, text, st, body))

    expect_400("/job/upsert/courses/abcdefgh-1234", "Invalid UUID")
    expect_400("/job/link/1234O4321/courses/abcdefgh-0000-0000-0000-000000000000", "Invalid UUID")
    expect_400("/status/not-a-uuid", "Invalid UUID")
    expect_400("/job/link/1234X4321/education-specifications/" + some,
               "Invalid opleidingscode '1234X4321'")
    expect_400("/job/unlink/12345O321/education-specifications", "Invalid opleidingscode '12345O321'")
    expect_400("/job/link/1234O4321/programs/" + some, "Invalid aangeboden opleidingcode '1234O4321'")
    expect_400("/job/unlink/nope/courses", "Invalid aangeboden opleidingcode 'nope'")
    expect_400("/job/upsert/courses/" + some, "Malformed callback url", {"X-Callback": "ftp://x/y"})
    expect_400("/job/upsert/courses/" + some, "Malformed callback url", {"X-Callback": "not a url"})
    for path in ("/job/upsert/things/" + some, "/job/frobnicate/courses/" + some, "/job/upsert"):
        st, _, body = sim.request("POST", path, auth)
        check(st == 404 and body == b"", "%s: 404 empty (%d %r)" % (path, st, body))
    st, body = sim.json("GET", "/status/" + some, headers=auth)
    check(st == 404 and body == {"status": "unknown"}, "unknown status token: 404 unknown (%d)" % st)
    st, log = sim.json("GET", "/_sim/log")
    check(log == [], "validation failures queue nothing (%d entries)" % len(log or []))

    def submit(path, headers=None):
        st, _, body = sim.request("POST", path, dict(auth, **(headers or {})))
        if not check(st == 200, "POST %s: 200 (got %d %r)" % (path, st, body)):
            return None
        return json.loads(body)["token"]

    def wait(tok, timeout=20):
        deadline = time.monotonic() + timeout
        while True:
            st, body = sim.json("GET", "/status/%s" % tok, headers=auth)
            if body and body.get("status") in ("done", "error", "time-out"):
                return body
            if time.monotonic() > deadline:
                check(False, "job %s did not finish (%r)" % (tok, body))
                return body or {}
            time.sleep(0.02)

    def dup_count():
        return sim.json("GET", "/_sim/duplicates")[1]["count"]

    # ---- link semantics: education specifications ----
    k1, k2 = str(uuid.uuid4()), str(uuid.uuid4())
    old_a = oes[oe_a] or None
    t = submit("/job/link/%s/education-specifications/%s" % (oe_a, k1))
    s = wait(t)
    check(s.get("status") == "done" and s.get("attributes") == {"eigenOpleidingseenheidSleutel": {
        "diff": True, "old-id": old_a, "new-id": k1}}, "link OE: old-id/new-id (%r)" % s)
    check(s.get("action") == "link" and s.get("resource") == "education-specification/" + k1 and
          s.get("token") == t, "link OE: action/resource/token (%r)" % s)
    check(all(s.get(f) and s[f].endswith("Z") for f in ("created-at", "started-at", "finished-at")),
          "status times are ISO-8601 with Z (%r)" % s)
    check("phase" not in s and "message" not in s and "http-messages" not in s,
          "done status has no phase/message/http-messages (%r)" % s)
    t = submit("/job/link/%s/education-specifications/%s" % (oe_a, k2))
    s = wait(t)
    check(s.get("attributes") == {"eigenOpleidingseenheidSleutel": {
        "diff": True, "old-id": k1, "new-id": k2}}, "relink OE: silent overwrite (%r)" % s)
    before = dup_count()
    t = submit("/job/link/%s/education-specifications/%s" % (oe_a, k2))
    s = wait(t)
    check(s.get("status") == "done" and s.get("attributes") == {
        "eigenOpleidingseenheidSleutel": {"diff": False}}, "relink same key: diff false (%r)" % s)
    check(dup_count() == before + 1, "a resubmission after done counts as a duplicate")
    t = submit("/job/link/%s/education-specifications/%s" % (oe_b, k2))
    s = wait(t)
    check(s.get("status") == "error" and s.get("message") ==
          "Rejected by RIO: P01081: Er bestaat al een opleidingseenheid met dezelfde "
          "eigenOpleidingseenheidSleutel" and s.get("phase") and "attributes" not in s,
          "duplicate OE key: error P01081 (%r)" % s)
    st, state = sim.json("GET", "/_sim/state/" + oe_b)
    check(state == {"code": oe_b, "kind": "oe", "key": oes[oe_b] or None,
                    "original-key": oes[oe_b] or None, "files": ["ho_opleidingen"]},
          "a rejected link leaves the state alone (%r)" % state)
    t = submit("/job/link/9999O9999/education-specifications/" + str(uuid.uuid4()))
    s = wait(t)
    check(s.get("status") == "time-out" and s.get("phase") == "resolving" and
          "404 Not Found" in (s.get("message") or ""), "unknown OE code: time-out (%r)" % s)
    t = submit("/job/unlink/%s/education-specifications" % oe_c)
    s = wait(t)
    expected = {"diff": True, "old-id": oes[oe_c], "new-id": None}
    check(s.get("status") == "done" and s.get("resource") == "education-specification/" and
          s.get("action") == "link" and s.get("attributes") == {
              "eigenOpleidingseenheidSleutel": expected}, "unlink OE (%r)" % s)
    st, state = sim.json("GET", "/_sim/state/" + oe_c)
    check(state and state["key"] is None, "unlink removes the key (%r)" % state)

    # ---- link semantics: programs / courses ----
    k3 = str(uuid.uuid4()).upper()  # stored as given, not lowercased
    t = submit("/job/link/%s/programs/%s" % (ao_a, k3))
    s = wait(t)
    check(s.get("attributes") == {"eigenAangebodenOpleidingSleutel": {
        "diff": True, "old-id": aos[ao_a], "new-id": k3}} and
          s.get("resource") == "program/" + k3, "link AO (%r)" % s)
    t = submit("/job/link/%s/courses/%s" % (ao_b, k3))
    s = wait(t)
    check(s.get("status") == "error" and s.get("message") ==
          "Rejected by RIO: A01160: externe identificatie niet uniek",
          "duplicate AO key: error A01160 (%r)" % s)
    t = submit("/job/link/%s/courses/%s" % (str(uuid.uuid4()), str(uuid.uuid4())))
    s = wait(t)
    check(s.get("status") == "time-out" and s.get("phase") == "resolving",
          "unknown AO code: time-out (%r)" % s)
    t = submit("/job/unlink/%s/programs" % ao_a)
    s = wait(t)
    check(s.get("attributes") == {"eigenAangebodenOpleidingSleutel": {
        "diff": True, "old-id": k3, "new-id": None}} and s.get("resource") == "program/",
          "unlink AO: new-id null (%r)" % s)

    # ---- upsert / delete / dry-run ----
    t = submit("/job/upsert/courses/" + some)
    s = wait(t)
    check(s.get("status") == "done" and s.get("attributes") == {"aangebodenopleidingcode": some},
          "upsert course: done (%r)" % s)
    t = submit("/job/dry-run/upsert/programs/" + some)
    s = wait(t)
    check(s.get("status") == "done" and s.get("action") == "dry-run-upsert" and
          s["attributes"].get("status") == "not-found", "dry-run: done not-found (%r)" % s)
    t = submit("/job/delete/education-specifications/" + some)
    s = wait(t)
    check(s.get("status") == "error" and s.get("action") == "delete", "delete unknown: error (%r)" % s)
    t = submit("/job/delete/education-specifications/" + k2)
    s = wait(t)
    check(s.get("status") == "done" and "attributes" not in s, "delete known: done (%r)" % s)

    # ---- webhooks ----
    t = submit("/job/link/%s/education-specifications/%s" % (oe_c, k1),
               {"X-Callback": receiver.url("/hook/fail-once"), "X-Suppress-Http-Messages": "true"})
    final = wait(t)
    st, _ = sim.json("GET", "/_sim/wait-idle?timeout=10")
    check(st == 200, "wait-idle returns once the queue and the webhooks are done (%d)" % st)
    hooks = [h for h in sim.json("GET", "/_sim/webhooks")[1] if h["token"] == t]
    check([h.get("status") for h in hooks] == [500, 204], "webhook retried after a 500 (%r)" % hooks)
    posts = [b for p, b in receiver.posts if p == "/hook/fail-once"]
    check(len(posts) == 2 and posts[-1] == final and "http-messages" not in posts[-1],
          "webhook body is the final status object without http-messages (%r)" % posts)
    t = submit("/job/unlink/%s/education-specifications" % oe_c, {"X-Callback": receiver.url("/h2")})
    wait(t)
    sim.json("GET", "/_sim/wait-idle?timeout=10")
    posts = [b for p, b in receiver.posts if p == "/h2"]
    check(len(posts) == 1 and "http-messages" in posts[0] and posts[0]["status"] == "done",
          "webhook body keeps http-messages without X-Suppress-Http-Messages (%r)" % posts)
    t = submit("/job/unlink/%s/education-specifications" % oe_c)
    s = wait(t)
    check(s.get("status") == "done" and s.get("attributes") == {
        "eigenOpleidingseenheidSleutel": {"diff": False}}, "unlink without a key: diff false (%r)" % s)
    t = submit("/job/upsert/courses/" + some, {"X-Callback": "http://127.0.0.1:1/refused"})
    wait(t)
    sim.json("GET", "/_sim/wait-idle?timeout=10")
    hooks = [h for h in sim.json("GET", "/_sim/webhooks")[1] if h["token"] == t]
    check(len(hooks) == 1 and "error" in hooks[0], "a refused webhook is not retried (%r)" % hooks)
    st, body = sim.json("GET", "/status/%s?http-messages=true" % t, headers=auth)
    check("http-messages" in body, "status ?http-messages=true adds http-messages")

    # ---- faults ----
    n_log = len(sim.json("GET", "/_sim/log")[1])
    st, body = sim.json("POST", "/_sim/fault", {"mode": "5xx", "count": 1})
    check(st == 200 and "5xx" in body["faults"], "set fault 5xx (%d %r)" % (st, body))
    st, _, body = sim.request("POST", "/job/upsert/courses/" + some, auth)
    check(st == 503 and body == b"Server stopping", "5xx fault: 503 Server stopping (%d)" % st)
    submit("/job/upsert/courses/" + some)  # count 1: the next one passes
    sim.json("POST", "/_sim/fault", {"mode": "500", "count": 1})
    st, _, body = sim.request("GET", "/status/" + some, auth)
    check(st == 500, "500 fault on a status GET (%d)" % st)
    st, body = sim.json("POST", "/_sim/fault", {"mode": "drop"})
    check(st == 400, "plain \"drop\" is refused as ambiguous (%d)" % st)

    def dropped(path):
        try:
            sim.request("POST", path, auth)
        except (http.client.HTTPException, OSError):
            return True
        return False

    sim.json("POST", "/_sim/fault", {"mode": "drop-before", "count": 1})
    check(dropped("/job/upsert/courses/" + some), "drop-before closes without a response")
    check(len(sim.json("GET", "/_sim/log")[1]) == n_log + 1, "drop-before queues nothing")
    sim.json("POST", "/_sim/fault", {"mode": "drop-after", "count": 1})
    check(dropped("/job/upsert/programs/" + some), "drop-after closes without a response")
    log = sim.json("GET", "/_sim/log")[1]
    check(len(log) == n_log + 2 and log[-1]["dropped"] and log[-1]["type"] == "programs",
          "drop-after queued the job (%r)" % log[-1:])
    sim.json("POST", "/_sim/fault", {"mode": "token-down", "count": 1})
    st, _, _ = sim.request("POST", "/oauth/token?grant_type=client_credentials",
                           {"Authorization": "Basic " + good})
    check(st == 503, "token-down: the token endpoint answers 503 (%d)" % st)
    sim.json("POST", "/_sim/fault", {"mode": "slow", "count": 1, "seconds": 0.3})
    t0 = time.monotonic()
    sim.request("GET", "/status/" + some, auth)
    check(time.monotonic() - t0 >= 0.3, "slow delays a mapper response")
    sim.json("POST", "/_sim/fault", {"mode": "slow-job", "count": 1, "seconds": 1.5})
    t = submit("/job/upsert/courses/" + some)
    time.sleep(0.15)
    st, body = sim.json("GET", "/status/" + t, headers=auth)
    check(body.get("status") == "in-progress" and body.get("started-at") and
          "finished-at" not in body, "slow-job: the job is in progress (%r)" % body)
    t2 = submit("/job/upsert/courses/" + some)
    st, body = sim.json("GET", "/_sim/wait-idle?timeout=0.05")
    check(st == 504 and body == {"idle": False}, "wait-idle times out while a job runs (%d)" % st)
    st, body = sim.json("GET", "/status/" + t2, headers=auth)
    check(body.get("status") == "pending" and body.get("started-at") is None,
          "one job at a time: the next one is pending (%r)" % body)
    wait(t2)
    sim.json("POST", "/_sim/fault", {"mode": "revoke"})
    st, _, body = sim.request("GET", "/status/" + t, auth)
    check(st == 403 and body == b"", "revoke: the old token gets 403 (%d)" % st)
    token2 = sim.token()
    auth["Authorization"] = "Bearer " + token2
    st, _, _ = sim.request("GET", "/status/" + t, auth)
    check(st == 200, "a new token works after revoke (%d)" % st)
    st, body = sim.json("POST", "/_sim/fault", {"mode": "none"})
    check(body == {"faults": {}}, "fault none clears all (%r)" % body)

    # ---- export ----
    sim.json("GET", "/_sim/wait-idle?timeout=10")
    st, body = sim.json("POST", "/_sim/export", {"to": export})
    check(st == 200, "export (%d %r)" % (st, body))
    # state now: oe_a -> k2, oe_c unlinked, ao_a unlinked
    new_oes = read_items(os.path.join(export, "ho_opleidingen.csv"), "OPLEIDINGSEENHEIDCODE",
                         "EIGEN_OPLEIDINGSEENHEIDSLEUTEL")
    new_aos = read_items(os.path.join(export, "aangeboden_ho_opleidingen.csv"),
                         "AANGEBODEN_OPLEIDINGCODE", "EIGEN_AANGEBODEN_OPLEIDINGSLEUTEL")
    check(new_oes[oe_a] == k2, "export shows the new OE key (%r)" % new_oes[oe_a])
    check(new_oes[oe_c] == "", "export shows the unlinked OE without key (%r)" % new_oes[oe_c])
    check(new_aos[ao_a] == "", "export shows the unlinked AO without key (%r)" % new_aos[ao_a])
    changed = {oe_a, oe_c}
    check({c for c in oes if oes[c] != new_oes[c]} == changed,
          "only the changed OEs differ in the export")
    for entry in sorted(os.listdir(duo)):
        with open(os.path.join(duo, entry), "rb") as f:
            a = f.read()
        with open(os.path.join(export, entry), "rb") as f:
            b = f.read()
        if entry in ("ho_opleidingen.csv", "aangeboden_ho_opleidingen.csv"):
            check(a.startswith(b"\xef\xbb\xbf") == b.startswith(b"\xef\xbb\xbf") and
                  a.count(b"\r\n") == b.count(b"\r\n"), "%s keeps its BOM and CRLF" % entry)
            la, lb = a.split(b"\r\n"), b.split(b"\r\n")
            diff = [i for i in range(len(la)) if la[i] != lb[i]]
            codes = {(oe_a if entry.startswith("ho") else ao_a).encode()}
            if entry.startswith("ho"):
                codes.add(oe_c.encode())
            check(diff and all(any(la[i].startswith(b'"' + c + b'"') for c in codes) for i in diff),
                  "%s: only the rows of changed items differ (%r)" % (entry, diff))
        else:
            check(a == b, "%s is copied byte-identical" % entry)

    # ---- duplicates and the log ----
    dups = sim.json("GET", "/_sim/duplicates")[1]
    check(dups["count"] >= 1 and all(d["duplicate-of"] for d in dups["duplicates"]),
          "duplicates list (%r)" % dups)
    with open(log_path, encoding="utf-8") as f:
        events = [json.loads(line) for line in f]
    log = sim.json("GET", "/_sim/log")[1]
    check(sum(1 for e in events if e["event"] == "submit") == len(log),
          "the JSONL log has one submit line per accepted submission")
    check(all(e["status"] in ("done", "error", "time-out") for e in log),
          "every logged submission has a final status")


if __name__ == "__main__":
    sys.exit(main())
