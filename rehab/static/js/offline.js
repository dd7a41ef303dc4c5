// A session logged without a network is kept on the phone (IndexedDB), shown as "saved on this
// phone, will be sent", and sent once the network returns. It is sent with its submission key,
// so however often it is sent (two tabs, a lost answer) the server stores it once; and only
// for the patient whose page kept it (the owner marker), never for whoever logs in next.
(function () {
  "use strict";

  var form = document.querySelector("[data-offline-form]");
  var status = document.querySelector("[data-offline-status]");
  if (!form || !status || !window.indexedDB || !window.fetch || !window.FormData) { return; }
  var owner = form.getAttribute("data-owner");
  var stateUrl = form.getAttribute("data-offline-state");
  var DB_NAME = "rehab-offline";
  var STORE = "sessions";
  var sending = false;

  function words(name) { return status.getAttribute("data-words-" + name) || ""; }

  function database() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, work) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var result = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : undefined); };
        transaction.onerror = function () { db.close(); reject(transaction.error); };
      });
    });
  }

  function mine() {
    return withStore("readonly", function (store) { return store.getAll(); }).then(function (all) {
      return (all || []).filter(function (entry) { return entry.owner === owner; });
    });
  }

  function show(text, kind) {
    status.hidden = !text;
    status.className = "alert alert-" + (kind || "info");
    status.textContent = text || "";
  }

  function newKey() {
    var bytes = new Uint8Array(24);
    window.crypto.getRandomValues(bytes);
    return btoa(String.fromCharCode.apply(null, bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  // --- keeping a session --------------------------------------------------------------------
  form.addEventListener("submit", function (event) {
    if (navigator.onLine !== false || event.defaultPrevented) { return; }
    event.preventDefault();
    var fields = [];
    var data = new FormData(form);
    var button = event.submitter;
    if (button && button.name) { data.set(button.name, button.value); }  // "how hard": 0–10
    data.forEach(function (value, name) { fields.push([name, String(value)]); });
    var key = form.querySelector("[name='submission_key']");
    var entry = { key: key.value, owner: owner, fields: fields, kept: Date.now() };
    withStore("readwrite", function (store) { return store.put(entry); }).then(function () {
      // A second session from this page gets a key of its own.
      key.value = newKey();
      delete form.dataset.submitted;
      var panel = form.querySelector("[data-how-it-went]");
      if (panel) { panel.open = false; }
      show(words("saved"), "info");
      status.scrollIntoView({ block: "center" });
    });
  });

  // --- sending it -----------------------------------------------------------------------------
  function send(entry, state) {
    var body = new FormData();
    entry.fields.forEach(function (pair) {
      body.append(pair[0], pair[0] === "csrf_token" ? state.csrf_token : pair[1]);
    });
    return fetch(form.getAttribute("action") || window.location.pathname, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (answer) { return { status: response.status, answer: answer }; });
    });
  }

  function sendKept() {
    if (sending || navigator.onLine === false) { return Promise.resolve(); }
    sending = true;
    return mine().then(function (kept) {
      var waiting = kept.filter(function (entry) { return !entry.refused; });
      if (!kept.length) { return null; }
      if (!waiting.length) { return showRefused(kept); }
      show(words("sending"), "info");
      return fetch(stateUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) {
          var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
          if (!response.ok || !json) { show(words("login"), "warning"); return null; }
          return response.json().then(function (state) {
            if (state.owner !== owner) { return null; }
            return waiting.reduce(function (chain, entry) {
              return chain.then(function () { return sendOne(entry, state); });
            }, Promise.resolve());
          });
        });
    }).catch(function () {
      return mine().then(function (kept) { if (kept.length) { show(words("saved"), "info"); } });
    }).then(function () { sending = false; }, function () { sending = false; });
  }

  function sendOne(entry, state) {
    return send(entry, state).then(function (result) {
      if (result.status === 200 && result.answer.status === "saved") {
        return withStore("readwrite", function (store) { return store.delete(entry.key); }).then(function () {
          show(words("sent"), "success");
        });
      }
      entry.refused = (result.answer.errors || []).join(" ") || String(result.status);
      return withStore("readwrite", function (store) { return store.put(entry); }).then(function () {
        show(words("refused") + " " + entry.refused, "danger");
      });
    });
  }

  function showRefused(kept) {
    show(words("refused") + " " + kept.map(function (e) { return e.refused; }).join(" "), "danger");
  }

  window.addEventListener("online", sendKept);
  mine().then(function (kept) {
    if (kept.length) { show(words("saved"), "info"); }
    return sendKept();
  });
})();
