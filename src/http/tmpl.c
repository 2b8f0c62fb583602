/*
 * tmpl: CTPL templates kept as lexed trees, rendered into a struct buf; see
 * tmpl.h for the API and the variable contract.
 *
 * The design decision: CTPL writes to a GOutputStream, so a small
 * GOutputStream subclass appends straight to the caller's struct buf (no
 * intermediate GMemoryOutputStream copy), and on error the buffer is cut
 * back to its length before the call.  Nothing GLib-owned outlives a render
 * except the kept trees and one stream per thread.  GLib's type macros bring their own
 * typedefs; they stay inside this file.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <ctpl/ctpl.h>

#include "base/buf.h"
#include "base/log.h"
#include "http/tmpl.h"
#include "http/view.h"

/*
 * One row per template: its file and the variables it may leave unset
 * (pushed as "" before the view's values, which override them).
 */
static const char *const opt_landing[] = { "signed_in", NULL };
static const char *const opt_login[] = { "email", "next", "email_error",
    "password_error", "form_error", NULL };
static const char *const opt_register[] = { "name", "email", "name_error",
    "email_error", "password_error", "confirm_error", "form_error", NULL };
static const char *const opt_dashboard[] = { "courses", "message", "recs",
    "analytics", NULL };
static const char *const opt_row_course[] = { "completed", "resume_url",
    NULL };
static const char *const opt_account[] = { "current_error", "new_error",
    "confirm_error", "form_error", NULL };
/* adminpanel */
static const char *const opt_admin_user[] = { "error", NULL };
static const char *const opt_admin_health[] = { "queue", "workers",
    "partitions", NULL };
static const char *const opt_admin_audit[] = { "rows", "error", "prev_url",
    "next_url", NULL };
static const char *const opt_admin_users[] = { "users", "name", "email",
    "role", "name_error", "email_error", "password_error", "role_error",
    "form_error", "q", "prev_url", "next_url", NULL };
/* learner side of courses (issue 4) */
static const char *const opt_catalog[] = { "q", "error", "notice", "summary",
    "results", "prev_url", "next_url", NULL };
static const char *const opt_row_catalog[] = { "lesson", NULL };
static const char *const opt_course[] = { "status_note", "modules",
    "skills", "prereqs", NULL };
static const char *const opt_course_enrolment[] = { "resume_url",
    "resume_title", "resuming", NULL };
static const char *const opt_row_learn_prereq[] = { "take_url", "take_title",
    "detail", NULL };
static const char *const opt_lesson[] = { "percent", "ndone", "progress_url",
    "time", "prev_url", "prev_title", "next_url", "next_title", "quizzes",
    "player", "files", NULL };

/* fraud and anomaly flags (issue 9, fraud) */
static const char *const opt_admin_fraud[] = { "rows", "error", "prev_url",
    "next_url", NULL };
static const char *const opt_row_fraud_flag[] = { "subjects", "related",
    "quiz", "address", "refreshed", "note", NULL };
/* generation projects (issue 8, genproj) */
static const char *const opt_teach_projects[] = { "rows", "again",
    "module_options", "error", NULL };
static const char *const opt_row_genproj[] = { "module", "fallback",
    "reason", NULL };
static const char *const opt_teach_project[] = { "rows", "error", "module",
    "fallback", "reason", "finished", NULL };
static const char *const opt_row_genitem[] = { "question_id", "lesson_id",
    "options", "preview", "note", "reviewer", "reviewed", "option_1",
    "option_2", "option_3", "option_4", "module_options", "question",
    "stem", "answer", "explanation", "title", "markdown", "bloom",
    /* narrated micro-lessons (issue 8, micro) */
    "video_id", "captions_id", "thumb_id", "duration", "words", "slides",
    NULL };
static const char *const opt_module_generated[] = { "body", NULL };
/* admin: models, certificates, content (issue 9, adminx) */
static const char *const opt_admin_models[] = { "rows", "error", "prev_url",
    "next_url", NULL };
static const char *const opt_row_admin_model[] = { "rollback_of", "fits",
    "current", "can_roll_back", "csrf", NULL };
static const char *const opt_admin_model[] = { "current", "rows", "error",
    NULL };
