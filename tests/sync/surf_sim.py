#!/usr/bin/env python3
"""A simulated SURFeduhub RIO mapper (plus a token endpoint and a tiny RIO) for the sync tests.
Test use only; Python 3 standard library only.

The routes, status codes, error bodies and status objects mirror the real mapper's public API,
its link/unlink jobs and the RIO errors they end in, as SURFnet/eduhub-rio-mapper implements them
(api.clj, status.clj, link.clj, mutator.clj).

usage:
  surf_sim.py --port 0 --port-file FILE --duo DIR
              [--client-id ID] [--client-secret SECRET]     (default ooapi-endpoint-test/sim-secret)
              [--schac-home S] [--oin O]                     (--oin "" makes the client read-only)
              [--job-seconds 0.2] [--retry-wait-seconds 0.05] [--max-retries 3]
              [--token-ttl 3600] [--webhook-retry-seconds 30] [--webhook-attempts 4]
              [--log FILE.jsonl] [--fault MODE[:N[:S]]]... [--fault-seconds S]

It binds 127.0.0.1:PORT (0 = a free port), writes the port it listens on to --port-file (a temp
file renamed into place, so a reader never sees a partial number), prints "PORT <n>" on stdout,
and runs until SIGTERM or SIGINT.

Token endpoint (stands in for SURFconext; the mapper's introspection is folded into it)
  POST /oauth/token   grant_type=client_credentials (form body or query string), client
                      credentials by HTTP Basic (or client_id/client_secret form fields)
                      200 {"access_token": "...", "token_type": "Bearer", "expires_in": TTL}
                      401 {"error": "invalid_client"}     bad or missing credentials
                      400 {"error": "unsupported_grant_type"}
  A token is valid for --token-ttl seconds or until the `revoke` fault. A mapper route called
  with a missing, unknown, expired or revoked token answers 403 with an empty body (what the
  real mapper does after a failed introspection).

Mapper routes (reference section 1.2 to 1.4)
  POST /job/upsert/{type}/{id}             action "upsert"
  POST /job/delete/{type}/{id}             action "delete"
  POST /job/dry-run/upsert/{type}/{id}     action "dry-run-upsert"
  POST /job/link/{rioCode}/{type}/{id}     action "link"   ({id} = the new eigen sleutel)
  POST /job/unlink/{rioCode}/{type}        action "link" with id null (resource ends in "/")
  POST /job/{action}/{type}/{id}           generic: action in upsert, delete, dry-run-upsert,
                                           link (a link without a code: the real mapper's job
                                           thread dies and the job ends "done" without
                                           attributes and without a RIO write; so here)
  GET  /status/{token}[?http-messages=true]
  GET  /health                             200 "OK" (no auth)
  anything else                            404, empty body (unknown type or action too)
  {type} is education-specifications, programs or courses.
  Checks in order: route (404) -> token (403; also 403 on job POSTs when --oin is "") ->
  {id} UUID (400 "Invalid UUID") -> rioCode (400 "Invalid opleidingscode '<x>'" for
  education-specifications, which need \\d{4}O\\d{4}; 400 "Invalid aangeboden opleidingcode '<x>'"
  for programs/courses, which need a UUID) -> X-Callback (400 "Malformed callback url" unless it
  parses as a URL starting with http; nothing is queued then) -> enqueue -> 200 {"token": uuid}.
  Error bodies are text/plain. X-Suppress-Http-Messages: true drops "http-messages" from the
  webhook body. GET /status of an invalid UUID: 400 "Invalid UUID"; of an unknown token:
  404 {"status": "unknown"}.

Status object (reference 1.5/1.6): {"status", "token", "action", "resource" (singular type:
  "education-specification/<id>", "program/<id>", "course/<id>"; "<type>/" for unlink),
  "created-at", "started-at" (null while pending), "finished-at" (final only), "attributes"
  (done only), "phase" + "message" (error/time-out only)}; times are ISO-8601 UTC with "Z".
  "http-messages" (a simulated record of the RIO calls) only with ?http-messages=true.

Jobs: one FIFO queue and ONE worker thread (one institution, one job at a time, in submission
  order): pending -> in-progress -> done | error | time-out. Each attempt takes --job-seconds
  (or the slow-job seconds). A retryable failure is retried at once on the same job (the real
  mapper re-queues it at the front and holds the queue lock), after --retry-wait-seconds, while
  the status stays in-progress; after --max-retries retries the job ends "time-out".

RIO state: loaded at start from the DUO CSV files in --duo (as written by ooapi-duo-generate and
  read by `rio import`, RFC 4180, optional BOM, headers matched case-insensitively after trim):
    OEs: ho_opleidingen.csv, ho_opleidingsonderdelen.csv, nfo_opleidingen.csv
         code column OPLEIDINGSEENHEIDCODE, key column EIGEN_OPLEIDINGSEENHEIDSLEUTEL
    AOs: aangeboden_ho_opleidingen.csv, aangeboden_ho_opleidingsonderdelen.csv,
         aangeboden_nfo_opleidingen.csv
         code column AANGEBODEN_OPLEIDINGCODE, key column EIGEN_AANGEBODEN_OPLEIDINGSLEUTEL
  (ho_opleidingsonderdelen are OEs too: `rio import` reads them as such.) Other files are
  not read but are copied by the export. --header-map renames are not supported.
  An item may have several period rows; its key is per item (if its rows disagree, the last
  non-empty key in file order wins) and a change is written to all its rows. OE codes match
  exactly; AO codes exactly, else case-insensitively.
  link/unlink (reference 4.8/4.9), applied when the job runs:
    unknown code            -> retried, ends "time-out", phase "resolving", message "404 Not Found"
    key used by ANOTHER item of the same kind (exact string compare)
                            -> "error", phase "unknown" (the mapper's RIO rejection carries no
                               phase of its own; our reading, not verified), message
                               "Rejected by RIO: P01081: Er bestaat al een opleidingseenheid met
                               dezelfde eigenOpleidingseenheidSleutel" (OE) or
                               "Rejected by RIO: A01160: externe identificatie niet uniek" (AO)
    same key as now         -> "done", {"<keyname>": {"diff": false}} (also unlink of a keyless item)
    otherwise               -> silent overwrite, "done",
                               {"<keyname>": {"diff": true, "old-id": old|null, "new-id": new|null}}
    <keyname> is eigenOpleidingseenheidSleutel or eigenAangebodenOpleidingSleutel; the id is
    stored as given (not lowercased).
  upsert / dry-run-upsert / delete never change the state. upsert ends "done" with
  {"opleidingseenheidcode": <code of the OE keyed by id, else a made-up 9999Onnnn>} or
  {"aangebodenopleidingcode": <code of the AO keyed by id, else id>}; dry-run ends "done" with
  {"status": "found"|"not-found", and the code}; delete ends "done" without attributes if an item
  of that kind carries the id as key, otherwise "error" (phase "resolving" for an
  education-specification, "preparing" for a program/course, as in reference 4.6).

Webhooks (reference 1.7): on a final status the status object is POSTed as JSON to the job's
  X-Callback URL from a background thread. A non-2xx answer is retried after
  --webhook-retry-seconds (default 30 like the mapper), up to --webhook-attempts (4) attempts;
  a connection-level error is logged and not retried. Every attempt is recorded (/_sim/webhooks).

Fault modes (--fault MODE[:N[:S]] at start, repeatable; POST /_sim/fault at run time with JSON
  {"mode": M, "count": N, "seconds": S, "status": CODE}). N = how many requests (or jobs) it
  affects, -1 (default) = until changed. Several modes may be active at once; setting a mode
  replaces that mode's settings; "none" clears them all.
    none         clear every fault
    slow         delay each mapper response (job POSTs, status GETs) by S seconds
    5xx          job POSTs and status GETs answer 503 "Server stopping" (the mapper's graceful
                 shutdown answer); with "status": 500 they answer 500 "Internal Server Error".
                 Aliases: "503", "500". Nothing is queued.
    drop-before  a valid job POST is NOT enqueued and the connection is closed without any
                 response (the client cannot know; a retry is the first real submission)
    drop-after   a valid job POST IS enqueued (it runs, appears in /_sim/log with
                 "dropped": true) and then the connection is closed without any response
                 (a client retry is a second submission of the same job)
    drop-status  a status GET is answered by closing the connection without a response
    token-down   POST /oauth/token answers 503 {"error": "temporarily_unavailable"}
    revoke       invalidate every token issued so far, at once (the next mapper call gets 403)
    slow-job     each job attempt takes S seconds in progress (N = number of jobs affected)
  ("drop" alone is refused as ambiguous: say drop-before or drop-after.)
  Where they act: slow and 5xx before the token check (after route matching), drop-status after
  the token check, drop-before/drop-after only on a job POST that passed every check (so an
  invalid request neither triggers nor uses up a drop). A dropped connection gets no status
  line at all (curl: "Empty reply from server").

Control and inspection routes (no auth, JSON):
  GET  /_sim/log               [{"token", "action" (upsert|delete|dry-run-upsert|link|unlink),
                                 "type", "code" (rioCode or null), "id" (or null),
                                 "received-at", "status" (current/final), "callback",
                                 "dropped" (drop-after), "duplicate-of" (token or null)}, ...]
  GET  /_sim/duplicates        {"count": n, "after-dropped-response": m, "duplicates": [entry...]}
                               a submission counts when an earlier submission with the same
                               (action, type, code, id) had already reached "done" when it
                               arrived; m counts those whose earlier done twins all had their
                               response dropped (drop-after), so the client never saw a token.
  GET  /_sim/state/{code}      {"code", "kind": "oe"|"ao", "key": key|null, "original-key",
                                "files": [...]}; 404 {"error": ...} for an unknown code
  GET  /_sim/changes           {"changes": [{"code", "kind", "original-key", "key"}, ...]}
  POST /_sim/export {"to": DIR}  writes the current RIO state as DUO files into DIR: every file
                               of --duo is copied (.count sidecars, truth.json, other CSVs), and
                               the six OE/AO files are byte-identical except the key field of
                               the rows of changed items (written quoted, empty when unlinked).
                               -> {"to": DIR, "files": [...], "rows-changed": {file: n}}
  GET  /_sim/wait-idle?timeout=S[&webhooks=0]  200 {"idle": true} once the queue is empty, no
                               job runs and (unless webhooks=0) no webhook is being delivered;
                               504 {"idle": false} after S seconds (default 60)
  GET  /_sim/webhooks          [{"token", "url", "attempt", "status" or "error", "at"}, ...]
  GET  /_sim/stats             counters: token-requests, tokens-issued, job-posts, status-gets,
                               forbidden, dropped, faulted-5xx, jobs-run (absent = 0); queued,
                               busy; schac-home and oin (informational only)
  GET  /_sim/faults            the active faults
  POST /_sim/fault             see above -> {"faults": {...}}
  --log FILE.jsonl gets one line per submission ({"event": "submit", ...}) and one per final
  status ({"event": "final", "token", "status", ...}).

Not simulated: the SURFeduhub gateway and every OOAPI fetch (upsert does not call our endpoint),
  RIO validation of upserts, relations, cohorts, deletes, Redis, status TTL expiry, the 10-minute
  introspection cache, several institutions/clients, traceparent propagation, metrics.
"""
import argparse
import base64
import collections
import csv
import datetime
import json
import os
import re
import secrets
import shutil
import signal
import sys
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
import uuid

