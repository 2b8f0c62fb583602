/*
 * tmpl: HTML templates (CTPL), lexed once at start-up, rendered into a
 * buffer.
 *
 * Templates are an enum with a parallel table of file names (tmpl.c).
 * tmpl_init() lexes every file once and keeps the trees for the life of the
 * process; the worker refuses to start if one fails.  A render writes into
 * a struct buf and, on any error, truncates the buffer back to where it
 * started, so a template error is a logged 500 and never a half page.
 * A page is layout_head + body + layout_foot, assembled in C by
 * tmpl_render_page(); lists are one small row template rendered per record
 * with tmpl_render_row() and joined in C (DESIGN.md, "Templates").
 *
 * Thread safety, measured 2026-11-25 with libctpl 0.3.4 / GLib 2.74:
 * concurrent renders of the same kept trees, each thread with its own
 * views (so its own CtplEnviron) and buffer, are safe.  ctpl_parser_parse()
 * takes the tree const and only reads it; each thread also keeps its own
 * output stream (tmpl.c).  Evidence: test_tmpl's concurrent_renders_match
 * (4 threads x 500 full dashboard pages, 20 rows each, all byte-identical
 * to a single-threaded render), run also under valgrind helgrind and drd
 * (G_SLICE=always-malloc): 0 errors.  tmpl_init() and tmpl_free() are not
 * thread-safe: call them before starting, and after joining, the threads.
 *
 * Variable contract.  "esc" = set with view_set/view_setf (HTML-escaped),
 * "raw" = view_set_raw (our own markup only), "int"/"bool" = view_set_int /
 * view_set_bool.  "opt" = optional: the template declares it in tmpl.c and
 * it defaults to "" (false) when the view does not set it; every other
 * variable must be set, or the render fails (-1).
 *
 * layout_head.html, layout_foot.html: set by tmpl_render_page() from
 * struct tmpl_layout; handlers do not set these.
 *	title		esc	<title> text ("<title> · Adept")
 *	signed_in	bool	role != TMPL_ROLE_ANON
 *	can_teach	bool	instructor or admin: shows Teach
 *	can_admin	bool	admin: shows Admin
 *	user_name	esc	signed-in user's display name
 *	role_label	esc	"Learner", "Instructor" or "Admin"
 *	csrf		esc	CSRF token for the sign-out POST form
 *	flash		esc	one-off message ("" = none)
 *	flash_error	bool	flash is an error (role=alert) not a notice
 *	nav		esc	the current nav link ("dashboard", "path",
 *				"review", "feed", "catalog", "teach", "admin",
 *				"account", "login", "register" or ""): marked
 *				aria-current="page"
 *	unread		int	unread notifications: a count on the
 *				Notifications link (0 = no count)
 *	Navigation: anonymous: Sign in (/login), Register (/register);
 *	learner: Dashboard (/dashboard), Catalog (/catalog), Account
 *	(/account) and a Sign out button (POST /logout, field csrf);
 *	instructor adds Teach (/teach); admin adds Teach and Admin
 *	(/admin/users).  layout_foot has no variables.
 *
 * landing.html (GET /)
 *	signed_in	bool opt  show "Go to your dashboard" instead of
 *				  Register / Sign in
 *
 * login.html (form POST /login; fields email, password, csrf, next)
 *	csrf		esc	CSRF token
 *	email		esc opt	e-mail typed before an error (never the
 *				password)
 *	next		esc opt	local path to return to after signing in;
 *				"" = no hidden next field
 *	email_error	esc opt	message under the e-mail field
 *	password_error	esc opt	message under the password field
 *	form_error	esc opt	form-level message (e.g. "Wrong e-mail or
 *				password.")
 *
 * register.html (form POST /register; fields name, email, password,
 * password_confirm, csrf)
 *	csrf		esc	CSRF token
 *	name, email	esc opt	values typed before an error
 *	name_error, email_error, password_error, confirm_error, form_error
 *			esc opt	per-field and form-level messages
 *
 * dashboard.html (GET /dashboard)
 *	name		esc	user's display name
 *	role		esc	role label, e.g. "Learner"
 *	courses		raw opt	joined row_course.html renders; "" shows the
 *				empty state (browse the catalog)
 *
 * row_course.html (one <li> of the dashboard's course list)
 *	url		esc	link to the course, e.g. "/courses/12"
 *	title		esc	course title
 *	progress	int	percent complete, 0..100
 *	completed	bool opt the enrolment is completed
 *	resume_url	esc opt	lesson to resume ("" = no link)
 *
 * account.html (GET /account; form POST /account/password; fields
 * current_password, new_password, new_password_confirm, csrf)
 *	csrf		esc	CSRF token
 *	name, email	esc	the user's name and e-mail
 *	current_error, new_error, confirm_error, form_error
 *			esc opt	per-field and form-level messages
 *
 * admin_users.html (GET /admin/users; form POST /admin/users; fields name,
 * email, password, role (learner|instructor|admin), csrf)
 *	csrf		esc	CSRF token
 *	user_count	int	number of users listed
 *	users		raw opt	joined row_user.html renders ("" = "No users")
 *	name, email	esc opt	create form values typed before an error
 *	role		esc opt	role to preselect: "learner", "instructor"
 *				or "admin" ("" = learner)
 *	name_error, email_error, password_error, role_error, form_error
 *			esc opt	per-field and form-level messages
 *	q		esc opt	search text (adminpanel: GET ?q=&page=)
 *	page		int	page number, from 1
 *	prev_url, next_url esc opt	pager links
 *
 * admin_user.html (adminpanel; GET /admin/users/{id}; forms POST
 * /admin/users/{id}, fields action (role|deactivate|reactivate|mfa_reset),
 * role, csrf): csrf, name, email, role, created (esc); id (int); active,
 * totp, self (bool); opt error (esc).
 * admin_audit.html (adminpanel; GET /admin/audit?actor=&action=&from=&to=
 * &page=): actor, action, from, to (esc: the filter); count, page (int);
 * opt rows (raw: admin_audit_row.html renders), error, prev_url, next_url
 * (esc).
 * admin_audit_row.html (one <tr>): at, actor, action, object, detail (esc).
 * admin_models.html (adminx; GET /admin/models?kind=&q=&page=): kind, q
 * (esc: the filter); items, skills, fits, count, page (int); no_skills
 * (bool); opt rows (raw: row_admin_model.html renders), error, prev_url,
 * next_url (esc).
 * row_admin_model.html and row_admin_model_fit.html (one <tr> each): id,
 * target, fits (int; fits list only); kind ("item" or "skill"),
 * kind_label, name, model, params, metrics, fitted, window, csrf (esc);
 * exists, current, can_roll_back (bool); opt rollback_of (esc).
 * admin_model.html (GET /admin/models/{item|skill}/{id}): kind,
 * kind_label, name (esc); target, question, version, count (int); item,
 * exists (bool); opt current (esc), rows (raw <tr>s), error (esc).
 * admin_certificates.html (GET /admin/certificates?q=&status=&page=): q,
 * status (esc); valid, revoked, count, page (int); opt rows (raw:
 * row_admin_certificate.html renders), error, prev_url, next_url (esc).
 * row_admin_certificate.html (one <tr>): id, learner, email, course,
 * issued, revoked_on, reason, revoked_by, csrf (esc); user, course_id
 * (int); revoked (bool).
 * admin_content.html (GET /admin/content?q=&page=): q (esc); pending,
 * passing, failing, count, page (int); opt rows (raw:
 * row_admin_content.html renders), error, prev_url, next_url (esc).
 * row_admin_content.html (one <tr>): kind, kind_label, course, author,
 * checks_ok, checks_failed, summary, created (esc); id, project,
 * course_id, days (int); passed (bool).
 * admin_health.html (adminpanel; GET /admin/health): db_mb, disk_free,
 * req_rate, p50, p99 (esc); stale, req_count (int); db_ok, log_ok,
 * complete (bool); opt queue, workers (raw <tr>s), partitions (raw <li>s),
 * all built with every text escaped.
 *
 * row_user.html (one <tr> of the users table)
 *	id		int	user id
 *	name, email	esc	user's name and e-mail
 *	role		esc	role name
 *	active		bool	account active (adminpanel)
 *	created		esc	creation date as the handler formats it
 *
 * error.html
 *	status		int	HTTP status code
 *	title		esc	short title, e.g. "Not found"
 *	message		esc	what happened and what to do
 *
 * ---- learner side of courses (catalog, course, lesson pages; issue 4) ----
 *
 * catalog.html (GET /catalog; search form GET /catalog with fields q,
 * skill, level, language, duration; page=N for pagination)
 *	q		esc opt	search text as typed
 *	skill_options, level_options, language_options, duration_options
 *			raw	<option> lists built by catalog.c (escaped
 *				labels), the current choice selected
 *	error		esc opt	a bad filter or search text (status 400)
 *	notice		esc opt	why nothing matched (e.g. only stop words)
 *	summary		esc opt	"N courses match “q”" / listing caption
 *	results		raw opt	joined row_catalog.html renders
 *	page		int	current page, 1-based
 *	prev_url, next_url
 *			esc opt	neighbouring pages ("" = none)
 *
 * row_catalog.html (one <li> of the results)
 *	url, title, level, language, hours, instructor
 *			esc	course link and facts
 *	snippet		raw	highlighted excerpt: escaped text with <mark>
 *	lesson		esc opt	title of the lesson the excerpt is from
 *
 * course.html (GET /courses/{id}): what every visitor sees alike,
 * rendered once per kept copy of the course (src/pages/course_shared.c)
 *	title, summary, level, language, hours, instructor
 *			esc	the course's facts
 *	lesson_time	esc	total lesson minutes, e.g. "1 h 10 min"
 *	nlessons	int	lessons
 *	status_note	esc opt	draft / review / rejected notice (author,
 *				admin)
 *	enrolment	raw	where course_enrolment.html goes
 *	skills		raw opt	joined row_learn_skill
 *	prereqs, modules
 *			raw opt	where the joined row_learn_prereq /
 *				row_learn_module rows go ("" = none)
 *
 * course_enrolment.html (the visitor's progress and enrolment forms:
 * POST /courses/{id}/enroll and /courses/{id}/leave, field csrf)
 *	nlessons, ndone, percent
 *			int	lessons, lessons completed, percent complete
 *	signed_in, enrolled, completed, can_enrol
 *			bool	enrolment state and what to offer
 *	csrf, login_url, enroll_action, leave_action, tutor_url
 *			esc	form token and addresses
 *	resume_url, resume_title
 *			esc opt	lesson to resume or start
 *	resuming	bool opt resume_url is where the learner left off
 *
 * row_learn_module.html (one module of the syllabus)
 *	position	int	1-based
 *	title		esc	module title
 *	lessons		raw	joined row_learn_lesson.html ("" = none)
 *
 * row_learn_lesson.html
 *	url, title, kind, minutes, status, time
 *			esc	link, facts, "Completed" / "In progress" /
 *				"Not started", time spent ("" = none)
 *	done		bool	completed
 *
 * row_learn_skill.html
 *	name		esc	skill name
 *	level		int	target level 1..10
 *
 * row_learn_prereq.html
 *	name		esc	"Level 3 in X" or "The course “Y”"
 *	met		bool	the learner meets it
 *	take_url, take_title
 *			esc opt	course to take first (when not met)
 *	detail		esc opt	the learner's level, when not met
 *
 * lesson.html (GET /courses/{cid}/lessons/{lid}; form POST
 * .../complete, field csrf; the heartbeat script reads
 * #lesson-heartbeat's data-url and data-csrf)
 *	title, kind, module, minutes, course_url, course_title
 *			esc	lesson facts and its course
 *	body		raw	markdown_html() of the lesson
 *	pos, count	int	position in the course, lessons in it
 *	enrolled, done, can_enrol
 *			bool	progress is recorded / lesson completed /
 *				offer enrolment
 *	percent, ndone	int opt	course progress (when enrolled)
 *	progress_url	esc opt	heartbeat address (when enrolled)
 *	time		esc opt	time spent on the lesson
 *	csrf, complete_action, enroll_action
 *			esc	form token and addresses
 *	prev_url, prev_title, next_url, next_title
 *			esc opt	neighbouring lessons
 *
 * ---- instructor side of courses (issue 4, teach) ----
 *
 * teach_list.html (GET /teach)
 *	course_count	int	courses listed
 *	courses		raw opt	joined row_teach_course.html ("" = empty
 *				state)
 *	is_admin	bool	admin: "All courses", link to reviews
 *
 * row_teach_course.html (one <tr>)
 *	id		int	course id
 *	title, status, status_label, author, updated
 *			esc	status is draft|review|published|rejected
 *	note		esc	the admin's rejection note ("" = none)
 *	lessons		int	lessons in the course
 *
 * teach_new.html (GET/POST /teach/courses/new)
 *	form		raw	teach_course_form.html rendered
 *	form_error	esc opt	form-level message
 *
 * teach_course_form.html (partial: the course form; fields title,
 * summary, level, language, estimated_hours, repeated skill/skill_level,
 * preskill/preskill_level, precourse, csrf)
 *	csrf, action, submit_label, title, summary, level, language, hours
 *			esc	values and where the form posts
 *	skill_rows, preskill_rows
 *			raw	joined row_teach_skill.html
 *	precourse_options
 *			raw	joined row_teach_option.html
 *	no_skills	bool	no skill exists yet (link to /skills)
 *	has_candidates	bool	there are courses to name as prerequisites
 *	title_error, summary_error, level_error, language_error,
 *	hours_error, skills_error, preskills_error, precourses_error
 *			esc opt	per-field messages
 *
 * row_teach_skill.html (one skill select + level input)
 *	prefix		esc	field name: "skill" or "preskill"
 *	skill_label, level_label
 *			esc	label texts
 *	n		int	row number (ids)
 *	options		raw	joined row_teach_option.html
 *	level		esc	1..10 or ""
 *
 * row_teach_option.html (one <option>)
 *	value		int	id
 *	label		esc	text
 *	selected	bool
 *
 * row_teach_check.html (one checkbox <li>, field prereq)
 *	value		int	lesson id
 *	label		esc	lesson title
 *	checked		bool
 *
 * teach_course.html (GET/POST /teach/courses/{id})
 *	csrf, course_title, status, status_label, note, author, published
 *			esc	course facts ("" published = never)
 *	id		int	course id
 *	can_submit, is_admin
 *			bool
 *	form		raw	teach_course_form.html rendered
 *	modules		raw opt	joined row_teach_module.html
 *	module_count, lesson_count
 *			int
 *	form_error, module_title, module_error
 *			esc opt	course form and add-a-module form state
 *	cover_url	esc opt	the cover image ("/uploads/<id>"; "" = none)
 *	cover_error	esc opt	a refused upload (form POST
 *				/teach/courses/{id}/cover, multipart: file
 *				cover, or remove=1; csrf)
 *
 * row_teach_module.html (one <li> of the outline)
 *	csrf, title	esc
 *	id, n		int	module id, 1-based number
 *	can_up, can_down bool	show move buttons
 *	confirm_delete	bool	delete through the confirmation page
 *	lessons		raw	joined row_teach_lesson.html ("" = none)
 *
 * row_teach_lesson.html (one <li>)
 *	csrf, title, kind
 *			esc
 *	id, minutes	int
 *	can_up, can_down, confirm_delete bool
 *
 * teach_module.html (GET/POST /teach/modules/{id}; field title)
 *	csrf, course_title, module_title, title
 *			esc
 *	id, course_id	int
 *	title_error	esc opt
 *	lessons		raw opt	joined row_teach_lesson.html
 *
 * teach_lesson.html (GET/POST /teach/modules/{id}/lessons/new and
 * /teach/lessons/{id}; fields title, kind, estimated_minutes, module_id,
 * body, repeated skill and prereq, preview, csrf)
 *	csrf, course_title, module_title, action, heading, title, kind,
 *	body, minutes	esc
 *	id, module_id, course_id
 *			int
 *	is_edit, has_preview
 *			bool
 *	preview		raw opt	markdown_html() of the body
 *	skill_options, module_options
 *			raw opt	joined row_teach_option.html
 *	prereq_checks	raw opt	joined row_teach_check.html
 *	title_error, kind_error, body_error, minutes_error, module_error,
 *	skills_error, prereqs_error, form_error
 *			esc opt
 *	media		raw opt	joined row_lesson_media.html (uploads)
 *
 * row_lesson_media.html (one <li>; uploads area)
 *	csrf, name, ctype, size
 *			esc
 *	id		int
 *
 * teach_delete.html (GET/POST /teach/courses/{id}/delete,
 * /teach/modules/{id}/delete, /teach/lessons/{id}/delete; fields confirm,
 * csrf): what a delete takes with it, and its confirmation
 *	csrf, title, facts, consequence, confirm_label, button, action, back
 *			esc
 *	needs_confirm	bool	published or in review: a checkbox confirms
 *	confirm_error	esc opt
 *
 * review.html (GET /admin/reviews)
 *	count		int
 *	rows		raw opt	joined review_row.html
 *
 * review_row.html (one <li>; forms POST /admin/reviews/{id}/approve and
 * .../reject with field note)
 *	csrf, title, author, submitted, summary, note, note_error
 *			esc	note/note_error: a refused rejection's
 *				state ("" = none)
 *	id, lessons	int
 *
 * skills.html (GET/POST /skills; fields name, description, csrf)
 *	csrf		esc
 *	count		int
 *	rows		raw opt	joined skills_row.html
 *	name, description, name_error, description_error, form_error
 *			esc opt
 *
 * skills_row.html (one <tr>)
 *	id, courses	int
 *	name, description, creator
 *			esc
 *
 * ---- mail, password reset, notifications, certificates (issue 7) ----
 * password_forgot.html: csrf; opt email, email_error, form_error, sent.
 * password_reset.html: opt csrf, token (form), invalid, done (bool),
 *	password_error, confirm_error, form_error.
 * notifications.html: csrf, total, unread (int); opt rows (raw).
 * row_notification.html: id (int), body, created, csrf, read (bool);
 *	opt url.
 * certificates.html: csrf; opt rows, claims (raw), form_error.
 * row_certificate.html: title, issued, pdf_url, verify_url, id_text;
 *	revoked (bool).
 * row_cert_claim.html: csrf, course_id (int), title, name; opt error.
 * certificate_verify.html: found (bool), json_url; opt id, learner,
 *	course, issued, duration, instructor, revoked (bool), revoked_on,
 *	reason, is_admin (bool), csrf, pdf_url.
 * mail_prefs.html: csrf; all_on, enrolment_on, completion_on, weekly_on,
 *	notification_on, payout_on (bool); opt saved (bool).
 * unsubscribe.html: opt token, invalid, done (bool), what.
 * admin_mail.html: counts; opt rows (raw).
 * row_admin_mail.html: id (int), to, template, subject, status, error,
 *	created, sent, csrf; attempts (int); retry (bool).
 * Mail bodies mail_<template>.txt / .html are rendered by src/out/mail.c
 * with name and base_url and the queueing function's values (welcome: -;
 * password_reset: reset_url; enrolment: course_title, course_url;
 * completion: course_title, certificate_url, verify_url; weekly_report:
 * lessons, minutes (opt), text_/html_courses, text_/html_next (opt, raw);
 * notification: text, url; payout: amount, period).  In .txt files every
 * value is raw text (no HTML escaping).
 *
 * ---- account security (issue 9, harden): security.c ----
 * security.html (GET /account/security): csrf (esc); totp_enabled, must
 *	(bool: the account may not turn it off); codes_left (int); sessions
 *	(raw opt: joined security_row_session.html); form_error (esc opt).
 *	Forms: POST /account/security/totp/disable and
 *	/account/security/recovery (fields password, csrf).
 * security_row_session.html (one <li>): id, started, renewed, expires,
 *	ip, browser ("" = unknown), csrf (esc); current (bool).  Form POST
 *	/account/security/sessions/revoke (fields session, csrf).
 * security_totp.html (GET /account/security/totp, /login/mfa/setup):
 *	csrf, action (esc: where the form posts, field code), secret (esc:
 *	base32 for typing in), qr (raw: our own inline SVG); at_login (bool
 *	opt); code_error (esc opt).
 * security_codes.html (after enrolment or regeneration): codes (esc, one
 *	per line, shown in <pre>), continue_url (esc).
 * security_mfa.html (GET/POST /login/mfa; field code, csrf): csrf (esc);
 *	code_error (esc opt).
 * security_data.html (GET /account/data): csrf (esc); form_error (esc
 *	opt).  Download link GET /api/v1/me/export; form POST
 *	/account/data/delete (fields password, confirm = DELETE, csrf).
 *
 * ---- background jobs (issue 7, worker) ----
 * admin_jobs.html (GET /admin/jobs): queued, running, dead, retrying, done
 *	(int); opt rows (raw: joined row_job.html), workers (raw: joined
 *	row_job_worker.html).
 * row_job.html (one <tr>; form POST /admin/jobs/{id}/retry, field csrf):
 *	id (int), kind, state, attempts ("2 of 5"), run_at, error, csrf (esc),
 *	can_retry (bool).
 * row_job_worker.html (one <tr>): name, host, last_seen, current (esc),
 *	pid, done (int), alive (bool).
 *
 * ---- question bank (issue 5, bank) ----
 * bank_list.html (GET /teach/bank; filter form GET with skill, kind; new
 * form GET /teach/bank/new with kind)
 *	skill_options, kind_options
 *			raw	<option> lists built by bank.c (escaped)
 *	count		int	questions listed
 *	rows		raw opt	joined row_bank_question.html
 *	error		esc opt	a bad filter (status 400)
 *	note		esc opt	the list is cut at 500 rows
 *	show_owner, filtered
 *			bool	admin view (author column) / a filter is on
 *	skill_q		esc	"&skill=N" for the export links, or ""
 * row_bank_question.html (one <tr>): url, label, kind, skills, owner,
 *	updated (esc); version, difficulty (int); locked, show_owner (bool).
 * bank_question.html (GET/POST /teach/bank/new and /teach/bank/{id};
 * fields kind, title, stem, explanation, difficulty, skill (repeated),
 * correct, option_N, correct_N, feedback_N, value_N, tolerance_N, optid_N,
 * order_N, csrf; delete form POST {delete_action})
 *	csrf, kind, kind_label, heading, action, title, stem, explanation,
 *	difficulty, options_legend
 *			esc
 *	options, skills	raw	joined row_bank_option / row_bank_skill
 *	radio, no_skills
 *			bool	single answer (radio) / no skill exists yet
 *	editing, locked	bool opt  an existing question / its version has
 *				  answers (saving makes a new version)
 *	version, next_version
 *			int opt
 *	versions	raw opt	joined row_bank_version.html
 *	delete_action, owner, irt
 *			esc opt
 *	title_error, stem_error, explanation_error, difficulty_error,
 *	skills_error, options_error, form_error
 *			esc opt
 *	stem_html, explanation_html
 *			raw opt	markdown_html() of the saved question (GET of
 *				an existing one: the preview)
 *	preview_options	raw opt	<li> per option, escaped by bank.c
 *	preview_note	esc opt	how learners answer (ordering, short, numeric)
 * row_bank_option.html (one <fieldset> per option row): n, order (int);
 *	legend, text, feedback, value, tol, optid (esc); correct, is_tf,
 *	is_numeric, is_ordering, radio, checkbox, has_optid (bool); error
 *	(esc opt).
 * row_bank_skill.html (one <li> checkbox): id, name (esc); checked (bool).
 * row_bank_version.html (one <tr>): version (int); created, author, title
 *	(esc); locked, current (bool).
 * bank_import.html (GET/POST /teach/bank/import, multipart; fields
 *	format (gift|aiken), file, text, csrf): csrf, format (esc); opt text
 *	(esc), errors (raw: joined row_bank_error.html), error_summary,
 *	form_error (esc).
 * row_bank_error.html (one <li>): line (int), message (esc).
 *
 * ---- assessments (issue 5, quiz) ----
 * Question and row markup is built by attempt.c / quiz.c / diagnostic.c /
 * profile.c with every text escaped (buf_put_html) and set raw.
 * quiz_list.html (GET/POST /teach/quizzes): csrf (esc), count (int), rows
 *	(raw, <tr>s); opt error, title (esc).
 * quiz_edit.html (GET/POST /teach/quizzes/{id}; fields question_id or
 *	remove_id, csrf): csrf, title, per_page (esc); id, count, draw_skill,
 *	draw_min, draw_max, draw_count, pass_mark, allowed, minutes,
 *	lesson_id, module_id (int); random (bool); rows (raw); opt error.
 * quiz_items.html (GET /teach/quizzes/{id}/items): as quiz_edit's quiz
 *	facts; id, count (int); rows (raw).
 * quiz_start.html (GET /quizzes/{id}; form POST /quizzes/{id}/start):
 *	csrf, title (esc); id, pass_mark, allowed, minutes, nquestions, used
 *	(int); opt last_url (esc).
 * attempt_take.html (GET /attempts/{id}, open): csrf, title (esc); id,
 *	quiz_id, nitems, nanswered (int); items (raw: one <section> per
 *	question shown, each with its form POST
 *	/attempts/{id}/answers/{question}); all_answered (bool); opt error,
 *	time_left (esc).  Submit form POST /attempts/{id}/submit.
 * attempt_result.html (GET /attempts/{id}, submitted): as attempt_take
 *	plus score (esc), pass_mark (int), passed, late, submitted (bool),
 *	skill_rows, review, lessons (raw: lessons on the weak skills).
 * diagnostic_start.html (GET/POST /diagnostic; fields skills (repeated),
 *	target, max_items, csrf): csrf (esc), count (int), skills (raw
 *	checkboxes); opt error.
 * diagnostic_take.html (GET /diagnostic/{id}): id (int); opt error (esc),
 *	item (raw), answered, max (int), done (bool), theta, se (esc), rows
 *	(raw).
 * profile_skills.html (GET /profile/skills): count (int); rows, gaps
 *	(raw).
 *
 * ---- materials and tutor (issue 8): materials.c, tutor.c ----
 * teach_materials.html (GET/POST /teach/courses/{id}/materials; form
 *	multipart, files (several), csrf): csrf, course_title (esc); id,
 *	count, ready (int); working (bool: something is queued or being
 *	indexed); opt rows (raw: joined row_material.html), form_error (esc).
 * row_material.html (one <tr>; form POST /teach/courses/{course_id}/
 *	materials/{id}/delete): csrf, name, kind, status, status_label,
 *	reason, created (esc); id, course_id, words, passages, upload_id
 *	(int); has_file (bool).
 * tutor.html (GET/POST /courses/{id}/tutor; field question, csrf): csrf,
 *	course_title, question (esc); id, count (int); can_ask (bool: ready
 *	material exists); opt messages (raw: joined row_tutor_message.html),
 *	question_error (esc).
 * row_tutor_message.html (one <li>): question, created (esc); id (int);
 *	answer (raw: escaped paragraphs); refused (bool); opt sources (raw:
 *	<li>s with the cited material and heading).
 */
