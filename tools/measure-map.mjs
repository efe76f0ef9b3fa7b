// measure-map.mjs BASE_URL [HASH] — opens the web UI's search page in Debian's
// Chromium (playwright-core) and prints the bytes the browser received over
// the network (compressed sizes, headers included) once the map has loaded,
// in all and for the map's own requests (/api/v1/map*, /static/basemap/*).
// Used to give the before/after figures of the search page's map.
import { chromium } from 'playwright-core';

const base = process.argv[2] || 'http://127.0.0.1:8080';
const hash = process.argv[3] || '#/search';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
const cdp = await page.context().newCDPSession(page);
await cdp.send('Network.enable');
await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
const urls = new Map();
let total = 0, map = 0, requests = 0;
cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
cdp.on('Network.loadingFinished', (e) => {
  const url = urls.get(e.requestId) || '';
  total += e.encodedDataLength;
  requests++;
  if (/\/api\/v1\/map|\/static\/basemap\//.test(url)) map += e.encodedDataLength;
  if (process.env.VERBOSE) console.error(e.encodedDataLength, url);
});
const t0 = Date.now();
await page.goto(base + '/' + hash);
await page.waitForFunction(() => {
  const s = document.querySelector('.map-status');
  return s && s.textContent && !/Chargement|Loading/.test(s.textContent);
}, null, { timeout: 120000 });
await page.waitForLoadState('networkidle');
const ms = Date.now() - t0;
console.log(JSON.stringify({ hash, requests, bytes_total: total, bytes_map: map, ms }));
await browser.close();
