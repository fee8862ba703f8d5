/* SPDX-License-Identifier: GPL-2.0 */
/* kvmschedctl: a compact JSON writer. Pure. */
#ifndef KVMSCHEDCTL_JSON_H
#define KVMSCHEDCTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Write s as a JSON string, quotes included. Control characters and DEL are
 * \u-escaped, and bytes that are not valid UTF-8 become \ufffd, so the
 * output is always valid JSON whatever the kernel or user sent.
 */
void json_string(FILE *f, const char *s);

#define JW_MAX_DEPTH 16

/* A compact JSON writer that places the commas. */
struct jw {
	FILE *f;
	unsigned int depth;
	bool has_items[JW_MAX_DEPTH + 1];
};

void jw_init(struct jw *w, FILE *f);
/* key is NULL for array elements and the top level. */
void jw_obj_begin(struct jw *w, const char *key);
void jw_obj_end(struct jw *w);
void jw_arr_begin(struct jw *w, const char *key);
void jw_arr_end(struct jw *w);
void jw_str(struct jw *w, const char *key, const char *v);	/* NULL: null */
void jw_uint(struct jw *w, const char *key, uint64_t v);
void jw_int(struct jw *w, const char *key, int64_t v);
void jw_fixed(struct jw *w, const char *key, double v, int decimals);
void jw_null(struct jw *w, const char *key);

#endif /* KVMSCHEDCTL_JSON_H */