static const char *const opt_admin_certificates[] = { "rows", "error",
    "prev_url", "next_url", NULL };
static const char *const opt_admin_content[] = { "rows", "error",
    "prev_url", "next_url", NULL };
/* instructor side of courses (issue 4, teach) */
static const char *const opt_teach_list[] = { "courses", NULL };
static const char *const opt_teach_new[] = { "form_error", NULL };
static const char *const opt_teach_course_form[] = { "title_error",
    "summary_error", "level_error", "language_error", "hours_error",
    "skills_error", "preskills_error", "precourses_error", NULL };
static const char *const opt_teach_course[] = { "cover_url", "cover_error",
    "modules", "form_error", "module_title", "module_error", NULL };
static const char *const opt_teach_module[] = { "title_error", "lessons",
    NULL };
static const char *const opt_teach_lesson[] = { "preview", "skill_options",
    "module_options", "prereq_checks", "title_error", "kind_error",
    "body_error", "minutes_error", "module_error", "skills_error",
    "prereqs_error", "form_error", "media", "flashcards", NULL };
static const char *const opt_teach_delete[] = { "confirm_error", NULL };
static const char *const opt_review[] = { "rows", NULL };
/* the adaptive loop (issue 6) */
static const char *const opt_srs[] = { "card", "limit_hit", NULL };
static const char *const opt_goals[] = { "rows", "form_error", "deadline",
    "saved",
    "deadline_error", "hours_error", "retention_error", "limit_error",
    "skill_error", NULL };
static const char *const opt_path[] = { "steps", "gaps", "versions",
    "compare", "notes", "has_path", "reason", "created", "version",
    "hours", "weeks", "nsteps", NULL };
static const char *const opt_feed[] = { "cards", "achievements",
    "feedback", NULL };
static const char *const opt_teach_insights[] = { "at_risk", "struggle",
    "funnel",
    NULL };
static const char *const opt_skills[] = { "rows", "name", "description",
    "name_error", "description_error", "form_error", NULL };

/* mail, password reset, notifications, certificates (issue 7, mail) */
static const char *const opt_password_forgot[] = { "email", "email_error",
    "form_error", "sent", NULL };
static const char *const opt_password_reset[] = { "csrf", "token", "invalid",
    "done", "password_error", "confirm_error", "form_error", NULL };
static const char *const opt_notifications[] = { "rows", NULL };
static const char *const opt_row_notification[] = { "url", NULL };
static const char *const opt_certificates[] = { "rows", "claims",
    "form_error", NULL };
static const char *const opt_row_cert_claim[] = { "error", NULL };
static const char *const opt_certificate_verify[] = { "id", "learner",
    "course", "issued", "duration", "instructor", "revoked", "revoked_on",
    "reason", "is_admin", "csrf", "pdf_url", NULL };
static const char *const opt_mail_prefs[] = { "saved", NULL };
static const char *const opt_unsubscribe[] = { "token", "invalid", "done",
    "what", NULL };
static const char *const opt_admin_mail[] = { "rows", NULL };
static const char *const opt_mail_weekly[] = { "lessons", "minutes",
    "courses", "text_courses", "html_courses", "text_next", "html_next",
    NULL };

/* background jobs (issue 7, worker) */
static const char *const opt_admin_jobs[] = { "rows", "workers", NULL };
/* account security (issue 9, harden) */
static const char *const opt_security[] = { "sessions", "form_error", NULL };
static const char *const opt_security_totp[] = { "at_login", "code_error",
    NULL };
static const char *const opt_security_mfa[] = { "code_error", NULL };
static const char *const opt_security_data[] = { "form_error", NULL };

/* question bank (issue 5, bank) */
static const char *const opt_bank_list[] = { "rows", "error", "note",
    NULL };
static const char *const opt_bank_question[] = { "editing", "locked",
    "version", "next_version", "versions", "delete_action", "owner", "irt",
    "title_error", "stem_error", "explanation_error", "difficulty_error",
    "skills_error", "options_error", "form_error", "stem_html",
    "explanation_html", "preview_options", "preview_note", NULL };
static const char *const opt_row_bank_option[] = { "error", NULL };
static const char *const opt_bank_import[] = { "text", "errors",
    "error_summary", "form_error", NULL };
