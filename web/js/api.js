// api.js - the one way the web app talks to the server: the public JSON API
// under /api/v1, with the session cookie and the CSRF header on writes.
// Errors come back as ApiError, built from the RFC 9457 problem.

const BASE = '/api/v1';

export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super((problem && (problem.detail || problem.title)) ||
      (status === 0 ? 'The server cannot be reached. Check your connection.'
        : `The request failed (${status}).`));
    this.status = status;
    this.type = (problem && problem.type) || (status === 0 ? '/problems/network' : '');
    this.code = this.type.replace('/problems/', '');
    this.title = (problem && problem.title) || '';
    this.errors = (problem && Array.isArray(problem.errors)) ? problem.errors : [];
    this.problem = problem || null;
    this.retryAfter = retryAfter || 0;
  }
  get network() { return this.status === 0; }
  // Worth trying again later: no connection, the database away, rate limits.
  get transient() { return this.status === 0 || this.status === 503 || this.status === 429 || this.status === 502 || this.status === 504; }
}

function cookie(name) {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return '';
}

// request(method, path, {body, raw, contentType, headers, signal})
//   body: an object sent as JSON; raw: a string or Blob sent as is.
// Resolves to {status, data, headers}; rejects with ApiError.
export async function request(method, path, opts = {}) {
  const headers = new Headers(opts.headers || {});
  headers.set('Accept', 'application/json');
  let body;
  if (opts.raw !== undefined) {
    body = opts.raw;
    headers.set('Content-Type', opts.contentType || 'text/plain');
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers.set('Content-Type', 'application/json');
  } else if (method !== 'GET' && method !== 'HEAD') {
    // Every write route that takes no body still accepts an empty object.
    body = opts.noBody ? undefined : '{}';
    if (body) headers.set('Content-Type', 'application/json');
  }
  if (method !== 'GET' && method !== 'HEAD') {
    const csrf = cookie('ludus_csrf');
    if (csrf) headers.set('X-CSRF-Token', csrf);
  }
  let res;
  try {
    res = await fetch(path.startsWith('/') && !path.startsWith(BASE) ? BASE + path : path, {
      method, headers, body, credentials: 'same-origin', signal: opts.signal,
      cache: 'no-store',
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, null);
  }
  let data = null;
  const type = res.headers.get('Content-Type') || '';
  if (res.status !== 204 && res.status !== 304) {
    const text = await res.text().catch(() => '');
    if (text && (type.includes('json'))) {
      try { data = JSON.parse(text); } catch { data = null; }
    } else {
      data = text;
    }
  }
  if (!res.ok) {
    const retry = parseInt(res.headers.get('Retry-After') || '0', 10) || 0;
    const err = new ApiError(res.status, data && typeof data === 'object' ? data : null, retry);
    if (res.status === 401 && !path.includes('/auth/')) {
      window.dispatchEvent(new CustomEvent('ludus:unauthenticated'));
    }
    throw err;
  }
  return { status: res.status, data, headers: res.headers };
}

const unwrap = (p) => p.then((r) => r.data);

export const api = {
  request,
  get: (path, opts) => unwrap(request('GET', path, opts)),
  post: (path, body, opts = {}) => unwrap(request('POST', path, { ...opts, body })),
  put: (path, body, opts = {}) => unwrap(request('PUT', path, { ...opts, body })),
  patch: (path, body, opts = {}) => unwrap(request('PATCH', path, { ...opts, body })),
  del: (path, body, opts = {}) => unwrap(request('DELETE', path, { ...opts, body })),
};

// The exam tracks (GET /exams: codes, names, domains), fetched once per
// page load: every filter and editor lists them.  A failure is not kept.
let examList = null;
export function exams() {
  if (!examList) {
    examList = api.get('/exams').then((d) => d.items || [])
      .catch((e) => { examList = null; throw e; });
  }
  return examList;
}

// A query string from an object, leaving out empty values.
export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === '') continue;
    u.set(k, String(v));
  }
  const s = u.toString();
  return s ? '?' + s : '';
}

// Calls fn until it succeeds, waiting longer after each transient failure
// (no network, 503, 429).  Other errors are thrown at once.
export async function retrying(fn, { tries = Infinity, base = 500, max = 8000, onRetry } = {}) {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof ApiError) || !e.transient || i + 1 >= tries) throw e;
      const wait = Math.max(e.retryAfter * 1000, Math.min(max, base * 2 ** i));
      if (onRetry) onRetry(e, wait);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
