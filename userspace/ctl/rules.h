/* SPDX-License-Identifier: GPL-2.0 */
/* kvmschedctl rules and reload: the policy files' commands (rules.c, reload.c). */
#ifndef KVMSCHEDCTL_RULES_H
#define KVMSCHEDCTL_RULES_H

int cmd_rules(int argc, char **argv);
int cmd_reload(int argc, char **argv);

#endif /* KVMSCHEDCTL_RULES_H */
