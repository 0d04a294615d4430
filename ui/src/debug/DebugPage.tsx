/**
 * Support data (formerly "Debug configuration"): pick a survey, choose PII redaction (on by default), download the
 * survey's debug bundle through the native save dialog; shows the saved path or the error.
 * Once saved, it offers to show the file in its folder and to prepare an email to the
 * configured support address naming the file (the user attaches it; nothing is attached
 * automatically). Without a support address it says where to set one.
 */
import { useEffect, useState } from "react";
import { Banner } from "../components/Banner";
import { Combobox } from "../components/Combobox";
import { Spinner } from "../components/Feedback";
import { api, toIpcError, type IpcError, type SurveySummaryDto } from "../ipc";
import { noticeForKind } from "../lib/connection";
import { formatCount } from "../lib/format";

export function DebugPage() {
  const [surveys, setSurveys] = useState<SurveySummaryDto[] | null>(null);
  const [listError, setListError] = useState<IpcError | null>(null);
  const [surveyId, setSurveyId] = useState<string | null>(null);
  const [redact, setRedact] = useState(true);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ path: string } | { error: IpcError } | { cancelled: true } | null>(null);

  useEffect(() => {
    api
      .listSurveys()
      .then(setSurveys)
      .catch((e) => setListError(toIpcError(e)));
  }, []);

  const [followUp, setFollowUp] = useState<string | null>(null);

  const reveal = (path: string) => {
    api.revealFile(path).catch((e) => setFollowUp(toIpcError(e).message));
  };
  const email = (path: string) => {
    api
      .contactSupport(path)
      .then((mail) =>
        setFollowUp(
          mail
            ? `An email to ${mail.address} is ready in your mail app: attach ${path}.`
            : "No support address is set yet: add it in Integrations › Support contact.",
        ),
      )
      .catch((e) => setFollowUp(toIpcError(e).message));
  };

  const download = async () => {
    if (!surveyId) return;
    setBusy(true);
    setResult(null);
    setFollowUp(null);
    try {
      const path = await api.debugExport(surveyId, redact);
      setResult(path ? { path } : { cancelled: true });
    } catch (e) {
      setResult({ error: toIpcError(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page" data-testid="debug-page">
      <header className="page__header">
        <div>
          <p className="page__eyebrow">Support</p>
          <h1 className="page__title">Download survey data for support</h1>
        </div>
      </header>
      <div className="page__content page__content--narrow">
        <section className="panel form">
          <p>
            Download everything support needs to investigate a survey: its definition, the cached raw responses, the
            cards using it, computed values, refresh and connection logs and app versions. Your token is never included.
          </p>
          {listError && (
            <Banner tone="error" title={noticeForKind(listError.kind).title} testId="debug-surveys-error">
              {listError.kind === "notConfigured" ? "Connect Qualtrics in Integrations first." : listError.message}
            </Banner>
          )}
          <Combobox
            label="Survey"
            options={(surveys ?? []).map((s) => ({
              value: s.id,
              label: s.name,
              detail: `${s.id} · ${formatCount(s.responseCount)} responses${s.deleted ? " · deleted" : ""}`,
            }))}
            value={surveyId}
            onChange={setSurveyId}
            loading={surveys === null && !listError}
            placeholder="Search surveys by name or id…"
            emptyText="No surveys cached yet. Connect Qualtrics and refresh a map first."
            testId="debug-survey"
          />
          <label className="checkbox">
            <input type="checkbox" checked={redact} data-testid="debug-redact" onChange={(e) => setRedact(e.target.checked)} />
            <span>
              <strong>Redact personal data (recommended)</strong>
              <small>Names, emails, phone numbers, IP addresses, locations and free-text answers become “[redacted]”.</small>
            </span>
          </label>
          {!redact && (
            <Banner tone="warning" title="Personal data will be included" compact>
              Only share this file with people allowed to see your respondents’ answers.
            </Banner>
          )}
          <div className="form__actions">
            <button
              type="button"
              className="button button--primary"
              disabled={!surveyId || busy}
              data-testid="debug-download"
              onClick={() => void download()}
            >
              {busy ? (
                <>
                  <Spinner /> Preparing download…
                </>
              ) : (
                "Download survey data"
              )}
            </button>
          </div>
          {result && "path" in result && (
            <Banner
              tone="success"
              title="Debug data saved"
              testId="debug-saved"
              actions={
                <>
                  <button type="button" className="button button--small" data-testid="debug-open-folder" onClick={() => reveal(result.path)}>
                    Open folder
                  </button>
                  <button type="button" className="button button--small" data-testid="debug-email-support" onClick={() => email(result.path)}>
                    Email support
                  </button>
                </>
              }
            >
              <code>{result.path}</code>
            </Banner>
          )}
          {result && "error" in result && (
            <Banner tone="error" title="Download failed" testId="debug-error">
              {result.error.message}
            </Banner>
          )}
          {result && "cancelled" in result && <p className="muted">Download cancelled.</p>}
          {followUp && (
            <p className="muted" role="status" data-testid="debug-follow-up">
              {followUp}
            </p>
          )}
        </section>
      </div>
    </div>
  );
}