/* assessments (issue 5, quiz) */
static const char *const opt_quiz_list[] = { "error", "title", NULL };
static const char *const opt_quiz_edit[] = { "error", NULL };
static const char *const opt_quiz_start[] = { "last_url", NULL };
static const char *const opt_attempt[] = { "error", "time_left", NULL };
static const char *const opt_diagnostic_start[] = { "error", NULL };
static const char *const opt_diagnostic_take[] = { "error", "item",
    "answered", "max", "done", "theta", "se", "rows", NULL };

/* materials and tutor (issue 8) */
static const char *const opt_teach_materials[] = { "rows", "form_error",
    NULL };
static const char *const opt_tutor[] = { "messages", "question_error",
    NULL };
static const char *const opt_row_tutor_message[] = { "sources", NULL };

static const struct {
	const char		*file;
	const char *const	*optional;
} defs[TMPL__MAX] = {
	[TMPL_LAYOUT_HEAD] = { "layout_head.html", NULL },
	[TMPL_LAYOUT_FOOT] = { "layout_foot.html", NULL },
	[TMPL_LANDING] = { "landing.html", opt_landing },
	[TMPL_LOGIN] = { "login.html", opt_login },
	[TMPL_REGISTER] = { "register.html", opt_register },
	[TMPL_DASHBOARD] = { "dashboard.html", opt_dashboard },
	[TMPL_ROW_COURSE] = { "row_course.html", opt_row_course },
	[TMPL_ACCOUNT] = { "account.html", opt_account },
	[TMPL_ADMIN_USERS] = { "admin_users.html", opt_admin_users },
	[TMPL_ADMIN_HOME] = { "admin_home.html", NULL },
	[TMPL_ROW_USER] = { "row_user.html", NULL },
	[TMPL_ADMIN_USER] = { "admin_user.html", opt_admin_user },	/* adminpanel */
	[TMPL_ADMIN_AUDIT] = { "admin_audit.html", opt_admin_audit },	/* adminpanel */
	[TMPL_ADMIN_AUDIT_ROW] = { "admin_audit_row.html", NULL },	/* adminpanel */
	[TMPL_ADMIN_HEALTH] = { "admin_health.html", opt_admin_health },	/* adminpanel */
	[TMPL_ERROR] = { "error.html", NULL },
	[TMPL_CATALOG] = { "catalog.html", opt_catalog },
	[TMPL_ROW_CATALOG] = { "row_catalog.html", opt_row_catalog },
	[TMPL_COURSE] = { "course.html", opt_course },
	[TMPL_COURSE_ENROLMENT] = { "course_enrolment.html",
	    opt_course_enrolment },
	[TMPL_ROW_LEARN_MODULE] = { "row_learn_module.html", NULL },
	[TMPL_ROW_LEARN_LESSON] = { "row_learn_lesson.html", NULL },
	[TMPL_ROW_LEARN_SKILL] = { "row_learn_skill.html", NULL },
	[TMPL_ROW_LEARN_PREREQ] = { "row_learn_prereq.html",
	    opt_row_learn_prereq },
	[TMPL_LESSON] = { "lesson.html", opt_lesson },
	/* instructor side of courses (issue 4, teach) */
	[TMPL_TEACH_LIST] = { "teach_list.html", opt_teach_list },
	[TMPL_ROW_TEACH_COURSE] = { "row_teach_course.html", NULL },
	[TMPL_TEACH_NEW] = { "teach_new.html", opt_teach_new },
	[TMPL_TEACH_COURSE_FORM] = { "teach_course_form.html",
	    opt_teach_course_form },
	[TMPL_ROW_TEACH_SKILL] = { "row_teach_skill.html", NULL },
	[TMPL_ROW_TEACH_OPTION] = { "row_teach_option.html", NULL },
	[TMPL_ROW_TEACH_CHECK] = { "row_teach_check.html", NULL },
	[TMPL_TEACH_COURSE] = { "teach_course.html", opt_teach_course },
	[TMPL_ROW_TEACH_MODULE] = { "row_teach_module.html", NULL },
	[TMPL_ROW_TEACH_LESSON] = { "row_teach_lesson.html", NULL },
	[TMPL_TEACH_MODULE] = { "teach_module.html", opt_teach_module },
	[TMPL_TEACH_LESSON] = { "teach_lesson.html", opt_teach_lesson },
	[TMPL_TEACH_DELETE] = { "teach_delete.html", opt_teach_delete },
	[TMPL_REVIEW] = { "review.html", opt_review },
	[TMPL_REVIEW_ROW] = { "review_row.html", NULL },
	[TMPL_SKILLS] = { "skills.html", opt_skills },
	[TMPL_SKILLS_ROW] = { "skills_row.html", NULL },
	/* mail, password reset, notifications, certificates (issue 7) */
	[TMPL_PASSWORD_FORGOT] = { "password_forgot.html",
	    opt_password_forgot },
	[TMPL_PASSWORD_RESET] = { "password_reset.html", opt_password_reset },
	[TMPL_NOTIFICATIONS] = { "notifications.html", opt_notifications },
	[TMPL_ROW_NOTIFICATION] = { "row_notification.html",
	    opt_row_notification },
	[TMPL_CERTIFICATES] = { "certificates.html", opt_certificates },
	[TMPL_ROW_CERTIFICATE] = { "row_certificate.html", NULL },
	[TMPL_ROW_CERT_CLAIM] = { "row_cert_claim.html", opt_row_cert_claim },
	[TMPL_CERTIFICATE_VERIFY] = { "certificate_verify.html",
	    opt_certificate_verify },
	[TMPL_MAIL_PREFS] = { "mail_prefs.html", opt_mail_prefs },
	[TMPL_UNSUBSCRIBE] = { "unsubscribe.html", opt_unsubscribe },
	[TMPL_MAIL_WELCOME_TXT] = { "mail_welcome.txt", NULL },
	[TMPL_MAIL_WELCOME_HTML] = { "mail_welcome.html", NULL },
	[TMPL_MAIL_PASSWORD_RESET_TXT] = { "mail_password_reset.txt", NULL },
	[TMPL_MAIL_PASSWORD_RESET_HTML] = { "mail_password_reset.html",
	    NULL },
	[TMPL_MAIL_ENROLMENT_TXT] = { "mail_enrolment.txt", NULL },
	[TMPL_MAIL_ENROLMENT_HTML] = { "mail_enrolment.html", NULL },
	[TMPL_MAIL_COMPLETION_TXT] = { "mail_completion.txt", NULL },
	[TMPL_MAIL_COMPLETION_HTML] = { "mail_completion.html", NULL },
	[TMPL_MAIL_WEEKLY_TXT] = { "mail_weekly_report.txt", opt_mail_weekly },
	[TMPL_MAIL_WEEKLY_HTML] = { "mail_weekly_report.html",
	    opt_mail_weekly },
	[TMPL_MAIL_NOTIFICATION_TXT] = { "mail_notification.txt", NULL },
	[TMPL_MAIL_NOTIFICATION_HTML] = { "mail_notification.html", NULL },
	[TMPL_MAIL_PAYOUT_TXT] = { "mail_payout.txt", NULL },
	[TMPL_MAIL_PAYOUT_HTML] = { "mail_payout.html", NULL },
	[TMPL_ADMIN_MAIL] = { "admin_mail.html", opt_admin_mail },
	[TMPL_ROW_ADMIN_MAIL] = { "row_admin_mail.html", NULL },
	/* background jobs (issue 7, worker) */
	[TMPL_ADMIN_JOBS] = { "admin_jobs.html", opt_admin_jobs },
	[TMPL_ROW_JOB] = { "row_job.html", NULL },
	[TMPL_ROW_JOB_WORKER] = { "row_job_worker.html", NULL },
	/* account security (issue 9, harden) */
	[TMPL_SECURITY] = { "security.html", opt_security },
	[TMPL_SECURITY_ROW_SESSION] = { "security_row_session.html", NULL },
	[TMPL_SECURITY_TOTP] = { "security_totp.html", opt_security_totp },
	[TMPL_SECURITY_CODES] = { "security_codes.html", NULL },
	[TMPL_SECURITY_MFA] = { "security_mfa.html", opt_security_mfa },
	[TMPL_SECURITY_DATA] = { "security_data.html", opt_security_data },
	/* question bank (issue 5, bank) */
	[TMPL_BANK_LIST] = { "bank_list.html", opt_bank_list },
	[TMPL_ROW_BANK_QUESTION] = { "row_bank_question.html", NULL },
	[TMPL_BANK_QUESTION] = { "bank_question.html", opt_bank_question },
	[TMPL_ROW_BANK_OPTION] = { "row_bank_option.html",
	    opt_row_bank_option },
	[TMPL_ROW_BANK_SKILL] = { "row_bank_skill.html", NULL },
	[TMPL_ROW_BANK_VERSION] = { "row_bank_version.html", NULL },
	[TMPL_BANK_IMPORT] = { "bank_import.html", opt_bank_import },
	[TMPL_ROW_BANK_ERROR] = { "row_bank_error.html", NULL },
	/* assessments (issue 5, quiz) */
	[TMPL_QUIZ_LIST] = { "quiz_list.html", opt_quiz_list },
	[TMPL_QUIZ_EDIT] = { "quiz_edit.html", opt_quiz_edit },
	[TMPL_QUIZ_ITEMS] = { "quiz_items.html", NULL },
	[TMPL_QUIZ_START] = { "quiz_start.html", opt_quiz_start },
	[TMPL_ATTEMPT_TAKE] = { "attempt_take.html", opt_attempt },
	[TMPL_ATTEMPT_RESULT] = { "attempt_result.html", opt_attempt },
	[TMPL_DIAGNOSTIC_START] = { "diagnostic_start.html",
	    opt_diagnostic_start },
	[TMPL_DIAGNOSTIC_TAKE] = { "diagnostic_take.html",
	    opt_diagnostic_take },
	[TMPL_PROFILE_SKILLS] = { "profile_skills.html", NULL },
	/* lesson media (issue 7, uploads) */
	[TMPL_ROW_LESSON_MEDIA] = { "row_lesson_media.html", NULL },
	/* the adaptive loop (issue 6) */
	[TMPL_SRS] = { "srs.html", opt_srs },
	[TMPL_GOALS] = { "goals.html", opt_goals },
	[TMPL_PATH] = { "path.html", opt_path },
	[TMPL_FEED] = { "feed.html", opt_feed },
	[TMPL_TEACH_INSIGHTS] = { "teach_insights.html", opt_teach_insights },
	/* fraud and anomaly flags (issue 9, fraud) */
	[TMPL_ADMIN_FRAUD] = { "admin_fraud.html", opt_admin_fraud },
	[TMPL_ROW_FRAUD_FLAG] = { "row_fraud_flag.html",
	    opt_row_fraud_flag },
	/* materials and tutor (issue 8) */
	[TMPL_TEACH_MATERIALS] = { "teach_materials.html",
	    opt_teach_materials },
	[TMPL_ROW_MATERIAL] = { "row_material.html", NULL },
	[TMPL_TUTOR] = { "tutor.html", opt_tutor },
	[TMPL_ROW_TUTOR_MESSAGE] = { "row_tutor_message.html",
	    opt_row_tutor_message },
	/* generation projects (issue 8, genproj) */
	[TMPL_TEACH_PROJECTS] = { "teach_projects.html", opt_teach_projects },
	[TMPL_ROW_GENPROJ] = { "row_genproj.html", opt_row_genproj },
	[TMPL_TEACH_PROJECT] = { "teach_project.html", opt_teach_project },
	[TMPL_ROW_GENITEM] = { "row_genitem.html", opt_row_genitem },
	[TMPL_MODULE_GENERATED] = { "module_generated.html",
	    opt_module_generated },
	/* admin: models, certificates, content (issue 9, adminx) */
	[TMPL_ADMIN_MODELS] = { "admin_models.html", opt_admin_models },
	[TMPL_ROW_ADMIN_MODEL] = { "row_admin_model.html",
	    opt_row_admin_model },
	[TMPL_ADMIN_MODEL] = { "admin_model.html", opt_admin_model },
	[TMPL_ROW_ADMIN_MODEL_FIT] = { "row_admin_model_fit.html",
	    opt_row_admin_model },
	[TMPL_ADMIN_CERTIFICATES] = { "admin_certificates.html",
	    opt_admin_certificates },
	[TMPL_ROW_ADMIN_CERTIFICATE] = { "row_admin_certificate.html",
	    NULL },
	[TMPL_ADMIN_CONTENT] = { "admin_content.html", opt_admin_content },
	[TMPL_ROW_ADMIN_CONTENT] = { "row_admin_content.html", NULL },
};

