// SPDX-License-Identifier: GPL-2.0
/*
 * kvmsched policy files: YAML (libyaml's document API) into struct policy;
 * see policy.h. Every value goes through kv_parse() against kv_vm_keys or
 * kv_config_keys, so the accepted ranges and their messages are exactly
 * kvmschedctl set's and config's.
 */
#define _GNU_SOURCE		/* strcasecmp */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <yaml.h>

#include "policy.h"

#define POLICY_FILE_MAX	(1024 * 1024)

const char *pol_match_name(enum pol_match kind)
{
	switch (kind) {
	case POL_NAME:
		return "name";
	case POL_UUID:
		return "uuid";
	case POL_CMDLINE:
		return "cmdline";
	}
	return "?";
}

struct pctx {
	const char *file;
	yaml_document_t *doc;
	struct policy *p;
	char *err;
	size_t errlen;
};

static int __attribute__((format(printf, 3, 4)))
perr(struct pctx *c, const yaml_node_t *n, const char *fmt, ...)
{
	size_t off;
	va_list ap;

	off = (size_t)snprintf(c->err, c->errlen, "%s:%zu:%zu: ", c->file,
			       n->start_mark.line + 1,
			       n->start_mark.column + 1);
	if (off >= c->errlen)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(c->err + off, c->errlen - off, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static const char *type_name(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return "a value";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "nothing";
	}
}

static const char *scalar(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

static yaml_node_t *node(struct pctx *c, int i)
{
	return yaml_document_get_node(c->doc, i);
}

/*
 * The keys of mapping m must be scalars from allowed[] (NULL-terminated),
 * each at most once.
 */
static int check_keys(struct pctx *c, const yaml_node_t *m, const char *what,
		      const char *const *allowed)
{
	yaml_node_pair_t *a, *b;
	char list[256] = "";
	size_t i, off = 0;

	for (i = 0; allowed[i]; i++)
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
					i ? ", " : "", allowed[i]);
	for (a = m->data.mapping.pairs.start; a < m->data.mapping.pairs.top; a++) {
		yaml_node_t *k = node(c, a->key);

		if (k->type != YAML_SCALAR_NODE)
			return perr(c, k, "%s: a key must be a plain word, not %s",
				    what, type_name(k));
		for (i = 0; allowed[i] && strcmp(allowed[i], scalar(k)); i++)
			;
		if (!allowed[i])
			return perr(c, k, "%s: unknown key '%.64s' (accepted keys: %s)",
				    what, scalar(k), list);
		for (b = m->data.mapping.pairs.start; b < a; b++)
			if (!strcmp(scalar(node(c, b->key)), scalar(k)))
				return perr(c, k, "%s: key '%s' given twice (first at line %zu)",
					    what, scalar(k),
					    node(c, b->key)->start_mark.line + 1);
	}
	return 0;
}

/*
 * A mapping of KEY: VALUE settings against table, into s[]/args[] (*n of
 * them, at most max); kv_cross_check() over the whole mapping.
 */
static int parse_settings(struct pctx *c, const yaml_node_t *m,
			  const char *what, const struct kv_key *table,
			  struct kv_setting *s, char **args, size_t *n,
			  size_t max, char (*where)[POLICY_WHERE_LEN])
{
	char msg[ERRLEN];
	yaml_node_pair_t *pr;
	size_t first = *n;
	int rc;

	if (m->type != YAML_MAPPING_NODE)
		return perr(c, m, "%s: expected a mapping of KEY: VALUE, not %s",
			    what, type_name(m));
	for (pr = m->data.mapping.pairs.start; pr < m->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = node(c, pr->key), *v = node(c, pr->value);
		size_t i, len;

		if (k->type != YAML_SCALAR_NODE)
			return perr(c, k, "%s: a key must be a plain word, not %s",
				    what, type_name(k));
		if (v->type != YAML_SCALAR_NODE)
			return perr(c, v, "%s: %s: expected a value, not %s",
				    what, scalar(k), type_name(v));
		for (i = first; i < *n; i++)
			if (!strcmp(s[i].key->key, scalar(k)))
				return perr(c, k, "%s: key '%s' given twice",
					    what, scalar(k));
		if (*n == max)
			return perr(c, k, "%s: too many settings (at most %zu)",
				    what, max);
		len = strlen(scalar(k)) + strlen(scalar(v)) + 2;
		args[*n] = malloc(len);
		if (!args[*n])
			return -ENOMEM;
		snprintf(args[*n], len, "%s=%s", scalar(k), scalar(v));
		/* A key with '=' in it would split wrong: refuse it as unknown. */
		if (strchr(scalar(k), '=') || !*scalar(k)) {
			free(args[*n]);
			args[*n] = NULL;
			kv_parse(table, "?=", &s[*n], msg, sizeof(msg));
			return perr(c, k, "%s: %s", what, msg);
		}
		rc = kv_parse(table, args[*n], &s[*n], msg, sizeof(msg));
		if (rc) {
			const struct kv_key *kk = kv_find(table, scalar(k),
							  strlen(scalar(k)));

			free(args[*n]);
			args[*n] = NULL;
			/* Point at the value unless the key is what is wrong. */
			return perr(c, kk && !(kk->flags & KV_READONLY) ? v : k,
				    "%s: %s", what, msg);
		}
		if (where)
			snprintf(where[*n], POLICY_WHERE_LEN, "%s:%zu", c->file,
				 k->start_mark.line + 1);
		(*n)++;
	}
	rc = kv_cross_check(table, s + first, *n - first, msg, sizeof(msg));
	if (rc)
		return perr(c, m, "%s: %s", what, msg);
	return 0;
}

static int parse_config(struct pctx *c, const yaml_node_t *m)
{
	struct policy *p = c->p;
	size_t before = p->nconfig, i, j;
	int rc;

	rc = parse_settings(c, m, "config", kv_config_keys, p->config,
			    p->config_args, &p->nconfig, POLICY_MAX_CONFIG,
			    p->config_where);
	if (rc)
		return rc;
	/* A global key set by two files is a conflict, not an override. */
	for (i = before; i < p->nconfig; i++)
		for (j = 0; j < before; j++)
			if (p->config[i].key == p->config[j].key) {
				snprintf(c->err, c->errlen,
					 "%s: config: %s set again (already set at %s)",
					 p->config_where[i],
					 p->config[i].key->key,
					 p->config_where[j]);
				return -EINVAL;
			}
	return 0;
}

static const char *const rule_keys[] = { "name", "uuid", "cmdline", "set", NULL };

static int parse_rule(struct pctx *c, const yaml_node_t *m, struct pol_rule *r)
{
	const yaml_node_t *set = NULL, *pat = NULL;
	yaml_node_pair_t *pr;
	char what[64];
	size_t i;
	int rc;

	snprintf(what, sizeof(what), "rule %u", r->index);
	snprintf(r->where, sizeof(r->where), "%s:%zu", c->file,
		 m->start_mark.line + 1);
	if (m->type != YAML_MAPPING_NODE)
		return perr(c, m, "%s: expected a mapping (name, uuid or cmdline, and set), not %s",
			    what, type_name(m));
	rc = check_keys(c, m, what, rule_keys);
	if (rc)
		return rc;
	for (pr = m->data.mapping.pairs.start; pr < m->data.mapping.pairs.top; pr++) {
		const char *k = scalar(node(c, pr->key));
		yaml_node_t *v = node(c, pr->value);

		if (!strcmp(k, "set")) {
			set = v;
			continue;
		}
		if (pat)
			return perr(c, node(c, pr->key),
				    "%s: matches by %s and by %s: give exactly one of name, uuid, cmdline",
				    what, pol_match_name(r->kind), k);
		if (v->type != YAML_SCALAR_NODE || !*scalar(v))
			return perr(c, v, "%s: %s: expected a non-empty value, not %s",
				    what, k, v->type == YAML_SCALAR_NODE ?
				    "an empty one" : type_name(v));
		pat = v;
		r->kind = !strcmp(k, "name") ? POL_NAME :
			  !strcmp(k, "uuid") ? POL_UUID : POL_CMDLINE;
	}
	if (!pat)
		return perr(c, m, "%s: matches nothing: give one of name, uuid, cmdline",
			    what);
	if (r->kind == POL_UUID && strlen(scalar(pat)) != VM_UUID_LEN)
		return perr(c, pat, "%s: uuid: '%.64s' is not a UUID (accepted: 36 characters, 8-4-4-4-12 hex digits)",
			    what, scalar(pat));
	if (r->kind == POL_UUID)
		for (i = 0; i < VM_UUID_LEN; i++) {
			char ch = scalar(pat)[i];
			bool dash = i == 8 || i == 13 || i == 18 || i == 23;

			if (dash ? ch != '-' : !strchr("0123456789abcdefABCDEF", ch))
				return perr(c, pat, "%s: uuid: '%s' is not a UUID (accepted: 36 characters, 8-4-4-4-12 hex digits)",
					    what, scalar(pat));
		}
	if (!set)
		return perr(c, m, "%s: sets nothing: add 'set:' with kvmschedctl set keys",
			    what);
	r->pattern = strdup(scalar(pat));
	if (!r->pattern)
		return -ENOMEM;
	rc = parse_settings(c, set, what, kv_vm_keys, r->set, r->args,
			    &r->nset, POLICY_MAX_SET, NULL);
	if (rc)
		return rc;
	if (!r->nset)
		return perr(c, set, "%s: sets nothing: 'set:' is empty", what);
	/* The same match twice: the second rule could never apply. */
	for (i = 0; i + 1 < r->index; i++) {
		const struct pol_rule *o = &c->p->rules[i];

		if (o->kind == r->kind &&
		    (r->kind == POL_UUID ? !strcasecmp(o->pattern, r->pattern) :
					   !strcmp(o->pattern, r->pattern)))
			return perr(c, pat, "%s: conflicts with rule %u at %s: both match %s '%s'",
				    what, o->index, o->where,
				    pol_match_name(r->kind), r->pattern);
	}
	return 0;
}

static int parse_rules(struct pctx *c, const yaml_node_t *seq)
{
	struct policy *p = c->p;
	yaml_node_item_t *it;
	size_t n;
	int rc;

	if (seq->type != YAML_SEQUENCE_NODE)
		return perr(c, seq, "rules: expected a list of rules ('- name: ...'), not %s",
			    type_name(seq));
	n = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
	if (!n)
		return 0;
	{
		struct pol_rule *nr = realloc(p->rules,
					      (p->nrules + n) * sizeof(*nr));

		if (!nr)
			return -ENOMEM;
		p->rules = nr;
	}
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		struct pol_rule *r = &p->rules[p->nrules];

		memset(r, 0, sizeof(*r));
		r->index = (unsigned int)++p->nrules;
		rc = parse_rule(c, node(c, *it), r);
		if (rc)
			return rc;
	}
	return 0;
}

