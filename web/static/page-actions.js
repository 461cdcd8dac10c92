// Behaviour that pages used to write as inline handlers (onclick=, onsubmit=, javascript:
// links), which the Content-Security-Policy forbids: markup declares what it wants with
// data attributes and this file, served from our origin, does it.
(function () {
  'use strict';
  document.addEventListener('click', function (event) {
    var target = event.target.closest('[data-action]');
    if (!target) return;
    if (target.dataset.action === 'print') {
      event.preventDefault();
      window.print();
    } else if (target.dataset.action === 'back' && window.history.length > 1) {
      // Without history the link's own href (a sensible page) is followed instead.
      event.preventDefault();
      window.history.back();
    }
  });
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
