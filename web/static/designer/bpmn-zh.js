// Chinese labels for bpmn-js, its palette, context pad and the properties panel.
// bpmn-js looks every label up through the `translate` service; unknown labels stay English.
(function () {
  'use strict';
  var ZH = {
    // properties panel: groups and fields
    'General': '常规', 'Name': '名称', 'ID': '编号', 'Documentation': '说明',
    'Element documentation': '元素说明', 'Process documentation': '流程说明',
    'Version tag': '版本标签', 'Executable': '可执行', 'Process': '流程', 'Process name': '流程名称',
    'Process ID': '流程编号', 'Timer': '定时器', 'Type': '类型', 'Value': '值', '<none>': '<无>',
    'Date': '日期', 'Duration': '时长', 'Cycle': '周期',
    'A specific point in time defined as ISO 8601 combined date and time representation.':
      '一个确定的时刻。本平台中定时器值是 Python 表达式：ISO 字面量须加引号，如 "2026-05-01T09:00:00+08:00"，或引用流程变量，如 handle_deadline["due"]。',
    'A time duration defined as ISO 8601 durations format.':
      '一段时长。本平台中须加引号，如 "P1D"（1 天）、"PT4H"（4 小时）。',
    'A cycle defined as ISO 8601 repeating intervals format.':
      '重复周期。本平台中须加引号，如 "R3/P1D"（每天一次，共 3 次）。',
    // Help that suggests ${…} (JUEL) or Java: this engine evaluates Python expressions.
    'Start typing "${}" to create an expression.': '可以写 Python 表达式，例如 routing["primary"]；不支持 ${…} 写法。',
    'Specify more than one group as a comma separated list.':
      '多个组用英文逗号分隔；或以 = 开头写 Python 表达式，如 =primary_unit。不支持 ${…}。',
    'Specify more than one user as a comma separated list.': '多个人用英文逗号分隔。',
    'The due date as an EL expression (e.g. ${someDate}) or an ISO date (e.g. 2015-06-26T09:54:00).':
      '本平台不读取此项：办理期限由服务任务“计算环节期限”算出。',
    'The follow up date as an EL expression (e.g. ${someDate}) or an ISO date (e.g. 2015-06-26T09:54:00).':
      '本平台不读取此项。',
    'Refers to the process variable name': '流程变量名',
    'A cycle defined as ISO 8601 repeating intervals format, or a cron expression.':
      '重复周期。本平台中须加引号，如 "R3/P1D"（每天一次，共 3 次）；不支持 cron 表达式。',
    'Documentation: Timer events': '说明：定时事件', 'UTC time': 'UTC 时间',
    'UTC plus 2 hours zone offset': '东二区时间（北京时间写 +08:00）',
    'every 10 seconds, up to 5 times': '每 10 秒一次，共 5 次', 'every day, infinitely': '每天一次，无限重复',
    'every hour on the hour from 9-5 p.m. UTC Monday-Friday': '（cron 写法，本平台不支持）',
    '15 seconds': '15 秒', '1 hour and 30 minutes': '1 小时 30 分', '14 days': '14 天',
    'User assignment': '办理人分配', 'Assignee': '办理人', 'Candidate groups': '候选组',
    'Candidate users': '候选人', 'Due date': '到期日', 'Follow up date': '跟进日', 'Priority': '优先级',
    'Form fields': '表单字段', 'Form field': '表单字段', 'Label': '标签', 'Default value': '默认值',
    'Validation': '校验', 'Constraints': '约束', 'Constraint': '约束', 'Config': '配置',
    'Properties': '属性', 'Property': '属性', 'Values': '可选值', 'boolean': '是/否', 'date': '日期',
    'enum': '枚举', 'long': '整数', 'string': '文本', 'custom type': '自定义类型', 'Custom type': '自定义类型',
    'Script': '脚本', 'Format': '格式', 'Script format': '脚本格式', 'Inline script': '内联脚本',
    'External resource': '外部资源', 'Resource': '资源', 'Result variable': '结果变量',
    'Condition': '条件', 'Condition type': '条件类型', 'Expression': '表达式',
    'Condition expression': '条件表达式', 'Message': '消息', 'Global message reference': '消息引用',
    'Error': '错误', 'Global error reference': '错误引用', 'Code': '代码', 'Signal': '信号',
    'Escalation': '升级', 'Multi-instance': '多实例', 'Loop cardinality': '循环次数',
    'Completion condition': '完成条件', 'Collection': '集合', 'Element variable': '元素变量',
    'Called element': '被调用的流程', 'Call activity type': '调用类型', 'BPMN': 'BPMN',
    'Condition Expression': '条件表达式', '<custom type>': '<自定义类型>',
    'Create new list item': '新增一项', 'Delete item': '删除此项',
    'List contains {numOfItems} item': '共 {numOfItems} 项',
    'List contains {numOfItems} items': '共 {numOfItems} 项',
    'Participant Name': '参与者名称', 'Create': '新建', 'Delete': '删除', 'Add': '添加',
    'Remove': '移除', 'Open': '打开', 'Edit': '编辑', 'Link': '链接', 'Inputs': '输入', 'Outputs': '输出',
    'Must be an ISO 8601 date.': '必须是 ISO 8601 日期。',
    'Must provide a value.': '必须填写。',
    'ID must be unique.': '编号必须唯一。',
    'ID must not contain spaces.': '编号不能含空格。',
    'ID must not be empty.': '编号不能为空。',
    'ID must be a valid QName.': '编号必须是合法的名称（字母开头，不含空格和特殊字符）。',
    // element types shown in the panel header
    'Start Event': '开始事件', 'End Event': '结束事件', 'User Task': '人工任务', 'Service Task': '服务任务',
    'Script Task': '脚本任务', 'Task': '任务', 'Sub Process': '子流程', 'Call Activity': '调用活动',
    'Exclusive Gateway': '排他网关', 'Parallel Gateway': '并行网关', 'Inclusive Gateway': '包容网关',
    'Event-based Gateway': '事件网关', 'Sequence Flow': '连线', 'Lane': '泳道', 'Participant': '参与者',
    'Timer Boundary Event': '定时边界事件',
    'Timer Boundary Event (Non Interrupting)': '定时边界事件（非中断）',
    'Message Boundary Event (Non Interrupting)': '消息边界事件（非中断）',
    'Timer Start Event (Non Interrupting)': '定时开始事件（非中断）',
    'Message Start Event (Non Interrupting)': '消息开始事件（非中断）',
    'Expanded Sub Process': '子流程（展开）', 'Collapsed Sub Process': '子流程（折叠）',
    'Event Sub Process': '事件子流程', 'Conditional Flow': '条件连线', 'Default Flow': '默认连线',
    'Event Based Gateway': '事件网关', 'Intermediate Throw Event': '中间抛出事件',
    'Message Intermediate Throw Event': '消息中间抛出事件', 'Error Start Event': '错误开始事件',
    'Message End Event': '消息结束事件', 'Terminate End Event': '终止结束事件',
    'Escalation End Event': '升级结束事件', 'Signal End Event': '信号结束事件',
    'Error Boundary Event (Non Interrupting)': '错误边界事件（非中断）', 'Collaboration': '协作',
    'Manual Task': '手工任务', 'Send Task': '发送任务', 'Receive Task': '接收任务',
    'Business Rule Task': '业务规则任务', 'Data Store Reference': '数据存储', 'Group': '分组',
    'Message Boundary Event': '消息边界事件', 'Error Boundary Event': '错误边界事件',
    'Timer Intermediate Catch Event': '定时中间事件', 'Message Intermediate Catch Event': '消息中间事件',
    'Timer Start Event': '定时开始事件', 'Message Start Event': '消息开始事件',
    'Error End Event': '错误结束事件', 'Data Object Reference': '数据对象', 'Text Annotation': '注释',
    // palette and context pad
    'Activate the hand tool': '抓手工具（拖动画布）', 'Activate the lasso tool': '套索选择',
    'Activate the create/remove space tool': '插入/删除空白', 'Activate the global connect tool': '连线工具',
    'Create StartEvent': '新建开始事件', 'Create EndEvent': '新建结束事件', 'Create Task': '新建任务',
    'Create Gateway': '新建网关', 'Create expanded SubProcess': '新建展开的子流程',
    'Create Intermediate/Boundary Event': '新建中间/边界事件', 'Create Pool/Participant': '新建池/参与者',
    'Create DataObjectReference': '新建数据对象', 'Create DataStoreReference': '新建数据存储',
    'Create Group': '新建分组', 'Append EndEvent': '追加结束事件', 'Append Gateway': '追加网关',
    'Append Task': '追加任务', 'Append Intermediate/Boundary Event': '追加中间/边界事件',
    'Append TextAnnotation': '追加注释', 'Change type': '更改类型', 'Change element': '更改类型',
    'Connect using Sequence/MessageFlow or Association': '连线', 'Connect using DataInputAssociation': '数据连线',
    'Connect to other element': '连到其他元素', 'Delete': '删除', 'Remove': '删除',
    'Add Lane above': '在上方加泳道', 'Add Lane below': '在下方加泳道', 'Divide into two Lanes': '拆为两条泳道',
    'Divide into three Lanes': '拆为三条泳道', 'Append compensation activity': '追加补偿活动',
    'Search in diagram': '在图中搜索', 'Append element': '追加元素', 'Create element': '新建元素',
    'Append {type}': '追加{type}', 'Create {type}': '新建{type}'
  };

  function translate(template, replacements) {
    var text = ZH[template] || template;
    return text.replace(/{([^}]+)}/g, function (_, key) {
      return (replacements && replacements[key] !== undefined) ? replacements[key] : '{' + key + '}';
    });
  }

  window.JuhaobanBpmnZh = { translate: ['value', translate] };

  // The panel's list components (form fields, their constraints, …) are rendered without the
  // translate service and fall back to English ("Create", "List contains 2 items"): the
  // rendered text and tooltips are translated in place once they appear.
  var LIST_BADGE = /^List contains (\d+) items?$/;

  function localiseText(text) {
    var badge = LIST_BADGE.exec(text);
    return badge ? '共 ' + badge[1] + ' 项' : ZH[text];
  }

  function localisePanel(root) {
    root.querySelectorAll('.bio-properties-panel-add-entry-label').forEach(function (label) {
      var zh = localiseText(label.textContent);
      if (zh) { label.textContent = zh; }
    });
    root.querySelectorAll('.bio-properties-panel [title]').forEach(function (node) {
      var zh = localiseText(node.getAttribute('title'));
      if (zh) { node.setAttribute('title', zh); }
    });
  }

  function watchPanels() {
    // Called once per batch of mutations, before the browser paints: no English flashes. Its
    // own edits cause one more call that finds nothing left to change.
    new MutationObserver(function () { localisePanel(document); })
      .observe(document.body, { childList: true, subtree: true, characterData: true });
    localisePanel(document);
  }

  if (document.body) { watchPanels(); } else { document.addEventListener('DOMContentLoaded', watchPanels); }
})();
