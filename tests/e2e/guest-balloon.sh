#!/bin/sh
# vmrun: --mem 1024
# e2e-debug: skip balloon convergence against host memory thresholds (KASAN takes memory, timing)
# End-to-end test of the memory-balloon loop inside the sandbox KVM host:
# kvmsched computes targets, `kvmschedctl balloond` applies them over QMP to
# three kvmtest VMs (each with 192 MiB of touched guest RAM and the QMP
# endpoint that plays QEMU + the guest's balloon driver: it releases pages
# with MADV_DONTNEED, so the VMM's resident memory really drops), memhog
# creates host memory pressure on purpose, and the loop is watched:
#   targets -> balloond -> VMM releases -> RSS drops -> pressure eases
#   -> (memhog gone) targets deflate; never below a VM's min.
# The VMs: A idle (32 of 192 MiB used) with many shares, B busy (176 used)
# with few shares, C with mem_min_mib=160. Reclaim goes by shares per
# taxed MiB: C first (down to its floor), then B; A last. The pressure is
# moderate (18 % available against a 25 % goal, 20 % steps), so the order
# decides who gives: under heavy pressure every VM gives a step per round.
. /kvmsched/lib.sh
echo "KTAP version 1"
MEM=192
ST=/sys/kernel/kvmsched

# startvm NAME USED: one kvmtest VM with MEM MiB guest RAM and a QMP socket.
startvm() {
	: > "/tmp/$1.out"	# see start_vms_untracked in lib.sh
	kvmtest --seconds 0 -m $MEM --used-mib "$2" \
		-qmp "unix:/tmp/$1.sock,server=on,wait=off" 1:idle > "/tmp/$1.out" 2>&1 &
	eval "K_$1=$!"
	wait_ready "/tmp/$1.out" 1 || { info "kvmtest $1: $(cat "/tmp/$1.out")"; return 1; }
	eval "P_$1=$(jnum "$(grep -a '"event":"ready"' "/tmp/$1.out")" pid)"
}
vmf() { eval "cat \"\$(vm_dir \$P_$1)/$2\""; }	# vmf NAME FILE
avail_pct() { echo $(( $(cat $ST/host_avail_mib) * 100 / $(cat $ST/host_mem_mib) )); }
all_targets() { echo "A=$(vmf A balloon_target_mib) B=$(vmf B balloon_target_mib) C=$(vmf C balloon_target_mib)"; }
all_rss() { echo "A=$(vmf A rss_mib) B=$(vmf B rss_mib) C=$(vmf C rss_mib)"; }

check "insmod kvmsched" load_kvmsched
check "config balloon_period_ms=1000 balloon_step_pct=20" \
	kvmschedctl config balloon_period_ms=1000 balloon_step_pct=20
for v in A:32 B:176 C:96; do
	check "start VM ${v%%:*} (192 MiB, ${v#*:} MiB used) with a QMP socket" startvm "${v%%:*}" "${v#*:}"
done
VMPIDS="$P_A $P_B $P_C"
VMOUT=/tmp/A.out
for n in A B C; do eval "p=\$P_$n"; check "kvmsched finds VM $n" waitq 500 vm_present "$p"; done
check "guest_mem_mib is the guest RAM (192)" waitq 300 file_is "$(vm_dir "$P_A")/guest_mem_mib" $MEM
check "rss_mib shows the touched guest RAM (>= 180)" waitq 300 file_ge "$(vm_dir "$P_B")/rss_mib" 180
check "target starts at the guest RAM" waitq 300 file_is "$(vm_dir "$P_A")/balloon_target_mib" $MEM
check "reason at-max" file_is "$(vm_dir "$P_A")/balloon_reason" at-max
check "host memory state normal ($(avail_pct) % available)" file_is $ST/mem_state normal

check "mem_min_mib above mem_max_mib is EINVAL" \
	refused "Invalid argument" "mem_min_mib 100 exceeds mem_max_mib 50" \
	kvmschedctl set "$(vm_id "$P_C")" mem_min_mib=100 mem_max_mib=50
check "mem_min_mib above the guest RAM (the default max) is EINVAL" \
	refused "Invalid argument" "mem_min_mib 200 exceeds mem_max_mib 192" \
	kvmschedctl set "$(vm_id "$P_C")" mem_min_mib=200
check "mem_shares=0 is out of range" \
	refused "out of range" "mem-shares" kvmschedctl set "$(vm_id "$P_C")" mem_shares=0
check "set A mem_shares=1000, B mem_shares=100, C mem_min_mib=160" \
	sh -c "kvmschedctl set $(vm_id "$P_A") mem_shares=1000 && kvmschedctl set $(vm_id "$P_B") mem_shares=100 && kvmschedctl set $(vm_id "$P_C") mem_min_mib=160"

