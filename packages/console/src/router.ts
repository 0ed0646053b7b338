import { useEffect, useState } from 'preact/hooks';
import { consoleRoot } from './api';

/** The console path of the page, e.g. `people/u-42`, without the console's root. */
function currentPath(): string {
  const root = consoleRoot().pathname;
  const path = window.location.pathname;
  return path.startsWith(root) ? path.slice(root.length) : '';
}

const listeners = new Set<() => void>();
window.addEventListener('popstate', () => listeners.forEach((listener) => listener()));

/** Go to a console path (`people`, `people/<id>`, ...), keeping the history. */
export function navigate(path: string, replace = false): void {
  const url = new URL(path, consoleRoot());
  if (replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  listeners.forEach((listener) => listener());
}

/** The current console path and query, re-rendered on navigation. */
export function useRoute(): { path: string; query: URLSearchParams } {
  const [, setVersion] = useState(0);
  useEffect(() => {
    const listener = () => setVersion((version) => version + 1);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, []);
  return { path: currentPath(), query: new URLSearchParams(window.location.search) };
}

/** The href of a console path, for links that also work opened in a new tab. */
export function hrefOf(path: string): string {
  return new URL(path, consoleRoot()).pathname;
}

/** A click on an in-app link: navigate without reloading, unless a modifier asks for a tab. */
export function followLink(event: MouseEvent, path: string): void {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(path);
}
