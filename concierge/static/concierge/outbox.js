// The outbox: what is captured on the phone (a voice note, a quick note) waits here, in IndexedDB,
// until the server has it. Each capture carries a key made when it was taken; the server keeps one
// capture per key, so one sent twice (an answer lost, a reload, two tabs) is stored once.
// Sent at once, again when the connection returns (online event), on every page load, and after a
// failure with a growing delay. The header shows what waits. Wired by data attributes only (CSP).
(function () {
  "use strict";
  var DB_NAME = "concierge-outbox";
  var STORE = "captures";
  var FIRST_DELAY = 2000;
  var MAX_DELAY = 5 * 60 * 1000;
  var dbPromise = null;
  var sending = {};      // keys this page is sending now (its own upload, or a flush)
  var flushing = null;
  var timer = null;
  var failures = 0;
  var stoppedFor = "";   // "signin": the session ended, nothing can be sent until signed in again

  function body() { return document.body || { dataset: {} }; }
  function currentUser() { return body().dataset.user || ""; }
  function text(name) {
    var holder = document.querySelector("[data-outbox-messages]");
    return (holder && holder.dataset[name]) || "";
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function open() {
    if (!window.indexedDB) return Promise.reject(new Error("IndexedDB is not available"));
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "key" }); };
        request.onsuccess = function () {
          var db = request.result;
          // Signing out deletes the database: let it go at once.
          db.onversionchange = function () { db.close(); dbPromise = null; };
          resolve(db);
        };
        request.onerror = function () { dbPromise = null; reject(request.error); };
      });
    }
    return dbPromise;
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var request = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () { resolve(request ? request.result : undefined); };
        transaction.onerror = transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }

  function all() {
    return run("readonly", function (store) { return store.getAll(); })
      .then(function (items) {
        return (items || []).sort(function (a, b) { return a.takenAt < b.takenAt ? -1 : 1; });
      })
      .catch(function () { return []; });
  }
  function mine() {
    var user = currentUser();
    return all().then(function (items) { return items.filter(function (item) { return !user || item.user === user; }); });
  }
  function put(item) { return run("readwrite", function (store) { return store.put(item); }).then(changed); }
  function remove(key) { return run("readwrite", function (store) { return store.delete(key); }).then(changed); }

  function changed() {
    document.dispatchEvent(new CustomEvent("outbox:change"));
    return render();
  }

  // A capture is kept before anything is sent: it survives a closed tab, a reload, a dead battery.
  function add(capture) {
    var item = {
      key: capture.key || newKey(),
      kind: capture.kind,
      url: capture.url,
      fields: capture.fields || {},
      file: capture.file || null,
      fileType: capture.fileType || "",
      fileName: capture.fileName || "",
      label: capture.label || "",
      takenAt: capture.takenAt || new Date().toISOString(),
      user: currentUser(),
      state: "waiting",
      error: "",
    };
    item.fields.capture_key = item.key;
    item.fields.taken_at = item.takenAt;
    return put(item).then(function () { return item; });
  }

  function csrfToken() {
    var input = document.querySelector("[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    try { return JSON.parse(body().getAttribute("hx-headers") || "{}")["x-csrftoken"] || ""; } catch (e) { return ""; }
  }

  function formData(item) {
    var data = new FormData();
    Object.keys(item.fields).forEach(function (name) { data.append(name, item.fields[name]); });
    if (item.file) data.append("audio", new Blob([item.file], { type: item.fileType }), item.fileName);
    return data;
  }

  // Resolves to "sent", "refused" (the server will never take it), "later" (try again) or "signin".
  function send(item) {
    sending[item.key] = true;
    return fetch(item.url, {
      method: "POST",
      body: formData(item),
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest" },
    }).then(function (response) {
      if (response.type === "opaqueredirect") return "signin";
      if (response.ok) {
        response.text().catch(function () {});
        return remove(item.key).then(function () {
          document.dispatchEvent(new CustomEvent("outbox:sent", { detail: { key: item.key, kind: item.kind, status: response.status } }));
          return "sent";
        });
      }
      if (response.status === 400 || response.status === 404 || response.status === 413) {
        return response.text().then(function (answer) {
          var reason = answer;
          try { reason = (JSON.parse(answer).errors || []).join(" "); } catch (e) { /* plain text */ }
          if (response.status === 404) reason = text("gone");
          item.state = "refused";
          item.error = (reason || text("refused")).slice(0, 300);
          return put(item).then(function () { return "refused"; });
        });
      }
      return "later";
    }, function () {
      return "later";
    }).then(function (outcome) {
      delete sending[item.key];
      return outcome;
    });
  }

  function schedule() {
    clearTimeout(timer);
    var delay = Math.min(MAX_DELAY, FIRST_DELAY * Math.pow(2, Math.max(0, failures - 1)));
    delay = delay * (0.75 + Math.random() * 0.5);
    timer = setTimeout(flush, delay);
  }

  function flushNow() {
    return mine().then(function (items) {
      var waiting = items.filter(function (item) { return item.state === "waiting" && !sending[item.key]; });
      var later = false;
      // One at a time, oldest first: a phone on a bad connection sends one recording well, not five badly.
      return waiting.reduce(function (previous, item) {
        return previous.then(function (stop) {
          if (stop) return stop;
          return send(item).then(function (outcome) {
            if (outcome === "later") { later = true; return "stop"; }
            if (outcome === "signin") { stoppedFor = "signin"; return "stop"; }
            return "";
          });
        });
      }, Promise.resolve("")).then(function () {
        if (later) { failures += 1; schedule(); } else { failures = 0; }
        return render();
      });
    });
  }

  // One flush at a time in this page; across tabs, a lock when the browser has one (two tabs
  // sending the same capture would be harmless anyway: the server keeps it once).
  var again = false;
  function flush() {
    if (!currentUser() || stoppedFor === "signin") return Promise.resolve();
    if (flushing) { again = true; return flushing; }
    clearTimeout(timer);
    again = false;
    var work = navigator.locks && navigator.locks.request
      ? navigator.locks.request("concierge-outbox", flushNow)
      : flushNow();
    flushing = Promise.resolve(work).catch(function () {}).then(function () {
      flushing = null;
      // Something was added while this round ran: it gets its own.
      if (again) return flush();
    });
    return flushing;
  }

  // --- The quick note: kept first, then sent ------------------------------------------------------
  function say(form, message) {
    var status = form.querySelector("[data-quick-note-status]");
    if (status) status.textContent = message;
  }
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-quick-note]");
    if (!form || !window.indexedDB) return;  // without IndexedDB the form posts as a plain form
    event.preventDefault();
    var summary = form.querySelector("[name=summary]");
    if (!summary.value.trim()) { summary.focus(); return; }
    var keyInput = form.querySelector("[name=capture_key]");
    add({
      key: (keyInput && keyInput.value) || newKey(),
      kind: "note",
      url: form.action,
      fields: { summary: summary.value },
      label: form.dataset.label || "",
    }).then(function (item) {
      summary.value = "";
      if (keyInput) keyInput.value = newKey();
      say(form, text("sending"));
      return flush().then(all).then(function (items) {
        var left = items.filter(function (other) { return other.key === item.key; })[0];
        if (!left) say(form, text("noteSaved"));
        else if (left.state === "refused") say(form, left.error);
        else say(form, text("kept"));
      });
    }, function () {
      form.submit();  // the browser would not keep it: post it as a plain form
    });
  });

  // --- The header's indicator and its list -------------------------------------------------------
  function when(iso) {
    try {
      return new Date(iso).toLocaleTimeString(document.documentElement.lang || undefined, { hour: "2-digit", minute: "2-digit" });
    } catch (e) { return ""; }
  }

  function row(item) {
    var li = document.createElement("li");
    li.className = "outbox-item" + (item.state === "refused" ? " is-refused" : "");
    var what = document.createElement("span");
    what.className = "outbox-what";
    var title = document.createElement("strong");
    title.textContent = (item.kind === "voice" ? text("voice") : text("note")) + (item.label ? " · " + item.label : "");
    var detail = document.createElement("small");
    detail.textContent = item.state === "refused"
      ? item.error
      : (stoppedFor === "signin" ? text("signin") : text("waiting")) + " · " + when(item.takenAt);
    what.appendChild(title);
    what.appendChild(detail);
    li.appendChild(what);
    if (item.state === "refused") {
      var discard = document.createElement("button");
      discard.type = "button";
      discard.className = "btn btn-sm btn-quiet";
      discard.dataset.outboxDiscard = item.key;
      discard.textContent = text("discard");
      li.appendChild(discard);
    }
    return li;
  }

  function render() {
    var boxes = document.querySelectorAll("[data-outbox]");
    if (!boxes.length) return Promise.resolve();
    return mine().then(function (items) {
      var waiting = items.filter(function (item) { return item.state === "waiting"; }).length;
      boxes.forEach(function (box) {
        box.hidden = items.length === 0;
        box.classList.toggle("has-refused", items.length > waiting);
        box.querySelectorAll("[data-outbox-count]").forEach(function (count) { count.textContent = String(items.length); });
        var words = (items.length === 1 ? text("one") : text("many")).replace("%s", items.length);
        box.querySelectorAll("[data-outbox-label]").forEach(function (label) { label.textContent = words; });
        var list = box.querySelector("[data-outbox-list]");
        if (list) {
          list.textContent = "";
          items.forEach(function (item) { list.appendChild(row(item)); });
        }
      });
      document.querySelectorAll("[data-outbox-empty]").forEach(function (el) { el.hidden = items.length > 0; });
    });
  }

  document.addEventListener("click", function (event) {
    var discard = event.target.closest("[data-outbox-discard]");
    if (discard) { remove(discard.dataset.outboxDiscard); return; }
    if (event.target.closest("[data-outbox-send]")) { failures = 0; stoppedFor = ""; flush(); }
  });

  // Signing out empties the browser (the outbox too): say so when captures still wait.
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-sign-out]");
    if (!form || form.dataset.confirmed) return;
    event.preventDefault();
    mine().then(function (items) {
      if (items.length && !window.confirm(text("signOut").replace("%s", items.length))) return;
      form.dataset.confirmed = "1";
      form.requestSubmit ? form.requestSubmit() : form.submit();
    });
  });

  window.addEventListener("online", function () { failures = 0; flush(); });
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "visible") flush(); });
  function start() { render(); flush(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();

  window.ConciergeOutbox = {
    available: !!window.indexedDB,
    newKey: newKey,
    add: add,
    remove: remove,
    flush: flush,
    list: mine,
    isSending: function (key) { return !!sending[key]; },
    hold: function (key) { sending[key] = true; },
    release: function (key) { delete sending[key]; },
  };
})();
