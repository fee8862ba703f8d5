// SPDX-License-Identifier: GPL-2.0
/*
 * kvmtest - a tiny test VMM for the kvmsched end-to-end tests.
 *
 *   kvmtest [--seconds S] [--json] [-m MIB [--used-mib N]]
 *           [-qmp unix:PATH,server=on,wait=off [--qmp-no-balloon]
 *            [--qmp-balloon-id ID]] [--one-thread [--slice-ms N]]
 *           [--rethread-ms N [--rethread-park]] [--pin CPU] [--nice N]
 *           [--policy normal|batch|idle] [--late-ms N] [--step-ms N]
 *           [--progress-ms N]
 *           VMSPEC [VMSPEC ...]
 *   VMSPEC   = NVCPUS:WORKLOAD
 *   WORKLOAD = spin | exits | halt@DUTY | idle | parked | pace@MCPU
 *
 * Every VMSPEC becomes one forked child process (like one QEMU per VM) that
 * drives /dev/kvm directly: one VM, a 64 KiB memory slot at GPA 0 and NVCPUS
 * vCPU threads running 16-bit real-mode code copied to GPA 0x1000.  There is
 * no in-kernel irqchip, so HLT exits to userspace (KVM_EXIT_HLT).
 *
 * Every guest first does `out %al, $0x10` (a "hello" exit proving it really
 * entered the guest) and then counts loop iterations in EDI:ESI:
 *   spin       jmp-loop forever; exits only on host interrupts
 *   exits      CPUID loop; every CPUID is a VM exit handled inside the kernel
 *   halt@DUTY  spin ECX iterations, HLT; the host sleeps so that
 *              on/(on+off) = DUTY% and rescales ECX so the on-phase is ~10 ms
 *   idle       HLT; the host sleeps 100 ms per halt
 *   parked     HLT; the host sleeps 2 s per halt (for hundreds of VMs)
 *   pace@MCPU  the spin loop, but the host lets it use only MCPU millicpus:
 *              a 1 ms timer signal ends each KVM_RUN and the thread sleeps
 *              off any CPU time used beyond MCPU/1000 of the wall time
 *              (10 ms may be saved up): a demand of MCPU whatever the host
 *              scheduler does, unlike halt@DUTY, whose on-phases stretch
 *              when the vCPU is throttled
 * WORKLOAD/NBUSY runs WORKLOAD on vCPUs 0..NBUSY-1 only; the others idle
 * (e.g. 4:spin/2, a VM with half its vCPUs halted).
 *
 * Output on stdout, one JSON object per line, each line one write(2):
 *   {"event":"ready","vm":I,"pid":P,"vcpus":N,"tids":[...]}
 *   {"event":"vcpu","vm":I,"pid":P,"vcpu":J,"tid":T,"workload":"spin",
 *    "cpu_ns":N,"kvm_runs":N,"exits_userspace":N,"guest_iters":N}
 *   {"event":"vm_done","vm":I,"pid":P,"seconds":F}
 *   {"event":"vm_killed","vm":I,"pid":P,"signal":S}   (from the parent)
 * The run time starts when the VM is ready; "seconds" is the wall time from
 * vCPU creation to stop.  SIGTERM/SIGINT to the parent are forwarded to the
 * children, which stop their vCPUs and report.
 *
 * Guest RAM and a QEMU stand-in for a memory balloon controller (both off
 * by default; without -m and -qmp nothing of this happens):
 *   -m MIB   every VM also mmaps MIB MiB (MAP_PRIVATE|MAP_ANONYMOUS|
 *            MAP_NORESERVE; QEMU's 512M / 2G suffixes work too), registers
 *            it as KVM memory slot 1 at GPA 4 GiB and writes every page
 *            before "ready", so the VMM holds it resident like guest RAM
 *            in use.  The guest code never touches it.
 *   --used-mib N   guest memory in use, for the balloon's guest stats
 *            (default MIB / 2).
 *   -qmp unix:PATH,server=on,wait=off   (or unix:PATH,server,nowait; also
 *            spelt --qmp) every VM listens for QMP clients on a unix socket,
 *            as QEMU: VM 0 on PATH, VM I > 0 on PATH.I.  With several
 *            VMSPECs each VM process re-executes itself with its own socket
 *            in its -qmp argument, its VMSPEC only and "--vm-index I", so
 *            /proc/PID/cmdline of every VM names that VM's socket, the way
 *            a controller finds a QEMU's.  -qmp needs -m, unless
 *            --qmp-no-balloon.
 *   --qmp-no-balloon   QEMU without a balloon device (balloon and
 *            query-balloon fail with DeviceNotActive).
 *   --qmp-balloon-id ID   the balloon is /machine/peripheral/ID (QEMU's
 *            "-device virtio-balloon-pci,id=ID") instead of
 *            /machine/peripheral-anon/device[0].
 * The QMP server (a thread of the VM process) speaks QEMU 8's protocol:
 * qmp_capabilities first, balloon, query-balloon, qom-list, qom-get and
 * qom-set of the balloon's guest-stats and guest-stats-polling-interval,
 * BALLOON_CHANGE events and more; a second thread plays the guest's balloon
 * driver, releasing guest RAM from the top with MADV_DONTNEED (the VMM's
 * RSS drops) or touching it again, at most 64 MiB per 100 ms.  Details in
 * qmp-endpoint.c; test: qmp-test.sh.  The ready line then also carries
 * "mem_mib":MIB and "qmp":"PATH".
 *
 * Thread modes and measurements, for the scheduling-safety tests (all off
 * by default; without them every vCPU has its own thread for good):
 *   --one-thread   one thread per VM runs all its vCPUs in turns, like the
 *            kernel's KVM selftests: round robin, one KVM_RUN each, cut
 *            after --slice-ms N (default 5) by a per-thread timer signal; a
 *            halted vCPU is skipped until its sleep is over.  The ready
 *            line lists that thread's id once per vCPU.
 *   --rethread-ms N   every N ms each vCPU thread leaves KVM_RUN, asks the
 *            VM's main thread for a successor and exits; the main thread
 *            creates a new thread (from itself, as QEMU re-plugs a vCPU it
 *            parked on hot-unplug), which continues KVM_RUN on the same
 *            vCPU fd and prints
 *            {"event":"rethread","vm":I,"pid":P,"vcpu":J,"tid":T,
 *             "old_tid":O,"n":GENERATION}
 *   --rethread-park   the old threads do not exit but sleep until the VM
 *            stops: a thread that outlived its vCPU.
 *   --pin CPU      sched_setaffinity to CPU on every vCPU thread (also on
 *            re-created ones); --nice N and --policy normal|batch|idle
 *            likewise (the "original" attributes a scheduler must keep).
 *   --late-ms N    with --one-thread, vCPUs 1.. first run N ms after vCPU 0
 *            (a thread found as one vCPU's and later as another's too).
 *   --step-ms N    a demand step: halt@DUTY vCPUs switch to the spin loop
 *            (iteration count kept) at their first halt N ms after ready,
 *            pace@MCPU vCPUs stop being paced then:
 *            {"event":"step","vm":I,"pid":P,"vcpu":J,"tid":T,"t_ms":MS}
 *   --progress-ms N   every N ms after ready the VM's main thread prints
 *            one line per vCPU (one, however late it wakes; T_MS is the
 *            time since ready):
 *            {"event":"progress","vm":I,"pid":P,"vcpu":J,"tid":T,"t_ms":MS,
 *             "cpu_ns":N,"guest_iters":N,"kvm_runs":N,"mono_ns":N,
 *             "thread_cpu_ns":N}
 *            cpu_ns is the CPU time of the vCPU's runs (all its threads),
 *            thread_cpu_ns the CPU time of the thread running it now, read
 *            exactly at mono_ns (CLOCK_MONOTONIC), guest_iters its
 *            counter at its last exit; a 20 ms timer
 *            signal makes KVM_RUN return, so a vCPU that runs gains both
 *            between two lines and a vCPU that gets no CPU gains neither.
 * cpu_ns in the vcpu lines is likewise the CPU time of the vCPU's runs,
 * measured by the thread around each KVM_RUN (the whole thread's CPU time
 * when the vCPU has one thread for good).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "qmp-endpoint.h"

#define MAX_VCPUS	64
#define MEM_SIZE	0x10000
#define CODE_GPA	0x1000
#define IDLE_GPA	0x2000		/* idle code for the vCPUs past NBUSY */
#define SPIN_GPA	0x3000		/* spin code, for --step-ms */
#define HELLO_PORT	0x10
#define HALT_ON_NS	10000000LL	/* target on-phase of halt@DUTY */
#define HALT_MAX_OFF_NS	2000000000LL
#define PACE_TICK_NS	1000000LL	/* pace@: KVM_RUN returns every 1 ms */
#define PACE_BURST_NS	10000000LL	/* pace@: CPU time saved up at most */
#define IDLE_SLEEP_NS	100000000LL
#define PARKED_SLEEP_NS	2000000000LL
#define READY_TIMEOUT	120		/* seconds */
#define RAM_GPA		0x100000000ULL	/* slot 1, -m guest RAM */

