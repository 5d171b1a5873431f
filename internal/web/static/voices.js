// The voices page's record buttons: record a prompt with the browser's
// microphone (MediaRecorder) and send it as the upload form would. The
// page works without this: the file field takes a recording from a
// phone's recorder app. Browsers allow the microphone only over HTTPS
// (or on localhost), so over plain HTTP the buttons stay hidden.
(function () {
	"use strict";
	if (!window.MediaRecorder || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
		return;
	}
	document.querySelectorAll("form.recorder button.record").forEach(function (button) {
		var form = button.form, recorder = null, chunks = [];
		button.hidden = false;
		button.addEventListener("click", function () {
			if (recorder) {
				recorder.stop();
				return;
			}
			navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
				chunks = [];
				recorder = new MediaRecorder(stream);
				recorder.addEventListener("dataavailable", function (e) { chunks.push(e.data); });
				recorder.addEventListener("stop", function () {
					stream.getTracks().forEach(function (t) { t.stop(); });
					var type = recorder.mimeType || "audio/webm";
					recorder = null;
					button.textContent = button.dataset.record;
					var data = new FormData(form);
					data.set("sound", new Blob(chunks, { type: type }), "recording." + (type.indexOf("ogg") >= 0 ? "ogg" : type.indexOf("mp4") >= 0 ? "m4a" : "webm"));
					button.disabled = true;
					fetch(form.action, { method: "POST", body: data, credentials: "same-origin" }).then(function (r) {
						return r.text().then(function (html) {
							if (r.redirected) {
								window.location.href = r.url;
								return;
							}
							document.open();
							document.write(html);
							document.close();
						});
					}).catch(function () { button.disabled = false; });
				});
				recorder.start();
				button.textContent = button.dataset.stop;
			}).catch(function () { button.hidden = true; });
		});
	});
})();
