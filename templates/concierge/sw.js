// Concierge's service worker. It keeps the shell (styles, scripts, icons) and the offline page, and
// never a page with client data: navigations always go to the network; without one, the offline page.
// Shell version {{ version }} (changes with any static file, so a new worker replaces the old cache).
"use strict";
var VERSION = "{{ version }}";
var SHELL = "concierge-shell-" + VERSION;
var PRECACHE = {{ precache|safe }};
var OFFLINE_URL = {{ offline_url|safe }};
var STATIC_PREFIX = {{ static_prefix|safe }};

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL)
      .then(function (cache) {
        return cache.addAll(PRECACHE.map(function (url) { return new Request(url, { cache: "reload" }); }));
      })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (keys) {
        return Promise.all(keys.filter(function (key) {
          return key.indexOf("concierge-") === 0 && key !== SHELL;
        }).map(function (key) { return caches.delete(key); }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

function offlinePage() {
  return caches.match(OFFLINE_URL, { cacheName: SHELL }).then(function (page) {
    return page || new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain" } });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // Never from a cache: a page holds client data. Only the offline page when there is no network.
    event.respondWith(fetch(request).catch(offlinePage));
    return;
  }
  if (url.pathname.indexOf(STATIC_PREFIX) === 0) {
    event.respondWith(
      caches.has(SHELL).then(function (kept) {
        // Emptied (signing out): never made again by this worker, which is on its way out.
        if (!kept) return fetch(request);
        return caches.open(SHELL).then(function (cache) {
        return cache.match(request, { ignoreVary: true }).then(function (hit) {
          return hit || fetch(request).then(function (response) {
            if (response.ok && response.type === "basic") cache.put(request, response.clone());
            return response;
          });
        });
        });
      })
    );
  }
  // Anything else (fragments, files, the bell) goes to the network as if there were no worker.
});

// A page tells its language: the offline page is fetched again if it was kept in another one.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "page-language" || !data.lang) return;
  event.waitUntil(caches.open(SHELL).then(function (cache) {
    return cache.match(OFFLINE_URL).then(function (page) {
      if (page && page.headers.get("Content-Language") === data.lang) return;
      return fetch(OFFLINE_URL, { cache: "reload" }).then(function (fresh) {
        if (fresh.ok) return cache.put(OFFLINE_URL, fresh);
      }).catch(function () {});
    });
  }));
});
