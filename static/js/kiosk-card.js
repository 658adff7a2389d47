// The visitor card on the huiskamer tablet (issue 14). The camera turns on only after
// "Ik heb een kaart" is tapped, shows that it is on, and turns off after a read or after
// CAMERA_FOR_MS. Frames are decoded here, on the tablet (BarcodeDetector where the browser
// has it, else the vendored jsQR); nothing of the image leaves the tablet, only the code.
// A USB or Bluetooth scanner that types the card's URL (or code) and Enter works too.
// A read is queued like a tap (kiosk.js), with its own client id, so a replay counts once.
(function () {
  "use strict";
  const section = document.getElementById("kaart");
  const kiosk = window.buurthuisKiosk;
  if (!section || !kiosk) return;
  const cardUrl = section.dataset.cardUrl;
  const button = document.getElementById("kaart-knop");
  const cameraBox = document.getElementById("kaart-camera");
  const video = document.getElementById("kaart-video");
  const notice = document.getElementById("kaart-melding");
  const CAMERA_FOR_MS = 20000;
  const SCAN_EVERY_MS = 150;
  const SCANNER_KEY_GAP_MS = 60;  // a scanner types much faster than a person
  const CARD = /(?:\/kaart\/)?([A-Za-z2-7]{20})\/?(?:[?#].*)?$/;

  let stream = null;
  let stopTimer = null;
  let scanTimer = null;
  let detector = null;
  let busy = false;

  function codeOf(text) {
    const match = CARD.exec(String(text || "").trim());
    return match ? match[1].toUpperCase() : null;
  }

  function say(text) {
    notice.textContent = text;
    notice.hidden = !text;
  }

  function stopCamera() {
    clearTimeout(stopTimer);
    clearInterval(scanTimer);
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.srcObject = null;
    cameraBox.hidden = true;
    button.setAttribute("aria-pressed", "false");
    section.classList.remove("is-camera-on");
  }

  async function makeDetector() {
    if ("BarcodeDetector" in window) {
      try {
        const formats = await window.BarcodeDetector.getSupportedFormats();
        if (formats.includes("qr_code")) return new window.BarcodeDetector({ formats: ["qr_code"] });
      } catch (unsupported) { /* fall back to jsQR */ }
    }
    return null;
  }

  const canvas = document.createElement("canvas");
  async function decodeFrame() {
    if (!stream || busy || video.readyState < 2 || !video.videoWidth) return null;
    if (detector) {
      const found = await detector.detect(video);
      return found.length ? found[0].rawValue : null;
    }
    if (!window.jsQR) return null;
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
    const found = window.jsQR(pixels.data, pixels.width, pixels.height, { inversionAttempts: "dontInvert" });
    return found ? found.data : null;
  }

  async function startCamera() {
    if (stream) { stopCamera(); return; }
    say("");
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      say(section.dataset.noCamera);
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false });
    } catch (refused) {
      stream = null;
      say(section.dataset.noCamera);
      return;
    }
    detector = detector || await makeDetector();
    video.srcObject = stream;
    cameraBox.hidden = false;
    button.setAttribute("aria-pressed", "true");
    section.classList.add("is-camera-on");
    try { await video.play(); } catch (blocked) { /* muted inline video plays anyway */ }
    stopTimer = setTimeout(stopCamera, CAMERA_FOR_MS);
    scanTimer = setInterval(async () => {
      let text = null;
      try { text = await decodeFrame(); } catch (frameError) { text = null; }
      if (text === null) return;
      const code = codeOf(text);
      if (code) { stopCamera(); read(code); } else { say(section.dataset.garbled); }
    }, SCAN_EVERY_MS);
  }

  // One read: queued first (the network may be down), then sent at once for its answer.
  async function read(code) {
    if (busy) return;
    busy = true;
    kiosk.stillHere();
    const item = { url: cardUrl, client_id: kiosk.uuid(), code, read_at: new Date().toISOString() };
    try {
      await kiosk.enqueue(item);
      let response;
      try {
        response = await kiosk.send(item);
      } catch (networkError) {
        kiosk.setOnline(false);
        kiosk.showThanks(section.dataset.queued);
        return;
      }
      kiosk.setOnline(true);
      if (response.status === 401) { window.location.reload(); return; }
      if (response.status === 429 || response.status >= 500) {
        kiosk.showThanks(section.dataset.queued);
        return;
      }
      await kiosk.dequeue(item.client_id);
      const answer = await response.json().catch(() => ({}));
      const message = answer.message || (answer.error && answer.error.message) || section.dataset.garbled;
      kiosk.showThanks(message);
    } finally {
      busy = false;
    }
  }

  // A scanner types the QR's text and Enter, within a few milliseconds a key.
  let typed = "";
  let lastKey = 0;
  window.addEventListener("keydown", (event) => {
    const now = Date.now();
    if (now - lastKey > SCANNER_KEY_GAP_MS) typed = "";
    lastKey = now;
    if (event.key === "Enter") {
      const code = typed.length >= 20 ? codeOf(typed) : null;
      typed = "";
      if (code) {
        event.preventDefault();  // not a click on the focused button
        stopCamera();
        read(code);
      }
      return;
    }
    if (event.key.length === 1) typed += event.key;
  }, true);

  button.addEventListener("click", startCamera);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState !== "visible") stopCamera(); });
  section.hidden = false;  // without script the card cannot be read: the tap stays
  section.dataset.ready = "true";
})();
