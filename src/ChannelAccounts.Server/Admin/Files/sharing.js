// Sharing messages of Dataverse: GrantAccess, ModifyAccess, RevokeAccess, RetrieveSharedPrincipalsAndAccess,
// and the users and teams to pick from.
import { all, call } from './api.js';

export const RIGHTS = ['ReadAccess', 'WriteAccess', 'AppendAccess', 'AppendToAccess', 'DeleteAccess', 'ShareAccess', 'AssignAccess'];

const target = (accountId) => ({
  '@odata.type': 'Microsoft.Dynamics.CRM.msdyn_ocwhatsappchannelaccount',
  msdyn_ocwhatsappchannelaccountid: accountId,
});

const reference = (principal) => ({ '@odata.type': `Microsoft.Dynamics.CRM.${principal.type}`, [`${principal.type}id`]: principal.id });

const access = (accountId, principal, rights) => ({
  Target: target(accountId),
  PrincipalAccess: { Principal: reference(principal), AccessMask: rights.join(', ') },
});

/** Adds rights to a share (or creates it). */
export const grant = (accountId, principal, rights) => call('POST', 'GrantAccess', { body: access(accountId, principal, rights) });

/** Replaces the rights of an existing share. */
export const modify = (accountId, principal, rights) => call('POST', 'ModifyAccess', { body: access(accountId, principal, rights) });

export const revoke = (accountId, principal) =>
  call('POST', 'RevokeAccess', {
    body: { Target: target(accountId), Revokee: { '@odata.type': `Microsoft.Dynamics.CRM.${principal.type}`, ownerid: principal.id } },
  });

/** [{type, id, rights: [...]}] of everyone the record is shared with. */
export async function shares(accountId) {
  const p1 = encodeURIComponent(JSON.stringify({ '@odata.id': `msdyn_ocwhatsappchannelaccounts(${accountId})` }));
  const body = await call('GET', `RetrieveSharedPrincipalsAndAccess(Target=@p1)?@p1=${p1}`);
  return body.PrincipalAccesses.map((p) => ({
    type: p.Principal['@odata.type'].replace('#Microsoft.Dynamics.CRM.', ''),
    id: p.Principal.ownerid,
    rights: p.AccessMask.split(',').map((r) => r.trim()).filter((r) => r && r !== 'None'),
  }));
}

/** Enabled users and all teams, each {type, id, name}, users first. */
export async function principals() {
  const [users, teams] = await Promise.all([
    all('systemusers?$select=fullname,domainname&$filter=isdisabled eq false&$orderby=fullname asc'),
    all('teams?$select=name&$orderby=name asc'),
  ]);
  return [
    ...users.map((u) => ({ type: 'systemuser', id: u.systemuserid, name: u.fullname ? `${u.fullname} (${u.domainname})` : u.domainname })),
    ...teams.map((t) => ({ type: 'team', id: t.teamid, name: t.name })),
  ];
}
