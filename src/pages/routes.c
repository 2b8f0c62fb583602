/*
 * routes: the one routing table.  A row is method(s), path pattern,
 * required role, flags (CSRF, JSON), declared fields and the handler:
 * adding a page is adding a row, a handler, a template and a test.
 */
#include <limits.h>

#include "pages/pages.h"

const char *const page_role_choices[] = {
	"learner", "instructor", "admin", NULL
};
static const char *const revoke_backs[] = { "admin", NULL };

static const struct http_field f_register[F_REG__MAX] = {
	[F_REG_NAME] = { "name", HTTP_FT_STRING, 1, 100, 0, 0, NULL, 1,
	    "Name" },
	[F_REG_EMAIL] = { "email", HTTP_FT_EMAIL, 3, 254, 0, 0, NULL, 1,
	    "Email" },
	[F_REG_PASSWORD] = { "password", HTTP_FT_PASSWORD, 8, 1024, 0, 0,
	    NULL, 1, "Password" },
	[F_REG_CONFIRM] = { "password_confirm", HTTP_FT_PASSWORD, 0, 1024, 0,
	    0, NULL, 1, "Password confirmation" },
};

static const struct http_field f_login[F_LOGIN__MAX] = {
	[F_LOGIN_EMAIL] = { "email", HTTP_FT_STRING, 1, 254, 0, 0, NULL, 1,
	    "Email" },
	[F_LOGIN_PASSWORD] = { "password", HTTP_FT_PASSWORD, 1, 1024, 0, 0,
	    NULL, 1, "Password" },
	[F_LOGIN_NEXT] = { "next", HTTP_FT_STRING, 0, 512, 0, 0, NULL, 0,
	    "Next page" },
};

static const struct http_field f_password[F_PW__MAX] = {
	[F_PW_CURRENT] = { "current_password", HTTP_FT_PASSWORD, 1, 1024, 0,
	    0, NULL, 1, "Current password" },
	[F_PW_NEW] = { "new_password", HTTP_FT_PASSWORD, 8, 1024, 0, 0, NULL,
	    1, "New password" },
	[F_PW_CONFIRM] = { "new_password_confirm", HTTP_FT_PASSWORD, 0, 1024,
	    0, 0, NULL, 1, "Password confirmation" },
};

static const struct http_field f_admin_user[F_AU__MAX] = {
	[F_AU_NAME] = { "name", HTTP_FT_STRING, 1, 100, 0, 0, NULL, 1,
	    "Name" },
	[F_AU_EMAIL] = { "email", HTTP_FT_EMAIL, 3, 254, 0, 0, NULL, 1,
	    "Email" },
	[F_AU_PASSWORD] = { "password", HTTP_FT_PASSWORD, 8, 1024, 0, 0,
	    NULL, 1, "Password" },
	[F_AU_ROLE] = { "role", HTTP_FT_ENUM, 0, 0, 0, 0, page_role_choices,
	    1, "Role" },
};

/* admin panel (issue 9, adminpanel) */
static const struct http_field f_admin_user_change[F_AUX__MAX] = {
	[F_AUX_ACTION] = { "action", HTTP_FT_ENUM, 0, 0, 0, 0,
	    page_admin_user_actions, 1, "Action" },
	[F_AUX_ROLE] = { "role", HTTP_FT_ENUM, 0, 0, 0, 0, page_role_choices,
	    0, "Role" },
};
static const struct http_field f_admin_audit[F_AA__MAX] = {
	[F_AA_ACTOR] = { "actor", HTTP_FT_STRING, 0, 254, 0, 0, NULL, 0,
	    "Actor" },
	[F_AA_ACTION] = { "action", HTTP_FT_STRING, 0, 100, 0, 0, NULL, 0,
	    "Action" },
	[F_AA_FROM] = { "from", HTTP_FT_STRING, 0, 10, 0, 0, NULL, 0,
	    "From" },
	[F_AA_TO] = { "to", HTTP_FT_STRING, 0, 10, 0, 0, NULL, 0, "To" },
	[F_AA_PAGE] = { "page", HTTP_FT_INT, 0, 0, 1, 100000, NULL, 0,
	    "Page" },
};
/* end adminpanel */
static const struct http_field f_api_register[F_API_REG__MAX] = {
	[F_API_REG_EMAIL] = { "email", HTTP_FT_EMAIL, 3, 254, 0, 0, NULL, 1,
	    "email" },
	[F_API_REG_PASSWORD] = { "password", HTTP_FT_PASSWORD, 8, 1024, 0, 0,
	    NULL, 1, "password" },
	[F_API_REG_NAME] = { "full_name", HTTP_FT_STRING, 1, 100, 0, 0, NULL,
	    1, "full_name" },
};

static const struct http_field f_api_login[F_API_LOGIN__MAX] = {
	[F_API_LOGIN_EMAIL] = { "email", HTTP_FT_STRING, 1, 254, 0, 0, NULL,
	    1, "email" },
	[F_API_LOGIN_PASSWORD] = { "password", HTTP_FT_PASSWORD, 1, 1024, 0,
	    0, NULL, 1, "password" },
	[F_API_LOGIN_TOTP] = { "totp", HTTP_FT_STRING, 0, 32, 0, 0, NULL, 0,
	    "totp" },
};

/* Account security (issue 9, harden): security.c. */
static const struct http_field f_mfa[F_MFA__MAX] = {
	[F_MFA_CODE] = { "code", HTTP_FT_STRING, 1, 32, 0, 0, NULL, 1,
	    "Code" },
};
static const struct http_field f_mfa_opt[F_MFA__MAX] = {
	[F_MFA_CODE] = { "code", HTTP_FT_STRING, 0, 32, 0, 0, NULL, 0,
	    "code" },
};
static const struct http_field f_secpw[F_SECPW__MAX] = {
	[F_SECPW_PASSWORD] = { "password", HTTP_FT_PASSWORD, 1, 1024, 0, 0,
	    NULL, 1, "Password" },
};
static const struct http_field f_session[F_SES__MAX] = {
	[F_SES_SESSION] = { "session", HTTP_FT_ID, 1, 64, 0, 0, NULL, 1,
	    "session" },
};
static const struct http_field f_delete_me[F_DEL__MAX] = {
	[F_DEL_PASSWORD] = { "password", HTTP_FT_PASSWORD, 1, 1024, 0, 0,
	    NULL, 1, "Password" },
	[F_DEL_CONFIRM] = { "confirm", HTTP_FT_STRING, 1, 16, 0, 0, NULL, 1,
	    "Confirmation" },
};

static const struct http_field f_api_refresh[F_API_REFRESH__MAX] = {
	[F_API_REFRESH_TOKEN] = { "refresh_token", HTTP_FT_ID, 1, 64, 0, 0,
	    NULL, 1, "refresh_token" },
};

