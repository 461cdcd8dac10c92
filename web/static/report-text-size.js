// Large-text mode of the report pages, applied before the page is drawn (loaded in <head>,
// not deferred) so a person who chose it never sees the small text first. report.js owns
// the 大字 button that changes it.
(function () {
  "use strict";
  try {
    if (window.localStorage.getItem("juhaoban.largeText") === "1") {
      document.documentElement.classList.add("large-text");
    }
  } catch (e) { /* storage blocked: normal size */ }
})();