/* Guest code, 16-bit real mode, position independent. */
__asm__(
	".pushsection .rodata\n"
	".code16\n"
	"guest_spin: outb %al, $0x10\n"
	"1: addl $1, %esi\n adcl $0, %edi\n jmp 1b\n"
	"guest_spin_end:\n"
	"guest_exits: outb %al, $0x10\n"
	"1: xorl %eax, %eax\n cpuid\n addl $1, %esi\n adcl $0, %edi\n jmp 1b\n"
	"guest_exits_end:\n"
	"guest_halt: outb %al, $0x10\n"
	"1: testl %ecx, %ecx\n jz 3f\n"
	"2: decl %ecx\n jnz 2b\n"
	"3: addl $1, %esi\n adcl $0, %edi\n hlt\n jmp 1b\n"
	"guest_halt_end:\n"
	"guest_idle: outb %al, $0x10\n"
	"1: addl $1, %esi\n adcl $0, %edi\n hlt\n jmp 1b\n"
	"guest_idle_end:\n"
	".code64\n"
	".popsection\n");
extern const unsigned char guest_spin[], guest_spin_end[], guest_exits[],
	guest_exits_end[], guest_halt[], guest_halt_end[], guest_idle[],
	guest_idle_end[];

enum workload { W_SPIN, W_EXITS, W_HALT, W_IDLE, W_PARKED, W_PACE };

struct vmspec {
	int nvcpus;
	int nbusy;		/* vCPUs 0..nbusy-1 run wl, the rest idle */
	enum workload wl;
	int duty;
	char name[32];
};

struct vcpu {
	struct vm *vm;
	int id, fd;
	struct kvm_run *run;
	enum workload wl;		/* what it runs now (halt@ -> spin at the step) */
	volatile pid_t tid;		/* the thread running it now */
	volatile int entered;		/* saw the hello exit */
	int restart_phase;		/* halt@: the on-phase starts at the next run */
	int64_t loops, phase_start;
	int64_t pace_t, pace_credit;	/* pace@MCPU: token bucket, ns */
	int64_t not_before;		/* halted until (CLOCK_MONOTONIC ns) */
	volatile uint64_t iters_live;	/* guest_iters at its last exit (--progress-ms) */
	volatile uint64_t cpu_live;	/* CPU time of its runs so far, ns */
	uint64_t cpu_ns, kvm_runs, exits_userspace, guest_iters;
};

/*
 * A thread running vCPUs first..first+n-1 in turns (n is 1 unless
 * --one-thread).  With --rethread-ms the main thread replaces it: the
 * running thread asks (handoff) and stops, the main thread creates the
 * next one from itself, as QEMU re-plugs a parked vCPU.
 */
struct runner {
	struct vm *vm;
	int first, n;
	pthread_t thread;
	volatile pid_t tid;
	volatile int handoff;		/* the thread stopped and wants a successor */
	pid_t old_tid;
	int generation;
};

struct vm {
	int index;
	struct vmspec *spec;
	int kvm_fd, vm_fd;
	struct vcpu vcpus[MAX_VCPUS];
	struct runner runners[MAX_VCPUS];
	int nrunners;
	volatile int64_t t_ready;	/* CLOCK_MONOTONIC ns, 0 until ready */
};

static volatile sig_atomic_t stop;
static volatile sig_atomic_t failed;
static pid_t children[256];
static int nchildren;

/* -m, --used-mib, -qmp and friends; all off by default */
static int64_t mem_mib;
static int64_t used_mib = -1;
static const char *qmp_arg;		/* the -qmp value as given */
static char qmp_path[QMP_PATH_MAX];
static int qmp_no_balloon;
static const char *qmp_balloon_id;
static int vm_index = -1;		/* --vm-index: run one VM, no fork */

