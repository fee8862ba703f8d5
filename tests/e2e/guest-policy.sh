#!/bin/sh
# vmrun: --mem 768
# End-to-end test of the persistent policy (kvmschedctl balloond --config)
# inside the sandbox KVM host. Each VM is the test VMM kvmtest started as
# /tmp/qemu-system-x86_64 (a symlink) with QEMU/libvirt arguments on its
# command line, "-name guest=NAME,debug-threads=on -uuid UUID", which the
# daemon reads from /proc/PID/cmdline:
#   policy file -> daemon -> vm-set (name, class, weight, limit, mem_shares)
#   -> sysfs shows it.
# VMs: A web1 (rule 1 by name), B batch1 (rule 2 by uuid), C db1 (rule 3, a
# cmdline glob), D web2 (rule 4, glob "web*"), E without any name (no
# rule). A and B run before the daemon starts, C, D, E after (vm-add). Then:
# SIGHUP and `kvmschedctl reload` with changed files, a bad file refused
# (old policy stays), rmmod + insmod (the daemon applies everything again),
# and a --dry-run daemon that must change nothing.
# libvirt's domain XML (--libvirt-dir, a temporary directory standing in for
# /run/libvirt/qemu): G db7 has a <domstatus> whose <metadata> kvmsched
# policy overrides rule 3's weight and adds a limit while rule 3's
# mem_shares stays; H web8's XML has a value out of range (refused: rule 4
# alone applies). Then a changed XML and a broken one on SIGHUP, another
# pid's XML, and rmmod + insmod again.
. /kvmsched/lib.sh
echo "KTAP version 1"
ST=/sys/kernel/kvmsched
POL=/tmp/policy
U_A=6e1d7c4a-0000-4000-8000-00000000a001
U_B=6E1D7C4A-0000-4000-8000-00000000B002
LOG=/tmp/kd.log
PIDF=/tmp/kd.pid
LV=/tmp/libvirt
U_G=6e1d7c4a-0000-4000-8000-00000000a007
mkdir -p $POL/conf.d $LV
ln -sf "$(command -v kvmtest)" /tmp/qemu-system-x86_64

# startq TAG ARGS...: one VM (1 vCPU, 5 % busy: it keeps entering the guest,
# so a reloaded module finds it again) under a QEMU-like command line.
startq() {
	_t=$1
	shift
	: > "/tmp/$_t.out"
	/tmp/qemu-system-x86_64 --seconds 0 "$@" 1:halt@5 > "/tmp/$_t.out" 2>&1 &
	eval "K_$_t=$!"
	wait_ready "/tmp/$_t.out" 1 || { info "VM $_t: $(cat "/tmp/$_t.out")"; return 1; }
	eval "P_$_t=$(jnum "$(grep -a '"event":"ready"' "/tmp/$_t.out")" pid)"
	eval "waitq 500 vm_present \$P_$_t"
}
# vmf TAG FILE: a sysfs file of VM TAG; vm_is TAG FILE VALUE: it reads VALUE.
vmf() { eval "cat \"\$(vm_dir \$P_$1)/$2\"" 2>/dev/null; }
vm_is() { [ "$(vmf "$1" "$2")" = "$3" ]; }
# within CS TAG FILE VALUE: VM TAG's FILE reads VALUE within CS centiseconds.
within() { _cs=$1; shift; waitq "$_cs" vm_is "$@" || { info "$1 $2 is '$(vmf "$1" "$2")', want '$3'"; return 1; }; }
log_has() { grep -q -- "$1" $LOG || { info "not in the log: $1"; return 1; }; }
out_has() { echo "$out" | grep -q -- "$1" || { info "not in the output: $1"; return 1; }; }
# all CMD1 -- CMD2 ...: every command (split at "--") succeeds, in order.
all() {
	_c=""
	for _a in "$@"; do
		if [ "$_a" = -- ]; then eval "$_c" || return 1; _c=""; else _c="$_c '$_a'"; fi
	done
	eval "$_c"
}
rmmod_retry() {
	_i=0
	while ! rmmod kvmsched 2>/dev/null; do
		_i=$((_i + 1)); [ $_i -ge 20 ] && return 1; sleep 0.5
	done
}

