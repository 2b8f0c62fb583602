/*
 * pages: one file per page group; each handler takes validated input from
 * r->form (fields declared in routes.c, indexed by the enums below), calls
 * db_* and learn_*, builds a view and renders it, returning the status.
 */
#ifndef ADEPT_PAGES_H
#define ADEPT_PAGES_H

#include "http/server.h"

/* Field indexes, one enum per form (routes.c declares the arrays). */
enum { F_REG_NAME, F_REG_EMAIL, F_REG_PASSWORD, F_REG_CONFIRM, F_REG__MAX };
enum { F_LOGIN_EMAIL, F_LOGIN_PASSWORD, F_LOGIN_NEXT, F_LOGIN__MAX };
enum { F_PW_CURRENT, F_PW_NEW, F_PW_CONFIRM, F_PW__MAX };
enum { F_AU_NAME, F_AU_EMAIL, F_AU_PASSWORD, F_AU_ROLE, F_AU__MAX };
enum { F_API_REG_EMAIL, F_API_REG_PASSWORD, F_API_REG_NAME, F_API_REG__MAX };
enum { F_API_LOGIN_EMAIL, F_API_LOGIN_PASSWORD, F_API_LOGIN_TOTP,
    F_API_LOGIN__MAX };
enum { F_API_REFRESH_TOKEN, F_API_REFRESH__MAX };

extern const char *const page_role_choices[];

int	page_landing(struct req *);
int	page_healthz(struct req *);
int	page_register(struct req *);
int	page_login(struct req *);
int	page_logout(struct req *);
int	page_dashboard(struct req *);
int	page_account(struct req *);
int	page_account_password(struct req *);
int	page_admin_users(struct req *);
int	page_admin_home(struct req *);
int	page_api_register(struct req *);
int	page_api_login(struct req *);
int	page_api_refresh(struct req *);
int	page_api_logout(struct req *);
int	page_api_me(struct req *);
int	page_api_dashboard(struct req *);
int	page_api_admin_users(struct req *);
/* admin panel (issue 9, adminpanel) */
enum { F_AUX_ACTION, F_AUX_ROLE, F_AUX__MAX };
extern const char *const page_admin_user_actions[];
int	page_admin_user(struct req *);
int	page_api_admin_user(struct req *);
enum { F_AA_ACTOR, F_AA_ACTION, F_AA_FROM, F_AA_TO, F_AA_PAGE, F_AA__MAX };
int	page_admin_audit(struct req *);
int	page_api_admin_audit(struct req *);
int	page_admin_health(struct req *);
int	page_api_admin_health(struct req *);
/* end adminpanel */
int	page_upload_get(struct req *);
/* lesson media and upload delete (issue 7, uploads; lesson_media.c) */
struct buf;
int	page_lesson_media_add(struct req *);
int	page_api_lesson_media_add(struct req *);
int	page_upload_delete(struct req *);
/* Appends lesson's media rows (row_lesson_media.html) to out: 0 or a
 * status. */
int	lesson_media_rows(struct req *, int64_t lesson, struct buf *out);

/* ---- learner side of courses: catalog.c, course.c, lesson.c (issue 4) */
enum { F_CAT_Q, F_CAT_SKILL, F_CAT_LEVEL, F_CAT_LANGUAGE, F_CAT_DURATION,
    F_CAT_PAGE, F_CAT__MAX };
enum { F_ENR_COURSE, F_ENR__MAX };
enum { F_PROG_SECONDS, F_PROG_COMPLETED, F_PROG__MAX };
extern const char *const page_catalog_levels[];
extern const char *const page_catalog_durations[];

/* A course as learning_course_get returns it for the signed-in user. */
struct course_info {
	int64_t		 id;
	const char	*title, *summary, *level, *language, *hours;
	const char	*status, *instructor;
	int64_t		 author;
	const char	*enrol;		/* "" | active | left | completed */
	int64_t		 last_lesson;	/* 0 = none */
	long		 nlessons, ndone, minutes;
};
/* Loads course id if the user may see it: 1, 0 (not found or not
 * visible), or a db_err.  Strings are copied into the request arena. */
