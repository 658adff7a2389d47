// The huiskamer tablet as an offline web app (next to kiosk.js, which queues the taps).
// Registers the kiosk's service worker (kiosk-sw.js), says in the QR area that phones can
// check in again once the network is back (hiding the QR code, which no phone could use),
// keeps the language buttons from leaving the kiosk for a browser error page while offline,
// and reloads the screen once when a new version of the kiosk has taken over, when idle.
(function () {
  "use strict";
  const root = document.getElementById("kiosk");
  const online = document.getElementById("online");
  const message = document.getElementById("qr-offline");
  if (!root || !online || !message) return;
  const section = message.closest(".kiosk-qr");
  const IDLE_AFTER_MS = 20000;

  const isOffline = () => online.classList.contains("is-offline");

  // --- the QR area follows kiosk.js's own verdict on the network (#online) ---
  function showNetwork() {
    const offline = isOffline();
    message.hidden = !offline;
    section.classList.toggle("is-offline", offline);
    section.querySelectorAll("img, .kiosk-hint").forEach((element) => { element.hidden = offline; });
  }
  new MutationObserver(showNetwork).observe(online, { attributes: true, attributeFilter: ["class"] });
  showNetwork();

  // A language button posts a form; offline that would show the browser's error page.
  document.querySelectorAll(".language-buttons form").forEach((form) => {
    form.addEventListener("submit", (event) => { if (isOffline() || !navigator.onLine) event.preventDefault(); });
  });

  const script = document.currentScript;
  if (!("serviceWorker" in navigator) || !script || !script.dataset.worker) return;
  const HOUR_MS = 3600000;

  // --- a new version took over: reload once, but not while someone is at the tablet ---
  let lastTouch = Date.now();
  ["pointerdown", "keydown"].forEach((kind) => document.addEventListener(kind, () => { lastTouch = Date.now(); }, { passive: true }));
  const idle = () => !root.classList.contains("is-thanking") && !document.querySelector('#kaart-knop[aria-pressed="true"]') // camera off
    && Date.now() - lastTouch > IDLE_AFTER_MS;
  let reloading = false;
  function reloadWhenIdle() {
    if (reloading) return;
    if (!idle()) { setTimeout(reloadWhenIdle, 2000); return; }
    reloading = true;
    window.location.reload();
  }
  const hadWorker = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (hadWorker) reloadWhenIdle();  // the first worker taking over changes nothing on screen
    else root.dataset.offlineReady = "true";
  });
  if (hadWorker) root.dataset.offlineReady = "true";

  navigator.serviceWorker.register(script.dataset.worker, { scope: script.dataset.scope })
    .then((registration) => {  // the screen stays open for days: ask for a new version hourly
      setInterval(() => registration.update().catch(() => {}), HOUR_MS);
    })
    .catch(() => { /* no offline shell on this browser; the tap queue still works */ });
})();
