// How diagrams open: fitted when that stays readable, otherwise at a readable zoom starting
// from the start event (a fitted overview of the complaint diagram is ~0.14, unreadable), and
// never with a zero-sized canvas (bpmn-js then throws "Failed to execute 'scale' on
// 'SVGMatrix'"). Shared by the editor (editor.js) and the read-only viewers (diagram.js).
(function () {
  'use strict';
  var READABLE = 0.6;
  var MARGIN = 20;

  // The start event a reader looks for first: a top-level one (not inside a subprocess),
  // leftmost, on the plane being shown.
  function startEvent(registry, root) {
    var starts = registry.filter(function (el) {
      var bo = el.businessObject;
      return el.type === 'bpmn:StartEvent' && !el.labelTarget && bo && bo.$parent &&
        !(bo.$parent.$instanceOf && bo.$parent.$instanceOf('bpmn:SubProcess')) &&
        (!root || canvasRootOf(el) === root);
    });
    starts.sort(function (a, b) { return a.x - b.x || a.y - b.y; });
    return starts[0] || null;
  }

  function canvasRootOf(el) {
    while (el && el.parent) { el = el.parent; }
    return el;
  }

  // Fit or, when fitting would be unreadable, READABLE zoom anchored at the start event.
  // leftInset: pixels covered on the left (the editor's palette). False when the canvas
  // has no size yet (nothing is changed then).
  function open(viewer, options) {
    options = options || {};
    var canvas = viewer.get('canvas');
    var box = canvas.viewbox();
    var outer = box.outer, inner = box.inner;
    if (!(outer.width > 0 && outer.height > 0 && inner.width > 0 && inner.height > 0)) { return false; }
    var left = options.leftInset || 0;
    var fit = Math.min(1, (outer.width - left - 2 * MARGIN) / inner.width, (outer.height - 2 * MARGIN) / inner.height);
    var scale = isFinite(fit) && fit >= READABLE ? fit : READABLE;
    var width = outer.width / scale, height = outer.height / scale;
    var x = inner.x - (left + MARGIN) / scale;
    var y = inner.y - (height - inner.height) / 2; // fitted: centred vertically
    if (scale !== fit) {
      y = inner.y - MARGIN / scale;
      var start = startEvent(viewer.get('elementRegistry'), canvas.getRootElement());
      if (start) {
        var cx = start.x, cy = start.y + start.height / 2;
        if (cx > x + (width - (left + MARGIN) / scale) * 0.75) { x = cx - (left + 2 * MARGIN) / scale; }
        // The start event in the middle, without empty space above or below the diagram.
        y = Math.min(cy - height / 2, inner.y + inner.height + MARGIN / scale - height);
        y = Math.max(y, inner.y - MARGIN / scale);
      }
    }
    canvas.viewbox({ x: x, y: y, width: width, height: height });
    return true;
  }

  // One-finger panning for phones: diagram-js moves the canvas on mouse drags only.
  function touchPan(viewer, container) {
    var canvas = viewer.get('canvas');
    var last = null;
    container.style.touchAction = 'pinch-zoom';
    container.addEventListener('pointerdown', function (event) {
      if (event.pointerType === 'touch') { last = { x: event.clientX, y: event.clientY }; }
    });
    container.addEventListener('pointermove', function (event) {
      if (!last || event.pointerType !== 'touch') { return; }
      canvas.scroll({ dx: event.clientX - last.x, dy: event.clientY - last.y });
      last = { x: event.clientX, y: event.clientY };
    });
    ['pointerup', 'pointercancel', 'pointerleave'].forEach(function (type) {
      container.addEventListener(type, function () { last = null; });
    });
  }

  window.JuhaobanViewport = { open: open, touchPan: touchPan, READABLE: READABLE };
})();