/* Thread modes and measurements (see the top); all off by default */
static int one_thread;
static int64_t slice_ns = 5000000;	/* --slice-ms, with --one-thread */
static int64_t rethread_ns;		/* --rethread-ms */
static int rethread_park;		/* --rethread-park */
static int pin_cpu = -1;		/* --pin */
static int64_t step_ns;			/* --step-ms */
static int64_t late_ns;			/* --late-ms */
static int64_t progress_ns;		/* --progress-ms */
static int thread_nice;			/* --nice */
static int thread_policy = -1;		/* --policy */
static pthread_mutex_t handoff_lock = PTHREAD_MUTEX_INITIALIZER;

/* One JSON line, one write(2): lines of different processes never mix. */
static void emit(const char *fmt, ...)
{
	char buf[8192];
	va_list ap;
	size_t off = 0;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	while (off < (size_t)n) {
		ssize_t w = write(STDOUT_FILENO, buf + off, n - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		off += w;
	}
}

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "kvmtest: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static int64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int64_t min_ns(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

static void sleep_ns(int64_t ns)
{
	struct timespec ts = { ns / 1000000000LL, ns % 1000000000LL };

	if (ns > 0)
		nanosleep(&ts, NULL);	/* EINTR on stop is fine */
}

static void vcpu_fail(struct vcpu *v, const char *what)
{
	fprintf(stderr, "kvmtest: vm %d vcpu %d: %s\n", v->vm->index, v->id, what);
	failed = 1;
	kill(getpid(), SIGTERM);	/* wake the VM's main thread */
}

static void set_ecx(struct vcpu *v, uint64_t val)
{
	struct kvm_regs regs;

	if (ioctl(v->fd, KVM_GET_REGS, &regs) == 0) {
		regs.rcx = val;
		if (ioctl(v->fd, KVM_SET_REGS, &regs) == 0)
			return;
	}
	vcpu_fail(v, "KVM_GET_REGS/KVM_SET_REGS failed");
}

static uint64_t regs_iters(const struct kvm_regs *regs)
{
	return (regs->rdi & 0xffffffffULL) << 32 | (regs->rsi & 0xffffffffULL);
}

/*
 * --step-ms: a halt@DUTY vCPU jumps to the spin loop (iterations kept); a
 * pace@MCPU vCPU runs the spin loop already and is no longer paced.
 */
static void step_to_spin(struct vcpu *v)
{
	struct kvm_regs regs;

	if (ioctl(v->fd, KVM_GET_REGS, &regs) < 0) {
		vcpu_fail(v, "KVM_GET_REGS failed");
		return;
	}
	regs.rip = SPIN_GPA;
	if (v->wl == W_HALT && ioctl(v->fd, KVM_SET_REGS, &regs) < 0) {
		vcpu_fail(v, "KVM_SET_REGS failed");
		return;
	}
	v->wl = W_SPIN;
	emit("{\"event\":\"step\",\"vm\":%d,\"pid\":%d,\"vcpu\":%d,\"tid\":%d,\"t_ms\":%lld}",
	     v->vm->index, getpid(), v->id, v->tid,
	     (long long)((now_ns(CLOCK_MONOTONIC) - v->vm->t_ready) / 1000000));
}

/* One KVM_RUN of @v and its exit.  Returns -1 when the thread must stop. */
static int run_once(struct vcpu *v)
{
	struct vmspec *s = v->vm->spec;
	struct kvm_regs regs;
	char msg[128];
	int r;

	if (v->restart_phase) {
		v->restart_phase = 0;
		set_ecx(v, v->loops);
		v->phase_start = now_ns(CLOCK_MONOTONIC);
	}
	v->kvm_runs++;
	r = ioctl(v->fd, KVM_RUN, 0);
	v->exits_userspace++;
	if (progress_ns && ioctl(v->fd, KVM_GET_REGS, &regs) == 0)
		v->iters_live = regs_iters(&regs);
	if (r < 0) {
		if (errno == EINTR || errno == EAGAIN)
			return 0;
		snprintf(msg, sizeof(msg), "KVM_RUN: %s", strerror(errno));
		vcpu_fail(v, msg);
		return -1;
	}
	switch (v->run->exit_reason) {
	case KVM_EXIT_IO:
		if (v->run->io.port != HELLO_PORT)
			goto bad_exit;
		v->entered = 1;
		v->phase_start = now_ns(CLOCK_MONOTONIC);
		break;
	case KVM_EXIT_HLT:
		if (v->wl == W_IDLE) {
			v->not_before = now_ns(CLOCK_MONOTONIC) + IDLE_SLEEP_NS;
		} else if (v->wl == W_PARKED) {
			v->not_before = now_ns(CLOCK_MONOTONIC) + PARKED_SLEEP_NS;
		} else if (v->wl == W_HALT) {
			int64_t t = now_ns(CLOCK_MONOTONIC), on = t - v->phase_start;
			double f = on > 0 ? (double)HALT_ON_NS / on : 4;

			if (step_ns && v->vm->t_ready && t >= v->vm->t_ready + step_ns) {
				step_to_spin(v);
				break;
			}
			if (f > 4)
				f = 4;
			if (f < 0.25)
				f = 0.25;
			v->loops = v->loops * f;
			if (v->loops < 1000)
				v->loops = 1000;
			if (v->loops > 2000000000LL)
				v->loops = 2000000000LL;
			/* off = on * (100 - D) / D, capped so a slow first cycle
			 * cannot stall the vCPU for long */
			v->not_before = t + min_ns(on * (100 - s->duty) / s->duty, HALT_MAX_OFF_NS);
			v->restart_phase = 1;
		} else {
			goto bad_exit;
		}
		break;
	case KVM_EXIT_INTR:
		break;
	default:
bad_exit:
		snprintf(msg, sizeof(msg), "unexpected exit reason %u (port 0x%x)",
			 v->run->exit_reason, v->run->io.port);
		vcpu_fail(v, msg);
		return -1;
	}
	return 0;
}

/*
 * A per-thread timer signal (SIGUSR1, no SA_RESTART) every @ns, so that
 * KVM_RUN returns to this thread even when the guest never exits.
 */
static timer_t tick_start(struct vcpu *v, int64_t ns, int *ok)
{
	struct sigevent sev = { 0 };
	struct itimerspec its = { 0 };
	timer_t t = 0;

	*ok = 0;
	if (!ns)
		return t;
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGUSR1;
	sev._sigev_un._tid = syscall(SYS_gettid);
	if (timer_create(CLOCK_MONOTONIC, &sev, &t)) {
		vcpu_fail(v, "timer_create failed");
		return t;
	}
	its.it_value.tv_sec = its.it_interval.tv_sec = ns / 1000000000LL;
	its.it_value.tv_nsec = its.it_interval.tv_nsec = ns % 1000000000LL;
	timer_settime(t, 0, &its, NULL);
	*ok = 1;
	return t;
}

/* --pin, --nice, --policy: on every vCPU thread, also re-created ones. */
static void thread_setup(struct vcpu *v)
{
	struct sched_param sp = { 0 };
	char msg[128];

	if (pin_cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(pin_cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			snprintf(msg, sizeof(msg), "pin to CPU %d: %s", pin_cpu, strerror(errno));
			vcpu_fail(v, msg);
		}
	}
	if (thread_policy >= 0 && sched_setscheduler(0, thread_policy, &sp)) {
		snprintf(msg, sizeof(msg), "sched_setscheduler: %s", strerror(errno));
		vcpu_fail(v, msg);
	}
	if (thread_nice && setpriority(PRIO_PROCESS, 0, thread_nice)) {
		snprintf(msg, sizeof(msg), "setpriority: %s", strerror(errno));
		vcpu_fail(v, msg);
	}
}

/*
 * pace@MCPU: a token bucket of CPU time, MCPU/1000 ns earned per ns of wall
 * time, at most PACE_BURST_NS saved up; @used ns were just spent.  In debt,
 * the vCPU sleeps until it has earned it back: over any 100 ms its demand
 * is MCPU, whatever slices the host scheduler hands it.
 */
static void pace(struct vcpu *v, int64_t used)
{
	int64_t t = now_ns(CLOCK_MONOTONIC), mcpu = v->vm->spec->duty;

	if (step_ns && v->vm->t_ready && t >= v->vm->t_ready + step_ns) {
		step_to_spin(v);
		return;
	}
	if (v->pace_t)
		v->pace_credit += (t - v->pace_t) * mcpu / 1000;
	v->pace_t = t;
	v->pace_credit -= used;
	if (v->pace_credit > PACE_BURST_NS)
		v->pace_credit = PACE_BURST_NS;
	if (v->pace_credit < 0)
		v->not_before = t - v->pace_credit * 1000 / mcpu;
}

static void *runner_thread(void *arg)
{
	struct runner *r = arg;
	struct vm *vm = r->vm;
	int64_t tick = one_thread ? slice_ns : 0, due = 0, cpu0 = 0;
	int i, next = 0, ticking, handoff = 0;
	struct vcpu *v = &vm->vcpus[r->first];
	sigset_t usr1;
	timer_t timer;

	r->tid = syscall(SYS_gettid);
	for (i = 0; i < r->n; i++)
		vm->vcpus[r->first + i].tid = r->tid;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
	thread_setup(&vm->vcpus[r->first]);
	if (r->generation)
		for (i = 0; i < r->n; i++)
			emit("{\"event\":\"rethread\",\"vm\":%d,\"pid\":%d,\"vcpu\":%d,"
			     "\"tid\":%d,\"old_tid\":%d,\"n\":%d}", vm->index, getpid(),
			     r->first + i, r->tid, r->old_tid, r->generation);
	if (!tick && (rethread_ns || progress_ns))
		tick = 20000000;	/* 20 ms */
	if (vm->spec->wl == W_PACE && (!tick || tick > PACE_TICK_NS))
		tick = PACE_TICK_NS;
	timer = tick_start(&vm->vcpus[r->first], tick, &ticking);
	if (rethread_ns)
		due = now_ns(CLOCK_MONOTONIC) + rethread_ns;
	if (late_ns && !r->generation)
		for (i = 1; i < r->n; i++)
			vm->vcpus[r->first + i].not_before = now_ns(CLOCK_MONOTONIC) + late_ns;

	while (!stop && !failed) {
		int64_t t = now_ns(CLOCK_MONOTONIC), wake = INT64_MAX, cpu;

		if (due && t >= due) {
			handoff = 1;
			break;
		}
		/* round robin over the vCPUs that are not halted */
		for (i = 0; i < r->n; i++) {
			v = &vm->vcpus[r->first + (next + i) % r->n];
			if (v->not_before <= t)
				break;
			if (v->not_before < wake)
				wake = v->not_before;
		}
		if (i == r->n) {
			if (due && due < wake)
				wake = due;
			sleep_ns(wake - t);	/* EINTR from the tick or stop */
			continue;
		}
		next = (next + i + 1) % r->n;
		v->not_before = 0;
		if (run_once(v) < 0)
			break;
		cpu = now_ns(CLOCK_THREAD_CPUTIME_ID);
		v->cpu_live += cpu - cpu0;
		if (v->wl == W_PACE)
			pace(v, cpu - cpu0);
		cpu0 = cpu;
	}
	if (ticking)
		timer_delete(timer);
	v = &vm->vcpus[r->first];
	v->cpu_live += now_ns(CLOCK_THREAD_CPUTIME_ID) - cpu0;
	if (handoff) {
		/* the main thread creates the successor and joins this one */
		pthread_mutex_lock(&handoff_lock);
		r->handoff = 1;
		pthread_mutex_unlock(&handoff_lock);
		kill(getpid(), SIGUSR2);
		while (rethread_park && !stop)
			sleep_ns(50000000);
		return NULL;
	}
	return NULL;
}

/*
 * Main thread: create the successor of every runner that stopped for
 * --rethread-ms.  The old thread is joined at once, or (--rethread-park)
 * kept sleeping until the VM stops, as a thread that outlives its vCPU.
 */
static void rethread(struct vm *vm, pthread_t *parked, int *nparked)
{
	int i;

	pthread_mutex_lock(&handoff_lock);
	for (i = 0; i < vm->nrunners; i++) {
		struct runner *r = &vm->runners[i];
		pthread_t old = r->thread;

		if (!r->handoff || stop || failed)
			continue;
		r->handoff = 0;
		r->old_tid = r->tid;
		r->generation++;
		if (pthread_create(&r->thread, NULL, runner_thread, r)) {
			fprintf(stderr, "kvmtest: vm %d: pthread_create failed\n", vm->index);
			failed = 1;
			r->thread = old;
			break;
		}
		if (rethread_park && *nparked < 4096)
			parked[(*nparked)++] = old;
		else
			pthread_join(old, NULL);
	}
	pthread_mutex_unlock(&handoff_lock);
}

/*
 * --progress-ms: one line per vCPU, T_MS after ready (main thread).  The
 * running thread's CPU clock is read together with CLOCK_MONOTONIC, so two
 * lines give its exact rate even when this thread wakes late.
 */
static void emit_progress(struct vm *vm, int64_t t)
{
	int i;

	for (i = 0; i < vm->spec->nvcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];
		struct runner *r = &vm->runners[one_thread ? 0 : i];
		int64_t mono = now_ns(CLOCK_MONOTONIC), tcpu = -1;
		struct timespec ts;
		clockid_t clk;

		/* only this thread replaces r->thread; it may have exited */
		if (!pthread_getcpuclockid(r->thread, &clk) && !clock_gettime(clk, &ts))
			tcpu = ts.tv_sec * 1000000000LL + ts.tv_nsec;
		emit("{\"event\":\"progress\",\"vm\":%d,\"pid\":%d,\"vcpu\":%d,\"tid\":%d,"
		     "\"t_ms\":%lld,\"cpu_ns\":%llu,\"guest_iters\":%llu,\"kvm_runs\":%llu,"
		     "\"mono_ns\":%lld,\"thread_cpu_ns\":%lld}",
		     vm->index, getpid(), i, v->tid, (long long)(t / 1000000),
		     (unsigned long long)v->cpu_live, (unsigned long long)v->iters_live,
		     (unsigned long long)v->kvm_runs, (long long)mono, (long long)tcpu);
	}
}

