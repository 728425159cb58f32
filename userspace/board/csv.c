// SPDX-License-Identifier: GPL-2.0-only
/*
 * RFC 4180 CSV reader, see csv.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csv.h"

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	void *n;
	size_t c = *cap ? *cap : 64;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	n = realloc(*p, c * size);
	if (!n)
		return -ENOMEM;
	*p = n;
	*cap = c;
	return 0;
}

int csv_read(const char *path, struct csv *c, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	size_t len = 0, cap_rows = 0, cap_nf = 0, cap_f = 0, nf = 0, line = 1;
	char **fields = NULL, *r, *w;
	struct stat st;
	long sz;

	memset(c, 0, sizeof(*c));
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	/* A directory opens, and claims a size of 2^63 - 1. */
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		fclose(f);
		return -EINVAL;
	}
	if (fseek(f, 0, SEEK_END) || (sz = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		snprintf(err, errlen, "%s: cannot size the file", path);
		fclose(f);
		return -EIO;
	}
	c->buf = malloc((size_t)sz + 1);
	if (!c->buf) {
		snprintf(err, errlen, "%s: out of memory", path);
		fclose(f);
		return -ENOMEM;
	}
	len = fread(c->buf, 1, (size_t)sz, f);
	fclose(f);
	c->buf[len] = '\0';
	if (memchr(c->buf, '\0', len)) {
		snprintf(err, errlen, "%s: binary data (NUL byte)", path);
		csv_free(c);
		return -EINVAL;
	}

	/* Parse in place: w writes the unquoted field over what r reads. */
	r = w = c->buf;
	while (*r) {
		char *start = w;
		int quoted = 0;

		if (*r == '"') {
			quoted = 1;
			r++;
			for (;;) {
				if (!*r) {
					snprintf(err, errlen, "%s:%zu: unterminated quoted field",
						 path, line);
					free(fields);
					csv_free(c);
					return -EINVAL;
				}
				if (*r == '"' && r[1] == '"') {
					*w++ = '"';
					r += 2;
				} else if (*r == '"') {
					r++;
					break;
				} else {
					if (*r == '\n')
						line++;
					*w++ = *r++;
				}
			}
		}
		while (*r && *r != ',' && *r != '\n' && *r != '\r') {
			if (quoted) {
				snprintf(err, errlen, "%s:%zu: text after a closing quote",
					 path, line);
				free(fields);
				csv_free(c);
				return -EINVAL;
			}
			*w++ = *r++;
		}
		if (grow((void **)&fields, &cap_f, nf + 1, sizeof(*fields)))
			goto nomem;
		fields[nf++] = start;
		if (*r == ',') {
			r++;
			*w++ = '\0';
			continue;
		}
		/* End of a record. */
		if (*r == '\r')
			r++;
		if (*r == '\n')
			r++;
		*w++ = '\0';
		line++;
		if (grow((void **)&c->rows, &cap_rows, c->nr_rows + 1, sizeof(*c->rows)) ||
		    grow((void **)&c->nr_fields, &cap_nf, c->nr_rows + 1,
			 sizeof(*c->nr_fields)))
			goto nomem;
		c->rows[c->nr_rows] = malloc(nf * sizeof(char *));
		if (!c->rows[c->nr_rows])
			goto nomem;
		memcpy(c->rows[c->nr_rows], fields, nf * sizeof(char *));
		c->nr_fields[c->nr_rows] = nf;
		c->nr_rows++;
		nf = 0;
	}
	free(fields);
	if (!c->nr_rows) {
		snprintf(err, errlen, "%s: empty file", path);
		csv_free(c);
		return -EINVAL;
	}
	return 0;
nomem:
	free(fields);
	csv_free(c);
	snprintf(err, errlen, "%s: out of memory", path);
	return -ENOMEM;
}

void csv_free(struct csv *c)
{
	size_t i;

	for (i = 0; i < c->nr_rows; i++)
		free(c->rows[i]);
	free(c->rows);
	free(c->nr_fields);
	free(c->buf);
	memset(c, 0, sizeof(*c));
}

int csv_col(const struct csv *c, const char *name)
{
	size_t i;

	if (!c->nr_rows)
		return -1;
	for (i = 0; i < c->nr_fields[0]; i++)
		if (!strcmp(c->rows[0][i], name))
			return (int)i;
	return -1;
}

int csv_blank(const struct csv *c, size_t r)
{
	size_t i;

	for (i = 0; i < c->nr_fields[r]; i++)
		if (c->rows[r][i][0])
			return 0;
	return 1;
}
