// Read-only diagrams (version heat, diff, instance state): a bpmn-js NavigatedViewer with
// markers and overlays from a JSON description the page embeds.
(function () {
  'use strict';

  function show(container, xml, marks) {
    var viewer = new window.BpmnJS({ container: container, additionalModules: [window.JuhaobanBpmnZh] });
    return viewer.importXML(xml).then(function () {
      var canvas = viewer.get('canvas');
      var registry = viewer.get('elementRegistry');
      var overlays = viewer.get('overlays');
      // Fitted when readable, else a readable zoom from the start event (viewport.js).
      window.JuhaobanViewport.open(viewer);
      window.JuhaobanViewport.touchPan(viewer, container);
      Object.keys(marks.markers || {}).forEach(function (id) {
        var el = registry.get(id);
        if (!el) { return; }
        // A filled subprocess would hide the elements inside it: outline containers only.
        var container = el.type === 'bpmn:SubProcess' || el.type === 'bpmn:Participant';
        canvas.addMarker(id, marks.markers[id] + (container ? '-container' : ''));
      });
      Object.keys(marks.badges || {}).forEach(function (id) {
        if (!registry.get(id)) { return; }
        var badge = document.createElement('div');
        badge.className = 'diagram-badge ' + (marks.badges[id].kind || '');
        badge.textContent = marks.badges[id].text;
        badge.title = marks.badges[id].title || '';
        overlays.add(id, 'badge', { position: { bottom: 10, right: 10 }, html: badge });
      });
      if (marks.focus && registry.get(marks.focus)) { centre(canvas, registry.get(marks.focus)); }
      container.dataset.ready = '1';
      return viewer;
    }).catch(function (err) {
      container.textContent = '无法显示此图：' + (err && err.message ? err.message : err);
      container.dataset.ready = 'error';
    });
  }

  // Full size, in the middle: a fitted overview of a large diagram is too small to read.
  function centre(canvas, el) {
    var box = canvas.viewbox();
    var x = el.waypoints ? el.waypoints[0].x : el.x + (el.width || 0) / 2;
    var y = el.waypoints ? el.waypoints[0].y : el.y + (el.height || 0) / 2;
    // A plane's root (a process) has no position, and a canvas without size no scale.
    if (!isFinite(x) || !isFinite(y) || !(box.outer.width > 0 && box.outer.height > 0)) { return; }
    canvas.viewbox({ x: x - box.outer.width / 2, y: y - box.outer.height / 2, width: box.outer.width, height: box.outer.height });
  }

  function focusOn(viewer, id) {
    if (!viewer) { return; }
    var el = viewer.get('elementRegistry').get(id);
    if (!el) { return; }
    var canvas = viewer.get('canvas');
    centre(canvas, el);
    canvas.addMarker(id, 'focused');
    setTimeout(function () { canvas.removeMarker(id, 'focused'); }, 1600);
  }

  window.juhaobanDiagram = { show: show, focusOn: focusOn };

  // Pages describe their diagrams in <script type="application/json" class="diagram-spec">.
  document.addEventListener('DOMContentLoaded', function () {
    var viewers = {};
    var specs = document.querySelectorAll('script.diagram-spec');
    var pending = [];
    specs.forEach(function (node) {
      var spec = JSON.parse(node.textContent);
      var container = document.getElementById(spec.container);
      var xml = spec.xml !== undefined ? Promise.resolve(spec.xml)
        : fetch(spec.url, { credentials: 'same-origin' }).then(function (r) { return r.text(); });
      pending.push(xml.then(function (text) { return show(container, text, spec); }).then(function (viewer) {
        viewers[spec.container] = viewer;
      }));
    });
    Promise.all(pending).then(function () { document.body.dataset.diagramsReady = '1'; });
    document.querySelectorAll('[data-focus]').forEach(function (link) {
      link.addEventListener('click', function (event) {
        event.preventDefault();
        Object.keys(viewers).forEach(function (key) { focusOn(viewers[key], link.dataset.focus); });
      });
    });
  });
})();
