// Voice notes: record in the browser (MediaRecorder), show time and level, review, upload with
// progress and retry. Falls back to a file input (accept="audio/*" capture) where recording is not
// available. Wired by data attributes only: no inline script, so a strict CSP holds.
(function () {
  "use strict";
  var TYPES = ["audio/webm;codecs=opus", "audio/mp4", "audio/webm", "audio/ogg;codecs=opus", "audio/aac"];

  function pickType() {
    if (!window.MediaRecorder || !MediaRecorder.isTypeSupported) return "";
    for (var i = 0; i < TYPES.length; i++) if (MediaRecorder.isTypeSupported(TYPES[i])) return TYPES[i];
    return "";
  }
  function extensionOf(type) {
    if (/mp4|aac/.test(type)) return "m4a";
    if (/ogg/.test(type)) return "ogg";
    return "webm";
  }
  function canRecord() {
    return !!(window.MediaRecorder && navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
  }
  function clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    return Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
  }
  function csrfToken(form) {
    var input = form.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function Recorder(root) {
    this.root = root;
    this.form = root.querySelector("form");
    this.messages = root.querySelector("[data-recorder-messages]").dataset;
    this.maxSeconds = parseInt(root.dataset.maxSeconds, 10) || 600;
    this.maxBytes = parseInt(root.dataset.maxBytes, 10) || 25 * 1024 * 1024;
    this.blob = null;
    this.chunks = [];
    this.stream = null;
    this.media = null;
    this.audioContext = null;
    this.xhr = null;
  }

  Recorder.prototype.q = function (selector) { return this.root.querySelector(selector); };
  Recorder.prototype.all = function (selector) { return this.root.querySelectorAll(selector); };

  Recorder.prototype.show = function (step) {
    this.root.dataset.state = step;
    this.all("[data-when]").forEach(function (el) { el.hidden = el.dataset.when !== step; });
  };

  Recorder.prototype.status = function (text, kind) {
    this.all("[data-recorder-status]").forEach(function (el) {
      el.textContent = text || "";
      el.className = "recorder-status" + (kind ? " is-" + kind : "");
    });
  };

  // `about`: {id, title} of the call or meeting the note is about (from its timeline entry), or none.
  Recorder.prototype.open = function (purpose, about) {
    this.reset();
    this.purpose = purpose || "note";
    this.form.querySelector("[name=purpose]").value = this.purpose;
    var interaction = this.q("[data-recorder-interaction]");
    if (interaction) interaction.value = (about && about.id) || "";
    var aboutLine = this.q("[data-recorder-about-line]");
    if (aboutLine) {
      aboutLine.hidden = !(about && about.id);
      this.q("[data-recorder-about-title]").textContent = (about && about.title) || "";
    }
    var self = this;
    this.all("[data-for-purpose]").forEach(function (el) { el.hidden = el.dataset.forPurpose !== self.purpose; });
    this.root.hidden = false;
    this.show(canRecord() ? "record" : "file");
    this.root.scrollIntoView({ block: "nearest", behavior: "smooth" });
    var first = canRecord() ? this.q("[data-recorder-start]") : this.q("[data-recorder-file]");
    if (first) first.focus({ preventScroll: true });
  };

  Recorder.prototype.close = function () {
    this.reset();
    this.root.hidden = true;
  };

  Recorder.prototype.reset = function () {
    if (this.xhr) { this.xhr.abort(); this.xhr = null; }
    this.stopStream();
    if (this.media && this.media.state !== "inactive") {
      this.media.ondataavailable = null;
      this.media.onstop = null;
      this.media.stop();
    }
    this.media = null;
    this.blob = null;
    this.chunks = [];
    clearInterval(this.ticker);
    var preview = this.q("[data-recorder-preview]");
    if (preview.src) { URL.revokeObjectURL(preview.src); preview.removeAttribute("src"); preview.load(); }
    this.q("[data-recorder-timer]").textContent = "0:00";
    this.q("[data-recorder-level]").style.transform = "scaleX(0)";
    this.q("[data-recorder-start]").hidden = false;
    this.q("[data-recorder-stop]").hidden = true;
    this.q("[data-recorder-hint]").textContent = this.q("[data-recorder-hint]").dataset.initial ||
      (this.q("[data-recorder-hint]").dataset.initial = this.q("[data-recorder-hint]").textContent);
    this.all("[data-recorder-progress]").forEach(function (bar) { bar.hidden = true; bar.value = 0; });
    this.q("[data-recorder-save]").hidden = false;
    this.q("[data-recorder-save]").disabled = false;
    this.q("[data-recorder-retry]").hidden = true;
    this.root.classList.remove("is-recording");
    this.status("");
  };

  Recorder.prototype.stopStream = function () {
    if (this.stream) this.stream.getTracks().forEach(function (track) { track.stop(); });
    this.stream = null;
    if (this.audioContext) { this.audioContext.close(); this.audioContext = null; }
    cancelAnimationFrame(this.frame);
  };

  Recorder.prototype.start = function () {
    var self = this;
    // Created inside the tap: iOS only lets audio start from a user gesture.
    var AudioContext = window.AudioContext || window.webkitAudioContext;
    this.audioContext = AudioContext ? new AudioContext() : null;
    navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true } })
      .then(function (stream) { self.record(stream); })
      .catch(function () {
        self.stopStream();
        self.show("file");
        self.status(self.messages.denied, "error");
      });
  };

  Recorder.prototype.record = function (stream) {
    var self = this;
    this.stream = stream;
    var type = pickType();
    try {
      this.media = type ? new MediaRecorder(stream, { mimeType: type }) : new MediaRecorder(stream);
    } catch (error) {
      this.media = new MediaRecorder(stream);
    }
    this.chunks = [];
    this.media.ondataavailable = function (event) { if (event.data && event.data.size) self.chunks.push(event.data); };
    this.media.onstop = function () { self.finish(); };
    this.media.start(1000);
    this.startedAt = Date.now();
    this.takenAt = new Date(this.startedAt).toISOString();
    this.root.classList.add("is-recording");
    this.q("[data-recorder-start]").hidden = true;
    this.q("[data-recorder-stop]").hidden = false;
    this.q("[data-recorder-stop]").focus({ preventScroll: true });
    this.q("[data-recorder-hint]").textContent = this.messages.recording;
    this.ticker = setInterval(function () {
      var seconds = (Date.now() - self.startedAt) / 1000;
      self.q("[data-recorder-timer]").textContent = clock(seconds);
      if (seconds >= self.maxSeconds) { self.stop(); self.status(self.messages.tooLong); }
    }, 250);
    this.meter(stream);
  };

  Recorder.prototype.meter = function (stream) {
    if (!this.audioContext) return;
    var self = this;
    var analyser = this.audioContext.createAnalyser();
    analyser.fftSize = 512;
    this.audioContext.createMediaStreamSource(stream).connect(analyser);
    var samples = new Uint8Array(analyser.fftSize);
    var bar = this.q("[data-recorder-level]");
    function draw() {
      analyser.getByteTimeDomainData(samples);
      var peak = 0;
      for (var i = 0; i < samples.length; i++) peak = Math.max(peak, Math.abs(samples[i] - 128));
      bar.style.transform = "scaleX(" + Math.min(1, peak / 64).toFixed(3) + ")";
      self.frame = requestAnimationFrame(draw);
    }
    if (this.audioContext.state === "suspended") this.audioContext.resume();
    draw();
  };

  Recorder.prototype.stop = function () {
    clearInterval(this.ticker);
    if (this.media && this.media.state !== "inactive") this.media.stop();
    this.stopStream();
  };

  Recorder.prototype.finish = function () {
    this.root.classList.remove("is-recording");
    var type = (this.media && this.media.mimeType) || pickType() || "audio/webm";
    this.blob = new Blob(this.chunks, { type: type });
    this.captureKey = null;  // a new recording, a new key (made when it is kept)
    this.blobName = "recording." + extensionOf(type);
    var preview = this.q("[data-recorder-preview]");
    preview.src = URL.createObjectURL(this.blob);
    this.show("review");
    if (this.blob.size > this.maxBytes) {
      this.status(this.messages.tooBig, "error");
      this.q("[data-recorder-save]").hidden = true;
    } else {
      this.q("[data-recorder-save]").focus({ preventScroll: true });
    }
  };

  // A voice note is first kept in the outbox (IndexedDB), then sent with its progress shown; if the
  // connection fails it stays there and the outbox sends it when the connection returns.
  Recorder.prototype.upload = function (file, name) {
    var outbox = window.ConciergeOutbox;
    if (this.purpose !== "note" || !outbox || !outbox.available) return this.send(file, name, {});
    var self = this;
    var fields = {};
    new FormData(this.form).forEach(function (value, field) {
      if (field !== "audio" && field !== "csrfmiddlewaretoken" && typeof value === "string") fields[field] = value;
    });
    this.q("[data-recorder-save]").disabled = true;
    var key = this.captureKey || outbox.newKey();
    this.captureKey = key;
    file.arrayBuffer().then(function (buffer) {
      outbox.hold(key);
      return outbox.add({
        key: key,
        kind: "voice",
        url: self.root.dataset.uploadUrl,
        fields: fields,
        file: buffer,
        fileType: file.type || "audio/webm",
        fileName: name,
        label: self.root.dataset.clientName || "",
        takenAt: self.takenAt,
      });
    }).then(function (item) {
      if (!navigator.onLine) { outbox.release(key); self.kept(); return; }
      self.send(file, name, item.fields);
    }, function () {
      outbox.release(key);
      self.send(file, name, {});  // the browser would not keep it: send it as before
    });
  };

  // Kept on this phone, to be sent by the outbox: the recorder is free for the next note.
  Recorder.prototype.kept = function () {
    this.blob = null;
    this.fileChosen = null;
    this.captureKey = null;
    window.ConciergeToast && ConciergeToast(this.messages.kept);
    if (this.standalone()) { this.reset(); this.show(canRecord() ? "record" : "file"); }
    else this.close();
    window.ConciergeOutbox.flush();
  };

  Recorder.prototype.standalone = function () { return this.root.hasAttribute("data-recorder-standalone"); };

  Recorder.prototype.send = function (file, name, extra) {
    var self = this;
    var outbox = window.ConciergeOutbox;
    var key = extra.capture_key;
    var data = new FormData(this.form);
    data.delete("audio");
    Object.keys(extra).forEach(function (field) { data.set(field, extra[field]); });
    data.append("audio", file, name);
    var xhr = new XMLHttpRequest();
    this.xhr = xhr;
    var bars = this.all("[data-recorder-progress]");
    bars.forEach(function (bar) { bar.hidden = false; bar.value = 0; });
    this.q("[data-recorder-save]").disabled = true;
    this.q("[data-recorder-retry]").hidden = true;
    this.status(this.messages.uploading);
    xhr.open("POST", this.root.dataset.uploadUrl);
    xhr.setRequestHeader("X-CSRFToken", csrfToken(this.form));
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.upload.onprogress = function (event) {
      if (event.lengthComputable) bars.forEach(function (bar) { bar.value = Math.round(100 * event.loaded / event.total); });
    };
    xhr.onload = function () {
      self.xhr = null;
      if (key) outbox.release(key);
      if (xhr.status >= 200 && xhr.status < 300) {
        self.blob = null;
        self.captureKey = null;
        if (key) outbox.remove(key);
        if (self.standalone()) {
          window.ConciergeToast && ConciergeToast(self.messages.saved);
          self.reset();
          self.show(canRecord() ? "record" : "file");
        } else {
          self.swap(xhr.responseText);
          self.close();
        }
      } else if (xhr.status === 400) {
        // Refused (not a recording, too long…): say why; trying the same file again would not help.
        if (key) outbox.remove(key);
        bars.forEach(function (bar) { bar.hidden = true; });
        self.status(xhr.responseText, "error");
        self.q("[data-recorder-save]").hidden = true;
      } else if (key) {
        self.kept();
      } else {
        self.failed();
      }
    };
    xhr.onerror = xhr.ontimeout = function () {
      self.xhr = null;
      if (key) { outbox.release(key); self.kept(); } else self.failed();
    };
    xhr.send(data);
  };

  Recorder.prototype.failed = function () {
    this.all("[data-recorder-progress]").forEach(function (bar) { bar.hidden = true; });
    this.status(this.messages.failed, "error");
    this.q("[data-recorder-save]").hidden = true;
    this.q("[data-recorder-retry]").hidden = false;
    this.q("[data-recorder-retry]").focus({ preventScroll: true });
  };

  Recorder.prototype.pending = function () {
    return !!this.blob || (this.media && this.media.state === "recording");
  };

  // The answer is the fragment to show (the timeline, or the header for a pronunciation clip):
  // htmx swaps it in place of the element with the same id, with its out-of-band toasts.
  Recorder.prototype.swap = function (html) {
    var holder = document.createElement("template");
    holder.innerHTML = html.trim();
    var fresh = holder.content.firstElementChild;
    var old = fresh && fresh.id && document.getElementById(fresh.id);
    if (!old) { window.location.reload(); return; }
    if (window.htmx && htmx.swap) htmx.swap(old, html, { swapStyle: "outerHTML", swapDelay: 0, settleDelay: 20 });
    else old.replaceWith(fresh);
    // On a phone the timeline is far below: show the note that was just saved.
    var saved = document.querySelector("[data-just-saved]");
    if (saved) saved.scrollIntoView({ block: "center", behavior: "smooth" });
  };

  var recorders = new WeakMap();
  function recorderFor(root) {
    if (!recorders.has(root)) recorders.set(root, new Recorder(root));
    return recorders.get(root);
  }
  function rootOf(element) { return element.closest("[data-recorder]") || document.querySelector("[data-recorder]"); }

  document.addEventListener("click", function (event) {
    var target = event.target.closest(
      "[data-recorder-open],[data-recorder-start],[data-recorder-stop],[data-recorder-save]," +
      "[data-recorder-retry],[data-recorder-again],[data-recorder-cancel],[data-play-audio]"
    );
    if (!target) return;
    if (target.dataset.playAudio) {
      var audio = document.getElementById(target.dataset.playAudio);
      if (audio) { audio.currentTime = 0; audio.play(); }
      return;
    }
    var root = rootOf(target);
    if (!root) return;
    var recorder = recorderFor(root);
    if (target.dataset.recorderOpen !== undefined) {
      var menu = target.closest("details");
      if (menu) menu.open = false;
      recorder.open(target.dataset.recorderOpen, {
        id: target.dataset.recorderInteraction || "",
        title: target.dataset.recorderAbout || "",
      });
    } else if (target.hasAttribute("data-recorder-start")) recorder.start();
    else if (target.hasAttribute("data-recorder-stop")) recorder.stop();
    else if (target.hasAttribute("data-recorder-save") || target.hasAttribute("data-recorder-retry")) {
      if (recorder.blob) recorder.upload(recorder.blob, recorder.blobName);
      else if (recorder.fileChosen) recorder.upload(recorder.fileChosen, recorder.fileChosen.name);
    } else if (target.hasAttribute("data-recorder-again")) {
      recorder.reset();
      recorder.show("record");
      recorder.start();
    } else if (target.hasAttribute("data-recorder-cancel")) recorder.close();
  });

  // The file fallback uploads the same way (with progress); without this script the form posts.
  document.addEventListener("submit", function (event) {
    var root = event.target.closest("[data-recorder]");
    if (!root) return;
    event.preventDefault();
    var recorder = recorderFor(root);
    var input = root.querySelector("[data-recorder-file]");
    var file = input.files && input.files[0];
    if (!file) { input.focus(); return; }
    recorder.fileChosen = file;
    recorder.takenAt = recorder.takenAt || new Date().toISOString();
    recorder.upload(file, file.name);
  });

  document.addEventListener("change", function (event) {
    if (!event.target.matches("[data-recorder-file]")) return;
    var recorder = recorderFor(rootOf(event.target));
    recorder.fileChosen = event.target.files[0] || null;
    recorder.status("");
    if (recorder.fileChosen && recorder.fileChosen.size > recorder.maxBytes) recorder.status(recorder.messages.tooBig, "error");
  });

  // The capture page opens on the recorder.
  function openStandalone() {
    var root = document.querySelector("[data-recorder-standalone]");
    if (root) recorderFor(root).open("note");
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", openStandalone);
  else openStandalone();

  window.addEventListener("beforeunload", function (event) {
    var root = document.querySelector("[data-recorder]");
    if (root && !root.hidden && recorderFor(root).pending()) {
      event.preventDefault();
      event.returnValue = recorderFor(root).messages.leave;
    }
  });
})();