static CtplToken *trees[TMPL__MAX];

/* ---- a GOutputStream that appends to a struct buf ---------------------- */

#define BUF_TYPE_STREAM (buf_stream_get_type())
G_DECLARE_FINAL_TYPE(BufStream, buf_stream, BUF, STREAM, GOutputStream)

struct _BufStream {
	GOutputStream	 parent;
	struct buf	*buf;
};

G_DEFINE_TYPE(BufStream, buf_stream, G_TYPE_OUTPUT_STREAM)

static gssize
buf_stream_write(GOutputStream *s, const void *p, gsize n, GCancellable *c,
    GError **err)
{
	buf_put(BUF_STREAM(s)->buf, p, n);
	return (gssize)n;
}

static void
buf_stream_class_init(BufStreamClass *k)
{
	G_OUTPUT_STREAM_CLASS(k)->write_fn = buf_stream_write;
}

static void
buf_stream_init(BufStream *s)
{
	s->buf = NULL;
}

/*
 * Each thread keeps one output stream and points it at the buffer of the
 * render at hand: creating the two GObjects for each of the 23 renders of
 * bench_tmpl's dashboard page cost 62 us of CPU per page instead of 54.
 * Renders do not nest, and our write never fails, so the stream is always
 * idle between renders.  GLib frees a thread's stream when the thread
 * exits; tmpl_free() frees the calling thread's.
 */
