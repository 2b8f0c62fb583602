/*
 * material_index: the "material_index" job (issue 8) -- one uploaded
 * course material, from its file to the passages the tutor and the
 * generators search.
 */
#ifndef ADEPT_MATERIAL_INDEX_H
#define ADEPT_MATERIAL_INDEX_H

#include "jobs/jobs.h"

/*
 * Payload {"material_id": n}.  Moves the material queued -> extracting
 * (out/extract.h) -> indexing (learn_chunk) -> ready, writing its
 * passages in one transaction that first removes any earlier ones; or
 * to failed with the extractor's reason (the job itself is then done:
 * the failure belongs to the file).  Idempotent: a rerun after a crash
 * starts again from the file; a material already ready or failed, or
 * deleted meanwhile, ends the job at once.  A missing or timed-out
 * pdftotext is retried while attempts remain.
 */
enum job_result	job_material_index(struct job *);

#endif
