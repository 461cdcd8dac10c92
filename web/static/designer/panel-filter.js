// Hide the properties-panel groups for Camunda features this engine never runs (Java hooks,
// listeners, job execution, async continuations, IO mappings…), so designers only see what
// takes effect here (ADR 0005). Unknown groups stay visible. Inside the groups that stay,
// entries the engine never reads are hidden too (engine/core/task_metadata.py reads a user
// task's assignee, candidate groups and form fields' id, label, type, values and constraints).
(function () {
  'use strict';
  var HIDDEN = [
    'CamundaPlatform__AsynchronousContinuations', 'CamundaPlatform__JobExecution',
    'CamundaPlatform__ExecutionListener', 'CamundaPlatform__TaskListener',
    'CamundaPlatform__Input', 'CamundaPlatform__Output', 'CamundaPlatform__Implementation',
    'CamundaPlatform__FieldInjection', 'CamundaPlatform__HistoryCleanup',
    'CamundaPlatform__Tasklist', 'CamundaPlatform__CandidateStarter',
    'CamundaPlatform__ExternalTask', 'CamundaPlatform__ProcessVariables',
    'CamundaPlatform__ExtensionProperties', 'CamundaPlatform__Form', 'CamundaPlatform__Connector',
    'CamundaPlatform__ConnectorInput', 'CamundaPlatform__ConnectorOutput',
    'CamundaPlatform__InMapping', 'CamundaPlatform__OutMapping', 'CamundaPlatform__InMappingPropagation',
    'CamundaPlatform__OutMappingPropagation', 'CamundaPlatform__BusinessKey'
  ];

  // User assignment: candidate users, due and follow-up dates and priority are not read.
  var HIDDEN_ENTRIES = ['candidateUsers', 'dueDate', 'followUpDate', 'priority'];
  // Form fields are list items whose entry ids end so: default values and field properties
  // are not read.
  var HIDDEN_ENTRY_ENDINGS = ['-formFieldDefaultValue', '-formFieldProperties'];

  function shown(entry) {
    return HIDDEN_ENTRIES.indexOf(entry.id) === -1 && !HIDDEN_ENTRY_ENDINGS.some(function (end) {
      return entry.id.slice(-end.length) === end;
    });
  }

  function PanelFilter(propertiesPanel) {
    propertiesPanel.registerProvider(100, this);
  }
  PanelFilter.$inject = ['propertiesPanel'];
  PanelFilter.prototype.getGroups = function () {
    return function (groups) {
      return groups.filter(function (group) { return HIDDEN.indexOf(group.id) === -1; }).map(function (group) {
        if (group.entries) { group.entries = group.entries.filter(shown); }
        (group.items || []).forEach(function (item) {
          if (item.entries) { item.entries = item.entries.filter(shown); }
        });
        return group;
      });
    };
  };

  window.JuhaobanPanelFilter = { __init__: ['juhaobanPanelFilter'], juhaobanPanelFilter: ['type', PanelFilter] };
})();