static const char *const top_keys[] = { "config", "rules", NULL };

int policy_parse(const char *name, const char *text, size_t len,
		 struct policy *p, char *err, size_t errlen)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct pctx c = { .file = name, .doc = &doc, .p = p, .err = err,
			  .errlen = errlen };
	yaml_node_t *root;
	yaml_node_pair_t *pr;
	int rc = 0;

	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		const yaml_mark_t *mk = parser.problem ? &parser.problem_mark :
					&parser.context_mark;

		snprintf(err, errlen, "%s:%zu:%zu: YAML syntax: %s%s%s", name,
			 mk->line + 1, mk->column + 1,
			 parser.problem ? parser.problem : "error",
			 parser.context ? " " : "",
			 parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		return -EINVAL;
	}
	p->nfiles++;
	root = yaml_document_get_root_node(&doc);
	if (!root)		/* empty file */
		goto out;
	if (root->type == YAML_SCALAR_NODE && !*scalar(root))
		goto out;
	if (root->type != YAML_MAPPING_NODE) {
		rc = perr(&c, root, "expected a mapping with 'config:' and 'rules:', not %s",
			  type_name(root));
		goto out;
	}
	rc = check_keys(&c, root, "top level", top_keys);
	for (pr = root->data.mapping.pairs.start;
	     !rc && pr < root->data.mapping.pairs.top; pr++) {
		const yaml_node_t *v = node(&c, pr->value);

		if (v->type == YAML_SCALAR_NODE && !*scalar(v))
			continue;	/* "rules:" with nothing under it */
		if (!strcmp(scalar(node(&c, pr->key)), "config"))
			rc = parse_config(&c, v);
		else
			rc = parse_rules(&c, v);
	}
	if (!rc) {
		/* Yet another document in the same file is a mistake. */
		yaml_document_t more;

		if (!yaml_parser_load(&parser, &more)) {
			snprintf(err, errlen, "%s:%zu:%zu: YAML syntax: %s", name,
				 parser.problem_mark.line + 1,
				 parser.problem_mark.column + 1,
				 parser.problem ? parser.problem : "error");
			rc = -EINVAL;
		} else {
			root = yaml_document_get_root_node(&more);
			if (root)
				rc = perr(&c, root, "a second YAML document ('---'): put everything in one");
			yaml_document_delete(&more);
		}
	}
