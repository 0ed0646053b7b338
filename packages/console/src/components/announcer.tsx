import { createContext } from 'preact';
import { useCallback, useContext, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';

/** Say something to screen readers (and show it): a polite live region shared by every page. */
type Announce = (message: string, tone?: 'info' | 'error') => void;

const AnnounceContext = createContext<Announce>(() => undefined);

/** The page's live region and the `announce` function its children use. */
export function Announcer({ children }: { children: ComponentChildren }) {
  const [message, setMessage] = useState<{ text: string; tone: 'info' | 'error' } | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const announce = useCallback<Announce>((text, tone = 'info') => {
    // Clearing first makes a repeated message be read again.
    setMessage(null);
    clearTimeout(timer.current);
    requestAnimationFrame(() => setMessage({ text, tone }));
    timer.current = setTimeout(() => setMessage(null), tone === 'error' ? 10_000 : 5000);
  }, []);
  return (
    <AnnounceContext.Provider value={announce}>
      {children}
      <div
        class={`toast ${message ? `toast-${message.tone}` : 'toast-hidden'}`}
        role="status"
        aria-live="polite"
      >
        {message?.text ?? ''}
      </div>
    </AnnounceContext.Provider>
  );
}

/** The live region's `announce`. */
export function useAnnounce(): Announce {
  return useContext(AnnounceContext);
}
