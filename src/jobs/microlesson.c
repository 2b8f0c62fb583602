/*
 * microlesson: see microlesson.h.  The source text is Markdown either way:
 * the lesson's body, or the matching passages each under its heading, so
 * one script builder (learn/microscript.h) serves both.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/config.h"
#include "base/log.h"
#include "db/db.h"
#include "jobs/generate.h"
#include "jobs/microlesson.h"
#include "learn/gencheck.h"
#include "learn/microscript.h"
#include "learn/passage.h"
#include "out/microlesson.h"
#include "out/storage.h"

#define PROMPT_PASSAGES	8

struct mrun {
	struct db	*db;
	struct arena	*a;
	int64_t		 project, course, module, owner, lesson;
	const char	*prompt;
	const char	*title;
	struct buf	 src;		/* the source Markdown */
	json_t		*sources;	/* passage ids (prompt) */
};

/* The checks: duration within bounds, every narrated word in the source,
 * no blocked term or personal data.  Fills o; returns 1 when all pass. */
static int
checks(struct mrun *u, const struct learn_ms_script *sc, double secs,
    const char *script, json_t *o)
{
	struct learn_check_opt co = { LEARN_LEVEL_ADULT, NULL, 0 };
	char why[LEARN_CHECK_REASON];
	char **sv;
	size_t ns, i, k;
	int pass = 1, grounded = 1;

	if (secs < MICROLESSON_MIN_SECONDS || secs > MICROLESSON_MAX_SECONDS) {
		json_object_set_new(o, "duration", json_string(arena_printf(
		    u->a, "the narration lasts %.1f s; a micro-lesson lasts "
		    "%d to %d s", secs, MICROLESSON_MIN_SECONDS,
		    MICROLESSON_MAX_SECONDS)));
		pass = 0;
	} else
		json_object_set_new(o, "duration", json_string("ok"));
	sv = generate_vocab(u->a, u->src.p != NULL ? u->src.p : "",
	    u->src.len, &ns);
	for (i = 0; i < sc->nslides && grounded; i++)
		for (k = 0; k < sc->slides[i].nsents && grounded; k++) {
			const char *s = sc->slides[i].sents[k], *w;

			if ((w = generate_unknown_word(u->a, s, strlen(s), sv,
			    ns)) != NULL) {
				json_object_set_new(o, "grounded",
				    json_string(arena_printf(u->a, "slide %zu: "
				    "\"%s\" is not in the source text", i + 1,
				    w)));
				grounded = 0;
			}
		}

	if (grounded)
		json_object_set_new(o, "grounded", json_string("ok"));
	pass &= grounded;
	if (learn_safety(script, strlen(script), &co, why, sizeof(why))) {
		json_object_set_new(o, "safety", json_string(why));
		pass = 0;
	} else
		json_object_set_new(o, "safety", json_string("ok"));
	return pass;
}

static const char *
dump(struct arena *a, json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT);
	const char *out = arena_strdup(a, s != NULL ? s : "null");

	free(s);
	return out;
}

static const char *
id_array(struct arena *a, json_t *ids)
{
	struct buf b;
	const char *out;
	json_t *v;
	size_t i;

	buf_init(&b);
	buf_putc(&b, '{');
	json_array_foreach(ids, i, v)
		buf_printf(&b, "%s%lld", i ? "," : "",
		    (long long)json_integer_value(v));
	buf_putc(&b, '}');
	out = arena_strdup(a, b.p);
	buf_free(&b);
	return out;
}

static int
finish(struct mrun *u, const char *status, const char *reason)
{
	const char *p[5];

	p[0] = db_i64s(u->a, u->project);
	p[1] = status;
	p[2] = reason;
	p[3] = "offline";
	p[4] = "";
	return db_exec(u->db, STMT_GENPROJ_PROJECT_FINISH, 5, p);
}

/* The project failed for a reason no retry changes: recorded, job done. */
static enum job_result
give_up(struct mrun *u, const char *reason)
{
	if (finish(u, "failed", reason) < 0)
		return JOB_RETRY;
	log_msg("worker: microlesson: project %lld: %s", (long long)u->project,
	    reason);
	return JOB_DONE;
}

/* Claims the project: inputs read, status running, earlier items gone.
 * 1 claimed, 0 gone, or a db_err. */
static int
claim(struct mrun *u)
{
	const char *p[1], *s;
	json_t *in;
	int n;

	if ((n = db_begin(u->db)) != 0)
		return DB_RETRY;
	p[0] = db_i64s(u->a, u->project);
	if ((n = db_exec(u->db, STMT_MICROLESSON_PROJECT_CLAIM, 1, p)) <= 0) {
		db_rollback(u->db);
		return n;
	}
	u->course = db_i64(u->db, 0, 0);
	u->module = db_i64(u->db, 0, 1);
	u->owner = db_i64(u->db, 0, 3);
	if ((in = json_loads(db_str(u->db, 0, 2), 0, NULL)) != NULL) {
		u->lesson = json_integer_value(json_object_get(in, "lesson"));
		if ((s = json_string_value(json_object_get(in, "prompt"))) !=
		    NULL && *s)
			u->prompt = arena_strdup(u->a, s);
		json_decref(in);
	}
	if ((n = finish(u, "running", "")) < 0 ||
	    (n = db_exec(u->db, STMT_GENPROJ_ITEMS_DELETE, 1, p)) < 0 ||
	    (n = db_commit(u->db)) != 0) {
		db_rollback(u->db);
		return n < 0 ? n : DB_HARD;
	}
	return 1;
}

