// Small DOM helpers, the error banner and the status line. Text always goes in as text, never as HTML.

export const $ = (id) => document.getElementById(id);

/** el('button', {type: 'button', onclick: f}, 'Save'): props are properties, `on…` are listeners, `data-…` attributes. */
export function el(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key.startsWith('on')) element.addEventListener(key.slice(2), value);
    else if (key.includes('-')) element.setAttribute(key, value);
    else element[key] = value;
  }
  element.append(...children.filter((child) => child !== null && child !== undefined));
  return element;
}

/**
 * The URL if it is an absolute http(s) one, else null. A link's href from outside data (a webhook's MediaUrl) must
 * not be javascript:, data: or the like, which would run or show content in the page's origin when clicked.
 */
export function webUrl(text) {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

export function showError(error) {
  const box = $('error');
  const detail = [error.status ? `HTTP ${error.status}` : '', error.code ?? ''].filter(Boolean).join(' · ');
  box.replaceChildren(el('span', { className: 'message' }, error.message), detail ? el('small', {}, detail) : null);
  box.hidden = false;
}

export function clearError() {
  $('error').hidden = true;
  $('error').replaceChildren();
}

export function notify(text) {
  $('notice').textContent = text;
}

/**
 * Runs an action on behalf of a button: clears the last error, disables the button meanwhile, and shows the
 * server's message if it fails. Returns whether it succeeded.
 */
export async function attempt(action, button = null) {
  clearError();
  if (button) button.disabled = true;
  try {
    await action();
    return true;
  } catch (error) {
    showError(error);
    return false;
  } finally {
    if (button) button.disabled = false;
  }
}

/** Fills a <select> with principals: {type, id, name} grouped as Users and Teams. */
export function fillPrincipals(select, principals, selected = null) {
  const group = (label, type) =>
    el('optgroup', { label }, ...principals.filter((p) => p.type === type)
      .map((p) => el('option', { value: `${p.type}:${p.id}`, selected: `${p.type}:${p.id}` === selected }, p.name)));
  select.replaceChildren(group('Users', 'systemuser'), group('Teams', 'team'));
}

export function selectedPrincipal(select) {
  const [type, id] = select.value.split(':');
  return { type, id };
}
