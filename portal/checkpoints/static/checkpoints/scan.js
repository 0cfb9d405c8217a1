/* Staff scan of personal QR codes: the phone's camera, and a queue that survives the network.

   Every scan (camera, hand-held scanner or typed) is put in a queue kept in the phone's
   localStorage with the time it was made and a random id, then sent to the portal. When the
   network is down the scans wait, counted on the page, and are sent when it returns (the
   "online" event, a retry every 20 s, or opening the page again); the portal records each at the
   time it was made and records a scan sent twice once.

   Decoding: the browser's BarcodeDetector where it has one (Android's Chrome), else jsQR
   (vendor/jsQR.js, loaded only when the camera is first used). Both read frames of the camera
   through decodeSource(), which a test can call with an image. */
(function () {
  "use strict";
  var root = document.getElementById("ckp-scan");
  if (!root) return;
  var form = root.querySelector("form");
  var select = form.querySelector("select[name=checkpoint]");
  var input = form.querySelector("input[name=token]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
  var syncUrl = root.getAttribute("data-sync-url");
  var jsqrUrl = root.getAttribute("data-jsqr-url");
  var storeKey = "ckp-scan-queue:" + root.getAttribute("data-user");
  var video = root.querySelector(".ckp-scan__video");
  var cameraButton = root.querySelector("[data-ckp-camera]");
  var status = root.querySelector(".ckp-scan__status");
  var queueText = root.querySelector(".ckp-scan__queue");
  var failedList = root.querySelector(".ckp-scan__list");
  var text = JSON.parse(document.getElementById("ckp-scan-text").textContent);
  var sending = false;

  // --- The queue --------------------------------------------------------------------------
  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey) || "[]"); } catch (e) { return []; }
  }
  function save(queue) { localStorage.setItem(storeKey, JSON.stringify(queue)); }
  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
  function showQueue() {
    var n = load().length;
    queueText.textContent = n ? text.waiting.replace("{n}", n) : "";
    queueText.hidden = !n;
  }
  function say(message, risk) {
    status.textContent = message;
    status.hidden = !message;
    status.classList.toggle("ckp-scan__status--risk", !!risk);
  }

  /* The one way in for a scan: the camera's decoder and the form both call it. */
  function submitToken(token, scannedAt) {
    token = (token || "").trim();
    if (!token) return null;
    if (!select.value) { say(text.chooseCheckpoint, true); select.focus(); return null; }
    var item = {
      id: newId(),
      checkpoint: select.value,
      token: token,
      scanned_at: scannedAt || new Date().toISOString(),
    };
    var queue = load();
    queue.push(item);
    save(queue);
    showQueue();
    say(navigator.onLine ? text.sending : text.queued, false);
    flush();
    return item.id;
  }

  function flush() {
    var queue = load();
    if (sending || !queue.length || !navigator.onLine) { showQueue(); return Promise.resolve(); }
    sending = true;
    var batch = queue.slice(0, 50);
    return fetch(syncUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf.value },
      body: JSON.stringify({ scans: batch }),
    }).then(function (response) {
      if (response.redirected || response.status === 403) {
        // Signed out (the session ended): the scans stay here until the user signs in again.
        throw new Error("login");
      }
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    }).then(function (answer) {
      var done = {};
      (answer.results || []).forEach(function (r) {
        done[r.id] = true;
        if (r.ok) {
          var line = (r.action === "out" ? text.out : text["in"])
            .replace("{name}", r.name).replace("{time}", r.time);
          say(r.risk ? line + " " + text.risk : line, r.risk);
        } else {
          var li = document.createElement("li");
          li.textContent = r.error;
          failedList.appendChild(li);
          failedList.hidden = false;
          say(r.error, true);
        }
      });
      save(load().filter(function (item) { return !done[item.id]; }));
      sending = false;
      showQueue();
      if (load().length) return flush();
    }).catch(function (error) {
      sending = false;
      showQueue();
      // Offline, or the portal did not answer: try again later.
      say(error && error.message === "login" ? text.login : text.queued, error && error.message === "login");
    });
  }

  window.addEventListener("online", flush);
  window.addEventListener("offline", showQueue);
  setInterval(flush, 20000);

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (submitToken(input.value)) input.value = "";
    input.focus();
  });

  // --- The camera -------------------------------------------------------------------------
  var detector = null, canvas = document.createElement("canvas"), lastToken = "", lastAt = 0;
  var running = false, stream = null;

  function loadJsQR() {
    if (window.jsQR) return Promise.resolve();
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = jsqrUrl;
      s.onload = resolve;
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }
  function prepareDecoder() {
    if (detector !== null) return Promise.resolve();
    if ("BarcodeDetector" in window) {
      return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
        if (formats.indexOf("qr_code") !== -1) {
          detector = new window.BarcodeDetector({ formats: ["qr_code"] });
          return;
        }
        detector = false;
        return loadJsQR();
      }).catch(function () { detector = false; return loadJsQR(); });
    }
    detector = false;
    return loadJsQR();
  }

  /* The text of a QR code in an image, a canvas or a video frame, or "" when there is none. */
  function decodeSource(source) {
    return prepareDecoder().then(function () {
      if (detector) {
        return detector.detect(source).then(function (codes) {
          return codes.length ? codes[0].rawValue : "";
        });
      }
      var w = source.videoWidth || source.naturalWidth || source.width;
      var h = source.videoHeight || source.naturalHeight || source.height;
      if (!w || !h) return "";
      var scale = Math.min(1, 720 / Math.max(w, h));
      canvas.width = Math.round(w * scale);
      canvas.height = Math.round(h * scale);
      var ctx = canvas.getContext("2d", { willReadFrequently: true });
      ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
      var image = ctx.getImageData(0, 0, canvas.width, canvas.height);
      var code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      return code ? code.data : "";
    });
  }

  function onDecoded(token) {
    var now = Date.now();
    // The same code held in front of the camera: one scan, not one per frame.
    if (!token || (token === lastToken && now - lastAt < 4000)) return;
    lastToken = token;
    lastAt = now;
    if (navigator.vibrate) navigator.vibrate(80);
    submitToken(token);
  }

  function tick() {
    if (!running) return;
    var next = function () { if (running) setTimeout(tick, 200); };
    if (video.readyState < 2) { next(); return; }
    decodeSource(video).then(onDecoded, function () {}).then(next);
  }

  function startCamera() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      say(text.noCamera, true);
      return;
    }
    prepareDecoder().then(function () {
      return navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    }).then(function (s) {
      stream = s;
      video.srcObject = s;
      video.hidden = false;
      return video.play();
    }).then(function () {
      running = true;
      cameraButton.textContent = text.stopCamera;
      say(text.pointCamera, false);
      tick();
    }).catch(function () {
      say(text.noCamera, true);
    });
  }
  function stopCamera() {
    running = false;
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    video.hidden = true;
    cameraButton.textContent = text.startCamera;
  }
  cameraButton.hidden = false;
  cameraButton.addEventListener("click", function () { running ? stopCamera() : startCamera(); });

  window.ckpScan = { submitToken: submitToken, decodeSource: decodeSource, onDecoded: onDecoded, flush: flush, queue: load };
  showQueue();
  flush();
})();
