/* Service worker of the self-inspection checklist (served by /hazards/sw.js, which prepends
   self.HAZARDS_CACHE_VERSION and self.HAZARDS_SHELL). It keeps the fill pages and their static assets so a
   checklist opened online still opens offline; answers and photos live in IndexedDB (fill.js), never here.
   - fill pages (navigations): network first, the cached copy when the network fails;
   - static assets: cache first (the cache name carries the version: a new deploy starts a new cache);
   - everything else (the API, POSTs): not touched. */
"use strict";

var PREFIX = "hazards-offline-";
var CACHE = PREFIX + (self.HAZARDS_CACHE_VERSION || "dev");
var SHELL = self.HAZARDS_SHELL || [];
var FILL_PAGE = /\/hazards\/self-inspections\/[0-9a-f-]{36}\/fill\/$/;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n.indexOf(PREFIX) === 0 && n !== CACHE; })
        .map(function (n) { return caches.delete(n); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function pageKey(url) {
  var u = new URL(url);
  return u.origin + u.pathname;
}

function cacheCopy(key, response) {
  if (!response || !response.ok || response.redirected || response.type !== "basic") { return; }
  var copy = response.clone();
  caches.open(CACHE).then(function (cache) { return cache.put(key, copy); });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "cache" || !Array.isArray(data.urls)) { return; }
  var same = data.urls.filter(function (u) { return new URL(u, self.location.href).origin === self.location.origin; });
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(same.map(function (u) {
      var key = FILL_PAGE.test(new URL(u, self.location.href).pathname) ? pageKey(new URL(u, self.location.href).href) : u;
      return fetch(u, { credentials: "same-origin" }).then(function (r) {
        if (r.ok && !r.redirected) { return cache.put(key, r); }
        return undefined;
      }).catch(function () { return undefined; });
    }));
  }).then(function () {
    if (event.source) { event.source.postMessage({ type: "cached", version: CACHE }); }
  }));
});

self.addEventListener("fetch", function (event) {
  var req = event.request;
  if (req.method !== "GET") { return; }
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) { return; }
  if (req.mode === "navigate" && FILL_PAGE.test(url.pathname)) {
    var key = pageKey(req.url);
    event.respondWith(
      fetch(req).then(function (response) {
        cacheCopy(key, response);
        return response;
      }).catch(function () {
        return caches.match(key).then(function (hit) {
          return hit || new Response("offline", { status: 503, headers: { "Content-Type": "text/plain" } });
        });
      })
    );
    return;
  }
  if (SHELL.indexOf(url.pathname) !== -1 || url.pathname.indexOf("/static/") === 0) {
    event.respondWith(
      caches.match(req, { ignoreSearch: true }).then(function (hit) {
        return hit || fetch(req).then(function (response) {
          cacheCopy(req.url, response);
          return response;
        });
      })
    );
  }
});
