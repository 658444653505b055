// The check-in form and the list of check-ins on this device. The form's field names are the API's field
// paths (scores.economic, support_delivered.0.amount, .currency, .amount_eur), so a refusal's errors land at
// their fields, in the page's language (the texts come with the page; the queue keeps only the codes).
// A support's currency is the case's country's (named by the case page kept on the device), else the
// form's default (the organisation's country's, else the euro); it is sent only with an amount.
// The pure parts (the body from the form, amounts, the texts of an outcome) are checkin_fields.js.

import { SUPPORT_ROWS, bodyFromForm, fieldsFromBody, localDay, messageFor, outcomeText, slotLabel }
  from './checkin_fields.js';

export { SUPPORT_ROWS, bodyFromForm, fieldsFromBody, formatAmount, messageFor, outcomeText, parseAmount, slotLabel }
  from './checkin_fields.js';

// --- the form ---------------------------------------------------------------------------------------

function fillForm(form, fields) {
  for (const element of form.elements) {
    if (!element.name || !(element.name in fields)) continue;
    const value = fields[element.name] ?? '';
    if (element.type === 'radio' || element.type === 'checkbox') element.checked = element.value === value;
    else element.value = value;
  }
}

function clearErrors(form) {
  for (const old of form.querySelectorAll('p.error[data-for]')) old.remove();
  for (const element of form.querySelectorAll('[aria-invalid]')) {
    element.removeAttribute('aria-invalid');
    element.removeAttribute('aria-describedby');
  }
}

/** Each error at its field (the nearest container named by the path), the rest at the top. */
export function showErrors(form, problemBox, error, texts) {
  clearErrors(form);
  const unplaced = [];
  for (const [path, code] of Object.entries(error?.codes ?? {})) {
    const message = messageFor(path, code, texts);
    let container = null;
    for (let at = path; at && !container; at = at.includes('.') ? at.slice(0, at.lastIndexOf('.')) : '') {
      container = form.querySelector(`[data-field="${CSS.escape(at)}"]`);
    }
    if (!container) { unplaced.push(message); continue; }
    const note = document.createElement('p');
    note.className = 'error';
    note.dataset.for = path;
    note.id = `e-${path}`;
    note.textContent = message;
    const legend = container.querySelector(':scope > legend');
    if (legend) legend.after(note); else container.append(note);
    for (const control of container.querySelectorAll('input, select, textarea')) {
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', note.id);
    }
  }
  const lines = [outcomeText(error, texts), ...unplaced].filter(Boolean);
  problemBox.replaceChildren(...lines.map((line) => Object.assign(document.createElement('p'), { textContent: line })));
  problemBox.hidden = !error;
  if (error) problemBox.focus?.();
}

/** {label: the returnee's name, currency: their country's} from this person's kept copy of the case page
 * (works offline); else a short reference and no currency. */
async function aboutCase(user, returneeId, texts, fill) {
  const fallback = { label: fill(texts.returnee, { ref: String(returneeId).slice(-6) }), currency: '' };
  try {
    const cache = await caches.open(`portal-pages-${user}`);
    const page = await cache.match(`/cases/${returneeId}`, { ignoreVary: true });
    const title = page && new DOMParser().parseFromString(await page.text(), 'text/html').querySelector('h1');
    if (title?.textContent.trim()) return { label: title.textContent.trim(), currency: title.dataset.currency || '' };
  } catch (error) { /* no kept copy */ }
  return fallback;
}

/** Every currency in each support's list (the usual ones come with the page), the case's chosen. */
function currencies(form, currency) {
  const others = document.getElementById('currency-others');
  for (const select of form.querySelectorAll('select.currency')) {
    if (others) select.append(others.content.cloneNode(true));
    if (currency && [...select.options].some((option) => option.value === currency)) select.value = currency;
  }
}

function required(entries) {
  const codes = {};
  for (const name of ['returnee_id', 'slot', 'contact_date', 'contact_made']) if (!String(entries.get(name) ?? '').trim()) codes[name] = 'required';
  return Object.keys(codes).length ? { status: 422, kind: '422', codes } : null;
}

