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
enum { F_API_LOGIN_EMAIL, F_API_LOGIN_PASSWORD, F_API_LOGIN__MAX };
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
int	page_api_register(struct req *);
int	page_api_login(struct req *);
int	page_api_refresh(struct req *);
int	page_api_logout(struct req *);
int	page_api_me(struct req *);
int	page_api_dashboard(struct req *);
int	page_api_admin_users(struct req *);
int	page_upload_get(struct req *);

/* Shared by the pages: the status for a db_* error (503 or 500). */
int	page_db_status(int dberr);

#endif