static void usr1_handler(int sig)
{
	(void)sig;
}

static void setup_vcpu(struct vm *vm, int id)
{
	struct vcpu *v = &vm->vcpus[id];
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	int sz;

	v->vm = vm;
	v->id = id;
	v->wl = id < vm->spec->nbusy ? vm->spec->wl : W_IDLE;
	v->loops = 100000;
	v->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, id);
	if (v->fd < 0)
		die("vm %d: KVM_CREATE_VCPU %d: %s", vm->index, id, strerror(errno));
	sz = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (sz <= 0)
		die("KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
	v->run = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED)
		die("mmap kvm_run: %s", strerror(errno));
	if (ioctl(v->fd, KVM_GET_SREGS, &sregs) < 0)
		die("KVM_GET_SREGS: %s", strerror(errno));
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(v->fd, KVM_SET_SREGS, &sregs) < 0)
		die("KVM_SET_SREGS: %s", strerror(errno));
	memset(&regs, 0, sizeof(regs));
	regs.rip = id < vm->spec->nbusy ? CODE_GPA : IDLE_GPA;
	regs.rsp = 0x8000;
	regs.rflags = 0x2;
	if (v->wl == W_HALT)
		regs.rcx = v->loops;
	if (ioctl(v->fd, KVM_SET_REGS, &regs) < 0)
		die("KVM_SET_REGS: %s", strerror(errno));
}