struct stream {
	BufStream		*bs;
	CtplOutputStream	*os;
};

static void
stream_destroy(gpointer p)
{
	struct stream *s = p;

	ctpl_output_stream_unref(s->os);
	g_object_unref(s->bs);
	g_free(s);
}

static GPrivate stream_key = G_PRIVATE_INIT(stream_destroy);

static CtplOutputStream *
stream_for(struct buf *out)
{
	struct stream *s;

	if ((s = g_private_get(&stream_key)) == NULL) {
		s = g_new(struct stream, 1);
		s->bs = g_object_new(BUF_TYPE_STREAM, NULL);
		s->os = ctpl_output_stream_new(G_OUTPUT_STREAM(s->bs));
		g_private_set(&stream_key, s);
	}
	s->bs->buf = out;
	return s->os;
}

/* ---- kept trees -------------------------------------------------------- */

/* Moved by each tmpl_init: heads rendered from older trees are not used. */
static unsigned trees_gen;

int
tmpl_init(const char *dir)
{
	GError *err = NULL;
	char path[4096];
	int i;

	for (i = 0; i < TMPL__MAX; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, defs[i].file);
		if ((trees[i] = ctpl_lexer_lex_path(path, &err)) == NULL) {
			log_msg("tmpl: %s: %s", path, err != NULL ?
			    err->message : "lexer failed");
			g_clear_error(&err);
			tmpl_free();
			return -1;
		}
	}
	trees_gen++;
	return 0;
}

