// Signed out: empty what the browser kept for this site (the header Clear-Site-Data does the same
// where the browser honours it). Caches, IndexedDB (the outbox), local and session storage, and the
// service worker, which the next sign-in registers again.
(function () {
  "use strict";
  function quietly(promise) { return Promise.resolve(promise).catch(function () {}); }
  var work = [];
  try { localStorage.clear(); } catch (e) { /* storage blocked */ }
  try { sessionStorage.clear(); } catch (e) { /* storage blocked */ }
  if (window.caches) {
    work.push(quietly(caches.keys().then(function (keys) {
      return Promise.all(keys.map(function (key) { return caches.delete(key); }));
    })));
  }
  if (window.indexedDB) {
    var names = indexedDB.databases
      ? indexedDB.databases().then(function (dbs) { return dbs.map(function (db) { return db.name; }); })
      : Promise.resolve(["concierge-outbox"]);
    work.push(quietly(names.then(function (list) {
      return Promise.all(list.map(function (name) {
        return new Promise(function (resolve) {
          var request = indexedDB.deleteDatabase(name);
          request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
        });
      }));
    })));
  }
  if (navigator.serviceWorker && navigator.serviceWorker.getRegistrations) {
    work.push(quietly(navigator.serviceWorker.getRegistrations().then(function (registrations) {
      return Promise.all(registrations.map(function (registration) { return registration.unregister(); }));
    })));
  }
  Promise.all(work).then(function () {
    var status = document.querySelector("[data-cleanup-status]");
    if (status) status.textContent = status.dataset.done;
    document.documentElement.dataset.cleaned = "1";
  });
})();