/* The source text into u->src.  0, 1 with *why (nothing to make it
 * from), or a db_err. */
static int
source(struct mrun *u, const char **why)
{
	const char *p[3];
	int n, i;

	buf_init(&u->src);
	if (u->lesson > 0) {
		p[0] = db_i64s(u->a, u->lesson);
		p[1] = db_i64s(u->a, u->course);
		if ((n = db_exec(u->db, STMT_MICROLESSON_LESSON_SOURCE, 2,
		    p)) < 0)
			return n;
		if (n == 0) {
			*why = "the lesson is no longer part of this course";
			return 1;
		}
		u->title = arena_strdup(u->a, db_str(u->db, 0, 0));
		buf_puts(&u->src, db_str(u->db, 0, 1));
		return 0;
	}
	if (u->prompt == NULL) {
		*why = "the project names neither a lesson nor a concept";
		return 1;
	}
	u->title = u->prompt;
	p[0] = db_i64s(u->a, u->course);
	p[1] = u->prompt;
	p[2] = db_i64s(u->a, PROMPT_PASSAGES);
	if ((n = db_exec(u->db, STMT_GENPROJ_PASSAGES_MATCH, 3, p)) < 0)
		return n;
	if (n == 0) {
		*why = arena_printf(u->a, "no passage of the course's "
		    "material matches \"%s\" (upload material, or ask for "
		    "another concept)", u->prompt);
		return 1;
	}
	for (i = 0; i < n; i++) {
		const char *h = db_str(u->db, i, 1);

		json_array_append_new(u->sources, json_integer(db_i64(u->db, i,
		    0)));
		buf_printf(&u->src, "## %s\n\n%s\n\n", *h ? h : u->prompt,
		    db_str(u->db, i, 2));
	}
	return 0;
}

static json_t *
content(struct mrun *u, const struct learn_ms_script *sc,
    const struct ml_render *m, const char *script, int64_t video,
    int64_t vtt, int64_t thumb)
{
	json_t *o = json_object(), *sl = json_array(), *x, *b;
	size_t i, k;
	char *nar;

	json_object_set_new(o, "title", json_string(sc->title));
	json_object_set_new(o, "source", json_string(u->lesson > 0 ?
	    "lesson" : "prompt"));
	if (u->lesson > 0)
		json_object_set_new(o, "lesson_id", json_integer(u->lesson));
	else
		json_object_set_new(o, "prompt", json_string(u->prompt));
	json_object_set_new(o, "video", json_integer(video));
	json_object_set_new(o, "captions", json_integer(vtt));
	json_object_set_new(o, "thumbnail", json_integer(thumb));
	json_object_set_new(o, "duration", json_real(
	    (double)(long long)(m->seconds * 1000 + 0.5) / 1000));
	json_object_set_new(o, "words", json_integer((json_int_t)sc->words));
	for (i = 0; i < sc->nslides; i++) {
		x = json_object();
		b = json_array();
		json_object_set_new(x, "title", json_string(
		    sc->slides[i].title));
		for (k = 0; k < sc->slides[i].nbullets; k++)
			json_array_append_new(b, json_string(
			    sc->slides[i].bullets[k]));
		json_object_set_new(x, "bullets", b);
		nar = learn_ms_narration(&sc->slides[i]);
		json_object_set_new(x, "narration", json_string(nar != NULL ?
		    nar : ""));
		free(nar);
		json_object_set_new(x, "seconds", json_real((double)(long long)
		    (m->slide_secs[i] * 1000 + 0.5) / 1000));
		json_array_append_new(sl, x);
	}
	json_object_set_new(o, "slides", sl);
	json_object_set_new(o, "script", json_string(script));
	return o;
}

