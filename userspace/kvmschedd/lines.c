// SPDX-License-Identifier: GPL-2.0
/* balloond's --map and --targets files, one line at a time; see lines.h. */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lines.h"

int bd_parse_line(const char *line, struct bd_line *e, char *err,
		  size_t errlen)
{
	char key[QMP_PATH_MAX + 8], rest[QMP_PATH_MAX + 8];
	const char *p = line, *k;
	size_t n;

	memset(e, 0, sizeof(*e));
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p || *p == '#' || *p == '\n' || *p == '\r')
		return 0;
	/* KEY */
	for (n = 0; *p && !isspace((unsigned char)*p); p++) {
		if (n >= sizeof(key) - 1) {
			snprintf(err, errlen, "key too long");
			return -EINVAL;
		}
		key[n++] = *p;
	}
	key[n] = '\0';
	while (*p == ' ' || *p == '\t')
		p++;
	/* VALUE: up to a comment or the end, trailing blanks dropped. */
	for (n = 0; *p && *p != '#' && *p != '\n' && *p != '\r'; p++) {
		if (n >= sizeof(rest) - 1) {
			snprintf(err, errlen, "value too long");
			return -EINVAL;
		}
		rest[n++] = *p;
	}
	while (n && (rest[n - 1] == ' ' || rest[n - 1] == '\t'))
		n--;
	rest[n] = '\0';
	if (!rest[0]) {
		snprintf(err, errlen, "'%.64s' has no value", key);
		return -EINVAL;
	}
	if (strlen(rest) >= sizeof(e->value)) {
		snprintf(err, errlen, "value too long");
		return -EINVAL;
	}
	qmp_scopy(e->value, sizeof(e->value), rest);

	if (!strncmp(key, "pid:", 4)) {
		char *end;
		unsigned long v;

		k = key + 4;
		errno = 0;
		v = strtoul(k, &end, 10);
		if (!isdigit((unsigned char)*k) || *end || errno || !v ||
		    v > 0x7fffffff) {
			snprintf(err, errlen, "invalid pid '%.32s'", k);
			return -EINVAL;
		}
		e->key = BD_KEY_PID;
		e->pid = (uint32_t)v;
		return 1;
	}
	if (!strncmp(key, "name:", 5)) {
		k = key + 5;
		if (!*k) {
			snprintf(err, errlen, "empty VM name");
			return -EINVAL;
		}
		if (strlen(k) >= sizeof(e->name)) {
			snprintf(err, errlen, "VM name too long");
			return -EINVAL;
		}
		e->key = BD_KEY_NAME;
		qmp_scopy(e->name, sizeof(e->name), k);
		return 1;
	}
	if (key[0] == '/') {
		if (strlen(key) >= sizeof(e->name)) {
			snprintf(err, errlen, "socket path too long (at most %zu bytes)",
				 sizeof(e->name) - 1);
			return -EINVAL;
		}
		e->key = BD_KEY_SOCKET;
		qmp_scopy(e->name, sizeof(e->name), key);
		return 1;
	}
	snprintf(err, errlen, "'%.64s' is not pid:PID, name:NAME or an absolute socket path",
		 key);
	return -EINVAL;
}

int bd_parse_map_line(const char *line, struct bd_line *e, char *err,
		      size_t errlen)
{
	int rc = bd_parse_line(line, e, err, errlen);

	if (rc <= 0)
		return rc;
	if (e->key == BD_KEY_SOCKET) {
		snprintf(err, errlen, "a map line is name:NAME SOCKET or pid:PID SOCKET");
		return -EINVAL;
	}
	if (e->value[0] != '/' || strpbrk(e->value, " \t")) {
		snprintf(err, errlen, "'%.64s' is not an absolute socket path",
			 e->value);
		return -EINVAL;
	}
	return 1;
}

int bd_parse_target_line(const char *line, struct bd_line *e, uint32_t *mib,
			 char *err, size_t errlen)
{
	int rc = bd_parse_line(line, e, err, errlen);
	unsigned long v;
	char *end;

	if (rc <= 0)
		return rc;
	if (e->key == BD_KEY_NAME) {
		snprintf(err, errlen, "a targets line is pid:PID MIB or SOCKET MIB");
		return -EINVAL;
	}
	errno = 0;
	v = strtoul(e->value, &end, 10);
	if (!isdigit((unsigned char)e->value[0]) || *end || errno || !v ||
	    v > 16777216) {
		snprintf(err, errlen, "target '%.32s' is not a number of MiB (1-16777216)",
			 e->value);
		return -EINVAL;
	}
	*mib = (uint32_t)v;
	return 1;
}
