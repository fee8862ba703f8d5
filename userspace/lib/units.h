/* SPDX-License-Identifier: GPL-2.0 */
/* kvmschedctl: bytes and MiB (QMP speaks bytes, kvmsched MiB). */
#ifndef KVMSCHEDCTL_UNITS_H
#define KVMSCHEDCTL_UNITS_H

#include <stdint.h>

#define MIB			(UINT64_C(1) << 20)

/* bytes in whole MiB, saturated at UINT32_MAX. */
static inline uint32_t to_mib(uint64_t bytes)
{
	uint64_t m = bytes / MIB;

	return m > UINT32_MAX ? UINT32_MAX : (uint32_t)m;
}

/* |a - b| */
static inline uint32_t mib_dist(uint32_t a, uint32_t b)
{
	return a > b ? a - b : b - a;
}

#endif /* KVMSCHEDCTL_UNITS_H */
