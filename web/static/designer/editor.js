// The designer's editor: bpmn-js Modeler + Camunda properties panel, problems shown at their
// elements, save / check / deploy against the server (web/designer/drafts.py).
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('designer-config').textContent);
  var statusLine = document.getElementById('status');
  var problemList = document.getElementById('problems');
  var problemCount = document.getElementById('problem-count');
  var finder = document.getElementById('find-element');
  var finderList = document.getElementById('element-list');
  var dirty = false;
  var modeler;
  // Phones get a read-only viewer: the modeler's palette and panel need a desktop's width.
  var readOnly = window.matchMedia('(max-width: 600px)').matches;
  var SERVER_WAIT_MS = 60000;

  function say(text, kind) {
    statusLine.textContent = text;
    statusLine.className = 'status ' + (kind || '');
  }

  // Any failure (network, timeout, an error in the page) ends with a Chinese reason in the
  // status line: the buttons must never leave "正在保存…" standing.
  function reason(err) {
    return err && err.message ? err.message : String(err);
  }

  function post(url, body) {
    var abort = new AbortController();
    var timer = setTimeout(function () { abort.abort(); }, SERVER_WAIT_MS);
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/xml; charset=utf-8', 'X-CSRF-Token': config.csrf },
      body: body,
      signal: abort.signal
    }).catch(function (err) {
      throw new Error(err && err.name === 'AbortError'
        ? '服务器 ' + SERVER_WAIT_MS / 1000 + ' 秒内没有响应'
        : '无法连接服务器（' + reason(err) + '）');
    }).finally(function () { clearTimeout(timer); }).then(function (response) {
      return response.json().catch(function () {
        return { ok: false, message: '服务器返回了无法识别的结果（HTTP ' + response.status + '）', problems: [] };
      }).then(function (json) { json.status = response.status; return json; });
    });
  }

  function element(id) {
    return id ? modeler.get('elementRegistry').get(id) : null;
  }

  // --- subprocess planes ----------------------------------------------------------------
  // A collapsed subprocess is drawn on its own plane (bpmn-js "drilldown"), whose root
  // element id is the subprocess id + "_plane".
  function planeOf(subprocessId) {
    return element(subprocessId + '_plane');
  }

  // The enclosing subprocess ids, top level first: from the server when it names any,
  // otherwise from the model (problems stored before the server sent paths have none).
  function subprocessPath(problem) {
    if (Array.isArray(problem.subprocess_path) && problem.subprocess_path.length) { return problem.subprocess_path; }
    var el = element(problem.element_id);
    var path = [];
    for (var bo = el && el.businessObject.$parent; bo; bo = bo.$parent) {
      if (bo.$instanceOf && bo.$instanceOf('bpmn:SubProcess')) { path.unshift(bo.id); }
    }
    return path;
  }

  // Open the plane an element is drawn on (drilling into collapsed subprocesses), then
  // centre and select it. path is used when the element itself is not drawn.
  function focus(id, path) {
    var canvas = modeler.get('canvas');
    var el = element(id);
    var root = el ? canvas.findRoot(el) : null;
    if (!root && path) {
      path.forEach(function (sub) { root = planeOf(sub) || root; });
    }
    if (root && root !== canvas.getRootElement()) { canvas.setRootElement(root); }
    if (!el) { return; }
    centre(canvas, el);
    var selection = modeler.get('selection', false);
    if (selection && !el.labelTarget && el.parent) { selection.select(el); }
  }

  // Show the element at full size in the middle of the canvas: a fitted overview of the
  // complaint diagram is too small to read or click.
  function centre(canvas, el) {
    var box = canvas.viewbox();
    var width = box.outer.width, height = box.outer.height;
    var x = el.waypoints ? el.waypoints[0].x : el.x + (el.width || 0) / 2;
    var y = el.waypoints ? el.waypoints[0].y : el.y + (el.height || 0) / 2;
    // A plane's root (a process) has no position, and a canvas without size no scale.
    if (!isFinite(x) || !isFinite(y) || !(width > 0 && height > 0)) { return; }
    canvas.viewbox({ x: x - width / 2, y: y - height / 2, width: width, height: height });
  }

  // --- problems on the diagram ---------------------------------------------------------
  var marked = [];
  function clearProblems() {
    var canvas = modeler.get('canvas');
    marked.forEach(function (mark) { if (element(mark.id)) { canvas.removeMarker(mark.id, mark.cls); } });
    marked = [];
    modeler.get('overlays').remove({ type: 'problem' });
    problemList.innerHTML = '';
  }

  function showProblems(problems) {
    clearProblems();
    var canvas = modeler.get('canvas');
    var overlays = modeler.get('overlays');
    var byElement = {};
    var inside = {}; // collapsed subprocess id -> the problems drawn on its plane(s)
    problems.forEach(function (problem) {
      var id = problem.element_id;
      var path = subprocessPath(problem);
      if (id && element(id)) { (byElement[id] = byElement[id] || []).push(problem); }
      path.forEach(function (sub) {
        if (sub !== id && element(sub) && planeOf(sub)) { (inside[sub] = inside[sub] || []).push(problem); }
      });
      var item = document.createElement('li');
      item.className = 'problem';
      item.dataset.elementId = id || '';
      item.dataset.code = problem.code;
      var where = document.createElement('a');
      where.href = '#';
      where.className = 'where';
      var el = element(id);
      where.textContent = path.map(function (sub) {
        var container = element(sub);
        return ((container && container.businessObject.name) || sub) + ' › ';
      }).join('') + (id ? ((el && el.businessObject.name) || id) : '整个文档');
      where.addEventListener('click', function (event) { event.preventDefault(); focus(id, path); });
      var text = document.createElement('span');
      text.className = 'message';
      text.textContent = problem.message + (problem.line ? '（第 ' + problem.line + ' 行）' : '');
      item.appendChild(where);
      item.appendChild(text);
      if (problem.detail) {
        // The engine's own (English) words, for whoever has to look deeper.
        var detail = document.createElement('details');
        detail.className = 'detail';
        var summary = document.createElement('summary');
        summary.textContent = '原文';
        var original = document.createElement('code');
        original.textContent = problem.detail;
        detail.appendChild(summary);
        detail.appendChild(original);
        item.appendChild(detail);
      }
      if (problem.fix && el) {
        var fix = document.createElement('button');
        fix.type = 'button';
        fix.className = 'fix secondary';
        fix.textContent = '一键修正为 ' + problem.fix;
        fix.addEventListener('click', function () { applyFix(problem); });
        item.appendChild(fix);
      }
      problemList.appendChild(item);
    });
    Object.keys(byElement).forEach(function (id) {
      canvas.addMarker(id, 'has-problem');
      marked.push({ id: id, cls: 'has-problem' });
      var badge = document.createElement('div');
      badge.className = 'problem-badge';
      badge.textContent = '!' + (byElement[id].length > 1 ? byElement[id].length : '');
      badge.title = byElement[id].map(function (p) { return p.message; }).join('\n');
      overlays.add(id, 'problem', { position: { top: -12, right: 12 }, html: badge });
    });
    // Problems on a collapsed subprocess's plane are invisible from outside: count them on
    // the subprocess shape; a click drills in to the first one.
    Object.keys(inside).forEach(function (sub) {
      canvas.addMarker(sub, 'has-problem-inside');
      marked.push({ id: sub, cls: 'has-problem-inside' });
      var first = inside[sub][0];
      var badge = document.createElement('button');
      badge.type = 'button';
      badge.className = 'problem-badge inside';
      badge.dataset.subprocess = sub;
      badge.textContent = '内有 ' + inside[sub].length + ' 个问题';
      badge.title = inside[sub].map(function (p) { return p.message; }).join('\n');
      badge.addEventListener('click', function () { focus(first.element_id, subprocessPath(first)); });
      overlays.add(sub, 'problem', { position: { bottom: -10, left: -6 }, html: badge });
    });
    problemCount.textContent = problems.length ? problems.length + ' 个问题' : '没有问题';
    problemCount.className = problems.length ? 'tag late' : 'tag ok';
  }

  // An unquoted ISO timer is the commonest slip: write the quoted value into the diagram.
  function applyFix(problem) {
    var el = element(problem.element_id);
    var bo = el && el.businessObject;
    var definition = bo && (bo.eventDefinitions || []).filter(function (d) {
      return d.$type === 'bpmn:TimerEventDefinition';
    })[0];
    var expression = definition && (definition.timeDate || definition.timeDuration || definition.timeCycle);
    if (!expression) { return; }
    modeler.get('modeling').updateModdleProperties(el, expression, { body: problem.fix });
    check();
  }

  // --- save / check / deploy ------------------------------------------------------------
  function currentXml() {
    if (!modeler || !modeler.saveXML) { return Promise.reject(new Error('编辑器尚未打开此图')); }
    return modeler.saveXML({ format: true }).then(function (result) { return result.xml; }, function (err) {
      throw new Error('编辑器无法导出此图（' + reason(err) + '）');
    });
  }

  function save() {
    say('正在保存…');
    return currentXml().then(function (xml) { return post(config.saveUrl, xml); }).then(function (reply) {
      var problems = reply.problems || [];
      showProblems(problems);
      if (!reply.ok) { say(reply.message || '未保存：草稿不是有效的 BPMN 文档', 'bad'); return reply; }
      dirty = false;
      say(problems.length ? '草稿已保存，有 ' + problems.length + ' 个问题需在部署前修正' : '草稿已保存，检查通过', problems.length ? 'warn' : 'ok');
      return reply;
    }).catch(function (err) {
      say('未保存：' + reason(err), 'bad');
      return { ok: false, failed: reason(err), problems: [] };
    });
  }

  function check() {
    say('正在检查…');
    return currentXml().then(function (xml) { return post(config.validateUrl, xml); }).then(function (reply) {
      var problems = reply.problems || [];
      showProblems(problems);
      say(reply.ok ? '检查通过，可以部署' : '检查发现 ' + problems.length + ' 个问题', reply.ok ? 'ok' : 'warn');
    }).catch(function (err) {
      say('未检查：' + reason(err), 'bad');
    });
  }

  // Deploying asks for confirmation: the confirmation page replays recent cases on the
  // saved draft first (web/designer/deploy.py).
  function deploy() {
    save().then(function (saved) {
      if (saved.failed) { say('未部署：草稿没有保存成功——' + saved.failed, 'bad'); return; }
      if (!saved.ok || (saved.problems || []).length) {
        say('有问题未解决，不能部署：请先修正下列问题', 'bad');
        return;
      }
      say('正在用最近的事项回放新版本…');
      window.location.href = config.confirmUrl;
    });
  }

  function fillFinder() {
    finderList.innerHTML = '';
    modeler.get('elementRegistry').filter(function (el) {
      return el.businessObject && el.businessObject.id && el.type !== 'label' && !el.labelTarget;
    }).forEach(function (el) {
      var option = document.createElement('option');
      option.value = el.id;
      option.label = (el.businessObject.name || '') + '（' + el.id + '）';
      finderList.appendChild(option);
    });
  }

  function find() {
    var wanted = finder.value.trim();
    if (!wanted) { return; }
    var registry = modeler.get('elementRegistry');
    var hit = registry.get(wanted) || registry.filter(function (el) {
      return !el.labelTarget && el.businessObject && (el.businessObject.name || '').indexOf(wanted) !== -1;
    })[0];
    if (hit) { focus(hit.id); say(''); } else { say('图中没有“' + wanted + '”', 'warn'); }
  }

  // --- start ---------------------------------------------------------------------------
  // The palette sits over the canvas's top-left corner: keep the diagram to its right.
  function paletteInset() {
    var palette = document.querySelector('#canvas .djs-palette');
    if (readOnly || !palette) { return 0; }
    var canvasBox = document.getElementById('canvas').getBoundingClientRect();
    return Math.max(0, palette.getBoundingClientRect().right - canvasBox.left);
  }

  // Files from other tools may bind bpmn-js's own prefixes to other namespaces, which would
  // make every save fail (namespaces.js).
  function untangle(xml) {
    try {
      return window.JuhaobanNamespaces.untangle(xml, modeler.get('moddle').getPackages());
    } catch (err) {
      return { xml: xml, renamed: [] };
    }
  }

  function createModeler(camunda) {
    var panel = window.BpmnJSPropertiesPanel;
    modeler = new window.BpmnJS({
      container: '#canvas',
      propertiesPanel: { parent: '#properties' },
      additionalModules: [
        panel.BpmnPropertiesPanelModule,
        panel.BpmnPropertiesProviderModule,
        panel.CamundaPlatformPropertiesProviderModule,
        window.JuhaobanBpmnZh,
        window.JuhaobanEnginePanel,
        window.JuhaobanPanelFilter
      ],
      moddleExtensions: { camunda: camunda }
    });
  }

  // Phones: bpmn-js's navigated viewer, loaded only here, with no palette or panel.
  function createViewer(camunda) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement('script');
      script.src = config.viewerUrl;
      script.onload = resolve;
      script.onerror = function () { reject(new Error('无法加载只读查看器')); };
      document.head.appendChild(script);
    }).then(function () {
      modeler = new window.BpmnJS({
        container: '#canvas',
        additionalModules: [window.JuhaobanBpmnZh],
        moddleExtensions: { camunda: camunda }
      });
    });
  }

  function startReadOnly() {
    document.body.classList.add('read-only');
    document.getElementById('read-only-note').hidden = false;
    var canvas = modeler.get('canvas');
    window.JuhaobanViewport.touchPan(modeler, document.getElementById('canvas'));
    document.getElementById('zoom-in').addEventListener('click', function () { canvas.zoom(canvas.zoom() * 1.25); });
    document.getElementById('zoom-out').addEventListener('click', function () { canvas.zoom(canvas.zoom() / 1.25); });
  }

  fetch(config.camundaUrl).then(function (r) { return r.json(); }).then(function (camunda) {
    return readOnly ? createViewer(camunda) : createModeler(camunda);
  }).then(function () {
    window.juhaobanModeler = modeler;
    return fetch(config.xmlUrl, { credentials: 'same-origin' }).then(function (r) { return r.text(); });
  }).then(function (xml) {
    var untangled = untangle(xml);
    return modeler.importXML(untangled.xml).then(function () { return untangled.renamed; });
  }).then(function (renamed) {
    if (readOnly) { startReadOnly(); }
    window.JuhaobanViewport.open(modeler, { leftInset: paletteInset() });
    if (!readOnly) { modeler.on('commandStack.changed', function () { dirty = true; say('有未保存的修改'); }); }
    fillFinder();
    showProblems(config.problems || []);
    if (renamed.length) { say(window.JuhaobanNamespaces.describe(renamed), 'warn'); }
    document.body.dataset.ready = '1';
  }).catch(function (err) {
    say('无法打开此图：' + reason(err), 'bad');
    document.body.dataset.ready = 'error';
  });

  document.getElementById('save').addEventListener('click', save);
  document.getElementById('check').addEventListener('click', check);
  document.getElementById('deploy').addEventListener('click', deploy);
  finder.addEventListener('change', find);
  finder.addEventListener('keydown', function (event) { if (event.key === 'Enter') { event.preventDefault(); find(); } });
  window.addEventListener('beforeunload', function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ''; }
  });
})();
