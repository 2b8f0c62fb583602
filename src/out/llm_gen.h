/*
 * llm_gen: the content generators and the tutor through a language model
 * (out/llm.h), behind the same struct learn_gen_backend as the offline
 * ones, falling back to those whenever the model cannot be used.
 *
 * Design decision: the model is trusted with nothing.  Its prompt holds
 * the best passages of the material (BM25 over the material's key terms,
 * within the module asked for), each with an id ("p3"); its reply must be
 * JSON of the documented shape citing only those ids; and each item then
 * goes through the same quality checks as offline ones (learn/gencheck.h:
 * grounded in the cited passage, no duplicates, distinct distractors,
 * readability, safety).  Items that fail are dropped and counted; when
 * the model is off, fails (time-out, HTTP error, breaker open, invalid
 * JSON, wrong shape) or no item survives, the offline generator answers
 * and the report says why, for the instructor.  The parsers below are
 * pure (JSON text and the prompt's passage ids in, items or a reason out)
 * so they are tested without a server.
 */
#ifndef ADEPT_OUT_LLM_GEN_H
#define ADEPT_OUT_LLM_GEN_H

#include <stddef.h>

#include "learn/gen.h"
#include "learn/gencheck.h"
#include "learn/passage.h"
#include "out/llm.h"

/* What happened on the last generator call. */
struct llm_gen_report {
	int		 fallback;	/* 1: the offline generator answered */
	enum llm_status	 st;		/* LLM_OK when the model answered */
	char		 reason[512];	/* why it fell back; or, when the model
					 * answered, what was dropped ("") */
	int		 attempts;	/* requests sent */
	long long	 ms;
	size_t		 got;		/* items (or objectives) the model gave */
	size_t		 dropped;	/* of those, refused by a check */
};

/* The backend's ctx.  cfg and br are the caller's (br may be NULL). */
struct llm_gen {
	const struct llm_config	*cfg;
	struct llm_breaker	*br;
	struct learn_check_opt	 co;
	size_t			 max_passages;	/* in a prompt; 0: 8 */
	size_t			 max_bytes;	/* of passage text; 0: 12000 */
	struct llm_gen_report	 last;
};

/* Generators through the model; ctx is a struct llm_gen. */
extern const struct learn_gen_backend llm_gen_backend;

/* A tutor answer written by the model. */
struct llm_gen_answer {
	char	*text;			/* malloc'd */
	size_t	 cites[LEARN_CITES_MAX];	/* passage indices */
	size_t	 ncites;
};

/*
 * Answers question q through the model from passages ids[0..nids) of
 * ps[0..np) (the tutor's picks): a short answer citing them.  Returns 0
 * (the model answered: *out filled, free with llm_gen_answer_free), 1
 * (it could not: g->last says why and the caller answers offline), or -1
 * when out of memory.
 */
int	llm_gen_ask(struct llm_gen *g, const struct learn_passage *ps,
	    size_t np, const size_t *ids, size_t nids, const char *q,
	    struct llm_gen_answer *out);
void	llm_gen_answer_free(struct llm_gen_answer *);

/* ---- the validators (pure) ------------------------------------------ */

/*
 * Quiz items from the model's JSON text s[0..len):
 *   {"items":[{"type":"single"|"truefalse"|"cloze", "question":"...",
 *     "options":[...], "answer":"...", "explanation":"...",
 *     "source":"p3", "quote":"the passage's sentence"}]}
 * single: question holds "____", 3-4 distinct options, answer one of them;
 * truefalse: options ["True","False"], answer one of them; cloze:
 * question holds "____", options [].  source must be one of the ids
 * (passage indices ids[0..nids), written "p" index+1).  At most max items
 * are taken.  An item of the wrong shape is skipped and counted in
 * *rejected (the first reason in msg); the call fails (LLM_SCHEMA, nothing
 * appended) only when no item is usable, or LLM_BAD_JSON when s is not
 * JSON.  Returns LLM_OK with the items appended to out.
 */
enum llm_status llm_gen_parse_quiz(const char *s, size_t len,
	    const size_t *ids, size_t nids, size_t max,
	    struct learn_items *out, size_t *rejected, char *msg,
	    size_t msglen);

/*
 * Objectives: {"objectives":[{"objective":"Explain ...",
 * "bloom":"remember|understand|apply|analyse", "terms":[...],
 * "sources":["p1",...]}]}, the same rules otherwise (at most 4 terms and
 * 4 sources, each a prompt id).
 */
enum llm_status llm_gen_parse_objectives(const char *s, size_t len,
	    const size_t *ids, size_t nids, size_t max,
	    struct learn_items *out, size_t *rejected, char *msg,
	    size_t msglen);

/* A lesson: {"lesson":"Markdown"}; every [pN] it cites is a prompt id
 * and it cites at least one.  *md is malloc'd. */
enum llm_status llm_gen_parse_lesson(const char *s, size_t len,
	    const size_t *ids, size_t nids, char **md, char *msg,
	    size_t msglen);

/* A tutor answer: {"answer":"...","sources":["p2",...]}, 1-4 sources,
 * each a prompt id, the answer at most 2000 bytes. */
enum llm_status llm_gen_parse_answer(const char *s, size_t len,
	    const size_t *ids, size_t nids, struct llm_gen_answer *out,
	    char *msg, size_t msglen);

#endif
