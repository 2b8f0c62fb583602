/*
 * extract: text from PDF, HTML, Markdown and plain-text files.  See
 * extract.h.
 */
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "learn/passage.h"
#include "out/extract.h"

const char *
extract_status_name(enum extract_status s)
{
	static const char *const n[] = { "ok", "io", "empty", "too_big",
	    "not_utf8", "pdf_encrypted", "pdf_corrupt", "tool" };

	return s < EXTRACT__MAX ? n[s] : "?";
}

const char *
extract_type_name(enum extract_type t)
{
	static const char *const n[] = { "text", "markdown", "html", "pdf" };

	return t <= EXTRACT_PDF ? n[t] : "?";
}

void
extract_free(struct extract_doc *d)
{
	free(d->text);
	d->text = NULL;
	d->len = 0;
}

static enum extract_status
fail(struct extract_doc *d, enum extract_status s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum extract_status
fail(struct extract_doc *d, enum extract_status s, const char *fmt, ...)
{
	va_list ap;

	free(d->text);
	d->text = NULL;
	d->len = 0;
	va_start(ap, fmt);
	vsnprintf(d->err, sizeof(d->err), fmt, ap);
	va_end(ap);
	return s;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Runs pdftotext -enc UTF-8 path - and collects its stdout into out and
 * the start of its stderr into errtxt. */
static enum extract_status
pdftotext(const char *path, struct buf *out, struct extract_doc *d)
{
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 }, st = 0, open_fds = 2;
	char errtxt[512], chunk[65536];
	size_t elen = 0;
	struct pollfd pf[2];
	double deadline = now() + EXTRACT_PDF_SECONDS;
	pid_t pid;
	ssize_t r;
	int timedout = 0, toobig = 0, i;

	errtxt[0] = '\0';
	if (pipe(po) == -1 || pipe(pe) == -1)
		goto syserr;
	if ((pid = fork()) == -1)
		goto syserr;
	if (pid == 0) {
		char *const argv[] = { "pdftotext", "-enc", "UTF-8",
		    (char *)path, "-", NULL };

		/* The parser reads an uploaded file: give it nothing else.
		 * No inherited descriptors, no environment (secrets such as
		 * ADEPT_LLM_KEY live there), and bounded memory, CPU time
		 * and output. */
		static char *const envp[] = { "PATH=/usr/bin:/bin",
		    "LANG=C.UTF-8", NULL };
		struct rlimit rl;

		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		close(po[1]);
		close(pe[1]);
		closefrom(3);
		rl.rlim_cur = rl.rlim_max = (rlim_t)1 << 30;
		setrlimit(RLIMIT_AS, &rl);
		rl.rlim_cur = rl.rlim_max = EXTRACT_PDF_SECONDS + 5;
		setrlimit(RLIMIT_CPU, &rl);
		rl.rlim_cur = rl.rlim_max = 0;
		setrlimit(RLIMIT_FSIZE, &rl);	/* it writes to a pipe only */
		execve("/usr/bin/pdftotext", argv, envp);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	pf[0].fd = po[0];
	pf[1].fd = pe[0];
	while (open_fds > 0) {
		double left = deadline - now();

		if (left <= 0) {
			timedout = 1;
			break;
		}
		for (i = 0; i < 2; i++)
			pf[i].events = pf[i].fd >= 0 ? POLLIN : 0;
		if (poll(pf, 2, (int)(left * 1000) + 1) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < 2; i++) {
			if (pf[i].fd < 0 || !(pf[i].revents & (POLLIN | POLLHUP |
			    POLLERR)))
				continue;
			r = read(pf[i].fd, chunk, sizeof(chunk));
			if (r <= 0) {
				close(pf[i].fd);
				pf[i].fd = -1;
				open_fds--;
				continue;
			}
			if (i == 0) {
				if (out->len + r > EXTRACT_MAX) {
					toobig = 1;
					open_fds = 0;
					break;
				}
				buf_put(out, chunk, r);
			} else if (elen + 1 < sizeof(errtxt)) {
				size_t k = (size_t)r < sizeof(errtxt) - 1 -
				    elen ? (size_t)r : sizeof(errtxt) - 1 - elen;

				memcpy(errtxt + elen, chunk, k);
				elen += k;
				errtxt[elen] = '\0';
			}
		}
	}
	if (timedout || toobig)
		kill(pid, SIGKILL);
	for (i = 0; i < 2; i++)
		if (pf[i].fd >= 0)
			close(pf[i].fd);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	if (timedout)
		return fail(d, EXTRACT_TOOL, "pdftotext took longer than %d s",
		    EXTRACT_PDF_SECONDS);
	if (toobig)
		return fail(d, EXTRACT_TOO_BIG, "the PDF's text is larger than "
		    "%u bytes", EXTRACT_MAX);
	{
		char *nl = strchr(errtxt, '\n');

		if (nl)
			*nl = '\0';
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		return fail(d, EXTRACT_TOOL, "pdftotext not found (install "
		    "poppler-utils)");
	if (strstr(errtxt, "password") || strstr(errtxt, "Password") ||
	    (WIFEXITED(st) && WEXITSTATUS(st) == 3))
		return fail(d, EXTRACT_PDF_ENCRYPTED, "the PDF is "
		    "password-protected (pdftotext: %s)", errtxt[0] ? errtxt :
		    "permission error");
	if (!WIFEXITED(st))
		return fail(d, EXTRACT_TOOL, "pdftotext was killed by signal %d",
		    WTERMSIG(st));
	if (WEXITSTATUS(st) != 0)
		return fail(d, EXTRACT_PDF_CORRUPT, "the PDF is damaged or not a "
		    "PDF (pdftotext exit %d: %s)", WEXITSTATUS(st),
		    errtxt[0] ? errtxt : "no message");
	return EXTRACT_OK;
syserr:
	for (i = 0; i < 2; i++) {
		if (po[i] >= 0)
			close(po[i]);
		if (pe[i] >= 0)
			close(pe[i]);
	}
	return fail(d, EXTRACT_TOOL, "cannot run pdftotext: %s",
	    strerror(errno));
}

/* ---- HTML ------------------------------------------------------------ */

static const struct {
	const char	*name;
	const char	*utf8;
} entities[] = {
	{ "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" },
	{ "apos", "'" }, { "nbsp", " " }, { "mdash", "\xe2\x80\x94" },
	{ "ndash", "\xe2\x80\x93" }, { "hellip", "\xe2\x80\xa6" },
	{ "rsquo", "\xe2\x80\x99" }, { "lsquo", "\xe2\x80\x98" },
	{ "ldquo", "\xe2\x80\x9c" }, { "rdquo", "\xe2\x80\x9d" },
	{ "copy", "\xc2\xa9" }, { "eacute", "\xc3\xa9" },
};

static void
put_cp(struct buf *b, unsigned long c)
{
	if (c == 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		c = 0xfffd;
	if (c < 0x80)
		buf_putc(b, (int)c);
	else if (c < 0x800) {
		buf_putc(b, 0xc0 | (c >> 6));
		buf_putc(b, 0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		buf_putc(b, 0xe0 | (c >> 12));
		buf_putc(b, 0x80 | ((c >> 6) & 0x3f));
		buf_putc(b, 0x80 | (c & 0x3f));
	} else {
		buf_putc(b, 0xf0 | (c >> 18));
		buf_putc(b, 0x80 | ((c >> 12) & 0x3f));
		buf_putc(b, 0x80 | ((c >> 6) & 0x3f));
		buf_putc(b, 0x80 | (c & 0x3f));
	}
}

/* Decodes the entity at p[i] ('&'); returns the bytes it used (0: not an
 * entity, write '&'). */
static size_t
entity(const char *p, size_t n, size_t i, struct buf *b)
{
	size_t j, k;
	unsigned long c = 0;

	for (j = i + 1; j < n && j - i < 12 && p[j] != ';'; j++)
		;
	if (j >= n || p[j] != ';' || j == i + 1)
		return 0;
	if (p[i + 1] == '#') {
		int hex = i + 2 < j && (p[i + 2] == 'x' || p[i + 2] == 'X');

		for (k = i + 2 + hex; k < j; k++) {
			int v = p[k] >= '0' && p[k] <= '9' ? p[k] - '0' :
			    hex && p[k] >= 'a' && p[k] <= 'f' ? p[k] - 'a' + 10 :
			    hex && p[k] >= 'A' && p[k] <= 'F' ? p[k] - 'A' + 10 :
			    -1;

			if (v < 0 || c > 0x10ffff)
				return 0;
			c = c * (hex ? 16 : 10) + v;
		}
		put_cp(b, c == 0xa0 ? ' ' : c);
		return j - i + 1;
	}
	for (k = 0; k < sizeof(entities) / sizeof(entities[0]); k++)
		if (strlen(entities[k].name) == j - i - 1 &&
		    strncmp(p + i + 1, entities[k].name, j - i - 1) == 0) {
			buf_puts(b, entities[k].utf8);
			return j - i + 1;
		}
	return 0;
}

static int
tag_is(const char *name, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(name, *set) == 0)
			return 1;
	return 0;
}

char *
extract_html(const char *p, size_t n, size_t *outlen)
{
	static const char *const skip[] = { "script", "style", "noscript",
	    "template", "head", "svg", NULL };
	static const char *const block[] = { "p", "div", "section", "article",
	    "ul", "ol", "table", "tr", "blockquote", "pre", "hr", "dl", "dd",
	    "dt", "header", "footer", "nav", "main", "aside", "figure",
	    "figcaption", "title", "body", "html", NULL };
	struct buf b, o;
	size_t i = 0, j, k, used;
	char name[16];
	int closing, sp = 0;

	buf_init(&b);
	while (i < n) {
		if (p[i] == '<') {
			if (i + 3 < n && memcmp(p + i, "<!--", 4) == 0) {
				const char *e = memmem(p + i + 4, n - i - 4,
				    "-->", 3);

				i = e ? (size_t)(e - p) + 3 : n;
				continue;
			}
			j = i + 1;
			closing = j < n && p[j] == '/';
			j += closing;
			for (k = 0; j < n && k + 1 < sizeof(name) &&
			    ((p[j] >= 'a' && p[j] <= 'z') ||
			    (p[j] >= 'A' && p[j] <= 'Z') ||
			    (p[j] >= '0' && p[j] <= '9')); j++)
				name[k++] = p[j] | 0x20;
			name[k] = '\0';
			if (k == 0 && (i + 1 >= n || (p[i + 1] != '!' &&
			    p[i + 1] != '?'))) {
				/* a lone '<', text: after the pending space */
				if (sp && b.len > 0 && b.p[b.len - 1] != '\n' &&
				    b.p[b.len - 1] != ' ')
					buf_putc(&b, ' ');
				sp = 0;
				buf_putc(&b, '<');
				i++;
				continue;
			}
			/* the tag's end, quotes respected */
			for (; j < n && p[j] != '>'; j++)
				if (p[j] == '"' || p[j] == '\'') {
					const char *q = memchr(p + j + 1, p[j],
					    n - j - 1);

					j = q ? (size_t)(q - p) : n - 1;
				}
			i = j < n ? j + 1 : n;
			if (!closing && tag_is(name, skip)) {
				/* to the matching close tag */
				char close[24];
				size_t cl = snprintf(close, sizeof(close), "</%s",
				    name);

				for (j = i; j + cl <= n; j++)
					if (strncasecmp(p + j, close, cl) == 0)
						break;
				if (j + cl > n) {
					i = n;
					continue;
				}
				while (j < n && p[j] != '>')
					j++;
				i = j < n ? j + 1 : n;
				continue;
			}
			if (name[0] == 'h' && name[1] >= '1' && name[1] <= '6' &&
			    name[2] == '\0') {
				buf_puts(&b, "\n\n");
				if (!closing)
					for (k = 0; k < (size_t)(name[1] - '0');
					    k++)
						buf_putc(&b, '#');
				buf_putc(&b, closing ? '\n' : ' ');
				sp = 0;
			} else if (strcmp(name, "li") == 0 && !closing) {
				buf_puts(&b, "\n- ");
				sp = 0;
			} else if (strcmp(name, "br") == 0) {
				buf_putc(&b, '\n');
				sp = 0;
			} else if (tag_is(name, block)) {
				buf_puts(&b, "\n\n");
				sp = 0;
			} else if (strcmp(name, "td") == 0 ||
			    strcmp(name, "th") == 0)
				sp = 1;
			continue;
		}
		if (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r') {
			sp = 1;
			i++;
			continue;
		}
		if (sp && b.len > 0 && b.p[b.len - 1] != '\n' &&
		    b.p[b.len - 1] != ' ')
			buf_putc(&b, ' ');
		sp = 0;
		if (p[i] == '&' && (used = entity(p, n, i, &b)) > 0) {
			i += used;
			continue;
		}
		buf_putc(&b, p[i++]);
	}
	/* tidy: no spaces at line ends or starts, at most one blank line */
	buf_init(&o);
	for (i = 0; i < b.len; i++) {
		char c = b.p[i];

		if (c == ' ' && (o.len == 0 || o.p[o.len - 1] == '\n'))
			continue;
		if (c == '\n') {
			while (o.len > 0 && o.p[o.len - 1] == ' ')
				o.len--;
			if (o.len == 0 || (o.len >= 2 && o.p[o.len - 1] == '\n' &&
			    o.p[o.len - 2] == '\n'))
				continue;
		}
		buf_putc(&o, c);
	}
	buf_free(&b);
	if (o.p == NULL)
		buf_puts(&o, "");
	*outlen = o.len;
	return o.p;
}

/* ---- detection and checks -------------------------------------------- */

static int
looks_html(const char *p, size_t n)
{
	static const char *const marks[] = { "<!doctype html", "<html",
	    "<body", "<p>", "<div", "<h1", "<h2", "<head", NULL };
	size_t i = 0, lim = n < 4096 ? n : 4096, k;

	while (i < lim && (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' ||
	    p[i] == '\t'))
		i++;
	if (i >= lim || p[i] != '<')
		return 0;
	for (; i < lim; i++)
		if (p[i] == '<')
			for (k = 0; marks[k]; k++)
				if (lim - i >= strlen(marks[k]) &&
				    strncasecmp(p + i, marks[k],
				    strlen(marks[k])) == 0)
					return 1;
	return 0;
}

static int
looks_markdown(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < 65536; i++)
		if ((i == 0 || p[i - 1] == '\n') && ((p[i] == '#' &&
		    i + 1 < n && (p[i + 1] == ' ' || p[i + 1] == '#')) ||
		    (i + 2 < n && memcmp(p + i, "```", 3) == 0)))
			return 1;
	return 0;
}

/* Checks and normalises text in place-ish: UTF-8, BOM, CRLF, form feeds
 * (pdftotext's page breaks) to blank lines, NULs refused. */
static enum extract_status
finish(struct extract_doc *d, char *p, size_t n)
{
	size_t bad, i, j, line = 1, col = 1;
	char *o;

	if (!learn_utf8_valid(p, n, &bad)) {
		unsigned char c = p[bad];

		for (i = 0; i < bad; i++) {
			if (p[i] == '\n') {
				line++;
				col = 1;
			} else
				col++;
		}
		free(p);
		return fail(d, EXTRACT_NOT_UTF8, "not UTF-8: byte 0x%02x at "
		    "offset %zu (line %zu, column %zu); convert the file to "
		    "UTF-8 (e.g. iconv -f latin1 -t utf-8)",
		    c, bad, line, col);
	}
	if (memchr(p, '\0', n) != NULL) {
		free(p);
		return fail(d, EXTRACT_NOT_UTF8, "contains NUL bytes: a binary "
		    "file, not text");
	}
	i = n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	if ((o = malloc(2 * (n - i) + 1)) == NULL) {
		free(p);
		return fail(d, EXTRACT_IO, "out of memory");
	}
	for (j = 0; i < n; i++) {
		if (p[i] == '\r')
			continue;
		if (p[i] == '\f') {
			o[j++] = '\n';
			o[j++] = '\n';
			continue;
		}
		o[j++] = p[i];
	}
	o[j] = '\0';
	free(p);
	for (i = 0; i < j; i++)
		if (!(o[i] == ' ' || o[i] == '\n' || o[i] == '\t'))
			break;
	if (i == j) {
		free(o);
		return fail(d, EXTRACT_EMPTY, d->type == EXTRACT_PDF ?
		    "the PDF has no text layer (scanned pages?)" :
		    j == 0 ? "the file is empty" : "the file holds only white "
		    "space");
	}
	d->text = o;
	d->len = j;
	return EXTRACT_OK;
}

static enum extract_status
from_text(char *p, size_t n, struct extract_doc *d)
{
	char *h;
	size_t hl, bad;

	if (looks_html(p, n)) {
		d->type = EXTRACT_HTML;
		if (!learn_utf8_valid(p, n, &bad))
			return finish(d, p, n);	/* reports it */
		h = extract_html(p, n, &hl);
		free(p);
		return finish(d, h, hl);
	}
	d->type = looks_markdown(p, n) ? EXTRACT_MARKDOWN : EXTRACT_TEXT;
	return finish(d, p, n);
}

enum extract_status
extract_file(const char *path, struct extract_doc *d)
{
	struct stat st;
	struct buf b;
	char *p;
	ssize_t r;
	size_t n = 0;
	int fd;
	enum extract_status s;

	memset(d, 0, sizeof(*d));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return fail(d, EXTRACT_IO, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return fail(d, EXTRACT_IO, "not a regular file");
	}
	if ((size_t)st.st_size > EXTRACT_MAX) {
		close(fd);
		return fail(d, EXTRACT_TOO_BIG, "%lld bytes, over the limit of "
		    "%u", (long long)st.st_size, EXTRACT_MAX);
	}
	if ((p = malloc(st.st_size + 1)) == NULL) {
		close(fd);
		return fail(d, EXTRACT_IO, "out of memory");
	}
	while (n < (size_t)st.st_size &&
	    (r = read(fd, p + n, st.st_size - n)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			free(p);
			close(fd);
			return fail(d, EXTRACT_IO, "reading: %s", strerror(errno));
		}
		n += r;
	}
	close(fd);
	if (n == 0) {
		free(p);
		return fail(d, EXTRACT_EMPTY, "the file is empty");
	}
	if (n >= 5 && memcmp(p, "%PDF-", 5) == 0) {
		free(p);
		d->type = EXTRACT_PDF;
		buf_init(&b);
		if ((s = pdftotext(path, &b, d)) != EXTRACT_OK) {
			buf_free(&b);
			return s;
		}
		if (b.p == NULL)
			buf_puts(&b, "");
		return finish(d, b.p, b.len);
	}
	return from_text(p, n, d);
}

enum extract_status
extract_mem(const char *src, size_t n, struct extract_doc *d)
{
	char tmpl[] = "/tmp/adept-extract-XXXXXX";
	enum extract_status s;
	char *p;
	int fd;
	size_t off = 0;
	ssize_t w;

	memset(d, 0, sizeof(*d));
	if (n == 0)
		return fail(d, EXTRACT_EMPTY, "the file is empty");
	if (n > EXTRACT_MAX)
		return fail(d, EXTRACT_TOO_BIG, "%zu bytes, over the limit of "
		    "%u", n, EXTRACT_MAX);
	if (n >= 5 && memcmp(src, "%PDF-", 5) == 0) {
		if ((fd = mkstemp(tmpl)) == -1)
			return fail(d, EXTRACT_IO, "temporary file: %s",
			    strerror(errno));
		while (off < n && (w = write(fd, src + off, n - off)) > 0)
			off += w;
		close(fd);
		s = off == n ? extract_file(tmpl, d) :
		    fail(d, EXTRACT_IO, "writing a temporary file");
		unlink(tmpl);
		return s;
	}
	if ((p = malloc(n + 1)) == NULL)
		return fail(d, EXTRACT_IO, "out of memory");
	memcpy(p, src, n);
	return from_text(p, n, d);
}