# write_xml NAME UUID PID BODY...: NAME's live XML as libvirt's QEMU driver
# writes it, BODY (one line each, from line 18) inside the kvmsched policy
# element; PID '' leaves the pid out (not known before the VMM starts).
write_xml() {
	_n=$1 _u=$2 _p=""
	[ -z "$3" ] || _p=" pid='$3'"
	shift 3
	{
		printf '%s\n' '<!--' \
			'WARNING: THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE' \
			'OVERWRITTEN AND LOST. Changes to this xml configuration should be made using:' \
			"  virsh edit $_n" 'or other application using the libvirt API.' '-->' ''
		echo "<domstatus state='running' reason='booted'$_p>"
		echo "  <monitor path='/var/lib/libvirt/qemu/domain-7-$_n/monitor.sock' type='unix'/>"
		printf '%s\n' '  <vcpus>' "    <vcpu id='0'/>" '  </vcpus>'
		echo "  <domain type='kvm' id='7'>"
		printf '    <name>%s</name>\n    <uuid>%s</uuid>\n    <metadata>\n' "$_n" "$_u"
		echo '      <kvmsched:policy xmlns:kvmsched="https://kvmsched.org/xmlns/policy/1">'
		for _l in "$@"; do echo "        $_l"; done
		echo '      </kvmsched:policy>'
		echo '      <nova:instance xmlns:nova="http://openstack.org/xmlns/libvirt/nova/1.1"><nova:weight>1</nova:weight></nova:instance>'
		printf '%s\n' '    </metadata>' "    <memory unit='KiB'>65536</memory>" '  </domain>' '</domstatus>'
	} > "$LV/$_n.xml"
}

# write_policy WEB1_WEIGHT: the policy (rule 1's weight varies).
write_policy() {
	cat > $POL/kvmsched.conf <<EOC
# kvmsched policy for guest-policy.sh
config:
  period_ms: 50
rules:
  - name: web1
    set: { weight: $1, limit_mcpu: 500 }
  - uuid: $U_B
    set:
      class: background
      weight: 50
EOC
	cat > $POL/conf.d/10-db.conf <<EOC
rules:
  - cmdline: "*qemu-system-x86_64 *-name guest=db*"
    set: { weight: 250, mem_shares: 3000 }
  - name: "web*"
    set: { weight: 150 }
EOC
}

write_policy 400
check "insmod kvmsched" load_kvmsched
out=$(kvmschedctl rules --check --config $POL 2>&1)
check "kvmschedctl rules --check accepts the policy" out_has "4 rules, 1 config key from 2 files"
check "start A (-name guest=web1,debug-threads=on -uuid)" startq A -name guest=web1,debug-threads=on -uuid $U_A
check "start B (-name guest=batch1,... -uuid, upper case)" startq B -name guest=batch1,debug-threads=on -uuid $U_B

# -- a dry run sets nothing ---------------------------------------------------------
kvmschedctl balloond --dry-run --config $POL --pid-file '' > /tmp/dry.log 2>&1 & DRY=$!
check "dry run: logs what rule 1 would set" waitq 500 grep -q "dry run: rule 1 .* would set weight=400 limit_mcpu=500 name=web1" /tmp/dry.log
kill -TERM $DRY; wait $DRY 2>/dev/null
check "dry run: A keeps weight 100 and no name" all vm_is A weight 100 -- vm_is A name ""
check "dry run: period_ms stays 100" file_is $ST/period_ms 100

# -- VMs already running when the daemon starts ------------------------------------------
kvmschedctl balloond --interval-ms 500 --config $POL --pid-file $PIDF --libvirt-dir $LV > $LOG 2>&1 & BD=$!
check "global config: period_ms 50" waitq 500 file_is $ST/period_ms 50
check "A gets its command-line name web1" within 300 A name web1
check "A: rule 1 by name: weight 400" within 300 A weight 400
check "A: rule 1: limit_mcpu 500" within 300 A limit_mcpu 500
check "B gets its name batch1" within 300 B name batch1
check "B: rule 2 by uuid (case-insensitive): class background" within 300 B class background
check "B: rule 2: weight 50" within 300 B weight 50

