// SPDX-License-Identifier: GPL-2.0-only
/*
 * The configuration file parser; the format is in config.h.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#define CONF_MAX_LINE	1024
#define CONF_MAX_SIZE	(1 << 20)

struct parser {
	struct conf *c;
	const char *source;
	unsigned int line;
	char *err;
	size_t errlen;
	enum { SEC_NONE, SEC_DAEMON, SEC_DEFAULTS, SEC_CLUSTER } section;
	struct conf_cluster *cur;
	/* Keys seen in the current section, by bit in the key table. */
	unsigned int seen;
	bool daemon_seen, defaults_seen;
};

static int perr(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int perr(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!p->err || !p->errlen)
		return -EINVAL;
	n = snprintf(p->err, p->errlen, "%s:%u: ", p->source, p->line);
	if (n < 0 || (size_t)n >= p->errlen)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = 0;
	return s;
}

/* Cluster names as the kernel accepts them. */
static bool valid_name(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return false;
	return i > 0 && i < EDGEAI_NAME_LEN;
}

static int parse_uint(struct parser *p, const char *key, const char *v,
		      unsigned int min, unsigned int max, unsigned int *out)
{
	unsigned long n;
	char *end;

	if (!isdigit((unsigned char)*v))
		return perr(p, "%s: \"%s\" is not a number", key, v);
	errno = 0;
	n = strtoul(v, &end, 10);
	if (*end)
		return perr(p, "%s: \"%s\" is not a number", key, v);
	if (errno || n < min || n > max)
		return perr(p, "%s: %s is out of range (%u-%u)", key, v, min, max);
	*out = (unsigned int)n;
	return 0;
}

/* "0-3,5,7-8": CPU numbers and ranges, at least one CPU. */
static int parse_cpus(struct parser *p, const char *v, cpu_set_t *set)
{
	const char *s = v;

	CPU_ZERO(set);
	for (;;) {
		unsigned long a, b;
		char *end;

		if (!isdigit((unsigned char)*s))
			return perr(p, "cpus: \"%s\" is not a CPU list like 0-3,6", v);
		a = strtoul(s, &end, 10);
		b = a;
		if (*end == '-') {
			s = end + 1;
			if (!isdigit((unsigned char)*s))
				return perr(p, "cpus: \"%s\" is not a CPU list like 0-3,6", v);
			b = strtoul(s, &end, 10);
		}
		if (a > b)
			return perr(p, "cpus: range %lu-%lu is backwards", a, b);
		if (b >= CPU_SETSIZE)
			return perr(p, "cpus: CPU %lu is beyond %d", b, CPU_SETSIZE - 1);
		for (; a <= b; a++)
			CPU_SET(a, set);
		if (!*end)
			return 0;
		if (*end != ',')
			return perr(p, "cpus: \"%s\" is not a CPU list like 0-3,6", v);
		s = end + 1;
	}
}

static int parse_prefs(struct parser *p, const char *v, struct conf_cluster *cl)
{
	const char *s = v;

	cl->nr_prefs = 0;
	for (;;) {
		size_t n = strcspn(s, ",");
		size_t i;
		char *name;

		while (n && (*s == ' ' || *s == '\t')) {
			s++;
			n--;
		}
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (!n)
			return perr(p, "armnn_backends: empty name in \"%s\"", v);
		if (n >= CONF_PREF_LEN)
			return perr(p, "armnn_backends: name longer than %d characters", CONF_PREF_LEN - 1);
		if (cl->nr_prefs == CONF_MAX_PREFS)
			return perr(p, "armnn_backends: more than %d backends", CONF_MAX_PREFS);
		name = cl->prefs[cl->nr_prefs];
		for (i = 0; i < n; i++) {
			if (!isalnum((unsigned char)s[i]) && s[i] != '_')
				return perr(p, "armnn_backends: \"%.*s\" is not a backend name",
					    (int)n, s);
			name[i] = s[i];
		}
		name[n] = 0;
		for (i = 0; i < cl->nr_prefs; i++)
			if (!strcmp(cl->prefs[i], name))
				return perr(p, "armnn_backends: %s named twice", name);
		cl->nr_prefs++;
		s += strcspn(s, ",");
		if (!*s)
			return 0;
		s++;
	}
}

enum key_id {
	KEY_ARMNN_BACKEND_PATH,
	KEY_BOARD,
	KEY_BACKEND,
	KEY_ARMNN_BACKENDS,
	KEY_CPUS,
	KEY_CACHE,
	KEY_POWER_MW,
	KEY_SIM_COST,
};

static const struct {
	const char *name;
	bool daemon;	/* in [daemon], else in [defaults] and [cluster] */
} keys[] = {
	[KEY_ARMNN_BACKEND_PATH] = { "armnn_backend_path", true },
	[KEY_BOARD] = { "board", true },
	[KEY_BACKEND] = { "backend", false },
	[KEY_ARMNN_BACKENDS] = { "armnn_backends", false },
	[KEY_CPUS] = { "cpus", false },
	[KEY_CACHE] = { "cache", false },
	[KEY_POWER_MW] = { "power_mw", false },
	[KEY_SIM_COST] = { "sim_cost", false },
};

