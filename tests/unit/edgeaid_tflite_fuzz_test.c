// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaid's .tflite reader against damaged models (hardening, issue 10):
 * every prefix of a real model, then seeded random damage (bytes, bits,
 * and 32-bit words set to offsets and counts that point anywhere).  Each
 * must parse or be refused; whatever parses is cut into stages, and every
 * sub-model written must parse again.  Run plain in make check and under
 * ASan/UBSan by tests/hardening/userspace.sh, where a read outside the
 * file is a failure.
 *
 *   edgeaid_tflite_fuzz_test [MUTATIONS [SEED]]
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tflite.h"

#include "../fuzz/common.h"
#include "../lib/tap.h"
#include "../lib/util.h"


struct tally {
	unsigned int parsed, refused, cuts, cut_refused, reparse_bad;
};

/* Parse an exact-size copy (so ASan sees any read past its end), then cut. */
static void try_model(const uint8_t *data, size_t len, struct rng *r, struct tally *t)
{
	uint8_t *copy = malloc(len ? len : 1);
	struct tfl_model m;
	char err[256];
	int k;

	memcpy(copy, data, len);
	if (tfl_parse(copy, len, &m, err, sizeof(err))) {
		t->refused++;
		free(copy);
		return;
	}
	t->parsed++;
	for (k = 0; k < 6; k++) {
		uint32_t first = rnd(r, m.nr_ops + 2), nr = rnd(r, m.nr_ops + 2);
		struct tfl_cut cut;
		struct tfl_model sub;
		uint8_t *out = NULL;
		size_t out_len = 0;

		if (k == 0) {
			first = 0;
			nr = m.nr_ops;
		}
		if (tfl_cut_plan(&m, first, nr, &cut, err, sizeof(err))) {
			t->cut_refused++;
			continue;
		}
		if (tfl_cut_write(&m, &cut, &out, &out_len)) {
			t->cut_refused++;
			continue;
		}
		t->cuts++;
		if (tfl_parse(out, out_len, &sub, err, sizeof(err)))
			t->reparse_bad++;
		else
			tfl_free(&sub);
		free(out);
	}
	tfl_free(&m);
	free(copy);
}

int main(int argc, char **argv)
{
	unsigned int n = argc > 1 ? (unsigned int)atoi(argv[1]) : 3000, i;
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x7f11e;
	struct tally t = { 0 };
	struct rng r;
	size_t len = 0, p;
	uint8_t *model = read_file(EDGEAID_MODELS "/convnet.tflite", &len), *buf;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!ok(model && len > 64, "read the test model (%zu bytes)", len))
		return tap_done();
	rng_seed(&r, seed, 0, 0);
	try_model(model, len, &r, &t);
	ok(t.parsed == 1 && t.cuts > 0 && !t.reparse_bad, "the intact model parses and cuts");

	/*
	 * A cut file must be refused, unless what is cut off is padding no
	 * offset reaches: flatc ends a file with a few such bytes.
	 */
	memset(&t, 0, sizeof(t));
	for (p = 0; p < len; p += p < 1024 || p + 64 > len ? 1 : 61) {
		unsigned int before = t.parsed;

		try_model(model, p, &r, &t);
		if (t.parsed != before && p + 16 < len)
			diag("a prefix of %zu bytes of %zu parses", p, len);
	}
	ok(t.parsed + t.refused > 0 && !t.reparse_bad,
	   "every prefix parsed or was refused (%u prefixes, %u parsed)", t.parsed + t.refused,
	   t.parsed);

	memset(&t, 0, sizeof(t));
	buf = malloc(len);
	for (i = 0; i < n; i++) {
		int k, nm = 1 + rnd(&r, 4);

		memcpy(buf, model, len);
		for (k = 0; k < nm; k++) {
			size_t off = rnd(&r, (uint32_t)len);
			uint32_t v;

			switch (rnd(&r, 4)) {
			case 0:
				buf[off] = (uint8_t)rnd(&r, 256);
				break;
			case 1:
				buf[off] ^= (uint8_t)(1u << rnd(&r, 8));
				break;
			default:	/* an offset or a count, anywhere */
				off &= ~(size_t)3;
				if (off + 4 > len)
					break;
				switch (rnd(&r, 5)) {
				case 0: v = 0; break;
				case 1: v = (uint32_t)len; break;
				case 2: v = (uint32_t)len - 4 - rnd(&r, 16); break;
				case 3: v = 0x7fffffff + rnd(&r, 3); break;
				default: v = (uint32_t)rnd_interesting(&r); break;
				}
				memcpy(buf + off, &v, 4);
				break;
			}
		}
		try_model(buf, len, &r, &t);
	}
	free(buf);
	diag("%u damaged models: %u parsed, %u refused; %u cuts written, %u refused",
	     n, t.parsed, t.refused, t.cuts, t.cut_refused);
	ok(t.parsed + t.refused == n, "every damaged model parsed or was refused, none crashed");
	ok(!t.reparse_bad, "every sub-model of a model that parsed parses again (%u did not)",
	   t.reparse_bad);
	free(model);
	return tap_done();
}
