import { useSyncExternalStore } from 'react';

/**
 * Routes live after the `#`, search parameters included (`#/realms/demo/clients?verdict=missing`), so
 * the page's own path never changes: the same build works at any path of any static server, and
 * keycloak-js keeps the query string for its own callback.
 */
const listeners = new Set<() => void>();
const notify = () => {
  for (const listener of listeners) listener();
};

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (listeners.size === 1) {
    window.addEventListener('hashchange', notify);
    window.addEventListener('popstate', notify);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      window.removeEventListener('hashchange', notify);
      window.removeEventListener('popstate', notify);
    }
  };
}

const hash = () => window.location.hash.replace(/^#/, '');

export function currentPath(): string {
  const [path = ''] = hash().split('?');
  return path.startsWith('/') ? path : `/${path}`;
}

function currentSearch(): string {
  const value = hash();
  const start = value.indexOf('?');
  // wouter runs decodeURI over this before URLSearchParams decodes it; encodeURI makes that first pass a no-op.
  return start < 0 ? '' : encodeURI(value.slice(start + 1));
}

export function navigateHash(to: string, options: { replace?: boolean } = {}): void {
  const url = `${window.location.pathname}${window.location.search}#${to}`;
  if (options.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  // pushState and replaceState fire no event of their own.
  notify();
}

export function useHashLocation(): [string, typeof navigateHash] {
  return [useSyncExternalStore(subscribe, currentPath), navigateHash];
}

export function useHashSearch(): string {
  return useSyncExternalStore(subscribe, currentSearch);
}
