/**
 * Settings › Cached responses: the disk each survey's cached responses take, and "Clear cached
 * responses" (after a confirmation). Clearing is core's `clear_cached_responses`: the survey's
 * responses and its cards' cached values go, and the next refresh fetches everything again;
 * cards meanwhile say no responses are cached. Also `pulsemap cache clear SV`.
 */
import { useEffect, useState } from "react";
import { api, toIpcError } from "../ipc";
import type { SurveyCacheSize } from "../ipc/types";
import { ConfirmDialog } from "../components/Modal";

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;
}

export function ResponseCache() {
  const [sizes, setSizes] = useState<SurveyCacheSize[] | null>(null);
  const [confirming, setConfirming] = useState<SurveyCacheSize | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);

  useEffect(() => {
    api
      .responseCacheSizes()
      .then(setSizes)
      .catch((e) => setMessage({ error: true, text: toIpcError(e).message }));
  }, []);

  const clear = async (survey: SurveyCacheSize) => {
    setBusy(true);
    try {
      setSizes(await api.clearCachedResponses(survey.surveyId));
      setMessage({
        error: false,
        text: `Cleared the cached responses of ${survey.name ?? survey.surveyId}. Its next refresh fetches them again.`,
      });
    } catch (e) {
      setMessage({ error: true, text: toIpcError(e).message });
    } finally {
      setBusy(false);
      setConfirming(null);
    }
  };

  return (
    <section className="panel" data-testid="response-cache">
      <h2 className="panel__title">Cached responses</h2>
      {sizes === null && !message && <p className="muted">Reading the cache…</p>}
      {sizes !== null && sizes.length === 0 && (
        <p className="muted" data-testid="response-cache-empty">
          No responses are cached. A survey's responses are cached when a map using it refreshes.
        </p>
      )}
      {sizes !== null && sizes.length > 0 && (
        <table className="cache-table" data-testid="response-cache-table">
          <thead>
            <tr>
              <th scope="col">Survey</th>
              <th scope="col">Responses</th>
              <th scope="col">On disk</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sizes.map((s) => (
              <tr key={s.surveyId} data-testid="response-cache-row">
                <td>{s.name ?? s.surveyId}</td>
                <td>
                  {s.responses.toLocaleString()}
                  {s.inProgress > 0 && ` (+${s.inProgress.toLocaleString()} in progress)`}
                </td>
                <td>{megabytes(s.bytes)}</td>
                <td>
                  <button
                    type="button"
                    className="button"
                    data-testid="response-cache-clear"
                    onClick={() => setConfirming(s)}
                  >
                    Clear cached responses
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {message && (
        <p className={message.error ? "field__error" : "muted"} role={message.error ? "alert" : "status"} data-testid="response-cache-message">
          {message.text}
        </p>
      )}
      {confirming && (
        <ConfirmDialog
          title="Clear cached responses?"
          message={`The ${confirming.responses.toLocaleString()} cached responses of ${confirming.name ?? confirming.surveyId} are deleted from this computer, and its cards show no value until the survey refreshes again (a full download). Nothing changes in Qualtrics.`}
          confirmLabel="Clear cached responses"
          danger
          busy={busy}
          onConfirm={() => void clear(confirming)}
          onCancel={() => setConfirming(null)}
        />
      )}
    </section>
  );
}