# -- VMs started later (vm-add events) ----------------------------------------------
check "start C (-name guest=db1,debug-threads=on)" startq C -name guest=db1,debug-threads=on
check "start D (-name web2,process=qemu-web2)" startq D -name web2,process=qemu-web2
check "start E (no -name)" startq E
check "C gets its name db1" within 300 C name db1
check "C: rule 3 by cmdline glob: weight 250" within 300 C weight 250
check "C: rule 3: mem_shares 3000" within 300 C mem_shares 3000
check "D gets its name web2" within 300 D name web2
check "D: rule 4 (glob web*), not rule 1: weight 150" within 300 D weight 150
check "D: no limit (rule 1 did not apply)" within 300 D limit_mcpu 0
# Two VMs of one VMM process share a command line, so its name: the first
# VM gets it, the other stays unnamed (names are unique) but still gets the
# rule's settings.
: > /tmp/T.out
/tmp/qemu-system-x86_64 --seconds 0 -name guest=webtwin 1:halt@5 1:halt@5 > /tmp/T.out 2>&1 &
K_T=$!
check "start two VMs in one VMM (-name guest=webtwin)" wait_ready /tmp/T.out 2
P_T1=$(jnum "$(grep -a '"event":"ready","vm":0,' /tmp/T.out)" pid)
P_T2=$(jnum "$(grep -a '"event":"ready","vm":1,' /tmp/T.out)" pid)
check "twin 1: rule 4 (weight 150)" within 500 T1 weight 150
check "twin 2: rule 4 (weight 150)" within 500 T2 weight 150
check "exactly one twin is named webtwin" test "$(vmf T1 name)/$(vmf T2 name)" = webtwin/ -o "$(vmf T1 name)/$(vmf T2 name)" = /webtwin
check "the other twin's name was refused and logged" log_has "without the command line's name set weight=150"
sleep 1
check "E: no name, nothing set (weight 100)" all vm_is E name "" -- vm_is E weight 100
out=$(kvmschedctl rules --config $POL 2>&1)
echo "$out" | sed 's/^/#   /'
check "rules: A matched rule 1, in effect" out_has "name web1; command line: name web1, uuid $U_A): rule 1 (.*, name .web1.): weight=400 limit_mcpu=500 \[in effect\]"
check "rules: B matched rule 2 by uuid" out_has "name batch1;.*: rule 2 (.*, uuid .$U_B.): class=background weight=50 \[in effect\]"
check "rules: E matched no rule" out_has "name -; command line: name -, uuid -): no rule"
out=$(kvmschedctl -j rules --config $POL 2>&1)
check "rules -j: A matched rule 1, in effect" out_has "{\"id\":$(vm_id "$P_A"),\"pid\":$P_A,\"name\":\"web1\",\"cmdline_name\":\"web1\",\"uuid\":\"$U_A\",\"rule\":1,\"differs\":null,\"libvirt\":null,\"libvirt_error\":null,\"set\":{\"weight\":400,\"limit_mcpu\":500},\"sources\":{\"weight\":\"$POL/kvmsched.conf:5\",\"limit_mcpu\":\"$POL/kvmsched.conf:5\"}}"
check "rules -j: the rules" out_has '"rules":\[{"index":1,"where":"/tmp/policy/kvmsched.conf:5","name":"web1","set":{"weight":400,"limit_mcpu":500}}'


# -- SIGHUP and reload with a changed file ---------------------------------------------
write_policy 700
kill -HUP $BD
check "SIGHUP: A's weight follows the file (700)" within 300 A weight 700
check "SIGHUP: logged" waitq 300 log_has "policy: reloaded $POL: 4 rules"
write_policy 800
out=$(kvmschedctl reload --pid-file $PIDF --config $POL 2>&1)
check "kvmschedctl reload signals the daemon" out_has "sent SIGHUP to the daemon (pid $BD)"
check "reload: A's weight 800" within 300 A weight 800

# -- a bad file is refused whole; the running policy stays ----------------------------
cat > $POL/conf.d/20-bad.conf <<EOC
rules:
  - name: other
    set: { weight: 0 }
