// The demo storefront: plain JavaScript, no build step. It calls only the orchestrator's public API
// (/v1/search and /v1/suggest, served on this page's origin by the storefront service). The state of a search
// lives in the address bar, so a search can be reloaded, shared and navigated with back and forward.
'use strict';

const $ = (id) => document.getElementById(id);
const els = {
  form: $('search-form'), q: $('q'), suggestions: $('suggestions'), facets: $('facets'), results: $('results'),
  summary: $('summary'), chosen: $('chosen'), sort: $('sort'), pager: $('pager'), messages: $('messages'),
  degraded: $('degraded'), error: $('error'),
};
const PAGE_SIZE = 24;
const MAX_RESULT_WINDOW = 1000; // SEARCH_LIMITS.maxResultWindow of the API
const SUGGEST_DELAY_MS = 60;

/** { q, category, filters: string[], sort, page, spellcheck } from the address bar. */
function readState() {
  const p = new URLSearchParams(location.search);
  return {
    q: p.get('q') ?? '',
    category: p.get('category') ?? '',
    filters: p.getAll('filter'),
    sort: p.get('sort') ?? 'relevance',
    page: Math.max(1, Number(p.get('page')) || 1),
    spellcheck: p.get('spellcheck') !== 'false',
  };
}

function toParams(state) {
  const p = new URLSearchParams();
  if (state.q) p.set('q', state.q);
  if (state.category) p.set('category', state.category);
  for (const f of state.filters) p.append('filter', f);
  if (state.sort !== 'relevance') p.set('sort', state.sort);
  if (state.page > 1) p.set('page', String(state.page));
  if (!state.spellcheck) p.set('spellcheck', 'false');
  return p;
}

function navigate(changes) {
  const next = { ...readState(), page: 1, ...changes };
  const query = toParams(next).toString();
  history.pushState(null, '', query ? `?${query}` : location.pathname);
  search();
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) node.append(c instanceof Node ? c : String(c));
  return node;
}

/** Decodes HTML entities only: a textarea's content is text (no elements, no scripts), whitespace kept. */
const decoder = document.createElement('textarea');
function decodeEntities(escaped) {
  decoder.innerHTML = escaped;
  return decoder.value;
}

/** `<mark>` highlights come from the API already HTML-escaped; only <mark> is kept, everything else as text. */
function marked(html) {
  const span = el('span', { class: 'text' });
  let inMark = false;
  for (const part of String(html).split(/(<mark>|<\/mark>)/)) {
    if (part === '<mark>') inMark = true;
    else if (part === '</mark>') inMark = false;
    else if (part) span.append(inMark ? el('mark', {}, decodeEntities(part)) : decodeEntities(part));
  }
  return span;
}

const money = (n) => n.toLocaleString('en-US', { style: 'currency', currency: 'USD' });
const count = (n) => n.toLocaleString('en-US');