TYPES = {"education-specifications": "education-specification",
         "programs": "program",
         "courses": "course"}
GENERIC_ACTIONS = {"upsert", "delete", "dry-run-upsert", "link"}
UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
OE_CODE_RE = re.compile(r"^[0-9]{4}O[0-9]{4}$")

OE_FILES = ["ho_opleidingen", "ho_opleidingsonderdelen", "nfo_opleidingen"]
AO_FILES = ["aangeboden_ho_opleidingen", "aangeboden_ho_opleidingsonderdelen",
            "aangeboden_nfo_opleidingen"]
COLUMNS = {"oe": ("OPLEIDINGSEENHEIDCODE", "EIGEN_OPLEIDINGSEENHEIDSLEUTEL"),
           "ao": ("AANGEBODEN_OPLEIDINGCODE", "EIGEN_AANGEBODEN_OPLEIDINGSLEUTEL")}
KEY_NAMES = {"oe": "eigenOpleidingseenheidSleutel", "ao": "eigenAangebodenOpleidingSleutel"}
DUP_MESSAGES = {
    "oe": "Rejected by RIO: P01081: Er bestaat al een opleidingseenheid met dezelfde "
          "eigenOpleidingseenheidSleutel",
    "ao": "Rejected by RIO: A01160: externe identificatie niet uniek",
}
FINAL = ("done", "error", "time-out")
FAULT_MODES = {"none", "slow", "5xx", "drop-before", "drop-after", "drop-status", "token-down",
               "revoke", "slow-job"}


