/** A "Retry" button that shows a spinner (and is disabled) while the retry runs. */
import { useState } from "react";
import { Spinner } from "./Feedback";

export function RetryButton(props: { onRetry: () => Promise<void>; testId?: string }) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="button button--small"
      data-testid={props.testId ?? "offline-retry"}
      disabled={busy}
      onClick={() => {
        setBusy(true);
        void props.onRetry().finally(() => setBusy(false));
      }}
    >
      {busy ? <Spinner label="Checking the connection" /> : null} {busy ? "Checking…" : "Retry"}
    </button>
  );
}
