// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaictl: numbers for people, and the lists sysfs gives.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

/* At most three significant digits, trailing zeros dropped: 1.4, 1.25,
 * 600, 12.5. */
static void fmt_3(char *buf, size_t size, double v, const char *unit)
{
	int decimals = v >= 100 ? 0 : v >= 10 ? 1 : 2;
	char num[32], *p;

	snprintf(num, sizeof(num), "%.*f", decimals, v);
	if (strchr(num, '.')) {
		p = num + strlen(num) - 1;
		while (*p == '0')
			*p-- = 0;
		if (*p == '.')
			*p = 0;
	}
	snprintf(buf, size, "%s %s", num, unit);
}

char *ctl_fmt_freq(char *buf, size_t size, uint32_t khz)
{
	if (khz >= 1000000)
		fmt_3(buf, size, khz / 1e6, "GHz");
	else if (khz >= 1000)
		fmt_3(buf, size, khz / 1e3, "MHz");
	else
		snprintf(buf, size, "%" PRIu32 " kHz", khz);
	return buf;
}

char *ctl_fmt_ns(char *buf, size_t size, uint64_t ns)
{
	if (ns >= 1000000000ull)
		fmt_3(buf, size, ns / 1e9, "s");
	else if (ns >= 1000000)
		fmt_3(buf, size, ns / 1e6, "ms");
	else if (ns >= 1000)
		fmt_3(buf, size, ns / 1e3, "us");
	else
		snprintf(buf, size, "%" PRIu64 " ns", ns);
	return buf;
}

static bool cpu_set(const uint64_t *words, unsigned int nr_words,
		    unsigned int cpu)
{
	return cpu / 64 < nr_words && (words[cpu / 64] >> (cpu % 64)) & 1;
}

char *ctl_fmt_cpus(char *buf, size_t size, const uint64_t *words,
		   unsigned int nr_words)
{
	unsigned int cpu = 0, end, n = nr_words * 64;
	size_t len = 0;

	buf[0] = 0;
	while (cpu < n) {
		if (!cpu_set(words, nr_words, cpu)) {
			cpu++;
			continue;
		}
		for (end = cpu; end + 1 < n && cpu_set(words, nr_words, end + 1);)
			end++;
		if (len < size)
			len += snprintf(buf + len, size - len, "%s%u", len ? "," : "",
					cpu);
		if (end > cpu && len < size)
			len += snprintf(buf + len, size - len, "-%u", end);
		cpu = end + 1;
	}
	return buf;
}

unsigned int ctl_split_words(const char *s, char (*words)[EDGEAI_GOV_NAME_LEN],
			     unsigned int max)
{
	unsigned int n = 0;

	while (*s && n < max) {
		size_t len;

		s += strspn(s, " \t\n");
		len = strcspn(s, " \t\n");
		if (!len)
			break;
		if (len < EDGEAI_GOV_NAME_LEN) {
			memcpy(words[n], s, len);
			words[n][len] = 0;
			n++;
		}
		s += len;
	}
	return n;
}

int ctl_parse_u32_list(const char *s, uint32_t *out, unsigned int max)
{
	unsigned int n = 0;

	for (;;) {
		char word[24];
		size_t len;

		s += strspn(s, " \t\n");
		len = strcspn(s, " \t\n");
		if (!len)
			return (int)n;
		if (len >= sizeof(word) || n >= max)
			return -EINVAL;
		memcpy(word, s, len);
		word[len] = 0;
		if (ctl_parse_u32(word, &out[n]))
			return -EINVAL;
		n++;
		s += len;
	}
}
