// The portal's service worker (served at /sw.js, Service-Worker-Allowed: /), version {{ version }}.
// - The app shell (CSS, scripts) is kept at install, in a cache named by the shell's version.
// - Pages: network first; each page a signed-in person gets is kept in that person's cache
//   (portal-pages-<hash of their id>, from the page's X-Portal-User header) and shown when there is no
//   connection. The check-in form is one page for all cases, so its kept copy serves every case.
// - Sign-out removes the person's cache; another person's pages are removed when someone signs in.
// Check-ins themselves are not here: the pages keep them in IndexedDB (static/queue.js).
const VERSION = '{{ version }}';
const SHELL_CACHE = `portal-shell-${VERSION}`;
const SHELL = {{ shell|list|tojson }}.map((name) => `/static/${name}?v=${VERSION}`);
const META = 'portal-meta';
const PAGES = (user) => `portal-pages-${user}`;
const NEVER_KEPT = new Set(['/login', '/logout', '/welcome', '/sync', '/sw.js', '/healthz', '/readyz', '/metrics']);
const FORM = '/checkin';
const NOT_KEYS = ['done', 'lang'];  // a page's one-time note and a language switch: the same page

function key(url) {
  const parsed = new URL(url, self.location.origin);
  for (const name of NOT_KEYS) parsed.searchParams.delete(name);
  return parsed.href;
}

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('portal-shell-') && name !== SHELL_CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

async function currentUser() {
  const found = await (await caches.open(META)).match('/__portal_user');
  return found ? found.text() : '';
}

async function setUser(user) {
  const meta = await caches.open(META);
  if (user) await meta.put('/__portal_user', new Response(user));
  else await meta.delete('/__portal_user');
}

async function keep(url, response) {
  const user = response.headers.get('X-Portal-User');
  if (!user || response.status !== 200 || response.redirected) return;
  await (await caches.open(PAGES(user))).put(key(url), response);
  await setUser(user);
}

async function kept(request, orOffline = true) {
  const user = await currentUser();
  if (!user) return null;
  const cache = await caches.open(PAGES(user));
  const options = { ignoreVary: true };
  const path = new URL(request.url).pathname;
  return (await cache.match(key(request.url), options))
    || (path === FORM ? await cache.match(FORM, options) : null)  // the form is the same page for every case
    || (await cache.match(request.url, { ...options, ignoreSearch: true }))
    || (orOffline ? cache.match('/offline', options) : null);
}

async function page(request) {
  try {
    const response = await fetch(request);
    if (response.status >= 500) {  // the portal or an API it needs is down: the kept copy, if there is one
      const copy = await kept(request, false);
      if (copy) return copy;
    }
    await keep(request.url, response.clone());
    return response;
  } catch (error) {
    const copy = await kept(request);
    if (copy) return copy;
    return new Response('<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
      + '<title>Homeward</title><p lang="fr">Hors ligne.</p><p lang="en">Offline.</p>',
    { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/static/')) {
    event.respondWith(caches.match(request, { ignoreSearch: true }).then((hit) => hit || fetch(request)));
    return;
  }
  if (NEVER_KEPT.has(url.pathname)) return;
  if (request.mode === 'navigate' || (request.headers.get('Accept') || '').includes('text/html')) {
    event.respondWith(page(request));
  }
});

async function warm(user, urls) {
  for (const url of urls) {
    try {
      const response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
      if (response.headers.get('X-Portal-User') === user) await keep(new URL(url, self.location.origin).href, response);
    } catch (error) {
      return;  // no connection: try again on a later page
    }
  }
}

self.addEventListener('message', (event) => {
  const data = event.data || {};
  if (data.type === 'user' && data.user) event.waitUntil(setUser(data.user));
  if (data.type === 'warm' && data.user) event.waitUntil(warm(data.user, data.urls || []));
  if (data.type === 'signed-out') {
    event.waitUntil((async () => {
      if (data.user) await caches.delete(PAGES(data.user));
      await setUser('');
    })());
  }
});
