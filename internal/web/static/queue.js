// The queue reloads itself when it changes: every few seconds it asks
// /queue/version, a short string that changes whenever the queue does,
// and reloads when that is no longer the version the page was made from.
// It also reloads once a minute so that the ages stay right, and rests
// while the page is hidden. Without JavaScript a <noscript> refresh does
// the same, more slowly.
(function () {
	"use strict";
	var el = document.getElementById("queue");
	if (!el || !window.fetch) {
		return;
	}
	var version = el.getAttribute("data-version");
	var loaded = Date.now();
	var every = 2500;
	var timer = null;

	function reload() {
		window.location.reload();
	}

	function check() {
		timer = null;
		if (document.hidden) {
			return;
		}
		if (Date.now() - loaded > 60000) {
			reload();
			return;
		}
		fetch("/queue/version", {credentials: "same-origin", cache: "no-store"})
			.then(function (r) {
				// Logged out (sent to the login page) or changed: reload,
				// and the server shows what is right.
				if (r.redirected) {
					reload();
					return null;
				}
				return r.ok ? r.text() : null;
			})
			.then(function (v) {
				if (v !== null && v.trim() !== version) {
					reload();
					return;
				}
				schedule();
			})
			.catch(schedule);
	}

	function schedule() {
		if (timer === null) {
			timer = window.setTimeout(check, every);
		}
	}

	document.addEventListener("visibilitychange", function () {
		if (!document.hidden) {
			window.clearTimeout(timer);
			check();
		}
	});
	schedule();
})();
