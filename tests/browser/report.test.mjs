// report.test.mjs — the territory page's report pieces in Debian's Chromium:
// the map of the communes coloured by the indicator chosen (a commune of
// fewer than 3 establishments in its own colour, never with a figure), the
// PDF report button and the indicators' export buttons that follow the level
// chosen. Screenshots go to build/test-artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start, SHOTS } from './support.mjs';

const AMP = '200054807';
let env, base, page;
const errors = [];

before(async () => {
  env = await start({
    prepare: (mk, dir) => {
      mk('demo', '--territory', '13', '--size', '6000', '--seed', '5', '--out', join(dir, 'd13'));
      mk('import', 'sirene', join(dir, 'd13/StockEtablissement_utf8.csv'), '--rejects', join(dir, 'r13.csv'));
    },
  });
  ({ base, page } = env);
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  // The Leaflet maps are kept, to read what the choropleth drew.
  await page.addInitScript(() => {
    let leaflet;
    window.__maps = [];
    Object.defineProperty(window, 'L', {
      configurable: true,
      get: () => leaflet,
      set: (v) => {
        leaflet = v;
        if (v && v.Map && v.Map.addInitHook) v.Map.addInitHook(function keep() { window.__maps.push(this); });
      },
    });
  });
});

after(async () => {
  await env?.stop();
});

/** Colour and tooltip of every commune the choropleth drew, by the commune's name. */
const drawn = () => page.evaluate(() => {
  const m = window.__maps[window.__maps.length - 1];
  const out = {};
  m.eachLayer((l) => {
    const tip = l.getTooltip && l.getTooltip();
    if (!tip || !l.options || !l.options.fillColor) return;
    const c = tip.getContent();
    const text = typeof c === 'string' ? c : c.textContent;
    out[text.replace(/\u00a0:.*$/s, '')] = { colour: l.options.fillColor, text: text.replace('\u00a0', ' ') };
  });
  return out;
});

test('the communes of the metropolis coloured by establishments per 1,000 inhabitants, secret ones in their own colour', async () => {
  const data = await (await fetch(`${base}/api/v1/territories/${AMP}/choropleth`)).json();
  const secret = data.communes.filter((c) => c.secret);
  await page.goto(`${base}/#/territory/${AMP}`);
  await page.locator('#choro-legend li').first().waitFor();
  await page.waitForFunction(() => window.__maps.length > 0);
  const d = await drawn();
  assert.equal(Object.keys(d).length, data.communes.length, 'every commune is drawn');
  const legendSecret = await page.locator('#choro-legend-secret').innerText();
  assert.match(legendSecret, new RegExp(`moins de 3 établissements \\(${secret.length}\\)`));
  const secretColour = await page.locator('#choro-legend-secret .swatch').evaluate((el) => getComputedStyle(el).backgroundColor);
  for (const c of data.communes) {
    const got = d[c.name];
    assert.ok(got, c.name);
    if (c.secret) {
      assert.equal(got.text, `${c.name} : moins de 3 établissements`, 'a secret commune shows no figure');
      assert.equal(got.colour, '#c51b7d');
    } else {
      assert.notEqual(got.colour, '#c51b7d', `${c.name} is not drawn as secret`);
      assert.match(got.text, /\d/);
    }
  }
  assert.equal(secretColour, 'rgb(197, 27, 125)');
  // The most and least dense communes are in the darkest and lightest classes.
  const shown = data.communes.filter((c) => !c.secret && c.per_1000 !== null).sort((a, b) => a.per_1000 - b.per_1000);
  assert.equal(d[shown[0].name].colour, '#f0f9e8');
  assert.equal(d[shown[shown.length - 1].name].colour, '#0868ac');
  await page.locator('#choro-map').screenshot({ path: join(SHOTS, 'choropleth-fr.png') });
});

