// The latest inbound messages of one account, newest first.
import { $, attempt, el, webUrl } from './dom.js';
import * as messages from './messages.js';

let account = null;

export function init() {
  $('messages-refresh').addEventListener('click', (e) => attempt(load, e.target));
  $('messages-close').addEventListener('click', close);
}

export function open(chosen) {
  account = chosen;
  $('messages-account').textContent = chosen.name;
  $('message-table').tBodies[0].replaceChildren();
  $('no-messages').hidden = true;
  $('messages').hidden = false;
  return attempt(load);
}

export function close() {
  account = null;
  $('messages').hidden = true;
}

async function load() {
  const rows = await messages.latest(account.id);
  $('message-table').tBodies[0].replaceChildren(...rows.map(row));
  $('no-messages').hidden = rows.length > 0;
}

/** A link to the media when its URL is http(s); any other URL, as the webhook stored it, only as text. */
function mediaLink(item) {
  const href = webUrl(item.url);
  return href
    ? el('a', { href, target: '_blank', rel: 'noopener noreferrer' }, item.type || 'media')
    : el('span', { className: 'unlinked' }, `${item.type || 'media'} ${item.url}`);
}

function row(m) {
  const media = m.media.map((item) => el('div', {}, mediaLink(item)));
  const status = m.errorCode === null ? m.status : `${m.status} (error ${m.errorCode})`;
  return el('tr', { 'data-sid': m.sid },
    el('td', {}, m.receivedOn ? el('time', { dateTime: m.receivedOn.toISOString() }, m.receivedOn.toLocaleString()) : ''),
    el('td', {}, m.from),
    el('td', {}, m.profileName),
    el('td', { className: 'body' }, m.body),
    el('td', {}, ...media),
    el('td', {}, status),
    el('td', {}, el('code', {}, m.sid)));
}
