/*
 * fuzz_gift: the GIFT reader and writer (src/base/gift.c) on arbitrary
 * bytes, through the round-trip check of qbank_roundtrip.h.
 */
// SOURCES: src/base/gift.c src/base/qbank.c src/base/arena.c src/base/buf.c
#include "base/gift.h"
#include "qbank_roundtrip.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return roundtrip(gift_parse, gift_write, 0, data, size);
}
