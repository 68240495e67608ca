// Toasts leave by themselves; a close button dismisses one at once.
(function () {
  function dismiss(toast) {
    toast.classList.add("is-leaving");
    setTimeout(function () { toast.remove(); }, 300);
  }
  function arm(root) {
    root.querySelectorAll(".toast:not([data-armed])").forEach(function (toast) {
      toast.dataset.armed = "1";
      setTimeout(function () { dismiss(toast); }, toast.classList.contains("toast-error") ? 9000 : 5000);
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-dismiss]");
    if (button) dismiss(button.closest(".toast"));
  });
  document.addEventListener("DOMContentLoaded", function () { arm(document); });
  document.addEventListener("htmx:afterSettle", function () { arm(document); });
})();

// Logging an interaction takes two taps: the channel, then Save.
document.addEventListener("click", function (event) {
  var chip = event.target.closest("[data-log-channel]");
  var cancel = event.target.closest("[data-log-cancel]");
  if (!chip && !cancel) return;
  var section = event.target.closest("section");
  var form = section && section.querySelector(".log-form");
  if (!form) return;
  section.querySelectorAll("[data-log-channel]").forEach(function (c) { c.classList.toggle("is-on", c === chip); });
  if (cancel) { form.hidden = true; return; }
  form.querySelector("[name=channel]").value = chip.dataset.logChannel;
  form.querySelector("[data-log-label]").textContent = chip.textContent.trim().toLowerCase();
  form.hidden = false;
  form.querySelector("[data-log-save]").focus({ preventScroll: true });
});

// Copy a vendor brief to the clipboard.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) return;
  var source = document.querySelector(button.dataset.copy);
  if (!source) return;
  source.select();
  (navigator.clipboard ? navigator.clipboard.writeText(source.value) : Promise.reject()).catch(function () {
    document.execCommand("copy");
  });
  button.classList.add("is-on");
});

// requests board: a move re-renders the board; keep the column in view, and let a card be dropped
// on a column it may move to (that clicks the card's own button, so htmx and its confirm apply).
(function () {
  var keepLeft = null;
  var dragged = null;
  function scroller() { return document.querySelector("#board .board-scroll"); }
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "board" && scroller()) keepLeft = scroller().scrollLeft;
  });
  document.addEventListener("htmx:afterSwap", function () {
    if (keepLeft !== null && scroller()) scroller().scrollLeft = keepLeft;
    keepLeft = null;
  });
  function button(card, status) { return card.querySelector('[data-to="' + status + '"]'); }
  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".board-card[draggable]");
    if (!card) return;
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    card.classList.add("is-dragging");
    document.querySelectorAll("#board .board-col").forEach(function (col) {
      col.classList.toggle("is-drop-ok", !!button(card, col.dataset.status));
    });
  });
  document.addEventListener("dragover", function (event) {
    var col = dragged && event.target.closest && event.target.closest(".board-col.is-drop-ok");
    if (col) event.preventDefault();
  });
  document.addEventListener("drop", function (event) {
    var col = dragged && event.target.closest && event.target.closest(".board-col.is-drop-ok");
    if (!col) return;
    event.preventDefault();
    button(dragged, col.dataset.status).click();
  });
  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("is-dragging");
    dragged = null;
    document.querySelectorAll("#board .is-drop-ok").forEach(function (col) { col.classList.remove("is-drop-ok"); });
  });
})();

// Bulk assignment: "select all on this page" ticks the clients listed; the count shows on the button.
document.addEventListener("change", function (event) {
  var form = event.target.closest("#bulk-assign");
  if (!form) return;
  var all = event.target.closest("[data-select-all]");
  var picks = form.querySelectorAll("input[name=clients]");
  if (all) picks.forEach(function (box) { box.checked = all.checked; });
  var ticked = form.querySelectorAll("input[name=clients]:checked").length;
  form.classList.toggle("has-picks", ticked > 0);
  var master = form.querySelector("[data-select-all]");
  if (master && !all) master.checked = ticked === picks.length;
});
// Toasts never cover the red banner of allergies and "never": they go to the other edge.
(function () {
  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }
  function place() {
    var toasts = document.getElementById("toasts");
    var banner = document.querySelector(".constraints");
    if (!toasts) return;
    if (!banner || !toasts.querySelector(".toast")) { toasts.classList.remove("is-top"); return; }
    var bannerBox = banner.getBoundingClientRect();
    toasts.classList.remove("is-top");
    if (!overlaps(toasts.getBoundingClientRect(), bannerBox)) return;
    toasts.classList.add("is-top");
    if (overlaps(toasts.getBoundingClientRect(), bannerBox)) toasts.classList.remove("is-top");
  }
  var pending = false;
  function soon() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; place(); });
  }
  document.addEventListener("DOMContentLoaded", place);
  document.addEventListener("htmx:afterSettle", place);
  window.addEventListener("scroll", soon, { passive: true });
  window.addEventListener("resize", soon);
})();