int	page_course_load(struct req *, int64_t id, struct course_info *);
int	page_course_percent(const struct course_info *);
int	page_course_enrolled(const struct course_info *);
/* "beginner" -> "Beginner"; other strings as they are. */
const char *page_level_label(const char *);
/* "3.0" -> "3 hours", "1.5" -> "1.5 hours". */
const char *page_hours_label(struct arena *, const char *hours);
/* 75 -> "1 h 15 min". */
const char *page_minutes_label(struct arena *, long minutes);
/* "512 bytes", "1.5 KB", "20.0 MB". */
const char *page_size_label(struct arena *, int64_t bytes);
/* Appends <li><a href="/quizzes/{id}">title (escaped)</a></li>: the
 * quiz links of lesson pages and the syllabus (lesson.c). */
struct buf;
void	page_quiz_link(struct buf *, int64_t id, const char *title);
/* A ts_headline snippet marked with \1 .. \2: HTML-escaped, the marks
 * turned into balanced <mark> elements. */
char	*page_snippet_html(struct arena *, const char *);
/* Records a learner event for the user and, if subject is not NULL,
 * queues a mail to them; inside the caller's transaction.  0 or a
 * db_err. */
int	page_learning_event(struct req *, const char *kind, int64_t course,
	    int64_t lesson, const char *subject, const char *body);
/* The user's enrolments (learning_enrollment_list) into r->db. */
int	page_enrollment_list(struct req *);
int	page_catalog(struct req *);
int	page_api_catalog(struct req *);
/* The catalog's kept pages (catalog.c): the version shared by the
 * host's workers, mapped once by the supervisor before it forks them (0,
 * or -1); and a thread's pages, following adept_catalog on its ln (0, or
 * -1 when out of memory or ln is full). */
struct listen;
int	page_catalog_shared_init(void);
int	page_catalog_follow(struct listen *ln);
int	page_course(struct req *);
int	page_api_course(struct req *);
int	page_course_enroll(struct req *);
int	page_course_leave(struct req *);
int	page_api_enrollments(struct req *);
int	page_lesson(struct req *);
int	page_lesson_complete(struct req *);
int	page_api_lesson_progress(struct req *);

/* Instructor side of courses (teach.c, teach_course.c, teach_content.c,
 * review.c, skills.c; issue 4). */
enum { F_TC_TITLE, F_TC_SUMMARY, F_TC_LEVEL, F_TC_LANGUAGE, F_TC_HOURS,
    F_TC__MAX };
enum { F_TM_TITLE, F_TM__MAX };
enum { F_TL_TITLE, F_TL_KIND, F_TL_BODY, F_TL_MINUTES, F_TL_MODULE,
    F_TL_PREVIEW, F_TL__MAX };
enum { F_MV_DIRECTION, F_MV__MAX };
enum { F_TD_CONFIRM, F_TD__MAX };
enum { F_RJ_NOTE, F_RJ__MAX };
enum { F_SK_NAME, F_SK_DESCRIPTION, F_SK__MAX };
enum { F_CV_REMOVE, F_CV__MAX };
extern const char *const page_level_choices[];
extern const char *const page_kind_choices[];
extern const char *const page_direction_choices[];
int	page_teach(struct req *);
int	page_teach_course_new(struct req *);
int	page_teach_course(struct req *);
int	page_teach_course_delete(struct req *);
int	page_teach_course_submit(struct req *);
int	page_teach_module_new(struct req *);
int	page_teach_module(struct req *);
int	page_teach_module_move(struct req *);
int	page_teach_module_delete(struct req *);
int	page_teach_lesson_new(struct req *);
int	page_teach_lesson(struct req *);
int	page_teach_lesson_move(struct req *);
int	page_teach_lesson_delete(struct req *);
int	page_skills(struct req *);
int	page_review_list(struct req *);
int	page_review_approve(struct req *);
int	page_review_reject(struct req *);
int	page_api_teach_courses(struct req *);
int	page_api_teach_course(struct req *);
int	page_api_teach_lesson(struct req *);
int	page_api_course_create(struct req *);
int	page_api_course_update(struct req *);
int	page_api_course_delete(struct req *);
int	page_api_course_submit(struct req *);
int	page_api_course_approve(struct req *);
int	page_api_course_reject(struct req *);
int	page_api_module_create(struct req *);
int	page_api_module_update(struct req *);
int	page_api_module_move(struct req *);
int	page_api_module_delete(struct req *);
int	page_api_lesson_create(struct req *);
int	page_api_lesson_update(struct req *);
int	page_api_lesson_move(struct req *);
int	page_api_lesson_delete(struct req *);
int	page_api_reviews(struct req *);
int	page_api_skills(struct req *);
int	page_teach_course_cover(struct req *);
int	page_api_course_cover(struct req *);

