// Signing in: a pasted token is checked with WhoAmI before it is kept.
import { call } from './api.js';
import { clearToken, getToken, setToken } from './session-store.js';

/** Who the token belongs to: {userId, name}; throws the server's error for a bad or expired token. */
async function whoIs(token) {
  const me = await call('GET', 'WhoAmI', { token });
  const user = await call('GET', `systemusers(${me.UserId})?$select=fullname,domainname`, { token });
  const name = user.fullname ? `${user.fullname} (${user.domainname})` : user.domainname;
  return { userId: me.UserId, businessUnitId: me.BusinessUnitId, name };
}

export async function signIn(token) {
  const trimmed = token.trim().replace(/^Bearer\s+/i, '');
  const user = await whoIs(trimmed);
  setToken(trimmed);
  return user;
}

/** The user of the token kept in this tab, or null; a token that no longer works is dropped. */
export async function resume() {
  const token = getToken();
  if (!token) return null;
  try {
    return await whoIs(token);
  } catch (e) {
    clearToken();
    throw e;
  }
}

export const signOut = clearToken;
