// SPDX-License-Identifier: GPL-2.0
/*
 * kvmsched policy from libvirt's domain XML <metadata>, read with libexpat
 * in its namespace mode; see libvirt.h.
 *
 * Where the file comes from (libvirt's sources): the QEMU driver's
 * stateDir is RUNSTATEDIR "/libvirt/qemu" for the system daemon, and
 * virDomainObjSave() writes virDomainObjFormat() there as NAME.xml: a
 * <domstatus state= reason= pid=> whose child <domain> is the live
 * definition. libvirt keeps each <metadata> child as parsed, with its
 * namespace (virXMLNodeSanitizeNamespaces() drops children without one and
 * all but the first of each namespace), so the kvmsched element and its
 * children are in LIBVIRT_NS whatever prefix the writer chose. The status
 * file is saved while QEMU is still paused (-S), before its vCPUs first
 * enter the guest, i.e. before kvmsched reports the VM.
 */
#include <errno.h>
#include <expat.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libvirt.h"

#define NS_SEP		' '	/* expat joins "URI local" with it */
#define VALUE_MAX	256	/* longest element text kept */
#define DEPTH_MAX	64	/* deeper elements are not ours: not tracked */
#define LV_FILE_MAX	(16 << 20)	/* bytes; libvirt's live XML is kilobytes */

/* What an open element is to us. */
enum lv_elem {
	E_OTHER,	/* anything we do not read */
	E_DOMSTATUS,
	E_DOMAIN,
	E_NAME,		/* <domain><name> */
	E_UUID,		/* <domain><uuid> */
	E_METADATA,
	E_POLICY,	/* <kvmsched:policy> */
	E_KEY,		/* a setting inside it */
};

struct lv_ctx {
	XML_Parser xp;
	const char *file;
	struct lv_policy *lp;
	char *err;
	size_t errlen;
	int rc;				/* first error, 0 if none */
	unsigned int depth;
	enum lv_elem stack[DEPTH_MAX + 1];
	unsigned long policy_line;	/* of <policy>, 0 if none yet */
	unsigned long policy_col;
	/* The open E_NAME, E_UUID or E_KEY element. */
	char key[64];
	unsigned long key_line, key_col;
	char text[VALUE_MAX + 1];
	size_t textlen;
	bool text_long;
};

/* Record the first error at line:col (1-based) and stop the parser. */
static void __attribute__((format(printf, 4, 5)))
lv_fail(struct lv_ctx *c, unsigned long line, unsigned long col,
	const char *fmt, ...)
{
	size_t off;
	va_list ap;

	if (c->rc)
		return;
	c->rc = -EINVAL;
	off = (size_t)snprintf(c->err, c->errlen, "%s:%lu:%lu: ", c->file,
			       line, col);
	if (off < c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err + off, c->errlen - off, fmt, ap);
		va_end(ap);
	}
	XML_StopParser(c->xp, XML_FALSE);
}

static unsigned long cur_line(struct lv_ctx *c)
{
	return (unsigned long)XML_GetCurrentLineNumber(c->xp);
}

static unsigned long cur_col(struct lv_ctx *c)
{
	return (unsigned long)XML_GetCurrentColumnNumber(c->xp) + 1;
}

/* "URI local" or "local": the local name, and whether the URI is ours. */
static const char *local_name(const XML_Char *name, bool *ours, bool *no_ns)
{
	const char *sp = strrchr(name, NS_SEP);
	size_t n = sizeof(LIBVIRT_NS) - 1;

	*no_ns = !sp;
	*ours = sp && (size_t)(sp - name) == n && !strncmp(name, LIBVIRT_NS, n);
	return sp ? sp + 1 : name;
}

static const char *attr(const XML_Char **atts, const char *name)
{
	for (; atts && atts[0]; atts += 2)
		if (!strcmp(atts[0], name))
			return atts[1];
	return NULL;
}

static void start_text(struct lv_ctx *c)
{
	c->textlen = 0;
	c->text[0] = '\0';
	c->text_long = false;
	c->key_line = cur_line(c);
	c->key_col = cur_col(c);
}