/* Background work and event ingestion (worker, issue 7). */
int	page_api_events(struct req *);
int	page_admin_jobs(struct req *);
int	page_admin_job_retry(struct req *);
int	page_api_admin_jobs(struct req *);
int	page_api_admin_job_retry(struct req *);

/* ---- mail, password reset, notifications, certificates (issue 7, mail):
 * password.c, prefs.c, notifications.c, certificates.c */
enum { F_FORGOT_EMAIL, F_FORGOT__MAX };
enum { F_RESET_TOKEN, F_RESET_PASSWORD, F_RESET_CONFIRM, F_RESET__MAX };
enum { F_MP_ALL, F_MP_ENROLMENT, F_MP_COMPLETION, F_MP_WEEKLY,
    F_MP_NOTIFICATION, F_MP_PAYOUT, F_MP__MAX };
enum { F_UNSUB_TOKEN, F_UNSUB__MAX };
enum { F_CERT_COURSE, F_CERT_NAME, F_CERT__MAX };
enum { F_REVOKE_REASON, F_REVOKE_BACK, F_REVOKE__MAX };
int	page_password_forgot(struct req *);
int	page_password_reset(struct req *);
int	page_api_password_forgot(struct req *);
int	page_api_password_reset(struct req *);
int	page_mail_prefs(struct req *);
int	page_api_mail_prefs(struct req *);
int	page_unsubscribe(struct req *);
int	page_notifications(struct req *);
int	page_api_notifications(struct req *);
int	page_notification_read(struct req *);
int	page_notifications_read_all(struct req *);
int	page_certificates(struct req *);
int	page_api_certificates(struct req *);
int	page_certificate_pdf(struct req *);
int	page_certificate_verify(struct req *);
int	page_api_certificate_verify(struct req *);
int	page_certificate_revoke(struct req *);
int	page_admin_mail(struct req *);
int	page_api_admin_mail(struct req *);
int	page_admin_mail_retry(struct req *);

/* ---- account security (issue 9, harden): security.c */
enum { F_MFA_CODE, F_MFA__MAX };
enum { F_SECPW_PASSWORD, F_SECPW__MAX };
enum { F_SES_SESSION, F_SES__MAX };
enum { F_DEL_PASSWORD, F_DEL_CONFIRM, F_DEL__MAX };
/* Called by the sign-in pages once the password is right.  0: no second
 * factor is needed, start the session; otherwise the response (a redirect
 * to the second step, or the API's 401/403 JSON) is ready and this is
 * its status.  The API variant takes the request's "totp" field (NULL if
 * absent) and returns 0 once that code has been accepted. */
int	security_login_hook(struct req *, int64_t uid, const char *next);
int	security_api_login_hook(struct req *, int64_t uid, const char *code);
int	page_login_mfa(struct req *);
int	page_login_mfa_setup(struct req *);
int	page_security(struct req *);
int	page_security_totp(struct req *);
int	page_security_totp_disable(struct req *);
int	page_security_recovery(struct req *);
int	page_security_session_revoke(struct req *);
int	page_data(struct req *);
int	page_data_delete(struct req *);
int	page_api_security(struct req *);
int	page_api_session_revoke(struct req *);
int	page_api_totp(struct req *);
int	page_api_totp_disable(struct req *);
int	page_api_recovery(struct req *);
int	page_api_export(struct req *);
int	page_api_data_delete(struct req *);

/* ---- question bank (issue 5, bank): bank.c.  Fields are declared in
 * bank.c; option row i (0-based) field k is F_BQ_O(i, k). */
