// The Web API client of the page: every call carries the bearer token, and every failure becomes an ApiError
// holding the server's own message (the body's error.message), which the page shows as is.
import { getToken } from './session-store.js';

const ROOT = '/api/data/v9.2/';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The absolute URL of a Web API path; a nextLink from the server must point back to this origin. */
function urlOf(path) {
  const url = new URL(path, location.origin + ROOT);
  if (url.origin !== location.origin) {
    throw new ApiError(0, '', `Refusing to send the token to another origin (${url.origin}).`);
  }
  return url;
}

/**
 * One Web API call. Options: body (sent as JSON), etag (If-Match), pageSize (odata.maxpagesize),
 * annotations (formatted values), token (instead of the stored one, to check a token before keeping it).
 * Returns the parsed JSON body, or null for 204.
 */
export async function call(method, path, options = {}) {
  const headers = {
    Accept: 'application/json',
    'OData-MaxVersion': '4.0',
    'OData-Version': '4.0',
    Authorization: `Bearer ${options.token ?? getToken()}`,
  };
  const prefer = [];
  if (options.annotations) prefer.push('odata.include-annotations="*"');
  if (options.pageSize) prefer.push(`odata.maxpagesize=${options.pageSize}`);
  if (prefer.length > 0) headers.Prefer = prefer.join(',');
  if (options.etag) headers['If-Match'] = options.etag;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';

  let response;
  try {
    response = await fetch(urlOf(path), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (e) {
    throw e instanceof ApiError ? e : new ApiError(0, '', `The server could not be reached: ${e.message}`);
  }
  if (!response.ok) throw await errorOf(response);
  if (response.status === 204) return null;
  return response.json();
}

/** Dataverse's error shape: {"error":{"code":"0x…","message":"…"}}; anything else is described by its status. */
async function errorOf(response) {
  const text = await response.text();
  try {
    const error = JSON.parse(text).error;
    if (error && typeof error.message === 'string') return new ApiError(response.status, error.code ?? '', error.message);
  } catch {
    // not JSON: fall through
  }
  return new ApiError(response.status, '', `${response.status} ${response.statusText}${text ? `: ${text.slice(0, 200)}` : ''}`);
}

/** Every page of a collection, following @odata.nextLink (for the user and team pickers). */
export async function all(path, options = {}) {
  const rows = [];
  let next = path;
  while (next) {
    const page = await call('GET', next, { pageSize: 500, ...options });
    rows.push(...page.value);
    next = page['@odata.nextLink'];
  }
  return rows;
}

export const FORMATTED = '@OData.Community.Display.V1.FormattedValue';
export const LOOKUP_TYPE = '@Microsoft.Dynamics.CRM.lookuplogicalname';