/* Learner side of courses (catalog.c, course.c, lesson.c; issue 4). */
static const struct http_field f_catalog[F_CAT__MAX] = {
	[F_CAT_Q] = { "q", HTTP_FT_STRING, 0, 200, 0, 0, NULL, 0, "Search" },
	[F_CAT_SKILL] = { "skill", HTTP_FT_INT, 0, 0, 1, LLONG_MAX, NULL, 0,
	    "Skill" },
	[F_CAT_LEVEL] = { "level", HTTP_FT_ENUM, 0, 0, 0, 0,
	    page_catalog_levels, 0, "Level" },
	[F_CAT_LANGUAGE] = { "language", HTTP_FT_ID, 0, 16, 0, 0, NULL, 0,
	    "Language" },
	[F_CAT_DURATION] = { "duration", HTTP_FT_ENUM, 0, 0, 0, 0,
	    page_catalog_durations, 0, "Duration" },
	[F_CAT_PAGE] = { "page", HTTP_FT_INT, 0, 0, 1, 500, NULL, 0, "Page" },
};

static const struct http_field f_api_enroll[F_ENR__MAX] = {
	[F_ENR_COURSE] = { "course_id", HTTP_FT_INT, 0, 0, 1, LLONG_MAX,
	    NULL, 1, "course_id" },
};

static const struct http_field f_api_progress[F_PROG__MAX] = {
	[F_PROG_SECONDS] = { "seconds", HTTP_FT_INT, 0, 0, 0, 3600, NULL, 0,
	    "seconds" },
	[F_PROG_COMPLETED] = { "completed", HTTP_FT_BOOL, 0, 0, 0, 0, NULL, 0,
	    "completed" },
};

/* Instructor side of courses (teach*.c, review.c, skills.c; issue 4).
 * f_course serves the form and the API's create; f_course_patch the API's
 * partial update (title may be left out). */
#define TEACH_COURSE_FIELDS(title_required)				\
	[F_TC_TITLE] = { "title", HTTP_FT_STRING, 1, 200, 0, 0, NULL,	\
	    title_required, "Title" },					\
	[F_TC_SUMMARY] = { "summary", HTTP_FT_TEXT, 0, 2000, 0, 0, NULL,	\
	    0, "Summary" },						\
	[F_TC_LEVEL] = { "level", HTTP_FT_ENUM, 0, 0, 0, 0,		\
	    page_level_choices, 0, "Level" },				\
	[F_TC_LANGUAGE] = { "language", HTTP_FT_STRING, 2, 35, 0, 0,	\
	    NULL, 0, "Language" },					\
	[F_TC_HOURS] = { "estimated_hours", HTTP_FT_DOUBLE, 0, 0, 0,	\
	    9999, NULL, 0, "Estimated hours" },
static const struct http_field f_course[F_TC__MAX] = {
	TEACH_COURSE_FIELDS(1)
};
static const struct http_field f_course_patch[F_TC__MAX] = {
	TEACH_COURSE_FIELDS(0)
};

static const struct http_field f_module[F_TM__MAX] = {
	[F_TM_TITLE] = { "title", HTTP_FT_STRING, 1, 200, 0, 0, NULL, 1,
	    "Title" },
};

#define TEACH_LESSON_FIELDS(title_required)				\
	[F_TL_TITLE] = { "title", HTTP_FT_STRING, 1, 200, 0, 0, NULL,	\
	    title_required, "Title" },					\
	[F_TL_KIND] = { "kind", HTTP_FT_ENUM, 0, 0, 0, 0,		\
	    page_kind_choices, 0, "Type" },				\
	[F_TL_BODY] = { "body", HTTP_FT_TEXT, 0, 60000, 0, 0, NULL, 0,	\
	    "Body" },							\
	[F_TL_MINUTES] = { "estimated_minutes", HTTP_FT_INT, 0, 0, 1,	\
	    600, NULL, 0, "Estimated minutes" },			\
	[F_TL_MODULE] = { "module_id", HTTP_FT_INT, 0, 0, 1, LLONG_MAX,	\
	    NULL, 0, "Module" },					\
	[F_TL_PREVIEW] = { "preview", HTTP_FT_BOOL, 0, 0, 0, 0, NULL, 0,	\
	    "Preview" },
static const struct http_field f_lesson[F_TL__MAX] = {
	TEACH_LESSON_FIELDS(1)
};
static const struct http_field f_lesson_patch[F_TL__MAX] = {
	TEACH_LESSON_FIELDS(0)
};

static const struct http_field f_move[F_MV__MAX] = {
	[F_MV_DIRECTION] = { "direction", HTTP_FT_ENUM, 0, 0, 0, 0,
	    page_direction_choices, 1, "Direction" },
};

static const struct http_field f_delete[F_TD__MAX] = {
	[F_TD_CONFIRM] = { "confirm", HTTP_FT_BOOL, 0, 0, 0, 0, NULL, 0,
	    "Confirmation" },
};

static const struct http_field f_reject[F_RJ__MAX] = {
	[F_RJ_NOTE] = { "note", HTTP_FT_TEXT, 1, 2000, 0, 0, NULL, 1,
	    "Note" },
};

static const struct http_field f_cover[F_CV__MAX] = {
	[F_CV_REMOVE] = { "remove", HTTP_FT_BOOL, 0, 0, 0, 0, NULL, 0,
	    "Remove" },
};

static const struct http_field f_skill[F_SK__MAX] = {
	[F_SK_NAME] = { "name", HTTP_FT_STRING, 1, 100, 0, 0, NULL, 1,
	    "Name" },
	[F_SK_DESCRIPTION] = { "description", HTTP_FT_TEXT, 0, 1000, 0, 0,
	    NULL, 0, "Description" },
};

/* Mail, password reset, notifications, certificates (issue 7, mail). */
static const struct http_field f_forgot[F_FORGOT__MAX] = {
	[F_FORGOT_EMAIL] = { "email", HTTP_FT_EMAIL, 3, 254, 0, 0, NULL, 1,
	    "Email" },
};

static const struct http_field f_reset[F_RESET__MAX] = {
	[F_RESET_TOKEN] = { "token", HTTP_FT_ID, 1, 64, 0, 0, NULL, 1,
	    "Token" },
	[F_RESET_PASSWORD] = { "password", HTTP_FT_PASSWORD, 8, 1024, 0, 0,
	    NULL, 1, "New password" },
	[F_RESET_CONFIRM] = { "password_confirm", HTTP_FT_PASSWORD, 0, 1024,
	    0, 0, NULL, 1, "Password confirmation" },
};

static const struct http_field f_mail_prefs[F_MP__MAX] = {
	[F_MP_ALL] = { "all", HTTP_FT_BOOL, 0, 0, 0, 0, NULL, 0, "All" },
	[F_MP_ENROLMENT] = { "enrolment", HTTP_FT_BOOL, 0, 0, 0, 0, NULL, 0,
	    "Enrolment" },
	[F_MP_COMPLETION] = { "completion", HTTP_FT_BOOL, 0, 0, 0, 0, NULL, 0,
	    "Completion" },
	[F_MP_WEEKLY] = { "weekly", HTTP_FT_BOOL, 0, 0, 0, 0, NULL, 0,
	    "Weekly" },
	[F_MP_NOTIFICATION] = { "notification", HTTP_FT_BOOL, 0, 0, 0, 0,
	    NULL, 0, "Notification" },
	[F_MP_PAYOUT] = { "payout", HTTP_FT_BOOL, 0, 0, 0, 0, NULL, 0,
	    "Payout" },
};

