#!/bin/sh
# vmrun: --qemu --mem 512
# e2e-debug: skip real QEMU (SeaBIOS) found, named and set by the daemon: the module paths guest-basic and guest-policy drive here with kvmtest; ~180 s the debug lane cannot spare
# End-to-end test with real QEMU (this machine's qemu-system-x86_64, put in
# the sandbox KVM host by vmrun --qemu) started the way libvirt starts it:
# "-name guest=NAME,debug-threads=on -uuid UUID -machine pc,accel=kvm
# -m 32 -nodefaults -no-user-config" and a QMP monitor, in the background
# (libvirt does not use -daemonize). No disk, no kernel: SeaBIOS finds no
# boot device and halts, which is enough, since its vCPU threads
# ("CPU n/KVM") go through KVM_RUN and kvm_entry. Each QEMU takes ~35 MiB
# RSS and 0.5-6 s to open its monitor under TCG (the debug kernel: 3-11 s).
#   policy file -> daemon (kvmschedctl balloond --config) -> vm-set
#   -> sysfs, kvmschedctl list -j and the QEMU threads themselves show it.
# VMs: web1 (2 vCPUs, rule 1 by name), db1 (1 vCPU, rule 2 by uuid) run
# before the daemon starts; db1 is then SIGKILLed and must disappear
# cleanly; batch1 (3 vCPUs, libvirt's -chardev/-mon monitor and a
# virtio-balloon, rule 3 by a command-line glob) and a restarted db1 (same
# name and uuid, a new VM id) come later and are matched on vm-add; web2
# (rule 4, glob "web*", so not rule 1) starts paused (-S) and is continued
# over QMP, as libvirt does: it appears when its vCPU first runs.
. /kvmsched/lib.sh
echo "KTAP version 1"
POL=/tmp/policy
LOG=/tmp/kd.log
PIDF=/tmp/kd.pid
U_WEB1=6e1d7c4a-0000-4000-8000-00000000a001
U_DB1=6e1d7c4a-0000-4000-8000-00000000d001
U_BATCH1=6e1d7c4a-0000-4000-8000-00000000b001
U_WEB2=6e1d7c4a-0000-4000-8000-00000000a002
mkdir -p $POL

# qemu_start NAME UUID SMP ARGS...: one QEMU with libvirt's identity
# options first, in the background (as libvirt runs it: no -daemonize,
# which -sandbox spawn=deny would kill); returns once its QMP socket
# (/run/NAME.qmp or .mon) is there. Sets P_NAME and QSTART_MS.
qemu_start() {
	_n=$1 _u=$2 _c=$3
	shift 3
	_t0=$(now_cs)
	rm -f "/run/$_n.qmp" "/run/$_n.mon"
	qemu-system-x86_64 -name "guest=$_n,debug-threads=on" -uuid "$_u" \
		-m 32 -smp "$_c" -nodefaults -no-user-config -nographic \
		-display none "$@" > "/tmp/$_n.err" 2>&1 &
	eval "P_$_n=$!"
	waitq 6000 sh -c "[ -S /run/$_n.qmp ] || [ -S /run/$_n.mon ] || ! kill -0 $!" &&
		kill -0 $! || { info "qemu $_n: $(cat "/tmp/$_n.err")"; return 1; }
	QSTART_MS=$(( ($(now_cs) - _t0) * 10 ))
}
# The libvirt-like VMs: web (-qmp), batch (-chardev + -mon, a balloon).
start_web() {
	_n=$1 _u=$2 _c=$3
	shift 3
	qemu_start "$_n" "$_u" "$_c" -machine pc,accel=kvm -cpu host \
		-qmp "unix:/run/$_n.qmp,server=on,wait=off" "$@"
}
start_batch() {
	qemu_start "$1" "$2" "$3" \
		-machine pc-i440fx-7.2,usb=off,dump-guest-core=off -accel kvm \
		-cpu qemu64 -overcommit mem-lock=off \
		-chardev "socket,id=charmonitor,path=/run/$1.mon,server=on,wait=off" \
		-mon chardev=charmonitor,id=monitor,mode=control \
		-rtc base=utc -no-shutdown -boot strict=on \
		-device virtio-balloon-pci,id=balloon0,bus=pci.0,addr=0x4 \
		-sandbox on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny \
		-msg timestamp=on
}
pid_of() { eval "echo \$P_$1"; }
# vmf NAME FILE: a sysfs file of VM NAME; vm_is NAME FILE VALUE.
vmf() { cat "$(vm_dir "$(pid_of "$1")")/$2" 2>/dev/null; }
vm_is() { [ "$(vmf "$1" "$2")" = "$3" ]; }
# within CS NAME FILE VALUE: NAME's FILE reads VALUE within CS centiseconds.
within() { _cs=$1; shift; waitq "$_cs" vm_is "$@" || { info "$1 $2 is '$(vmf "$1" "$2")', want '$3'"; return 1; }; }
log_has() { grep -q -- "$1" $LOG || { info "not in the log: $1"; return 1; }; }
out_has() { echo "$out" | grep -q -- "$1" || { info "not in the output: $1"; return 1; }; }

