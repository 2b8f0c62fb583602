// Optional heartbeat for lesson pages: while the page is visible, report
// the seconds seen to /api/v1/lessons/{id}/progress every 30 s.  The page
// works without it (the server also measures time from page views); see
// src/pages/lesson.c.
(function () {
	'use strict';
	var el = document.getElementById('lesson-heartbeat');
	if (!el || !window.fetch)
		return;
	var url = el.getAttribute('data-url');
	var csrf = el.getAttribute('data-csrf');
	var since = Date.now();

	function report() {
		var s = Math.round((Date.now() - since) / 1000);
		since = Date.now();
		if (s <= 0)
			return;
		fetch(url, {
			method: 'POST',
			credentials: 'same-origin',
			headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
			body: JSON.stringify({ seconds: Math.min(s, 300) })
		}).catch(function () {});
	}

	setInterval(function () {
		if (document.visibilityState === 'visible')
			report();
	}, 30000);
	document.addEventListener('visibilitychange', function () {
		if (document.visibilityState === 'hidden')
			report();
		else
			since = Date.now();
	});
})();
