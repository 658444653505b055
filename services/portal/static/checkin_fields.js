// What a check-in is as the form's fields and as the API's body, and its texts: no page, no DOM, so the
// form (checkin.js) and the tests share them. The form's field names are the API's field paths
// (scores.economic, support_delivered.0.amount, .currency, .amount_eur), so a refusal's errors land at
// their fields, in the page's language (the texts come with the page; the queue keeps only the codes).

export const SUPPORT_ROWS = 3;

/** An amount as typed in `locale` ("1 200,50" in French, "1,200.50" in English); the text itself when it is
 * not one (monitoring then says so at the field); undefined when empty. */
export function parseAmount(text, locale) {
  const raw = String(text ?? '').trim();
  if (!raw) return undefined;
  const parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
  const group = parts.find((p) => p.type === 'group')?.value ?? ',';
  const decimal = parts.find((p) => p.type === 'decimal')?.value ?? '.';
  let digits = raw.replace(/[€\s\u00a0\u202f]/g, '');
  if (group.trim()) digits = digits.split(group).join('');
  if (decimal !== '.') digits = digits.replace(decimal, '.');
  return /^\d+(\.\d+)?$/.test(digits) ? Number(digits) : raw;
}

export function formatAmount(value, locale) {
  if (value === undefined || value === null || value === '') return '';
  return typeof value === 'number' ? new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value) : String(value);
}

/** The API's check-in body from the form's entries (a FormData, or a Map of name -> value). */
export function bodyFromForm(entries, locale) {
  const get = (name) => String(entries.get(name) ?? '').trim();
  const slot = get('slot');
  const body = { returnee_id: get('returnee_id'), slot: /^\d+$/.test(slot) ? Number(slot) : slot,
                 contact_date: get('contact_date') };
  if (get('contact_made')) body.contact_made = get('contact_made') === 'true';
  for (const name of ['contact_mode', 'reason', 'status', 'notes']) if (get(name)) body[name] = get(name);
  const scores = {};
  for (const [name, value] of entries.entries()) {
    if (name.startsWith('scores.') && String(value).trim()) scores[name.slice(7)] = Number(value);
  }
  if (Object.keys(scores).length) body.scores = scores;
  body.safety_concern = get('safety_concern') === 'true';
  const support = [];
  for (let i = 0; i < SUPPORT_ROWS; i += 1) {
    const prefix = `support_delivered.${i}.`;
    if (!get(`${prefix}type`)) continue;
    const row = { type: get(`${prefix}type`) };
    const amount = parseAmount(get(`${prefix}amount`), locale);
    if (amount !== undefined) Object.assign(row, { amount, currency: get(`${prefix}currency`) });
    const euros = parseAmount(get(`${prefix}amount_eur`), locale);
    if (euros !== undefined) row.amount_eur = euros;
    if (get(`${prefix}delivered_on`)) row.delivered_on = get(`${prefix}delivered_on`);
    if (get(`${prefix}description`)) row.description = get(`${prefix}description`);
    support.push(row);
  }
  if (support.length) body.support_delivered = support;
  return body;
}

/** {field name: value} to show a kept check-in in the form again. */
export function fieldsFromBody(body, locale) {
  const fields = { returnee_id: body.returnee_id, slot: String(body.slot ?? ''), contact_date: body.contact_date };
  if (body.contact_made !== undefined) fields.contact_made = String(body.contact_made);
  for (const name of ['contact_mode', 'reason', 'status', 'notes']) if (body[name] !== undefined) fields[name] = body[name];
  for (const [domain, score] of Object.entries(body.scores ?? {})) fields[`scores.${domain}`] = String(score);
  fields.safety_concern = body.safety_concern ? 'true' : '';
  (body.support_delivered ?? []).forEach((row, i) => {
    fields[`support_delivered.${i}.type`] = row.type;
    fields[`support_delivered.${i}.amount`] = formatAmount(row.amount, locale);
    if (row.currency) fields[`support_delivered.${i}.currency`] = row.currency;
    fields[`support_delivered.${i}.amount_eur`] = formatAmount(row.amount_eur, locale);
    fields[`support_delivered.${i}.delivered_on`] = row.delivered_on ?? '';
    fields[`support_delivered.${i}.description`] = row.description ?? '';
  });
  return fields;
}

/** A field's error in the page's language: by its code, or for the API's own rules by the field. */
export function messageFor(path, code, texts) {
  if (texts.codes?.[code]) return texts.codes[code];
  return texts.rules?.[path.replace(/\.\d+(?=\.|$)/g, '')] ?? texts.not_accepted;
}

export function outcomeText(error, texts) {
  if (!error) return texts.outcomes?.waiting;
  return texts.outcomes?.[error.kind] ?? texts.outcomes?.[String(error.status)] ??
    texts.outcomes?.[String(error.status).startsWith('4') ? '400' : 'retry'];
}

export function localDay(date = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function slotLabel(slot, texts, fill) {
  return String(slot) === 'ad_hoc' || !slot ? texts.extra : fill(texts.month, { num: slot });
}