static enum lv_elem classify(struct lv_ctx *c, enum lv_elem parent,
			     const XML_Char *name, const XML_Char **atts)
{
	bool ours, no_ns;
	const char *local = local_name(name, &ours, &no_ns);
	const char *pid;

	switch (parent) {
	case E_OTHER:
		/* The root: libvirt's status file, or a bare definition. */
		if (no_ns && !strcmp(local, "domstatus")) {
			pid = attr(atts, "pid");
			if (pid && parse_u32(pid, &c->lp->pid))
				c->lp->pid = 0;
			return E_DOMSTATUS;
		}
		if (no_ns && !strcmp(local, "domain"))
			return E_DOMAIN;
		lv_fail(c, cur_line(c), cur_col(c),
			"not a libvirt domain XML: the root element is <%.64s>, expected <domstatus> or <domain>",
			local);
		return E_OTHER;
	case E_DOMSTATUS:
		return no_ns && !strcmp(local, "domain") ? E_DOMAIN : E_OTHER;
	case E_DOMAIN:
		if (!no_ns)
			return E_OTHER;
		if (!strcmp(local, "name") || !strcmp(local, "uuid")) {
			start_text(c);
			return local[0] == 'n' ? E_NAME : E_UUID;
		}
		return !strcmp(local, "metadata") ? E_METADATA : E_OTHER;
	case E_METADATA:
		if (!ours)
			return E_OTHER;		/* someone else's metadata */
		if (strcmp(local, LIBVIRT_ELEM)) {
			lv_fail(c, cur_line(c), cur_col(c),
				"unknown element <%.64s> in the kvmsched namespace (expected <" LIBVIRT_ELEM ">)",
				local);
			return E_OTHER;
		}
		if (c->policy_line) {
			lv_fail(c, cur_line(c), cur_col(c),
				"a second kvmsched <" LIBVIRT_ELEM "> (the first is at line %lu): give one",
				c->policy_line);
			return E_OTHER;
		}
		c->policy_line = cur_line(c);
		c->policy_col = cur_col(c);
		c->lp->found = true;
		return E_POLICY;
	case E_POLICY:
		if (!ours)
			return E_OTHER;		/* an extension: not ours to judge */
		snprintf(c->key, sizeof(c->key), "%s", local);
		start_text(c);
		return E_KEY;
	case E_KEY:
		lv_fail(c, cur_line(c), cur_col(c),
			"%s: expected a value, not an element <%.64s>", c->key,
			local);
		return E_OTHER;
	default:
		return E_OTHER;
	}
}

static void XMLCALL on_start(void *data, const XML_Char *name,
			     const XML_Char **atts)
{
	struct lv_ctx *c = data;
	enum lv_elem parent, e = E_OTHER;

	if (c->rc)
		return;
	parent = c->depth && c->depth <= DEPTH_MAX ? c->stack[c->depth] :
		 E_OTHER;
	c->depth++;
	/* Only the root and the children of what we read are looked at. */
	if (c->depth == 1 || parent != E_OTHER)
		e = classify(c, parent, name, atts);
	if (c->depth <= DEPTH_MAX)
		c->stack[c->depth] = e;
}

static void XMLCALL on_text(void *data, const XML_Char *s, int len)
{
	struct lv_ctx *c = data;
	enum lv_elem e;
	size_t n = (size_t)len;

	if (c->rc || !c->depth || c->depth > DEPTH_MAX)
		return;
	e = c->stack[c->depth];
	if (e != E_NAME && e != E_UUID && e != E_KEY)
		return;
	if (c->textlen + n > VALUE_MAX) {
		c->text_long = true;
		n = VALUE_MAX - c->textlen;
	}
	memcpy(c->text + c->textlen, s, n);
	c->textlen += n;
	c->text[c->textlen] = '\0';
}

/* The element's text without leading and trailing XML white space. */
static char *trimmed(struct lv_ctx *c)
{
	char *s = c->text, *e = c->text + c->textlen;

	while (s < e && strchr(" \t\r\n", *s))
		s++;
	while (e > s && strchr(" \t\r\n", e[-1]))
		e--;
	*e = '\0';
	return s;
}

static void end_key(struct lv_ctx *c)
{
	struct lv_policy *lp = c->lp;
	char msg[ERRLEN], *v = trimmed(c);
	const struct kv_key *k;
	size_t i, len;

	k = kv_find(kv_vm_keys, c->key, strlen(c->key));
	if (k && k->attr == KVMSCHED_A_VM_NAME) {
		lv_fail(c, c->key_line, c->key_col,
			"name: not set from the metadata (the VM's name is the domain's <name>)");
		return;
	}
	for (i = 0; i < lp->nset; i++)
		if (!strcmp(lp->set[i].key->key, c->key)) {
			lv_fail(c, c->key_line, c->key_col,
				"%s given twice (first at %s)", c->key,
				lp->where[i]);
			return;
		}
	if (lp->nset == POLICY_MAX_SET) {
		lv_fail(c, c->key_line, c->key_col,
			"too many settings (at most %d)", POLICY_MAX_SET);
		return;
	}
	if (c->text_long) {
		lv_fail(c, c->key_line, c->key_col,
			"%s: the value is longer than %d characters", c->key,
			VALUE_MAX);
		return;
	}
	len = strlen(c->key) + strlen(v) + 2;
	lp->args[lp->nset] = malloc(len);
	if (!lp->args[lp->nset]) {
		c->rc = -ENOMEM;
		snprintf(c->err, c->errlen, "%s: %s", c->file, strerror(ENOMEM));
		XML_StopParser(c->xp, XML_FALSE);
		return;
	}
	snprintf(lp->args[lp->nset], len, "%s=%s", c->key, v);
	/* An XML name has no '=': kv_parse() splits where we joined. */
	if (kv_parse(kv_vm_keys, lp->args[lp->nset], &lp->set[lp->nset], msg,
		     sizeof(msg))) {
		free(lp->args[lp->nset]);
		lp->args[lp->nset] = NULL;
		lv_fail(c, c->key_line, c->key_col, "%s", msg);
		return;
	}
	snprintf(lp->where[lp->nset], POLICY_WHERE_LEN, "%s:%lu", c->file,
		 c->key_line);
	lp->nset++;
}

