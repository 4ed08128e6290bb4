'use strict';
// The merchandiser console: plain DOM and fetch against the facet service's /v1/admin API.

const DISPLAYS = ['terms', 'range', 'price_buckets', 'category', 'boolean', 'swatch'];
const ORDERS = ['count', 'alpha', 'custom'];
const $ = (id) => document.getElementById(id);
const state = { token: sessionStorage.getItem('merch-token') || '', category: '*', facetVersion: 0, facets: [], autoFill: false, tab: 'facets', rules: { rule: null, query_rule: null }, blocklist: { version: 0, terms: [] } };

class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(`${status} ${e.code || ''}: ${e.message || 'request failed'}${e.field ? ` (field: ${e.field})` : ''}`);
    this.status = status;
    this.field = e.field;
  }
}

async function api(method, path, body) {
  const headers = { authorization: `Bearer ${state.token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

function say(text, ok) {
  const box = $('message');
  box.textContent = text;
  box.className = ok ? 'ok' : '';
  box.hidden = false;
}
const fail = (err) => say(err.message, false);
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  for (const c of children) node.append(c);
  return node;
};
const list = (text) => text.split(',').map((v) => v.trim()).filter((v) => v !== '');

// ---- login
async function login(event) {
  event?.preventDefault();
  state.token = $('token').value.trim() || state.token;
  try {
    const who = await api('GET', '/v1/admin/whoami');
    sessionStorage.setItem('merch-token', state.token);
    $('who').textContent = `${who.name} (${who.role})`;
    $('app').hidden = false;
    $('message').hidden = true;
    await loadTree();
    await selectCategory('*');
  } catch (err) {
    $('app').hidden = true;
    fail(err);
  }
}

// ---- category tree
function treeItem(entry) {
  const li = el('li');
  const toggle = el('span', { className: 'toggle', textContent: entry.leaf ? '' : '▸' });
  const name = el('span', { textContent: entry.name, className: entry.configured ? 'configured' : '' });
  name.dataset.path = entry.path;
  name.addEventListener('click', () => selectCategory(entry.path).catch(fail));
  li.append(toggle, name);
  if (!entry.leaf) {
    toggle.addEventListener('click', async () => {
      const open = li.querySelector('ul');
      if (open) {
        open.remove();
        toggle.textContent = '▸';
        return;
      }
      const data = await api('GET', `/v1/admin/categories?parent=${encodeURIComponent(entry.path)}`).catch(fail);
      if (!data) return;
      toggle.textContent = '▾';
      li.append(el('ul', {}, ...data.categories.map(treeItem)));
    });
  }
  return li;
}

async function loadTree() {
  const data = await api('GET', '/v1/admin/categories');
  const root = treeItem({ name: 'All categories', path: '*', leaf: true, configured: data.rootConfigured });
  $('tree').replaceChildren(root, ...data.categories.map(treeItem));
}

// ---- facets
async function selectCategory(path) {
  state.category = path;
  document.querySelectorAll('#tree span[data-path]').forEach((s) => s.classList.toggle('selected', s.dataset.path === path));
  $('category-name').textContent = path === '*' ? 'All categories' : path;
  $('facet-history').replaceChildren();
  const [doc, effective] = await Promise.all([
    api('GET', `/v1/admin/facets/${encodeURIComponent(path)}`),
    api('GET', `/v1/admin/effective-facets?category=${encodeURIComponent(path)}`),
  ]);
  state.facetVersion = doc.version;
  $('facet-version').textContent = doc.version > 0 ? `version ${doc.version}${doc.body === null ? ' (deleted)' : ''}` : 'not configured';
  if (doc.body !== null) {
    state.facets = doc.body.facets.map((f) => ({ ...f }));
    state.autoFill = doc.body.autoFill === true;
    $('inherit-note').textContent = 'This category has its own configuration; settings not listed here are inherited from its parents.';
  } else {
    // Editing starts from what shoppers see now (inherited or automatic); saving makes it this category's own.
    state.facets = effective.facets.filter((p) => !p.auto).map((p) => ({ ...p.setting }));
    state.autoFill = effective.facets.some((p) => p.auto);
    const sources = [...new Set(effective.facets.map((p) => p.source))].join(', ');
    $('inherit-note').textContent = `No configuration of its own: shoppers see the facets from ${sources || 'nowhere'}. Saving gives this category its own.`;
  }
  $('auto-fill').checked = state.autoFill;
  renderFacets();
}

function input(value, onChange, props = {}) {
  const node = el('input', { value: value ?? '', ...props });
  node.addEventListener('change', () => onChange(node.value));
  return node;
}

function select(options, value, onChange) {
  const node = el('select', {}, ...options.map((o) => el('option', { value: o, textContent: o || '—', selected: o === (value ?? '') })));
  node.addEventListener('change', () => onChange(node.value));
  return node;
}

function renderFacets() {
  const rows = state.facets.map((f, i) => {
    const move = (delta) => () => {
      const j = i + delta;
      if (j < 0 || j >= state.facets.length) return;
      [state.facets[i], state.facets[j]] = [state.facets[j], state.facets[i]];
      renderFacets();
    };
    const set = (key, parse = (v) => v) => (v) => {
      const value = parse(v);
      if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) delete f[key];
      else f[key] = value;
    };
    const enabled = el('input', { type: 'checkbox', checked: f.enabled !== false });
    enabled.addEventListener('change', () => (f.enabled = enabled.checked ? undefined : false));
    const remove = el('button', { type: 'button', textContent: '✕', title: 'remove' });
    remove.addEventListener('click', () => {
      state.facets.splice(i, 1);
      renderFacets();
    });
    const tr = el(
      'tr',
      {},
      el('td', {}, el('button', { type: 'button', textContent: '▲', className: 'up', title: 'move up', onclick: move(-1) }), el('button', { type: 'button', textContent: '▼', className: 'down', title: 'move down', onclick: move(1) })),
      el('td', { textContent: f.field, className: 'field' }),
      el('td', {}, input(f.label, set('label'))),
      el('td', {}, select(DISPLAYS, f.display, set('display'))),
      el('td', {}, input(f.size, set('size', (v) => (v === '' ? undefined : Number(v))), { className: 'num', type: 'number', min: 1 })),
      el('td', {}, select(['', ...ORDERS], f.valueOrder, set('valueOrder', (v) => v || undefined))),
      el('td', {}, input((f.pinned || []).join(', '), set('pinned', list))),
      el('td', {}, input((f.hidden || []).join(', '), set('hidden', list))),
      el('td', {}, enabled),
      el('td', {}, remove),
    );
    tr.dataset.field = f.field;
    return tr;
  });
  $('facets').querySelector('tbody').replaceChildren(...rows);
}

function draftFacets() {
  return {
    category: state.category,
    facets: state.facets.map((f, i) => {
      const out = { ...f, position: i * 10 };
      if (out.enabled !== false) delete out.enabled;
      if (out.valueOrder === 'custom' && !out.customOrder && out.pinned) out.customOrder = out.pinned;
      return out;
    }),
    ...(state.autoFill ? { autoFill: true } : {}),
  };
}

async function saveFacets() {
  try {
    const doc = await api('PUT', `/v1/admin/facets/${encodeURIComponent(state.category)}`, { version: state.facetVersion, config: draftFacets() });
    state.facetVersion = doc.version;
    $('facet-version').textContent = `version ${doc.version}`;
    say(`Saved facets of ${state.category === '*' ? 'all categories' : state.category} as version ${doc.version}; shoppers see it within seconds.`, true);
  } catch (err) {
    fail(err);
  }
}

async function deleteFacets() {
  try {
    await api('DELETE', `/v1/admin/facets/${encodeURIComponent(state.category)}?version=${state.facetVersion}`);
    say('Deleted; the category inherits again.', true);
    await selectCategory(state.category);
  } catch (err) {
    fail(err);
  }
}

// ---- rules (merchandising and query rules share one editor shape)
const RULE_UI = {
  rule: { segment: 'rules', list: 'rule-list', id: 'rule-id', json: 'rule-json', version: 'rule-version', template: (id) => ({ id, match: { queries: ['tv'] }, actions: [{ type: 'boost', condition: { type: 'terms', field: 'brand', values: ['Samsung'] }, weight: 3 }] }) },
  query_rule: { segment: 'query-rules', list: 'qrule-list', id: 'qrule-id', json: 'qrule-json', version: 'qrule-version', template: (id) => ({ rule: { id, type: 'synonym', terms: ['sofa', 'couch'] } }) },
};

async function loadRules(kind) {
  const ui = RULE_UI[kind];
  const data = await api('GET', `/v1/admin/${ui.segment}`);
  $(ui.list).replaceChildren(
    ...data.documents.map((d) => {
      const li = el('li', { textContent: d.id });
      li.addEventListener('click', () => editRule(kind, d));
      return li;
    }),
  );
}

function editRule(kind, doc) {
  const ui = RULE_UI[kind];
  state.rules[kind] = doc;
  $(ui.id).value = doc.id;
  $(ui.version).textContent = doc.version > 0 ? `version ${doc.version}` : 'new';
  $(ui.json).value = JSON.stringify(doc.body, null, 2);
  document.querySelectorAll(`#${ui.list} li`).forEach((li) => li.classList.toggle('selected', li.textContent === doc.id));
}

function draftRule(kind) {
  const ui = RULE_UI[kind];
  try {
    return { id: $(ui.id).value.trim(), body: JSON.parse($(ui.json).value) };
  } catch (err) {
    throw new Error(`the rule is not valid JSON: ${err.message}`);
  }
}

async function saveRule(kind) {
  const ui = RULE_UI[kind];
  try {
    const { id, body } = draftRule(kind);
    const version = state.rules[kind] && state.rules[kind].id === id ? state.rules[kind].version : 0;
    const doc = await api('PUT', `/v1/admin/${ui.segment}/${encodeURIComponent(id)}`, { version, config: body });
    editRule(kind, doc);
    await loadRules(kind);
    say(`Saved ${id} as version ${doc.version}.`, true);
  } catch (err) {
    fail(err);
  }
}

async function deleteRule(kind) {
  const ui = RULE_UI[kind];
  const doc = state.rules[kind];
  if (!doc) return;
  try {
    await api('DELETE', `/v1/admin/${ui.segment}/${encodeURIComponent(doc.id)}?version=${doc.version}`);
    await loadRules(kind);
    say(`Deleted ${doc.id}.`, true);
  } catch (err) {
    fail(err);
  }
}

// ---- suggestion blocklist (one document, 'default', that every autocomplete replica follows)
const BLOCKLIST_PATH = '/v1/admin/suggest-blocklist/default';

async function loadBlocklist() {
  const doc = await api('GET', BLOCKLIST_PATH);
  state.blocklist = { version: doc.version, terms: doc.body === null ? [] : [...doc.body.terms] };
  renderBlocklist();
}

function renderBlocklist(invalid) {
  const { version, terms } = state.blocklist;
  $('blocklist-version').textContent = version > 0 ? `version ${version}` : 'never saved';
  $('blocked-terms').replaceChildren(
    ...terms.map((term, i) => {
      const remove = el('button', { type: 'button', textContent: '✕', title: 'remove' });
      remove.addEventListener('click', () => {
        terms.splice(i, 1);
        renderBlocklist();
      });
      const li = el('li', { className: i === invalid ? 'invalid' : '' }, el('span', { textContent: term }), remove);
      li.dataset.term = term;
      return li;
    }),
  );
}

function addTerm() {
  const term = $('new-term').value.trim();
  if (!term) return;
  state.blocklist.terms.push(term);
  $('new-term').value = '';
  renderBlocklist();
}

async function saveBlocklist() {
  try {
    const doc = await api('PUT', BLOCKLIST_PATH, { version: state.blocklist.version, config: { terms: state.blocklist.terms } });
    state.blocklist.version = doc.version;
    renderBlocklist();
    say(`Saved the suggestion blocklist as version ${doc.version}; autocomplete stops suggesting these terms within seconds.`, true);
  } catch (err) {
    // Mark the term the error names (body.config.terms.<i>).
    const at = /^body\.config\.terms\.(\d+)$/.exec(err.field || '');
    renderBlocklist(at ? Number(at[1]) : undefined);
    fail(err);
  }
}

// ---- history (the audit: who, when, what changed)
const short = (v) => (v === undefined ? '—' : JSON.stringify(v).slice(0, 80));

async function showHistory(segment, id, target) {
  try {
    const { entries } = await api('GET', `/v1/admin/${segment}/${encodeURIComponent(id)}/audit?limit=20`);
    const items = entries.map((e) =>
      el(
        'li',
        {},
        `v${e.version} by ${e.actor} (${e.role}) at ${new Date(e.at).toLocaleString()}: `,
        ...e.changes.slice(0, 8).map((c) => el('div', {}, el('code', { textContent: c.path }), ` ${short(c.before)} → ${short(c.after)}`)),
      ),
    );
    $(target).replaceChildren(...(items.length > 0 ? items : [el('li', { textContent: 'no changes recorded' })]));
  } catch (err) {
    fail(err);
  }
}

// ---- preview
function renderSearch(target, body) {
  if (!body || body.error) {
    target.replaceChildren(el('p', { textContent: body && body.error ? body.error.message : 'no answer' }));
    return;
  }
  const parts = [];
  if (body.redirect) parts.push(el('p', { className: 'redirect', textContent: `Redirects to ${body.redirect.url}` }));
  parts.push(el('p', { textContent: `${body.total} results` }));
  parts.push(el('ol', { className: 'results' }, ...body.results.slice(0, 10).map((r) => el('li', { textContent: `${r.title} — ${r.brand}, $${r.price} [${r.id}]` }))));
  for (const f of body.facets) {
    parts.push(el('div', { className: 'facet-name', textContent: f.label }));
    parts.push(el('div', { className: 'facet-values', textContent: f.values.slice(0, 6).map((v) => `${v.label} (${v.count})`).join(' · ') }));
  }
  target.replaceChildren(...parts);
}

async function preview() {
  try {
    let change;
    if (state.tab === 'facets') change = { kind: 'facets', id: state.category, body: draftFacets() };
    else if (state.tab === 'rules') {
      const { id, body } = draftRule('rule');
      change = { kind: 'rule', id, body };
    } else throw new Error('query rules apply in query understanding: save them to see their effect');
    const { preview: id } = await api('POST', '/v1/admin/previews', { changes: [change] });
    const params = new URLSearchParams({ preview: id });
    const q = $('preview-query').value.trim();
    if (q) params.set('q', q);
    if (state.category !== '*') params.set('category', state.category);
    const { before, after } = await api('GET', `/v1/admin/preview-search?${params.toString()}`);
    renderSearch($('preview-before'), before);
    renderSearch($('preview-after'), after);
    $('message').hidden = true;
  } catch (err) {
    fail(err);
  }
}

// ---- wiring
function showTab(tab) {
  state.tab = tab;
  document.querySelectorAll('.tabs button').forEach((b) => b.classList.toggle('active', b.dataset.tab === tab));
  document.querySelectorAll('.tab').forEach((t) => (t.hidden = t.id !== `tab-${tab}`));
  // The blocklist changes suggestions, not search results: nothing to preview there.
  $('preview-panel').hidden = tab === 'blocklist';
  if (tab === 'rules') loadRules('rule').catch(fail);
  if (tab === 'query-rules') loadRules('query_rule').catch(fail);
  if (tab === 'blocklist') loadBlocklist().catch(fail);
}

$('login').addEventListener('submit', login);
document.querySelectorAll('.tabs button').forEach((b) => b.addEventListener('click', () => showTab(b.dataset.tab)));
$('add-facet').addEventListener('click', () => {
  const field = $('new-field').value.trim();
  if (!field) return;
  state.facets.push({ field, display: field === 'category' ? 'category' : 'terms', position: state.facets.length * 10 });
  $('new-field').value = '';
  renderFacets();
});
$('auto-fill').addEventListener('change', () => (state.autoFill = $('auto-fill').checked));
$('save-facets').addEventListener('click', saveFacets);
$('history-facets').addEventListener('click', () => showHistory('facets', state.category, 'facet-history'));
$('delete-facets').addEventListener('click', deleteFacets);
$('preview').addEventListener('click', preview);
$('add-term').addEventListener('click', addTerm);
$('new-term').addEventListener('keydown', (event) => {
  if (event.key === 'Enter') addTerm();
});
$('save-blocklist').addEventListener('click', saveBlocklist);
$('history-blocklist').addEventListener('click', () => showHistory('suggest-blocklist', 'default', 'blocklist-history'));
for (const kind of Object.keys(RULE_UI)) {
  const prefix = kind === 'rule' ? '' : 'q';
  $(`save-${prefix}rule`).addEventListener('click', () => saveRule(kind));
  $(`delete-${prefix}rule`).addEventListener('click', () => deleteRule(kind));
  $(`history-${prefix}rule`).addEventListener('click', () => showHistory(RULE_UI[kind].segment, $(RULE_UI[kind].id).value.trim(), `${prefix}rule-history`));
  $(`new-${prefix}rule`).addEventListener('click', () => {
    const id = `${prefix}rule-${Date.now()}`;
    editRule(kind, { id, version: 0, body: RULE_UI[kind].template(id) });
  });
}
if (state.token) login();