EOC
out=$(kvmschedctl reload --pid-file $PIDF --config $POL 2>&1); rc=$?
check "reload refuses the bad file (rc $rc) with file:line:column and the range" all \
	test $rc = 1 -- out_has "$POL/conf.d/20-bad.conf:3:20: rule 5: weight: 0 is out of range (accepted: 1-10000); the daemon was not signalled"
write_policy 900	# would change A: must not happen
kill -HUP $BD
check "SIGHUP with a bad file: refused in the log, with the reason" waitq 300 log_has "reload refused: $POL/conf.d/20-bad.conf:3:20: rule 5: weight: 0 is out of range (accepted: 1-10000); keeping the running policy (4 rules)"
sleep 1
check "the running policy stays: A keeps weight 800" vm_is A weight 800
check "start F (-name web3) after the refused reload" startq F -name guest=web3
check "F gets the running policy's rule 4 (weight 150)" within 300 F weight 150
rm -f $POL/conf.d/20-bad.conf
write_policy 800

# -- libvirt domain XML: <metadata> over the file rule, key by key ------------------
check "the daemon reads libvirt XML from $LV" log_has "policy: libvirt domain XML from $LV/NAME.xml"
write_xml db7 $U_G "" "<kvmsched:weight>600</kvmsched:weight>" "<kvmsched:limit_mcpu>700</kvmsched:limit_mcpu>"
write_xml web8 6e1d7c4a-0000-4000-8000-00000000a008 "" "<kvmsched:weight>0</kvmsched:weight>"
check "start G (-name guest=db7 -uuid, metadata weight 600 limit 700)" startq G -name guest=db7,debug-threads=on -uuid $U_G
check "start H (-name guest=web8, metadata weight 0)" startq H -name guest=web8,debug-threads=on
check "G: the metadata's weight 600 overrides rule 3's 250" within 300 G weight 600
check "G: the metadata's limit_mcpu 700" within 300 G limit_mcpu 700
check "G: rule 3's mem_shares 3000 stays (not in the metadata)" within 300 G mem_shares 3000
check "G: named db7" within 300 G name db7
check "G: the log names the rule and the XML" log_has "rule 3 (.*) + libvirt $LV/db7.xml set weight=600 mem_shares=3000 limit_mcpu=700 name=db7"
check "H: bad metadata refused, rule 4 alone: weight 150" within 300 H weight 150
check "H: the refusal is logged with file:line:column, key and range" log_has "libvirt metadata refused: $LV/web8.xml:18:9: weight: 0 is out of range (accepted: 1-10000); the policy files alone apply"
out=$(kvmschedctl rules --config $POL --libvirt-dir $LV 2>&1)
echo "$out" | grep -A3 'db7\|web8' | sed 's/^/#   /'
check "rules: G is rule 3 + libvirt, in effect" out_has "name db7; .*: rule 3 (.*) + libvirt $LV/db7.xml: weight=600 mem_shares=3000 limit_mcpu=700 \[in effect\]"
check "rules: G's weight comes from the XML, line 18" out_has "^  weight=600 from libvirt $LV/db7.xml:18$"
check "rules: G's mem_shares comes from rule 3" out_has "^  mem_shares=3000 from rule 3 at $POL/conf.d/10-db.conf:2$"
check "rules: H's metadata refused with the reason" out_has "^  libvirt metadata refused: $LV/web8.xml:18:9: weight: 0 is out of range"
out=$(kvmschedctl -j rules --config $POL --libvirt-dir $LV 2>&1)
check "rules -j: G's sources" out_has "\"rule\":3,\"differs\":null,\"libvirt\":\"$LV/db7.xml\",\"libvirt_error\":null,\"set\":{\"weight\":600,\"mem_shares\":3000,\"limit_mcpu\":700},\"sources\":{\"weight\":\"$LV/db7.xml:18\",\"mem_shares\":\"$POL/conf.d/10-db.conf:2\",\"limit_mcpu\":\"$LV/db7.xml:19\"}"
out=$(kvmschedctl rules --config $POL --no-libvirt 2>&1)
check "rules --no-libvirt: G is rule 3 alone, differs" out_has "name db7; .*: rule 3 (.*): weight=250 mem_shares=3000 \[differs: weight=600\]"
# Re-read on SIGHUP: a changed XML (now with libvirt's pid), then a broken one.
write_xml db7 $U_G "$P_G" "<kvmsched:weight>650</kvmsched:weight>" "<kvmsched:limit_mcpu>700</kvmsched:limit_mcpu>"
write_xml web8 6e1d7c4a-0000-4000-8000-00000000a008 "$P_A" "<kvmsched:weight>800</kvmsched:weight>"
# A's metadata is consistent alone, not with rule 1's limit_mcpu 500.
write_xml web1 $U_A "$P_A" "<kvmsched:reservation_mcpu>800</kvmsched:reservation_mcpu>" "<kvmsched:weight>990</kvmsched:weight>"
kill -HUP $BD
check "SIGHUP: G follows its changed XML (weight 650)" within 300 G weight 650
check "SIGHUP: A's metadata refused with rule 1's limit, logged" waitq 300 log_has "libvirt metadata $LV/web1.xml refused: with rule 1 ($POL/kvmsched.conf:5): reservation_mcpu: 800 exceeds limit_mcpu 500 (accepted: 0-500 with limit_mcpu=500; limit_mcpu=0 is unlimited); the rule alone applies"
check "SIGHUP: A keeps rule 1 alone (weight 800, no reservation)" all within 300 A weight 800 -- vm_is A reservation_mcpu 0
out=$(kvmschedctl rules --config $POL --libvirt-dir $LV 2>&1)
check "rules: A's metadata refused, with the rule and the reason" out_has "^  libvirt metadata refused: $LV/web1.xml: with rule 1 ($POL/kvmsched.conf:5): reservation_mcpu: 800 exceeds limit_mcpu 500"
check "SIGHUP: H's XML is another pid's domain: refused, logged" waitq 300 log_has "$LV/web8.xml: the domain's pid is $P_A, not this VM's $P_H"
check "SIGHUP: H keeps rule 4's weight 150" vm_is H weight 150
write_xml db7 $U_G "$P_G" "<kvmsched:weight>666</kvmsched:wieght>"
kill -HUP $BD
check "a broken XML: refused with line:column, logged" waitq 300 log_has "libvirt metadata refused: $LV/db7.xml:18:[0-9]*: XML syntax: mismatched tag"
check "a broken XML: G gets rule 3 alone (weight 250)" within 300 G weight 250
check "a broken XML: nothing of it applied (weight not 666)" test "$(vmf G weight)" != 666
write_xml db7 $U_G "$P_G" "<kvmsched:weight>650</kvmsched:weight>"
kill -HUP $BD
check "a fixed XML: G weight 650 again" within 300 G weight 650

