// Service worker of the report page (served as /report/sw.js, scope /report/).
// The page comes from the network whenever there is one (a fresh CSRF and submission token,
// today's catalog) and from this cache when there is none; its scripts and style sheets carry
// their content hash in the URL (?v=), so a cached copy of one is never out of date.
// A report whose sending fails on the network is put in the offline queue (IndexedDB),
// which the page sends when the connection returns.
"use strict";

importScripts("/static/report-queue-db.js");

var CACHE = "report-offline-1";
var PAGE = new URL("new", self.registration.scope).pathname;
var ASSET = /(?:src|href)="(\/static\/[^"?#]+\?v=[0-9a-f]+)"/g;
var WHO = /data-report-who="([^"]*)"/;
var CSRF = /name="csrf_token" value="([^"]+)"/;

function unescapeHtml(text) {
  return text.replace(/&amp;/g, "&").replace(/&quot;/g, "\"").replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">");
}

function assetsOf(html) {
  var urls = [];
  var match;
  ASSET.lastIndex = 0;
  while ((match = ASSET.exec(html)) !== null) {
    var url = unescapeHtml(match[1]);
    if (urls.indexOf(url) < 0) { urls.push(url); }
  }
  return urls;
}

// Keep the page and exactly the asset versions it names; drop versions no page names.
async function store(response) {
  var cache = await caches.open(CACHE);
  var html = await response.clone().text();
  await cache.put(PAGE, response);
  var wanted = assetsOf(html);
  for (var i = 0; i < wanted.length; i++) {
    if (!(await cache.match(wanted[i]))) {
      try {
        var asset = await fetch(wanted[i], { credentials: "same-origin" });
        if (asset.ok) { await cache.put(wanted[i], asset); }
      } catch (err) { /* next time */ }
    }
  }
  var keys = await cache.keys();
  for (var j = 0; j < keys.length; j++) {
    var url = new URL(keys[j].url);
    if (url.pathname !== PAGE && wanted.indexOf(url.pathname + url.search) < 0) {
      await cache.delete(keys[j]);
    }
  }
}

function cacheable(response) {
  return response.status === 200 && response.type === "basic"
    && (response.headers.get("Content-Type") || "").indexOf("text/html") === 0;
}

async function precache() {
  try {
    var response = await fetch(PAGE, { credentials: "same-origin", cache: "no-store" });
    if (cacheable(response)) { await store(response); }
  } catch (err) { /* installed anyway: the next visit with signal fills the cache */ }
}

self.addEventListener("install", function (event) {
  event.waitUntil(precache().then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) {
      return n.indexOf("report-offline-") === 0 && n !== CACHE;
    }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

// The saved page, marked so its script gives the form a new submission token: the saved
// token may already be spent on a report sent from the page it was saved from.
async function savedPage() {
  var saved = await caches.match(PAGE);
  if (!saved) {
    return new Response(
      "<!doctype html><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">"
      + "<p style=\"font-size:20px\">现在没有网络，手机上还没有保存反映页面。有信号时打开一次本页，以后没有信号也能填写。</p>",
      { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
  }
  var html = (await saved.text()).replace(/<html\b/i, "<html data-offline-copy=\"1\"");
  var headers = new Headers(saved.headers);
  headers.delete("Content-Length");
  headers.delete("Content-Encoding");
  return new Response(html, { status: 200, headers: headers });
}

async function pageNetworkFirst(event) {
  try {
    var response = await fetch(event.request);
    var url = new URL(event.request.url);
    if (cacheable(response) && !url.search) { event.waitUntil(store(response.clone())); }
    return response;
  } catch (err) {
    return savedPage();
  }
}

// A report sent by the form itself (not by the page's script, which queues when it knows
// it is offline) whose connection fails: keep it, and show the page with the queue.
async function sendOrQueue(event) {
  var copy = event.request.clone();
  try {
    return await fetch(event.request);
  } catch (err) {
    var data;
    try {
      data = await copy.formData();
    } catch (unreadable) {
      return Response.error();
    }
    // "帮我归类" posts the form to be classified, not filed: nothing to keep.
    if (data.has("classify")) { return savedPage(); }
    var saved = await caches.match(PAGE);
    var who = saved ? WHO.exec(await saved.text()) : null;
    await self.ReportQueue.put(self.ReportQueue.fromFormData(data, who ? unescapeHtml(who[1]) : null));
    return Response.redirect(new URL(PAGE + "?queued=1", self.location.origin).href, 303);
  }
}

async function cacheFirst(request) {
  var hit = await caches.match(request);
  return hit || fetch(request);
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname === PAGE && request.mode === "navigate") {
    if (request.method === "GET") { event.respondWith(pageNetworkFirst(event)); }
    if (request.method === "POST") { event.respondWith(sendOrQueue(event)); }
    return;
  }
  if (request.method === "GET" && url.pathname.indexOf("/static/") === 0 && url.searchParams.has("v")) {
    event.respondWith(cacheFirst(request));
  }
});

// Background Sync: the browser wakes this worker when the phone has signal again, also with
// the page closed. An open report page sends the queue itself and shows how it went.
async function sendQueue() {
  var windows = await self.clients.matchAll({ type: "window" });
  var open = windows.filter(function (c) { return new URL(c.url).pathname === PAGE; });
  if (open.length) {
    open.forEach(function (c) { c.postMessage("report-queue:send"); });
    return;
  }
  var items = (await self.ReportQueue.all()).filter(function (i) { return i.state !== "error"; });
  if (!items.length) { return; }
  var page = await fetch(PAGE, { credentials: "same-origin", cache: "no-store" });
  var html = await page.clone().text();
  if (cacheable(page)) { await store(page); }
  var csrf = CSRF.exec(html);
  var who = WHO.exec(html);
  if (!csrf) { return; }
  var again = false;
  for (var i = 0; i < items.length; i++) {
    var item = items[i];
    // Someone else signed in: their session must not file another person's reports.
    if (item.who !== null && item.who !== undefined && who && unescapeHtml(who[1]) !== item.who) { continue; }
    if (self.ReportQueue.tooOld(item)) { continue; }  // the page asks the person first
    if (!item.tried) {
      item.tried = Date.now();
      await self.ReportQueue.put(item);
    }
    var response = await self.ReportQueue.send(PAGE, item, unescapeHtml(csrf[1]));
    if (self.ReportQueue.filedCode(response)) {
      await self.ReportQueue.remove(item.token);
    } else if (response.status >= 500 || response.status === 429) {
      again = true;
    }  // a refusal stays in the queue: the page says why when it is opened
  }
  if (again) { throw new Error("the server could not take the queue yet: the browser retries later"); }
}

self.addEventListener("sync", function (event) {
  if (event.tag === self.ReportQueue.SYNC_TAG) { event.waitUntil(sendQueue()); }
});