test('choosing industry\'s share recolours the map; a commune with 1 or 2 industrial establishments has no figure', async () => {
  const data = await (await fetch(`${base}/api/v1/territories/${AMP}/choropleth`)).json();
  await page.selectOption('#choro-indicator', 'industry_jobs_share');
  await page.locator('#choro-legend h3', { hasText: 'Part de l’industrie' }).waitFor();
  const d = await drawn();
  const hidden = data.communes.filter((c) => c.secret || c.industry_secret);
  assert.ok(hidden.length > 0, 'the generated metropolis has communes with 1 or 2 industrial establishments');
  for (const c of hidden) assert.equal(d[c.name].text, `${c.name} : moins de 3 établissements`);
  const marseille = data.communes.find((c) => c.code === '13055');
  assert.match(d.Marseille.text, /^Marseille : \d+,\d\s?%$/u);
  assert.ok(marseille.industry_jobs_share > 0);
  await page.locator('#choro-map').screenshot({ path: join(SHOTS, 'choropleth-industry.png') });
});

test('the PDF report and the indicators\' exports are links of the page', async () => {
  const pdf = await page.locator('#territory-report-pdf').getAttribute('href');
  assert.equal(pdf, `/api/v1/territories/${AMP}/report.pdf?lang=fr`);
  const res = await fetch(base + pdf);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  await page.selectOption('#ind-level', 'A10');
  await page.waitForFunction(() => /level=A10/.test(document.querySelector('#indicators-export-csv').href));
  const csv = await page.locator('#indicators-export-csv').getAttribute('href');
  assert.equal(csv, `/api/v1/territories/${AMP}/indicators.csv?level=A10&by=jobs`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#indicators-export-xlsx').click()]);
  assert.match(download.suggestedFilename(), new RegExp(`^indicateurs-${AMP}-\\d{4}-\\d\\d-\\d\\d\\.xlsx$`));
  assert.deepEqual(errors, []);
});

test('the needs grid beside the indicators: a level set in the form shows in the grid, its note as text', async () => {
  await page.goto('about:blank');
  await page.goto(`${base}/#/territory/${AMP}`);
  await page.locator('#needs-grid').waitFor();
  assert.equal(await page.locator('#needs-grid tbody tr').count(), 9);
  assert.match(await page.locator('#needs-grid tr[data-need="skills"]').innerText(), /non évalué/);
  const note = '<b>soudeurs</b> introuvables';
  await page.selectOption('#need-need', 'skills');
  await page.selectOption('#need-level', 'critical');
  await page.fill('#need-note', note);
  await page.click('#needs-form button[type=submit]');
  await page.locator('.needs-live', { hasText: 'Niveau enregistré.' }).waitFor();
  const row = page.locator('#needs-grid tr[data-need="skills"]');
  assert.match(await row.innerText(), /critique/);
  assert.equal(await row.locator('.need-note').innerText(), note, 'the note is text, not markup');
  assert.equal(await row.locator('b').count(), 0);
  // The grid is before the choropleth, beside the indicators.
  const order = await page.evaluate(() => ['ind-title', 'needs-title', 'choro-title'].map((id) => document.getElementById(id).getBoundingClientRect().top));
  assert.ok(order[0] < order[1] && order[1] < order[2], `${order}`);
  // After a reload the level is still there, in the history too.
  await page.reload();
  await page.locator('#needs-grid tr[data-need="skills"] .need-critical').waitFor();
  assert.match(await page.locator('.needs-history summary').innerText(), /Historique des niveaux \(1\)/);
  await page.locator('#needs').screenshot({ path: join(SHOTS, 'needs-territory.png') });
  assert.deepEqual(errors, []);
});

test('the firm page has its own needs grid', async () => {
  const ASM = '91000001700012';
  await page.goto('about:blank');
  await page.goto(`${base}/#/firm/${ASM}`);
  await page.locator('#needs-grid').waitFor();
  assert.match(await page.locator('#needs-title').innerText(), /Besoins de l’entreprise/);
  await page.selectOption('#need-need', 'export');
  await page.selectOption('#need-level', 'medium');
  await page.click('#needs-form button[type=submit]');
  await page.locator('#needs-grid tr[data-need="export"] .need-medium').waitFor();
  const r = await (await fetch(`${base}/api/v1/establishments/${ASM}/needs`)).json();
  assert.equal(r.needs.find((n) => n.need === 'export').level, 'medium');
  assert.deepEqual(errors, []);
});
