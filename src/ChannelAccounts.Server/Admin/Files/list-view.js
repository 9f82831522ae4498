// The account list: one page at a time, following @odata.nextLink; the links of earlier pages are kept for "Previous".
import * as accounts from './accounts.js';
import { copyText } from './clipboard.js';
import { $, attempt, el, notify } from './dom.js';

let pages = []; // the URL of each page seen, first page first
let handlers = {};

/** handlers: edit(account), setActive(account, active), access(account), messages(account). */
export function init(actions) {
  handlers = actions;
  $('refresh').addEventListener('click', () => reload());
  $('page-size').addEventListener('change', () => first());
  $('next-page').addEventListener('click', (e) => attempt(() => load([...pages, $('next-page').dataset.url]), e.target));
  $('previous-page').addEventListener('click', (e) => attempt(() => load(pages.slice(0, -1)), e.target));
}

export const first = () => attempt(() => load([accounts.firstPage()]));

/** Reloads the page on screen (after a change), from its start link. */
export const reload = () => attempt(() => load(pages.length > 0 ? pages : [accounts.firstPage()]));

export function clear() {
  pages = [];
  $('account-table').tBodies[0].replaceChildren();
}

let loads = 0; // the newest load wins: an older answer arriving late is dropped

async function load(links) {
  const table = $('account-table');
  const load = ++loads;
  table.setAttribute('aria-busy', 'true');
  let result;
  try {
    result = await accounts.page(links.at(-1), Number($('page-size').value));
  } finally {
    if (load === loads) table.setAttribute('aria-busy', 'false');
  }
  if (load !== loads) return;
  pages = links;
  $('account-table').tBodies[0].replaceChildren(...result.accounts.map(row));
  $('empty').hidden = result.accounts.length > 0 || pages.length > 1;
  $('next-page').hidden = !result.next;
  $('next-page').dataset.url = result.next ?? '';
  $('previous-page').hidden = pages.length < 2;
  $('page-number').textContent = result.next || pages.length > 1 ? `Page ${pages.length}` : '';
}

function row(account) {
  const copyButton = account.inboundUrl
    ? el('button', { type: 'button', className: 'copy', title: 'Copy the inbound URL', onclick: (e) => copy(account.inboundUrl, e.target) }, 'Copy')
    : null;
  return el('tr', { 'data-id': account.id },
    el('td', { className: 'name' }, account.name),
    el('td', {}, el('code', {}, account.sid)),
    el('td', {}, el('span', { className: account.active ? 'badge active' : 'badge inactive' }, account.status)),
    el('td', {}, account.owner.name ?? ''),
    el('td', { className: 'url' }, el('code', {}, account.inboundUrl), copyButton),
    el('td', { className: 'actions' },
      el('button', { type: 'button', onclick: () => handlers.edit(account) }, 'Edit'),
      el('button', { type: 'button', onclick: (e) => handlers.setActive(account, !account.active, e.target) },
        account.active ? 'Deactivate' : 'Activate'),
      el('button', { type: 'button', onclick: () => handlers.access(account) }, 'Access'),
      el('button', { type: 'button', onclick: () => handlers.messages(account) }, 'Messages')));
}

async function copy(text, button) {
  const copied = await copyText(text);
  button.textContent = copied ? 'Copied' : 'Copy failed';
  notify(copied ? 'Inbound URL copied to the clipboard.' : 'The browser refused to copy; select the URL and copy it by hand.');
  setTimeout(() => { button.textContent = 'Copy'; }, 2000);
}