enum { F_BQO_TEXT, F_BQO_CORRECT, F_BQO_FEEDBACK, F_BQO_VALUE, F_BQO_TOL,
    F_BQO_ID, F_BQO_ORDER, F_BQO__MAX };
enum { F_BQ_KIND, F_BQ_TITLE, F_BQ_STEM, F_BQ_EXPLANATION, F_BQ_DIFFICULTY,
    F_BQ_SKILLS, F_BQ_CORRECT, F_BQ_OPT, F_BQ__MAX = F_BQ_OPT + 10 * F_BQO__MAX };
#define F_BQ_O(i, k)	(F_BQ_OPT + (i) * F_BQO__MAX + (k))
enum { F_BL_SKILL, F_BL_KIND, F_BL__MAX };
enum { F_BI_FORMAT, F_BI_TEXT, F_BI__MAX };
enum { F_BE_FORMAT, F_BE_SKILL, F_BE__MAX };
extern const struct http_field page_bank_question_fields[F_BQ__MAX];
extern const struct http_field page_bank_list_fields[F_BL__MAX];
extern const struct http_field page_bank_import_fields[F_BI__MAX];
extern const struct http_field page_bank_export_fields[F_BE__MAX];
int	page_bank_list(struct req *);
int	page_bank_new(struct req *);
int	page_bank_edit(struct req *);
int	page_bank_delete(struct req *);
int	page_bank_import(struct req *);
int	page_bank_export(struct req *);
int	page_api_bank_list(struct req *);
int	page_api_bank_create(struct req *);
int	page_api_bank_question(struct req *);
int	page_api_bank_delete(struct req *);
/* Regrade (issue 5, calib): regrade.c. */
int	page_bank_regrade(struct req *);
int	page_api_bank_regrade(struct req *);
/* The question page's regrade section: "regrade_action", and
 * "regrade_last" (what the latest regrade of question qid did; with
 * ?regraded in the query also the page's flash).  0 or a db_err. */
struct view;
int	page_regrade_view(struct req *, int64_t qid, struct view *);
int	page_api_bank_import(struct req *);
int	page_api_bank_export(struct req *);

/* ---- assessments (issue 5, quiz): quiz.c, attempt.c, diagnostic.c,
 * profile.c.  Fields are declared in those files. */
enum { F_QZ_TITLE, F_QZ_MODE, F_QZ_LESSON, F_QZ_MODULE, F_QZ_SKILL,
    F_QZ_MIN, F_QZ_MAX, F_QZ_COUNT, F_QZ_PASS, F_QZ_ATTEMPTS, F_QZ_MINUTES,
    F_QZ_PER_PAGE, F_QZ_QUESTION, F_QZ_REMOVE, F_QZ__MAX };
enum { F_ANS_OPTION, F_ANS_OPTIONS, F_ANS_VALUE, F_ANS_TEXT, F_ANS_ORDER,
    F_ANS__MAX };
enum { F_DG_SKILLS, F_DG_TARGET, F_DG_MAX, F_DG__MAX };
extern const struct http_field page_quiz_fields[F_QZ__MAX];
extern const struct http_field page_attempt_answer_fields[F_ANS__MAX];
extern const struct http_field page_diag_fields[F_DG__MAX];
int	page_quiz_list(struct req *);
int	page_quiz_edit(struct req *);
int	page_quiz_items(struct req *);
int	page_api_quiz_create(struct req *);
int	page_api_quiz_question(struct req *);
int	page_api_quiz_items(struct req *);
int	page_quiz_intro(struct req *);
int	page_quiz_start(struct req *);
int	page_attempt(struct req *);
int	page_attempt_answer(struct req *);
int	page_attempt_submit(struct req *);
int	page_api_attempt_start(struct req *);
int	page_api_attempt(struct req *);
int	page_api_attempt_answer(struct req *);
int	page_api_attempt_submit(struct req *);
int	page_diagnostic(struct req *);
int	page_diagnostic_take(struct req *);
int	page_diagnostic_answer(struct req *);
int	page_api_diagnostic_start(struct req *);
int	page_api_diagnostic(struct req *);
int	page_api_diagnostic_answer(struct req *);
int	page_profile_skills(struct req *);
int	page_api_profile_skills(struct req *);

