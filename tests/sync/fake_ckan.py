#!/usr/bin/env python3
"""A fake CKAN (onderwijsdata.duo.nl) for the `rio download` tests. Test use only.

usage: fake_ckan.py --dir DIR [--control FILE] [--package NAME]

Serves every DIR/<name>.csv as a resource of the package: package_show, datastore_search (limit=0
gives result.total, the CSV's record count) and the file downloads (with HTTP Range). Binds
127.0.0.1 on a free port and prints "PORT <n>" on stdout once it listens.

Fault modes are read from the control file (JSON {"<name>": "<mode>"}) on every request:
  drop        the first download sends half the body (full Content-Length), then closes
  500once     the first download answers 500
  wrongcount  datastore_search reports one record more than the file has
  truncate    every download omits Content-Length and the last 100 bytes of the file
  truncate_nosize  as truncate, and package_show omits the resource size
"""
import argparse
import csv
import http.server
import json
import os
import sys
import threading
import urllib.parse
import uuid


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--control", default="")
    parser.add_argument("--package", default="rio_nfo_po_vo_vavo_mbo_ho")
    args = parser.parse_args()
    package_id = "c416acd1-e083-4ec6-9203-3b20f98fe143"
    lock = threading.Lock()
    hits = {}  # name -> download requests seen

    def faults():
        if not args.control or not os.path.exists(args.control):
            return {}
        with open(args.control, encoding="utf-8") as f:
            text = f.read().strip()
        return json.loads(text) if text else {}

    def resources():
        out = {}
        for entry in sorted(os.listdir(args.dir)):
            if entry.endswith(".csv"):
                name = entry[:-4]
                rid = str(uuid.uuid5(uuid.NAMESPACE_URL, "ooapi-fake-ckan/" + name))
                out[rid] = name
        return out

    def records(path):
        with open(path, newline="", encoding="utf-8-sig") as f:
            return max(sum(1 for _ in csv.reader(f)) - 1, 0)

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, fmt, *a):  # quiet
            pass

        def send_json(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(url.query))
            res = resources()
            mode = faults()
            host = "http://127.0.0.1:%d" % self.server.server_address[1]
            if url.path == "/api/3/action/package_show":
                if query.get("id") not in (args.package, package_id):
                    return self.send_json(404, {"success": False, "error": {"message": "Not found"}})
                items = []
                for rid, name in res.items():
                    item = {
                        "id": rid,
                        "name": name,
                        "format": "CSV",
                        "url": "%s/dataset/%s/resource/%s/download/%s.csv"
                        % (host, package_id, rid, name),
                    }
                    if mode.get(name) != "truncate_nosize":
                        item["size"] = os.path.getsize(os.path.join(args.dir, name + ".csv"))
                    items.append(item)
                # A resource of the package the importer does not read.
                items.append({"id": "00000000-0000-0000-0000-000000000000", "name": "onderwijsbesturen",
                              "url": host + "/missing.csv"})
                return self.send_json(200, {"success": True, "result": {
                    "id": package_id, "name": args.package, "resources": items}})
            if url.path == "/api/3/action/datastore_search":
                name = res.get(query.get("resource_id", ""))
                if name is None:
                    return self.send_json(404, {"success": False, "error": {"message": "Not found"}})
                total = records(os.path.join(args.dir, name + ".csv"))
                if mode.get(name) == "wrongcount":
                    total += 1
                return self.send_json(200, {"success": True, "result": {
                    "resource_id": query["resource_id"], "records": [], "total": total}})
            parts = url.path.split("/")
            # /dataset/<pkg>/resource/<rid>/download/<name>.csv
            if len(parts) == 7 and parts[1] == "dataset" and parts[5] == "download":
                name = res.get(parts[4])
                if name is None:
                    return self.send_json(404, {"success": False})
                return self.send_file(name, mode.get(name, ""))
            return self.send_json(404, {"success": False})

        def send_file(self, name, mode):
            with lock:
                hits[name] = hits.get(name, 0) + 1
                first = hits[name] == 1
            with open(os.path.join(args.dir, name + ".csv"), "rb") as f:
                data = f.read()
            if mode == "500once" and first:
                return self.send_json(500, {"success": False})
            start = 0
            rng = self.headers.get("Range", "")
            if rng.startswith("bytes=") and rng.endswith("-"):
                start = int(rng[6:-1])
                if start >= len(data):
                    self.send_response(416)
                    self.send_header("Content-Range", "bytes */%d" % len(data))
                    self.end_headers()
                    return
            body = data[start:]
            self.send_response(206 if start else 200)
            self.send_header("Content-Type", "text/csv")
            if start:
                self.send_header("Content-Range", "bytes %d-%d/%d" % (start, len(data) - 1, len(data)))
            if mode in ("truncate", "truncate_nosize"):
                self.end_headers()
                self.wfile.write(data[start:max(start, len(data) - 100)])
                return
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if mode == "drop" and first:
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print("PORT %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