enum job_result
job_microlesson(struct job *j)
{
	struct mrun u;
	struct learn_ms_script sc;
	struct ml_render m;
	enum job_result jr = JOB_RETRY;
	json_t *root, *o = NULL, *chk = NULL, *ups = NULL;
	const char *why = NULL, *p[6];
	char err[512], dir[1024], *script = NULL;
	int64_t video = 0, vtt = 0, thumb = 0;
	int n, pass, made = 0;

	memset(&u, 0, sizeof(u));
	memset(&sc, 0, sizeof(sc));
	dir[0] = '\0';
	u.db = j->db;
	u.a = j->a;
	u.sources = json_array();
	buf_init(&u.src);
	if ((root = json_loads(j->payload, 0, NULL)) != NULL) {
		u.project = json_integer_value(json_object_get(root,
		    "project"));
		json_decref(root);
	}
	if (u.project <= 0) {
		snprintf(j->err, sizeof(j->err), "payload names no project");
		jr = JOB_FATAL;
		goto out;
	}
	if ((n = claim(&u)) <= 0) {
		if (n < 0) {
			snprintf(j->err, sizeof(j->err), "database: %.200s",
			    u.db->err);
			goto out;
		}
		log_msg("worker: microlesson: project %lld is gone",
		    (long long)u.project);
		jr = JOB_DONE;
		goto out;
	}
	if ((n = source(&u, &why)) != 0) {
		if (n < 0) {
			snprintf(j->err, sizeof(j->err), "database: %.200s",
			    u.db->err);
			goto last;
		}
		jr = give_up(&u, why);
		goto out;
	}
	if (learn_ms_build(u.src.p != NULL ? u.src.p : "", u.src.len, u.title,
	    u.prompt, NULL, &sc, err, sizeof(err)) == -1) {
		jr = give_up(&u, arena_printf(u.a, "no micro-lesson can be "
		    "made from %s: %s", u.lesson > 0 ? "this lesson" :
		    "the matching passages", err));
		goto out;
	}
	/* the media, with no transaction open */
	snprintf(dir, sizeof(dir), "%s/tmp", storage_dir());
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		snprintf(j->err, sizeof(j->err), "cannot create %.150s: %s",
		    dir, strerror(errno));
		dir[0] = '\0';
		goto last;
	}
	snprintf(dir, sizeof(dir), "%s/tmp/ml-XXXXXX", storage_dir());
	if (mkdtemp(dir) == NULL) {
		snprintf(j->err, sizeof(j->err), "cannot create a work "
		    "directory under %.150s/tmp: %s", storage_dir(),
		    strerror(errno));
		dir[0] = '\0';
		goto last;
	}
	if (ml_render(&sc, dir, &m, err, sizeof(err)) == -1) {
		snprintf(j->err, sizeof(j->err), "%.250s", err);
		goto last;
	}
	if ((script = learn_ms_text(&sc)) == NULL) {
		snprintf(j->err, sizeof(j->err), "out of memory");
		goto last;
	}
	/* kept and recorded in one transaction */
	if (db_begin(u.db) != 0)
		goto dberr;
	if ((n = storage_put(u.db, u.a, "microlesson", u.owner, m.video,
	    "video/mp4", "mp4", arena_printf(u.a, "microlesson-%lld.mp4",
	    (long long)u.project), &video)) != 0 ||
	    (n = storage_put(u.db, u.a, "microlesson", u.owner, m.captions,
	    "text/vtt", "vtt", arena_printf(u.a, "microlesson-%lld.vtt",
	    (long long)u.project), &vtt)) != 0 ||
	    (n = storage_put(u.db, u.a, "microlesson", u.owner, m.thumb,
	    "image/png", "png", arena_printf(u.a, "microlesson-%lld.png",
	    (long long)u.project), &thumb)) != 0) {
		db_rollback(u.db);
		if (n > 0) {
			snprintf(j->err, sizeof(j->err), "the media could not "
			    "be stored (see the log)");
			goto last;
		}
		goto dberr;
	}
	o = content(&u, &sc, &m, script, video, vtt, thumb);
	chk = json_object();
	pass = checks(&u, &sc, m.seconds, script, chk);
	ups = json_array();
	json_array_append_new(ups, json_integer(video));
	json_array_append_new(ups, json_integer(vtt));
	json_array_append_new(ups, json_integer(thumb));
	p[0] = db_i64s(u.a, u.project);
	p[1] = dump(u.a, o);
	p[2] = id_array(u.a, u.sources);
	p[3] = dump(u.a, chk);
	p[4] = pass ? "true" : "false";
	p[5] = id_array(u.a, ups);
	if ((n = db_exec(u.db, STMT_MICROLESSON_ITEM_INSERT, 6, p)) != 1 ||
	    (n = finish(&u, "done", "")) < 0 || db_commit(u.db) != 0) {
		db_rollback(u.db);
		goto dberr;
	}
	made = 1;
	log_msg("worker: microlesson: project %lld: %zu slides, %zu words, "
	    "%.1f s%s", (long long)u.project, sc.nslides, sc.words, m.seconds,
	    pass ? "" : " (a check fails)");
	jr = JOB_DONE;
	goto out;
dberr:
	snprintf(j->err, sizeof(j->err), "database: %.200s", u.db->err);
last:
	/* the last attempt: the project says why it stopped */
	if (j->attempt >= job_kinds[JOB_MICROLESSON].max_attempts)
		(void)finish(&u, "failed", j->err);
	else
		(void)finish(&u, "queued", arena_printf(u.a, "attempt %d "
		    "failed, to be tried again: %s", j->attempt, j->err));
	log_msg("worker: microlesson: project %lld: attempt %d: %s",
	    (long long)u.project, j->attempt, j->err);
out:
	(void)made;
	if (dir[0] != '\0')
		ml_rmdir(dir);
	free(script);
	json_decref(o);
	json_decref(chk);
	json_decref(ups);
	json_decref(u.sources);
	buf_free(&u.src);
	learn_ms_free(&sc);
	return jr;
}