# qemu_vcpu_tids NAME: QEMU's own vCPU threads ("CPU n/KVM"), sorted.
qemu_vcpu_tids() {
	for _t in /proc/"$(pid_of "$1")"/task/*; do
		case $(cat "$_t/comm" 2>/dev/null) in "CPU "*/KVM) echo "${_t##*/}" ;; esac
	done | sort -n | tr '\n' ' '
}
# vm_vcpu_tids NAME: the vCPU threads kvmsched tracks, sorted.
vm_vcpu_tids() { cat "$(vm_dir "$(pid_of "$1")")"/vcpus/*/tid 2>/dev/null | sort -n | tr '\n' ' '; }
# tracked NAME SMP: kvmsched tracks SMP vCPUs, exactly QEMU's CPU threads.
tracked() {
	_q=$(qemu_vcpu_tids "$1") _v=$(vm_vcpu_tids "$1")
	[ "$(vmf "$1" nr_vcpus)" = "$2" ] && [ "$(echo $_q | wc -w)" = "$2" ] && [ "$_q" = "$_v" ]
}
tracked_within() {
	if _cs=$(wait_until "$1" tracked "$2" "$3"); then
		info "$2: its $3 vCPUs tracked (waited $((_cs * 10)) ms)"
		return 0
	fi
	info "$2: nr_vcpus '$(vmf "$2" nr_vcpus)', want $3; QEMU's CPU threads: $(qemu_vcpu_tids "$2")-- kvmsched's: $(vm_vcpu_tids "$2")"
	return 1
}
# tstat NAME TID N: field N of the thread's /proc stat. Not lib.sh's
# thread_policy/thread_nice: QEMU's "CPU 0/KVM" has a space in its comm,
# so the fields are counted after the ") " that ends it.
tstat() { sed 's/.*) //' "/proc/$(pid_of "$1")/task/$2/stat" | awk -v n="$3" '{ print $(n - 2) }'; }
# threads_policy NAME POLICY: every QEMU vCPU thread has that policy
# (0 normal, 5 idle, 6 deadline).
threads_policy() {
	for _t in $(qemu_vcpu_tids "$1"); do
		[ "$(tstat "$1" "$_t" 41)" = "$2" ] || { info "$1 thread $_t: policy $(tstat "$1" "$_t" 41), want $2"; return 1; }
	done
}
# threads_nice NAME: the nice level sysfs shows for each vCPU is the QEMU
# thread's own.
threads_nice() {
	for _v in "$(vm_dir "$(pid_of "$1")")"/vcpus/*; do
		_t=$(cat "$_v/tid")
		[ "$(cat "$_v/nice")" = "$(tstat "$1" "$_t" 19)" ] || {
			info "$1 vcpu ${_v##*/}: sysfs nice $(cat "$_v/nice"), thread $_t $(tstat "$1" "$_t" 19)"
			return 1; }
	done
}
# json_vm ID: VM ID's object in the saved `kvmschedctl -j list` output.
json_vm() { sed 's/},{/}\n{/g' /tmp/list.json | grep "\"id\":$1,"; }
json_has() {
	json_vm "$1" | grep -q -- "$2" || { info "VM $1 in list -j: $(json_vm "$1"), want $2"; return 1; }
}