/* ---- the adaptive loop (issue 6): goals.c, path.c, recommend.c, srs.c,
 * feed.c, dashboard.c, insights.c.  Fields are declared in routes.c. */
enum { F_GOAL_DEADLINE, F_GOAL_HOURS, F_GOAL_RETENTION, F_GOAL_LIMIT,
    F_GOAL__MAX };
/* The review form: an answer (F_ANS_*, so attempt_score reads it) or a
 * rating, the card's review count the page was drawn for, the page's
 * time (ms) or a response time. */
enum { F_SRS_RATING = F_ANS__MAX, F_SRS_SEEN, F_SRS_SHOWN, F_SRS_MS,
    F_SRS__MAX };
enum { F_RECACT_ACTION, F_RECACT__MAX };
enum { F_PATHV_VERSION, F_PATHV_COMPARE, F_PATHV__MAX };
extern const char *const page_srs_ratings[];
extern const char *const page_rec_actions[];
int	page_goals(struct req *);
int	page_api_goals(struct req *);
int	page_srs(struct req *);
int	page_srs_review(struct req *);
int	page_api_srs_due(struct req *);
int	page_api_srs_review(struct req *);
int	page_path(struct req *);
int	page_path_generate(struct req *);
int	page_api_path(struct req *);
int	page_api_path_generate(struct req *);
int	page_rec_action(struct req *);
int	page_api_recs(struct req *);
int	page_api_rec_action(struct req *);
int	page_api_ai_dashboard(struct req *);
/* feed.c declares its own answer fields (indexes F_FEED_*). */
enum { F_FEED_ANSWER, F_FEED_SHOWN, F_FEED__MAX };
extern const struct http_field page_feed_answer_fields[F_FEED__MAX];
int	page_feed(struct req *);
int	page_feed_answer(struct req *);
int	page_api_feed(struct req *);
int	page_api_feed_answer(struct req *);
int	page_teach_insights(struct req *);
/* flashcards.c */
enum { F_FC_FRONT, F_FC_BACK, F_FC__MAX };
struct buf;
int	page_flashcard_add(struct req *);
int	page_flashcard_delete(struct req *);
int	page_api_flashcards(struct req *);
int	page_api_flashcard_delete(struct req *);
/* The lesson's cards as <li>s with delete buttons: 0 or a status. */
int	flashcards_html(struct req *, int64_t lesson, struct buf *out);
int	page_api_teach_insights(struct req *);

/* ---- fraud and anomaly flags (issue 9, fraud): fraud.c.  Fields are
 * declared there. */
enum { F_FRL_STATUS, F_FRL_PAGE, F_FRL__MAX };
enum { F_FRD_ACTION, F_FRD_NOTE, F_FRD__MAX };
extern const char *const page_fraud_statuses[];
extern const char *const page_fraud_actions[];
extern const struct http_field page_fraud_list_fields[F_FRL__MAX];
extern const struct http_field page_fraud_decide_fields[F_FRD__MAX];
int	page_admin_fraud(struct req *);
int	page_admin_fraud_decide(struct req *);
int	page_api_admin_fraud(struct req *);
int	page_api_admin_fraud_decide(struct req *);

/* ---- materials and tutor (issue 8): materials.c, tutor.c. */
enum { F_TUTOR_QUESTION, F_TUTOR__MAX };
extern const struct http_field page_tutor_fields[F_TUTOR__MAX];
int	page_teach_materials(struct req *);
int	page_teach_materials_add(struct req *);
int	page_teach_material_delete(struct req *);
int	page_api_materials(struct req *);
int	page_api_materials_add(struct req *);
int	page_api_material_delete(struct req *);
int	page_tutor(struct req *);
int	page_tutor_ask(struct req *);
int	page_api_tutor(struct req *);
/* ---- generation projects (issue 8, genproj): genproj.c.  Fields are
 * declared there. */
enum { F_GEN_MODULE, F_GEN_OBJECTIVES, F_GEN_LESSON, F_GEN_ITEMS,
    F_GEN_LEVEL, F_GEN_BACKEND, F_GEN__MAX };
