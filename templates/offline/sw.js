// Rehab's service worker (rehab/core/offline.py says what it keeps and why). Version {{ version }}.
"use strict";

var SHELL = "rehab-shell-{{ version }}";
var PAGES = "rehab-pages";
var SHELL_FILES = {{ shell | tojson }};
var OFFLINE_PAGE = {{ offline_page | tojson }};
var TODAY = {{ today | tojson }};
var LOGOUT = {{ logout | tojson }};
var STATIC = {{ static_prefix | tojson }};
var OWNER_KEY = "/__owner__";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL)
      .then(function (cache) { return cache.addAll(SHELL_FILES.concat([OFFLINE_PAGE])); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("rehab-shell-") === 0 && name !== SHELL;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

// Pages kept for one person are forgotten as soon as anyone else (or nobody) is seen.
function forgetPages() { return caches.delete(PAGES); }

function keptOwner() {
  return caches.open(PAGES).then(function (cache) { return cache.match(OWNER_KEY); })
    .then(function (response) { return response ? response.text() : null; });
}

function remember(request, response) {
  var owner = response.headers.get("X-Rehab-Owner");
  return keptOwner().then(function (kept) {
    var reset = kept !== null && kept !== owner ? forgetPages() : Promise.resolve();
    return reset.then(function () {
      if (!owner || response.headers.get("X-Rehab-Offline") !== "today") { return null; }
      return caches.open(PAGES).then(function (cache) {
        return Promise.all([
          cache.put(TODAY, response),
          cache.put(OWNER_KEY, new Response(owner))
        ]);
      });
    });
  });
}

function navigate(event) {
  var request = event.request;
  return fetch(request).then(function (response) {
    if (response.headers.has("X-Rehab-Owner")) {
      event.waitUntil(remember(request, response.clone()));
    }
    return response;
  }).catch(function () {
    var path = new URL(request.url).pathname;
    return caches.open(PAGES).then(function (cache) {
      return path === TODAY ? cache.match(TODAY) : null;
    }).then(function (kept) {
      return kept || caches.match(OFFLINE_PAGE);
    });
  });
}

function staticFile(request) {
  return caches.match(request).then(function (hit) {
    return hit || fetch(request).then(function (response) {
      // Fingerprinted names never change: keep what was fetched for the next time offline.
      if (response.ok) {
        var copy = response.clone();
        caches.open(SHELL).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    });
  });
}

function picture(request) {
  // Exercise pictures of the kept page: kept with the pages (and forgotten with them).
  return fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(PAGES).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.open(PAGES).then(function (cache) { return cache.match(request); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.method === "POST" && url.pathname === LOGOUT) {
    event.respondWith(forgetPages().then(function () { return fetch(request); }));
    return;
  }
  if (request.method !== "GET") { return; }
  if (request.mode === "navigate") {
    event.respondWith(navigate(event));
  } else if (url.pathname.indexOf(STATIC) === 0) {
    event.respondWith(staticFile(request));
  } else if (/^\/exercises\/\d+\/picture$/.test(url.pathname)) {
    event.respondWith(picture(request));
  }
});