cat > $POL/kvmsched.conf <<EOC
# kvmsched policy for guest-qemu.sh
rules:
  - name: web1
    set: { weight: 400, limit_mcpu: 500 }
  - uuid: $(echo $U_DB1 | tr a-f A-F)
    set: { class: background, weight: 50 }
  - cmdline: "*qemu-system-x86_64 *-device virtio-balloon-pci,id=balloon0*"
    set: { weight: 250, mem_shares: 3000 }
  - name: "web*"
    set: { weight: 150 }
EOC

check "insmod kvmsched" load_kvmsched
out=$(kvmschedctl rules --check --config $POL 2>&1)
check "kvmschedctl rules --check accepts the policy" out_has "4 rules"
free_kb() { awk '/^MemAvailable:/ { print $2 }' /proc/meminfo; }
m0=$(free_kb)
check "start web1 (2 vCPUs, -cpu host, -qmp)" start_web web1 $U_WEB1 2
info "web1: pid $P_web1, QMP socket after $QSTART_MS ms"
check "start db1 (1 vCPU)" start_web db1 $U_DB1 1
info "db1: pid $P_db1, $QSTART_MS ms"
check "web1 tracked: 2 vCPUs, exactly QEMU's 'CPU n/KVM' threads" tracked_within 6000 web1 2
check "db1 tracked: 1 vCPU, QEMU's 'CPU 0/KVM' thread" tracked_within 6000 db1 1
info "MemAvailable dropped by $(( (m0 - $(free_kb)) / 1024 )) MiB for two QEMUs;" \
	"RSS web1 $(awk '/^VmRSS/ { print $2 }' /proc/$P_web1/status) kB," \
	"db1 $(awk '/^VmRSS/ { print $2 }' /proc/$P_db1/status) kB"
check "web1: comm qemu-system-x86 (the VMM's main thread)" vm_is web1 comm qemu-system-x86
check "web1: guest_mem_mib 32 (-m 32; memslots of a real QEMU, ROMs not counted)" within 1500 web1 guest_mem_mib 32
check "web1: unnamed before the daemon" vm_is web1 name ""
check "web1: weight 100 before the daemon" vm_is web1 weight 100

# -- the daemon applies the policy to the running VMs ---------------------------
kvmschedctl balloond -v --interval-ms 500 --config $POL --pid-file $PIDF > $LOG 2>&1 & BD=$!
check "web1 gets its QEMU name" within 500 web1 name web1
check "web1: rule 1 by name: weight 400" within 300 web1 weight 400
check "web1: rule 1: limit_mcpu 500" within 300 web1 limit_mcpu 500
check "db1 gets its QEMU name" within 500 db1 name db1
check "db1: rule 2 by uuid (upper case in the file): class background" within 300 db1 class background
check "db1: rule 2: weight 50" within 300 db1 weight 50
check "db1: its QEMU vCPU thread runs SCHED_IDLE" waitq 300 threads_policy db1 5
check "web1: bound by its limit" within 300 web1 bound limit
check "web1: its QEMU vCPU threads run SCHED_DEADLINE (the limit)" waitq 300 threads_policy web1 6
check "web1: sysfs nice is each QEMU vCPU thread's own" threads_nice web1
kvmschedctl -j list > /tmp/list.json 2>&1
sed 's/^/#   /' /tmp/list.json
I_WEB1=$(vm_id "$P_web1") I_DB1=$(vm_id "$P_db1")
check "list -j: web1 name, pid, comm, 2 vCPUs, shares, weight 400" json_has "$I_WEB1" \
	"\"id\":$I_WEB1,\"name\":\"web1\",\"pid\":$P_web1,\"comm\":\"qemu-system-x86\",\"nr_vcpus\":2,\"class\":\"shares\",\"weight\":400,"
check "list -j: db1 name, 1 vCPU, background, weight 50" json_has "$I_DB1" \
	"\"id\":$I_DB1,\"name\":\"db1\",\"pid\":$P_db1,\"comm\":\"qemu-system-x86\",\"nr_vcpus\":1,\"class\":\"background\",\"weight\":50,"

