/*
 * notifications: in-app notices (the list at /notifications) that any
 * feature can create, optionally mirrored by mail per the user's choices.
 */
#ifndef ADEPT_NOTIFICATIONS_H
#define ADEPT_NOTIFICATIONS_H

#include <stdint.h>

struct db;
struct req;

/*
 * Adds a notification for user_id: kind a short word ("certificate",
 * "recommendation", "weekly_report", "review_reminder", ...), text one
 * plain-text sentence (up to 1000 characters), url a local path or ""
 * .  If the user wants notification mails (mail preference
 * "notification", on unless turned off), the generic notification mail is
 * queued too.  Runs no transaction of its own: call it inside the
 * action's.  Returns the notification id (> 0) or a db_err.
 */
int64_t	notify(struct db *, int64_t user_id, const char *kind,
	    const char *text, const char *url);
/* The same without the mail (when the caller sends its own). */
int64_t	notify_quiet(struct db *, int64_t user_id, const char *kind,
	    const char *text, const char *url);

/* Unread notifications of the signed-in user, for the layout; 0 on a
 * database error. */
long	page_unread_count(struct req *);

#endif
