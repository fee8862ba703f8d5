// SPDX-License-Identifier: GPL-2.0
/*
 * kvmsched global tunables (KVM-free, see config.h).
 */
#include <linux/errno.h>

#include "config.h"

struct kvms_config kvms_config = {
	.period_ms = KVMS_PERIOD_MS_DEFAULT,
};

/**
 * kvms_config_validate() - check a whole candidate configuration
 * @cfg: the candidate
 * @why: set to a message naming the bad field and its range on failure
 *
 * Return: 0 if every field is in range, -ERANGE otherwise.
 */
int kvms_config_validate(const struct kvms_config *cfg, const char **why)
{
	if (cfg->period_ms < KVMS_PERIOD_MS_MIN ||
	    cfg->period_ms > KVMS_PERIOD_MS_MAX) {
		*why = "period_ms must be 10-1000";
		return -ERANGE;
	}
	return 0;
}