static int set_cluster_key(struct parser *p, enum key_id k, const char *v)
{
	struct conf_cluster *cl = p->cur;

	switch (k) {
	case KEY_BACKEND:
		if (!strcmp(v, "sim"))
			cl->backend = CONF_BACKEND_SIM;
		else if (!strcmp(v, "armnn"))
			cl->backend = CONF_BACKEND_ARMNN;
		else if (!strcmp(v, "none"))
			cl->backend = CONF_BACKEND_NONE;
		else
			return perr(p, "backend: \"%s\" is not sim, armnn or none", v);
		return 0;
	case KEY_ARMNN_BACKENDS:
		return parse_prefs(p, v, cl);
	case KEY_CPUS:
		if (p->section == SEC_DEFAULTS)
			return perr(p, "cpus: belongs in a [cluster NAME] section, not [defaults]");
		cl->cpus_set = true;
		return parse_cpus(p, v, &cl->cpus);
	case KEY_CACHE:
		return parse_uint(p, "cache", v, 1, 1024, &cl->cache);
	case KEY_POWER_MW:
		cl->power_set = true;
		return parse_uint(p, "power_mw", v, 0, 1000000, &cl->power_mw);
	case KEY_SIM_COST:
		if (!strcmp(v, "scaled"))
			cl->sim_cost = CONF_SIM_COST_SCALED;
		else if (!strcmp(v, "board"))
			cl->sim_cost = CONF_SIM_COST_BOARD;
		else
			return perr(p, "sim_cost: \"%s\" is not a cost source (known: scaled, board)", v);
		return 0;
	default:
		return perr(p, "internal: key %d", k);
	}
}

static int parse_section(struct parser *p, char *s)
{
	size_t n = strlen(s);
	char *name, *arg;

	if (s[n - 1] != ']')
		return perr(p, "section header \"%s\" lacks its closing ]", s);
	s[n - 1] = 0;
	name = trim(s + 1);
	arg = name + strcspn(name, " \t");
	if (*arg) {
		*arg++ = 0;
		arg = trim(arg);
	}
	p->seen = 0;
	if (!strcmp(name, "daemon") || !strcmp(name, "defaults")) {
		bool *seen = !strcmp(name, "daemon") ? &p->daemon_seen : &p->defaults_seen;

		if (*arg)
			return perr(p, "[%s] takes no name", name);
		if (*seen)
			return perr(p, "[%s] appears twice", name);
		*seen = true;
		p->section = !strcmp(name, "daemon") ? SEC_DAEMON : SEC_DEFAULTS;
		p->cur = p->section == SEC_DEFAULTS ? &p->c->defaults : NULL;
		if (p->cur)
			p->cur->line = p->line;
		return 0;
	}
	if (strcmp(name, "cluster"))
		return perr(p, "unknown section [%s] (known: daemon, defaults, cluster NAME)", name);
	if (!*arg)
		return perr(p, "[cluster] needs the cluster's name: [cluster NAME]");
	if (!valid_name(arg))
		return perr(p, "\"%s\" is not a cluster name (letters, digits, - and _, at most %d)",
			    arg, EDGEAI_NAME_LEN - 1);
	if (conf_find(p->c, arg))
		return perr(p, "[cluster %s] appears twice (first on line %u)", arg,
			    conf_find(p->c, arg)->line);
	if (p->c->nr_clusters == CONF_MAX_CLUSTERS)
		return perr(p, "more than %d cluster sections", CONF_MAX_CLUSTERS);
	p->cur = &p->c->clusters[p->c->nr_clusters++];
	snprintf(p->cur->name, sizeof(p->cur->name), "%s", arg);
	p->cur->line = p->line;
	p->section = SEC_CLUSTER;
	return 0;
}

static int parse_assignment(struct parser *p, char *s)
{
	char *eq = strchr(s, '='), *key, *val;
	size_t k;

	if (!eq)
		return perr(p, "expected \"key = value\" or a [section], got \"%s\"", s);
	*eq = 0;
	key = trim(s);
	val = trim(eq + 1);
	if (!*key)
		return perr(p, "missing key before '='");
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		if (!strcmp(keys[k].name, key))
			break;
	if (k == sizeof(keys) / sizeof(keys[0]))
		return perr(p, "unknown key \"%s\"", key);
	if (p->section == SEC_NONE)
		return perr(p, "%s: outside any section", key);
	if (keys[k].daemon != (p->section == SEC_DAEMON))
		return perr(p, "%s: belongs in %s", key,
			    keys[k].daemon ? "[daemon]" : "[defaults] or [cluster NAME]");
	if (p->seen & (1u << k))
		return perr(p, "%s: set twice in this section", key);
	p->seen |= 1u << k;
	if (!*val)
		return perr(p, "%s: empty value", key);

	if (k == KEY_ARMNN_BACKEND_PATH) {
		if (val[0] != '/')
			return perr(p, "armnn_backend_path: \"%s\" is not an absolute path", val);
		if (strlen(val) >= sizeof(p->c->armnn_backend_path))
			return perr(p, "armnn_backend_path: longer than %d characters",
				    CONF_PATH_LEN - 1);
		strcpy(p->c->armnn_backend_path, val);
		return 0;
	}
	if (k == KEY_BOARD) {
		if (strlen(val) >= sizeof(p->c->board))
			return perr(p, "board: longer than %d characters", CONF_PATH_LEN - 1);
		strcpy(p->c->board, val);
		return 0;
	}
	return set_cluster_key(p, (enum key_id)k, val);
}

