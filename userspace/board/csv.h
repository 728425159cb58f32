/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small RFC 4180 CSV reader: quoted fields (with commas and doubled
 * quotes inside), CRLF or LF line ends, a header row naming the columns.
 * Enough for measurement files; it keeps the whole file in memory.
 */
#ifndef EDGEAI_CSV_H
#define EDGEAI_CSV_H

#include <stddef.h>

struct csv {
	char *buf;		/* the file, fields NUL-terminated in place */
	char ***rows;		/* rows[r][c]; row 0 is the header */
	size_t *nr_fields;	/* fields in each row */
	size_t nr_rows;
};

/* Returns 0, or -errno with a message in err. */
int csv_read(const char *path, struct csv *c, char *err, size_t errlen);
void csv_free(struct csv *c);
/* Index of the header column called name, -1 if none. */
int csv_col(const struct csv *c, const char *name);
/* Whether row r holds only empty fields. */
int csv_blank(const struct csv *c, size_t r);

#endif