def now_iso():
    t = datetime.datetime.now(datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def kind_of(type_plural):
    return "oe" if type_plural == "education-specifications" else "ao"


# ---- RIO state ---------------------------------------------------------------------------------

class Item:
    def __init__(self, kind, code):
        self.kind = kind
        self.code = code
        self.key = ""           # current key ("" = none)
        self.original = ""      # key as loaded
        self.files = []


def upper_trim(name):
    return name.strip().upper()


def read_csv_rows(path):
    """Header and rows of an RFC 4180 file (BOM tolerated), with the csv module."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    if not rows:
        return [], []
    return rows[0], rows[1:]


class RioState:
    def __init__(self, duo_dir):
        self.dir = duo_dir
        self.lock = threading.Lock()
        self.items = {"oe": {}, "ao": {}}
        self.ao_lower = {}
        for kind, files in (("oe", OE_FILES), ("ao", AO_FILES)):
            code_col, key_col = COLUMNS[kind]
            for name in files:
                path = os.path.join(duo_dir, name + ".csv")
                if not os.path.exists(path):
                    continue
                header, rows = read_csv_rows(path)
                names = [upper_trim(h) for h in header]
                if code_col not in names:
                    raise SystemExit("surf_sim: %s.csv has no %s column" % (name, code_col))
                ci = names.index(code_col)
                ki = names.index(key_col) if key_col in names else -1
                for row in rows:
                    if ci >= len(row):
                        continue
                    code = row[ci]
                    item = self.items[kind].get(code)
                    if item is None:
                        item = self.items[kind][code] = Item(kind, code)
                    if name not in item.files:
                        item.files.append(name)
                    key = row[ki] if 0 <= ki < len(row) else ""
                    if key:
                        item.key = item.original = key
        for code, item in self.items["ao"].items():
            self.ao_lower.setdefault(code.lower(), item)

    def find(self, kind, code):
        item = self.items[kind].get(code)
        if item is None and kind == "ao":
            item = self.ao_lower.get(code.lower())
        return item

    def find_any(self, code):
        return self.find("oe", code) or self.find("ao", code)

    def by_key(self, kind, key):
        for item in self.items[kind].values():
            if item.key and item.key == key:
                return item
        return None

    def changes(self):
        out = []
        for kind in ("oe", "ao"):
            for code in sorted(self.items[kind]):
                item = self.items[kind][code]
                if item.key != item.original:
                    out.append({"code": code, "kind": kind, "original-key": item.original or None,
                                "key": item.key or None})
        return out

    def export(self, to_dir):
        """Copies every file of the DUO dir to to_dir, rewriting the key field of changed items."""
        os.makedirs(to_dir, exist_ok=True)
        with self.lock:
            changed = {kind: {c: i.key for c, i in self.items[kind].items() if i.key != i.original}
                       for kind in ("oe", "ao")}
        files, rows_changed = [], {}
        for entry in sorted(os.listdir(self.dir)):
            src = os.path.join(self.dir, entry)
            if not os.path.isfile(src):
                continue
            dst = os.path.join(to_dir, entry)
            name = entry[:-4] if entry.endswith(".csv") else None
            kind = "oe" if name in OE_FILES else "ao" if name in AO_FILES else None
            if kind and changed[kind]:
                with open(src, "rb") as f:
                    data = f.read()
                out, n = rewrite_keys(data, COLUMNS[kind][0], COLUMNS[kind][1], changed[kind],
                                      kind == "ao")
                tmp = dst + ".tmp"
                with open(tmp, "wb") as f:
                    f.write(out)
                os.replace(tmp, dst)
                rows_changed[entry] = n
            else:
                shutil.copyfile(src, dst)
            files.append(entry)
        return {"to": to_dir, "files": files, "rows-changed": rows_changed}


_UNQUOTED = re.compile(r"[^,\r\n]*")


def split_records(text, pos):
    """Raw RFC 4180 records of text from pos: a list of (field spans [(start, end)], record end)."""
    records = []
    n = len(text)
    while pos < n:
        fields = []
        while True:
            start = pos
            if pos < n and text[pos] == '"':
                pos += 1
                while True:
                    q = text.find('"', pos)
                    if q < 0:
                        raise ValueError("unterminated quoted field at offset %d" % start)
                    if q + 1 < n and text[q + 1] == '"':
                        pos = q + 2
                        continue
                    pos = q + 1
                    break
            pos = _UNQUOTED.match(text, pos).end()
            fields.append((start, pos))
            if pos < n and text[pos] == ",":
                pos += 1
                continue
            break
        records.append((fields, pos))
        if pos < n and text[pos] == "\r":
            pos += 1
        if pos < n and text[pos] == "\n":
            pos += 1
    return records


def unquote(raw):
    if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
        return raw[1:-1].replace('""', '"')
    return raw


def quote(value):
    return '"' + value.replace('"', '""') + '"' if value else ""


def rewrite_keys(data, code_col, key_col, changed, fold_case):
    """data with the key field of the records of changed codes replaced; (bytes, rows changed)."""
    text = data.decode("utf-8")
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    records = split_records(text, len(bom))
    if not records:
        return data, 0
    header_fields, header_end = records[0]
    names = [upper_trim(unquote(text[s:e])) for s, e in header_fields]
    ci = names.index(code_col)
    ki = names.index(key_col) if key_col in names else -1
    lookup = dict(changed)
    if fold_case:
        for code, key in changed.items():
            lookup.setdefault(code.lower(), key)
    pieces, last, n = [], 0, 0
    if ki < 0:  # no key column: append one to the header and to every record
        pieces.append(text[last:header_end] + "," + key_col)
        last = header_end
    for fields, end in records[1:]:
        if ci >= len(fields):
            continue
        code = unquote(text[fields[ci][0]:fields[ci][1]])
        key = lookup.get(code)
        if key is None and fold_case:
            key = lookup.get(code.lower())
        if ki < 0:
            pieces.append(text[last:end] + "," + quote(key or ""))
            last = end
            n += key is not None
            continue
        if key is None or ki >= len(fields):
            continue
        s, e = fields[ki]
        pieces.append(text[last:s] + quote(key))
        last = e
        n += 1
    pieces.append(text[last:])
    return "".join(pieces).encode("utf-8"), n


# ---- the simulator -----------------------------------------------------------------------------

class Job:
    def __init__(self, token, action, type_plural, code, job_id, callback, suppress):
        self.token = token
        self.action = action            # status action: upsert, delete, dry-run-upsert, link
        self.route_action = action      # log action: also "unlink"
        self.type = type_plural
        self.code = code
        self.id = job_id
        self.callback = callback
        self.suppress = suppress
        self.status = "pending"
        self.created = now_iso()
        self.started = None
        self.finished = None
        self.attributes = None
        self.phase = None
        self.message = None
        self.http_messages = []
        self.link_without_code = False

    def resource(self):
        return "%s/%s" % (TYPES[self.type], self.id if self.id is not None else "")

    def status_object(self, http_messages=False):
        out = {"status": self.status, "token": self.token, "action": self.action,
               "resource": self.resource(), "created-at": self.created, "started-at": self.started}
        if self.status in FINAL:
            out["finished-at"] = self.finished
        if self.status == "done" and self.attributes is not None:
            out["attributes"] = self.attributes
        if self.status in ("error", "time-out"):
            out["phase"] = self.phase
            out["message"] = self.message
        if http_messages:
            out["http-messages"] = list(self.http_messages)
        return out


class RetryableError(Exception):
    def __init__(self, phase, message):
        super().__init__(message)
        self.phase = phase


class FatalError(Exception):
    def __init__(self, phase, message):
        super().__init__(message)
        self.phase = phase


class Simulator:
    def __init__(self, args):
        self.args = args
        self.rio = RioState(args.duo)
        self.lock = threading.Lock()
        self.cond = threading.Condition(self.lock)
        self.queue = collections.deque()
        self.jobs = {}
        self.submissions = []        # log entries, in arrival order
        self.tokens = {}             # access token -> expiry (time.monotonic)
        self.faults = {}             # mode -> {"count": n, "seconds": s, "status": code}
        self.webhooks = []
        self.webhooks_active = 0
        self.busy = False
        self.stats = collections.Counter()
        self.stop = threading.Event()
        self.log_lock = threading.Lock()
        self.made_up_codes = 0
        for spec in args.fault or []:
            parts = spec.split(":")
            body = {"mode": parts[0]}
            if len(parts) > 1 and parts[1]:
                body["count"] = int(parts[1])
            body["seconds"] = float(parts[2]) if len(parts) > 2 else args.fault_seconds
            err = self.set_fault(body)
            if err:
                raise SystemExit("surf_sim: --fault %s: %s" % (spec, err))
        self.worker = threading.Thread(target=self.work, name="worker", daemon=True)
        self.worker.start()

    # -- faults --
    def set_fault(self, body):
        mode = body.get("mode")
        if mode in ("503", "500"):
            body = dict(body, status=int(mode))
            mode = "5xx"
        if mode == "drop":
            return "\"drop\" is ambiguous: use drop-before (not enqueued) or drop-after (enqueued)"
        if mode not in FAULT_MODES:
            return "unknown fault mode %r (known: %s)" % (mode, ", ".join(sorted(FAULT_MODES)))
        try:
            count = int(body.get("count", -1))
            seconds = float(body.get("seconds", self.args.fault_seconds))
            status = int(body.get("status", 503))
        except (TypeError, ValueError):
            return "count, seconds and status must be numbers"
        with self.lock:
            if mode == "none":
                self.faults.clear()
            elif mode == "revoke":
                self.tokens.clear()
            elif count == 0:
                self.faults.pop(mode, None)
            else:
                self.faults[mode] = {"count": count, "seconds": seconds, "status": status}
        return None

    def take_fault(self, mode):
        """The fault's settings if it applies to this request (consuming one count), else None."""
        with self.lock:
            f = self.faults.get(mode)
            if f is None:
                return None
            if f["count"] > 0:
                f["count"] -= 1
                if f["count"] == 0:
                    del self.faults[mode]
            return dict(f)

    # -- tokens --
    def issue_token(self):
        token = secrets.token_urlsafe(32)
        with self.lock:
            self.tokens[token] = time.monotonic() + self.args.token_ttl
            self.stats["tokens-issued"] += 1
        return token

    def token_valid(self, header):
        if not header:
            return False
        parts = header.split(None, 1)
        if len(parts) != 2 or parts[0].lower() != "bearer":
            return False
        with self.lock:
            expiry = self.tokens.get(parts[1].strip())
            if expiry is None:
                return False
            if time.monotonic() >= expiry:
                del self.tokens[parts[1].strip()]
                return False
            return True

    # -- submissions --
    def submit(self, job, dropped):
        received = now_iso()
        sig = (job.route_action, job.type, job.code, job.id)
        with self.lock:
            earlier_done = [e for e in self.submissions
                            if e["_sig"] == sig and self.jobs[e["token"]].status == "done"]
            entry = {"token": job.token, "action": job.route_action, "type": job.type,
                     "code": job.code, "id": job.id, "received-at": received,
                     "callback": job.callback, "dropped": dropped,
                     "duplicate-of": earlier_done[0]["token"] if earlier_done else None,
                     "_sig": sig,
                     "_after_dropped": bool(earlier_done) and all(e["dropped"] for e in earlier_done)}
            self.jobs[job.token] = job
            self.submissions.append(entry)
            self.queue.append(job)
            self.cond.notify_all()
        self.write_log(dict({"event": "submit"}, **self.public_entry(entry)))

    def public_entry(self, entry):
        out = {k: v for k, v in entry.items() if not k.startswith("_")}
        out["status"] = self.jobs[entry["token"]].status
        return out

    def write_log(self, record):
        if not self.args.log:
            return
        with self.log_lock:
            with open(self.args.log, "a", encoding="utf-8") as f:
                f.write(json.dumps(record, sort_keys=True) + "\n")

    # -- the worker --
    def work(self):
        while not self.stop.is_set():
            with self.lock:
                while not self.queue and not self.stop.is_set():
                    self.cond.wait(0.5)
                if self.stop.is_set():
                    return
                job = self.queue.popleft()
                self.busy = True
                job.status = "in-progress"
                job.started = now_iso()
                self.stats["jobs-run"] += 1
            try:
                self.run_job(job)
            except Exception as e:  # the simulator's own bug: report it as an error status
                traceback.print_exc()
                self.finish(job, "error", phase="unknown", message="simulator: %s" % e)
            with self.lock:
                self.busy = False
                self.cond.notify_all()

    def run_job(self, job):
        slow = self.take_fault("slow-job")
        seconds = slow["seconds"] if slow else self.args.job_seconds
        retries = 0
        while True:
            if self.stop.wait(seconds):
                return
            try:
                attributes = self.execute(job)
            except RetryableError as e:
                retries += 1
                if retries > self.args.max_retries:
                    self.finish(job, "time-out", phase=e.phase, message=str(e))
                    return
                if self.stop.wait(self.args.retry_wait_seconds):
                    return
                continue
            except FatalError as e:
                self.finish(job, "error", phase=e.phase, message=str(e))
                return
            self.finish(job, "done", attributes=attributes)
            return

    def execute(self, job):
        """One attempt of the job against the RIO state: attributes, or raises."""
        kind = kind_of(job.type)
        rio = self.rio
        if job.action == "link":
            if job.link_without_code:
                return None
            job.http_messages.append(self.rio_message("opvragen_" + (
                "opleidingseenheid" if kind == "oe" else "aangebodenOpleiding"), job.code))
            with rio.lock:
                item = rio.find(kind, job.code)
                if item is None:
                    raise RetryableError("resolving", "404 Not Found")
                old = item.key or None
                new = job.id
                if old == new:
                    return {KEY_NAMES[kind]: {"diff": False}}
                if new is not None:
                    other = rio.by_key(kind, new)
                    if other is not None and other is not item:
                        raise FatalError("unknown", DUP_MESSAGES[kind])
                item.key = new or ""
            job.http_messages.append(self.rio_message("aanleveren_" + (
                "opleidingseenheid" if kind == "oe" else "aangebodenOpleiding"), job.code))
            return {KEY_NAMES[kind]: {"diff": True, "old-id": old, "new-id": new}}
        with rio.lock:
            item = rio.by_key(kind, job.id)
        if job.action == "upsert":
            if kind == "oe":
                if item is None:
                    with self.lock:
                        self.made_up_codes += 1
                        code = "9999O%04d" % self.made_up_codes
                else:
                    code = item.code
                return {"opleidingseenheidcode": code}
            return {"aangebodenopleidingcode": item.code if item else job.id}
        if job.action == "dry-run-upsert":
            found = item is not None
            out = {"status": "found" if found else "not-found"}
            if kind == "oe":
                out["opleidingseenheidcode"] = item.code if found else None
            else:
                out["aangebodenOpleidingCode"] = item.code if found else None
            return out
        if job.action == "delete":
            if item is None:
                if kind == "oe":
                    raise FatalError("resolving", "Unable to delete 'opleidingseenheid' %s: "
                                     "not found in RIO" % job.id)
                raise FatalError("preparing", "Unable to delete 'aangebodenopleiding' %s: "
                                 "no aangebodenOpleidingCode found" % job.id)
            return None
        raise FatalError("unknown", "unknown action %s" % job.action)

    @staticmethod
    def rio_message(action, code):
        return {"req": {"url": "https://rio.simulated/" + action, "method": "post",
                        "params": {}, "body": "<%s code=%s/>" % (action, code), "headers": {}},
                "res": {"status": 200, "body": "<simulated/>"}}

    def finish(self, job, status, attributes=None, phase=None, message=None):
        with self.lock:
            job.status = status
            job.finished = now_iso()
            job.attributes = attributes
            job.phase = phase
            job.message = message
            body = job.status_object(http_messages=not job.suppress)
        self.write_log({"event": "final", "token": job.token, "status": status,
                        "finished-at": job.finished, "attributes": attributes, "phase": phase,
                        "message": message})
        if job.callback:
            with self.lock:
                self.webhooks_active += 1
            threading.Thread(target=self.deliver, args=(job.token, job.callback, body),
                             daemon=True).start()

    def deliver(self, token, url, body):
        data = json.dumps(body).encode()
        try:
            for attempt in range(1, self.args.webhook_attempts + 1):
                record = {"token": token, "url": url, "attempt": attempt, "at": now_iso()}
                try:
                    req = urllib.request.Request(url, data=data, method="POST",
                                                 headers={"Content-Type": "application/json"})
                    with urllib.request.urlopen(req, timeout=30) as resp:
                        record["status"] = resp.status
                except urllib.error.HTTPError as e:
                    record["status"] = e.code
                except Exception as e:  # connection-level: logged, no retry (as the mapper)
                    record["error"] = "%s: %s" % (type(e).__name__, e)
                with self.lock:
                    self.webhooks.append(record)
                if "error" in record or 200 <= record["status"] < 300:
                    return
                if attempt < self.args.webhook_attempts and \
                        self.stop.wait(self.args.webhook_retry_seconds):
                    return
        finally:
            with self.lock:
                self.webhooks_active -= 1
                self.cond.notify_all()

    def wait_idle(self, timeout, webhooks=True):
        deadline = time.monotonic() + timeout
        with self.lock:
            while self.queue or self.busy or (webhooks and self.webhooks_active):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.cond.wait(min(left, 0.5))
            return True

    def duplicates(self):
        with self.lock:
            dups = [self.public_entry(e) for e in self.submissions if e["duplicate-of"]]
            after = sum(1 for e in self.submissions if e["duplicate-of"] and e["_after_dropped"])
        return {"count": len(dups), "after-dropped-response": after, "duplicates": dups}


# ---- HTTP --------------------------------------------------------------------------------------

class Dropped(Exception):
    pass


def make_handler(sim):
    import http.server

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "surf-sim/1"

        def log_message(self, fmt, *a):  # quiet
            pass

        # -- helpers --
        def body_bytes(self):
            if getattr(self, "_body", None) is not None:
                return self._body
            n = int(self.headers.get("Content-Length") or 0)
            self._body = self.rfile.read(n) if n > 0 else b""
            return self._body

        def send(self, status, body=b"", ctype=None, headers=None):
            self.body_bytes()
            if isinstance(body, str):
                body = body.encode()
            self.send_response(status)
            if ctype and body:
                self.send_header("Content-Type", ctype)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body and self.command != "HEAD":
                self.wfile.write(body)

        def send_json(self, status, obj):
            self.send(status, json.dumps(obj), "application/json; charset=utf-8")

        def send_text(self, status, text):
            self.send(status, text, "text/plain; charset=utf-8")

        def drop(self):
            """Closes the connection without a response."""
            self.body_bytes()
            self.close_connection = True
            with sim.lock:
                sim.stats["dropped"] += 1
            try:
                import socket
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            raise Dropped()

        def handle_one_request(self):
            self._body = None
            try:
                super().handle_one_request()
            except Dropped:
                self.close_connection = True
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        def segments(self):
            url = urllib.parse.urlsplit(self.path)
            parts = [urllib.parse.unquote(p) for p in url.path.split("/")[1:]]
            return url, parts

        # -- dispatch --
        def do_GET(self):
            url, parts = self.segments()
            query = dict(urllib.parse.parse_qsl(url.query))
            if parts and parts[0] == "_sim":
                return self.control_get(parts[1:], query)
            if parts == ["health"]:
                return self.send_text(200, "OK")
            if len(parts) == 2 and parts[0] == "status":
                return self.status(parts[1], query)
            return self.send(404)

        def do_POST(self):
            url, parts = self.segments()
            if parts and parts[0] == "_sim":
                return self.control_post(parts[1:])
            if parts == ["oauth", "token"]:
                return self.token(url)
            if parts and parts[0] == "job":
                return self.job(parts[1:])
            return self.send(404)

        def do_PUT(self):
            self.send(404)

        do_DELETE = do_PUT
        do_PATCH = do_PUT

        # -- token endpoint --
        def token(self, url):
            with sim.lock:
                sim.stats["token-requests"] += 1
            if sim.take_fault("token-down"):
                return self.send_json(503, {"error": "temporarily_unavailable"})
            params = dict(urllib.parse.parse_qsl(url.query))
            ctype = self.headers.get("Content-Type", "")
            body = self.body_bytes()
            if body and "json" not in ctype:
                params.update(urllib.parse.parse_qsl(body.decode("utf-8", "replace")))
            client_id = client_secret = None
            auth = self.headers.get("Authorization", "")
            if auth[:6].lower() == "basic ":
                try:
                    decoded = base64.b64decode(auth[6:].strip(), validate=True).decode()
                    client_id, _, client_secret = decoded.partition(":")
                    client_id = urllib.parse.unquote(client_id)
                    client_secret = urllib.parse.unquote(client_secret)
                except (ValueError, UnicodeDecodeError):
                    client_id = None
            elif "client_id" in params:
                client_id, client_secret = params.get("client_id"), params.get("client_secret")
            if client_id != sim.args.client_id or client_secret != sim.args.client_secret:
                return self.send_json(401, {"error": "invalid_client"})
            if params.get("grant_type") != "client_credentials":
                return self.send_json(400, {"error": "unsupported_grant_type"})
            token = sim.issue_token()
            self.send_json(200, {"access_token": token, "token_type": "Bearer",
                                 "expires_in": int(sim.args.token_ttl)},)

        # -- mapper routes --
        def mapper_faults(self):
            """Applies slow and 5xx; True when the request was answered."""
            slow = sim.take_fault("slow")
            if slow:
                time.sleep(slow["seconds"])
            f = sim.take_fault("5xx")
            if f:
                with sim.lock:
                    sim.stats["faulted-5xx"] += 1
                if f["status"] == 503:
                    self.send_text(503, "Server stopping")
                else:
                    self.send_text(f["status"], "Internal Server Error")
                return True
            return False

        def forbidden(self):
            with sim.lock:
                sim.stats["forbidden"] += 1
            self.send(403)

        def status(self, token, query):
            with sim.lock:
                sim.stats["status-gets"] += 1
            if self.mapper_faults():
                return
            if not sim.token_valid(self.headers.get("Authorization")):
                return self.forbidden()
            if sim.take_fault("drop-status"):
                self.drop()
            if not UUID_RE.match(token):
                return self.send_text(400, "Invalid UUID")
            with sim.lock:
                job = sim.jobs.get(token)
                obj = job.status_object(query.get("http-messages") == "true") if job else None
            if obj is None:
                return self.send_json(404, {"status": "unknown"})
            self.send_json(200, obj)

        def job(self, parts):
            # route matching first: anything else is 404 with an empty body
            code = job_id = None
            link_without_code = False
            route_action = None
            if len(parts) == 4 and parts[0] == "link":
                route_action, code, type_plural, job_id = "link", parts[1], parts[2], parts[3]
            elif len(parts) == 3 and parts[0] == "unlink":
                route_action, code, type_plural = "unlink", parts[1], parts[2]
            elif len(parts) == 4 and parts[0] == "dry-run" and parts[1] == "upsert":
                route_action, type_plural, job_id = "dry-run-upsert", parts[2], parts[3]
            elif len(parts) == 3 and parts[0] in GENERIC_ACTIONS:
                route_action, type_plural, job_id = parts[0], parts[1], parts[2]
                link_without_code = route_action == "link"
            else:
                return self.send(404)
            if type_plural not in TYPES:
                return self.send(404)
            with sim.lock:
                sim.stats["job-posts"] += 1
            if self.mapper_faults():
                return
            if not sim.token_valid(self.headers.get("Authorization")) or not sim.args.oin:
                return self.forbidden()
            if job_id is not None and not UUID_RE.match(job_id):
                return self.send_text(400, "Invalid UUID")
            if code is not None:
                if type_plural == "education-specifications":
                    if not OE_CODE_RE.match(code):
                        return self.send_text(400, "Invalid opleidingscode '%s'" % code)
                elif not UUID_RE.match(code):
                    return self.send_text(400, "Invalid aangeboden opleidingcode '%s'" % code)
            callback = self.headers.get("X-Callback")
            if callback is not None:
                try:
                    u = urllib.parse.urlsplit(callback)
                    ok = callback.startswith("http") and u.scheme in ("http", "https") and u.netloc
                except ValueError:
                    ok = False
                if not ok:
                    return self.send_text(400, "Malformed callback url")
            suppress = self.headers.get("X-Suppress-Http-Messages") == "true"
            if sim.take_fault("drop-before"):
                self.drop()
            job = Job(str(uuid.uuid4()), "link" if route_action == "unlink" else route_action,
                      type_plural, code, job_id, callback, suppress)
            job.route_action = route_action
            job.link_without_code = link_without_code
            dropped = sim.take_fault("drop-after") is not None
            sim.submit(job, dropped)
            if dropped:
                self.drop()
            self.send_json(200, {"token": job.token})

        # -- control routes --
        def control_get(self, parts, query):
            if parts == ["log"]:
                with sim.lock:
                    entries = [sim.public_entry(e) for e in sim.submissions]
                return self.send_json(200, entries)
            if parts == ["duplicates"]:
                return self.send_json(200, sim.duplicates())
            if len(parts) == 2 and parts[0] == "state":
                with sim.rio.lock:
                    item = sim.rio.find_any(parts[1])
                    if item is None:
                        return self.send_json(404, {"error": "unknown code %s" % parts[1]})
                    return self.send_json(200, {"code": item.code, "kind": item.kind,
                                                "key": item.key or None,
                                                "original-key": item.original or None,
                                                "files": item.files})
            if parts == ["changes"]:
                with sim.rio.lock:
                    return self.send_json(200, {"changes": sim.rio.changes()})
            if parts == ["wait-idle"]:
                try:
                    timeout = float(query.get("timeout", "60"))
                except ValueError:
                    return self.send_json(400, {"error": "timeout must be a number"})
                idle = sim.wait_idle(timeout, query.get("webhooks", "1") not in ("0", "false"))
                return self.send_json(200 if idle else 504, {"idle": idle})
            if parts == ["webhooks"]:
                with sim.lock:
                    return self.send_json(200, list(sim.webhooks))
            if parts == ["stats"]:
                with sim.lock:
                    stats = dict(sim.stats)
                    stats["queued"] = len(sim.queue)
                    stats["busy"] = sim.busy
                    stats["schac-home"] = sim.args.schac_home
                    stats["oin"] = sim.args.oin
                return self.send_json(200, stats)
            if parts == ["faults"]:
                with sim.lock:
                    return self.send_json(200, {"faults": dict(sim.faults)})
            return self.send_json(404, {"error": "unknown control route"})

        def control_post(self, parts):
            try:
                body = json.loads(self.body_bytes() or b"{}")
                if not isinstance(body, dict):
                    raise ValueError("not an object")
            except ValueError as e:
                return self.send_json(400, {"error": "body is not a JSON object: %s" % e})
            if parts == ["fault"]:
                err = sim.set_fault(body)
                if err:
                    return self.send_json(400, {"error": err})
                with sim.lock:
                    return self.send_json(200, {"faults": dict(sim.faults)})
            if parts == ["export"]:
                to = body.get("to")
                if not isinstance(to, str) or not to:
                    return self.send_json(400, {"error": "\"to\" (a directory) is required"})
                try:
                    return self.send_json(200, sim.rio.export(to))
                except (OSError, ValueError) as e:
                    return self.send_json(500, {"error": "export failed: %s" % e})
            return self.send_json(404, {"error": "unknown control route"})

    return Handler


def main():
    p = argparse.ArgumentParser(description="Simulated SURFeduhub RIO mapper (test use only)")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file", default="")
    p.add_argument("--duo", required=True, help="directory with the DUO CSV files")
    p.add_argument("--client-id", default="ooapi-endpoint-test")
    p.add_argument("--client-secret", default="sim-secret")
    p.add_argument("--schac-home", default="ooapi-endpoint.test")
    p.add_argument("--oin", default="0000000700025BE00000",
                   help="institution OIN; empty makes the client read-only (job POSTs get 403)")
    p.add_argument("--job-seconds", type=float, default=0.2)
    p.add_argument("--retry-wait-seconds", type=float, default=0.05)
    p.add_argument("--max-retries", type=int, default=3)
    p.add_argument("--token-ttl", type=float, default=3600)
    p.add_argument("--webhook-retry-seconds", type=float, default=30)
    p.add_argument("--webhook-attempts", type=int, default=4)
    p.add_argument("--log", default="")
    p.add_argument("--fault", action="append", help="MODE[:COUNT[:SECONDS]], repeatable")
    p.add_argument("--fault-seconds", type=float, default=1.0,
                   help="seconds for slow/slow-job when not given")
    args = p.parse_args()
    if not os.path.isdir(args.duo):
        print("surf_sim: --duo %s is not a directory" % args.duo, file=sys.stderr)
        return 2

    import http.server
    sim = Simulator(args)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(sim))
    server.daemon_threads = True
    port = server.server_address[1]

    def stop(signum, frame):
        sim.stop.set()
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if args.port_file:
        tmp = args.port_file + ".tmp%d" % os.getpid()
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.replace(tmp, args.port_file)
    print("PORT %d" % port, flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        sim.stop.set()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