static void XMLCALL on_end(void *data, const XML_Char *name)
{
	struct lv_ctx *c = data;
	enum lv_elem e = c->depth <= DEPTH_MAX ? c->stack[c->depth] : E_OTHER;
	char msg[ERRLEN], *v;

	(void)name;
	if (c->rc)
		return;
	switch (e) {
	case E_NAME:
		v = trimmed(c);
		if (strlen(v) <= KVMSCHED_VM_NAME_MAX_LEN)
			strcpy(c->lp->name, v);
		break;
	case E_UUID:
		v = trimmed(c);
		if (strlen(v) == VM_UUID_LEN)
			strcpy(c->lp->uuid, v);
		break;
	case E_KEY:
		end_key(c);
		break;
	case E_POLICY:
		if (!c->rc && kv_cross_check(kv_vm_keys, c->lp->set,
					     c->lp->nset, msg, sizeof(msg)))
			lv_fail(c, c->policy_line, c->policy_col, "%s", msg);
		break;
	default:
		break;
	}
	c->depth--;
}

/* libvirt writes no DTD; one could only declare entities we do not want. */
static void XMLCALL on_doctype(void *data, const XML_Char *name,
			       const XML_Char *sysid, const XML_Char *pubid,
			       int has_internal_subset)
{
	struct lv_ctx *c = data;

	(void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
	lv_fail(c, cur_line(c), cur_col(c),
		"a DOCTYPE declaration (libvirt writes none): refused");
}

static struct lv_ctx *lv_begin(const char *file, struct lv_policy *lp,
			       char *err, size_t errlen)
{
	struct lv_ctx *c;

	memset(lp, 0, sizeof(*lp));
	snprintf(lp->path, sizeof(lp->path), "%s", file);
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->xp = XML_ParserCreateNS(NULL, NS_SEP);
	if (!c->xp) {
		free(c);
		return NULL;
	}
	c->file = file;
	c->lp = lp;
	c->err = err;
	c->errlen = errlen;
	XML_SetUserData(c->xp, c);
	XML_SetElementHandler(c->xp, on_start, on_end);
	XML_SetCharacterDataHandler(c->xp, on_text);
	XML_SetStartDoctypeDeclHandler(c->xp, on_doctype);
	return c;
}

/* Feed len bytes (final: the last of them); 0 or the error, recorded. */
static int lv_feed(struct lv_ctx *c, const char *buf, size_t len, bool final)
{
	if (XML_Parse(c->xp, buf, (int)len, final) == XML_STATUS_OK)
		return 0;
	if (!c->rc) {
		c->rc = -EINVAL;
		snprintf(c->err, c->errlen, "%s:%lu:%lu: XML syntax: %s",
			 c->file, (unsigned long)XML_GetErrorLineNumber(c->xp),
			 (unsigned long)XML_GetErrorColumnNumber(c->xp) + 1,
			 XML_ErrorString(XML_GetErrorCode(c->xp)));
	}
	return c->rc;
}

static int lv_end(struct lv_ctx *c, struct lv_policy *lp)
{
	int rc = c->rc;

	XML_ParserFree(c->xp);
	free(c);
	if (rc)
		lv_free(lp);
	return rc;
}

int lv_parse(const char *file, const char *text, size_t len,
	     struct lv_policy *lp, char *err, size_t errlen)
{
	struct lv_ctx *c = lv_begin(file, lp, err, errlen);

	if (!c) {
		snprintf(err, errlen, "%s: %s", file, strerror(ENOMEM));
		return -ENOMEM;
	}
	lv_feed(c, text, len, true);
	return lv_end(c, lp);
}

static bool name_is_file(const char *name)
{
	return *name && name[0] != '.' && !strchr(name, '/');
}

int lv_load(const char *dir, const char *name, struct lv_policy *lp,
	    char *err, size_t errlen)
{
	char path[POLICY_WHERE_LEN - 16], buf[65536];
	struct lv_ctx *c;
	struct stat st;
	ssize_t n;
	int fd, rc;

	memset(lp, 0, sizeof(*lp));
	if (!name_is_file(name)) {
		snprintf(err, errlen, "%s/%s.xml: not a libvirt domain name",
			 dir, name);
		return -ENOENT;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/%s.xml", dir, name) >=
	    sizeof(path)) {
		snprintf(err, errlen, "%s/%s.xml: path too long", dir, name);
		return -ENAMETOOLONG;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);
	if (fd < 0) {
		rc = -errno;
		if (rc == -ELOOP)	/* O_NOFOLLOW: libvirt writes plain files */
			snprintf(err, errlen, "%s: a symbolic link, not read", path);
		else
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return rc;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return -EINVAL;
	}
	if (st.st_size > LV_FILE_MAX) {
		snprintf(err, errlen, "%s: %lld bytes, more than a domain's XML (at most %d)",
			 path, (long long)st.st_size, LV_FILE_MAX);
		close(fd);
		return -EFBIG;
	}
	c = lv_begin(path, lp, err, errlen);
	if (!c) {
		snprintf(err, errlen, "%s: %s", path, strerror(ENOMEM));
		close(fd);
		return -ENOMEM;
	}
	/* In pieces: a status file is as large as the domain's devices. */
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			c->rc = -errno;
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			break;
		}
		if (lv_feed(c, buf, (size_t)n, n == 0) || n == 0)
			break;
	}
	close(fd);
	return lv_end(c, lp);
}

