// Updates the report's progress bar while it is written (the page also works without this
// script: it then reloads itself every 2 seconds).
(function () {
  "use strict";
  var root = document.getElementById("rpt-run");
  if (!root) { return; }
  var bar = document.getElementById("rpt-progress");
  var text = document.getElementById("rpt-progress-text");
  var download = document.getElementById("rpt-download");
  var failed = document.getElementById("rpt-failed");
  var url = root.getAttribute("data-status-url");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        bar.value = s.percent;
        bar.textContent = s.percent + "%";
        text.textContent = s.status_label + " (" + s.percent + "%)";
        if (s.status === "done") { download.hidden = false; }
        if (s.status === "failed") { failed.hidden = false; }
        if (!s.finished) { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  poll();
}());
