// The admin page: sign in, then the account list with its panels (editor, access, messages), one panel at a time.
import * as accounts from './accounts.js';
import * as accessView from './access-view.js';
import { $, attempt, clearError, notify, showError } from './dom.js';
import * as editorView from './editor-view.js';
import * as listView from './list-view.js';
import * as messagesView from './messages-view.js';
import * as session from './session.js';

function closePanels() {
  editorView.close();
  accessView.close();
  messagesView.close();
}

function showSignedIn(user) {
  $('whoami').textContent = user.name;
  $('session').hidden = false;
  $('sign-in').hidden = true;
  $('accounts').hidden = false;
  listView.first();
}

function showSignedOut() {
  closePanels();
  listView.clear();
  $('session').hidden = true;
  $('accounts').hidden = true;
  $('sign-in').hidden = false;
  $('token').value = '';
}

async function setActive(account, active, button) {
  if (await attempt(() => accounts.setActive(account, active), button)) {
    notify(`${account.name} is ${active ? 'active' : 'inactive'}.`);
    listView.reload();
  }
}

function wire() {
  listView.init({
    edit: (account) => { closePanels(); editorView.openEdit(account); },
    setActive,
    access: (account) => { closePanels(); accessView.open(account); },
    messages: (account) => { closePanels(); messagesView.open(account); },
  });
  editorView.init(() => listView.reload());
  accessView.init(() => listView.reload());
  messagesView.init();

  $('new-account').addEventListener('click', () => { closePanels(); editorView.openNew(); });
  $('sign-in-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const button = e.submitter;
    let user = null;
    if (await attempt(async () => { user = await session.signIn($('token').value); }, button)) {
      $('token').value = '';
      notify('');
      showSignedIn(user);
    }
  });
  $('sign-out').addEventListener('click', () => {
    session.signOut();
    clearError();
    notify('Signed out.');
    showSignedOut();
  });
}

async function start() {
  wire();
  try {
    const user = await session.resume();
    if (user) showSignedIn(user);
    else showSignedOut();
  } catch (error) {
    showSignedOut();
    showError(error);
  }
}

start();
