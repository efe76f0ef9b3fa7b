// api.js — calls to the maillage JSON API (/api/v1). Errors are RFC 9457
// problem documents; they become ApiError with the server's title and detail.

export const BASE = '/api/v1';

export class ApiError extends Error {
  constructor(status, title, detail, code, parameter) {
    super(detail || title || `HTTP ${status}`);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.code = code || null; // stable: what the UI translates
    this.parameter = parameter || null;
  }
}

export const enc = encodeURIComponent;

// Build "?a=1&b=2" from an object, skipping empty values.
export function qs(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    p.set(k, v === true ? 'true' : String(v));
  }
  const s = p.toString();
  return s ? '?' + s : '';
}

// A change refused because an import is writing the database (503, code
// "busy") is sent again after the server's Retry-After, up to BUSY_TRIES
// times; onRetry(seconds, attempt) lets the page say so meanwhile.
const BUSY_TRIES = 6;
const sleep = (ms, signal) => new Promise((resolve, reject) => {
  const t = setTimeout(resolve, ms);
  if (signal) signal.addEventListener('abort', () => { clearTimeout(t); reject(new DOMException('aborted', 'AbortError')); }, { once: true });
});

export async function api(path, { signal, method = 'GET', body, onRetry } = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await apiOnce(path, { signal, method, body });
    } catch (e) {
      if (!(e instanceof ApiError) || e.code !== 'busy' || method === 'GET' || attempt >= BUSY_TRIES) throw e;
      const seconds = e.retryAfter || 10;
      if (onRetry) onRetry(seconds, attempt);
      await sleep(seconds * 1000, signal);
    }
  }
}

// The CSRF token of the session (or of the signed-out browser, for a
// login), from GET /api/v1/session: every change sends it in X-CSRF-Token.
let csrfToken = '';
export function setCsrf(token) { csrfToken = token || ''; }

async function apiOnce(path, { signal, method, body }) {
  let res;
  const headers = { Accept: 'application/json' };
  // Every change goes as JSON (the server refuses another type), with the token.
  if (body || method !== 'GET') headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  try {
    res = await fetch(BASE + path, {
      method,
      signal,
      credentials: 'same-origin',
      headers,
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, null, null);
  }
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (_) { data = null; }
  if (!res.ok) {
    const err = new ApiError(res.status, data && data.title, data && data.detail, data && data.code,
      data && data.parameter);
    err.retryAfter = Number(res.headers.get('Retry-After')) || null;
    throw err;
  }
  return data;
}

// Download links: the server names the file (what and when); `download: ''` keeps that name.
export const exportUrl = (name, ext) => `${BASE}/networks/${enc(name)}/export.${ext}`;
export const territoryExportUrl = (code, ext) => `${BASE}/territories/${enc(code)}/export.${ext}`;
// report: a territory's PDF report and its indicators' exports (issue 12, part 7).
export const territoryFileUrl = (code, file, params = {}) => `${BASE}/territories/${enc(code)}/${file}${qs(params)}`;
export const searchExportUrl = (params, ext) => `${BASE}/search/export.${ext}${qs(params)}`;