/* A comment starts a line, or follows a blank: "cpus = 2  # big". */
static void strip_comment(char *s)
{
	char *c;

	for (c = s; *c; c++) {
		if ((*c == '#' || *c == ';') && (c == s || c[-1] == ' ' || c[-1] == '\t')) {
			*c = 0;
			return;
		}
	}
}

void conf_init(struct conf *c)
{
	memset(c, 0, sizeof(*c));
}

int conf_parse(struct conf *c, const char *text, const char *source, char *err,
	       size_t errlen)
{
	struct parser p = {
		.c = c, .source = source, .err = err, .errlen = errlen,
	};
	const char *s = text;
	char line[CONF_MAX_LINE + 1];
	int ret;

	while (*s) {
		size_t n = strcspn(s, "\n");
		char *l;

		p.line++;
		if (n > CONF_MAX_LINE)
			return perr(&p, "line longer than %d characters", CONF_MAX_LINE);
		memcpy(line, s, n);
		line[n] = 0;
		s += n;
		if (*s)
			s++;
		if (strlen(line) != n)
			return perr(&p, "NUL byte in the line");
		strip_comment(line);
		l = trim(line);
		if (!*l)
			continue;
		ret = *l == '[' ? parse_section(&p, l) : parse_assignment(&p, l);
		if (ret)
			return ret;
	}
	return 0;
}

int conf_load(struct conf *c, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");
	char *text;
	size_t n;
	int ret;

	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return ret;
	}
	text = malloc(CONF_MAX_SIZE + 1);
	if (!text) {
		fclose(f);
		return -ENOMEM;
	}
	n = fread(text, 1, CONF_MAX_SIZE + 1, f);
	if (ferror(f) || n > CONF_MAX_SIZE) {
		snprintf(err, errlen, "%s: %s", path,
			 ferror(f) ? "read error" : "larger than 1 MiB");
		free(text);
		fclose(f);
		return -EINVAL;
	}
	fclose(f);
	text[n] = 0;
	if (strlen(text) != n) {
		snprintf(err, errlen, "%s: NUL byte in the file", path);
		free(text);
		return -EINVAL;
	}
	ret = conf_parse(c, text, path, err, errlen);
	free(text);
	return ret;
}

const struct conf_cluster *conf_find(const struct conf *c, const char *name)
{
	unsigned int i;

	for (i = 0; i < c->nr_clusters; i++)
		if (!strcmp(c->clusters[i].name, name))
			return &c->clusters[i];
	return NULL;
}

void conf_resolve(const struct conf *c, const char *name, struct conf_cluster *out)
{
	const struct conf_cluster *sec = conf_find(c, name), *def = &c->defaults;

	if (sec)
		*out = *sec;
	else
		memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", name);
	if (!out->backend)
		out->backend = def->backend ? def->backend : CONF_BACKEND_SIM;
	if (!out->nr_prefs) {
		out->nr_prefs = def->nr_prefs;
		memcpy(out->prefs, def->prefs, sizeof(out->prefs));
	}
	if (!out->cache)
		out->cache = def->cache ? def->cache : CONF_DEFAULT_CACHE;
	if (!out->power_set && def->power_set) {
		out->power_set = true;
		out->power_mw = def->power_mw;
	}
	if (!out->sim_cost)
		out->sim_cost = def->sim_cost ? def->sim_cost : CONF_SIM_COST_SCALED;
}

const char *conf_backend_name(enum conf_backend b)
{
	switch (b) {
	case CONF_BACKEND_SIM:
		return "sim";
	case CONF_BACKEND_ARMNN:
		return "armnn";
	case CONF_BACKEND_NONE:
		return "none";
	default:
		return "unset";
	}
}

void conf_format_cpus(const cpu_set_t *set, char *buf, size_t len)
{
	size_t used = 0;
	int cpu = 0;

	buf[0] = 0;
	while (cpu < CPU_SETSIZE) {
		int end;

		if (!CPU_ISSET(cpu, set)) {
			cpu++;
			continue;
		}
		for (end = cpu; end + 1 < CPU_SETSIZE && CPU_ISSET(end + 1, set); end++)
			;
		if (used < len && end > cpu)
			used += (size_t)snprintf(buf + used, len - used, "%s%d-%d",
						 used ? "," : "", cpu, end);
		else if (used < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%d",
						 used ? "," : "", cpu);
		cpu = end + 1;
	}
}