void
tmpl_free(void)
{
	int i;

	for (i = 0; i < TMPL__MAX; i++) {
		if (trees[i] != NULL)
			ctpl_token_free(trees[i]);
		trees[i] = NULL;
	}
	g_private_replace(&stream_key, NULL);
}

const char *
tmpl_name(enum tmpl id)
{
	return (unsigned)id < TMPL__MAX ? defs[id].file : "?";
}

enum tmpl_role
tmpl_role_from_name(const char *s)
{
	if (s == NULL)
		return TMPL_ROLE_ANON;
	if (strcmp(s, "learner") == 0)
		return TMPL_ROLE_LEARNER;
	if (strcmp(s, "instructor") == 0)
		return TMPL_ROLE_INSTRUCTOR;
	if (strcmp(s, "admin") == 0)
		return TMPL_ROLE_ADMIN;
	return TMPL_ROLE_ANON;
}

/* ---- rendering --------------------------------------------------------- */

/* Renders one tree onto an open stream (v NULL: no variables); does not
 * restore the buffer. */
static int
render_one(enum tmpl id, const struct view *v, CtplOutputStream *os)
{
	CtplEnviron *env;
	GError *err = NULL;
	const char *const *o;
	int rc = 0;

	if ((unsigned)id >= TMPL__MAX || trees[id] == NULL) {
		log_msg("tmpl: %s (%d): not loaded", tmpl_name(id), (int)id);
		return -1;
	}
	env = ctpl_environ_new();
	if (defs[id].optional != NULL)
		for (o = defs[id].optional; *o != NULL; o++)
			ctpl_environ_push_string(env, *o, "");
	if (v != NULL)
		view_push(v, env);
	if (!ctpl_parser_parse(trees[id], env, os, &err)) {
		log_msg("tmpl: %s: %s", defs[id].file, err != NULL ?
		    err->message : "render failed");
		g_clear_error(&err);
		rc = -1;
	}
	ctpl_environ_unref(env);
	return rc;
}

