/*
 * feed: the micro-learning feed (/feed).  Being written on branch "feed";
 * until it lands these routes answer 404.
 */
#include "pages/pages.h"

const struct http_field page_feed_answer_fields[F_FEED__MAX] = {
	[F_FEED_ANSWER] = { "answer", HTTP_FT_STRING, 0, 10, 0, 0, NULL, 1,
	    "Answer" },
	[F_FEED_SHOWN] = { "shown", HTTP_FT_INT, 0, 0, 0, 0, NULL, 0,
	    "Shown" },
};

int
page_feed(struct req *r)
{
	return http_error(r, 404, "The feed is not available yet.");
}

int
page_feed_answer(struct req *r)
{
	return http_error(r, 404, "The feed is not available yet.");
}

int
page_api_feed(struct req *r)
{
	return http_error(r, 404, "The feed is not available yet.");
}

int
page_api_feed_answer(struct req *r)
{
	return http_error(r, 404, "The feed is not available yet.");
}