static const struct http_field f_unsub[F_UNSUB__MAX] = {
	[F_UNSUB_TOKEN] = { "token", HTTP_FT_ID, 1, 64, 0, 0, NULL, 1,
	    "Token" },
};

static const struct http_field f_cert[F_CERT__MAX] = {
	[F_CERT_COURSE] = { "course_id", HTTP_FT_INT, 0, 0, 1, LLONG_MAX,
	    NULL, 1, "Course" },
	[F_CERT_NAME] = { "name", HTTP_FT_STRING, 1, 100, 0, 0, NULL, 0,
	    "Name on the certificate" },
};

static const struct http_field f_revoke[F_REVOKE__MAX] = {
	[F_REVOKE_REASON] = { "reason", HTTP_FT_STRING, 0, 200, 0, 0, NULL, 0,
	    "Reason" },
	/* adminx: "admin" sends the browser back to /admin/certificates. */
	[F_REVOKE_BACK] = { "back", HTTP_FT_ENUM, 0, 0, 0, 0,
	    revoke_backs, 0, "Back" },
};

#define FIELDS(a)	a, sizeof(a) / sizeof(a[0])
#define NOFIELDS	NULL, 0

/* the adaptive loop (issue 6) */
static const struct http_field f_goal[F_GOAL__MAX] = {
	[F_GOAL_DEADLINE] = { "deadline", HTTP_FT_STRING, 0, 10, 0, 0, NULL,
	    0, "Deadline" },
	[F_GOAL_HOURS] = { "hours_per_week", HTTP_FT_DOUBLE, 0, 0, 1, 80,
	    NULL, 0, "Hours a week" },
	[F_GOAL_RETENTION] = { "retention", HTTP_FT_INT, 0, 0, 70, 97, NULL,
	    0, "Desired retention" },
	[F_GOAL_LIMIT] = { "daily_limit", HTTP_FT_INT, 0, 0, 1, 500, NULL, 0,
	    "Reviews a day" },
};
static const struct http_field f_srs[F_SRS__MAX] = {
	[F_ANS_OPTION] = { "option", HTTP_FT_STRING, 0, 40, 0, 0, NULL, 0,
	    "Answer" },
	[F_ANS_OPTIONS] = { "options", HTTP_FT_STRING, 0, 400, 0, 0, NULL,
	    0, "Answers" },
	[F_ANS_VALUE] = { "value", HTTP_FT_STRING, 0, 100, 0, 0, NULL, 0,
	    "Number" },
	[F_ANS_TEXT] = { "text", HTTP_FT_STRING, 0, 1000, 0, 0, NULL, 0,
	    "Answer" },
	[F_ANS_ORDER] = { "order", HTTP_FT_STRING, 0, 400, 0, 0, NULL, 0,
	    "Order" },
	[F_SRS_RATING] = { "rating", HTTP_FT_ENUM, 0, 0, 0, 0,
	    page_srs_ratings, 0, "Rating" },
	[F_SRS_SEEN] = { "seen", HTTP_FT_INT, 0, 0, 0, INT_MAX, NULL, 0,
	    "Seen" },
	[F_SRS_SHOWN] = { "shown", HTTP_FT_INT, 0, 0, 0, LLONG_MAX, NULL, 0,
	    "Shown" },
	[F_SRS_MS] = { "response_ms", HTTP_FT_INT, 0, 0, 0, 3600000, NULL, 0,
	    "Response time" },
};
static const struct http_field f_recact[F_RECACT__MAX] = {
	[F_RECACT_ACTION] = { "action", HTTP_FT_ENUM, 0, 0, 0, 0,
	    page_rec_actions, 1, "Action" },
};
static const struct http_field f_fc[F_FC__MAX] = {
	[F_FC_FRONT] = { "front", HTTP_FT_TEXT, 1, 500, 0, 0, NULL, 1,
	    "Front" },
	[F_FC_BACK] = { "back", HTTP_FT_TEXT, 1, 2000, 0, 0, NULL, 1,
	    "Back" },
};
static const struct http_field f_pathv[F_PATHV__MAX] = {
	[F_PATHV_VERSION] = { "version", HTTP_FT_INT, 0, 0, 1, INT_MAX, NULL,
	    0, "Version" },
	[F_PATHV_COMPARE] = { "compare", HTTP_FT_INT, 0, 0, 1, INT_MAX, NULL,
	    0, "Compare with" },
};