out:
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return rc;
}

static int parse_file(const char *path, struct policy *p, char *err,
		      size_t errlen)
{
	FILE *f = fopen(path, "r");
	size_t len;
	char *buf;
	int rc;

	if (!f) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return rc;
	}
	buf = malloc(POLICY_FILE_MAX + 1);
	if (!buf) {
		fclose(f);
		return -ENOMEM;
	}
	len = fread(buf, 1, POLICY_FILE_MAX + 1, f);
	if (ferror(f) || len > POLICY_FILE_MAX) {
		snprintf(err, errlen, "%s: %s", path, ferror(f) ?
			 strerror(EIO) : "larger than 1 MiB");
		fclose(f);
		free(buf);
		return -EFBIG;
	}
	fclose(f);
	rc = policy_parse(path, buf, len, p, err, errlen);
	free(buf);
	return rc;
}

static int dropin_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 5 && !strcmp(d->d_name + n - 5, ".conf");
}

static int load_dir(const char *dir, struct policy *p, char *err,
		    size_t errlen)
{
	char path[4096];
	struct dirent **ents;
	struct stat st;
	int i, n, rc = 0;

	snprintf(path, sizeof(path), "%s/" POLICY_MAIN, dir);
	if (!stat(path, &st)) {
		rc = parse_file(path, p, err, errlen);
		if (rc)
			return rc;
	}
	snprintf(path, sizeof(path), "%s/" POLICY_DROPIN_DIR, dir);
	n = scandir(path, &ents, dropin_filter, alphasort);
	if (n < 0)
		return errno == ENOENT ? 0 :
		       (snprintf(err, errlen, "%s: %s", path, strerror(errno)), -errno);
	for (i = 0; i < n; i++) {
		if (!rc) {
			snprintf(path, sizeof(path), "%s/" POLICY_DROPIN_DIR "/%s",
				 dir, ents[i]->d_name);
			rc = parse_file(path, p, err, errlen);
		}
		free(ents[i]);
	}
	free(ents);
	return rc;
}

int policy_load(const char *path, struct policy *p, char *err, size_t errlen)
{
	struct stat st;
	int rc;

	memset(p, 0, sizeof(*p));
	if (stat(path, &st)) {
		if (errno == ENOENT && !strcmp(path, POLICY_DIR))
			return 0;
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return rc;
	}
	rc = S_ISDIR(st.st_mode) ? load_dir(path, p, err, errlen) :
				   parse_file(path, p, err, errlen);
	if (rc) {
		if (rc == -ENOMEM)
			snprintf(err, errlen, "%s: %s", path, strerror(ENOMEM));
		policy_free(p);
	}
	return rc;
}

void policy_free(struct policy *p)
{
	size_t i, j;

	for (i = 0; i < p->nconfig; i++)
		free(p->config_args[i]);
	for (i = 0; i < p->nrules; i++) {
		free(p->rules[i].pattern);
		for (j = 0; j < POLICY_MAX_SET; j++)
			free(p->rules[i].args[j]);
	}
	free(p->rules);
	memset(p, 0, sizeof(*p));
}

void pol_rule_sets(const struct pol_rule *r, char *buf, size_t len)
{
	size_t i, off = 0;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < r->nset && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					i ? " " : "", r->args[i]);
}
