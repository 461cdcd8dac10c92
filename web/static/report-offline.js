// Offline reporting for grid workers (issue 20, part 4). Registers the report page's service
// worker; when there is no signal, a submitted report goes into the queue on the phone
// (IndexedDB, report-queue-db.js) with its photos, and the queue is sent when the connection
// returns. Each report keeps its submission token, which the server stores with the report
// (ADR 0015): sending it again, after an answer that never arrived, files nothing new.
(function () {
  "use strict";
  var box = document.getElementById("offline-queue");
  var form = document.getElementById("report-form");
  var Queue = window.ReportQueue;
  if (!box || !form || !Queue || !window.indexedDB || !window.crypto) { return; }

  var who = box.getAttribute("data-report-who") || "";
  var pageUrl = box.getAttribute("data-page");
  var list = document.getElementById("offline-list");
  var sentList = document.getElementById("offline-sent");
  var count = document.getElementById("offline-count");
  var status = document.getElementById("offline-status");
  var sendButton = document.getElementById("offline-send");
  var RETRY_MS = 60000;
  var draining = false;

  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register(box.getAttribute("data-sw"), {
      scope: box.getAttribute("data-scope"),
    }).catch(function () { /* the queue works without it; only the page needs signal */ });
  }
  // Background Sync (where the browser has it) sends the queue when the signal returns,
  // even if this page has been closed by then.
  function askForSync() {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.ready.then(function (registration) {
      return registration.sync && registration.sync.register(Queue.SYNC_TAG);
    }).catch(function () { /* the page sends it when it is open */ });
  }
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data === "report-queue:send") { drain(false); }
    });
  }
  var manifest = document.getElementById("report-manifest");
  if (manifest) { document.head.appendChild(manifest); }

  // Above the form, where a person who just saved a report sees it.
  form.parentNode.insertBefore(box, form);
  box.hidden = false;

  function tokenField() { return form.querySelector("input[name=submission_token]"); }
  function csrfField() { return form.querySelector("input[name=csrf_token]"); }
  function say(text) {
    status.textContent = text;
    box.classList.remove("empty");
  }

  var note = null;
  if (document.documentElement.hasAttribute("data-offline-copy")) {
    // A saved copy of the page: its token may already belong to a report sent from it.
    if (tokenField()) { tokenField().value = Queue.newToken(); }
    note = document.createElement("div");
    note.className = "offline-copy-note";
    note.setAttribute("role", "status");
    note.textContent = "现在没有网络，这是手机上保存的页面：照常填写、点“提交”，反映会先存在手机上。";
    box.parentNode.insertBefore(note, box);
  }
  if (/[?&]queued=1/.test(location.search)) {
    say("刚才网络断了，这条反映已存在手机上，有信号后自动发送。");
    // Said once: a reload later must not say it again.
    history.replaceState(null, "", location.pathname);
  }

  function two(n) { return (n < 10 ? "0" : "") + n; }
  function when(ms) {
    var d = new Date(ms);
    return (d.getMonth() + 1) + "月" + d.getDate() + "日 " + two(d.getHours()) + ":" + two(d.getMinutes());
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  var STATES = { waiting: "待发送", sending: "正在发送…", error: "未受理" };

  function firstWords(preview) {
    if (!preview) { return "（没有填写描述）"; }
    return preview.length >= 24 ? preview + "…" : preview;
  }

  function itemRow(item) {
    var li = el("li");
    li.setAttribute("data-token", item.token);
    li.appendChild(el("span", "words", firstWords(item.preview)));
    li.appendChild(el("span", "meta", "存于 " + when(item.created) + (item.photos ? " · " + item.photos + " 张照片" : "")));
    li.appendChild(el("span", "state " + item.state, STATES[item.state] || item.state));
    if (item.message) { li.appendChild(el("span", "problem", item.message)); }
    if (item.state === "error") {
      var actions = el("div", "actions");
      var edit = el("button", "secondary", "放回表单修改");
      edit.type = "button";
      edit.addEventListener("click", function () { restore(item); });
      var drop = el("button", "secondary", "删除这条");
      drop.type = "button";
      drop.addEventListener("click", function () {
        if (window.confirm("删除后这条反映不会再发送，确定删除吗？")) {
          Queue.remove(item.token).then(render);
        }
      });
      actions.appendChild(edit);
      actions.appendChild(drop);
      li.appendChild(actions);
    }
    return li;
  }

  function render() {
    return Queue.all().then(function (items) {
      list.textContent = "";
      items.forEach(function (item) { list.appendChild(itemRow(item)); });
      var waiting = items.filter(function (i) { return i.state !== "error"; }).length;
      count.textContent = String(items.length);
      sendButton.hidden = waiting === 0;
      box.classList.toggle("empty", items.length === 0 && !sentList.children.length && !status.textContent);
      box.classList.toggle("all-sent", items.length === 0 && sentList.children.length > 0);
      return items;
    });
  }

  function sent(code, href, preview) {
    var li = el("li", "", "已发送：" + firstWords(preview) + " · 编号 ");
    var link = el("a", "", code);
    link.href = href;
    li.appendChild(link);
    sentList.appendChild(li);
  }

  // A refused report back into the form, photos included, to be fixed and sent again, as a
  // new report with a new token (a 409 means its token stands for another report).
  function restore(item) {
    var files = {};
    item.fields.forEach(function (f) {
      var name = f[0];
      var value = f[1];
      if (typeof value !== "string") {
        if (value.size > 0) { (files[name] = files[name] || []).push(value); }
        return;
      }
      var fields = form.querySelectorAll("[name=\"" + name.replace(/"/g, "") + "\"]");
      Array.prototype.forEach.call(fields, function (field) {
        if (field.type === "checkbox" || field.type === "radio") {
          field.checked = field.value === value;
        } else if (field.type !== "file") {
          field.value = value;
        }
        field.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });
    Object.keys(files).forEach(function (name) {
      var input = form.querySelector("input[type=file][name=\"" + name.replace(/"/g, "") + "\"]");
      if (!input || typeof DataTransfer === "undefined") { return; }
      var transfer = new DataTransfer();
      files[name].forEach(function (file) { transfer.items.add(file); });
      input.files = transfer.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
    if (tokenField()) { tokenField().value = Queue.newToken(); }
    Queue.remove(item.token).then(render).then(function () {
      say("已放回下面的表单：按红字提示改好后点“提交”。");
      form.scrollIntoView();
    });
  }

  function queueForm() {
    var description = form.querySelector("[name=description]");
    if (description && !description.value.trim()) {
      say("请先写上问题描述，再点“提交”。");
      description.focus();
      return;
    }
    var item = Queue.fromFormData(new FormData(form), who);
    Queue.put(item).then(function () {
      form.reset();
      // The page's own scripts (photo thumbnails, pickers, suggestions) follow the fields'
      // events, which reset() does not fire.
      Array.prototype.forEach.call(form.querySelectorAll("select, textarea, input[type=file], input[type=text]"), function (field) {
        field.dispatchEvent(new Event(field.tagName === "TEXTAREA" ? "input" : "change", { bubbles: true }));
      });
      // The next report is a different one: it needs its own token.
      if (tokenField()) { tokenField().value = Queue.newToken(); }
      form.dispatchEvent(new Event("report-queued", { bubbles: true }));
      say("没有信号，已存在手机上（" + when(item.created) + "）。有信号后自动发送，可以接着填下一条。");
      askForSync();
      return render();
    }).then(function () {
      box.scrollIntoView({ block: "start" });
    }).catch(function () {
      say("手机存储空间不足，没能存下这条反映。请少选几张照片后再试。");
    });
  }

  form.addEventListener("submit", function (event) {
    if (event.defaultPrevented || navigator.onLine) { return; }  // online: the form posts itself
    event.preventDefault();
    if (event.submitter && event.submitter.name) {  // "帮我归类" and the like ask the server
      say("现在没有信号，这一步要等有信号才能用。可以直接在下面选类别，或选“不确定，由调度中心判定”。");
      return;
    }
    queueForm();
  });

  function textOf(html, selector) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    return Array.prototype.map.call(doc.querySelectorAll(selector), function (n) {
      return n.textContent.trim();
    }).filter(Boolean);
  }

  // The page's CSRF token and who the server thinks is signed in, fetched anew.
  function freshPage() {
    return fetch(pageUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var csrf = doc.querySelector("#report-form input[name=csrf_token]");
        var queue = doc.getElementById("offline-queue");
        return {
          csrf: csrf ? csrf.value : "",
          who: queue ? queue.getAttribute("data-report-who") || "" : null,
        };
      });
  }

  function isCsrfRefusal(response, html) {
    return response.status === 400 && html.indexOf("CSRF") >= 0 && !/field-error/.test(html);
  }

  // One report: "sent" (the submitted page came back), "kept" (try again later) or "refused".
  async function sendOne(item, page) {
    if (item.who !== null && item.who !== undefined && item.who !== page.who) {
      item.message = item.who
        ? "这条是用账号“" + item.who + "”存的：请用该账号登录后点“立即发送”。"
        : "这条是未登录时存的：请退出登录后再发送。";
      return "kept";
    }
    if (Queue.tooOld(item)) {
      item.message = "这条一周前发出过，但没有收到回音，可能已经受理：请先在“我的诉求”里查一下，没有再放回表单重新提交。";
      return "refused";
    }
    var response;
    var html;
    for (var attempt = 0; attempt < 2; attempt++) {
      try {
        response = await Queue.send(form.getAttribute("action"), item, page.csrf);
        item.code = Queue.filedCode(response);
        if (item.code) {
          item.href = response.url;
          return "sent";
        }
        html = await response.text();
      } catch (err) {
        item.message = "网络不通，有信号后自动发送。";
        return "kept";
      }
      if (attempt === 0 && isCsrfRefusal(response, html)) {
        // A page saved long ago carries a token the session no longer has: ask for a new one.
        try {
          var fresh = await freshPage();
        } catch (err) {
          item.message = "网络不通，有信号后自动发送。";
          return "kept";
        }
        page.csrf = fresh.csrf;
        if (csrfField()) { csrfField().value = fresh.csrf; }
        if (fresh.who !== null && fresh.who !== page.who) {
          page.who = fresh.who;
          return sendOne(item, page);
        }
        continue;
      }
      break;
    }
    // A page that is not the submitted one (200: the form shown again) filed nothing either.
    if ([200, 400, 409, 413, 422].indexOf(response.status) >= 0) {
      var problems = textOf(html, ".field-error");
      if (!problems.length) { problems = textOf(html, ".error, main p"); }
      item.message = problems.slice(0, 4).join("；") || "服务器没有受理（" + response.status + "）。";
      return "refused";
    }
    if (response.status === 401 || response.status === 403) {
      item.message = "需要重新登录后才能发送，请登录后点“立即发送”。";
      return "kept";
    }
    item.message = "服务器暂时无法受理（" + response.status + "），稍后自动重试。";
    return "kept";
  }

  async function drain(byHand) {
    if (draining) { return; }
    if (!navigator.onLine) {
      if (byHand) { say("现在还没有信号，有信号后会自动发送。"); }
      return;
    }
    draining = true;
    try {
      var items = (await Queue.all()).filter(function (i) { return i.state !== "error"; });
      if (!items.length) { return; }
      var page = { csrf: csrfField() ? csrfField().value : "", who: who };
      var done = 0;
      for (var i = 0; i < items.length; i++) {
        var item = items[i];
        item.state = "sending";
        item.message = "";
        item.tried = item.tried || Date.now();
        await Queue.put(item);
        await render();
        var outcome = await sendOne(item, page);
        if (outcome === "sent") {
          await Queue.remove(item.token);
          sent(item.code, item.href, item.preview);
          done += 1;
        } else {
          item.state = outcome === "refused" ? "error" : "waiting";
          await Queue.put(item);
        }
      }
      if (done) { say("已发送 " + done + " 条。"); }
      if (done < items.length) { askForSync(); }
    } catch (err) {
      say("发送时出了问题，稍后自动重试。");
    } finally {
      draining = false;
      await render();
    }
  }

  // A report found "sending" was interrupted (the page closed mid-send): it is simply sent
  // again, which the token makes safe.
  Queue.all().then(function (items) {
    return Promise.all(items.filter(function (i) { return i.state === "sending"; }).map(function (i) {
      i.state = "waiting";
      return Queue.put(i);
    }));
  }).then(render).then(function (items) {
    if (items.some(function (i) { return i.state === "waiting"; })) { askForSync(); }
    return drain(false);
  });

  sendButton.addEventListener("click", function () { drain(true); });
  window.addEventListener("online", function () {
    if (note) { note.remove(); note = null; }
    drain(false);
  });
  window.addEventListener("offline", function () { say("信号断了：现在提交的反映会先存在手机上。"); });
  window.setInterval(function () { if (navigator.onLine) { drain(false); } }, RETRY_MS);
})();
