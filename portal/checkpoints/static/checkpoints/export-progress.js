// Updates the poster export's progress bar while the zip is built (the page also works without
// this script: it then reloads itself every 2 seconds).
(function () {
  "use strict";
  var root = document.getElementById("ckp-export");
  if (!root) { return; }
  var bar = document.getElementById("ckp-progress");
  var text = document.getElementById("ckp-progress-text");
  var download = document.getElementById("ckp-download");
  var url = root.getAttribute("data-status-url");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        bar.value = s.percent;
        bar.textContent = s.percent + "%";
        text.textContent = s.status_label + ": " + s.done + " / " + s.total + " (" + s.percent + "%)";
        if (s.status === "done") { download.hidden = false; }
        if (!s.finished) { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  poll();
}());
