#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A real Prometheus scrape of kvmschedctl metrics output.

Usage: scrape.py FILE

Serves FILE as http://127.0.0.1:PORT/metrics (the guest has no network to
the host, so its captured output stands in for a live endpoint), runs the
Prometheus server (/usr/bin/prometheus, Debian's package) scraping it every
second, and checks through the HTTP API that the scrape succeeded (up 1),
that Prometheus stored exactly the samples FILE has, with their values, and
that escaped label values came back unescaped. Prints "ok - ..." /
"not ok - ..." lines; exit 1 on any failure.
"""
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?')
fails = 0


def report(good, what, detail=""):
    global fails
    print(("ok - " if good else "not ok - ") + what)
    if not good:
        fails += 1
        for line in str(detail).splitlines()[:10]:
            print("#   " + line)


def unescape(v):
    return re.sub(r'\\(.)', lambda m: '\n' if m.group(1) == 'n' else m.group(1), v)


def parse(path):
    """(name, frozenset of labels) -> value, by a parser independent of C."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            m = SAMPLE.match(line)
            if not m:
                raise ValueError("not a sample line: " + line)
            labels = frozenset((k, unescape(v)) for k, v in LABEL.findall(m.group(3) or ""))
            out[(m.group(1), labels)] = float(m.group(4))
    return out


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def query(base, q):
    url = base + "/api/v1/query?" + urllib.parse.urlencode({"query": q})
    with urllib.request.urlopen(url, timeout=5) as r:
        body = json.load(r)
    if body.get("status") != "success":
        raise RuntimeError(body)
    return body["data"]["result"]


def main():
    path = sys.argv[1]
    want = parse(path)
    with open(path, "rb") as f:
        payload = f.read()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200 if self.path == "/metrics" else 404)
            self.send_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            self.end_headers()
            if self.path == "/metrics":
                self.wfile.write(payload)

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    target = "127.0.0.1:%d" % srv.server_address[1]
    tmp = tempfile.mkdtemp(prefix="kvms-prom.")
    web = "127.0.0.1:%d" % free_port()
    with open(os.path.join(tmp, "prometheus.yml"), "w") as f:
        f.write("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                "scrape_configs:\n  - job_name: kvmsched\n"
                "    static_configs:\n      - targets: ['%s']\n" % target)
    log = open(os.path.join(tmp, "prometheus.log"), "w")
    prom = subprocess.Popen(["prometheus", "--config.file=" + os.path.join(tmp, "prometheus.yml"),
                             "--storage.tsdb.path=" + os.path.join(tmp, "data"),
                             "--web.listen-address=" + web], stdout=log, stderr=log)
    base = "http://" + web
    try:
        up = None
        deadline = time.time() + 60
        while time.time() < deadline and prom.poll() is None:
            try:
                r = query(base, 'up{job="kvmsched"}')
                if r:
                    up = r[0]["value"][1]
                    if up == "1" and query(base, 'scrape_samples_scraped{job="kvmsched"}'):
                        break
            except OSError:
                pass
            time.sleep(0.5)
        report(up == "1", "Prometheus scraped %s/metrics: up %s" % (target, up),
               open(os.path.join(tmp, "prometheus.log")).read()[-2000:])
        if up != "1":
            return
        n = query(base, 'scrape_samples_scraped{job="kvmsched"}')
        n = int(float(n[0]["value"][1])) if n else -1
        report(n == len(want), "it took %d samples, the file has %d" % (n, len(want)))
        got = {}
        for r in query(base, '{job="kvmsched",__name__=~".+"}'):
            m = dict(r["metric"])
            name = m.pop("__name__")
            m.pop("job", None)
            m.pop("instance", None)
            got[(name, frozenset(m.items()))] = float(r["value"][1])
        missing = [k for k in want if k not in got]
        report(not missing, "every sample of the file is a series in Prometheus (%d)" % len(got),
               "\n".join("%s %s" % (k[0], dict(k[1])) for k in missing))
        wrong = [(k, want[k], got[k]) for k in want if k in got and
                 not (want[k] == got[k] or (want[k] != want[k] and got[k] != got[k]))]
        report(not wrong, "and has the value the file has",
               "\n".join("%s %s: file %s, Prometheus %s" % (k[0], dict(k[1]), a, b) for k, a, b in wrong))
        names = sorted({dict(k[1])["vm_name"] for k in want if "vm_name" in dict(k[1])})
        for name in names:
            sel = 'kvmsched_vm_info{vm_name=%s}' % json.dumps(name)
            r = query(base, sel)
            report(len(r) == 1 and r[0]["metric"].get("vm_name") == name,
                   "the label vm_name %r comes back as it was (query %s)" % (name, sel), r)
    finally:
        prom.terminate()
        try:
            prom.wait(timeout=10)
        except subprocess.TimeoutExpired:
            prom.kill()
            prom.wait()
        srv.shutdown()
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
    sys.exit(1 if fails else 0)