# -- SIGKILL: the VM goes away cleanly ------------------------------------------
n0=$(cat $KVMS/nr_vms)
kill -KILL "$P_db1"
check "db1 killed with SIGKILL: its sysfs directory goes" waitq 500 vm_absent "$P_db1"
check "nr_vms drops by one ($n0 -> $(cat $KVMS/nr_vms))" test "$(cat $KVMS/nr_vms)" = $((n0 - 1))
check "the daemon closes db1's QMP session" waitq 500 log_has "name db1, pid $P_db1): gone; session closed"
kvmschedctl -j list > /tmp/list.json 2>&1
check "list -j: db1 gone, web1 still there" sh -c "! grep -q '\"id\":$I_DB1,' /tmp/list.json && grep -q '\"id\":$I_WEB1,\"name\":\"web1\"' /tmp/list.json"
check "web1 unaffected: 2 vCPUs tracked, weight 400" sh -c "[ '$(vmf web1 nr_vcpus)' = 2 ] && [ '$(vmf web1 weight)' = 400 ]"

# -- QEMUs started later: vm-add ------------------------------------------------
check "start batch1 (3 vCPUs; -chardev/-mon monitor, virtio-balloon, -sandbox)" start_batch batch1 $U_BATCH1 3
info "batch1: pid $P_batch1, $QSTART_MS ms"
check "batch1 tracked: 3 vCPUs, exactly QEMU's CPU threads" tracked_within 6000 batch1 3
check "batch1 gets its QEMU name" within 500 batch1 name batch1
check "batch1: rule 3 by command-line glob: weight 250" within 300 batch1 weight 250
check "batch1: rule 3: mem_shares 3000" within 300 batch1 mem_shares 3000
check "restart db1 (same name and uuid)" start_web db1 $U_DB1 1
check "db1 again: tracked with 1 vCPU" tracked_within 6000 db1 1
check "db1 again: a new VM id ($I_DB1 -> $(vm_id "$P_db1"))" test "$(vm_id "$P_db1")" != "$I_DB1"
check "db1 again: named db1 (the dead VM's name is free)" within 500 db1 name db1
check "db1 again: rule 2: class background" within 300 db1 class background
check "db1 again: rule 2: weight 50" within 300 db1 weight 50
# libvirt starts QEMU paused (-S) and sends "cont" over QMP once set up:
# no vCPU enters the guest before, so kvmsched sees no VM. The test's own
# monitor is a FIFO pair (busybox has no unix-socket client); the daemon
# keeps the -qmp socket.
mkfifo /run/web2.ctl.in /run/web2.ctl.out
cat /run/web2.ctl.out > /tmp/web2.ctl.log & CATP=$!
check "start web2 (1 vCPU) paused, -S, with a second monitor" start_web web2 $U_WEB2 1 \
	-S -chardev pipe,id=ctl,path=/run/web2.ctl -mon chardev=ctl,mode=control
sleep 3
check "web2 paused: QEMU has its CPU thread ($(qemu_vcpu_tids web2)) but kvmsched no VM" \
	sh -c "[ -n '$(qemu_vcpu_tids web2)' ] && ! grep -qx '$P_web2' $KVMS/vms/*/pid"
printf '{"execute":"qmp_capabilities"}\n{"execute":"cont"}\n' > /run/web2.ctl.in
check "QMP cont: QEMU answers and resumes" waitq 500 grep -q '"event": "RESUME"' /tmp/web2.ctl.log
check "web2 continued: tracked with 1 vCPU" tracked_within 6000 web2 1
check "web2: rule 4 (glob web*), not rule 1: weight 150" within 500 web2 weight 150
check "web2: no limit (rule 1 did not apply)" vm_is web2 limit_mcpu 0
check "web2: its QEMU vCPU thread stays SCHED_NORMAL" threads_policy web2 0

