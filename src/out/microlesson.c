/*
 * microlesson: see microlesson.h.  The tools run with the work directory
 * as their current directory (posix_spawn_file_actions_addchdir_np), so
 * every path they are given is a plain relative name like "s1.txt": the
 * filter string ffmpeg parses never holds a path of the host or any text
 * of the lesson.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <dirent.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "out/microlesson.h"

extern char **environ;

#define FONT_DIR	"/usr/share/fonts/truetype/dejavu"
#define FONT_TITLE	FONT_DIR "/DejaVuSans-Bold.ttf"
#define FONT_BODY	FONT_DIR "/DejaVuSans.ttf"
#define ESPEAK_LIMIT	60	/* seconds per slide */
#define FFMPEG_LIMIT	300	/* seconds for the video */
#define SLIDE_LIMIT	30	/* seconds per slide image */
#define TITLE_WIDTH	30	/* characters per title line at 30 px */
#define BULLET_WIDTH	42	/* per bullet line at 22 px */

const char *
ml_espeak_path(void)
{
	const char *s = getenv("ADEPT_ESPEAK_NG");

	return s != NULL && *s ? s : "espeak-ng";
}

const char *
ml_ffmpeg_path(void)
{
	const char *s = getenv("ADEPT_FFMPEG");

	return s != NULL && *s ? s : "ffmpeg";
}

static int
write_file(const char *dir, const char *name, const char *text, size_t n)
{
	char path[1024];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "wb")) == NULL)
		return -1;
	rc = fwrite(text, 1, n, f) == n ? 0 : -1;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

/* The last non-empty line of the tool's log, for the error message. */
static void
log_tail(const char *dir, const char *log, char *out, size_t outsz)
{
	char path[1024], buf[4096], *e, *s;
	ssize_t n;
	off_t size;
	int fd;

	out[0] = '\0';
	snprintf(path, sizeof(path), "%s/%s", dir, log);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	size = lseek(fd, 0, SEEK_END);
	lseek(fd, size > (off_t)sizeof(buf) - 1 ? size -
	    (off_t)(sizeof(buf) - 1) : 0, SEEK_SET);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	for (e = buf + n; e > buf && (e[-1] == '\n' || e[-1] == '\r' ||
	    e[-1] == ' '); e--)
		;
	*e = '\0';
	s = strrchr(buf, '\n');
	snprintf(out, outsz, "%.300s", s != NULL ? s + 1 : buf);
}

/*
 * Runs argv[0] (found on PATH) in dir, stdin from /dev/null, stdout and
 * stderr to dir/log, for at most limit seconds; then the process group is
 * killed.  0 when it exited 0, else -1 with err saying what happened.
 */