enum { F_GE_QUESTION, F_GE_STEM, F_GE_OPTION1, F_GE_OPTION2, F_GE_OPTION3,
    F_GE_OPTION4, F_GE_ANSWER, F_GE_EXPLANATION, F_GE_TITLE, F_GE_MARKDOWN,
    F_GE__MAX };
enum { F_GA_OVERRIDE, F_GA_NOTE, F_GA_MODULE, F_GA__MAX };
enum { F_GR_NOTE, F_GR__MAX };
extern const char *const page_genproj_levels[];
extern const char *const page_genproj_backends[];
extern const struct http_field page_genproj_fields[F_GEN__MAX];
extern const struct http_field page_genitem_edit_fields[F_GE__MAX];
extern const struct http_field page_genitem_approve_fields[F_GA__MAX];
extern const struct http_field page_genitem_reject_fields[F_GR__MAX];
int	page_genproj_list(struct req *);
int	page_genproj_generate(struct req *);
int	page_genproj_project(struct req *);
int	page_genitem_edit(struct req *);
int	page_genitem_approve(struct req *);
int	page_genitem_reject(struct req *);
int	page_module_generated(struct req *);
int	page_api_genproj_generate(struct req *);
int	page_api_genproj_list(struct req *);
int	page_api_genproj_project(struct req *);
int	page_api_genitem(struct req *);
int	page_api_genitem_edit(struct req *);
int	page_api_genitem_approve(struct req *);
int	page_api_genitem_reject(struct req *);
int	page_api_module_generated(struct req *);
/* bank.c: a new question owned by owner with the skills given, inside the
 * caller's transaction; q is checked with qb_check first.  0 with *qid,
 * 400 with the reason in *why, or a db_err. */
struct qb_question;
int	page_bank_insert(struct req *, const struct qb_question *q,
	    int64_t owner, const int64_t *skills, size_t nskill, int64_t *qid,
	    const char **why);

/* ---- narrated micro-lessons (issue 8, micro): microlesson.c; the review
 * is genproj.c's. */
enum { F_ML_PROMPT, F_ML_MODULE, F_ML__MAX };
extern const struct http_field page_microlesson_fields[F_ML__MAX];
int	page_microlesson_from_lesson(struct req *);
int	page_api_microlesson_from_lesson(struct req *);
int	page_microlesson_from_prompt(struct req *);
int	page_api_microlesson_from_prompt(struct req *);

/* Shared by the pages: the status for a db_* error (503 or 500). */
int	page_db_status(int dberr);

/* ---- admin: models, certificates, content (issue 9, adminx):
 * admin_models.c, admin_certificates.c, admin_content.c, admin_list.c.
 * Fields are declared there. */
enum { F_AM_KIND, F_AM_Q, F_AM_PAGE, F_AM__MAX };
enum { F_ACL_Q, F_ACL_STATUS, F_ACL_PAGE, F_ACL__MAX };
enum { F_ACQ_Q, F_ACQ_PAGE, F_ACQ__MAX };
extern const char *const page_admin_model_kinds[];
extern const char *const page_admin_cert_statuses[];
extern const struct http_field page_admin_models_fields[F_AM__MAX];
extern const struct http_field page_admin_certs_fields[F_ACL__MAX];
extern const struct http_field page_admin_content_fields[F_ACQ__MAX];
int	page_admin_models(struct req *);
int	page_api_admin_models(struct req *);
int	page_admin_model_item(struct req *);
int	page_admin_model_skill(struct req *);
int	page_api_admin_model_item(struct req *);
int	page_api_admin_model_skill(struct req *);
int	page_admin_model_rollback(struct req *);
int	page_api_admin_model_rollback(struct req *);
int	page_admin_certificates(struct req *);
int	page_api_admin_certificates(struct req *);
int	page_admin_content(struct req *);
int	page_api_admin_content(struct req *);
/* path?page=N&k=v... for kv[0..nkv) as name, value pairs (empty values
 * left out, values percent-encoded), in the arena. */
const char *page_list_url(struct arena *, const char *path, long page,
	    const char *const *kv, size_t nkv);

#endif