static void
truncate_to(struct buf *out, size_t len)
{
	out->len = len;
	if (out->p != NULL)
		out->p[len] = '\0';
}

int
tmpl_render(enum tmpl id, const struct view *v, struct buf *out)
{
	size_t start = out->len;
	int rc;

	rc = render_one(id, v, stream_for(out));
	if (rc == -1)
		truncate_to(out, start);
	return rc;
}

int
tmpl_render_row(enum tmpl id, const struct view *v, struct buf *acc)
{
	return tmpl_render(id, v, acc);
}

static const char *const role_labels[] = {
	[TMPL_ROLE_ANON] = "",
	[TMPL_ROLE_LEARNER] = "Learner",
	[TMPL_ROLE_INSTRUCTOR] = "Instructor",
	[TMPL_ROLE_ADMIN] = "Admin",
};

/* The current navigation link, as the layout compares it (nav == "..."):
 * one string instead of a boolean per link, each a push into CTPL's
 * environment for every page. */
static const char *const nav_names[] = {
	[TMPL_NAV_NONE] = "",
	[TMPL_NAV_DASHBOARD] = "dashboard",
	[TMPL_NAV_CATALOG] = "catalog",
	[TMPL_NAV_TEACH] = "teach",
	[TMPL_NAV_ADMIN] = "admin",
	[TMPL_NAV_ACCOUNT] = "account",
	[TMPL_NAV_LOGIN] = "login",
	[TMPL_NAV_REGISTER] = "register",
	[TMPL_NAV_PATH] = "path",
	[TMPL_NAV_REVIEW] = "review",
	[TMPL_NAV_FEED] = "feed",
};

static void
layout_view(struct view *lv, const struct tmpl_layout *l)
{
	enum tmpl_role role = l->role;

	if ((unsigned)role > TMPL_ROLE_ADMIN)
		role = TMPL_ROLE_ANON;
	view_set(lv, "title", l->title);
	view_set_bool(lv, "signed_in", role != TMPL_ROLE_ANON);
	view_set_bool(lv, "can_teach", role == TMPL_ROLE_INSTRUCTOR ||
	    role == TMPL_ROLE_ADMIN);
	view_set_bool(lv, "can_admin", role == TMPL_ROLE_ADMIN);
	view_set(lv, "user_name", l->user_name);
	view_set(lv, "role_label", role_labels[role]);
	view_set(lv, "csrf", l->csrf);
	view_set(lv, "flash", l->flash);
	view_set_bool(lv, "flash_error", l->flash_error);
	view_set_int(lv, "unread", l->unread);
	view_set(lv, "nav", (size_t)l->nav < sizeof(nav_names) /
	    sizeof(nav_names[0]) ? nav_names[l->nav] : "");
}

/*
 * The layout heads this thread rendered last, each with what it was
 * rendered from: a head is a function of struct tmpl_layout alone (and of
 * the trees, hence the generation), and one user's pages repeat it, while
 * rendering it is most of what a page kept whole by its handler costs.
 */