#ifndef ADEPT_TMPL_H
#define ADEPT_TMPL_H

#include <stddef.h>

struct arena;
struct buf;
struct view;

enum tmpl {
	TMPL_LAYOUT_HEAD,
	TMPL_LAYOUT_FOOT,
	TMPL_LANDING,
	TMPL_LOGIN,
	TMPL_REGISTER,
	TMPL_DASHBOARD,
	TMPL_ROW_COURSE,
	TMPL_ACCOUNT,
	TMPL_ADMIN_USERS,
	TMPL_ADMIN_HOME,
	TMPL_ROW_USER,
	TMPL_ADMIN_USER,	/* adminpanel */
	TMPL_ADMIN_AUDIT,	/* adminpanel */
	TMPL_ADMIN_AUDIT_ROW,	/* adminpanel */
	TMPL_ADMIN_HEALTH,	/* adminpanel */
	TMPL_ERROR,
	/* learner side of courses (issue 4) */
	TMPL_CATALOG,
	TMPL_ROW_CATALOG,
	TMPL_COURSE,
	TMPL_COURSE_ENROLMENT,
	TMPL_ROW_LEARN_MODULE,
	TMPL_ROW_LEARN_LESSON,
	TMPL_ROW_LEARN_SKILL,
	TMPL_ROW_LEARN_PREREQ,
	TMPL_LESSON,
	/* instructor side of courses (issue 4, teach) */
	TMPL_TEACH_LIST,
	TMPL_ROW_TEACH_COURSE,
	TMPL_TEACH_NEW,
	TMPL_TEACH_COURSE_FORM,
	TMPL_ROW_TEACH_SKILL,
	TMPL_ROW_TEACH_OPTION,
	TMPL_ROW_TEACH_CHECK,
	TMPL_TEACH_COURSE,
	TMPL_ROW_TEACH_MODULE,
	TMPL_ROW_TEACH_LESSON,
	TMPL_TEACH_MODULE,
	TMPL_TEACH_LESSON,
	TMPL_TEACH_DELETE,
	TMPL_REVIEW,
	TMPL_REVIEW_ROW,
	TMPL_SKILLS,
	TMPL_SKILLS_ROW,
	/* mail, password reset, notifications, certificates (issue 7, mail) */
	TMPL_PASSWORD_FORGOT,
	TMPL_PASSWORD_RESET,
	TMPL_NOTIFICATIONS,
	TMPL_ROW_NOTIFICATION,
	TMPL_CERTIFICATES,
	TMPL_ROW_CERTIFICATE,
	TMPL_ROW_CERT_CLAIM,
	TMPL_CERTIFICATE_VERIFY,
	TMPL_MAIL_PREFS,
	TMPL_UNSUBSCRIBE,
	TMPL_MAIL_WELCOME_TXT,
	TMPL_MAIL_WELCOME_HTML,
	TMPL_MAIL_PASSWORD_RESET_TXT,
	TMPL_MAIL_PASSWORD_RESET_HTML,
	TMPL_MAIL_ENROLMENT_TXT,
	TMPL_MAIL_ENROLMENT_HTML,
	TMPL_MAIL_COMPLETION_TXT,
	TMPL_MAIL_COMPLETION_HTML,
	TMPL_MAIL_WEEKLY_TXT,
	TMPL_MAIL_WEEKLY_HTML,
	TMPL_MAIL_NOTIFICATION_TXT,
	TMPL_MAIL_NOTIFICATION_HTML,
	TMPL_MAIL_PAYOUT_TXT,
	TMPL_MAIL_PAYOUT_HTML,
	TMPL_ADMIN_MAIL,
	TMPL_ROW_ADMIN_MAIL,
	/* background jobs (issue 7, worker) */
	TMPL_ADMIN_JOBS,
	TMPL_ROW_JOB,
	TMPL_ROW_JOB_WORKER,
	/* account security (issue 9, harden) */
	TMPL_SECURITY,
	TMPL_SECURITY_ROW_SESSION,
	TMPL_SECURITY_TOTP,
	TMPL_SECURITY_CODES,
	TMPL_SECURITY_MFA,
	TMPL_SECURITY_DATA,
	/* question bank (issue 5, bank) */
	TMPL_BANK_LIST,
	TMPL_ROW_BANK_QUESTION,
	TMPL_BANK_QUESTION,
	TMPL_ROW_BANK_OPTION,
	TMPL_ROW_BANK_SKILL,
	TMPL_ROW_BANK_VERSION,
	TMPL_BANK_IMPORT,
	TMPL_ROW_BANK_ERROR,
	/* assessments (issue 5, quiz) */
	TMPL_QUIZ_LIST,
	TMPL_QUIZ_EDIT,
	TMPL_QUIZ_ITEMS,
	TMPL_QUIZ_START,
	TMPL_ATTEMPT_TAKE,
	TMPL_ATTEMPT_RESULT,
	TMPL_DIAGNOSTIC_START,
	TMPL_DIAGNOSTIC_TAKE,
	TMPL_PROFILE_SKILLS,
	/* lesson media (issue 7, uploads) */
	TMPL_ROW_LESSON_MEDIA,
	/* the adaptive loop (issue 6) */
	TMPL_SRS,
	TMPL_GOALS,
	TMPL_PATH,
	TMPL_FEED,
	TMPL_TEACH_INSIGHTS,
	/* fraud and anomaly flags (issue 9, fraud) */
	TMPL_ADMIN_FRAUD,
	TMPL_ROW_FRAUD_FLAG,
	/* materials and tutor (issue 8) */
	TMPL_TEACH_MATERIALS,
	TMPL_ROW_MATERIAL,
	TMPL_TUTOR,
	TMPL_ROW_TUTOR_MESSAGE,
	/* generation projects (issue 8, genproj) */
	TMPL_TEACH_PROJECTS,
	TMPL_ROW_GENPROJ,
	TMPL_TEACH_PROJECT,
	TMPL_ROW_GENITEM,
	TMPL_MODULE_GENERATED,
	/* admin: models, certificates, content (issue 9, adminx) */
	TMPL_ADMIN_MODELS,
	TMPL_ROW_ADMIN_MODEL,
	TMPL_ADMIN_MODEL,
	TMPL_ROW_ADMIN_MODEL_FIT,
	TMPL_ADMIN_CERTIFICATES,
	TMPL_ROW_ADMIN_CERTIFICATE,
	TMPL_ADMIN_CONTENT,
	TMPL_ROW_ADMIN_CONTENT,
	TMPL__MAX
};

