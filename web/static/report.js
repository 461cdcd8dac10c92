// Report page helpers. The page works without this file (suggestions come with the "帮我归类"
// button, the place from the dropdowns); with it, the suggested matters appear as the person
// types, a tap on the county map or the GPS picks the nearest village, chosen photos show as
// thumbnails, and the 大字 button enlarges everything. It never sends the form itself: the
// offline queue listens to the form's submit event.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");

  function byId(id) { return document.getElementById(id); }

  // ---- 大字: remembered on this phone (report-text-size.js applies it before drawing) ----
  var LARGE = "juhaoban.largeText";
  var largeButton = byId("large-text");
  function showLarge() {
    var on = root.classList.contains("large-text");
    if (largeButton) {
      largeButton.setAttribute("aria-pressed", on ? "true" : "false");
      largeButton.textContent = on ? "正常字号" : "大字";
    }
  }
  if (largeButton) {
    largeButton.addEventListener("click", function () {
      var on = root.classList.toggle("large-text");
      try { window.localStorage.setItem(LARGE, on ? "1" : "0"); } catch (e) { /* not kept */ }
      showLarge();
    });
    showLarge();
  }

  // ---- Long pickers narrowed to the chosen township / village / domain ----
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
    var parent = byId(parentId);
    var child = byId(childId);
    if (!parent || !child) { return null; }
    var narrow = narrower(child);
    parent.addEventListener("change", function () { narrow(parent.value); });
    return narrow;
  }

  var narrowGrids = link("village_id", "grid_id");
  var narrowVillages = link("township_id", "village_id");
  var township = byId("township_id");
  var village = byId("village_id");
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

  // ---- The matter: suggestion buttons and the full list are one choice ----
  var matter = byId("matter_id");
  var domain = byId("domain");
  var more = byId("matter-more");
  if (domain && matter) {
    var narrowMatters = narrower(matter);
    domain.addEventListener("change", function () {
      if (!narrowMatters(domain.value)) { byId("domain-form").submit(); }
    });
  }

  function radios() {
    return Array.prototype.slice.call(document.querySelectorAll("input[type=radio][name=matter_id]"));
  }

  function showChosen() {
    if (!matter) { return; }
    radios().forEach(function (r) {
      r.checked = !!matter.value && r.value === matter.value;
    });
  }

  // Picking a suggestion fills the list's field too, so the form says one thing twice at most.
  function choose(value) {
    if (!matter) { return; }
    var present = Array.prototype.some.call(matter.options, function (o) { return o.value === value; });
    if (!present && domain) {  // its domain was filtered out: show all domains again
      domain.value = "";
      domain.dispatchEvent(new Event("change"));
    }
    matter.value = value;
    showChosen();
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.name === "matter_id" && target.type === "radio" && target.checked) {
      choose(target.value);
    }
  });
  if (matter) {
    matter.addEventListener("change", showChosen);
    var checked = radios().filter(function (r) { return r.checked; })[0];
    if (checked && !matter.value) { choose(checked.value); } else { showChosen(); }
  }
  // A keyword hit picks the matter in place instead of reloading the page.
  document.addEventListener("click", function (event) {
    var hit = event.target.closest("a.hit[data-matter]");
    if (!hit) { return; }
    event.preventDefault();
    choose(hit.getAttribute("data-matter"));
    Array.prototype.forEach.call(document.querySelectorAll("a.hit"), function (a) {
      a.classList.toggle("chosen", a === hit);
    });
  });

  var box = byId("suggestions");
  var description = byId("description");
  var status = byId("suggest-status");
  var SEND = 500;  // characters sent: the start of a text says what it is about; URLs stay short
  var asked = "";
  var sequence = 0;
  var timer = null;

  function suggestion(s) {
    var label = document.createElement("label");
    label.className = "suggestion";
    var input = document.createElement("input");
    input.type = "radio";
    input.name = "matter_id";
    input.value = s.matter_id;
    var name = document.createElement("span");
    name.className = "s-name";
    name.textContent = s.name;
    var dom = document.createElement("span");
    dom.className = "s-domain";
    dom.textContent = s.domain;
    label.appendChild(input);
    label.appendChild(name);
    label.appendChild(document.createTextNode(" "));
    label.appendChild(dom);
    if (s.words && s.words.length) {
      var why = document.createElement("span");
      why.className = "s-why";
      why.textContent = "因为提到：" + s.words.join("、");
      label.appendChild(why);
    }
    return label;
  }

  function ask() {
    var text = description.value.trim().slice(0, SEND);
    if (text === asked) { return; }
    asked = text;
    var mine = ++sequence;
    if (text.length < 2) {
      box.textContent = "";
      status.textContent = "写下问题后，这里会推荐最可能的类别。";
      return;
    }
    status.textContent = "正在推荐…";
    fetch(box.getAttribute("data-url") + "?text=" + encodeURIComponent(text), {
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      if (response.status === 429) { return { suggestions: [], throttled: true }; }
      return response.ok ? response.json() : { suggestions: [] };
    }).then(function (data) {
      if (mine !== sequence) { return; }  // a newer text was asked meanwhile
      if (data.pending) {  // the server is still preparing its model (just started): ask again
        status.textContent = "正在准备推荐，请稍候…";
        asked = "";
        window.clearTimeout(timer);
        timer = window.setTimeout(ask, 1500);
        return;
      }
      if (data.throttled) {  // too many questions from this address: the buttons stay as they are
        asked = "";
        status.textContent = "推荐暂停片刻，稍后继续输入即可，也可以点下面的“都不是”自己选。";
        return;
      }
      box.textContent = "";
      (data.suggestions || []).forEach(function (s) { box.appendChild(suggestion(s)); });
      status.textContent = box.children.length
        ? ""
        : "没有找到合适的类别，可以点下面的“都不是”自己选，或交给调度中心判定。";
      showChosen();
    }).catch(function () {
      if (mine !== sequence) { return; }
      asked = "";  // try again on the next keystroke
      status.textContent = "暂时无法推荐（网络不通），可以点下面的“都不是”自己选。";
    });
  }

  if (box && description && status) {
    description.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 400);
    });
    asked = description.value.trim().slice(0, SEND);  // the server drew these already
  }

  // ---- Photos just chosen, as thumbnails ----
  var photos = byId("photos");
  var previews = byId("photo-previews");
  var count = byId("photo-count");
  var shown = [];
  if (photos && previews && window.URL && URL.createObjectURL) {
    photos.addEventListener("change", function () {
      shown.forEach(function (url) { URL.revokeObjectURL(url); });
      shown = [];
      previews.textContent = "";
      var n = (photos.files || []).length;
      if (count) { count.textContent = n ? "已选 " + n + " 张" : "还没有选照片"; }
      Array.prototype.forEach.call(photos.files || [], function (file, i) {
        if (!/^image\//.test(file.type)) { return; }
        var url = URL.createObjectURL(file);
        shown.push(url);
        var img = document.createElement("img");
        img.src = url;
        img.alt = "新选的第 " + (i + 1) + " 张照片";
        var li = document.createElement("div");
        li.className = "thumb";
        li.appendChild(img);
        previews.appendChild(li);
      });
    });
  }

  // ---- The place: a pin on the county map or the GPS picks the nearest village ----
  var map = byId("county-map");
  var pin = byId("map-pin");
  var found = byId("place-found");
  var latitude = byId("latitude");
  var longitude = byId("longitude");
  var locate = byId("locate");
  if (!map || !pin || !found || !latitude || !longitude) { return; }
  var P = {
    west: parseFloat(map.getAttribute("data-west")),
    north: parseFloat(map.getAttribute("data-north")),
    ulat: parseFloat(map.getAttribute("data-ulat")),
    ulon: parseFloat(map.getAttribute("data-ulon")),
    pad: parseFloat(map.getAttribute("data-pad")),
    near: parseFloat(map.getAttribute("data-near"))
  };
  var dots = Array.prototype.slice.call(map.querySelectorAll("circle[data-v]"));
  var areas = Array.prototype.slice.call(map.querySelectorAll("path[data-township]"));
  var county = (map.getAttribute("aria-label") || "").split("地图")[0] || "本县";

  function toSvg(lon, lat) {
    return { x: P.pad + (lon - P.west) * P.ulon, y: P.pad + (P.north - lat) * P.ulat };
  }
  function toLonLat(x, y) {
    return { lon: P.west + (x - P.pad) / P.ulon, lat: P.north - (y - P.pad) / P.ulat };
  }

  // The same rule as web/report/geometry.py place(): nearest village, if the point is in a
  // township area or close to a village.
  function nearest(x, y) {
    var best = null;
    var bestD = Infinity;
    dots.forEach(function (d) {
      var dx = d.cx.baseVal.value - x;
      var dy = d.cy.baseVal.value - y;
      var dist = dx * dx + dy * dy;
      if (dist < bestD) { bestD = dist; best = d; }
    });
    if (!best) { return null; }
    var inside = Math.sqrt(bestD) <= P.near || areas.some(function (a) {
      if (!a.isPointInFill) { return false; }
      var point = map.createSVGPoint();
      point.x = x;
      point.y = y;
      return a.isPointInFill(point);
    });
    return inside ? best : null;
  }

  function markDot(id) {
    dots.forEach(function (d) { d.classList.toggle("chosen", d.getAttribute("data-v") === id); });
  }

  function selectVillage(dot) {
    var vid = dot.getAttribute("data-v");
    var tid = dot.getAttribute("data-t");
    if (township.value !== tid) {
      township.value = tid;
      township.dispatchEvent(new Event("change"));
    }
    village.value = vid;
    village.dispatchEvent(new Event("change"));
    markDot(vid);
    var vOpt = village.options[village.selectedIndex];
    var tOpt = township.options[township.selectedIndex];
    found.textContent = "已定位到：" + (tOpt ? tOpt.textContent : "") + " " +
      (vOpt ? vOpt.textContent : "") + "，不对可以在下面改";
    found.classList.remove("refused");
    found.hidden = false;
  }

  function dropPin(x, y) {
    // About the same size on the screen however wide the map is drawn (a phone's is narrow).
    var width = map.getBoundingClientRect().width || 600;
    var k = Math.max(1, Math.min(2.5, 600 / width));
    pin.setAttribute("transform", "translate(" + x.toFixed(1) + " " + y.toFixed(1) + ") scale(" +
      k.toFixed(2) + ")");
    pin.setAttribute("visibility", "visible");
  }

  function refuse(message) {
    found.textContent = message;
    found.classList.add("refused");
    found.hidden = false;
  }

  function placeAt(x, y, lat, lon) {
    var dot = nearest(x, y);
    if (!dot) { return false; }
    dropPin(x, y);
    latitude.value = lat.toFixed(6);
    longitude.value = lon.toFixed(6);
    selectVillage(dot);
    return true;
  }

  map.addEventListener("click", function (event) {
    var matrix = map.getScreenCTM();
    if (!matrix) { return; }
    var point = map.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    var p = point.matrixTransform(matrix.inverse());
    var ll = toLonLat(p.x, p.y);
    if (!placeAt(p.x, p.y, ll.lat, ll.lon)) {
      refuse("这里不在" + county + "范围内，请点县域以内的位置。");
    }
  });

  // A correction in the dropdowns shows on the map.
  village.addEventListener("change", function () { markDot(village.value); });
  if (village.value) { markDot(village.value); }
  var lat0 = parseFloat(latitude.value);
  var lon0 = parseFloat(longitude.value);
  if (isFinite(lat0) && isFinite(lon0)) {
    var p0 = toSvg(lon0, lat0);
    if (nearest(p0.x, p0.y)) { dropPin(p0.x, p0.y); }
  }

  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      found.classList.remove("refused");
      found.hidden = false;
      found.textContent = "正在定位…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        var lat = pos.coords.latitude;
        var lon = pos.coords.longitude;
        var p = toSvg(lon, lat);
        if (!placeAt(p.x, p.y, lat, lon)) {
          refuse("您现在的位置不在" + county + "范围内（纬度 " + lat.toFixed(4) + "，经度 " +
            lon.toFixed(4) + "）。请在地图上点选问题所在的位置，或在下面选择村（社区）。");
        }
      }, function (err) {
        refuse(err && err.code === 1
          ? "没有获得定位权限。请在地图上点选位置，或在下面选择村（社区）。"
          : "暂时无法定位。请在地图上点选位置，或在下面选择村（社区）。");
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 0 });
    });
  }
})();
