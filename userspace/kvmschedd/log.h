/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmschedd: where its log lines go (stderr) and in which form; blog()
 * itself is declared in daemon.h, its levels in logline.h.
 */
#ifndef KVMSCHEDD_LOG_H
#define KVMSCHEDD_LOG_H

#include <stdbool.h>

#include "logline.h"

/*
 * Before the first line: tag names the daemon in plain lines ("kvmschedd",
 * or "balloond" for kvmschedctl balloond); syslog_prefix (--log-prefix)
 * forces the "<P>" form, which is also chosen when stderr is the journal
 * ($JOURNAL_STREAM names fd 2). Returns the form chosen.
 */
enum log_form log_setup(const char *tag, bool syslog_prefix);

#endif /* KVMSCHEDD_LOG_H */
