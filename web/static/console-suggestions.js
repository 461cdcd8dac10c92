// Dispatcher pages: "采用此事项" fills the form in place (the matter, the units the catalog gives
// for it at the case's village, 改派 on a contested case), so a note typed already stays.
// Without this file the button reloads the page with ?pick= and the server fills the same.
(function () {
  "use strict";
  var section = document.getElementById("matter-suggestions");
  if (!section) { return; }
  var status = document.getElementById("pick-status");

  function field(name) { return document.getElementById(name); }

  function adopt(item) {
    var matter = item.getAttribute("data-matter");
    var primary = item.getAttribute("data-primary");
    var supporting = (item.getAttribute("data-supporting") || "").split(",").filter(Boolean);
    var select = field("matter_id");
    if (select) { select.value = matter; }
    var primaryName = section.getAttribute("data-primary-field");
    var supportingName = section.getAttribute("data-supporting-field");
    if (primary && field(primaryName)) { field(primaryName).value = primary; }
    var boxes = document.querySelectorAll('input[name="' + supportingName + '_pick"]');
    Array.prototype.forEach.call(boxes, function (box) {
      box.checked = supporting.indexOf(box.value) >= 0;
    });
    if (supporting.length && boxes.length) {
      var picker = boxes[0].closest("details");
      if (picker) { picker.open = true; }
    }
    if (section.getAttribute("data-reroute")) {
      var reroute = document.querySelector('input[name="ruling"][value="reroute"]');
      if (reroute) { reroute.checked = true; }
    }
    Array.prototype.forEach.call(section.querySelectorAll("li[data-matter]"), function (li) {
      li.classList.toggle("adopted", li === item);
    });
    if (status) {
      var name = item.querySelector(".what b");
      status.hidden = false;
      status.textContent = "已采用：" + (name ? name.textContent : matter) +
        (primary ? "，已按清单填入责任单位，可再调整" : "，清单未给出唯一的责任单位，请选择");
    }
  }

  Array.prototype.forEach.call(section.querySelectorAll("li[data-matter]"), function (item) {
    var form = item.querySelector("form");
    if (!form) { return; }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      adopt(item);
    });
  });
})();
