// Create and edit an account. The auth token is write-only: the field starts empty, the stored value is never
// read, and a field left empty on edit is not sent.
import * as accounts from './accounts.js';
import { $, attempt, notify } from './dom.js';

let editing = null; // the account being edited (with its ETag), or null for a new one
let onSaved = () => {};

export function init(saved) {
  onSaved = saved;
  $('editor-form').addEventListener('submit', (e) => {
    e.preventDefault();
    save($('editor-save'));
  });
  $('editor-cancel').addEventListener('click', close);
}

export function openNew() {
  editing = null;
  show('New account', { name: '', sid: '' }, 'Write-only: the stored token is never shown.');
}

/** Edits the record as it is now on the server (its ETag guards the save). */
export function openEdit(account) {
  return attempt(async () => {
    editing = await accounts.retrieve(account.id);
    show(`Edit ${editing.name}`, editing, 'Write-only: leave empty to keep the stored token.');
  });
}

function show(title, values, hint) {
  notify(''); // the last save's notice would otherwise read as this edit's outcome
  $('editor-title').textContent = title;
  $('account-name').value = values.name;
  $('account-sid').value = values.sid;
  $('account-auth-token').value = '';
  $('token-hint').textContent = hint;
  $('editor').hidden = false;
  $('account-name').focus();
}

export function close() {
  editing = null;
  $('account-auth-token').value = '';
  $('editor').hidden = true;
}

async function save(button) {
  const fields = {
    name: $('account-name').value.trim(),
    sid: $('account-sid').value.trim(),
    authToken: $('account-auth-token').value,
  };
  const ok = await attempt(() => (editing ? accounts.update(editing, fields) : accounts.create(fields)), button);
  if (!ok) return;
  notify(editing ? `Saved ${fields.name}.` : `Created ${fields.name}.`);
  close();
  onSaved();
}
