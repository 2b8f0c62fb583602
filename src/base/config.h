/*
 * config: environment variables with defaults that make `make run` work
 * untouched.  Read once at start-up into one process-lifetime struct.
 *
 * ADEPT_ROOT       project directory (default: the parent of the directory
 *                  holding the program)
 * ADEPT_VAR        runtime state: database, sockets, logs, secret
 *                  (default $ADEPT_ROOT/var)
 * ADEPT_DB         libpq connection string (default: the private cluster,
 *                  host=$ADEPT_VAR/run port=$ADEPT_PGPORT dbname=adept)
 * ADEPT_PGPORT     port of the private cluster's socket (default 5433)
 * ADEPT_SOCKET     FastCGI socket path (default var/run/adept.sock)
 * ADEPT_WORKERS    pre-forked workers (default: number of cores)
 * ADEPT_THREADS    accept threads per worker (default 2)
 * ADEPT_SECRET_FILE  site secret (default var/secret.key, made on first run)
 * ADEPT_ISSUER     JWT iss and aud (default "adept")
 * ADEPT_LOG_DIR    request log directory (default var/log)
 * ADEPT_TEMPLATES  templates directory (default templates)
 * ADEPT_SECURE_COOKIES  "1" adds Secure to cookies (set it behind TLS)
 * ADEPT_USER       user the FastCGI workers drop to when started as root
 *                  (default "adept"; see src/base/sandbox.h)
 * ADEPT_SECCOMP    workers' system-call allow-list: on (default; a call
 *                  outside it kills the worker), log, or off
 * ADEPT_METRICS_ADDR  host:port of the Prometheus /metrics listener
 *                  (default 127.0.0.1:9464; "off" disables it)
 * ADEPT_STORAGE_URL  where uploads are kept: unset (or "local") for the
 *                  directory $ADEPT_VAR/uploads, or an S3-compatible store,
 *                  s3://BUCKET?endpoint=http://host:port&region=us-east-1
 * ADEPT_S3_KEY, ADEPT_S3_SECRET  the store's access key id and secret
 * PORT             nginx port (used by scripts, shown in links)
 */
#ifndef ADEPT_CONFIG_H
#define ADEPT_CONFIG_H

#include <stddef.h>

struct config {
	char		 root[256];
	char		 var[384];
	char		 db[1024];
	char		 socket[512];
	char		 secret_file[512];
	char		 log_dir[512];
	char		 templates[512];
	char		 issuer[64];
	int		 workers;
	int		 threads;
	int		 secure_cookies;
	char		 user[64];
	char		 seccomp[16];
	char		 metrics_addr[128];
	char		 storage_url[512];
	char		 s3_key[128];
	char		 s3_secret[128];
	unsigned char	 secret[32];	/* loaded by config_load_secret */
};

/* Fills cfg from the environment.  Never fails. */
void	config_init(struct config *);
/* Loads the secret key, creating it (mode 0600) if absent and create is
 * set.  0, or -1 with a message on stderr. */
int	config_load_secret(struct config *, int create);

#endif
