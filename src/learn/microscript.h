/*
 * microscript: the script of a narrated micro-lesson (issue 8) -- from a
 * lesson's Markdown, or from passages of the course's material put
 * together as Markdown, the key sentences for 45-90 seconds of narration
 * (about 110-225 words at 150 words a minute), split into 4-8 slides of a
 * title and 1-3 short bullet lines each, with the sentences each slide
 * narrates; and the WebVTT captions once the narration's real length per
 * slide is known.
 *
 * Design decision: the script is extractive -- every narrated sentence is
 * a sentence of the source, with only Markdown markup and "[p<id>]" cites
 * taken out -- so the grounding check is a comparison of tokens and a
 * reviewer can trust that the video says what the lesson says.  Sentences
 * are scored by how many of the text's recurring terms they carry (and,
 * with a focus, the words of the concept asked about), chosen best first
 * up to the word budget, then narrated in source order.  No randomness:
 * the same text gives the same script.
 */
#ifndef ADEPT_LEARN_MICROSCRIPT_H
#define ADEPT_LEARN_MICROSCRIPT_H

#include <stddef.h>

#define LEARN_MS_SLIDES_MIN	4
#define LEARN_MS_SLIDES_MAX	8
#define LEARN_MS_BULLETS	3	/* bullet lines per slide, at most */
#define LEARN_MS_SENTS		8	/* narrated sentences per slide */
#define LEARN_MS_SENT_WORDS	40	/* longer sentences are not narrated */

struct learn_ms_opt {
	unsigned	wpm;		/* speaking rate, 150 */
	unsigned	min_words;	/* fewer: no script (45 s), 110 */
	unsigned	target_words;	/* stop choosing once reached, 160 */
	unsigned	max_words;	/* never more (90 s), 225 */
};

#define LEARN_MS_OPT_DEFAULT	{ 150, 110, 160, 225 }

/* Strings are malloc'd and owned by the script. */
struct learn_ms_slide {
	char	*title;
	char	*bullets[LEARN_MS_BULLETS];
	size_t	 nbullets;
	char	*sents[LEARN_MS_SENTS];	/* narrated, in order */
	size_t	 nsents;
	size_t	 words;
};

struct learn_ms_script {
	char			*title;
	struct learn_ms_slide	 slides[LEARN_MS_SLIDES_MAX];
	size_t			 nslides;
	size_t			 words;
	double			 seconds;	/* words at opt->wpm */
};

/*
 * Builds the script of md[0..len) (Markdown: "#" headings start sections;
 * a section headed "Objectives" is left out, as are code blocks and
 * tables), titled title (NULL: the first heading, else "Micro-lesson").
 * focus (may be NULL or "") names a concept: sentences sharing its words
 * are preferred.  opt NULL means LEARN_MS_OPT_DEFAULT.  Returns 0, or -1
 * with a reason a person can act on in err (the text too short for 45
 * seconds, fewer than four usable sentences, out of memory); *out is then
 * empty and safe to free.
 */
int	learn_ms_build(const char *md, size_t len, const char *title,
	    const char *focus, const struct learn_ms_opt *opt,
	    struct learn_ms_script *out, char *err, size_t errlen);
void	learn_ms_free(struct learn_ms_script *);

/* A slide's narration: its sentences joined by spaces (malloc'd; NULL
 * when out of memory). */
char	*learn_ms_narration(const struct learn_ms_slide *);

/* The whole script's narrated text, slide after slide (malloc'd). */
char	*learn_ms_text(const struct learn_ms_script *);

/* One caption cue: seconds from the start of the video. */
struct learn_ms_cue {
	double		 start, end;
	const char	*text;		/* a sentence of the slide */
};

/*
 * The cues of slide s narrated from start for dur seconds: one per
 * sentence, the slide's time shared in proportion to each sentence's
 * length in characters, back to back, the last ending at start + dur.
 * Writes at most max and returns how many there are.
 */
size_t	learn_ms_cues(const struct learn_ms_slide *s, double start,
	    double dur, struct learn_ms_cue *out, size_t max);

/*
 * The WebVTT captions of script sc whose slides last dur[0..nslides)
 * seconds, one after the other: "WEBVTT", then the numbered cues.  "-->"
 * in a sentence becomes "->".  malloc'd, NUL-terminated, *len its length
 * (when not NULL); NULL when out of memory.
 */
char	*learn_ms_vtt(const struct learn_ms_script *sc, const double *dur,
	    size_t *len);

/* t seconds as a WebVTT timestamp, "HH:MM:SS.mmm" (buf >= 16 bytes). */
void	learn_ms_timestamp(double t, char *buf, size_t bufsz);

/*
 * s greedily word-wrapped to lines of at most width characters (UTF-8
 * characters, not bytes; a longer word stands alone on its line), lines
 * joined by '\n', NUL-terminated in out (outsz bytes, cut when it does not
 * fit).  Returns the number of lines.
 */
size_t	learn_ms_wrap(const char *s, size_t width, char *out, size_t outsz);

#endif