// Menus and popovers stay on screen whatever the words' length (French is longer): an open one is
// shifted sideways to fit the width, given a maximum height, and scrolled into view.
(function () {
  var MARGIN = 8;
  function fit(popover) {
    var width = document.documentElement.clientWidth;
    var height = window.innerHeight;
    popover.style.translate = "";
    popover.style.maxWidth = (width - 2 * MARGIN) + "px";
    popover.style.maxHeight = (height - 2 * MARGIN) + "px";
    var box = popover.getBoundingClientRect();
    var shift = 0;
    if (box.right > width - MARGIN) shift = width - MARGIN - box.right;
    if (box.left + shift < MARGIN) shift = MARGIN - box.left;
    if (shift) popover.style.translate = Math.round(shift) + "px 0";
    box = popover.getBoundingClientRect();
    if (box.bottom > height - MARGIN || box.top < MARGIN) {
      popover.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
  }
  function fitOpen(root) {
    (root || document).querySelectorAll("details[open] > .popover").forEach(fit);
  }
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!details.open || !details.querySelector) return;
    var popover = details.querySelector(":scope > .popover");
    if (popover) fit(popover);
  }, true);
  document.addEventListener("htmx:afterSettle", function () { fitOpen(); });
  window.addEventListener("resize", function () { fitOpen(); });
})();

// A toast from a script (the outbox, the recorder): the same markup as the server's.
window.ConciergeToast = function (message, kind) {
  var holder = document.getElementById("toasts");
  if (!holder || !message) return;
  var toast = document.createElement("div");
  toast.className = "toast toast-" + (kind || "info");
  toast.setAttribute("role", "status");
  var text = document.createElement("span");
  text.className = "toast-text";
  text.textContent = message;
  var close = document.createElement("button");
  close.type = "button";
  close.className = "toast-close";
  close.setAttribute("aria-label", holder.dataset.dismissLabel || "Dismiss");
  close.dataset.dismiss = "";
  close.textContent = "×";
  toast.appendChild(text);
  toast.appendChild(close);
  holder.appendChild(toast);
  document.dispatchEvent(new CustomEvent("htmx:afterSettle"));
};

// Without a connection, an htmx action says so instead of doing nothing.
document.addEventListener("htmx:sendError", function () {
  var holder = document.getElementById("toasts");
  window.ConciergeToast(holder && holder.dataset.offline, "error");
});

// The installable app: a service worker for signed-in pages (the shell and the offline page only).
(function () {
  var url = document.body && document.body.dataset.serviceWorker;
  if (!url || !("serviceWorker" in navigator)) return;
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(url, { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      if (registration.active) registration.active.postMessage({ type: "page-language", lang: document.documentElement.lang });
    }).catch(function () {});
  });
})();

// The offline page: back to the page that was asked for as soon as the server answers again. The
// browser's "online" event is only a hint: it fires when a network comes up, which may not reach us
// yet (a hotel's sign-in portal, a link still settling), and a reload then would show this page
// again with no further event to come. So the page asks the server itself, on that hint and then
// at growing intervals, and reloads only once it answers.
(function () {
  if (!document.body || !document.body.hasAttribute("data-offline-page")) return;
  // Opened at its own address (the worker fetching it, a test): there is nothing to go back to.
  if (window.location.pathname === document.body.dataset.offlinePage) return;
  var delay = 2000;
  var timer = null;
  function probe() {
    clearTimeout(timer);
    if (!navigator.onLine) return;  // the "online" event starts probing again
    // HEAD goes around the service worker (it answers GETs only), so this is the network's answer.
    fetch(window.location.href, { method: "HEAD", cache: "no-store", credentials: "same-origin" }).then(
      function (response) {
        if (response.status < 500) { window.location.reload(); return; }
        retry();
      },
      retry
    );
  }
  function retry() {
    timer = setTimeout(probe, delay);
    delay = Math.min(delay * 2, 30000);
  }
  window.addEventListener("online", function () { delay = 2000; probe(); });
  timer = setTimeout(probe, delay);
  document.addEventListener("click", function (event) {
    if (!event.target.closest("[data-reload]")) return;
    event.preventDefault();
    window.location.reload();
  });
})();
