// Progress of a background job (a poster export, a report): polls the element's
// data-status-url and updates its bar, text, download link and failure message. Without this
// script the page reloads itself every 2 seconds. The status answers
// {status, status_label, percent, finished} and, when it counts items, {done, total}.
(function () {
  "use strict";
  var root = document.querySelector("[data-job-progress]");
  if (!root) { return; }
  function part(name) { return root.querySelector("[data-job-" + name + "]"); }
  var bar = part("bar"), text = part("text"), download = part("download"), failed = part("failed");
  var url = root.getAttribute("data-status-url");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        bar.value = s.percent;
        bar.textContent = s.percent + "%";
        var counted = s.total ? ": " + s.done + " / " + s.total : "";
        text.textContent = s.status_label + counted + " (" + s.percent + "%)";
        if (download && s.status === "done") { download.hidden = false; }
        if (failed && s.status === "failed") { failed.hidden = false; }
        if (!s.finished) { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  poll();
}());