# -- rmmod + insmod: the daemon applies the policy again --------------------------------
check "rmmod kvmsched (VMs keep running)" rmmod_retry
sleep 1
check "the daemon survives the module's unload" kill -0 $BD
check "insmod kvmsched again" load_kvmsched
for t in A B C D G H; do check "VM $t tracked again" waitq 1000 vm_present "$(eval echo \$P_$t)"; done
check "after insmod: period_ms 50 again" waitq 1000 file_is $ST/period_ms 50
check "after insmod: A is web1 again" within 1000 A name web1
check "after insmod: A weight 800, limit 500" all within 1000 A weight 800 -- within 300 A limit_mcpu 500
check "after insmod: B background, weight 50" all within 1000 B class background -- within 300 B weight 50
check "after insmod: C db1, weight 250" all within 1000 C name db1 -- within 300 C weight 250
check "after insmod: D web2, weight 150" all within 1000 D name web2 -- within 300 D weight 150
check "after insmod: G db7, its metadata's weight 650" all within 1000 G name db7 -- within 300 G weight 650

kill -TERM $BD; wait $BD; rc=$?
check "the daemon exits 0 on SIGTERM (rc $rc)" test "$rc" = 0
check "the daemon removed its pid file" test ! -e $PIDF
info "daemon log (policy lines):"
grep -a 'policy\|rule\|name=' $LOG | tail -n 30 | sed 's/^/#   /'
for t in A B C D E F G H T; do eval "kill -TERM \$K_$t"; done 2>/dev/null
for t in A B C D E F G H T; do eval "wait \$K_$t"; done 2>/dev/null
rmmod kvmsched 2>/dev/null
echo "1..$T"
exit $FAILED
