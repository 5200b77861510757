// Calls to the server's public HTTP API, with the key the user signed in with (sessionStorage:
// this tab only). Every page goes through here; nothing else talks to the network.

const KEY = 'roseforest.dashboard.key';

export const session = {
  get key() { return sessionStorage.getItem(KEY) || ''; },
  set key(value) { if (value) sessionStorage.setItem(KEY, value); else sessionStorage.removeItem(KEY); },
  access: 'unknown', // 'admin' | 'read-only' | 'none'
  get canWrite() { return this.access === 'admin'; },
};

export class ApiError extends Error {
  constructor(status, message, body) { super(message); this.status = status; this.body = body; }
}

function headers(extra) {
  const h = { ...extra };
  if (session.key) h['api-key'] = session.key;
  return h;
}

// The message a RoseForest answer carries: Qdrant's {status: {error}}, the knowledge routes'
// {status: "error", message}, or plain text.
function messageOf(status, body, text) {
  if (body && typeof body === 'object') {
    if (body.status && typeof body.status === 'object' && body.status.error) return body.status.error;
    if (typeof body.message === 'string') return body.message;
    if (typeof body.error === 'string') return body.error;
  }
  return text || `HTTP ${status}`;
}

export async function request(method, path, body, { raw = false } = {}) {
  const init = { method, headers: headers(body === undefined ? {} : { 'content-type': 'application/json' }) };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(path, init);
  const text = await response.text();
  let parsed = null;
  try { parsed = text ? JSON.parse(text) : null; } catch { parsed = null; }
  if (!response.ok) throw new ApiError(response.status, messageOf(response.status, parsed, text), parsed);
  if (raw) return text;
  // Qdrant's envelope: {result, status: "ok", time}; other parts answer unwrapped.
  if (parsed && typeof parsed === 'object' && 'result' in parsed && parsed.status === 'ok') return parsed.result;
  return parsed;
}

export const get = (path, opts) => request('GET', path, undefined, opts);
export const post = (path, body) => request('POST', path, body);
export const put = (path, body) => request('PUT', path, body);
export const del = (path) => request('DELETE', path);

// Does a route exist here? (a part the server was started without answers 404)
export async function answers(path) {
  try { await get(path); return true; } catch (e) { return !(e instanceof ApiError) || e.status !== 404; }
}

export const enc = encodeURIComponent;
