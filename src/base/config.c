/*
 * config: see config.h.  The secret key is 32 random bytes from libsodium,
 * written once into var/ with O_EXCL so two processes starting together
 * cannot both create one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "base/config.h"

static const char *
env(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : def;
}

static int
env_int(const char *name, int def, int lo, int hi)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (v == NULL || *v == '\0')
		return def;
	n = strtol(v, &end, 10);
	if (*end != '\0' || n < lo || n > hi) {
		fprintf(stderr, "adept: ignoring %s=%s (want %d..%d)\n",
		    name, v, lo, hi);
		return def;
	}
	return (int)n;
}

void
config_init(struct config *c)
{
	char exe[256], *slash;
	ssize_t n;
	long ncpu;

	memset(c, 0, sizeof(*c));
	/* Default root: the directory above the program's own (build/adept,
	 * cgi-bin/adept.fcgi), so the tools find var/ from anywhere. */
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL)
			*slash = '\0';
		if ((slash = strrchr(exe, '/')) != NULL && slash != exe)
			*slash = '\0';
	} else if (getcwd(exe, sizeof(exe)) == NULL)
		strcpy(exe, ".");
	snprintf(c->root, sizeof(c->root), "%s", env("ADEPT_ROOT", exe));
	if (getenv("ADEPT_VAR") != NULL && *getenv("ADEPT_VAR") != '\0')
		snprintf(c->var, sizeof(c->var), "%s", getenv("ADEPT_VAR"));
	else
		snprintf(c->var, sizeof(c->var), "%s/var", c->root);
	if (getenv("ADEPT_DB") != NULL && *getenv("ADEPT_DB") != '\0')
		snprintf(c->db, sizeof(c->db), "%s", getenv("ADEPT_DB"));
	else
		snprintf(c->db, sizeof(c->db),
		    "host=%s/run port=%s dbname=adept user=adept",
		    c->var, env("ADEPT_PGPORT", "5433"));
	if (getenv("ADEPT_SOCKET") != NULL && *getenv("ADEPT_SOCKET") != '\0')
		snprintf(c->socket, sizeof(c->socket), "%s",
		    getenv("ADEPT_SOCKET"));
	else
		snprintf(c->socket, sizeof(c->socket), "%s/run/adept.sock",
		    c->var);
	if (getenv("ADEPT_SECRET_FILE") != NULL &&
	    *getenv("ADEPT_SECRET_FILE") != '\0')
		snprintf(c->secret_file, sizeof(c->secret_file), "%s",
		    getenv("ADEPT_SECRET_FILE"));
	else
		snprintf(c->secret_file, sizeof(c->secret_file),
		    "%s/secret.key", c->var);
	if (getenv("ADEPT_LOG_DIR") != NULL && *getenv("ADEPT_LOG_DIR") != '\0')
		snprintf(c->log_dir, sizeof(c->log_dir), "%s",
		    getenv("ADEPT_LOG_DIR"));
	else
		snprintf(c->log_dir, sizeof(c->log_dir), "%s/log", c->var);
	if (getenv("ADEPT_TEMPLATES") != NULL &&
	    *getenv("ADEPT_TEMPLATES") != '\0')
		snprintf(c->templates, sizeof(c->templates), "%s",
		    getenv("ADEPT_TEMPLATES"));
	else
		snprintf(c->templates, sizeof(c->templates), "%s/templates",
		    c->root);
	snprintf(c->issuer, sizeof(c->issuer), "%s",
	    env("ADEPT_ISSUER", "adept"));
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	c->workers = env_int("ADEPT_WORKERS", ncpu > 0 ? (int)ncpu : 2, 1,
	    256);
	c->threads = env_int("ADEPT_THREADS", 2, 1, 64);
	c->secure_cookies = env_int("ADEPT_SECURE_COOKIES", 0, 0, 1);
	snprintf(c->user, sizeof(c->user), "%s", env("ADEPT_USER", "adept"));
	snprintf(c->seccomp, sizeof(c->seccomp), "%s",
	    env("ADEPT_SECCOMP", "on"));
	snprintf(c->metrics_addr, sizeof(c->metrics_addr), "%s",
	    env("ADEPT_METRICS_ADDR", "127.0.0.1:9464"));
	snprintf(c->storage_url, sizeof(c->storage_url), "%s",
	    env("ADEPT_STORAGE_URL", ""));
	snprintf(c->s3_key, sizeof(c->s3_key), "%s", env("ADEPT_S3_KEY", ""));
	snprintf(c->s3_secret, sizeof(c->s3_secret), "%s",
	    env("ADEPT_S3_SECRET", ""));
}

int
config_load_secret(struct config *c, int create)
{
	int fd;
	ssize_t n;

	if ((fd = open(c->secret_file, O_RDONLY)) == -1 && errno == ENOENT &&
	    create) {
		fd = open(c->secret_file, O_WRONLY | O_CREAT | O_EXCL, 0600);
		if (fd != -1) {
			randombytes_buf(c->secret, sizeof(c->secret));
			n = write(fd, c->secret, sizeof(c->secret));
			if (close(fd) == -1 || n != (ssize_t)sizeof(c->secret)) {
				fprintf(stderr, "adept: cannot write %s\n",
				    c->secret_file);
				unlink(c->secret_file);
				return -1;
			}
			return 0;
		}
		if (errno != EEXIST) {
			fprintf(stderr, "adept: cannot create %s: %s\n",
			    c->secret_file, strerror(errno));
			return -1;
		}
		fd = open(c->secret_file, O_RDONLY);
	}
	if (fd == -1) {
		fprintf(stderr, "adept: cannot read %s: %s\n", c->secret_file,
		    strerror(errno));
		return -1;
	}
	n = read(fd, c->secret, sizeof(c->secret));
	close(fd);
	if (n != (ssize_t)sizeof(c->secret)) {
		fprintf(stderr, "adept: %s is not a 32-byte key\n",
		    c->secret_file);
		return -1;
	}
	return 0;
}