/* Body of one VM process.  Returns the exit status. */
static int run_vm(int index, struct vmspec *s, double seconds)
{
	static const struct { const unsigned char *start, *end; } code[] = {
		[W_SPIN] = { guest_spin, guest_spin_end },
		[W_EXITS] = { guest_exits, guest_exits_end },
		[W_HALT] = { guest_halt, guest_halt_end },
		[W_IDLE] = { guest_idle, guest_idle_end },
		[W_PARKED] = { guest_idle, guest_idle_end },
		[W_PACE] = { guest_spin, guest_spin_end },
	};
	struct kvm_userspace_memory_region region = { 0 };
	struct sigaction sa = { .sa_handler = usr1_handler };
	struct qmp_endpoint *qmp = NULL;
	char extra[1024] = "";
	uint8_t *ram = NULL;
	static struct vm vm;
	int64_t t_start, t_ready = 0, t_stop;
	sigset_t waitset;
	char tids[MAX_VCPUS * 12 + 2];
	size_t off = 0;
	static pthread_t parked[4096];
	int64_t next_progress = 0;
	int nparked = 0;
	uint8_t *mem;
	pid_t pid = getpid();
	int i, ready = 0;

	prctl(PR_SET_PDEATHSIG, SIGTERM);
	sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART: KVM_RUN gets EINTR */
	vm.index = index;
	vm.spec = s;
	vm.kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm.kvm_fd < 0)
		die("cannot open /dev/kvm: %s", strerror(errno));
	vm.vm_fd = ioctl(vm.kvm_fd, KVM_CREATE_VM, 0);
	if (vm.vm_fd < 0)
		die("KVM_CREATE_VM: %s", strerror(errno));
	ioctl(vm.vm_fd, KVM_SET_TSS_ADDR, 0xfffbd000UL);	/* VMX real mode */
	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED)
		die("mmap guest memory: %s", strerror(errno));
	memcpy(mem + CODE_GPA, code[s->wl].start, code[s->wl].end - code[s->wl].start);
	memcpy(mem + IDLE_GPA, guest_idle, guest_idle_end - guest_idle);
	memcpy(mem + SPIN_GPA, guest_spin, guest_spin_end - guest_spin);
	region.memory_size = MEM_SIZE;
	region.userspace_addr = (uintptr_t)mem;
	if (ioctl(vm.vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		die("KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));
	if (mem_mib) {
		ram = qmp_guest_mem_alloc((uint64_t)mem_mib << 20);
		if (!ram)
			die("vm %d: mmap %lld MiB guest RAM: %s", index,
			    (long long)mem_mib, strerror(errno));
		region.slot = 1;
		region.guest_phys_addr = RAM_GPA;
		region.memory_size = (uint64_t)mem_mib << 20;
		region.userspace_addr = (uintptr_t)ram;
		if (ioctl(vm.vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
			die("KVM_SET_USER_MEMORY_REGION slot 1: %s", strerror(errno));
		snprintf(extra, sizeof(extra), ",\"mem_mib\":%lld", (long long)mem_mib);
	}
	if (qmp_arg) {
		struct qmp_config cfg = {
			.path = qmp_path, .mem = ram, .ram = (uint64_t)mem_mib << 20,
			.used = (uint64_t)used_mib << 20, .no_balloon = qmp_no_balloon,
			.balloon_id = qmp_balloon_id,
		};
		char path[QMP_PATH_MAX + 16], esc[QMP_PATH_MAX * 2 + 32], err[256];
		size_t len = strlen(extra);

		/* re-executed (--vm-index): qmp_path is this VM's already */
		if (index > 0 && vm_index < 0)
			snprintf(path, sizeof(path), "%s.%d", qmp_path, index);
		else
			snprintf(path, sizeof(path), "%s", qmp_path);
		cfg.path = path;
		qmp = qmp_endpoint_start(&cfg, err, sizeof(err));
		if (!qmp)
			die("vm %d: QMP: %s", index, err);
		qmp_json_escape(path, esc, sizeof(esc));
		snprintf(extra + len, sizeof(extra) - len, ",\"qmp\":\"%s\"", esc);
	}

	t_start = now_ns(CLOCK_MONOTONIC);
	for (i = 0; i < s->nvcpus; i++)
		setup_vcpu(&vm, i);
	vm.nrunners = one_thread ? 1 : s->nvcpus;
	for (i = 0; i < vm.nrunners; i++) {
		struct runner *r = &vm.runners[i];

		r->vm = &vm;
		r->first = i;
		r->n = one_thread ? s->nvcpus : 1;
		if (pthread_create(&r->thread, NULL, runner_thread, r))
			die("pthread_create failed");
	}

	/* SIGTERM/SIGINT are blocked in every thread; wait for them here. */
	sigemptyset(&waitset);
	sigaddset(&waitset, SIGTERM);
	sigaddset(&waitset, SIGINT);
	sigaddset(&waitset, SIGUSR2);	/* a runner stopped for --rethread-ms */
	while (!stop && !failed) {
		int64_t t = now_ns(CLOCK_MONOTONIC), wait = 1000000;
		struct timespec ts;

		if (!ready) {
			for (i = 0; i < s->nvcpus && vm.vcpus[i].entered; i++)
				;
			if (i == s->nvcpus) {
				ready = 1;
				t_ready = t;
				vm.t_ready = t;
				next_progress = t + progress_ns;
				for (i = 0; i < s->nvcpus; i++)
					off += snprintf(tids + off, sizeof(tids) - off, "%s%d",
							i ? "," : "", vm.vcpus[i].tid);
				emit("{\"event\":\"ready\",\"vm\":%d,\"pid\":%d,\"vcpus\":%d,\"tids\":[%s]%s}",
				     index, pid, s->nvcpus, tids, extra);
			} else if (t - t_start > READY_TIMEOUT * 1000000000LL) {
				fprintf(stderr, "kvmtest: vm %d: vCPUs did not start within %d s\n",
					index, READY_TIMEOUT);
				failed = 1;
				break;
			}
		}
		if (ready) {
			if (seconds > 0) {
				wait = t_ready + (int64_t)(seconds * 1e9) - t;
				if (wait <= 0)
					break;
			} else {
				wait = 1000000000LL;
			}
			if (progress_ns) {
				/* one line however late: no windows of nearly 0 s */
				if (t >= next_progress)
					emit_progress(&vm, t - t_ready);
				while (next_progress <= t)
					next_progress += progress_ns;
				wait = min_ns(wait, next_progress - t);
			}
		}
		rethread(&vm, parked, &nparked);
		ts.tv_sec = wait / 1000000000LL;
		ts.tv_nsec = wait % 1000000000LL;
		i = sigtimedwait(&waitset, NULL, &ts);
		if (i == SIGTERM || i == SIGINT)
			break;
	}

	pthread_mutex_lock(&handoff_lock);	/* no successor is created after this */
	stop = 1;
	pthread_mutex_unlock(&handoff_lock);
	for (i = 0; i < s->nvcpus; i++)
		vm.vcpus[i].run->immediate_exit = 1;
	for (i = 0; i < vm.nrunners; i++)
		pthread_kill(vm.runners[i].thread, SIGUSR1);
	for (i = 0; i < vm.nrunners; i++)
		pthread_join(vm.runners[i].thread, NULL);
	for (i = 0; i < nparked; i++)
		pthread_join(parked[i], NULL);
	t_stop = now_ns(CLOCK_MONOTONIC);
	qmp_endpoint_stop(qmp);
	for (i = 0; i < s->nvcpus; i++) {
		struct vcpu *v = &vm.vcpus[i];
		struct kvm_regs regs;

		if (ioctl(v->fd, KVM_GET_REGS, &regs) == 0)
			v->guest_iters = regs_iters(&regs);
		v->cpu_ns = v->cpu_live;
	}

	for (i = 0; i < s->nvcpus; i++) {
		struct vcpu *v = &vm.vcpus[i];

		emit("{\"event\":\"vcpu\",\"vm\":%d,\"pid\":%d,\"vcpu\":%d,\"tid\":%d,"
		     "\"workload\":\"%s\",\"cpu_ns\":%llu,\"kvm_runs\":%llu,"
		     "\"exits_userspace\":%llu,\"guest_iters\":%llu}",
		     index, pid, i, v->tid, s->name, (unsigned long long)v->cpu_ns,
		     (unsigned long long)v->kvm_runs,
		     (unsigned long long)v->exits_userspace,
		     (unsigned long long)v->guest_iters);
	}
	emit("{\"event\":\"vm_done\",\"vm\":%d,\"pid\":%d,\"seconds\":%.3f}",
	     index, pid, (t_stop - t_start) / 1e9);
	return failed ? 1 : 0;
}

static void forward_signal(int sig)
{
	int i;

	for (i = 0; i < nchildren; i++)
		if (children[i] > 0)
			kill(children[i], sig);
}

static void usage(FILE *f, int rc)
{
	fprintf(f,
		"usage: kvmtest [--seconds S] [--json] [-m MIB [--used-mib N]]\n"
		"               [-qmp unix:PATH,server=on,wait=off [--qmp-no-balloon]\n"
		"                [--qmp-balloon-id ID]] [--one-thread [--slice-ms N]]\n"
		"               [--rethread-ms N [--rethread-park]] [--pin CPU] [--nice N]\n"
		"               [--policy P] [--late-ms N] [--step-ms N] [--progress-ms N]\n"
		"               VMSPEC...\n"
		"  VMSPEC   = NVCPUS:WORKLOAD (NVCPUS 1-%d), one forked process per VM\n"
		"  WORKLOAD = spin | exits | halt@DUTY (DUTY 1-100 %%) | idle | parked |\n"
		"             pace@MCPU (1-1000),\n"
		"             optionally /NBUSY: only vCPUs 0..NBUSY-1 run it, the rest idle\n"
		"  --seconds S  run time after all vCPUs started (default 10, 0 = until\n"
		"               SIGTERM/SIGINT)\n"
		"  --json       accepted for compatibility; output is always JSON lines:\n"
		"               ready, vcpu, vm_done (and vm_killed from the parent)\n"
		"  -m MIB       guest RAM per VM: KVM slot 1 at 4 GiB, all pages written\n"
		"  --used-mib N guest memory in use, for the guest stats (default MIB/2)\n"
		"  -qmp unix:PATH,server=on,wait=off  (or unix:PATH,server,nowait)\n"
		"               QMP monitor with a virtio-balloon stand-in; VM I > 0\n"
		"               listens on PATH.I\n"
		"  --qmp-no-balloon     no balloon device (DeviceNotActive)\n"
		"  --qmp-balloon-id ID  balloon at /machine/peripheral/ID\n"
		"  --one-thread   one thread per VM runs all its vCPUs in turns\n"
		"  --slice-ms N   its time slice per vCPU (default 5)\n"
		"  --rethread-ms N  every N ms a new thread takes over each vCPU\n"
		"  --rethread-park  the old threads stay alive (sleeping) till the end\n"
		"  --pin CPU      pin every vCPU thread to CPU\n"
		"  --nice N, --policy normal|batch|idle  set on every vCPU thread\n"
		"  --late-ms N    with --one-thread: vCPUs 1.. start N ms later\n"
		"  --step-ms N    halt@DUTY and pace@MCPU vCPUs spin from N ms after ready\n"
		"  --progress-ms N  a progress line per vCPU every N ms\n",
		MAX_VCPUS);
	exit(rc);
}

static void parse_spec(const char *arg, struct vmspec *s)
{
	char wbuf[32], *end, *slash;
	const char *w;

	s->nvcpus = strtol(arg, &end, 10);
	if (end == arg || *end != ':' || s->nvcpus < 1 || s->nvcpus > MAX_VCPUS)
		die("bad VMSPEC '%s' (want NVCPUS:WORKLOAD, NVCPUS 1-%d)", arg, MAX_VCPUS);
	snprintf(wbuf, sizeof(wbuf), "%s", end + 1);
	s->nbusy = s->nvcpus;
	slash = strchr(wbuf, '/');
	if (slash) {
		*slash = '\0';
		s->nbusy = strtol(slash + 1, &end, 10);
		if (end == slash + 1 || *end || s->nbusy < 0 || s->nbusy > s->nvcpus)
			die("bad NBUSY in '%s' (want WORKLOAD/0..%d)", arg, s->nvcpus);
	}
	w = wbuf;
	if (!strcmp(w, "spin")) {
		s->wl = W_SPIN;
	} else if (!strcmp(w, "exits")) {
		s->wl = W_EXITS;
	} else if (!strcmp(w, "idle")) {
		s->wl = W_IDLE;
	} else if (!strcmp(w, "parked")) {
		s->wl = W_PARKED;
	} else if (!strncmp(w, "pace@", 5)) {
		s->wl = W_PACE;
		s->duty = strtol(w + 5, &end, 10);
		if (end == w + 5 || *end || s->duty < 1 || s->duty > 1000)
			die("bad pace in '%s' (want pace@1..1000 mcpu)", arg);
	} else if (!strncmp(w, "halt@", 5)) {
		s->wl = W_HALT;
		s->duty = strtol(w + 5, &end, 10);
		if (end == w + 5 || *end || s->duty < 1 || s->duty > 100)
			die("bad duty in '%s' (want halt@1..100)", arg);
	} else {
		die("bad workload in '%s' (want spin, exits, halt@DUTY, idle, parked or pace@MCPU)", arg);
	}
	snprintf(s->name, sizeof(s->name), "%s", w);
}

/*
 * With -qmp and several VMs, make VM I's /proc/PID/cmdline name its own
 * socket: exec this binary again with "-qmp unix:PATH.I,..." (options as
 * given), "--vm-index I" and VMSPEC I only.  The QMP threads are named
 * qmp-server and qmp-balloon.  The blocked signal mask and
 * the PID survive execve, so the parent still reaps and signals it.
 */
static void reexec_vm(int argc, char **argv, int qmp_argi, char **spec_args,
		      int nspecs, int index)
{
	static char chardev[QMP_PATH_MAX + 128], idx[16], exe[4096];
	char **nargv = calloc(argc + 4, sizeof(char *));
	const char *opts = strchr(qmp_arg + 5, ',');
	int i, j, n = 0;

	if (!nargv)
		die("out of memory");
	if (index)
		snprintf(chardev, sizeof(chardev), "unix:%s.%d%s", qmp_path, index, opts);
	else
		snprintf(chardev, sizeof(chardev), "%s", qmp_arg);
	snprintf(idx, sizeof(idx), "%d", index);
	for (i = 0; i < argc; i++) {
		for (j = 0; j < nspecs && argv[i] != spec_args[j]; j++)
			;
		if (j < nspecs)
			continue;
		nargv[n++] = i == qmp_argi ? chardev : argv[i];
	}
	nargv[n++] = "--vm-index";
	nargv[n++] = idx;
	nargv[n++] = spec_args[index];
	nargv[n] = NULL;
	/* exec the real path: through /proc/self/exe the comm would be "exe" */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		execv(exe, nargv);
	}
	execv("/proc/self/exe", nargv);
	die("vm %d: execv /proc/self/exe: %s", index, strerror(errno));
}

int main(int argc, char **argv)
{
	static struct vmspec specs[256];
	static char *spec_args[256];
	struct sigaction sa = { .sa_handler = forward_signal };
	double seconds = 10;
	sigset_t block, old;
	int i, nspecs = 0, rc = 0, kvm, left, qmp_argi = 0;
	char *end, err[256];

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout, 0);
		} else if (!strcmp(argv[i], "--json")) {
			continue;
		} else if (!strcmp(argv[i], "--seconds")) {
			if (++i == argc)
				usage(stderr, 1);
			seconds = strtod(argv[i], &end);
			if (end == argv[i] || *end || seconds < 0)
				die("bad --seconds '%s'", argv[i]);
		} else if (!strcmp(argv[i], "-m")) {
			if (++i == argc)
				usage(stderr, 1);
			mem_mib = qmp_parse_mib(argv[i]);
			if (mem_mib < 0)
				die("bad -m '%s' (want MiB, or a size with suffix M or G)", argv[i]);
		} else if (!strcmp(argv[i], "--used-mib")) {
			if (++i == argc)
				usage(stderr, 1);
			used_mib = strtoll(argv[i], &end, 10);
			if (end == argv[i] || *end || used_mib < 0)
				die("bad --used-mib '%s'", argv[i]);
		} else if (!strcmp(argv[i], "-qmp") || !strcmp(argv[i], "--qmp")) {
			if (++i == argc)
				usage(stderr, 1);
			if (qmp_parse_chardev(argv[i], qmp_path, sizeof(qmp_path), err, sizeof(err)))
				die("bad -qmp %s", err);
			qmp_arg = argv[i];
			qmp_argi = i;
		} else if (!strcmp(argv[i], "--qmp-no-balloon")) {
			qmp_no_balloon = 1;
		} else if (!strcmp(argv[i], "--qmp-balloon-id")) {
			if (++i == argc)
				usage(stderr, 1);
			qmp_balloon_id = argv[i];
		} else if (!strcmp(argv[i], "--one-thread")) {
			one_thread = 1;
		} else if (!strcmp(argv[i], "--rethread-park")) {
			rethread_park = 1;
		} else if (!strcmp(argv[i], "--slice-ms") || !strcmp(argv[i], "--rethread-ms") ||
			   !strcmp(argv[i], "--step-ms") || !strcmp(argv[i], "--progress-ms") ||
			   !strcmp(argv[i], "--late-ms")) {
			const char *opt = argv[i];
			int64_t ms;

			if (++i == argc)
				usage(stderr, 1);
			ms = strtoll(argv[i], &end, 10);
			if (end == argv[i] || *end || ms < 1 || ms > 3600000)
				die("bad %s '%s' (want 1-3600000 ms)", opt, argv[i]);
			*(!strcmp(opt, "--slice-ms") ? &slice_ns :
			  !strcmp(opt, "--rethread-ms") ? &rethread_ns :
			  !strcmp(opt, "--step-ms") ? &step_ns :
			  !strcmp(opt, "--late-ms") ? &late_ns : &progress_ns) = ms * 1000000;
		} else if (!strcmp(argv[i], "--pin")) {
			if (++i == argc)
				usage(stderr, 1);
			pin_cpu = strtol(argv[i], &end, 10);
			if (end == argv[i] || *end || pin_cpu < 0 || pin_cpu >= CPU_SETSIZE)
				die("bad --pin '%s' (want a CPU number)", argv[i]);
		} else if (!strcmp(argv[i], "--nice")) {
			if (++i == argc)
				usage(stderr, 1);
			thread_nice = strtol(argv[i], &end, 10);
			if (end == argv[i] || *end || thread_nice < -20 || thread_nice > 19)
				die("bad --nice '%s' (want -20..19)", argv[i]);
		} else if (!strcmp(argv[i], "--policy")) {
			if (++i == argc)
				usage(stderr, 1);
			if (!strcmp(argv[i], "normal"))
				thread_policy = SCHED_OTHER;
			else if (!strcmp(argv[i], "batch"))
				thread_policy = SCHED_BATCH;
			else if (!strcmp(argv[i], "idle"))
				thread_policy = SCHED_IDLE;
			else
				die("bad --policy '%s' (want normal, batch or idle)", argv[i]);
		} else if (!strcmp(argv[i], "--vm-index")) {	/* internal, see top */
			if (++i == argc)
				usage(stderr, 1);
			vm_index = strtol(argv[i], &end, 10);
			if (end == argv[i] || *end || vm_index < 0)
				die("bad --vm-index '%s'", argv[i]);
		} else if (argv[i][0] == '-') {
			usage(stderr, 1);
		} else {
			if (nspecs == 256)
				die("too many VMs");
			spec_args[nspecs] = argv[i];
			parse_spec(argv[i], &specs[nspecs++]);
		}
	}
	if (!nspecs)
		usage(stderr, 1);
	if (used_mib < 0)
		used_mib = mem_mib / 2;
	if (used_mib > mem_mib)
		die("--used-mib %lld is more than -m %lld", (long long)used_mib,
		    (long long)mem_mib);
	if (qmp_arg && !mem_mib && !qmp_no_balloon)
		die("-qmp needs -m (guest RAM for the balloon) or --qmp-no-balloon");
	if (vm_index >= 0 && nspecs != 1)
		die("--vm-index wants exactly one VMSPEC");

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		die("cannot open /dev/kvm: %s (is the kvm module loaded?)", strerror(errno));
	if (ioctl(kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION)
		die("unexpected KVM API version");
	if (ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_IMMEDIATE_EXIT) <= 0)
		die("KVM lacks KVM_CAP_IMMEDIATE_EXIT");
	close(kvm);

	/* Block the stop signals: children inherit this and sigtimedwait. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	sigprocmask(SIG_BLOCK, &block, &old);
	if (vm_index >= 0)	/* re-executed VM process: the mask stays blocked */
		return run_vm(vm_index, &specs[0], seconds);
	for (i = 0; i < nspecs; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork: %s", strerror(errno));
		if (pid == 0) {
			if (qmp_arg && nspecs > 1)
				reexec_vm(argc, argv, qmp_argi, spec_args, nspecs, i);
			exit(run_vm(i, &specs[i], seconds));
		}
		children[nchildren++] = pid;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigprocmask(SIG_SETMASK, &old, NULL);

	/* Reap in any order; a VM that fails makes the others stop too. */
	for (left = nchildren; left > 0;) {
		int st = 0, bad = 0;
		pid_t pid = waitpid(-1, &st, 0);

		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < nchildren && children[i] != pid; i++)
			;
		if (i == nchildren)
			continue;
		left--;
		children[i] = -pid;	/* reaped: never signal it again */
		if (WIFSIGNALED(st)) {
			int sig = WTERMSIG(st);

			emit("{\"event\":\"vm_killed\",\"vm\":%d,\"pid\":%d,\"signal\":%d}",
			     i, pid, sig);
			bad = sig != SIGKILL && sig != SIGTERM && sig != SIGINT;
		} else if (WIFEXITED(st) && WEXITSTATUS(st)) {
			bad = 1;
		}
		if (bad) {
			rc = 1;
			forward_signal(SIGTERM);
		}
	}
	return rc;
}
