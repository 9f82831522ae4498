// WhatsApp accounts (msdyn_ocwhatsappchannelaccount) through the Web API, as Dataverse clients do it.
import { call, FORMATTED, LOOKUP_TYPE } from './api.js';

const SET = 'msdyn_ocwhatsappchannelaccounts';
const COLUMNS = 'msdyn_name,msdyn_provideraccountid,statecode,statuscode,_ownerid_value,msdyn_twilioinboundurl';

export const firstPage = () => `${SET}?$select=${COLUMNS}&$orderby=msdyn_name asc`;

function toAccount(row) {
  return {
    id: row.msdyn_ocwhatsappchannelaccountid,
    etag: row['@odata.etag'],
    name: row.msdyn_name ?? '',
    sid: row.msdyn_provideraccountid ?? '',
    active: row.statecode === 0,
    status: row[`statuscode${FORMATTED}`] ?? String(row.statuscode),
    owner: {
      id: row._ownerid_value,
      type: row[`_ownerid_value${LOOKUP_TYPE}`],
      name: row[`_ownerid_value${FORMATTED}`] ?? row._ownerid_value,
    },
    inboundUrl: row.msdyn_twilioinboundurl ?? '',
  };
}

/** One page of the accounts the caller can read: {accounts, next} (next is the @odata.nextLink, if any). */
export async function page(url, pageSize) {
  const body = await call('GET', url, { pageSize, annotations: true });
  return { accounts: body.value.map(toAccount), next: body['@odata.nextLink'] ?? null };
}

export async function retrieve(id) {
  return toAccount(await call('GET', `${SET}(${id})?$select=${COLUMNS}`, { annotations: true }));
}

/** fields: {name, sid, authToken}; an empty auth token is left out, so editing never clears or overwrites it. */
function bodyOf(fields) {
  const body = { msdyn_name: fields.name, msdyn_provideraccountid: fields.sid || null };
  if (fields.authToken) body.msdyn_authenticationtoken = fields.authToken;
  return body;
}

export const create = (fields) => call('POST', SET, { body: bodyOf(fields) });

export const update = (account, fields) => call('PATCH', `${SET}(${account.id})`, { body: bodyOf(fields), etag: account.etag });

/** SetState is a PATCH of statecode/statuscode in Dataverse: Active (0, 1) or Inactive (1, 2). */
export const setActive = (account, active) =>
  call('PATCH', `${SET}(${account.id})`, {
    body: active ? { statecode: 0, statuscode: 1 } : { statecode: 1, statuscode: 2 },
    etag: account.etag,
  });

/** Assign is a PATCH of ownerid@odata.bind; principal: {type: 'systemuser' | 'team', id}. */
export const assign = (account, principal) =>
  call('PATCH', `${SET}(${account.id})`, {
    body: { 'ownerid@odata.bind': `/${principal.type}s(${principal.id})` },
    etag: account.etag,
  });