async function getJson(path) {
  const res = await fetch(path, { headers: { accept: 'application/json' } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    const e = body.error ?? {};
    throw new Error(`${e.message ?? `HTTP ${res.status}`}${e.field ? ` (${e.field})` : ''}`);
  }
  return body;
}

// ---------- search ----------

let searchSeq = 0;
async function search() {
  const state = readState();
  els.q.value = state.q;
  els.sort.value = state.sort;
  const seq = ++searchSeq;
  document.body.dataset.state = 'loading';
  const params = toParams(state);
  params.set('size', String(PAGE_SIZE));
  try {
    const answer = await getJson(`/v1/search?${params}`);
    if (seq !== searchSeq) return; // a newer search was started meanwhile
    els.error.hidden = true;
    render(state, answer);
  } catch (err) {
    if (seq !== searchSeq) return;
    els.error.textContent = `Search failed: ${err.message}`;
    els.error.hidden = false;
  } finally {
    if (seq === searchSeq) {
      document.body.dataset.state = 'ready';
      document.body.dataset.searches = String(Number(document.body.dataset.searches ?? 0) + 1);
    }
  }
}

function render(state, answer) {
  renderDegraded(answer.degraded);
  renderMessages(answer);
  renderSummary(state, answer);
  renderChosen(state);
  renderFacets(state, answer.facets);
  renderResults(answer.results);
  renderPager(state, answer);
}

/** Which stage fell back, to what, and why: the shopper still gets results, the demo shows the cost. */
function renderDegraded(degraded) {
  document.body.dataset.degraded = degraded.map((d) => d.stage).join(' ');
  els.degraded.replaceChildren();
  if (degraded.length === 0) {
    els.degraded.hidden = true;
    return;
  }
  els.degraded.append(el('strong', {}, 'Degraded answer: '));
  for (const d of degraded) {
    els.degraded.append(
      el('span', { class: 'stage', dataset: { stage: d.stage } }, el('b', {}, d.stage), ` fell back to ${d.fallback} (${d.peer}: ${d.reason})`),
    );
  }
  els.degraded.hidden = false;
}

function renderMessages(answer) {
  const { query } = answer;
  const lines = [];
  const spelling = query.spelling;
  if (spelling.action === 'did_you_mean' && spelling.corrected) {
    lines.push(el('p', { class: 'did-you-mean' }, 'Did you mean ', el('a', { href: '#', onclick: (e) => { e.preventDefault(); navigate({ q: spelling.corrected, spellcheck: true }); } }, spelling.corrected), '?'));
  }
  if (spelling.action === 'showing_results_for' && spelling.corrected) {
    lines.push(
      el('p', { class: 'showing-results-for' },
        spelling.recovery ? 'Nothing matched the words as typed. ' : '',
        'Showing results for ', el('b', {}, spelling.corrected), '. Search instead for ',
        el('a', { href: '#', onclick: (e) => { e.preventDefault(); navigate({ q: spelling.original ?? query.original, spellcheck: false }); } }, spelling.original ?? query.original), '.'),
    );
  }
  if (query.relaxed && query.relaxed.dropped.length > 0) {
    lines.push(el('p', { class: 'relaxed' }, `No product has every word; showing results without: ${query.relaxed.dropped.join(', ')}.`));
  }
  const rewrites = query.rewrites.filter((r) => r.from !== r.to && r.step !== 'spelling');
  if (rewrites.length > 0) {
    lines.push(
      el('div', { class: 'rewrites' }, 'Query rewritten: ',
        rewrites.map((r) => el('span', { class: 'rewrite', dataset: { step: r.step }, title: r.detail }, el('i', {}, r.step), ` “${r.from}” → “${r.to || '∅'}”`))),
    );
  }
  if (answer.redirect) {
    lines.push(el('p', { class: 'redirect' }, 'A merchandising rule sends this search to ', el('a', { href: answer.redirect.url }, answer.redirect.url)));
  }
  els.messages.replaceChildren(...lines);
}

function renderSummary(state, answer) {
  const total = answer.totalRelation === 'gte' ? `${count(answer.total)}+` : count(answer.total);
  const what = answer.query.searched || state.q;
  els.summary.replaceChildren(
    el('span', {},
      el('span', { id: 'total', dataset: { total: String(answer.total) } }, total), ` result${answer.total === 1 ? '' : 's'}`,
      what ? [' for ', el('b', {}, `“${what}”`)] : '',
      state.category ? [' in ', el('b', {}, state.category.split(' > ').pop())] : ''),
  );
}

// ---------- filters and facets ----------

/** Splits `field:a|b` into its field and values ("\|" is a literal bar inside a value). */
function parseFilter(token) {
  const colon = token.indexOf(':');
  return { field: token.slice(0, colon), values: token.slice(colon + 1).split(/(?<!\\)\|/) };
}

/** A list value joins the others of its field (any of them); a range replaces its field's range. */
function toggleFilter(filters, token, multi) {
  const { field, values: [value] } = parseFilter(token);
  const rest = filters.filter((f) => parseFilter(f).field !== field);
  const current = filters.find((f) => parseFilter(f).field === field);
  if (!multi) return current === token ? rest : [...rest, token];
  const values = current ? parseFilter(current).values : [];
  const next = values.includes(value) ? values.filter((v) => v !== value) : [...values, value];
  return next.length === 0 ? rest : [...rest, `${field}:${next.join('|')}`];
}

function renderChosen(state) {
  const chips = [];
  if (state.category) {
    chips.push(el('button', { class: 'chip', type: 'button', dataset: { chip: 'category' }, onclick: () => navigate({ category: '' }) }, `${state.category.split(' > ').pop()} ×`));
  }
  for (const f of state.filters) {
    chips.push(el('button', { class: 'chip', type: 'button', dataset: { chip: f }, onclick: () => navigate({ filters: state.filters.filter((x) => x !== f) }) }, `${f.replace(/\\\|/g, '|')} ×`));
  }
  els.chosen.replaceChildren(...chips);
}

function renderFacets(state, facets) {
  const blocks = facets.map((facet) => {
    const body = el('ul', { class: 'facet-values' });
    if (facet.type === 'slider') {
      const min = el('input', { type: 'number', value: facet.min, step: 'any', 'aria-label': `${facet.label} from` });
      const max = el('input', { type: 'number', value: facet.max, step: 'any', 'aria-label': `${facet.label} to` });
      body.append(el('li', { class: 'slider' }, min, ' – ', max,
        el('button', { type: 'button', onclick: () => navigate({ filters: [...state.filters.filter((f) => parseFilter(f).field !== facet.field), `${facet.field}:${min.value}..${max.value}`] }) }, 'Apply')));
    }
    for (const v of facet.values) {
      const choose = () => {
        if (facet.param === 'category') navigate({ category: v.token });
        else navigate({ filters: toggleFilter(state.filters, v.token, facet.type === 'list') });
      };
      const control = facet.param === 'category'
        ? el('a', { href: '#', onclick: (e) => { e.preventDefault(); choose(); } }, v.label)
        : el('label', {}, el('input', { type: facet.type === 'list' ? 'checkbox' : 'radio', checked: v.selected, onchange: choose }), ` ${v.label}`);
      body.append(el('li', { class: v.selected ? 'selected' : '', dataset: { token: v.token } }, control, el('span', { class: 'count' }, count(v.count))));
    }
    return el('section', { class: 'facet', dataset: { facet: facet.name, field: facet.field } }, el('h3', {}, facet.label), body);
  });
  els.facets.replaceChildren(...blocks);
}

// ---------- results and pages ----------

function stars(rating) {
  const full = Math.round(rating);
  return '★★★★★'.slice(0, full) + '☆☆☆☆☆'.slice(0, 5 - full);
}

function renderResults(results) {
  els.results.replaceChildren(
    ...results.map((r) =>
      el('li', { class: 'card', dataset: { id: r.id, price: String(r.price), rating: String(r.rating), category: r.categoryPath.join(' > ') } },
        el('div', { class: 'thumb', 'aria-hidden': 'true' }, (r.brand || r.title).slice(0, 1)),
        el('h2', { class: 'title' }, r.highlight ? marked(r.highlight.title) : r.title),
        el('div', { class: 'brand' }, r.brand),
        el('div', { class: 'price' }, money(r.price)),
        el('div', { class: 'rating', title: `${r.rating} out of 5` }, el('span', { class: 'stars' }, stars(r.rating)), ` ${r.rating.toFixed(1)} (${count(r.reviewCount)})`),
        el('div', { class: 'category' }, r.categoryPath.join(' › ')),
        el('div', { class: r.inStock ? 'stock in' : 'stock out' }, r.inStock ? 'In stock' : 'Out of stock'),
      ),
    ),
  );
  if (results.length === 0) els.results.append(el('li', { class: 'empty' }, 'No products found.'));
}

function renderPager(state, answer) {
  const last = Math.max(1, Math.min(Math.ceil(answer.total / answer.size), Math.floor(MAX_RESULT_WINDOW / answer.size)));
  if (last <= 1) {
    els.pager.replaceChildren();
    return;
  }
  const go = (page) => navigate({ ...state, page });
  const button = (label, page, extra = {}) => el('button', { type: 'button', disabled: page < 1 || page > last || page === answer.page, onclick: () => go(page), ...extra }, label);
  const pages = [];
  for (let p = Math.max(1, answer.page - 2); p <= Math.min(last, answer.page + 2); p++) {
    pages.push(button(String(p), p, { class: p === answer.page ? 'current' : '', 'aria-current': p === answer.page ? 'page' : undefined }));
  }
  els.pager.replaceChildren(button('‹ Previous', answer.page - 1, { dataset: { page: 'prev' } }), ...pages, button('Next ›', answer.page + 1, { dataset: { page: 'next' } }));
}

// ---------- autocomplete ----------

let suggestSeq = 0;
let suggestTimer;
let active = -1;
let shown = [];

function closeSuggestions() {
  els.suggestions.hidden = true;
  els.q.setAttribute('aria-expanded', 'false');
  active = -1;
}

async function suggest() {
  const text = els.q.value;
  const seq = ++suggestSeq;
  if (text.trim() === '') {
    closeSuggestions();
    return;
  }
  try {
    const answer = await getJson(`/v1/suggest?${new URLSearchParams({ q: text, size: '8' })}`);
    if (seq !== suggestSeq) return; // typed on meanwhile: an older answer must not replace a newer one
    shown = answer.suggestions;
    active = -1;
    els.suggestions.replaceChildren(
      ...shown.map((s, i) =>
        el('li', { role: 'option', id: `suggestion-${i}`, dataset: { index: String(i), kind: s.kind, text: s.text }, onmousedown: (e) => { e.preventDefault(); pick(s); } },
          s.highlight ? marked(s.highlight) : el('span', { class: 'text' }, s.text),
          el('span', { class: 'kind' }, s.category && s.kind !== 'category' ? `in ${s.category.split(' > ').pop()}` : s.kind),
        ),
      ),
    );
    els.suggestions.hidden = shown.length === 0;
    els.q.setAttribute('aria-expanded', String(shown.length > 0));
    els.suggestions.dataset.for = text;
  } catch {
    if (seq === suggestSeq) closeSuggestions(); // suggestions are a nicety: the search box keeps working
  }
}

/** A suggestion searches its text, within its category when it has one (a category suggestion: only the category). */
function pick(s) {
  closeSuggestions();
  els.q.value = s.kind === 'category' ? '' : s.text;
  navigate({ q: els.q.value, category: s.category ?? '', filters: [], sort: 'relevance', spellcheck: true });
}

function highlightActive() {
  [...els.suggestions.children].forEach((li, i) => li.classList.toggle('active', i === active));
  els.q.setAttribute('aria-activedescendant', active >= 0 ? `suggestion-${active}` : '');
}

els.q.addEventListener('input', () => {
  clearTimeout(suggestTimer);
  suggestTimer = setTimeout(suggest, SUGGEST_DELAY_MS);
});
els.q.addEventListener('keydown', (e) => {
  if (els.suggestions.hidden) return;
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    e.preventDefault();
    const n = shown.length;
    active = e.key === 'ArrowDown' ? (active + 1) % n : (active - 1 + n) % n;
    highlightActive();
  } else if (e.key === 'Enter' && active >= 0) {
    e.preventDefault();
    pick(shown[active]);
  } else if (e.key === 'Escape') closeSuggestions();
});
els.q.addEventListener('blur', () => setTimeout(closeSuggestions, 100));
els.form.addEventListener('submit', (e) => {
  e.preventDefault();
  closeSuggestions();
  navigate({ q: els.q.value.trim(), category: '', filters: [], spellcheck: true });
});
els.sort.addEventListener('change', () => navigate({ ...readState(), sort: els.sort.value, page: 1 }));
window.addEventListener('popstate', search);

search();
