// The huiskamer tablet's service worker (served from /kiosk/sw.js, which puts
// KIOSK_VERSION and KIOSK_ASSETS in front of this file). It keeps the kiosk screen as last
// fetched (the "shell"), its CSS, scripts and icons, and the last status, so that a reload
// or restart of the tablet while the network is down still shows the kiosk, whose taps
// wait in IndexedDB (kiosk.js) until the network returns.
//   the screen (a navigation to /kiosk): network first, else the kept shell;
//   the status (/kiosk/status.json):     network first, else the last one, marked offline;
//   the assets (KIOSK_ASSETS):           from the versioned cache, filled at install.
// Nothing else is touched: no POST, no other page, no other file is ever kept.
/* global KIOSK_VERSION, KIOSK_ASSETS */
"use strict";

const PREFIX = "buurthuis-kiosk-";
const ASSET_CACHE = `${PREFIX}assets-${KIOSK_VERSION}`;
const PAGE_CACHE = `${PREFIX}pages`;  // the shell and the status: the last of each
const SCOPE = new URL(self.registration.scope);
const SHELL_URL = new URL(SCOPE.pathname, SCOPE).href;  // /kiosk
const STATUS_URL = new URL(`${SCOPE.pathname}/status.json`, SCOPE).href;
const ASSET_URLS = new Set(KIOSK_ASSETS.map((path) => new URL(path, SCOPE).href));

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(ASSET_CACHE);
    // Past the browser's HTTP cache, so a new version really fetches the new files.
    await cache.addAll(KIOSK_ASSETS.map((path) => new Request(path, { cache: "reload" })));
    try {  // the page that registered us was loaded before we existed: keep it now
      await keepShell(await fetch(SHELL_URL, { credentials: "same-origin", cache: "no-store" }));
    } catch (networkError) { /* kept on the next navigation */ }
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== ASSET_CACHE && name !== PAGE_CACHE) {
        await caches.delete(name);
      }
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;  // taps and forms go to the network, never kept
  const url = new URL(request.url);
  url.hash = "";
  if (request.mode === "navigate") {
    if (url.origin === SCOPE.origin && url.pathname === SCOPE.pathname) {
      event.respondWith(screen(request));
    }
    return;  // every other page: the browser's own way
  }
  if (url.href === STATUS_URL) event.respondWith(status(request));
  else if (ASSET_URLS.has(url.href)) event.respondWith(asset(request, url.href));
});

async function keepShell(response) {
  const pages = await caches.open(PAGE_CACHE);
  if (response.ok && response.headers.get("X-Kiosk-Shell") === "1") {
    await pages.put(SHELL_URL, response.clone());
  } else if (response.ok || response.status === 401) {
    // The pairing page: this tablet is not (or no longer) paired, so keep nothing.
    await pages.delete(SHELL_URL);
    await pages.delete(STATUS_URL);
  }
  return response;
}

async function screen(request) {
  try {
    const response = await fetch(request);
    if (response.status < 500) return await keepShell(response);
    return (await kept(SHELL_URL)) || response;
  } catch (networkError) {
    const shell = await kept(SHELL_URL);
    if (shell) return shell;
    throw networkError;
  }
}

async function status(request) {
  let response;
  try {
    response = await fetch(request);
  } catch (networkError) {
    response = null;
  }
  if (response && response.status < 500) {
    const pages = await caches.open(PAGE_CACHE);
    if (response.ok) await pages.put(STATUS_URL, response.clone());
    else if (response.status === 401) await keepShell(response);  // revoked: forget all
    return response;
  }
  const last = await kept(STATUS_URL);
  const body = last ? await last.json() : { paired: true };
  return new Response(JSON.stringify({ ...body, offline: true }), {
    status: 200,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  });
}

async function kept(url) {
  const pages = await caches.open(PAGE_CACHE);
  return pages.match(url);
}

async function asset(request, href) {
  const cache = await caches.open(ASSET_CACHE);
  const hit = await cache.match(href);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(href, response.clone());
  return response;
}