int lv_for_vm(const char *dir, const char *name, const struct vm_ident *id,
	      uint32_t pid, struct lv_policy *lp, char *err, size_t errlen)
{
	const char *n = id->name[0] ? id->name : name;
	int rc;

	memset(lp, 0, sizeof(*lp));
	if (!n || !*n) {
		snprintf(err, errlen, "the VM has no name");
		return 0;
	}
	rc = lv_load(dir, n, lp, err, errlen);
	if (rc == -ENOENT)
		return 0;
	if (rc)
		return rc;
	if (!lp->found) {
		snprintf(err, errlen, "%s: no kvmsched policy in it", lp->path);
		lv_free(lp);
		return 0;
	}
	if (lp->pid && pid && lp->pid != pid)
		snprintf(err, errlen, "%s: the domain's pid is %u, not this VM's %u (a stale file, or another VM of that name)",
			 lp->path, lp->pid, pid);
	else if (lp->uuid[0] && id->uuid[0] && strcasecmp(lp->uuid, id->uuid))
		snprintf(err, errlen, "%s: the domain's uuid is %s, not this VM's %s",
			 lp->path, lp->uuid, id->uuid);
	else
		return 1;
	lv_free(lp);
	return -ESRCH;
}

void lv_free(struct lv_policy *lp)
{
	size_t i;

	for (i = 0; i < POLICY_MAX_SET; i++)
		free(lp->args[i]);
	memset(lp, 0, sizeof(*lp));
}

void lv_sets(const struct lv_policy *lp, char *buf, size_t len)
{
	size_t i, off = 0;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < lp->nset && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					i ? " " : "", lp->args[i]);
}

int lv_merge(const struct pol_rule *r, const struct lv_policy *lp,
	     struct lv_merged *m, char *err, size_t errlen)
{
	size_t i, j;

	memset(m, 0, sizeof(*m));
	for (i = 0; r && i < r->nset; i++) {
		m->set[m->n] = r->set[i];
		m->arg[m->n] = r->args[i];
		m->src[m->n] = r->where;
		m->n++;
	}
	if (!lp || !lp->found || !lp->nset)
		return 0;
	for (j = 0; j < lp->nset; j++) {
		for (i = 0; i < m->n && m->set[i].key != lp->set[j].key; i++)
			;
		if (i == m->n) {
			if (m->n == POLICY_MAX_SET)
				continue;	/* cannot happen: one per key */
			m->n++;
		}
		m->set[i] = lp->set[j];
		m->arg[i] = lp->args[j];
		m->src[i] = lp->where[j];
		m->from_xml[i] = true;
	}
	if (kv_cross_check(kv_vm_keys, m->set, m->n, err, errlen)) {
		/* Inconsistent only together: the rule alone, as validated. */
		lv_merge(r, NULL, m, NULL, 0);
		return -EINVAL;
	}
	return 0;
}

void lv_merged_sets(const struct lv_merged *m, char *buf, size_t len)
{
	size_t i, off = 0;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < m->n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					i ? " " : "", m->arg[i]);
}
