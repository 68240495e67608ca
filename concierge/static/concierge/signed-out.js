// Signed out: empty what the browser kept for this site (the header Clear-Site-Data does the same
// where the browser honours it). Caches, IndexedDB (the outbox), local and session storage, and the
// service worker, which the next sign-in registers again. Run once the page has loaded (the worker
// may still be answering its last requests), and a second time to catch what those wrote.
(function () {
  "use strict";
  function quietly(promise) { return Promise.resolve(promise).catch(function () {}); }

  function unregisterWorkers() {
    if (!navigator.serviceWorker || !navigator.serviceWorker.getRegistrations) return Promise.resolve();
    return quietly(navigator.serviceWorker.getRegistrations().then(function (registrations) {
      return Promise.all(registrations.map(function (registration) { return registration.unregister(); }));
    }));
  }
  function deleteCaches() {
    if (!window.caches) return Promise.resolve();
    return quietly(caches.keys().then(function (keys) {
      return Promise.all(keys.map(function (key) { return caches.delete(key); }));
    }));
  }
  function deleteDatabases() {
    if (!window.indexedDB) return Promise.resolve();
    var names = indexedDB.databases
      ? indexedDB.databases().then(function (dbs) { return dbs.map(function (db) { return db.name; }); })
      : Promise.resolve(["concierge-outbox"]);
    return quietly(names.then(function (list) {
      return Promise.all(list.map(function (name) {
        return new Promise(function (resolve) {
          var request = indexedDB.deleteDatabase(name);
          request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
        });
      }));
    }));
  }
  function clearStorage() {
    try { localStorage.clear(); } catch (e) { /* storage blocked */ }
    try { sessionStorage.clear(); } catch (e) { /* storage blocked */ }
  }
  function pass() {
    clearStorage();
    return unregisterWorkers().then(function () { return Promise.all([deleteCaches(), deleteDatabases()]); });
  }
  function later(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  function cleanup() {
    pass().then(function () { return later(400); }).then(pass).then(function () {
      var status = document.querySelector("[data-cleanup-status]");
      if (status) status.textContent = status.dataset.done;
      document.documentElement.dataset.cleaned = "1";
    });
  }
  if (document.readyState === "complete") cleanup();
  else window.addEventListener("load", cleanup);
})();
