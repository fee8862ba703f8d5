// SPDX-License-Identifier: GPL-2.0
/*
 * kvmtest - a tiny test VMM for the kvmsched end-to-end tests.
 *
 *   kvmtest [--seconds S] [--json] [-m MIB [--used-mib N]]
 *           [-qmp unix:PATH,server=on,wait=off [--qmp-no-balloon]
 *            [--qmp-balloon-id ID]] VMSPEC [VMSPEC ...]
 *   VMSPEC   = NVCPUS:WORKLOAD
 *   WORKLOAD = spin | exits | halt@DUTY | idle
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
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "qmp-endpoint.h"

#define MAX_VCPUS	64
#define MEM_SIZE	0x10000
#define CODE_GPA	0x1000
#define IDLE_GPA	0x2000		/* idle code for the vCPUs past NBUSY */
#define HELLO_PORT	0x10
#define HALT_ON_NS	10000000LL	/* target on-phase of halt@DUTY */
#define HALT_MAX_OFF_NS	2000000000LL
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

enum workload { W_SPIN, W_EXITS, W_HALT, W_IDLE, W_PARKED };

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
	pthread_t thread;
	volatile pid_t tid;
	volatile int entered;		/* saw the hello exit */
	uint64_t cpu_ns, kvm_runs, exits_userspace, guest_iters;
};

struct vm {
	int index;
	struct vmspec *spec;
	int kvm_fd, vm_fd;
	struct vcpu vcpus[MAX_VCPUS];
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

static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	struct vmspec *s = v->vm->spec;
	enum workload wl = v->id < s->nbusy ? s->wl : W_IDLE;
	int64_t loops = 100000, phase_start = 0;
	struct kvm_regs regs;
	sigset_t usr1;
	char msg[128];

	v->tid = syscall(SYS_gettid);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
	if (wl == W_HALT)
		set_ecx(v, loops);

	while (!stop && !failed) {
		int r;

		v->kvm_runs++;
		r = ioctl(v->fd, KVM_RUN, 0);
		v->exits_userspace++;
		if (r < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			snprintf(msg, sizeof(msg), "KVM_RUN: %s", strerror(errno));
			vcpu_fail(v, msg);
			break;
		}
		switch (v->run->exit_reason) {
		case KVM_EXIT_IO:
			if (v->run->io.port != HELLO_PORT)
				goto bad_exit;
			v->entered = 1;
			phase_start = now_ns(CLOCK_MONOTONIC);
			break;
		case KVM_EXIT_HLT:
			if (wl == W_IDLE) {
				sleep_ns(IDLE_SLEEP_NS);
			} else if (wl == W_PARKED) {
				sleep_ns(PARKED_SLEEP_NS);
			} else if (wl == W_HALT) {
				int64_t on = now_ns(CLOCK_MONOTONIC) - phase_start;
				double f = on > 0 ? (double)HALT_ON_NS / on : 4;

				if (f > 4)
					f = 4;
				if (f < 0.25)
					f = 0.25;
				loops = loops * f;
				if (loops < 1000)
					loops = 1000;
				if (loops > 2000000000LL)
					loops = 2000000000LL;
				/* off = on * (100 - D) / D, capped so a slow first cycle
				 * cannot stall the vCPU for long */
				sleep_ns(min_ns(on * (100 - s->duty) / s->duty, HALT_MAX_OFF_NS));
				set_ecx(v, loops);
				phase_start = now_ns(CLOCK_MONOTONIC);
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
			goto out;
		}
	}
out:
	if (ioctl(v->fd, KVM_GET_REGS, &regs) == 0)
		v->guest_iters = (regs.rdi & 0xffffffffULL) << 32 | (regs.rsi & 0xffffffffULL);
	v->cpu_ns = now_ns(CLOCK_THREAD_CPUTIME_ID);
	return NULL;
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
	for (i = 0; i < s->nvcpus; i++)
		if (pthread_create(&vm.vcpus[i].thread, NULL, vcpu_thread, &vm.vcpus[i]))
			die("pthread_create failed");

	/* SIGTERM/SIGINT are blocked in every thread; wait for them here. */
	sigemptyset(&waitset);
	sigaddset(&waitset, SIGTERM);
	sigaddset(&waitset, SIGINT);
	while (!stop && !failed) {
		int64_t t = now_ns(CLOCK_MONOTONIC), wait = 1000000;
		struct timespec ts;

		if (!ready) {
			for (i = 0; i < s->nvcpus && vm.vcpus[i].entered; i++)
				;
			if (i == s->nvcpus) {
				ready = 1;
				t_ready = t;
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
		}
		ts.tv_sec = wait / 1000000000LL;
		ts.tv_nsec = wait % 1000000000LL;
		if (sigtimedwait(&waitset, NULL, &ts) > 0)
			break;
	}

	stop = 1;
	for (i = 0; i < s->nvcpus; i++) {
		vm.vcpus[i].run->immediate_exit = 1;
		pthread_kill(vm.vcpus[i].thread, SIGUSR1);
	}
	for (i = 0; i < s->nvcpus; i++)
		pthread_join(vm.vcpus[i].thread, NULL);
	t_stop = now_ns(CLOCK_MONOTONIC);
	qmp_endpoint_stop(qmp);

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
		"                [--qmp-balloon-id ID]] VMSPEC [VMSPEC ...]\n"
		"  VMSPEC   = NVCPUS:WORKLOAD (NVCPUS 1-%d), one forked process per VM\n"
		"  WORKLOAD = spin | exits | halt@DUTY (DUTY 1-100 %%) | idle | parked,\n"
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
		"  --qmp-balloon-id ID  balloon at /machine/peripheral/ID\n",
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
	} else if (!strncmp(w, "halt@", 5)) {
		s->wl = W_HALT;
		s->duty = strtol(w + 5, &end, 10);
		if (end == w + 5 || *end || s->duty < 1 || s->duty > 100)
			die("bad duty in '%s' (want halt@1..100)", arg);
	} else {
		die("bad workload in '%s' (want spin, exits, halt@DUTY, idle or parked)", arg);
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