#define HEADS	16
static _Thread_local struct head {
	unsigned	 gen;		/* trees_gen; 0 = empty */
	struct buf	 key, html;
} heads[HEADS];

/* Appends s to the key, its length first (so no two layouts share one). */
static void
key_str(struct buf *k, const char *s)
{
	if (s == NULL)
		s = "";
	buf_printf(k, "%zu:", strlen(s));
	buf_puts(k, s);
}

/* A thread that ends gives its heads back (a pthread key's destructor:
 * FastCGI threads live as long as their worker, other users of the
 * templates, tests among them, start and end threads). */
static pthread_key_t heads_key;
static pthread_once_t heads_once = PTHREAD_ONCE_INIT;
static int heads_keyed;		/* heads_key exists */

static void
heads_free(void *p)
{
	struct head *h = p;
	int i;

	for (i = 0; i < HEADS; i++) {
		buf_free(&h[i].key);
		buf_free(&h[i].html);
		h[i].gen = 0;
	}
}

static void
heads_key_make(void)
{
	if (pthread_key_create(&heads_key, heads_free) == 0)
		heads_keyed = 1;
	else
		log_msg("tmpl: pthread_key_create failed: layout heads "
		    "are not freed when a thread ends");
}

/* Appends the layout's head to out, from this thread's heads when one was
 * rendered from the same layout.  0, or -1 (out may have grown). */
static int
render_head(const struct tmpl_layout *l, struct arena *a,
    CtplOutputStream *os, struct buf *out)
{
	struct head *h;
	struct view *lv;
	struct buf k;
	uint64_t hash = 14695981039346656037ULL;	/* FNV-1a */
	size_t i, start = out->len;
	int rc;

	buf_init(&k);
	buf_printf(&k, "%d %d %d %ld ", (int)l->role, (int)l->nav,
	    l->flash_error, l->unread);
	key_str(&k, l->title);
	key_str(&k, l->user_name);
	key_str(&k, l->csrf);
	key_str(&k, l->flash);
	for (i = 0; i < k.len; i++)
		hash = (hash ^ (unsigned char)k.p[i]) * 1099511628211ULL;
	h = &heads[hash % HEADS];
	if (h->gen == trees_gen && h->key.len == k.len &&
	    memcmp(h->key.p, k.p, k.len) == 0) {
		buf_put(out, h->html.p, h->html.len);
		buf_free(&k);
		return 0;
	}
	lv = view_new(a);
	layout_view(lv, l);
	if ((rc = render_one(TMPL_LAYOUT_HEAD, lv, os)) == 0) {
		if (pthread_once(&heads_once, heads_key_make) == 0 &&
		    heads_keyed && pthread_getspecific(heads_key) == NULL)
			(void)pthread_setspecific(heads_key, heads);
		buf_reset(&h->key);
		buf_put(&h->key, k.p, k.len);
		buf_reset(&h->html);
		buf_put(&h->html, out->p + start, out->len - start);
		h->gen = trees_gen;
	}
	buf_free(&k);
	return rc;
}

/* Appends the layout around the page: the template id with the view v,
 * or (id TMPL__MAX) the html given. */
static int
render_page(enum tmpl id, const struct view *v, const char *html,
    size_t len, const struct tmpl_layout *l, struct arena *a,
    struct buf *out)
{
	CtplOutputStream *os;
	size_t start = out->len;
	int rc;

	os = stream_for(out);
	rc = render_head(l, a, os, out);
	if (rc == 0 && id != TMPL__MAX)
		rc = render_one(id, v, os);
	else if (rc == 0)
		buf_put(out, html, len);
	/* The foot has no variables: nothing to push. */
	if (rc == 0)
		rc = render_one(TMPL_LAYOUT_FOOT, NULL, os);
	if (rc == -1)
		truncate_to(out, start);
	return rc;
}

int
tmpl_render_page(enum tmpl id, const struct view *v,
    const struct tmpl_layout *l, struct buf *out)
{
	return render_page(id, v, NULL, 0, l, v->arena, out);
}

int
tmpl_render_page_html(const char *html, size_t len,
    const struct tmpl_layout *l, struct arena *a, struct buf *out)
{
	return render_page(TMPL__MAX, NULL, html, len, l, a, out);
}
