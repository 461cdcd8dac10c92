// The properties panel speaks this engine (issue 21): a "服务操作" group for service tasks
// (the operations the validator accepts, with their parameters, written as
// spiffworkflow:serviceTaskOperator), candidate groups and assignees picked from the
// organisation, and Python help for timers (panel-filter.js hides what the engine ignores).
// Options come from GET /designer/panel-options.json (web/designer/panel_options.py).
//
// The spiffworkflow elements are edited as moddle's generic elements, without a moddle
// descriptor: a descriptor makes moddle drop every spiffworkflow element it does not describe
// (payloadExpression, postScript…), while generic elements round-trip whatever is there.
(function () {
  'use strict';
  var h = window.preact.h;
  var useService = window.BpmnJSPropertiesPanel.useService;
  var SPIFF = 'http://spiffworkflow.org/bpmn/schema/1.0/core';
  var options = { operations: [], groups: [], expressions: [] };

  // --- spiffworkflow extension elements as generic moddle elements ----------------------
  function spiffName(node) {
    var ns = node && node.$descriptor && node.$descriptor.ns;
    return ns && ns.uri === SPIFF ? ns.localName : null;
  }

  function operatorOf(bo) {
    var values = (bo.extensionElements && bo.extensionElements.values) || [];
    return values.filter(function (v) { return spiffName(v) === 'serviceTaskOperator'; })[0] || null;
  }

  function parametersOf(operator) {
    var found = {};
    (operator && operator.$children || []).forEach(function (child) {
      if (spiffName(child) !== 'parameters') { return; }
      (child.$children || []).forEach(function (p) {
        if (spiffName(p) === 'parameter' && p.id) { found[p.id] = p; }
      });
    });
    return found;
  }

  // The prefix the document already binds to the spiffworkflow namespace, so a new element
  // never introduces a second binding.
  function spiffPrefix(definitions) {
    var attrs = (definitions && definitions.$attrs) || {};
    var bound = Object.keys(attrs).filter(function (key) {
      return key.indexOf('xmlns:') === 0 && attrs[key] === SPIFF;
    })[0];
    return bound ? bound.slice(6) : 'spiffworkflow';
  }

  function definitionsOf(bo) {
    while (bo && bo.$type !== 'bpmn:Definitions') { bo = bo.$parent; }
    return bo;
  }

  function operation(name) {
    return options.operations.filter(function (op) { return op.name === name; })[0] || null;
  }

  // Replace the task's operator with one built from `spec` ({name, result, values}), keeping
  // the old operator's other children (retry…) and the task's other extension elements, in
  // one undoable command.
  function writeOperator(element, services, spec) {
    var moddle = services.moddle;
    var bo = element.businessObject;
    var prefix = spiffPrefix(definitionsOf(bo));
    var old = operatorOf(bo);
    var operator = moddle.createAny(prefix + ':serviceTaskOperator', SPIFF, { id: spec.name });
    if (spec.result) { operator.resultVariable = spec.result; }
    var params = Object.keys(spec.values).filter(function (name) { return spec.values[name] !== ''; });
    var children = ((old && old.$children) || []).filter(function (c) { return spiffName(c) !== 'parameters'; });
    if (params.length) {
      var list = moddle.createAny(prefix + ':parameters', SPIFF, {});
      list.$children = params.map(function (name) {
        return moddle.createAny(prefix + ':parameter', SPIFF, {
          id: name, type: spec.types[name] || 'str', value: spec.values[name]
        });
      });
      children.unshift(list);
    }
    if (children.length) { operator.$children = children; }
    var ext = bo.extensionElements;
    if (!ext) {
      ext = services.bpmnFactory.create('bpmn:ExtensionElements', { values: [operator] });
      services.modeling.updateProperties(element, { extensionElements: ext });
      return;
    }
    var values = ext.values.slice();
    var at = old ? values.indexOf(old) : -1;
    if (at === -1) { values.push(operator); } else { values[at] = operator; }
    services.modeling.updateModdleProperties(element, ext, { values: values });
  }

  function currentSpec(bo) {
    var operator = operatorOf(bo);
    var params = parametersOf(operator);
    var spec = { name: operator ? operator.id : '', result: operator ? operator.resultVariable || '' : '', values: {}, types: {} };
    Object.keys(params).forEach(function (name) {
      spec.values[name] = params[name].value || '';
      spec.types[name] = params[name].type || 'str';
    });
    return spec;
  }

  function useEditing() {
    return {
      moddle: useService('moddle'), modeling: useService('modeling'),
      bpmnFactory: useService('bpmnFactory')
    };
  }

  // --- small entries built with the panel's own CSS classes -----------------------------
  function entry(id, label, control, help) {
    return h('div', { class: 'bio-properties-panel-entry', 'data-entry-id': id },
      h('div', { class: 'bio-properties-panel-textfield' },
        h('label', { for: 'bio-properties-panel-' + id, class: 'bio-properties-panel-label' }, label),
        control),
      help ? h('div', { class: 'bio-properties-panel-description' }, help) : null);
  }

  // Uncontrolled, written on change (blur or Enter): the panel re-renders while one types,
  // and a controlled input would be reset to the model's value under the cursor. The key
  // makes a new input when the model changes (undo, another entry), showing the new value.
  function textInput(id, value, onCommit, extra) {
    return h('input', Object.assign({
      key: id + '=' + (value || ''),
      id: 'bio-properties-panel-' + id, name: id, type: 'text', spellcheck: false,
      autocomplete: 'off', class: 'bio-properties-panel-input', defaultValue: value || '',
      onChange: function (event) { onCommit(event.target.value.trim()); }
    }, extra || {}));
  }

  function OperationEntry(props) {
    var services = useEditing();
    var bo = props.element.businessObject;
    var spec = currentSpec(bo);
    var known = operation(spec.name);
    var choices = options.operations.slice();
    if (spec.name && !known) { choices.unshift({ name: spec.name, label: spec.name + '（未注册）', parameters: [] }); }
    var select = h('select', {
      id: 'bio-properties-panel-juhaobanOperation', name: 'juhaobanOperation',
      class: 'bio-properties-panel-input', value: spec.name,
      onChange: function (event) {
        var chosen = operation(event.target.value);
        if (!chosen) { return; }
        var next = { name: chosen.name, result: spec.result || chosen.result, values: {}, types: {} };
        // Parameters the new operation shares with the old keep their values; the others
        // start from the documented example, so the task runs as soon as it is picked.
        chosen.parameters.forEach(function (p) {
          next.values[p.name] = spec.values[p.name] !== undefined ? spec.values[p.name] : p.example;
          next.types[p.name] = p.type;
        });
        writeOperator(props.element, services, next);
      }
    }, [h('option', { value: '', disabled: true }, '请选择服务操作…')].concat(choices.map(function (op) {
      return h('option', { value: op.name }, op.label + '（' + op.name + '）');
    })));
    var help = known ? known.description : (spec.name ? '服务操作 ' + spec.name + ' 未在本平台注册，检查时会报错' : '本引擎要求每个服务任务选定一个已注册的服务操作');
    return entry('juhaobanOperation', '操作', select, help);
  }

  function ResultEntry(props) {
    var services = useEditing();
    var spec = currentSpec(props.element.businessObject);
    return entry('juhaobanResultVariable', '结果变量',
      textInput('juhaobanResultVariable', spec.result, function (value) {
        // Read the task again: the panel may not have re-rendered since another entry wrote.
        var latest = currentSpec(props.element.businessObject);
        latest.result = value;
        writeOperator(props.element, services, latest);
      }),
      '操作的返回值存入这个流程变量，后续的定时器、条件和脚本可以引用它');
  }

  // One component for every parameter (the entry carries which): a component made per render
  // would be a new type each time, and preact would remount the input under the cursor.
  function ParameterEntry(props) {
    var services = useEditing();
    var parameter = props.parameter;
    var spec = currentSpec(props.element.businessObject);
    return entry(props.id, parameter.label + '（' + parameter.name + '）',
      textInput(props.id, spec.values[parameter.name], function (value) {
        var latest = currentSpec(props.element.businessObject);
        latest.values[parameter.name] = value;
        latest.types[parameter.name] = parameter.type;
        writeOperator(props.element, services, latest);
      }, { placeholder: parameter.example }),
      'Python 表达式：文字要加引号，例如 ' + parameter.example + '；也可以引用流程变量');
  }

  function serviceGroup(element) {
    var spec = currentSpec(element.businessObject);
    var entries = [{ id: 'juhaobanOperation', component: OperationEntry, isEdited: function () { return !!spec.name; } }];
    var chosen = operation(spec.name);
    if (spec.name) {
      entries.push({ id: 'juhaobanResultVariable', component: ResultEntry });
      (chosen ? chosen.parameters : []).forEach(function (p) {
        entries.push({ id: 'juhaobanParameter-' + p.name, component: ParameterEntry, parameter: p });
      });
    }
    // Open from the start: it is what a service task is about in this engine.
    return { id: 'JuhaobanServiceOperation', label: '服务操作', entries: entries, shouldOpen: true };
  }

  // --- user tasks: candidate groups and assignee from the organisation ------------------
  function GroupSuggestions() {
    return h('datalist', { id: 'juhaoban-group-suggestions' },
      options.groups.concat(options.expressions).map(function (g) {
        return h('option', { value: g.value, label: g.label });
      }));
  }

  function addGroup(current, chosen, single) {
    // An expression names the whole list; literals are a comma-separated list.
    if (single || chosen.charAt(0) === '=' || !current || current.charAt(0) === '=') { return chosen; }
    var parts = current.split(',').map(function (p) { return p.trim(); }).filter(Boolean);
    if (parts.indexOf(chosen) === -1) { parts.push(chosen); }
    return parts.join(',');
  }

  function picker(id, current, onPick) {
    function optionsOf(list) {
      return list.map(function (g) { return h('option', { value: g.value }, g.label + '（' + g.value + '）'); });
    }
    return h('select', {
      id: 'bio-properties-panel-' + id, name: id, class: 'bio-properties-panel-input juhaoban-picker', value: '',
      onChange: function (event) { if (event.target.value) { onPick(event.target.value); } }
    }, [h('option', { value: '' }, '从组织机构中选择…'),
      h('optgroup', { label: '岗位' }, optionsOf(options.groups.filter(function (g) { return g.kind === 'role'; }))),
      h('optgroup', { label: '单位' }, optionsOf(options.groups.filter(function (g) { return g.kind !== 'role'; }))),
      h('optgroup', { label: '按流程数据（= 开头的 Python 表达式）' }, optionsOf(options.expressions))]);
  }

  function assignmentEntry(attribute, label, help, single) {
    return function AssignmentEntry(props) {
      var modeling = useService('modeling');
      var bo = props.element.businessObject;
      var current = bo.get('camunda:' + attribute) || '';
      var id = 'juhaoban-' + attribute;
      function write(value) {
        var update = {};
        update['camunda:' + attribute] = value || undefined;
        modeling.updateProperties(props.element, update);
      }
      return h('div', { class: 'bio-properties-panel-entry', 'data-entry-id': attribute },
        h('div', { class: 'bio-properties-panel-textfield' },
          h('label', { for: 'bio-properties-panel-' + id, class: 'bio-properties-panel-label' }, label),
          textInput(id, current, write, { list: 'juhaoban-group-suggestions' }),
          picker(id + '-picker', current, function (chosen) { write(addGroup(current, chosen, single)); }),
          h(GroupSuggestions)),
        h('div', { class: 'bio-properties-panel-description' }, help));
    };
  }

  var CandidateGroupsEntry = assignmentEntry('candidateGroups', '候选组',
    '谁可以办理：岗位（如 dispatcher）或单位编号，多个用英文逗号分隔；或以 = 开头的 Python 表达式，' +
    '如 =primary_unit（按清单派定的主办单位）。不支持 ${…} 写法。');
  var AssigneeEntry = assignmentEntry('assignee', '办理人',
    '可留空（由候选组里的人签收）。填写时与候选组写法相同：一个组，或以 = 开头的 Python 表达式。', true);

  function updateUserAssignment(groups) {
    var group = groups.filter(function (g) { return g.id === 'CamundaPlatform__UserAssignment'; })[0];
    if (!group) { return; }
    group.entries = group.entries.map(function (e) {
      if (e.id === 'candidateGroups') { return Object.assign({}, e, { component: CandidateGroupsEntry }); }
      if (e.id === 'assignee') { return Object.assign({}, e, { component: AssigneeEntry }); }
      return e;
    });
  }

  // --- timers: the value is a Python expression -----------------------------------------
  var TIMER_HELP = {
    timeDate: ['一个时刻，写 Python 表达式，结果是带时区的 ISO 时刻文字：',
      ['handle_deadline["due"]', '引用服务操作算好的期限（工作日）'],
      ['"2026-05-01T09:00:00+08:00"', '固定时刻，要加引号并写明 +08:00'],
      ['(datetime.fromisoformat(received_at) + timedelta(hours=4)).isoformat()', '收到后 4 小时（自然时间）']],
    timeDuration: ['一段时长，写 Python 表达式，结果是 ISO 8601 时长文字：',
      ['"P2D"', '2 天（自然日）'], ['"PT4H"', '4 小时']],
    timeCycle: ['重复周期，写 Python 表达式，结果是 ISO 8601 重复周期文字；不支持 cron：',
      ['"R3/P1D"', '每天一次，共 3 次'], ['"R1/" + handle_deadline["remind_at"] + "/PT1M"', '在期限的提醒时刻触发一次']]
  };
  var WORKING_DAYS_HELP = '按工作日计时：先用服务任务调用“计算环节期限（schedule_deadline）”等操作，' +
    '把期限存入流程变量（如 handle_deadline），定时器再引用 handle_deadline["due"] 或 handle_deadline["remind_at"]。' +
    '表达式里可用 datetime、timedelta，不能用 ${…}。';

  function timerParts(element) {
    var bo = element.businessObject;
    var definition = (bo.eventDefinitions || []).filter(function (d) { return d.$type === 'bpmn:TimerEventDefinition'; })[0];
    if (!definition) { return null; }
    var type = ['timeDate', 'timeDuration', 'timeCycle'].filter(function (t) { return definition.get(t); })[0];
    return { definition: definition, type: type, expression: type ? definition.get(type) : null };
  }

  // The working-day deadlines this diagram computes: service tasks whose operation returns
  // {due, remind_at} store them in their result variable, which timers then reference.
  // A cycle timer fires once at the chosen instant ("R1/<instant>/PT1M", as complaint.bpmn's
  // reminders do); a date timer takes the instant itself.
  function deadlineChoices(registry, type) {
    var wrap = type === 'timeCycle'
      ? function (ref) { return '"R1/" + ' + ref + ' + "/PT1M"'; }
      : function (ref) { return ref; };
    var choices = [];
    registry.filter(function (el) {
      return el.businessObject && el.businessObject.$instanceOf &&
        el.businessObject.$instanceOf('bpmn:ServiceTask') && !el.labelTarget;
    }).forEach(function (el) {
      var spec = currentSpec(el.businessObject);
      var op = operation(spec.name);
      if (!op || !op.deadline || !spec.result) { return; }
      var where = (el.businessObject.name || el.id) + (spec.values.stage ? '（' + spec.values.stage + '）' : '');
      choices.push({ value: wrap(spec.result + '["due"]'), label: '到期时刻 · ' + where });
      choices.push({ value: wrap(spec.result + '["remind_at"]'), label: '提醒时刻（已过 80%）· ' + where });
    });
    var seen = {};
    return choices.filter(function (c) { return seen[c.value] ? false : (seen[c.value] = true); });
  }

  function TimerValueEntry(props) {
    var modeling = useService('modeling');
    var bpmnFactory = useService('bpmnFactory');
    var registry = useService('elementRegistry');
    var parts = timerParts(props.element);
    if (!parts || !parts.type) { return null; }
    function write(value) {
      if (parts.expression) {
        modeling.updateModdleProperties(props.element, parts.expression, { body: value });
      } else {
        var update = {};
        update[parts.type] = bpmnFactory.create('bpmn:FormalExpression', { body: value });
        modeling.updateModdleProperties(props.element, parts.definition, update);
      }
    }
    var deadlines = parts.type === 'timeDuration' ? [] : deadlineChoices(registry, parts.type);
    var picker = deadlines.length ? h('select', {
      id: 'juhaoban-timer-deadline', class: 'bio-properties-panel-input',
      'aria-label': '引用工作日期限',
      onChange: function (event) { if (event.target.value) { write(event.target.value); } }
    }, [h('option', { value: '' }, '引用本流程算好的工作日期限…')].concat(deadlines.map(function (c) {
      return h('option', { value: c.value }, c.label + ' — ' + c.value);
    }))) : null;
    var help = TIMER_HELP[parts.type];
    var examples = h('ul', { class: 'juhaoban-examples' }, help.slice(1).map(function (example) {
      return h('li', null, h('code', null, example[0]), ' — ', example[1]);
    }));
    return h('div', { class: 'bio-properties-panel-entry', 'data-entry-id': 'timerEventDefinitionValue' },
      h('div', { class: 'bio-properties-panel-textfield' },
        h('label', { for: 'bio-properties-panel-timerEventDefinitionValue', class: 'bio-properties-panel-label' }, '值（Python 表达式）'),
        textInput('timerEventDefinitionValue', parts.expression && parts.expression.body, write),
        picker),
      h('div', { class: 'bio-properties-panel-description juhaoban-help' }, help[0], examples, WORKING_DAYS_HELP));
  }

  function updateTimer(groups) {
    groups.forEach(function (group) {
      (group.entries || []).forEach(function (e, index) {
        if (e.id === 'timerEventDefinitionValue') {
          group.entries[index] = Object.assign({}, e, { component: TimerValueEntry });
        }
      });
    });
  }

  // --- the provider ----------------------------------------------------------------------
  function EnginePanel(propertiesPanel, eventBus) {
    propertiesPanel.registerProvider(200, this);
    var config = JSON.parse(document.getElementById('designer-config').textContent);
    if (!config.panelOptionsUrl) { return; }
    fetch(config.panelOptionsUrl, { credentials: 'same-origin' }).then(function (response) {
      if (!response.ok) { throw new Error('HTTP ' + response.status); }
      return response.json();
    }).then(function (loaded) {
      options = loaded;
      eventBus.fire('propertiesPanel.providersChanged');
    }).catch(function () {
      // The panel still edits everything by hand; only the pick lists stay empty.
      options = { operations: [], groups: [], expressions: [], failed: true };
    });
  }
  EnginePanel.$inject = ['propertiesPanel', 'eventBus'];
  EnginePanel.prototype.getGroups = function (element) {
    return function (groups) {
      if (element.businessObject && element.businessObject.$instanceOf('bpmn:ServiceTask')) {
        var at = groups.findIndex(function (g) { return g.id === 'general'; });
        groups.splice(at + 1, 0, serviceGroup(element));
      }
      updateUserAssignment(groups);
      updateTimer(groups);
      return groups;
    };
  };

  window.JuhaobanEnginePanel = { __init__: ['juhaobanEnginePanel'], juhaobanEnginePanel: ['type', EnginePanel] };
})();
