/** aria-live region + `useAnnounce()` so keyboard moves and async results are spoken. */
import { createContext, useCallback, useContext, useState, type ReactNode } from "react";

const AnnounceContext = createContext<(message: string) => void>(() => {});

export function AnnouncerProvider(props: { children: ReactNode }) {
  const [message, setMessage] = useState("");
  const announce = useCallback((m: string) => {
    // Clear first so repeating the same sentence is announced again.
    setMessage("");
    requestAnimationFrame(() => setMessage(m));
  }, []);
  return (
    <AnnounceContext.Provider value={announce}>
      {props.children}
      <div className="visually-hidden" aria-live="polite" role="status" data-testid="announcer">
        {message}
      </div>
    </AnnounceContext.Provider>
  );
}

export function useAnnounce() {
  return useContext(AnnounceContext);
}
