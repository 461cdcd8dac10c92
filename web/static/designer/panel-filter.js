// Hide the properties-panel groups for Camunda features this engine never runs (Java hooks,
// listeners, job execution, async continuations, IO mappings…), so designers only see what
// takes effect here (ADR 0005). Unknown groups stay visible.
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

  function PanelFilter(propertiesPanel) {
    propertiesPanel.registerProvider(100, this);
  }
  PanelFilter.$inject = ['propertiesPanel'];
  PanelFilter.prototype.getGroups = function () {
    return function (groups) {
      return groups.filter(function (group) { return HIDDEN.indexOf(group.id) === -1; });
    };
  };

  window.JuhaobanPanelFilter = { __init__: ['juhaobanPanelFilter'], juhaobanPanelFilter: ['type', PanelFilter] };
})();
