// The bearer token lives in sessionStorage only: gone when the tab closes, never in localStorage or a cookie.
const KEY = 'channelaccounts.admin.token';

export const getToken = () => sessionStorage.getItem(KEY);
export const setToken = (token) => sessionStorage.setItem(KEY, token);
export const clearToken = () => sessionStorage.removeItem(KEY);