static int
run(const char *dir, char *const argv[], const char *name, int limit,
    const char *log, char *err, size_t errlen)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	struct timespec t0, now, nap = { 0, 20 * 1000 * 1000 };
	char tail[320];
	pid_t pid, w;
	int st = 0, rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	posix_spawn_file_actions_addchdir_np(&fa, dir);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT |
	    O_TRUNC, 0600);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
	rc = posix_spawnp(&pid, argv[0], &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (rc != 0) {
		snprintf(err, errlen, "%s could not be started (%s): %s", name,
		    argv[0], strerror(rc));
		if (rc == ENOENT)
			snprintf(err, errlen, "%s is not installed (%s not "
			    "found; apt-get install %s)", name, argv[0], name);
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		w = waitpid(pid, &st, WNOHANG);
		if (w == pid)
			break;
		if (w == -1 && errno != EINTR) {
			snprintf(err, errlen, "%s: waitpid: %s", name,
			    strerror(errno));
			return -1;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - t0.tv_sec >= limit) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
				;
			snprintf(err, errlen, "%s timed out after %d s and was "
			    "stopped", name, limit);
			return -1;
		}
		nanosleep(&nap, NULL);
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	log_tail(dir, log, tail, sizeof(tail));
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		snprintf(err, errlen, "%s could not be run (%s): %s", name,
		    argv[0], *tail ? tail : "exit 127");
	else if (WIFEXITED(st))
		snprintf(err, errlen, "%s failed (exit %d)%s%s", name,
		    WEXITSTATUS(st), *tail ? ": " : "", tail);
	else
		snprintf(err, errlen, "%s was killed by signal %d", name,
		    WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	return -1;
}

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

double
ml_wav_seconds(const char *path)
{
	unsigned char h[12], ch[8], fmt[16];
	uint32_t byterate = 0, size;
	struct stat sb;
	long pos;
	FILE *f;
	double secs = -1;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	if (fstat(fileno(f), &sb) == -1 || fread(h, 1, 12, f) != 12 ||
	    memcmp(h, "RIFF", 4) != 0 || memcmp(h + 8, "WAVE", 4) != 0)
		goto out;
	while (fread(ch, 1, 8, f) == 8) {
		size = le32(ch + 4);
		pos = ftell(f);
		if (memcmp(ch, "fmt ", 4) == 0) {
			if (size < 16 || fread(fmt, 1, 16, f) != 16)
				goto out;
			byterate = le32(fmt + 8);
		} else if (memcmp(ch, "data", 4) == 0) {
			if (byterate == 0)
				goto out;
			if ((int64_t)pos + size > (int64_t)sb.st_size)
				size = (uint32_t)(sb.st_size - pos);
			secs = (double)size / (double)byterate;
			goto out;
		}
		if (fseek(f, pos + size + (size & 1), SEEK_SET) != 0)
			goto out;
	}
out:
	fclose(f);
	return secs;
}

void
ml_rmdir(const char *dir)
{
	char path[1024];
	struct dirent *e;
	DIR *d;

	if (dir == NULL || *dir == '\0' || (d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

/* The slide's text files: title, bullets, and "n / total". */
static int
slide_texts(const char *dir, const struct learn_ms_script *sc, size_t i)
{
	const struct learn_ms_slide *s = &sc->slides[i];
	char name[32], line[1024], *nl, *p;
	struct buf b;
	size_t k;
	int rc;

	learn_ms_wrap(s->title, TITLE_WIDTH, line, sizeof(line));
	/* two title lines at most */
	if ((nl = strchr(line, '\n')) != NULL && (nl = strchr(nl + 1, '\n')) !=
	    NULL)
		*nl = '\0';
	snprintf(name, sizeof(name), "t%zu.txt", i + 1);
	if (write_file(dir, name, line, strlen(line)) == -1)
		return -1;
	buf_init(&b);
	for (k = 0; k < s->nbullets; k++) {
		learn_ms_wrap(s->bullets[k], BULLET_WIDTH - 2, line,
		    sizeof(line));
		if (k > 0)
			buf_putc(&b, '\n');
		buf_puts(&b, "\xe2\x80\xa2 ");		/* • */
		for (p = line; *p; p++) {
			buf_putc(&b, *p);
			if (*p == '\n')
				buf_puts(&b, "   ");
		}
	}
	snprintf(name, sizeof(name), "b%zu.txt", i + 1);
	rc = write_file(dir, name, b.p != NULL ? b.p : " ", b.p != NULL ?
	    b.len : 1);
	buf_free(&b);
	if (rc == -1)
		return -1;
	snprintf(line, sizeof(line), "%zu / %zu", i + 1, sc->nslides);
	snprintf(name, sizeof(name), "n%zu.txt", i + 1);
	return write_file(dir, name, line, strlen(line));
}

int
ml_render(const struct learn_ms_script *sc, const char *dir,
    struct ml_render *out, char *err, size_t errlen)
{
	const char *espeak = ml_espeak_path(), *ffmpeg = ml_ffmpeg_path();
	char name[64], path[1024], *text, *vtt;
	char *argv[8 * LEARN_MS_SLIDES_MAX + 40];
	char dur[LEARN_MS_SLIDES_MAX][32], in[LEARN_MS_SLIDES_MAX][2][32];
	char vf[1024];
	struct buf fc;
	size_t i, n, vlen;
	double d;

	memset(out, 0, sizeof(*out));
	if (sc->nslides == 0 || sc->nslides > LEARN_MS_SLIDES_MAX) {
		snprintf(err, errlen, "the script has no slides");
		return -1;
	}
	if (access(FONT_BODY, R_OK) != 0 || access(FONT_TITLE, R_OK) != 0) {
		snprintf(err, errlen, "the DejaVu fonts are missing (%s; "
		    "apt-get install fonts-dejavu-core)", FONT_BODY);
		return -1;
	}
	for (i = 0; i < sc->nslides; i++) {
		/* narration */
		if ((text = learn_ms_narration(&sc->slides[i])) == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		snprintf(name, sizeof(name), "s%zu.txt", i + 1);
		if (write_file(dir, name, text, strlen(text)) == -1) {
			free(text);
			snprintf(err, errlen, "cannot write %s/%s: %s", dir,
			    name, strerror(errno));
			return -1;
		}
		free(text);
		snprintf(in[i][0], sizeof(in[i][0]), "s%zu.txt", i + 1);
		snprintf(in[i][1], sizeof(in[i][1]), "s%zu.wav", i + 1);
		{
			char *av[] = { (char *)espeak, "-v", "en", "-s", "150",
			    "-f", in[i][0], "-w", in[i][1], NULL };

			if (run(dir, av, "espeak-ng", ESPEAK_LIMIT,
			    "espeak.log", err, errlen) == -1)
				return -1;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, in[i][1]);
		if ((d = ml_wav_seconds(path)) <= 0) {
			snprintf(err, errlen, "espeak-ng wrote no sound for "
			    "slide %zu", i + 1);
			return -1;
		}
		out->slide_secs[i] = d;
		out->seconds += d;
		/* the slide image */
		if (slide_texts(dir, sc, i) == -1) {
			snprintf(err, errlen, "cannot write slide %zu's text "
			    "in %s: %s", i + 1, dir, strerror(errno));
			return -1;
		}
		snprintf(vf, sizeof(vf),
		    "drawbox=x=0:y=0:w=640:h=8:color=0xe9c46a:t=fill,"
		    "drawtext=fontfile=" FONT_TITLE ":textfile=t%zu.txt:"
		    "expansion=none:fontcolor=white:fontsize=30:"
		    "line_spacing=6:x=40:y=36,"
		    "drawtext=fontfile=" FONT_BODY ":textfile=b%zu.txt:"
		    "expansion=none:fontcolor=0xf1faee:fontsize=22:"
		    "line_spacing=12:x=40:y=138,"
		    "drawtext=fontfile=" FONT_BODY ":textfile=n%zu.txt:"
		    "expansion=none:fontcolor=0xa8dadc:fontsize=16:"
		    "x=w-tw-24:y=h-th-18", i + 1, i + 1, i + 1);
		snprintf(name, sizeof(name), "p%zu.png", i + 1);
		{
			char *av[] = { (char *)ffmpeg, "-nostdin",
			    "-hide_banner", "-loglevel", "error", "-y", "-f",
			    "lavfi", "-i", "color=c=0x1d3557:s=640x360:d=1",
			    "-vf", vf, "-frames:v", "1", name, NULL };

			if (run(dir, av, "ffmpeg", SLIDE_LIMIT, "ffmpeg.log",
			    err, errlen) == -1)
				return -1;
		}
	}
	/* the video: each slide image for exactly its narration */
	n = 0;
	argv[n++] = (char *)ffmpeg;
	argv[n++] = "-nostdin";
	argv[n++] = "-hide_banner";
	argv[n++] = "-loglevel";
	argv[n++] = "error";
	argv[n++] = "-y";
	for (i = 0; i < sc->nslides; i++) {
		snprintf(dur[i], sizeof(dur[i]), "%.3f", out->slide_secs[i]);
		argv[n++] = "-loop";
		argv[n++] = "1";
		argv[n++] = "-framerate";
		argv[n++] = "10";
		argv[n++] = "-t";
		argv[n++] = dur[i];
		argv[n++] = "-i";
		snprintf(in[i][0], sizeof(in[i][0]), "p%zu.png", i + 1);
		argv[n++] = in[i][0];
	}
	for (i = 0; i < sc->nslides; i++) {
		argv[n++] = "-i";
		argv[n++] = in[i][1];
	}
	buf_init(&fc);
	for (i = 0; i < sc->nslides; i++)
		buf_printf(&fc, "[%zu:v][%zu:a]", i, sc->nslides + i);
	buf_printf(&fc, "concat=n=%zu:v=1:a=1[cv][a];[cv]format=yuv420p[v]",
	    sc->nslides);
	argv[n++] = "-filter_complex";
	argv[n++] = fc.p;
	argv[n++] = "-map";
	argv[n++] = "[v]";
	argv[n++] = "-map";
	argv[n++] = "[a]";
	argv[n++] = "-c:v";
	argv[n++] = "libx264";
	argv[n++] = "-preset";
	argv[n++] = "veryfast";
	argv[n++] = "-tune";
	argv[n++] = "stillimage";
	argv[n++] = "-crf";
	argv[n++] = "28";
	argv[n++] = "-c:a";
	argv[n++] = "aac";
	argv[n++] = "-b:a";
	argv[n++] = "64k";
	argv[n++] = "-ac";
	argv[n++] = "1";
	argv[n++] = "-movflags";
	argv[n++] = "+faststart";
	argv[n++] = "lesson.mp4";
	argv[n] = NULL;
	if (run(dir, argv, "ffmpeg", FFMPEG_LIMIT, "ffmpeg.log", err,
	    errlen) == -1) {
		buf_free(&fc);
		return -1;
	}
	buf_free(&fc);
	/* captions */
	if ((vtt = learn_ms_vtt(sc, out->slide_secs, &vlen)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (write_file(dir, "captions.vtt", vtt, vlen) == -1) {
		free(vtt);
		snprintf(err, errlen, "cannot write the captions in %s: %s",
		    dir, strerror(errno));
		return -1;
	}
	free(vtt);
	snprintf(out->video, sizeof(out->video), "%s/lesson.mp4", dir);
	snprintf(out->captions, sizeof(out->captions), "%s/captions.vtt",
	    dir);
	snprintf(out->thumb, sizeof(out->thumb), "%s/p1.png", dir);
	return 0;
}
