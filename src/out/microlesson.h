/*
 * microlesson: a micro-lesson's script (learn/microscript.h) rendered to
 * media, offline, with Debian's espeak-ng and ffmpeg: per slide the
 * narration spoken to a WAV and a 640x360 slide image (ffmpeg's lavfi
 * "color" source and "drawtext" with DejaVu Sans from fonts-dejavu-core);
 * the narrations joined into one WAV; an MP4 (H.264 + AAC, each slide
 * shown for exactly its narration's length); WebVTT captions timed from
 * the measured lengths; the first slide as the thumbnail (PNG).
 *
 * Design decision: the tools run with posix_spawn (no shell, so no text
 * of a lesson is ever parsed by one; slide text reaches ffmpeg through
 * files, never through the filter string), each under a time limit after
 * which its process group is killed, and their stderr is kept so a failure
 * says what the tool said.  Durations are read from the WAV headers
 * espeak-ng writes, never guessed, so captions and slides line up with
 * the voice.  Everything is written in a caller's work directory.
 */
#ifndef ADEPT_OUT_MICROLESSON_H
#define ADEPT_OUT_MICROLESSON_H

#include <stddef.h>

#include "learn/microscript.h"

struct ml_render {
	char	video[512];		/* <dir>/lesson.mp4 */
	char	captions[512];		/* <dir>/captions.vtt */
	char	thumb[512];		/* <dir>/thumb.png */
	double	slide_secs[LEARN_MS_SLIDES_MAX];
	double	seconds;		/* the whole narration */
};

/* The tools, from $ADEPT_ESPEAK_NG and $ADEPT_FFMPEG when set (tests use
 * them to make a tool fail), else "espeak-ng" and "ffmpeg" on PATH. */
const char	*ml_espeak_path(void);
const char	*ml_ffmpeg_path(void);

/*
 * Renders sc into dir (which exists and is the caller's to remove; see
 * ml_rmdir).  Returns 0 with *out filled, or -1 with a reason a person can
 * act on in err ("espeak-ng failed (exit 1): ...", "ffmpeg timed out
 * after 120 s", "ffmpeg is not installed").
 */
int	ml_render(const struct learn_ms_script *sc, const char *dir,
	    struct ml_render *out, char *err, size_t errlen);

/*
 * Seconds of sound in the WAV file at path (PCM: data bytes over the
 * byte rate of its "fmt " chunk; a data size past the end of the file,
 * as a streaming writer leaves it, counts to the end of the file).  -1
 * when it is not a WAV file.
 */
double	ml_wav_seconds(const char *path);

/* Removes dir and the files in it (one level). */
void	ml_rmdir(const char *dir);

#endif
