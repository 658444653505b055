// The portal's service worker (served at /sw.js, Service-Worker-Allowed: /), version {{ version }}.
// - The app shell (CSS, scripts) is kept at install, in a cache named by the shell's version, and answered
//   from there.
// - Pages: each page a signed-in person gets is kept in that person's cache (portal-pages-<hash of their
//   id>, from the page's X-Portal-User header). A page is asked of the network first; when the network has
//   not answered within FAST_MS (a slow connection), the copy kept in this session answers at once and the
//   network's answer replaces it for the next visit (the page then offers the newer version). Without a
//   connection, or when the portal answers 5xx, the person's kept copy answers whatever its session.
// - Never another person's copy: a copy answers early only when it was kept in the session the network
//   named last (X-Portal-Session); signing in or out, or the sign-in page, forgets whose session it is until
//   the portal names the person again, and signing in forgets whose pages they are. The answer to a form
//   (`?done=`) and a language switch (`?lang=`) always wait for the network.
// - The check-in form is one page for all cases, so its kept copy serves every case.
// - Sign-out removes the person's cache; another person's pages are removed when someone signs in.
// Check-ins themselves are not here: the pages keep them in IndexedDB (static/queue.js).
const VERSION = '{{ version }}';
const SHELL_CACHE = `portal-shell-${VERSION}`;
const SHELL = {{ shell|list|tojson }}.map((name) => `/static/${name}?v=${VERSION}`);
const META = 'portal-meta';
const PAGES = (user) => `portal-pages-${user}`;
const SIGNING = new Set(['/login', '/logout', '/welcome']);
const NEVER_KEPT = new Set([...SIGNING, '/sync', '/sw.js', '/healthz', '/readyz', '/metrics']);
const FORM = '/checkin';
const ON_THE_DEVICE = new Set([FORM, '/waiting', '/offline']);  // their content comes from the device
const NOT_KEYS = ['done', 'lang'];  // a page's one-time note and a language switch: the same page
const FAST_MS = {{ fast_ms }};

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

// whose pages the network answered last: {user, session}, in memory and in META; a read waits for the
// changes asked before it (a sign-in's POST is seen before the page it leads to)
let whose = null;
let written = Promise.resolve();

async function load() {
  const meta = await caches.open(META);
  const read = async (name) => { const found = await meta.match(name); return found ? found.text() : ''; };
  return { user: await read('/__portal_user'), session: await read('/__portal_session') };
}

function current() {
  return written.then(async () => { whose ??= await load(); return whose; });
}

function remember(next) {
  written = written.then(async () => {
    whose = { ...(whose ?? await load()), ...next };
    const meta = await caches.open(META);
    for (const [name, value] of [['/__portal_user', whose.user], ['/__portal_session', whose.session]]) {
      if (value) await meta.put(name, new Response(value));
      else await meta.delete(name);
    }
  }).catch(() => {});
  return written;
}

async function setUser(user) {
  if ((await current()).user !== user) await remember({ user, session: '' });
}

async function keep(url, response) {
  const user = response.headers.get('X-Portal-User');
  if (!user || response.status !== 200 || response.redirected) return;
  await (await caches.open(PAGES(user))).put(key(url), response);
  await remember({ user, session: response.headers.get('X-Portal-Session') || '' });
}

async function kept(request, orOffline = true) {
  const { user } = await current();
  if (!user) return null;
  const cache = await caches.open(PAGES(user));
  const options = { ignoreVary: true };
  const path = new URL(request.url).pathname;
  return (await cache.match(key(request.url), options))
    || (path === FORM ? await cache.match(FORM, options) : null)  // the form is the same page for every case
    || (await cache.match(request.url, { ...options, ignoreSearch: true }))
    || (orOffline ? cache.match('/offline', options) : null);
}

/** The copy that may answer before the network: this page's, kept in the session the network named last. */
async function earlyCopy(request) {
  const url = new URL(request.url);
  if (NOT_KEYS.some((name) => url.searchParams.has(name))) return null;
  const { user, session } = await current();
  if (!user || !session) return null;
  const cache = await caches.open(PAGES(user));
  const copy = (await cache.match(key(request.url), { ignoreVary: true }))
    || (url.pathname === FORM ? await cache.match(FORM, { ignoreVary: true }) : null);
  return copy && copy.headers.get('X-Portal-Session') === session ? copy : null;
}

const OFFLINE = () => new Response('<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
  + '<title>Homeward</title><p lang="fr">Hors ligne.</p><p lang="en">Offline.</p>',
{ status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } });

/** The network's answer to a page, kept (but a 5xx) before it is given. */
async function fromNetwork(request) {
  const response = await fetch(request);
  if (response.status < 500) await keep(request.url, response.clone());
  return response;
}

/** After an early copy: tell its page when the network's answer has come (the page offers to show it). */
async function newerCame(event, answered) {
  const late = await answered;
  const path = new URL(event.request.url).pathname;
  if (!late.response || late.response.status >= 500 || ON_THE_DEVICE.has(path)) return;
  const client = await self.clients.get(event.resultingClientId || event.clientId);
  client?.postMessage({ type: 'newer', url: event.request.url });
}

async function page(event) {
  const { request } = event;
  const answered = fromNetwork(request).then((response) => ({ response }), (error) => ({ error }));
  const early = await earlyCopy(request);
  const outcome = early ? await Promise.race([answered, new Promise((r) => setTimeout(() => r(null), FAST_MS))])
    : await answered;
  if (outcome === null) {  // the network is slow: the copy now, the network's answer for the next visit
    event.waitUntil(newerCame(event, answered));
    return early;
  }
  if (outcome.error) return (await kept(request)) || OFFLINE();
  if (outcome.response.status >= 500) {  // the portal or an API it needs is down: the kept copy, if there is one
    return (await kept(request, false)) || outcome.response;
  }
  return outcome.response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/static/') && request.method === 'GET') {
    event.respondWith(caches.match(request, { ignoreSearch: true }).then((hit) => hit || fetch(request)));
    return;
  }
  if (SIGNING.has(url.pathname)) {  // someone signs in or out: whose session it is, the portal says next
    const signingIn = request.method === 'POST' && url.pathname === '/login';
    event.waitUntil(remember(signingIn || url.pathname === '/logout' ? { user: '', session: '' } : { session: '' }));
    return;
  }
  // receipts (proof of payment, may bear a name) are the network's only: never kept on the device
  if (request.method !== 'GET' || NEVER_KEPT.has(url.pathname) || url.pathname.endsWith('/receipt')) return;
  if (request.mode === 'navigate' || (request.headers.get('Accept') || '').includes('text/html')) {
    event.respondWith(page(event));
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
      await remember({ user: '', session: '' });
    })());
  }
});
