// SPDX-License-Identifier: GPL-2.0
/*
 * kvmschedd: the kvmsched daemon (persistent policy, balloon actuator,
 * metrics textfile). Its options and everything else are shared with
 * kvmschedctl balloond: see balloond.c.
 */
#include "balloond.h"

int main(int argc, char **argv)
{
	return kvmschedd_main(argc, argv);
}