enum tmpl_role {
	TMPL_ROLE_ANON,
	TMPL_ROLE_LEARNER,
	TMPL_ROLE_INSTRUCTOR,
	TMPL_ROLE_ADMIN
};

/* Which navigation link is the current page (aria-current). */
enum tmpl_nav {
	TMPL_NAV_NONE,
	TMPL_NAV_DASHBOARD,
	TMPL_NAV_CATALOG,
	TMPL_NAV_TEACH,
	TMPL_NAV_ADMIN,
	TMPL_NAV_ACCOUNT,
	TMPL_NAV_LOGIN,
	TMPL_NAV_REGISTER,
	TMPL_NAV_PATH,
	TMPL_NAV_REVIEW,
	TMPL_NAV_FEED
};

/* What the layout around a page shows.  Strings are escaped by
 * tmpl_render_page(); NULL means "". */
struct tmpl_layout {
	const char	*title;		/* required: the <title> */
	enum tmpl_role	 role;
	const char	*user_name;	/* when signed in */
	const char	*csrf;		/* when signed in: sign-out form */
	const char	*flash;		/* NULL or "" = no message */
	int		 flash_error;	/* 1: an error, 0: a notice */
	enum tmpl_nav	 nav;
	long		 unread;	/* unread notifications (issue 7) */
};

