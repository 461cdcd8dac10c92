/* The matter form of the catalog editor: reorder, add and remove rules, and ask the server's
   validator after each change, placing its messages next to the fields they name.
   Plain script, no build step; the page works (saving, server-side checks) without it. */
(function () {
  "use strict";
  var form = document.getElementById("matter-form");
  if (!form) { return; }
  var rules = document.getElementById("rules");
  var template = document.getElementById("rule-template");
  var status = document.getElementById("check-status");
  var timer = null;
  var sequence = 0;

  /* Names carry the rule's position (rules-0-when …): renumber after every move. */
  function renumber() {
    Array.prototype.forEach.call(rules.querySelectorAll("fieldset.rule"), function (set, n) {
      set.dataset.index = String(n);
      set.querySelector(".rule-number").textContent = String(n + 1);
      Array.prototype.forEach.call(set.querySelectorAll("[name],[id],[for],[data-for]"), function (el) {
        ["name", "id", "for", "data-for"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) { el.setAttribute(attr, value.replace(/rules-(\d+|__N__)-/, "rules-" + n + "-")); }
        });
      });
    });
  }

  function show(errors) {
    Array.prototype.forEach.call(form.querySelectorAll(".field-error"), function (box) {
      var messages = errors[box.dataset.for] || [];
      box.textContent = "";
      messages.forEach(function (text) {
        var line = document.createElement("div");
        line.textContent = text;
        box.appendChild(line);
      });
      var field = form.querySelector("[name='" + box.dataset.for + "']");
      if (field) { field.classList.toggle("invalid", messages.length > 0); }
    });
  }

  function check() {
    var mine = ++sequence;
    status.textContent = "正在校验…";
    fetch(form.dataset.checkUrl, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (result) {
        if (mine !== sequence) { return; }  // an older answer arriving late
        show(result.errors || {});
        var count = Object.keys(result.errors || {}).length;
        status.textContent = result.ok ? "校验通过，可以保存。" : "有 " + count + " 处需要修改（见红字）。";
        status.className = result.ok ? "ok-text" : "field-error";
      })
      .catch(function () { status.textContent = "暂时无法校验，保存时会再次检查。"; });
  }

  /* A multiple select hides most of its choices: say in words what is chosen. */
  function summarise(select) {
    var box = select.parentNode.querySelector(".chosen b");
    if (!box) { return; }
    var names = Array.prototype.map.call(select.selectedOptions, function (o) { return o.textContent.replace(/（.*）/, ""); });
    box.textContent = names.length ? names.join("、") : "无";
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(check, 350);
  }

  rules.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) { return; }
    var set = button.closest("fieldset.rule");
    if (button.hasAttribute("data-remove")) {
      if (rules.querySelectorAll("fieldset.rule").length > 1) { set.remove(); }
    } else if (button.dataset.move === "-1" && set.previousElementSibling) {
      rules.insertBefore(set, set.previousElementSibling);
    } else if (button.dataset.move === "1" && set.nextElementSibling) {
      rules.insertBefore(set.nextElementSibling, set);
    } else {
      return;
    }
    renumber();
    check();
  });

  document.getElementById("add-rule").addEventListener("click", function () {
    rules.appendChild(template.content.cloneNode(true));
    renumber();
    check();
  });

  form.addEventListener("input", later);
  form.addEventListener("change", function (event) {
    if (event.target.multiple) { summarise(event.target); }
    later();
  });
})();
