// Assign an account, share it with chosen rights, revoke a share, and see who has access.
import * as accounts from './accounts.js';
import { $, attempt, el, fillPrincipals, notify, selectedPrincipal } from './dom.js';
import * as sharing from './sharing.js';

let account = null;
let principals = [];
let current = []; // the shares of the account on screen
let onChanged = () => {};

export function init(changed) {
  onChanged = changed;
  $('share-rights').append(...sharing.RIGHTS.map((right) =>
    el('label', { className: 'check' }, el('input', { type: 'checkbox', value: right, checked: right === 'ReadAccess' }), right)));
  $('assign-form').addEventListener('submit', (e) => {
    e.preventDefault();
    assign(e.submitter);
  });
  $('share-form').addEventListener('submit', (e) => {
    e.preventDefault();
    share($('share-save'));
  });
  $('share-with').addEventListener('change', pickRights);
  $('access-close').addEventListener('click', close);
}

export function open(chosen) {
  return attempt(async () => {
    [account, principals] = await Promise.all([accounts.retrieve(chosen.id), sharing.principals()]);
    $('access-account').textContent = account.name;
    await refresh();
    $('access').hidden = false;
  });
}

export function close() {
  account = null;
  $('access').hidden = true;
}

async function refresh() {
  account = await accounts.retrieve(account.id);
  current = await sharing.shares(account.id);
  $('access-owner').textContent = account.owner.name;
  // The owner has every right already: neither a new owner nor someone to share with.
  const others = principals.filter((p) => p.id !== account.owner.id);
  fillPrincipals($('assign-to'), others, $('assign-to').value);
  fillPrincipals($('share-with'), others, $('share-with').value);
  $('share-table').tBodies[0].replaceChildren(...current.map(shareRow));
  $('no-shares').hidden = current.length > 0;
  pickRights();
}

const nameOf = (share) => principals.find((p) => p.id === share.id)?.name ?? `${share.type} ${share.id}`;

function shareRow(share) {
  return el('tr', { 'data-id': share.id },
    el('td', {}, nameOf(share), ' ', el('small', {}, share.type === 'team' ? 'team' : 'user')),
    el('td', {}, share.rights.join(', ')),
    el('td', { className: 'actions' },
      el('button', { type: 'button', onclick: () => edit(share) }, 'Change rights'),
      el('button', { type: 'button', onclick: (e) => revoke(share, e.target) }, 'Revoke')));
}

/** Existing share chosen: its rights are checked and saving replaces them (ModifyAccess); else GrantAccess. */
function pickRights() {
  const chosen = selectedPrincipal($('share-with'));
  const existing = current.find((s) => s.id === chosen.id);
  if (existing) {
    for (const box of $('share-rights').querySelectorAll('input')) box.checked = existing.rights.includes(box.value);
  }
  $('share-save').textContent = existing ? 'Update rights' : 'Share';
}

function edit(share) {
  $('share-with').value = `${share.type}:${share.id}`;
  pickRights();
}

async function share(button) {
  const principal = selectedPrincipal($('share-with'));
  const rights = [...$('share-rights').querySelectorAll('input:checked')].map((box) => box.value);
  const existing = current.some((s) => s.id === principal.id);
  const ok = await attempt(async () => {
    await (existing ? sharing.modify : sharing.grant)(account.id, principal, rights);
    await refresh();
  }, button);
  if (ok) notify(existing ? 'Rights updated.' : 'Shared.');
}

async function revoke(share, button) {
  if (await attempt(async () => {
    await sharing.revoke(account.id, share);
    await refresh();
  }, button)) notify(`Revoked the share of ${nameOf(share)}.`);
}

async function assign(button) {
  const principal = selectedPrincipal($('assign-to'));
  const name = principals.find((p) => p.id === principal.id)?.name;
  if (await attempt(async () => {
    await accounts.assign(account, principal);
    await refresh();
  }, button)) {
    notify(`Assigned to ${name}.`);
    onChanged();
  }
}
