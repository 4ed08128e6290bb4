import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { SearchResponse } from '@search-mesh/contracts';
import { freePort, noLoadShedding, REPO_ROOT, sleep } from '@search-mesh/testing';
import { describeWithBrowser, launchBrowser } from '@search-mesh/testing/src/browser';
import type { Browser } from 'playwright-core';
import { request } from 'undici';
import { dropMerchandising } from '../../services/facet/test/support/cleanup';
import { type IndexedCatalog, indexCatalog } from '../../services/orchestrator/test/support/catalog-index';
import { type ServiceProcess, startService } from '../../services/orchestrator/test/support/mesh';

/**
 * The merchandiser console in headless Chromium against a real facet service and orchestrator: log in,
 * move a facet up, preview the change beside the live answer, save, and see the storefront change; edit
 * the suggestion blocklist.
 */
const TOKEN = 'console-merch-token-0123456789';
const SCREENSHOT = path.join(REPO_ROOT, 'docs/console.png');

let catalog: IndexedCatalog;
let facet: ServiceProcess;
let orchestrator: ServiceProcess;
let browser: Browser;

async function facetNames(): Promise<string[]> {
  const res = await request(`${orchestrator.url}/v1/search?q=tv`);
  return ((await res.body.json()) as SearchResponse).facets.map((f) => f.name);
}

describeWithBrowser('merchandiser console', () => {
  beforeAll(async () => {
    catalog = await indexCatalog(3000);
    const [facetPort, orchestratorPort] = [await freePort(), await freePort()];
    const dead = `http://127.0.0.1:${await freePort()}`;
    facet = await startService(
      'facet',
      { SEARCH_MESH_NAMESPACE: catalog.namespace, SEARCH_MESH_FACET_ADMIN_TOKENS: `casey:merchandiser:${TOKEN}`, SEARCH_MESH_FACET_ORCHESTRATOR_URL: `http://127.0.0.1:${orchestratorPort}`, ...noLoadShedding('FACET') },
      facetPort,
    );
    orchestrator = await startService(
      'orchestrator',
      {
        SEARCH_MESH_NAMESPACE: catalog.namespace,
        SEARCH_MESH_ORCHESTRATOR_REQUEST_BUDGET_MS: '3000',
        ...noLoadShedding('ORCHESTRATOR'),
        SEARCH_MESH_ORCHESTRATOR_FACET_URL: facet.url,
        SEARCH_MESH_ORCHESTRATOR_QUERY_UNDERSTANDING_URL: dead,
        SEARCH_MESH_ORCHESTRATOR_RANKING_URL: dead,
        SEARCH_MESH_ORCHESTRATOR_AUTOCOMPLETE_URL: dead,
      },
      orchestratorPort,
    );
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([orchestrator, facet].filter(Boolean).map((s) => s.process.stop()));
    await dropMerchandising(catalog.namespace);
    await catalog?.drop();
  }, 60_000);

  it('logs in, moves a facet up, previews before and after, saves, and the storefront changes', async () => {
    const live = await facetNames();
    expect(live.slice(0, 3)).toEqual(['category', 'brand', 'price']);

    const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    await page.goto(`${facet.url}/console/`);
    await page.fill('#token', 'wrong-token-0123456789');
    await page.click('#login-button');
    await page.waitForSelector('#message:has-text("401")');

    await page.fill('#token', TOKEN);
    await page.click('#login-button');
    await page.waitForSelector('#who:has-text("casey (merchandiser)")');
    await page.waitForSelector('#tree span[data-path="*"].selected');
    await page.waitForSelector('#facets tbody tr[data-field="price"]');
    const rows = () => page.$$eval('#facets tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-field')));
    expect((await rows()).slice(0, 3)).toEqual(['category', 'brand', 'price']);

    // Price above brand.
    await page.click('#facets tbody tr[data-field="price"] button.up');
    expect((await rows()).slice(0, 3)).toEqual(['category', 'price', 'brand']);

    await page.fill('#preview-query', 'tv');
    await page.click('#preview');
    await page.waitForSelector('#preview-after .facet-name');
    const facetLabels = (side: string) => page.$$eval(`#preview-${side} .facet-name`, (els) => els.map((e) => e.textContent));
    expect((await facetLabels('before')).slice(1, 3)).toEqual(['Brand', 'Price']);
    expect((await facetLabels('after')).slice(1, 3)).toEqual(['Price', 'Brand']);
    // A preview changes nothing for shoppers.
    expect((await facetNames()).slice(0, 3)).toEqual(['category', 'brand', 'price']);
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    await page.click('#save-facets');
    await page.waitForSelector('#message.ok:has-text("version 1")');
    const deadline = Date.now() + 2000;
    while ((await facetNames()).slice(0, 3).join() !== 'category,price,brand') {
      if (Date.now() > deadline) throw new Error(`storefront facets still ${(await facetNames()).join()}`);
      await sleep(50);
    }

    // The history shows who changed what.
    await page.click('#history-facets');
    await page.waitForSelector('#facet-history li:has-text("v1 by casey (merchandiser)")');

    // An invalid change shows the error naming the field, and is not saved.
    await page.selectOption('#facets tbody tr[data-field="brand"] select', 'range');
    await page.click('#save-facets');
    await page.waitForSelector('#message:has-text("body.config.facets.2.display")');
    await page.close();
  });

  it('edits the suggestion blocklist: add, remove, save, and an invalid term marked with its error', async () => {
    const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    await page.goto(`${facet.url}/console/`);
    await page.fill('#token', TOKEN);
    await page.click('#login-button');
    await page.waitForSelector('#who:has-text("casey (merchandiser)")');
    await page.click('.tabs button[data-tab="blocklist"]');
    await page.waitForSelector('#blocklist-version:has-text("never saved")');
    expect(await page.isHidden('#preview-panel')).toBe(true);
    const terms = () => page.$$eval('#blocked-terms li', (lis) => lis.map((li) => li.getAttribute('data-term')));

    await page.fill('#new-term', 'Hover Board');
    await page.click('#add-term');
    await page.fill('#new-term', 'nerf gun');
    await page.press('#new-term', 'Enter');
    await page.fill('#new-term', 'lighter');
    await page.click('#add-term');
    await page.click('#blocked-terms li[data-term="nerf gun"] button');
    expect(await terms()).toEqual(['Hover Board', 'lighter']);
    await page.click('#save-blocklist');
    await page.waitForSelector('#message.ok:has-text("blocklist as version 1")');
    await page.waitForSelector('#blocklist-version:has-text("version 1")');
    const stored = await request(`${facet.url}/v1/admin/suggest-blocklist/default`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(((await stored.body.json()) as { body: { terms: string[] } }).body.terms).toEqual(['Hover Board', 'lighter']);

    // A term over the length limit: the error names it, the term is marked, nothing is saved.
    await page.fill('#new-term', 'x'.repeat(101));
    await page.click('#add-term');
    await page.click('#save-blocklist');
    await page.waitForSelector('#message:not(.ok):has-text("body.config.terms.2")');
    expect(await page.$eval('#blocked-terms li.invalid', (li) => li.getAttribute('data-term'))).toBe('x'.repeat(101));
    await page.waitForSelector('#blocklist-version:has-text("version 1")');

    await page.click('#history-blocklist');
    await page.waitForSelector('#blocklist-history li:has-text("v1 by casey (merchandiser)")');
    await page.close();
  });
});