# -- kvmschedctl rules names the matching rule ----------------------------------
out=$(kvmschedctl rules --config $POL 2>&1)
echo "$out" | sed 's/^/#   /'
check "rules: web1 -> rule 1 by name, in effect" out_has "name web1; command line: name web1, uuid $U_WEB1): rule 1 (.*, name .web1.): weight=400 limit_mcpu=500 \[in effect\]"
check "rules: db1 -> rule 2 by uuid, in effect" out_has "name db1; command line: name db1, uuid $U_DB1): rule 2 (.*, uuid .*): class=background weight=50 \[in effect\]"
check "rules: batch1 -> rule 3 by command line, in effect" out_has "name batch1; command line: name batch1, uuid $U_BATCH1): rule 3 (.*, cmdline .*): weight=250 mem_shares=3000 \[in effect\]"
check "rules: web2 -> rule 4 (web*), in effect" out_has "name web2; command line: name web2, uuid $U_WEB2): rule 4 (.*, name .web\*.): weight=150 \[in effect\]"
out=$(kvmschedctl -j rules --config $POL 2>&1)
echo "$out" | sed 's/^/#   /'
check "rules -j: batch1 matched rule 3" out_has "{\"id\":$(vm_id "$P_batch1"),\"pid\":$P_batch1,\"name\":\"batch1\",\"cmdline_name\":\"batch1\",\"uuid\":\"$U_BATCH1\",\"rule\":3,"
check "rules -j: batch1's rule is in effect" out_has "{\"id\":$(vm_id "$P_batch1"),[^{}]*\"differs\":null"

# -- QMP: the daemon talks to real QEMU monitors --------------------------------
check "QMP: the daemon connects to web1's -qmp socket (from its command line)" \
	waitq 500 log_has "pid $P_web1).*: QMP connected to /run/web1.qmp (QEMU [0-9]"
check "QMP: web1 has no balloon; QEMU says so and the daemon skips it" \
	waitq 500 log_has "pid $P_web1).*: QMP error DeviceNotActive: No balloon device has been activated; skipped"
check "QMP: the daemon connects to batch1's -chardev/-mon monitor" \
	waitq 500 log_has "pid $P_batch1).*: QMP connected to /run/batch1.mon (QEMU [0-9]"
check "QMP: the daemon finds batch1's virtio-balloon device" \
	waitq 1000 log_has "pid $P_batch1).*: balloon device /machine/peripheral/balloon0"
check "QMP: sets guest-stats-polling-interval on it" \
	waitq 500 log_has "pid $P_batch1).*: guest-stats-polling-interval 2 s"
check "the daemon logged no QMP session loss" sh -c "! grep -qi 'lost\|cannot connect\|timed out' $LOG"

kill -TERM $BD; wait $BD; rc=$?
check "the daemon exits 0 on SIGTERM (rc $rc)" test "$rc" = 0
info "daemon log:"
tail -n 40 $LOG | sed 's/^/#   /'
for v in web1 db1 batch1 web2; do kill -TERM "$(pid_of $v)" 2>/dev/null; done
kill $CATP 2>/dev/null
# gone NAME: QEMU NAME has exited (a zombie until this shell reaps it)
# and kvmsched has let its VM go.
gone() {
	_p=$(pid_of "$1")
	_cs=$(wait_until 3000 sh -c "! sed 's/.*) //' /proc/$_p/stat 2>/dev/null | grep -qv '^Z' && ! grep -qx $_p $KVMS/vms/*/pid") && {
		info "$1: gone after $((_cs * 10)) ms"; return 0; }
	info "$1 (pid $_p) still there after 30 s: VM dir '$(vm_dir "$_p")'"
	for _t in /proc/"$_p"/task/*; do
		info "  thread ${_t##*/} '$(cat "$_t/comm")': state $(sed 's/.*) //' "$_t/stat" | cut -d' ' -f1), policy $(sed 's/.*) //' "$_t/stat" | cut -d' ' -f39), wchan $(cat "$_t/wchan" 2>/dev/null)"
	done
	return 1
}
for v in web1 db1 batch1 web2; do check "$v: QEMU ends on SIGTERM and its VM goes" gone $v; done
wait
check "rmmod kvmsched" rmmod kvmsched
echo "1..$T"
exit $FAILED
