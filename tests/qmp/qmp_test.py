#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks of kvmtest's QMP endpoint and balloon stand-in (qmp-endpoint.c),
memhog, and kvmtest's -m/-qmp options; run by qmp-test.sh, which builds
the fixtures first:

    python3 tests/qmp/qmp_test.py tests/fixtures

argv[1] is the directory holding the built fixtures (qmp-selftest, memhog,
kvmtest).  Prints one line per check (ok - ... / not ok - ...), then
"qmp-endpoint: N passed, N failed"; exits 1 if any failed.
"""
import atexit, json, os, shutil, queue, signal, socket, subprocess, sys, tempfile, threading, time

BIN = sys.argv[1]
MIB = 1 << 20
passed = failed = 0
tmp = tempfile.mkdtemp(prefix="qmp-test.")


def check(cond, what, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print("ok - " + what)
    else:
        failed += 1
        print("not ok - " + what + (" (" + str(detail) + ")" if detail != "" else ""))
    sys.stdout.flush()
    return cond


def skip(what, why):
    print("ok - %s # SKIP %s" % (what, why))


def wait_until(fn, timeout=10.0, step=0.05):
    end = time.time() + timeout
    while True:
        v = fn()
        if v or time.time() > end:
            return v
        time.sleep(step)


def rss_mib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return -1


procs = []


def cleanup():
    for pr in procs:
        if pr.p.poll() is None:
            pr.p.kill()
            pr.p.wait()
    shutil.rmtree(tmp, ignore_errors=True)


atexit.register(cleanup)


class Proc:
    """A child whose stdout JSON lines are collected by a thread."""

    def __init__(self, argv):
        self.p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE)
        self.q = queue.Queue()
        self.lines = []
        procs.append(self)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.p.stdout:
            try:
                self.q.put(json.loads(line))
            except ValueError:
                self.q.put({"raw": line.decode(errors="replace")})
        self.q.put(None)

    def next(self, timeout=30):
        try:
            o = self.q.get(timeout=timeout)
        except queue.Empty:
            return None
        if o is not None:
            self.lines.append(o)
        return o

    def wait_event(self, ev, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            o = self.next(max(0.1, end - time.time()))
            if o is None:
                return None
            if o.get("event") == ev:
                return o
        return None

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.p.poll() is None:
            self.p.send_signal(sig)
        try:
            rc = self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            rc = self.p.wait()
        while self.next(timeout=2) is not None:
            pass
        return rc


class QMP:
    def __init__(self, path, negotiate=True):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(10)
        self.s.connect(path)
        self.buf = b""
        self.events = []
        self.greeting_raw = self.line()
        self.greeting = json.loads(self.greeting_raw)
        if negotiate:
            r = self.cmd("qmp_capabilities")
            assert r == {"return": {}}, r

    def line(self, timeout=10):
        self.s.settimeout(timeout)
        while b"\n" not in self.buf:
            d = self.s.recv(65536)
            if not d:
                raise EOFError("connection closed")
            self.buf += d
        line, self.buf = self.buf.split(b"\n", 1)
        return line + b"\n"

    def obj(self, timeout=10):
        return json.loads(self.line(timeout))

    def send(self, data):
        self.s.sendall(data if isinstance(data, bytes) else json.dumps(data).encode())

    def reply(self, timeout=10):
        while True:
            o = self.obj(timeout)
            if "event" in o:
                self.events.append(o)
                continue
            return o

    def cmd(self, name, args=None, id=None):
        req = {"execute": name}
        if args is not None:
            req["arguments"] = args
        if id is not None:
            req["id"] = id
        self.send(req)
        return self.reply()

    def collect_events(self, seconds):
        end = time.time() + seconds
        while time.time() < end:
            try:
                o = self.obj(max(0.05, end - time.time()))
            except (socket.timeout, TimeoutError):
                break
            if "event" in o:
                self.events.append(o)

    def close(self):
        self.s.close()


def err(r, cls=None, desc=None):
    e = r.get("error")
    return (isinstance(e, dict) and "return" not in r and (cls is None or e.get("class") == cls)
            and (desc is None or e.get("desc") == desc))


GREETING = (b'{"QMP": {"version": {"qemu": {"micro": 0, "minor": 0, "major": 8}, '
            b'"package": "kvmtest"}, "capabilities": []}}\r\n')
ANON = "/machine/peripheral-anon"
DEV = ANON + "/device[0]"
STATS = ["stat-swap-in", "stat-swap-out", "stat-major-faults", "stat-minor-faults",
         "stat-free-memory", "stat-total-memory", "stat-available-memory",
         "stat-disk-caches", "stat-htlb-pgalloc", "stat-htlb-pgfail"]

RAM = 256
USED = 32


def endpoint_tests():
    sock = os.path.join(tmp, "qmp.sock")
    vmm = Proc([os.path.join(BIN, "qmp-selftest"), "-m", str(RAM), "--used-mib", str(USED),
                "-qmp", "unix:%s,server=on,wait=off" % sock])
    ready = vmm.wait_event("ready")
    if not check(ready is not None and ready.get("mem_mib") == RAM and ready.get("qmp") == sock,
                 "qmp-selftest: ready line with mem_mib and qmp", ready):
        vmm.stop()
        return
    pid = ready["pid"]
    check(rss_mib(pid) >= RAM * 0.95, "guest RAM resident at start: VmRSS %.0f MiB >= %d MiB"
          % (rss_mib(pid), RAM))

    # greeting, negotiation
    c = QMP(sock, negotiate=False)
    check(c.greeting_raw == GREETING, "greeting is QEMU 8's, package kvmtest", c.greeting_raw)
    r = c.cmd("query-balloon", id="early")
    check(err(r, "CommandNotFound", "Expecting capabilities negotiation with 'qmp_capabilities'")
          and r.get("id") == "early", "commands before qmp_capabilities: CommandNotFound", r)
    r = c.cmd("qmp_capabilities", id=7)
    check(r == {"return": {}, "id": 7}, "qmp_capabilities -> {} with id carried back", r)
    r = c.cmd("qmp_capabilities")
    check(err(r, "CommandNotFound"), "second qmp_capabilities: CommandNotFound", r)
    r = c.cmd("query-version", id={"a": [1, "x"]})
    check(r.get("return") == {"qemu": {"micro": 0, "minor": 0, "major": 8}, "package": "kvmtest"}
          and r.get("id") == {"a": [1, "x"]}, "query-version, structured id", r)
    r = c.cmd("query-status")
    check(r.get("return", {}).get("running") is True, "query-status running", r)
    r = c.cmd("query-memory-size-summary")
    check(r.get("return") == {"base-memory": RAM * MIB, "plugged-memory": 0},
          "query-memory-size-summary base-memory = guest RAM", r)
    r = c.cmd("query-commands")
    names = {x.get("name") for x in r.get("return", [])}
    check({"balloon", "query-balloon", "qom-list", "qom-get", "qom-set"} <= names,
          "query-commands lists the balloon commands", r)
    r = c.cmd("no-such-command", id=3)
    check(err(r, "CommandNotFound", "The command no-such-command has not been found")
          and r.get("id") == 3, "unknown command: CommandNotFound, id", r)
    r = c.cmd("query-balloon")
    check(r == {"return": {"actual": RAM * MIB}}, "query-balloon actual = guest RAM", r)

    # QOM
    r = c.cmd("qom-list", {"path": ANON})
    lst = r.get("return", [])
    check({"name": "device[0]", "type": "child<virtio-balloon-pci>"} in lst
          and all(not x["type"].startswith("child<") or x["name"] == "device[0]" for x in lst),
          "qom-list peripheral-anon: device[0] child<virtio-balloon-pci>", r)
    r = c.cmd("qom-list", {"path": "/machine/peripheral"})
    check("return" in r and not [x for x in r["return"] if x["type"].startswith("child<")],
          "qom-list peripheral: no devices", r)
    r = c.cmd("qom-list", {"path": "/machine/nothing"})
    check(err(r, "DeviceNotFound", "Device '/machine/nothing' not found"),
          "qom-list of a missing path: DeviceNotFound", r)
    r = c.cmd("qom-list", {"path": DEV})
    check({"name": "guest-stats-polling-interval", "type": "int"} in r.get("return", []),
          "qom-list of the balloon lists its properties", r)
    r = c.cmd("qom-list", {})
    check(err(r, "GenericError", "Parameter 'path' is missing"), "qom-list without path", r)
    r = c.cmd("qom-get", {"path": DEV, "property": "guest-stats"})
    st = r.get("return", {})
    check(st.get("last-update") == 0 and sorted(st.get("stats", {})) == sorted(STATS)
          and all(v == -1 for v in st["stats"].values()),
          "guest-stats before polling: all -1, last-update 0", r)
    r = c.cmd("qom-get", {"path": DEV, "property": "guest-stats-polling-interval"})
    check(r == {"return": 0}, "guest-stats-polling-interval is 0 at start", r)
    r = c.cmd("qom-set", {"path": DEV, "property": "guest-stats-polling-interval", "value": -1})
    check(err(r, "GenericError"), "qom-set polling interval -1: GenericError", r)
    r = c.cmd("qom-set", {"path": DEV, "property": "guest-stats-polling-interval", "value": 1})
    check(r == {"return": {}}, "qom-set guest-stats-polling-interval 1", r)
    r = c.cmd("qom-get", {"path": DEV, "property": "guest-stats-polling-interval"})
    check(r == {"return": 1}, "qom-get guest-stats-polling-interval -> 1", r)
    time.sleep(0.1)
    r = c.cmd("qom-get", {"path": DEV, "property": "guest-stats"})
    st = r.get("return", {})
    s = st.get("stats", {})
    check(abs(st.get("last-update", 0) - time.time()) < 5 and s.get("stat-total-memory") == RAM * MIB
          and s.get("stat-free-memory") == (RAM - USED) * MIB
          and s.get("stat-available-memory") == (RAM - USED) * MIB and s.get("stat-swap-in") == 0,
          "guest-stats after polling on: total = actual, free = avail = actual - used", r)
    r = c.cmd("qom-get", {"path": DEV, "property": "nope"})
    check(err(r, "GenericError"), "qom-get of a missing property: GenericError", r)
    r = c.cmd("qom-set", {"path": "/machine/peripheral/x", "property":
                          "guest-stats-polling-interval", "value": 1})
    check(err(r, "DeviceNotFound"), "qom-set on a missing device: DeviceNotFound", r)

    # balloon argument errors
    for args, what in (({"value": 0}, "0"), ({"value": -4096}, "negative"),
                       ({}, "missing"), ({"value": "1G"}, "a string"),
                       ({"value": 1, "x": 1}, "an extra argument")):
        r = c.cmd("balloon", args)
        check(err(r, "GenericError"), "balloon with value %s: GenericError" % what, r)
    check(c.cmd("query-balloon") == {"return": {"actual": RAM * MIB}},
          "failed balloon commands change nothing")

    # framing
    c.send(b'{"execute": "query-balloon", "id": "batch1"}\n{"execute": "query-version", '
           b'"id": "batch2"}{"execute":"query-status","id":"batch3"}')
    ids = [c.reply().get("id") for _ in range(3)]
    check(ids == ["batch1", "batch2", "batch3"], "three requests in one write: three replies in order",
          ids)
    req = b'{"execute": "query-balloon", "id": "split"}'
    for i in range(len(req)):
        c.send(req[i:i + 1])
        if i % 8 == 0:
            time.sleep(0.005)
    r = c.reply()
    check(r.get("id") == "split" and "return" in r, "request written a byte at a time", r)
    c.send(b'{"execute": "query-balloon"} {"execu')
    r = c.reply()
    c.send(b'te": "query-version", "id": 9}')
    r2 = c.reply()
    check("return" in r and r2.get("id") == 9, "request split across writes after a complete one", r2)
    c.send(b'[1, 2]\n')
    r = c.reply()
    check(err(r, "GenericError", "QMP input must be a JSON object"), "non-object: GenericError", r)
    c.send(b'{"execute": }\n')
    r = c.reply()
    check(err(r, "GenericError") and "JSON parse error" in r["error"]["desc"],
          "malformed JSON: GenericError JSON parse error", r)
    check(c.cmd("query-balloon", id=11).get("id") == 11, "connection usable after a parse error")
    r = c.cmd("query-balloon", {"x": 1})
    check(err(r, "GenericError", "Parameter 'x' is unexpected"), "unexpected argument", r)
    c.send({"arguments": {}})
    r = c.reply()
    check(err(r, "GenericError"), "request without execute: GenericError", r)

    # hang-ups
    h = QMP(sock)
    h.send(b'{"execute": "balloon", "arguments": {"val')
    h.close()
    h = QMP(sock, negotiate=False)
    h.send(b'{"execute": "qmp_capabilities"}' + b'{"execute": "query-status"}' * 200)
    h.close()
    time.sleep(0.2)
    check(vmm.p.poll() is None and c.cmd("query-balloon") == {"return": {"actual": RAM * MIB}},
          "clients hanging up mid-command or unread: endpoint lives on, state unchanged")
    c2 = QMP(sock)
    check(c2.cmd("query-balloon", id="c2").get("id") == "c2", "a second concurrent client")
    quiet = QMP(sock, negotiate=False)

    # inflate
    rss0 = rss_mib(pid)
    target = 64 * MIB
    t0 = time.time()
    r = c.cmd("balloon", {"value": target}, id="inflate")
    check(r == {"return": {}, "id": "inflate"}, "balloon 64 MiB -> {}", r)
    a1 = c.cmd("query-balloon")["return"]["actual"]
    check(target < a1 <= RAM * MIB, "actual moves at a bounded rate (just after: %d MiB)"
          % (a1 // MIB))
    done = wait_until(lambda: c2.cmd("query-balloon")["return"]["actual"] == target, 15)
    t1 = time.time() - t0
    check(done and t1 >= 0.2, "actual reaches the target (%.2f s for 192 MiB)" % t1)
    rss1 = wait_until(lambda: rss_mib(pid) if rss_mib(pid) < rss0 - 150 else 0, 5) or rss_mib(pid)
    check(rss1 < rss0 - 150, "VmRSS drops after the inflate: %.0f -> %.0f MiB" % (rss0, rss1))
    c.collect_events(1.5)
    ev = [e for e in c.events if e.get("event") == "BALLOON_CHANGE"]
    check(ev and ev[-1].get("data") == {"actual": target}
          and set(ev[-1].get("timestamp", {})) == {"seconds", "microseconds"},
          "BALLOON_CHANGE events, the last with actual = target", ev)
    times = [e["timestamp"]["seconds"] + e["timestamp"]["microseconds"] / 1e6 for e in ev]
    check(len(ev) >= 1 and all(b - a >= 0.9 for a, b in zip(times, times[1:])),
          "BALLOON_CHANGE rate limited to one per second (%d events)" % len(ev), times)
    c2.collect_events(0.1)
    check([e for e in c2.events if e.get("event") == "BALLOON_CHANGE"],
          "events reach every negotiated client")
    quiet.s.setblocking(False)
    try:
        got = quiet.s.recv(65536)
    except BlockingIOError:
        got = b""
    check(b"BALLOON_CHANGE" not in got, "no events before qmp_capabilities", got)
    quiet.close()
    time.sleep(1.1)
    r = c.cmd("qom-get", {"path": DEV, "property": "guest-stats"})
    s = r.get("return", {}).get("stats", {})
    check(s.get("stat-total-memory") == target and s.get("stat-free-memory") == target - USED * MIB,
          "guest stats follow actual (total 64 MiB, free 64 - used)", r)
    check(c.cmd("x-kvmtest-set-used", {"bytes": 100 * MIB}) == {"return": {}},
          "x-kvmtest-set-used 100 MiB")
    time.sleep(1.1)
    s = c.cmd("qom-get", {"path": DEV, "property": "guest-stats"})["return"]["stats"]
    check(s.get("stat-free-memory") == 0 and s.get("stat-available-memory") == 0,
          "free memory is 0 when used > actual", s)
    c.cmd("x-kvmtest-set-used", {"bytes": USED * MIB})

    # unaligned value rounds to pages as QEMU; then deflate, clamped to guest RAM
    c.cmd("balloon", {"value": 100 * MIB + 1})
    ok = wait_until(lambda: c.cmd("query-balloon")["return"]["actual"] == 100 * MIB + 4096, 10)
    check(ok, "balloon 100 MiB + 1 byte -> actual 100 MiB + 4 KiB (whole pages)")
    rss2 = rss_mib(pid)
    r = c.cmd("balloon", {"value": 1 << 40})
    check(r == {"return": {}}, "balloon 1 TiB (more than guest RAM) -> {}", r)
    ok = wait_until(lambda: c.cmd("query-balloon")["return"]["actual"] == RAM * MIB, 10)
    check(ok, "deflate clamped to guest RAM: actual = 256 MiB")
    rss3 = rss_mib(pid)
    check(rss3 > rss2 + 100, "VmRSS rises after the deflate: %.0f -> %.0f MiB" % (rss2, rss3))
    c.collect_events(1.5)
    check(c.events[-1].get("data") == {"actual": RAM * MIB}, "last event reports the deflate",
          c.events[-1:])
    c.close()
    c2.close()

    rc = vmm.stop()
    done = [o for o in vmm.lines if o.get("event") == "done"]
    check(rc == 0 and done and not os.path.exists(sock),
          "SIGTERM: clean exit, socket removed", (rc, vmm.p.stderr.read()))


def no_balloon_tests():
    sock = os.path.join(tmp, "nob.sock")
    vmm = Proc([os.path.join(BIN, "qmp-selftest"), "-m", "16", "--qmp-no-balloon",
                "-qmp", "unix:%s,server,nowait" % sock])
    ready = vmm.wait_event("ready")
    if not check(ready is not None, "-qmp unix:PATH,server,nowait accepted", vmm.p.stderr):
        vmm.stop()
        return
    c = QMP(sock)
    want = {"error": {"class": "DeviceNotActive", "desc": "No balloon device has been activated"}}
    check(c.cmd("balloon", {"value": MIB}) == want, "--qmp-no-balloon: balloon -> DeviceNotActive")
    check(c.cmd("query-balloon") == want, "--qmp-no-balloon: query-balloon -> DeviceNotActive")
    r = c.cmd("qom-list", {"path": ANON})
    check("return" in r and not [x for x in r["return"] if x["type"].startswith("child<")],
          "--qmp-no-balloon: qom-list peripheral-anon has no device", r)
    r = c.cmd("qom-get", {"path": DEV, "property": "guest-stats"})
    check(err(r, "DeviceNotFound"), "--qmp-no-balloon: qom-get guest-stats -> DeviceNotFound", r)
    c.close()
    vmm.stop()

    sock = os.path.join(tmp, "id.sock")
    vmm = Proc([os.path.join(BIN, "qmp-selftest"), "-m", "16", "--qmp-balloon-id", "balloon0",
                "-qmp", "unix:%s,wait=off,server=on" % sock])
    if vmm.wait_event("ready"):
        c = QMP(sock)
        r = c.cmd("qom-list", {"path": "/machine/peripheral"})
        check({"name": "balloon0", "type": "child<virtio-balloon-pci>"} in r.get("return", []),
              "--qmp-balloon-id: /machine/peripheral/balloon0", r)
        r = c.cmd("qom-get", {"path": "/machine/peripheral/balloon0", "property": "guest-stats"})
        check("return" in r, "--qmp-balloon-id: guest-stats at the named path", r)
        c.close()
    else:
        check(False, "--qmp-balloon-id, options in another order")
    vmm.stop()

    for bad in ("unix:%s" % sock, "unix:%s,server=on" % sock, "tcp:localhost:4444,server,nowait",
                "unix:%s,server=on,wait=on" % sock):
        p = subprocess.run([os.path.join(BIN, "qmp-selftest"), "-m", "16", "-qmp", bad],
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=10)
        check(p.returncode != 0 and b"bad -qmp" in p.stderr, "-qmp %s rejected" % bad, p.stderr)


def memhog_tests():
    h = Proc([os.path.join(BIN, "memhog"), "64"])
    r = h.wait_event("ready")
    check(r and r.get("mib") == 64 and rss_mib(h.p.pid) >= 63,
          "memhog 64: ready, VmRSS %.0f MiB" % rss_mib(h.p.pid), r)
    check(h.stop() == 0, "memhog exits 0 on SIGTERM")
    h = Proc([os.path.join(BIN, "memhog"), "8", "--hold-seconds", "0.3"])
    check(h.wait_event("ready") and h.p.wait(10) == 0, "memhog --hold-seconds: exits by itself")
    with open("/proc/meminfo") as f:
        mi = {l.split(":")[0]: int(l.split()[1]) for l in f}
    pct = 100.0 * mi["MemAvailable"] / mi["MemTotal"]
    goal = max(pct - 1.0, 0)	# about 1 % of RAM, at most 1 GiB
    h = Proc([os.path.join(BIN, "memhog"), "--to-avail-pct", "%.2f" % goal, "--max-mib", "1024"])
    r = h.wait_event("ready", 60)
    # Other processes free memory too (a busy CI machine): memhog's report is
    # read after it reached the goal, so allow 0.5 % of RAM back; without
    # memhog, MemAvailable would sit 1 % above the goal and still fail.
    ok = r and (r["mem_available_kb"] * 100.0 <= (goal + 0.5) * r["mem_total_kb"] or r["mib"] >= 1020)
    check(ok, "memhog --to-avail-pct %.1f: MemAvailable at the goal (%s MiB)"
          % (goal, r and r["mib"]), r)
    h.stop()


def threads(pid):
    """comm of every thread we created (not KVM's own workers, e.g. kvm-nx-lpage-re)"""
    out = []
    for t in os.listdir("/proc/%d/task" % pid):
        with open("/proc/%d/task/%s/comm" % (pid, t)) as f:
            out.append(f.read().strip())
    return [n for n in out if not n.startswith("kvm-")]


def kvm_usable():
    try:
        os.close(os.open("/dev/kvm", os.O_RDWR))
        return True
    except OSError:
        return False


def kvmtest_tests():
    kt = os.path.join(BIN, "kvmtest")
    if not kvm_usable():
        skip("kvmtest with -m and -qmp", "no usable /dev/kvm")
        return
    # unchanged without the new options
    v = Proc([kt, "--seconds", "2", "2:idle"])
    r = v.wait_event("ready")
    names = threads(r["pid"]) if r else []
    check(r and set(r) == {"event", "vm", "pid", "vcpus", "tids"}
          and names.count("kvmtest") == 3 and not [n for n in names if n.startswith("qmp")],
          "kvmtest without -m/-qmp: same ready line, no QMP thread", (r, names))
    check(v.p.wait(30) == 0 and v.wait_event("vm_done", 5) is not None,
          "kvmtest without -m/-qmp: runs and reports as before")

    sock = os.path.join(tmp, "vm.sock")
    qarg = "unix:%s,server=on,wait=off" % sock
    v = Proc([kt, "--seconds", "0", "-m", "128", "-qmp", qarg, "1:idle", "2:halt@10"])
    rs = [v.wait_event("ready", 60), v.wait_event("ready", 60)]
    if not check(all(rs), "kvmtest -m 128 -qmp with two VMs: both ready", v.p.stderr):
        v.stop()
        return
    rs.sort(key=lambda o: o["vm"])
    check(rs[0].get("mem_mib") == 128 and rs[0].get("qmp") == sock
          and rs[1].get("qmp") == sock + ".1", "ready lines: mem_mib, qmp PATH and PATH.1", rs)
    pids = [o["pid"] for o in rs]
    check(all(rss_mib(p) >= 125 for p in pids),
          "guest RAM resident in both VMs (%s MiB)" % [round(rss_mib(p)) for p in pids])
    cmd = []
    for p in pids:
        with open("/proc/%d/cmdline" % p, "rb") as f:
            cmd.append(f.read().split(b"\0"))
    check(b"-qmp" in cmd[0] and qarg.encode() in cmd[0]
          and ("unix:%s.1,server=on,wait=off" % sock).encode() in cmd[1]
          and cmd[1][cmd[1].index(b"-qmp") + 1] == ("unix:%s.1,server=on,wait=off" % sock).encode(),
          "/proc/PID/cmdline of each VM names its own socket after -qmp", cmd)
    comms = [open("/proc/%d/comm" % p).read().strip() for p in pids]
    check(comms == ["kvmtest", "kvmtest"], "re-executed VMs keep comm kvmtest", comms)
    names = threads(pids[0])
    check(names.count("kvmtest") == 2 and "qmp-server" in names and "qmp-balloon" in names,
          "VM process: main, 1 vCPU, qmp-server and qmp-balloon threads", names)
    c0, c1 = QMP(sock), QMP(sock + ".1")
    rss = rss_mib(pids[1])
    check(c1.cmd("balloon", {"value": 16 * MIB}) == {"return": {}}, "balloon VM 1 to 16 MiB")
    ok = wait_until(lambda: c1.cmd("query-balloon")["return"]["actual"] == 16 * MIB, 15)
    rss1 = rss_mib(pids[1])
    check(ok and rss1 < rss - 100, "VM 1 VmRSS drops: %.0f -> %.0f MiB" % (rss, rss1))
    check(c0.cmd("query-balloon")["return"]["actual"] == 128 * MIB and rss_mib(pids[0]) >= 125,
          "VM 0 untouched")
    c1.cmd("balloon", {"value": 128 * MIB})
    ok = wait_until(lambda: c1.cmd("query-balloon")["return"]["actual"] == 128 * MIB, 15)
    check(ok and rss_mib(pids[1]) >= 125, "VM 1 deflates, VmRSS back to %.0f MiB" % rss_mib(pids[1]))
    c0.close()
    c1.close()
    rc = v.stop()
    done = [o for o in v.lines if o.get("event") == "vm_done"]
    check(rc == 0 and len(done) == 2 and not os.path.exists(sock) and not os.path.exists(sock + ".1"),
          "SIGTERM: both VMs report vm_done, sockets removed", (rc, done))


for fn in (endpoint_tests, no_balloon_tests, memhog_tests, kvmtest_tests):
    try:
        fn()
    except Exception as e:  # a crash counts as one failed check
        check(False, "%s raised %s: %s" % (fn.__name__, type(e).__name__, e))

print("qmp-endpoint: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
