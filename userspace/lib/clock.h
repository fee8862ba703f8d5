/* SPDX-License-Identifier: GPL-2.0 */
/* kvmschedctl: the monotonic clock in ms, for timeouts and ticks. */
#ifndef KVMSCHEDCTL_CLOCK_H
#define KVMSCHEDCTL_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#endif /* KVMSCHEDCTL_CLOCK_H */
