// The huiskamer tablet. Keeps the screen awake, refreshes the QR code, and counts
// "Ik ben er" taps even while the network is down: each tap gets a random id, waits in
// IndexedDB, and is sent when the network returns; the server counts each id once.
(function () {
  "use strict";
  const root = document.getElementById("kiosk");
  if (!root) return;
  const tapUrl = root.dataset.tapUrl;
  const statusUrl = root.dataset.statusUrl;
  const qr = document.getElementById("qr");
  const now = document.getElementById("nu");
  const online = document.getElementById("online");
  const thanks = document.getElementById("bedankt");
  const RESET_AFTER_MS = 5000;
  const QR_REFRESH_MS = 45000;
  const IDLE_RESET_MS = 90000;
  const WELCOME_LANGUAGE = "nl";

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  // --- the offline queue (IndexedDB) ---
  let dbPromise = null;
  function database() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const request = indexedDB.open("buurthuis-kiosk", 1);
        request.onupgradeneeded = () => request.result.createObjectStore("taps", { keyPath: "client_id" });
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    }
    return dbPromise;
  }
  function store(mode, work) {
    return database().then((db) => new Promise((resolve, reject) => {
      const tx = db.transaction("taps", mode);
      const result = work(tx.objectStore("taps"));
      tx.oncomplete = () => resolve(result && result.result);
      tx.onerror = () => reject(tx.error);
    }));
  }
  const enqueue = (tap) => store("readwrite", (s) => s.put(tap));
  const dequeue = (id) => store("readwrite", (s) => s.delete(id));
  const queued = () => store("readonly", (s) => s.getAll());

  function setOnline(isOnline) {
    online.textContent = isOnline ? online.dataset.online : online.dataset.offline;
    online.classList.toggle("is-offline", !isOnline);
  }

  // A queued visit is a tap, or a card read (kiosk-card.js) that says where it goes.
  function send(item) {
    const { url, ...body } = item;
    return fetch(url || tapUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    });
  }

  let flushing = false;
  async function flush() {
    if (flushing) return;
    flushing = true;
    try {
      for (const tap of await queued()) {
        let response;
        try {
          response = await send(tap);
        } catch (networkError) {
          setOnline(false);
          return;
        }
        setOnline(true);
        if (response.status === 401) { window.location.reload(); return; }
        if (response.ok || (response.status >= 400 && response.status < 500 && response.status !== 429)) {
          await dequeue(tap.client_id);
        }
      }
    } finally {
      flushing = false;
    }
  }

  // After each visitor the welcome screen speaks Dutch again: the language is kept in the
  // session, so ask for Dutch with the footer's own language form (which reloads this page).
  function backToWelcomeLanguage() {
    if (document.documentElement.lang === WELCOME_LANGUAGE || !navigator.onLine) return;
    const button = document.querySelector(`.language-buttons button[name="lang"][value="${WELCOME_LANGUAGE}"]`);
    if (button) button.click();
  }

  let resetTimer = null;
  function showThanks(text) {
    thanks.textContent = typeof text === "string" ? text : thanks.dataset.thanks;
    thanks.hidden = false;
    root.classList.add("is-thanking");
    clearTimeout(resetTimer);
    resetTimer = setTimeout(() => {
      thanks.hidden = true;
      root.classList.remove("is-thanking");
      backToWelcomeLanguage();
    }, RESET_AFTER_MS);
  }

  // A visitor who chose a language and walked away without tapping: back to Dutch too.
  let idleTimer = null;
  function stillHere() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(backToWelcomeLanguage, IDLE_RESET_MS);
  }
  ["pointerdown", "keydown"].forEach((kind) => document.addEventListener(kind, stillHere, { passive: true }));
  stillHere();

  document.getElementById("tap-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    await enqueue({ client_id: uuid(), tapped_at: new Date().toISOString() });
    showThanks();
    flush();
  });

  async function refresh() {
    try {
      const response = await fetch(statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (response.status === 401) { window.location.reload(); return; }
      if (!response.ok) { setOnline(false); return; }  // e.g. 503 while the database is away
      const status = await response.json();
      if (status.offline) {  // the service worker's last status: the network is away
        setOnline(false);
        if (status.now_line) now.textContent = status.now_line;
        return;
      }
      setOnline(true);
      qr.src = status.qr_src;
      now.textContent = status.now_line;  // also when the activity has ended
      flush();
    } catch (networkError) {
      setOnline(false);
    }
  }

  // --- keep the screen awake; browsers drop the lock when the page is hidden ---
  let wakeLock = null;
  async function stayAwake() {
    try {
      if ("wakeLock" in navigator && document.visibilityState === "visible") {
        wakeLock = await navigator.wakeLock.request("screen");
      }
    } catch (refused) { wakeLock = null; }
  }
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") stayAwake(); });

  document.getElementById("fullscreen").addEventListener("click", () => {
    if (document.fullscreenElement) document.exitFullscreen();
    else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
  });

  window.addEventListener("online", () => { setOnline(true); flush(); });
  window.addEventListener("offline", () => setOnline(false));
  setOnline(navigator.onLine);
  stayAwake();
  refresh();  // also learns at once whether the network is there (and then flushes)
  setInterval(refresh, QR_REFRESH_MS);
  setInterval(flush, 15000);
  // What the card reader (kiosk-card.js) shares with the tap: the queue and the thanks.
  window.buurthuisKiosk = { uuid, enqueue, dequeue, send, flush, setOnline, showThanks, stillHere };
  root.dataset.ready = "true";  // the tap is now counted by script (tests wait for this)
})();