kvmschedctl watch > /tmp/watch.out 2>&1 & W=$!
kvmschedctl balloond --interval-ms 500 > /tmp/bd.log 2>&1 & BD=$!
check "balloond reports the balloon's actual size" waitq 500 file_is "$(vm_dir "$P_A")/balloon_actual_mib" $MEM
check "balloond reports the guest's free memory (A: 160 MiB)" waitq 500 file_is "$(vm_dir "$P_A")/guest_free_mib" 160
check "balloond reports host PSI" waitq 500 file_ge $ST/psi_some_avg10_bp 0

# -- pressure -------------------------------------------------------------------
memhog --to-avail-pct 17 > /tmp/hog.out 2>&1 & HOG=$!
wait_ready /tmp/hog.out 1 || info "memhog: $(cat /tmp/hog.out)"
info "memhog holds $(jnum "$(cat /tmp/hog.out)" mib) MiB; available now $(avail_pct) %"
check "host memory state goes to reclaim" waitq 500 file_is $ST/mem_state reclaim
t0=$(now_cs)
minc=$MEM; i=0; ok_loop=1
# Follow the loop for up to 60 s: until the state is normal again.
while [ $i -lt 120 ]; do
	c=$(vmf C balloon_target_mib); [ "$c" -lt "$minc" ] && minc=$c
	[ "$(cat $ST/mem_state)" = normal ] && break
	sleep 0.5; i=$((i + 1))
done
t1=$(now_cs)
info "pressure eased after $(( (t1 - t0) / 100 )) s: targets $(all_targets); rss $(all_rss); available $(avail_pct) %"
check "pressure eases while memhog still holds its memory (state normal)" file_is $ST/mem_state normal
check "C never went below its mem_min_mib (lowest target $minc)" test "$minc" -ge 160
check "C went down to its floor (160)" test "$(vmf C balloon_target_mib)" = 160
check "B (few shares, busy) gave memory" test "$(vmf B balloon_target_mib)" -lt $MEM
check "A (many shares, idle) gave less than B" \
	test $((MEM - $(vmf A balloon_target_mib))) -lt $((MEM - $(vmf B balloon_target_mib)))
check "B's resident memory dropped with its balloon (rss $(vmf B rss_mib) MiB)" \
	waitq 300 sh -c "[ \$(cat $(vm_dir "$P_B")/rss_mib) -le \$(( \$(cat $(vm_dir "$P_B")/balloon_target_mib) + 8 )) ]"
check "balloond applied targets (log)" grep -q "balloon $MEM -> " /tmp/bd.log
check "balloon-target events were multicast" grep -q "balloon-target" /tmp/watch.out
check "balloon_actual follows the target (B)" \
	waitq 500 sh -c "[ \$(cat $(vm_dir "$P_B")/balloon_actual_mib) = \$(cat $(vm_dir "$P_B")/balloon_target_mib) ]"

# -- pressure ends: deflate -----------------------------------------------------
kill "$HOG"; wait "$HOG" 2>/dev/null
t0=$(now_cs)
check "targets deflate back to the guest RAM (A)" waitq 6000 file_is "$(vm_dir "$P_A")/balloon_target_mib" $MEM
check "targets deflate back to the guest RAM (B)" waitq 6000 file_is "$(vm_dir "$P_B")/balloon_target_mib" $MEM
check "C's min does not hold it down once pressure is gone" waitq 6000 file_is "$(vm_dir "$P_C")/balloon_target_mib" $MEM
t1=$(now_cs)
info "deflated in $(( (t1 - t0) / 100 )) s: targets $(all_targets)"
check "B's resident memory came back (>= 180)" waitq 1000 file_ge "$(vm_dir "$P_B")/rss_mib" 180
check "reason at-max again" waitq 300 file_is "$(vm_dir "$P_B")/balloon_reason" at-max

# -- the module going away does not kill the controller ---------------------------
kill "$W" 2>/dev/null; wait "$W" 2>/dev/null
check "rmmod kvmsched under balloond" rmmod kvmsched
sleep 2
check "balloond keeps running without the module" kill -0 "$BD"
kill -TERM "$BD"; wait "$BD"; rc=$?
check "balloond exits 0 on SIGTERM (rc $rc)" test "$rc" = 0
info "balloond log (last lines):"
tail -n 8 /tmp/bd.log | sed 's/^/#   /'
for n in A B C; do eval "kill -TERM \$K_$n; wait \$K_$n"; done 2>/dev/null
echo "1..$T"
exit $FAILED
