/*
 * fuzz_aiken: the Aiken reader and writer (src/base/aiken.c) on arbitrary
 * bytes, through the round-trip check of qbank_roundtrip.h.
 */
// SOURCES: src/base/aiken.c src/base/qbank.c src/base/arena.c src/base/buf.c
#include "base/aiken.h"
#include "qbank_roundtrip.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return roundtrip(aiken_parse, aiken_write, 1, data, size);
}
