/*
 * llm: a client for OpenAI-compatible chat-completions endpoints
 * (llama.cpp server, vLLM, Ollama, a hosted API), configured by URL, model
 * and key, with time-outs, bounded retries and a circuit breaker.
 *
 *   ADEPT_LLM_URL        base URL, e.g. http://127.0.0.1:8081 (unset: off);
 *                        /v1/chat/completions is appended (a base ending in
 *                        /v1 gets /chat/completions only)
 *   ADEPT_LLM_MODEL      the "model" field (unset: not sent)
 *   ADEPT_LLM_KEY        sent as "Authorization: Bearer KEY"; never logged
 *   ADEPT_LLM_CONNECT_TIMEOUT_S  5     per attempt (decimals allowed)
 *   ADEPT_LLM_TIMEOUT_S  20            per attempt, whole request
 *   ADEPT_LLM_RETRIES    2             extra attempts after a time-out, a
 *                                      failed connection or an HTTP 5xx
 *   ADEPT_LLM_BACKOFF_MS 500           before the first retry; doubles
 *   ADEPT_LLM_BREAKER_FAILURES   3     consecutive failed calls that open
 *                                      the breaker (0: never)
 *   ADEPT_LLM_BREAKER_COOLDOWN_S 60    how long it stays open
 *   ADEPT_LLM_MAX_TOKENS 2048
 *
 * Design decision: a call either hands back content that the caller's own
 * check accepted, or one status saying why not (enum llm_status, with a
 * message a person can act on), so callers fall back on any status but
 * LLM_OK without knowing HTTP.  The check runs inside the call, so a model
 * that keeps answering garbage trips the breaker like one that keeps
 * timing out.  The breaker is a small struct the caller keeps (one per
 * process or worker), guarded by a mutex so threads may share it; a call
 * it refuses sends nothing.  4xx answers are not retried: the request
 * itself is wrong (key, model name, size) and would fail again.
 */
#ifndef ADEPT_OUT_LLM_H
#define ADEPT_OUT_LLM_H

#include <pthread.h>
#include <stddef.h>

enum llm_status {
	LLM_OK,
	LLM_DISABLED,		/* no endpoint configured */
	LLM_CIRCUIT_OPEN,	/* too many failures lately: not called */
	LLM_TIMEOUT,
	LLM_CONNECT,		/* no connection, or another transport error */
	LLM_HTTP,		/* an HTTP status other than 2xx */
	LLM_BAD_JSON,		/* the reply or the model's content is not JSON */
	LLM_SCHEMA,		/* JSON, but not the shape asked for */
	LLM_NOMEM,
	LLM__MAX
};

/* "ok", "disabled", "circuit_open", "timeout", "connect", "http_status",
 * "invalid_json", "schema_mismatch", "out_of_memory". */
const char *llm_status_name(enum llm_status);

struct llm_config {
	char	url[512];	/* the full chat-completions URL; "" = off */
	char	model[128];
	char	key[512];
	long	connect_timeout_ms;
	long	timeout_ms;
	int	retries;
	long	backoff_ms;
	int	breaker_failures;
	long	breaker_cooldown_ms;
	int	max_tokens;
};

/* Fills c from the environment (above); bad numbers keep the default. */
void	llm_config_init(struct llm_config *c);
/* Sets c->url from a base URL as ADEPT_LLM_URL reads ("" or NULL: off). */
void	llm_config_url(struct llm_config *c, const char *base);
int	llm_enabled(const struct llm_config *);

struct llm_breaker {
	pthread_mutex_t	 mu;
	int		 failures;	/* consecutive failed calls */
	long long	 open_until;	/* monotonic ms; 0: closed */
	unsigned long	 skipped;	/* calls refused while open */
};

void	llm_breaker_init(struct llm_breaker *);
void	llm_breaker_destroy(struct llm_breaker *);
/* 1 when a call may go ahead at now_ms (after the cool-down one may: a
 * failure opens the breaker again at once, a success closes it). */
int	llm_breaker_allow(struct llm_breaker *, long long now_ms);
void	llm_breaker_record(struct llm_breaker *, const struct llm_config *,
	    int ok, long long now_ms);
/* Monotonic milliseconds. */
long long llm_now_ms(void);

/* The caller's check of the model's content (the message text):
 * LLM_OK, LLM_BAD_JSON or LLM_SCHEMA with a reason in msg. */
typedef enum llm_status (*llm_check_fn)(void *ctx, const char *content,
    size_t len, char *msg, size_t msglen);

struct llm_result {
	enum llm_status	 st;
	long		 http;		/* the last HTTP status (0: none) */
	int		 attempts;	/* requests sent */
	long long	 ms;		/* time spent, back-offs included */
	char		 msg[256];	/* what went wrong ("" when ok) */
};

/*
 * One chat completion: a system and a user message, JSON output asked for
 * (response_format json_object), the reply's choices[0].message.content
 * given to check.  br may be NULL (no breaker).  Returns res->st.  Worst
 * case time: (retries + 1) * timeout plus the back-offs.
 */
enum llm_status llm_chat(const struct llm_config *, struct llm_breaker *br,
	    const char *system, const char *user, llm_check_fn check,
	    void *ctx, struct llm_result *res);

/* The JSON text inside a model's content: white space trimmed, and a
 * Markdown code fence (```json ... ```) removed if the model added one.
 * Sets *off and returns the length. */
size_t	llm_json_span(const char *s, size_t len, size_t *off);

#endif
