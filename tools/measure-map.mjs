// measure-map.mjs BASE_URL [HASH] — opens the web UI's search page in Debian's
// Chromium (playwright-core) and prints the bytes the browser received over
// the network (compressed sizes, headers included) once the map has loaded,
// in all and for the map's own requests (/api/v1/map*, /static/basemap/*).
// Used to give the before/after figures of the search page's map. The first
// visit runs with the browser cache off; a second visit (`revisit`) with it
// on, as a user who comes back (the server then answers 304 where nothing
// changed).
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

async function visit(visitName, cache) {
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: !cache });
  total = map = requests = 0;
  const t0 = Date.now();
  await page.goto('about:blank');
  await page.goto(base + '/' + hash);
  await page.waitForFunction(() => {
    const s = document.querySelector('.map-status');
    return s && /\d/.test(s.textContent) && !/Chargement|Loading/.test(s.textContent);
  }, null, { timeout: 120000 });
  await page.waitForLoadState('networkidle');
  const ms = Date.now() - t0;
  console.log(JSON.stringify({ visit: visitName, hash, requests, bytes_total: total, bytes_map: map, ms }));
}
await visit('first', false);
await visit('revisit', true);
await browser.close();