const struct route page_routes[] = {
	{ M_GET, "/", ROLE_NONE, 0, NOFIELDS, page_landing },
	{ M_GET, "/healthz", ROLE_NONE, R_NOLOG, NOFIELDS, page_healthz },
	{ M_GET | M_POST, "/register", ROLE_NONE, R_CSRF,
	    FIELDS(f_register), page_register },
	{ M_GET | M_POST, "/login", ROLE_NONE, R_CSRF, FIELDS(f_login),
	    page_login },
	{ M_POST, "/logout", ROLE_NONE, R_CSRF, NOFIELDS, page_logout },
	{ M_GET, "/dashboard", ROLE_LEARNER, 0, NOFIELDS, page_dashboard },
	{ M_GET, "/account", ROLE_LEARNER, 0, NOFIELDS, page_account },
	{ M_POST, "/account/password", ROLE_LEARNER, R_CSRF,
	    FIELDS(f_password), page_account_password },
	{ M_GET, "/admin", ROLE_ADMIN, 0, NOFIELDS, page_admin_home },
	{ M_GET | M_POST, "/admin/users", ROLE_ADMIN, R_CSRF,
	    FIELDS(f_admin_user), page_admin_users },
	/* admin panel (issue 9, adminpanel) */
	{ M_GET | M_POST, "/admin/users/{id}", ROLE_ADMIN, R_CSRF,
	    FIELDS(f_admin_user_change), page_admin_user },
	{ M_GET | M_POST, "/api/v1/admin/users/{id}", ROLE_ADMIN,
	    R_JSON | R_CSRF, FIELDS(f_admin_user_change),
	    page_api_admin_user },
	{ M_GET, "/admin/audit", ROLE_ADMIN, 0, FIELDS(f_admin_audit),
	    page_admin_audit },
	{ M_GET, "/api/v1/admin/audit", ROLE_ADMIN, R_JSON,
	    FIELDS(f_admin_audit), page_api_admin_audit },
	{ M_GET, "/admin/health", ROLE_ADMIN, 0, NOFIELDS,
	    page_admin_health },
	{ M_GET, "/api/v1/admin/health", ROLE_ADMIN, R_JSON, NOFIELDS,
	    page_api_admin_health },
	/* end adminpanel */
	{ M_GET, "/uploads/{id}", ROLE_NONE, 0, NOFIELDS, page_upload_get },
	/* lesson media, upload delete (issue 7, uploads) */
	{ M_POST, "/teach/lessons/{id}/media", ROLE_INSTRUCTOR,
	    R_CSRF | R_UPLOAD, NOFIELDS, page_lesson_media_add },
	{ M_POST, "/api/v1/teach/lessons/{id}/media", ROLE_INSTRUCTOR,
	    R_JSON | R_CSRF | R_UPLOAD, NOFIELDS, page_api_lesson_media_add },
	{ M_POST, "/uploads/{id}/delete", ROLE_LEARNER, R_CSRF, NOFIELDS,
	    page_upload_delete },

	{ M_POST, "/api/v1/auth/register", ROLE_NONE, R_JSON,
	    FIELDS(f_api_register), page_api_register },
	{ M_POST, "/api/v1/auth/login", ROLE_NONE, R_JSON,
	    FIELDS(f_api_login), page_api_login },
	{ M_POST, "/api/v1/auth/refresh", ROLE_NONE, R_JSON,
	    FIELDS(f_api_refresh), page_api_refresh },
	{ M_POST, "/api/v1/auth/logout", ROLE_LEARNER, R_JSON | R_CSRF,
	    NOFIELDS, page_api_logout },
	{ M_GET, "/api/v1/me", ROLE_LEARNER, R_JSON, NOFIELDS, page_api_me },
	{ M_GET, "/api/v1/dashboard", ROLE_LEARNER, R_JSON, NOFIELDS,
	    page_api_dashboard },
	{ M_GET | M_POST, "/api/v1/admin/users", ROLE_ADMIN, R_JSON | R_CSRF,
	    FIELDS(f_admin_user), page_api_admin_users },

	/* Account security (issue 9, harden): security.c. */
	{ M_GET | M_POST, "/login/mfa", ROLE_NONE, R_CSRF, FIELDS(f_mfa),
	    page_login_mfa },
	{ M_GET | M_POST, "/login/mfa/setup", ROLE_NONE, R_CSRF,
	    FIELDS(f_mfa), page_login_mfa_setup },
	{ M_GET, "/account/security", ROLE_LEARNER, 0, NOFIELDS,
	    page_security },
	{ M_GET | M_POST, "/account/security/totp", ROLE_LEARNER, R_CSRF,
	    FIELDS(f_mfa), page_security_totp },
	{ M_POST, "/account/security/totp/disable", ROLE_LEARNER, R_CSRF,
	    FIELDS(f_secpw), page_security_totp_disable },
	{ M_POST, "/account/security/recovery", ROLE_LEARNER, R_CSRF,
	    FIELDS(f_secpw), page_security_recovery },
	{ M_POST, "/account/security/sessions/revoke", ROLE_LEARNER, R_CSRF,
	    FIELDS(f_session), page_security_session_revoke },
	{ M_GET, "/account/data", ROLE_LEARNER, 0, NOFIELDS, page_data },
	{ M_POST, "/account/data/delete", ROLE_LEARNER, R_CSRF,
	    FIELDS(f_delete_me), page_data_delete },
	{ M_GET, "/api/v1/me/security", ROLE_LEARNER, R_JSON, NOFIELDS,
	    page_api_security },
	{ M_POST, "/api/v1/me/sessions/revoke", ROLE_LEARNER,
	    R_JSON | R_CSRF, FIELDS(f_session), page_api_session_revoke },
	{ M_POST, "/api/v1/me/totp", ROLE_LEARNER, R_JSON | R_CSRF,
	    FIELDS(f_mfa_opt), page_api_totp },
	{ M_POST, "/api/v1/me/totp/disable", ROLE_LEARNER, R_JSON | R_CSRF,
	    FIELDS(f_secpw), page_api_totp_disable },
	{ M_POST, "/api/v1/me/recovery", ROLE_LEARNER, R_JSON | R_CSRF,
	    FIELDS(f_secpw), page_api_recovery },
	{ M_GET, "/api/v1/me/export", ROLE_LEARNER, R_JSON, NOFIELDS,
	    page_api_export },
	{ M_POST, "/api/v1/me/delete", ROLE_LEARNER, R_JSON | R_CSRF,
	    FIELDS(f_delete_me), page_api_data_delete },

	/* Learner side of courses (issue 4). */
	{ M_GET, "/catalog", ROLE_NONE, 0, FIELDS(f_catalog), page_catalog },
	{ M_GET, "/courses/{id}", ROLE_NONE, 0, NOFIELDS, page_course },
	{ M_POST, "/courses/{id}/enroll", ROLE_LEARNER, R_CSRF, NOFIELDS,
	    page_course_enroll },
	{ M_POST, "/courses/{id}/leave", ROLE_LEARNER, R_CSRF, NOFIELDS,
	    page_course_leave },
	{ M_GET, "/courses/{id}/lessons/{id}", ROLE_LEARNER, 0, NOFIELDS,
	    page_lesson },
	{ M_POST, "/courses/{id}/lessons/{id}/complete", ROLE_LEARNER, R_CSRF,
	    NOFIELDS, page_lesson_complete },
	{ M_GET, "/api/v1/courses", ROLE_NONE, R_JSON, FIELDS(f_catalog),
	    page_api_catalog },
	{ M_GET, "/api/v1/courses/{id}", ROLE_NONE, R_JSON, NOFIELDS,
	    page_api_course },
	{ M_GET | M_POST, "/api/v1/learning/enrollments", ROLE_LEARNER,
	    R_JSON | R_CSRF, FIELDS(f_api_enroll), page_api_enrollments },
	{ M_POST, "/api/v1/lessons/{id}/progress", ROLE_LEARNER,
	    R_JSON | R_CSRF, FIELDS(f_api_progress), page_api_lesson_progress },

	/* Instructor side of courses (issue 4, teach). */
	{ M_GET, "/teach", ROLE_INSTRUCTOR, 0, NOFIELDS, page_teach },
	{ M_GET | M_POST, "/teach/courses/new", ROLE_INSTRUCTOR, R_CSRF,
	    FIELDS(f_course), page_teach_course_new },
	{ M_GET | M_POST, "/teach/courses/{id}", ROLE_INSTRUCTOR, R_CSRF,
	    FIELDS(f_course), page_teach_course },
	{ M_GET | M_POST, "/teach/courses/{id}/delete", ROLE_INSTRUCTOR,
	    R_CSRF, FIELDS(f_delete), page_teach_course_delete },
	{ M_POST, "/teach/courses/{id}/submit", ROLE_INSTRUCTOR, R_CSRF,
	    NOFIELDS, page_teach_course_submit },
	{ M_POST, "/teach/courses/{id}/modules", ROLE_INSTRUCTOR, R_CSRF,
	    FIELDS(f_module), page_teach_module_new },
	{ M_GET | M_POST, "/teach/modules/{id}", ROLE_INSTRUCTOR, R_CSRF,
	    FIELDS(f_module), page_teach_module },
	{ M_POST, "/teach/modules/{id}/move", ROLE_INSTRUCTOR, R_CSRF,
	    FIELDS(f_move), page_teach_module_move },
	{ M_GET | M_POST, "/teach/modules/{id}/delete", ROLE_INSTRUCTOR,
	    R_CSRF, FIELDS(f_delete), page_teach_module_delete },
	{ M_GET | M_POST, "/teach/modules/{id}/lessons/new", ROLE_INSTRUCTOR,
	    R_CSRF, FIELDS(f_lesson), page_teach_lesson_new },
	{ M_GET | M_POST, "/teach/lessons/{id}", ROLE_INSTRUCTOR, R_CSRF,
	    FIELDS(f_lesson), page_teach_lesson },
	{ M_POST, "/teach/lessons/{id}/move", ROLE_INSTRUCTOR, R_CSRF,
	    FIELDS(f_move), page_teach_lesson_move },
	{ M_GET | M_POST, "/teach/lessons/{id}/delete", ROLE_INSTRUCTOR,
	    R_CSRF, FIELDS(f_delete), page_teach_lesson_delete },
	{ M_GET | M_POST, "/skills", ROLE_INSTRUCTOR, R_CSRF, FIELDS(f_skill),
	    page_skills },
	{ M_GET, "/admin/reviews", ROLE_ADMIN, 0, NOFIELDS, page_review_list },
	{ M_POST, "/admin/reviews/{id}/approve", ROLE_ADMIN, R_CSRF,
	    NOFIELDS, page_review_approve },
	{ M_POST, "/admin/reviews/{id}/reject", ROLE_ADMIN, R_CSRF,
	    FIELDS(f_reject), page_review_reject },
	{ M_GET, "/api/v1/teach/courses", ROLE_INSTRUCTOR, R_JSON, NOFIELDS,
	    page_api_teach_courses },
	{ M_GET, "/api/v1/teach/courses/{id}", ROLE_INSTRUCTOR, R_JSON,
	    NOFIELDS, page_api_teach_course },
	{ M_GET, "/api/v1/teach/lessons/{id}", ROLE_INSTRUCTOR, R_JSON,
	    NOFIELDS, page_api_teach_lesson },
	{ M_POST, "/api/v1/courses", ROLE_INSTRUCTOR, R_JSON | R_CSRF,
	    FIELDS(f_course), page_api_course_create },
	{ M_POST, "/api/v1/courses/{id}", ROLE_INSTRUCTOR, R_JSON | R_CSRF,
	    FIELDS(f_course_patch), page_api_course_update },
	{ M_POST, "/api/v1/courses/{id}/delete", ROLE_INSTRUCTOR,
	    R_JSON | R_CSRF, FIELDS(f_delete), page_api_course_delete },
	{ M_POST, "/api/v1/courses/{id}/submit", ROLE_INSTRUCTOR,
	    R_JSON | R_CSRF, NOFIELDS, page_api_course_submit },
	{ M_POST, "/api/v1/courses/{id}/approve", ROLE_ADMIN,
	    R_JSON | R_CSRF, NOFIELDS, page_api_course_approve },
	{ M_POST, "/api/v1/courses/{id}/reject", ROLE_ADMIN, R_JSON | R_CSRF,
	    FIELDS(f_reject), page_api_course_reject },
	{ M_POST, "/api/v1/courses/{id}/modules", ROLE_INSTRUCTOR,
	    R_JSON | R_CSRF, FIELDS(f_module), page_api_module_create },
	{ M_POST, "/api/v1/modules/{id}", ROLE_INSTRUCTOR, R_JSON | R_CSRF,
	    FIELDS(f_module), page_api_module_update },
	{ M_POST, "/api/v1/modules/{id}/move", ROLE_INSTRUCTOR,
	    R_JSON | R_CSRF, FIELDS(f_move), page_api_module_move },
	{ M_POST, "/api/v1/modules/{id}/delete", ROLE_INSTRUCTOR,
	    R_JSON | R_CSRF, FIELDS(f_delete), page_api_module_delete },
	{ M_POST, "/api/v1/modules/{id}/lessons", ROLE_INSTRUCTOR,
	    R_JSON | R_CSRF, FIELDS(f_lesson), page_api_lesson_create },
	{ M_POST, "/api/v1/lessons/{id}", ROLE_INSTRUCTOR, R_JSON | R_CSRF,
	    FIELDS(f_lesson_patch), page_api_lesson_update },
	{ M_POST, "/api/v1/lessons/{id}/move", ROLE_INSTRUCTOR,
	    R_JSON | R_CSRF, FIELDS(f_move), page_api_lesson_move },
	{ M_POST, "/api/v1/lessons/{id}/delete", ROLE_INSTRUCTOR,
	    R_JSON | R_CSRF, FIELDS(f_delete), page_api_lesson_delete },
	{ M_GET, "/api/v1/admin/reviews", ROLE_ADMIN, R_JSON, NOFIELDS,
	    page_api_reviews },
	{ M_GET | M_POST, "/api/v1/skills", ROLE_INSTRUCTOR, R_JSON | R_CSRF,
	    FIELDS(f_skill), page_api_skills },
	{ M_POST, "/teach/courses/{id}/cover", ROLE_INSTRUCTOR,
	    R_CSRF | R_UPLOAD, FIELDS(f_cover), page_teach_course_cover },
	{ M_POST, "/api/v1/courses/{id}/cover", ROLE_INSTRUCTOR,
	    R_JSON | R_CSRF | R_UPLOAD, FIELDS(f_cover),
	    page_api_course_cover },

	/* Background work and event ingestion (worker, issue 7). */
	{ M_POST, "/api/v1/events", ROLE_LEARNER,
	    R_JSON | R_CSRF | R_RAWJSON | R_BIGBODY, NOFIELDS,
	    page_api_events },
	{ M_GET, "/admin/jobs", ROLE_ADMIN, 0, NOFIELDS, page_admin_jobs },
	{ M_POST, "/admin/jobs/{id}/retry", ROLE_ADMIN, R_CSRF, NOFIELDS,
	    page_admin_job_retry },
	{ M_GET, "/api/v1/admin/jobs", ROLE_ADMIN, R_JSON, NOFIELDS,
	    page_api_admin_jobs },
	{ M_POST, "/api/v1/admin/jobs/{id}/retry", ROLE_ADMIN, R_JSON | R_CSRF,
	    NOFIELDS, page_api_admin_job_retry },

	/* Mail, password reset, notifications, certificates (issue 7, mail). */
	{ M_GET | M_POST, "/password/forgot", ROLE_NONE, R_CSRF,
	    FIELDS(f_forgot), page_password_forgot },
	{ M_GET | M_POST, "/password/reset", ROLE_NONE, R_CSRF,
	    FIELDS(f_reset), page_password_reset },
	{ M_POST, "/api/v1/auth/password/forgot", ROLE_NONE, R_JSON,
	    FIELDS(f_forgot), page_api_password_forgot },
	{ M_POST, "/api/v1/auth/password/reset", ROLE_NONE, R_JSON,
	    FIELDS(f_reset), page_api_password_reset },
	{ M_GET | M_POST, "/account/mail", ROLE_LEARNER, R_CSRF,
	    FIELDS(f_mail_prefs), page_mail_prefs },
	{ M_GET | M_POST, "/api/v1/account/mail", ROLE_LEARNER,
	    R_JSON | R_CSRF, FIELDS(f_mail_prefs), page_api_mail_prefs },
	/* Token-authenticated (RFC 8058 one-click): no CSRF by design. */
	{ M_GET | M_POST, "/unsubscribe", ROLE_NONE, 0, FIELDS(f_unsub),
	    page_unsubscribe },
	{ M_GET, "/notifications", ROLE_LEARNER, 0, NOFIELDS,
	    page_notifications },
	{ M_POST, "/notifications/{id}/read", ROLE_LEARNER, R_CSRF, NOFIELDS,
	    page_notification_read },
	{ M_POST, "/notifications/read-all", ROLE_LEARNER, R_CSRF, NOFIELDS,
	    page_notifications_read_all },
	{ M_GET, "/api/v1/notifications", ROLE_LEARNER, R_JSON, NOFIELDS,
	    page_api_notifications },
	{ M_POST, "/api/v1/notifications/{id}/read", ROLE_LEARNER,
	    R_JSON | R_CSRF, NOFIELDS, page_notification_read },
	{ M_GET | M_POST, "/certificates", ROLE_LEARNER, R_CSRF,
	    FIELDS(f_cert), page_certificates },
	{ M_GET | M_POST, "/api/v1/certificates", ROLE_LEARNER,
	    R_JSON | R_CSRF, FIELDS(f_cert), page_api_certificates },
	{ M_GET, "/certificates/{id}/pdf", ROLE_LEARNER, 0, NOFIELDS,
	    page_certificate_pdf },
	{ M_GET, "/certificates/verify/{id}", ROLE_NONE, 0, NOFIELDS,
	    page_certificate_verify },
	{ M_GET, "/api/v1/certificates/verify/{id}", ROLE_NONE, R_JSON,
	    NOFIELDS, page_api_certificate_verify },
	{ M_POST, "/certificates/{id}/revoke", ROLE_ADMIN, R_CSRF,
	    FIELDS(f_revoke), page_certificate_revoke },
	{ M_POST, "/api/v1/certificates/{id}/revoke", ROLE_ADMIN,
	    R_JSON | R_CSRF, FIELDS(f_revoke), page_certificate_revoke },
	{ M_GET, "/admin/mail", ROLE_ADMIN, 0, NOFIELDS, page_admin_mail },
	{ M_GET, "/api/v1/admin/mail", ROLE_ADMIN, R_JSON, NOFIELDS,
	    page_api_admin_mail },
	{ M_POST, "/admin/mail/{id}/retry", ROLE_ADMIN, R_CSRF, NOFIELDS,
	    page_admin_mail_retry },
	{ M_POST, "/api/v1/admin/mail/{id}/retry", ROLE_ADMIN, R_JSON | R_CSRF,
	    NOFIELDS, page_admin_mail_retry },

	/* Question bank (issue 5, bank): bank.c. */
	{ M_GET, "/teach/bank", ROLE_INSTRUCTOR, 0,
	    FIELDS(page_bank_list_fields), page_bank_list },
	{ M_GET | M_POST, "/teach/bank/new", ROLE_INSTRUCTOR, R_CSRF,
	    FIELDS(page_bank_question_fields), page_bank_new },
	{ M_GET | M_POST, "/teach/bank/import", ROLE_INSTRUCTOR,
	    R_CSRF | R_UPLOAD, FIELDS(page_bank_import_fields),
	    page_bank_import },
	{ M_GET, "/teach/bank/export", ROLE_INSTRUCTOR, 0,
	    FIELDS(page_bank_export_fields), page_bank_export },
	{ M_GET | M_POST, "/teach/bank/{id}", ROLE_INSTRUCTOR, R_CSRF,
	    FIELDS(page_bank_question_fields), page_bank_edit },
	{ M_POST, "/teach/bank/{id}/delete", ROLE_INSTRUCTOR, R_CSRF,
	    NOFIELDS, page_bank_delete },
	{ M_GET, "/api/v1/bank/questions", ROLE_INSTRUCTOR, R_JSON,
	    FIELDS(page_bank_list_fields), page_api_bank_list },
	{ M_POST, "/api/v1/bank/questions", ROLE_INSTRUCTOR, R_JSON | R_CSRF,
	    FIELDS(page_bank_question_fields), page_api_bank_create },
	{ M_GET | M_POST, "/api/v1/bank/questions/{id}", ROLE_INSTRUCTOR,
	    R_JSON | R_CSRF, FIELDS(page_bank_question_fields),
	    page_api_bank_question },
	{ M_POST, "/api/v1/bank/questions/{id}/delete", ROLE_INSTRUCTOR,
	    R_JSON | R_CSRF, NOFIELDS, page_api_bank_delete },
	/* Regrade (issue 5, calib): regrade.c. */
	{ M_POST, "/teach/bank/{id}/regrade", ROLE_INSTRUCTOR, R_CSRF,
	    NOFIELDS, page_bank_regrade },
	{ M_POST, "/api/v1/bank/questions/{id}/regrade", ROLE_INSTRUCTOR,
	    R_JSON | R_CSRF, NOFIELDS, page_api_bank_regrade },
	{ M_POST, "/api/v1/bank/import", ROLE_INSTRUCTOR,
	    R_JSON | R_CSRF | R_UPLOAD, FIELDS(page_bank_import_fields),
	    page_api_bank_import },
	{ M_GET, "/api/v1/bank/export", ROLE_INSTRUCTOR, R_JSON,
	    FIELDS(page_bank_export_fields), page_api_bank_export },

	/* Assessments (issue 5, quiz): quiz.c, attempt.c, diagnostic.c,
	 * profile.c.  The API answer route takes PUT (the shape) and
	 * POST (earlier clients); both are the same idempotent write. */
	{ M_GET | M_POST, "/teach/quizzes", ROLE_INSTRUCTOR, R_CSRF,
	    FIELDS(page_quiz_fields), page_quiz_list },
	{ M_GET | M_POST, "/teach/quizzes/{id}", ROLE_INSTRUCTOR, R_CSRF,
	    FIELDS(page_quiz_fields), page_quiz_edit },
	{ M_GET, "/teach/quizzes/{id}/items", ROLE_INSTRUCTOR, 0, NOFIELDS,
	    page_quiz_items },
	{ M_POST, "/api/v1/assessments", ROLE_INSTRUCTOR, R_JSON | R_CSRF,
	    FIELDS(page_quiz_fields), page_api_quiz_create },
	{ M_POST, "/api/v1/assessments/{id}/questions", ROLE_INSTRUCTOR,
	    R_JSON | R_CSRF, FIELDS(page_quiz_fields),
	    page_api_quiz_question },
	{ M_GET, "/api/v1/assessments/{id}/items", ROLE_INSTRUCTOR, R_JSON,
	    NOFIELDS, page_api_quiz_items },
	{ M_GET, "/quizzes/{id}", ROLE_LEARNER, 0, NOFIELDS,
	    page_quiz_intro },
	{ M_POST, "/quizzes/{id}/start", ROLE_LEARNER, R_CSRF, NOFIELDS,
	    page_quiz_start },
	{ M_GET, "/attempts/{id}", ROLE_LEARNER, 0, NOFIELDS, page_attempt },
	{ M_POST, "/attempts/{id}/answers/{id}", ROLE_LEARNER, R_CSRF,
	    FIELDS(page_attempt_answer_fields), page_attempt_answer },
	{ M_POST, "/attempts/{id}/submit", ROLE_LEARNER, R_CSRF, NOFIELDS,
	    page_attempt_submit },
	{ M_POST, "/api/v1/assessments/{id}/attempts", ROLE_LEARNER,
	    R_JSON | R_CSRF, NOFIELDS, page_api_attempt_start },
	{ M_GET, "/api/v1/attempts/{id}", ROLE_LEARNER, R_JSON, NOFIELDS,
	    page_api_attempt },
	{ M_POST | M_PUT, "/api/v1/attempts/{id}/answers/{id}", ROLE_LEARNER,
	    R_JSON | R_CSRF, FIELDS(page_attempt_answer_fields),
	    page_api_attempt_answer },
	{ M_POST, "/api/v1/attempts/{id}/submit", ROLE_LEARNER,
	    R_JSON | R_CSRF, NOFIELDS, page_api_attempt_submit },
	{ M_GET | M_POST, "/diagnostic", ROLE_LEARNER, R_CSRF,
	    FIELDS(page_diag_fields), page_diagnostic },
	{ M_GET, "/diagnostic/{id}", ROLE_LEARNER, 0, NOFIELDS,
	    page_diagnostic_take },
	{ M_POST, "/diagnostic/{id}/answers/{id}", ROLE_LEARNER, R_CSRF,
	    FIELDS(page_attempt_answer_fields), page_diagnostic_answer },
	{ M_POST, "/api/v1/diagnostics", ROLE_LEARNER, R_JSON | R_CSRF,
	    FIELDS(page_diag_fields), page_api_diagnostic_start },
	{ M_GET, "/api/v1/diagnostics/{id}", ROLE_LEARNER, R_JSON, NOFIELDS,
	    page_api_diagnostic },
	{ M_POST, "/api/v1/diagnostics/{id}/answers/{id}", ROLE_LEARNER,
	    R_JSON | R_CSRF, FIELDS(page_attempt_answer_fields),
	    page_api_diagnostic_answer },
	{ M_GET, "/profile/skills", ROLE_LEARNER, 0, NOFIELDS,
	    page_profile_skills },
	{ M_GET, "/api/v1/profile/skills", ROLE_LEARNER, R_JSON, NOFIELDS,
	    page_api_profile_skills },

	/* The adaptive loop (issue 6): goals.c, path.c, recommend.c,
	 * srs.c, feed.c, dashboard.c, insights.c. */
	{ M_GET | M_POST, "/goals", ROLE_LEARNER, R_CSRF, FIELDS(f_goal),
	    page_goals },
	{ M_GET | M_POST, "/api/v1/goals", ROLE_LEARNER, R_JSON | R_CSRF,
	    FIELDS(f_goal), page_api_goals },
	{ M_GET, "/review", ROLE_LEARNER, 0, NOFIELDS, page_srs },
	{ M_POST, "/review/{id}", ROLE_LEARNER, R_CSRF, FIELDS(f_srs),
	    page_srs_review },
	{ M_GET, "/api/v1/review/due", ROLE_LEARNER, R_JSON, NOFIELDS,
	    page_api_srs_due },
	{ M_POST, "/api/v1/review/{id}", ROLE_LEARNER, R_JSON | R_CSRF,
	    FIELDS(f_srs), page_api_srs_review },
	{ M_GET, "/path", ROLE_LEARNER, 0, FIELDS(f_pathv), page_path },
	{ M_POST, "/path/generate", ROLE_LEARNER, R_CSRF, NOFIELDS,
	    page_path_generate },
	{ M_GET, "/api/v1/ai/learning-path", ROLE_LEARNER, R_JSON,
	    FIELDS(f_pathv), page_api_path },
	{ M_POST, "/api/v1/ai/generate-learning-path", ROLE_LEARNER,
	    R_JSON | R_CSRF, NOFIELDS, page_api_path_generate },
	{ M_POST, "/recommendations/{id}/action", ROLE_LEARNER, R_CSRF,
	    FIELDS(f_recact), page_rec_action },
	{ M_GET, "/api/v1/ai/recommendations", ROLE_LEARNER, R_JSON,
	    NOFIELDS, page_api_recs },
	{ M_POST, "/api/v1/ai/recommendations/{id}/action", ROLE_LEARNER,
	    R_JSON | R_CSRF, FIELDS(f_recact), page_api_rec_action },
	{ M_GET, "/api/v1/ai/dashboard", ROLE_LEARNER, R_JSON, NOFIELDS,
	    page_api_ai_dashboard },
	{ M_GET, "/feed", ROLE_LEARNER, 0, NOFIELDS, page_feed },
	{ M_POST, "/feed/questions/{id}", ROLE_LEARNER, R_CSRF,
	    FIELDS(page_feed_answer_fields), page_feed_answer },
	{ M_GET, "/api/v1/feed", ROLE_LEARNER, R_JSON, NOFIELDS,
	    page_api_feed },
	{ M_POST, "/api/v1/feed/questions/{id}", ROLE_LEARNER,
	    R_JSON | R_CSRF, FIELDS(page_feed_answer_fields),
	    page_api_feed_answer },
	{ M_GET, "/teach/courses/{id}/insights", ROLE_INSTRUCTOR, 0,
	    NOFIELDS, page_teach_insights },
	{ M_GET, "/api/v1/teach/courses/{id}/insights", ROLE_INSTRUCTOR,
	    R_JSON, NOFIELDS, page_api_teach_insights },
	{ M_POST, "/teach/lessons/{id}/flashcards", ROLE_INSTRUCTOR, R_CSRF,
	    FIELDS(f_fc), page_flashcard_add },
	{ M_POST, "/teach/flashcards/{id}/delete", ROLE_INSTRUCTOR, R_CSRF,
	    NOFIELDS, page_flashcard_delete },
	{ M_GET | M_POST, "/api/v1/teach/lessons/{id}/flashcards",
	    ROLE_INSTRUCTOR, R_JSON | R_CSRF, FIELDS(f_fc),
	    page_api_flashcards },
	{ M_POST, "/api/v1/teach/flashcards/{id}/delete", ROLE_INSTRUCTOR,
	    R_JSON | R_CSRF, NOFIELDS, page_api_flashcard_delete },

	/* fraud (issue 9): fraud.c. */
	{ M_GET, "/admin/fraud", ROLE_ADMIN, 0,
	    FIELDS(page_fraud_list_fields), page_admin_fraud },
	{ M_POST, "/admin/fraud/{id}", ROLE_ADMIN, R_CSRF,
	    FIELDS(page_fraud_decide_fields), page_admin_fraud_decide },
	{ M_GET, "/api/v1/admin/fraud", ROLE_ADMIN, R_JSON,
	    FIELDS(page_fraud_list_fields), page_api_admin_fraud },
	{ M_POST, "/api/v1/admin/fraud/{id}", ROLE_ADMIN, R_JSON | R_CSRF,
	    FIELDS(page_fraud_decide_fields), page_api_admin_fraud_decide },

	/* materials and tutor (issue 8): materials.c, tutor.c. */
	{ M_GET, "/teach/courses/{id}/materials", ROLE_INSTRUCTOR, 0,
	    NOFIELDS, page_teach_materials },
	{ M_POST, "/teach/courses/{id}/materials", ROLE_INSTRUCTOR,
	    R_CSRF | R_UPLOAD, NOFIELDS, page_teach_materials_add },
	{ M_POST, "/teach/courses/{id}/materials/{id}/delete",
	    ROLE_INSTRUCTOR, R_CSRF, NOFIELDS, page_teach_material_delete },
	{ M_GET, "/api/v1/courses/{id}/materials", ROLE_INSTRUCTOR, R_JSON,
	    NOFIELDS, page_api_materials },
	{ M_POST, "/api/v1/courses/{id}/materials", ROLE_INSTRUCTOR,
	    R_JSON | R_CSRF | R_UPLOAD, NOFIELDS, page_api_materials_add },
	{ M_POST, "/api/v1/courses/{id}/materials/{id}/delete",
	    ROLE_INSTRUCTOR, R_JSON | R_CSRF, NOFIELDS,
	    page_api_material_delete },
	{ M_GET, "/courses/{id}/tutor", ROLE_LEARNER, 0, NOFIELDS,
	    page_tutor },
	{ M_POST, "/courses/{id}/tutor", ROLE_LEARNER, R_CSRF,
	    FIELDS(page_tutor_fields), page_tutor_ask },
	{ M_GET | M_POST, "/api/v1/courses/{id}/tutor", ROLE_LEARNER,
	    R_JSON | R_CSRF, FIELDS(page_tutor_fields), page_api_tutor },
	/* generation projects (issue 8): genproj.c. */
	{ M_GET, "/teach/courses/{id}/projects", ROLE_INSTRUCTOR, 0,
	    NOFIELDS, page_genproj_list },
	{ M_POST, "/teach/courses/{id}/generate", ROLE_INSTRUCTOR, R_CSRF,
	    FIELDS(page_genproj_fields), page_genproj_generate },
	{ M_GET, "/teach/projects/{id}", ROLE_INSTRUCTOR, 0, NOFIELDS,
	    page_genproj_project },
	{ M_POST, "/teach/generated-items/{id}/edit", ROLE_INSTRUCTOR, R_CSRF,
	    FIELDS(page_genitem_edit_fields), page_genitem_edit },
	{ M_POST, "/teach/generated-items/{id}/approve", ROLE_INSTRUCTOR,
	    R_CSRF, FIELDS(page_genitem_approve_fields), page_genitem_approve },
	{ M_POST, "/teach/generated-items/{id}/reject", ROLE_INSTRUCTOR,
	    R_CSRF, FIELDS(page_genitem_reject_fields), page_genitem_reject },
	{ M_GET, "/courses/{id}/modules/{id}/generated", ROLE_LEARNER, 0,
	    NOFIELDS, page_module_generated },
	{ M_POST, "/api/v1/courses/{id}/generate", ROLE_INSTRUCTOR,
	    R_JSON | R_CSRF, FIELDS(page_genproj_fields),
	    page_api_genproj_generate },
	{ M_GET, "/api/v1/courses/{id}/projects", ROLE_INSTRUCTOR, R_JSON,
	    NOFIELDS, page_api_genproj_list },
	{ M_GET, "/api/v1/projects/{id}", ROLE_INSTRUCTOR, R_JSON, NOFIELDS,
	    page_api_genproj_project },
	{ M_GET, "/api/v1/generated-items/{id}", ROLE_INSTRUCTOR, R_JSON,
	    NOFIELDS, page_api_genitem },
	{ M_POST, "/api/v1/generated-items/{id}/edit", ROLE_INSTRUCTOR,
	    R_JSON | R_CSRF, FIELDS(page_genitem_edit_fields),
	    page_api_genitem_edit },
	{ M_POST, "/api/v1/generated-items/{id}/approve", ROLE_INSTRUCTOR,
	    R_JSON | R_CSRF, FIELDS(page_genitem_approve_fields),
	    page_api_genitem_approve },
	{ M_POST, "/api/v1/generated-items/{id}/reject", ROLE_INSTRUCTOR,
	    R_JSON | R_CSRF, FIELDS(page_genitem_reject_fields),
	    page_api_genitem_reject },
	{ M_GET, "/api/v1/courses/{id}/modules/{id}/generated", ROLE_LEARNER,
	    R_JSON, NOFIELDS, page_api_module_generated },

	/* admin: models, certificates, content (issue 9): admin_models.c,
	 * admin_certificates.c, admin_content.c. */
	{ M_GET, "/admin/models", ROLE_ADMIN, 0,
	    FIELDS(page_admin_models_fields), page_admin_models },
	{ M_GET, "/api/v1/admin/models", ROLE_ADMIN, R_JSON,
	    FIELDS(page_admin_models_fields), page_api_admin_models },
	{ M_GET, "/admin/models/item/{id}", ROLE_ADMIN, 0, NOFIELDS,
	    page_admin_model_item },
	{ M_GET, "/admin/models/skill/{id}", ROLE_ADMIN, 0, NOFIELDS,
	    page_admin_model_skill },
	{ M_GET, "/api/v1/admin/models/item/{id}", ROLE_ADMIN, R_JSON,
	    NOFIELDS, page_api_admin_model_item },
	{ M_GET, "/api/v1/admin/models/skill/{id}", ROLE_ADMIN, R_JSON,
	    NOFIELDS, page_api_admin_model_skill },
	{ M_POST, "/admin/models/{id}/rollback", ROLE_ADMIN, R_CSRF,
	    NOFIELDS, page_admin_model_rollback },
	{ M_POST, "/api/v1/admin/models/{id}/rollback", ROLE_ADMIN,
	    R_JSON | R_CSRF, NOFIELDS, page_api_admin_model_rollback },
	{ M_GET, "/admin/certificates", ROLE_ADMIN, 0,
	    FIELDS(page_admin_certs_fields), page_admin_certificates },
	{ M_GET, "/api/v1/admin/certificates", ROLE_ADMIN, R_JSON,
	    FIELDS(page_admin_certs_fields), page_api_admin_certificates },
	{ M_GET, "/admin/content", ROLE_ADMIN, 0,
	    FIELDS(page_admin_content_fields), page_admin_content },
	{ M_GET, "/api/v1/admin/content", ROLE_ADMIN, R_JSON,
	    FIELDS(page_admin_content_fields), page_api_admin_content },
	/* narrated micro-lessons (issue 8, micro): microlesson.c */
	{ M_POST, "/teach/lessons/{id}/microlesson", ROLE_INSTRUCTOR, R_CSRF,
	    NOFIELDS, page_microlesson_from_lesson },
	{ M_POST, "/teach/courses/{id}/microlesson", ROLE_INSTRUCTOR, R_CSRF,
	    FIELDS(page_microlesson_fields), page_microlesson_from_prompt },
	{ M_POST, "/api/v1/teach/lessons/{id}/microlesson", ROLE_INSTRUCTOR,
	    R_JSON | R_CSRF, NOFIELDS, page_api_microlesson_from_lesson },
	{ M_POST, "/api/v1/courses/{id}/microlesson", ROLE_INSTRUCTOR,
	    R_JSON | R_CSRF, FIELDS(page_microlesson_fields),
	    page_api_microlesson_from_prompt },
};

const size_t page_nroutes = sizeof(page_routes) / sizeof(page_routes[0]);
