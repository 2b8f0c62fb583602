/*
 * microlesson: the "microlesson" job (issue 8, micro) -- a narrated
 * micro-lesson made from a lesson of the course, or from a concept prompt
 * and the course's passages that match it, stored as a generated item of
 * kind 'microlesson' waiting for the instructor's review.
 *
 * Design decision: the slow part (speech and video, out/microlesson.h)
 * runs with no transaction open and in a private work directory under the
 * storage's tmp/; only when the media exist are they kept as uploads and
 * the item written, in one short transaction, so a crash leaves at most a
 * stale work directory under uploads/tmp, never a half item.  (The
 * nightly upload_cleanup removes stale temporary files only, not such a
 * directory: left to do.)
 * A text that cannot give 45 seconds fails the project with the reason
 * (not the job); a tool that fails or times out is retried, and the last
 * attempt fails the project with what the tool said.
 *
 * Project inputs: {"kinds": ["microlesson"], "lesson": id} or
 * {"kinds": ["microlesson"], "prompt": "..."}.  Item content:
 *   {"title", "source": "lesson" | "prompt", "lesson_id", "prompt",
 *    "video", "captions", "thumbnail" (upload ids), "duration" (seconds),
 *    "words", "slides": [{"title", "bullets": [...], "narration",
 *    "seconds"}], "script"}
 * and its checks {"duration", "grounded", "safety"}.
 */
#ifndef ADEPT_JOBS_MICROLESSON_H
#define ADEPT_JOBS_MICROLESSON_H

#include "jobs/jobs.h"

#define MICROLESSON_MIN_SECONDS	45
#define MICROLESSON_MAX_SECONDS	90

/* "microlesson": payload {"project": id}. */
enum job_result	job_microlesson(struct job *);

#endif
