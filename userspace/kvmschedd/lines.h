/* SPDX-License-Identifier: GPL-2.0 */
/* balloond: the lines of its --map and --targets files. Pure. */
#ifndef KVMSCHEDD_LINES_H
#define KVMSCHEDD_LINES_H

#include <stddef.h>
#include <stdint.h>

#include "qmp.h"		/* QMP_PATH_MAX */

/*
 * One line of a balloond map or targets file: "KEY VALUE", blanks around,
 * '#' starts a comment. KEY is pid:PID, name:NAME or a socket path (an
 * absolute path). Returns 1 and fills *e, 0 for a blank or comment line,
 * -EINVAL with err set for a bad line.
 */
enum bd_key { BD_KEY_PID, BD_KEY_NAME, BD_KEY_SOCKET };
struct bd_line {
	enum bd_key key;
	uint32_t pid;			/* BD_KEY_PID */
	char name[QMP_PATH_MAX];	/* BD_KEY_NAME: the name; SOCKET: path */
	char value[QMP_PATH_MAX];	/* the rest of the line */
};
int bd_parse_line(const char *line, struct bd_line *e, char *err,
		  size_t errlen);
/*
 * A map line: name:NAME SOCKET or pid:PID SOCKET (SOCKET absolute).
 * A targets line: pid:PID MIB or SOCKET MIB (MIB 1-16777216) -> *mib.
 */
int bd_parse_map_line(const char *line, struct bd_line *e, char *err,
		      size_t errlen);
int bd_parse_target_line(const char *line, struct bd_line *e, uint32_t *mib,
			 char *err, size_t errlen);

#endif /* KVMSCHEDD_LINES_H */
