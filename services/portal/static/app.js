// Every page: the connection notice, how many check-ins wait on this device, sending them when there is a
// connection (on load, on `online`, and when the first waiting one falls due: 5 s after a failed first try,
// doubling to 10 minutes, never sooner than an answer's retry_after; see queue.js), the service worker that
// keeps the pages for offline use, and signing out (asked first while check-ins wait; this person's kept
// pages are removed, the waiting check-ins stay on the device for this person only).
import { nextSyncIn, openQueue, sync } from './queue.js';

export const texts = JSON.parse(document.getElementById('portal-texts')?.textContent || '{}');
export const user = document.querySelector('meta[name=portal-user]')?.content || '';
const csrf = document.querySelector('meta[name=csrf-token]')?.content || '';
export const locale = document.documentElement.lang || 'en';
const PAGES = (who) => `portal-pages-${who}`;
const KEPT_PAGES = ['/', '/cases', '/offers', '/checkin', '/waiting', '/offline'];
const WARM_EVERY = 5 * 60_000;
const channel = 'BroadcastChannel' in window ? new BroadcastChannel('homeward-portal') : null;

/** A text with {name} placeholders filled in. */
export function fill(text, values = {}) {
  return String(text ?? '').replace(/\{(\w+)\}/g, (_, name) => (name in values ? values[name] : `{${name}}`));
}

/** The plural form for `n` in the page's language (texts give one sample number per plural category). */
export function plural(forms, n) {
  const rules = new Intl.PluralRules(locale);
  const category = rules.select(n);
  const sample = Object.keys(forms || {}).find((s) => rules.select(Number(s)) === category) ?? Object.keys(forms || {})[0];
  return fill(forms?.[sample], { num: n.toLocaleString(locale) });
}

let queuePromise = null;
export function queue() {
  if (!user) return Promise.reject(new Error('not signed in'));
  queuePromise ??= openQueue(user);
  return queuePromise;
}

function show(id, text) {
  const element = document.getElementById(id);
  if (!element) return;
  element.textContent = text || '';
  element.hidden = !text;
}

function connection() {
  document.getElementById('connection').hidden = navigator.onLine;
}

let lastReport = null;
let note = '';  // what the previous page said (e.g. saved on this device), shown once

export async function showCounts() {
  if (!user) return;
  const counts = await (await queue()).counts();
  const lines = note ? [note] : [];
  if (lastReport?.sent.length) lines.push(plural(texts.sent, lastReport.sent.length));
  if (counts.waiting) lines.push(plural(texts.waiting, counts.waiting));
  if (counts.refused) lines.push(plural(texts.refused, counts.refused));
  if (lastReport?.signedOut) lines.push(texts.outcomes?.signed_out);
  show('queue-status', lines.join(' '));
  const status = document.getElementById('queue-status');
  status.classList.toggle('attention', counts.refused > 0);
  document.documentElement.dataset.waiting = String(counts.waiting);
  document.documentElement.dataset.refused = String(counts.refused);
  return counts;
}

async function sendToPortal(items) {
  const response = await fetch('/sync', {
    method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf, Accept: 'application/json' },
    body: JSON.stringify({ items }),
  });
  const answer = await response.json().catch(() => ({}));
  return { ...answer, status: response.status };
}

let planned = null;

/** The next sync, when the first waiting check-in falls due (none while offline: `online` sends). */
async function planSync() {
  clearTimeout(planned);
  if (!navigator.onLine) return;
  const delay = nextSyncIn(await (await queue()).all());
  if (delay !== null) planned = setTimeout(() => syncNow(false), delay);
}

/** Send what is due (everything waiting with `force`); the page learns of it through `portal:synced`. */
export async function syncNow(force = false) {
  if (!user || !navigator.onLine) return null;
  const report = await sync(await queue(), sendToPortal, { force });
  await planSync();
  if (report.busy) return report;
  if (report.sent.length || report.refused.length || report.retry.length || report.signedOut) {
    lastReport = report;
    note = '';
  }
  channel?.postMessage({ type: 'queue-changed' });
  await showCounts();
  document.dispatchEvent(new CustomEvent('portal:synced', { detail: report }));
  return report;
}

async function serviceWorker() {
  if (!('serviceWorker' in navigator)) return;
  const registration = await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  await navigator.serviceWorker.ready;
  const worker = registration.active;
  if (!worker) return;
  worker.postMessage({ type: 'user', user });
  for (const name of await caches.keys()) {  // someone else's pages on this device: gone
    if (name.startsWith('portal-pages-') && name !== PAGES(user)) await caches.delete(name);
  }
  if (!navigator.onLine) return;
  const cache = await caches.open(PAGES(user));
  const links = [...document.querySelectorAll('a[data-offline]')].map((a) => new URL(a.href).pathname);
  const missing = [];
  for (const path of new Set(links)) if (!(await cache.match(path, { ignoreVary: true }))) missing.push(path);
  const warmedAt = Number(localStorage.getItem(`portal-warmed-${user}`) || 0);
  const urls = Date.now() - warmedAt > WARM_EVERY ? [...KEPT_PAGES, ...missing] : missing;
  if (urls.length) {
    if (urls.length > missing.length) localStorage.setItem(`portal-warmed-${user}`, String(Date.now()));
    worker.postMessage({ type: 'warm', user, urls });
  }
}

async function forgetPages(who) {
  await caches.delete(PAGES(who));
  localStorage.removeItem(`portal-warmed-${who}`);
  navigator.serviceWorker?.controller?.postMessage({ type: 'signed-out', user: who });
}

function signOut() {
  const form = document.getElementById('signout');
  if (!form) return;
  form.addEventListener('submit', async (event) => {
    if (form.dataset.confirmed) return;
    event.preventDefault();
    const counts = await (await queue()).counts();
    const waiting = counts.waiting + counts.refused;
    if (waiting && !window.confirm(plural(texts.signout_confirm, waiting))) return;
    await forgetPages(user);
    form.dataset.confirmed = '1';
    form.submit();
  });
}

// the service worker answered from the copy kept on the device (a slow connection); the network's has come
navigator.serviceWorker?.addEventListener('message', (event) => {
  if (event.data?.type !== 'newer') return;
  const newer = document.getElementById('newer');
  if (newer) newer.hidden = false;
});
document.getElementById('newer-show')?.addEventListener('click', () => location.reload());

async function start() {
  connection();
  window.addEventListener('online', () => { connection(); syncNow(true); });
  window.addEventListener('offline', connection);
  if (!user) {
    if (document.querySelector('[data-signed-out]')) navigator.serviceWorker?.controller?.postMessage({ type: 'signed-out', user: '' });
    return;
  }
  signOut();
  channel?.addEventListener('message', () => { showCounts(); planSync(); });
  note = sessionStorage.getItem('portal-note') || '';
  sessionStorage.removeItem('portal-note');
  serviceWorker().catch(() => {});
  if (document.getElementById('checkin') || document.getElementById('queue')) {
    const page = await import('./checkin.js');
    await page.start({ texts, user, locale, queue, syncNow, showCounts, plural, fill });
  }
  await showCounts();
  // the first page of a session (signed in again, e.g. after the waiting check-ins had to stop): send all now
  const fresh = sessionStorage.getItem('portal-session') !== csrf;
  sessionStorage.setItem('portal-session', csrf);
  await syncNow(fresh);
  document.documentElement.dataset.ready = '1';
}

start();