async function startForm(ctx, form) {
  const { texts, user, locale, queue, syncNow, fill } = ctx;
  const problemBox = document.getElementById('form-problem');
  problemBox.tabIndex = -1;
  const about = document.getElementById('checkin-about');
  form.noValidate = true;
  const params = new URLSearchParams(location.search);
  let item = null;
  if (params.get('item')) {
    item = await (await queue()).get(params.get('item'));
    if (!item) {
      showErrors(form, problemBox, null, texts);
      problemBox.textContent = texts.not_found;
      problemBox.hidden = false;
      form.hidden = true;
      return;
    }
  }
  // the address (or the kept check-in) says which case and month: the kept copy of the form may be another case's
  const returneeId = item?.body.returnee_id ?? (params.get('returnee_id') || form.elements.returnee_id.value || '');
  const known = await aboutCase(user, returneeId, texts, fill);
  currencies(form, known.currency);
  if (item) {
    fillForm(form, fieldsFromBody(item.body, locale));
    if (item.error) showErrors(form, problemBox, item.error, texts);
  } else {
    fillForm(form, { returnee_id: returneeId, slot: params.get('slot') || form.elements.slot.value || 'ad_hoc' });
    if (!form.elements.contact_date.value) form.elements.contact_date.value = localDay();
  }
  form.elements.contact_date.max = localDay();
  const label = item?.label || known.label;
  about.textContent = `${label} · ${slotLabel(form.elements.slot.value, texts, fill)}`;

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const entries = new FormData(form);
    const missing = required(entries);
    if (missing) return showErrors(form, problemBox, missing, texts);
    const body = bodyFromForm(entries, locale);
    const q = await queue();
    try {
      item = item ? await q.correct(item.id, body) : await q.save(body, { label });
    } catch (error) {
      showErrors(form, problemBox, { status: 409, kind: 'retry', codes: {} }, texts);
      return;
    }
    const caseUrl = `/cases/${encodeURIComponent(body.returnee_id)}`;
    if (!navigator.onLine) {
      sessionStorage.setItem('portal-note', texts.saved_offline);
      location.assign(caseUrl);
      return;
    }
    document.getElementById('form-note').hidden = false;
    document.getElementById('form-note').textContent = texts.saved;
    await syncNow(true);
    const kept = await q.get(item.id);
    document.getElementById('form-note').hidden = true;
    if (kept?.state === 'refused') {
      item = kept;
      history.replaceState(null, '', `/checkin?item=${encodeURIComponent(kept.id)}`);
      showErrors(form, problemBox, kept.error, texts);
      return;
    }
    if (kept) sessionStorage.setItem('portal-note', outcomeText(kept.error, texts));
    location.assign(caseUrl);
  });
}

// --- the list on /waiting ---------------------------------------------------------------------------

async function startWaiting(ctx, list) {
  const { texts, queue, syncNow, plural, fill, locale } = ctx;
  const empty = document.getElementById('queue-empty');
  const sendNow = document.getElementById('send-now');
  const result = document.getElementById('sync-result');
  const render = async () => {
    const items = await (await queue()).all();
    list.replaceChildren(...items.map((item) => {
      const card = document.createElement('li');
      card.className = `card ${item.state}`;
      card.dataset.item = item.id;
      card.dataset.state = item.state;
      const title = Object.assign(document.createElement('p'), { className: 'card-title' });
      title.textContent = `${item.label || fill(texts.returnee, { ref: String(item.body.returnee_id).slice(-6) })} · ${slotLabel(item.body.slot, texts, fill)}`;
      const when = Object.assign(document.createElement('p'), {
        textContent: fill(texts.contact_on, { date: new Date(`${item.body.contact_date}T12:00:00`).toLocaleDateString(locale, { dateStyle: 'medium' }) }) });
      const state = Object.assign(document.createElement('p'), { className: item.state === 'refused' ? 'error' : '',
                                                                 textContent: outcomeText(item.error, texts) });
      card.append(title, when, state);
      if (item.state === 'refused') {
        const errors = document.createElement('ul');
        for (const [path, code] of Object.entries(item.error?.codes ?? {})) {
          errors.append(Object.assign(document.createElement('li'), { textContent: messageFor(path, code, texts) }));
        }
        if (errors.children.length) card.append(errors);
      }
      const actions = Object.assign(document.createElement('div'), { className: 'actions' });
      if (item.state === 'refused' || item.attempts === 0) {
        actions.append(Object.assign(document.createElement('a'), { className: 'button', textContent: texts.correct,
                                                                    href: `/checkin?item=${encodeURIComponent(item.id)}` }));
      }
      if (item.state === 'refused') {
        const remove = Object.assign(document.createElement('button'), { type: 'button', className: 'secondary',
                                                                         textContent: texts.remove });
        remove.addEventListener('click', async () => {
          if (!window.confirm(texts.remove_confirm)) return;
          await (await queue()).remove(item.id);
          await render();
          await ctx.showCounts();
        });
        actions.append(remove);
      }
      if (actions.children.length) card.append(actions);
      return card;
    }));
    empty.hidden = items.length > 0;
    sendNow.hidden = !items.some((item) => item.state === 'waiting') || !navigator.onLine;
  };
  sendNow.addEventListener('click', () => syncNow(true));
  document.addEventListener('portal:synced', async (event) => {
    const report = event.detail;
    const lines = [];
    if (report.sent.length) lines.push(plural(texts.sent, report.sent.length));
    if (report.refused.length) lines.push(plural(texts.refused, report.refused.length));
    if (report.signedOut) lines.push(texts.outcomes.signed_out);
    result.textContent = lines.join(' ');
    result.hidden = !lines.length;
    await render();
  });
  window.addEventListener('online', render);
  window.addEventListener('offline', render);
  await render();
}

export async function start(ctx) {
  const form = document.getElementById('checkin');
  if (form) await startForm(ctx, form);
  const list = document.getElementById('queue');
  if (list) await startWaiting(ctx, list);
}