/* Lexes dir/<file> for every template.  0, or -1 after logging the file
 * and CTPL's message (then nothing is kept).  Call once, before threads. */
int		 tmpl_init(const char *dir);
/* Frees the kept trees (tests, clean shutdown). */
void		 tmpl_free(void);
/* The template's file name, e.g. "dashboard.html". */
const char	*tmpl_name(enum tmpl);

/* Appends the template rendered with the view's values to out.  0, or -1
 * after logging the template and CTPL's message; on -1 out is exactly as it
 * was before the call. */
int		 tmpl_render(enum tmpl, const struct view *, struct buf *out);
/* tmpl_render() for a per-record row partial, appending to acc; the joined
 * acc then goes into the page view with view_set_raw(). */
int		 tmpl_render_row(enum tmpl, const struct view *,
		    struct buf *acc);
/* Appends layout_head + the page + layout_foot to out.  The layout's view
 * is allocated in the page view's arena.  0, or -1 with out unchanged. */
int		 tmpl_render_page(enum tmpl, const struct view *,
		    const struct tmpl_layout *, struct buf *out);
/* tmpl_render_page() around a page already rendered (html, len bytes:
 * a page kept by its handler); the layout's view is allocated in a. */
int		 tmpl_render_page_html(const char *html, size_t len,
		    const struct tmpl_layout *, struct arena *a,
		    struct buf *out);

/* "learner", "instructor", "admin" -> the role; anything else (NULL
 * included) -> TMPL_ROLE_ANON. */
enum tmpl_role	 tmpl_role_from_name(const char *);

#endif
