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

// The offline page: back to the page that was asked for as soon as the connection returns.
(function () {
  if (!document.body || !document.body.hasAttribute("data-offline-page")) return;
  window.addEventListener("online", function () { window.location.reload(); });
  document.addEventListener("click", function (event) {
    if (!event.target.closest("[data-reload]")) return;
    event.preventDefault();
    window.location.reload();
  });
})();
