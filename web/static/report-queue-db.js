// The offline report queue in IndexedDB, shared by the report page (report-offline.js) and
// its service worker (report-sw.js), which both put reports in it. One record a report,
// keyed by its submission token: the token is also the server's idempotency key, so a
// record sent twice is still one report (ADR 0015).
(function (scope) {
  "use strict";
  var DB = "juhaoban-report-offline";
  var STORE = "queue";
  // The server's token rule (web/report/views.py): 16-64 of [A-Za-z0-9_-]; it makes 24.
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var TOKEN = /^[A-Za-z0-9_-]{16,64}$/;
  var SUBMITTED = "/report/submitted/";
  // The server remembers a token 7 days (engine/complaints/idempotency.py KEEP_FOR): a report
  // first sent longer ago than that may be on file already and is not sent blind again.
  var REMEMBERED_MS = 6.5 * 24 * 3600 * 1000;

  function open() {
    return new Promise(function (resolve, reject) {
      var request = scope.indexedDB.open(DB, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "token" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, action) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var request = action(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  // 64 symbols: a random byte's low six bits are uniform over the alphabet.
  function newToken() {
    var bytes = new Uint8Array(24);
    scope.crypto.getRandomValues(bytes);
    var out = "";
    for (var i = 0; i < bytes.length; i++) { out += ALPHABET[bytes[i] & 63]; }
    return out;
  }

  // A report as FormData entries; Files stay Files (IndexedDB keeps Blobs and their names),
  // so the photos go out again byte for byte and the server recognises a repeat.
  function fromFormData(data, who) {
    var fields = [];
    var token = "";
    var description = "";
    var photos = 0;
    data.forEach(function (value, name) {
      if (name === "csrf_token") { return; }  // stale by the time it is sent
      if (name === "submission_token") { token = String(value); }
      if (name === "description") { description = String(value); }
      if (typeof value !== "string" && value.size > 0) { photos += 1; }
      fields.push([name, value]);
    });
    if (!TOKEN.test(token)) {
      token = newToken();
      fields = fields.filter(function (f) { return f[0] !== "submission_token"; });
      fields.push(["submission_token", token]);
    }
    return {
      token: token,
      fields: fields,
      created: Date.now(),
      who: who,
      state: "waiting",
      message: "",
      preview: description.trim().slice(0, 24),
      photos: photos,
    };
  }

  // One queued report to the report form's address, as the form would send it, with the
  // CSRF token of now (the one it was saved with may be stale).
  function send(url, item, csrf) {
    var data = new FormData();
    item.fields.forEach(function (f) {
      if (typeof f[1] === "string") { data.append(f[0], f[1]); } else { data.append(f[0], f[1], f[1].name); }
    });
    data.append("csrf_token", csrf);
    return scope.fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf },
      redirect: "follow",
    });
  }

  // The tracking code when the answer is the report's result page (filed now, or earlier
  // under the same token), else null.
  function filedCode(response) {
    var at = response.url.indexOf(SUBMITTED);
    return at < 0 ? null : decodeURIComponent(response.url.slice(at + SUBMITTED.length).split(/[?#]/)[0]);
  }

  // Whether the server may have forgotten this report's token since its first send.
  function tooOld(item) {
    return Boolean(item.tried) && Date.now() - item.tried > REMEMBERED_MS;
  }

  scope.ReportQueue = {
    SYNC_TAG: "report-queue",
    tooOld: tooOld,
    newToken: newToken,
    fromFormData: fromFormData,
    send: send,
    filedCode: filedCode,
    all: function () {
      return run("readonly", function (store) { return store.getAll(); }).then(function (items) {
        return (items || []).sort(function (a, b) { return a.created - b.created; });
      });
    },
    put: function (item) { return run("readwrite", function (store) { return store.put(item); }); },
    remove: function (token) {
      return run("readwrite", function (store) { return store.delete(token); });
    },
  };
})(self);
