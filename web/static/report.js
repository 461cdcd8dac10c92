// Report page helpers. The page works without this file: it narrows the long pickers to
// the chosen township / village / domain, and fills latitude and longitude from the GPS.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Keep a copy of a select's option groups; show only the group(s) of the chosen parent.
  function narrower(select) {
    var groups = Array.prototype.slice.call(select.querySelectorAll("optgroup"));
    return function (parent) {
      var keep = select.value;
      groups.forEach(function (g) { if (g.parentNode) { select.removeChild(g); } });
      var found = false;
      groups.forEach(function (g) {
        if (!parent || g.getAttribute("data-parent") === parent) {
          select.appendChild(g);
          found = true;
        }
      });
      var still = Array.prototype.some.call(select.options, function (o) { return o.value === keep; });
      select.value = still ? keep : "";
      select.dispatchEvent(new Event("change"));
      return found;
    };
  }

  function link(parentId, childId) {
    var parent = document.getElementById(parentId);
    var child = document.getElementById(childId);
    if (!parent || !child) { return null; }
    var narrow = narrower(child);
    parent.addEventListener("change", function () { narrow(parent.value); });
    return narrow;
  }

  var narrowGrids = link("village_id", "grid_id");
  var narrowVillages = link("township_id", "village_id");
  var township = document.getElementById("township_id");
  var village = document.getElementById("village_id");
  if (narrowVillages && township.value) { narrowVillages(township.value); }
  if (narrowGrids) { narrowGrids(village.value); }
  // Choosing a village without a township fills the township in.
  if (village && township) {
    village.addEventListener("change", function () {
      var opt = village.options[village.selectedIndex];
      var group = opt && opt.parentNode.getAttribute("data-parent");
      if (group && township.value !== group) { township.value = group; }
    });
  }

  var domain = document.getElementById("domain");
  var matter = document.getElementById("matter_id");
  if (domain && matter) {
    var narrowMatters = narrower(matter);
    domain.addEventListener("change", function () {
      if (!narrowMatters(domain.value)) { document.getElementById("domain-form").submit(); }
    });
  }

  var locate = document.getElementById("locate");
  if (locate && navigator.geolocation) {
    var status = document.getElementById("locate-status");
    locate.hidden = false;
    locate.addEventListener("click", function () {
      status.textContent = "正在定位…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        document.getElementById("latitude").value = pos.coords.latitude.toFixed(6);
        document.getElementById("longitude").value = pos.coords.longitude.toFixed(6);
        status.textContent = "已获取（精度约 " + Math.round(pos.coords.accuracy) + " 米）";
      }, function () {
        status.textContent = "无法定位，可手动填写或不填";
      }, { enableHighAccuracy: true, timeout: 15000 });
    });
  }
})();
