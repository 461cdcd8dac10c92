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

  function say(text, kind) {
    statusLine.textContent = text;
    statusLine.className = 'status ' + (kind || '');
  }

  function post(url, body) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/xml; charset=utf-8', 'X-CSRF-Token': config.csrf },
      body: body
    }).then(function (response) {
      return response.json().catch(function () {
        return { ok: false, message: '服务器返回了无法识别的结果（HTTP ' + response.status + '）', problems: [] };
      }).then(function (json) { json.status = response.status; return json; });
    });
  }

  function element(id) {
    return id ? modeler.get('elementRegistry').get(id) : null;
  }

  function focus(id) {
    var el = element(id);
    if (!el) { return; }
    centre(modeler.get('canvas'), el);
    modeler.get('selection').select(el);
  }

  // Show the element at full size in the middle of the canvas: a fitted overview of the
  // complaint diagram is too small to read or click.
  function centre(canvas, el) {
    var box = canvas.viewbox();
    var width = box.outer.width, height = box.outer.height;
    var x = el.waypoints ? el.waypoints[0].x : el.x + (el.width || 0) / 2;
    var y = el.waypoints ? el.waypoints[0].y : el.y + (el.height || 0) / 2;
    canvas.viewbox({ x: x - width / 2, y: y - height / 2, width: width, height: height });
  }

  // --- problems on the diagram ---------------------------------------------------------
  var marked = [];
  function clearProblems() {
    var canvas = modeler.get('canvas');
    marked.forEach(function (id) { if (element(id)) { canvas.removeMarker(id, 'has-problem'); } });
    marked = [];
    modeler.get('overlays').remove({ type: 'problem' });
    problemList.innerHTML = '';
  }

  function showProblems(problems) {
    clearProblems();
    var canvas = modeler.get('canvas');
    var overlays = modeler.get('overlays');
    var byElement = {};
    problems.forEach(function (problem) {
      var id = problem.element_id;
      if (id && element(id)) { (byElement[id] = byElement[id] || []).push(problem); }
      var item = document.createElement('li');
      item.className = 'problem';
      item.dataset.elementId = id || '';
      item.dataset.code = problem.code;
      var where = document.createElement('a');
      where.href = '#';
      where.className = 'where';
      var el = element(id);
      where.textContent = id ? ((el && el.businessObject.name) || id) : '整个文档';
      where.addEventListener('click', function (event) { event.preventDefault(); focus(id); });
      var text = document.createElement('span');
      text.className = 'message';
      text.textContent = problem.message + (problem.line ? '（第 ' + problem.line + ' 行）' : '');
      item.appendChild(where);
      item.appendChild(text);
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
      marked.push(id);
      var badge = document.createElement('div');
      badge.className = 'problem-badge';
      badge.textContent = '!' + (byElement[id].length > 1 ? byElement[id].length : '');
      badge.title = byElement[id].map(function (p) { return p.message; }).join('\n');
      overlays.add(id, 'problem', { position: { top: -12, right: 12 }, html: badge });
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
    return modeler.saveXML({ format: true }).then(function (result) { return result.xml; });
  }

  function save() {
    say('正在保存…');
    return currentXml().then(function (xml) { return post(config.saveUrl, xml); }).then(function (reply) {
      if (reply.problems) { showProblems(reply.problems); }
      if (!reply.ok) { say(reply.message || '未保存：草稿不是有效的 BPMN 文档', 'bad'); return reply; }
      dirty = false;
      say(reply.problems.length ? '草稿已保存，有 ' + reply.problems.length + ' 个问题需在部署前修正' : '草稿已保存，检查通过', reply.problems.length ? 'warn' : 'ok');
      return reply;
    });
  }

  function check() {
    say('正在检查…');
    return currentXml().then(function (xml) { return post(config.validateUrl, xml); }).then(function (reply) {
      showProblems(reply.problems || []);
      say(reply.ok ? '检查通过，可以部署' : '检查发现 ' + reply.problems.length + ' 个问题', reply.ok ? 'ok' : 'warn');
    });
  }

  // Deploying asks for confirmation: the confirmation page replays recent cases on the
  // saved draft first (web/designer/deploy.py).
  function deploy() {
    save().then(function (saved) {
      if (!saved.ok || saved.problems.length) {
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
  fetch(config.camundaUrl).then(function (r) { return r.json(); }).then(function (camunda) {
    var panel = window.BpmnJSPropertiesPanel;
    modeler = new window.BpmnJS({
      container: '#canvas',
      propertiesPanel: { parent: '#properties' },
      additionalModules: [
        panel.BpmnPropertiesPanelModule,
        panel.BpmnPropertiesProviderModule,
        panel.CamundaPlatformPropertiesProviderModule,
        window.JuhaobanBpmnZh,
        window.JuhaobanPanelFilter
      ],
      moddleExtensions: { camunda: camunda }
    });
    window.juhaobanModeler = modeler;
    return fetch(config.xmlUrl, { credentials: 'same-origin' }).then(function (r) { return r.text(); });
  }).then(function (xml) {
    return modeler.importXML(xml);
  }).then(function () {
    modeler.get('canvas').zoom('fit-viewport');
    modeler.on('commandStack.changed', function () { dirty = true; say('有未保存的修改'); });
    fillFinder();
    showProblems(config.problems || []);
    document.body.dataset.ready = '1';
  }).catch(function (err) {
    say('无法打开此图：' + (err && err.message ? err.message : err), 'bad');
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
