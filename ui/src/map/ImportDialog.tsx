/**
 * Import a `.pulsemap` map file or workshop pack (after the native open dialog and
 * `inspect_map_file`). A map file's surveys that this connection cannot see are listed; for
 * each the user picks a visible replacement survey (its questions are matched by export tag,
 * and the dialog shows which tags it lacks: those cards stay unbound) or leaves its cards
 * unbound. A workshop pack needs no choice: it opens read-only with its frozen values, with or
 * without a Qualtrics connection.
 */
import { useEffect, useState } from "react";
import { Spinner } from "../components/Feedback";
import { Modal } from "../components/Modal";
import {
  api,
  toIpcError,
  type MapFilePreview,
  type MapFileSurvey,
  type MapImportReport,
  type SurveySummaryDto,
} from "../ipc";
import { formatDateTime } from "../lib/format";

/** Which of `tags` a replacement survey's questions carry (export tags are case-sensitive). */
export function matchTags(tags: string[], available: (string | null)[]): { found: string[]; missing: string[] } {
  const have = new Set(available.filter((t): t is string => !!t));
  return { found: tags.filter((t) => have.has(t)), missing: tags.filter((t) => !have.has(t)) };
}

export function ImportDialog(props: {
  path: string;
  preview: MapFilePreview;
  onImported: (r: MapImportReport) => void;
  onClose: () => void;
}) {
  const { preview } = props;
  const pack = !!preview.dataAsOf;
  const missing = pack ? [] : preview.surveys.filter((s) => !s.visible);
  const visible = preview.surveys.filter((s) => s.visible);
  const [surveys, setSurveys] = useState<SurveySummaryDto[] | null>(null);
  const [noConnection, setNoConnection] = useState(false);
  const [choice, setChoice] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (missing.length === 0) return;
    api
      .listSurveys()
      .then((s) => setSurveys(s.filter((x) => !x.deleted)))
      .catch((e) => {
        setSurveys([]);
        if (toIpcError(e).kind === "notConfigured") setNoConnection(true);
      });
  }, [missing.length]);

  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const replacements = Object.entries(choice)
        .filter(([, to]) => !!to)
        .map(([from, to]) => ({ from, to }));
      props.onImported(await api.importMapFile(props.path, { replacements }));
    } catch (e) {
      setError(toIpcError(e).message);
      setBusy(false);
    }
  };

  const fileName = props.path.split(/[\\/]/).pop() ?? props.path;
  return (
    <Modal
      title={pack ? "Open workshop pack" : "Import map file"}
      onClose={props.onClose}
      wide
      testId="import-dialog"
      footer={
        <>
          <button type="button" className="button button--ghost" onClick={props.onClose}>
            Cancel
          </button>
          <button type="button" className="button button--primary" data-testid="import-ok" disabled={busy} onClick={() => void run()}>
            {busy ? <Spinner label="Importing" /> : null} {pack ? "Open pack" : "Import map"}
          </button>
        </>
      }
    >
      <p className="import__summary" data-testid="import-summary">
        <strong>{preview.name}</strong> from <code>{fileName}</code> · {preview.stageCount} stages · {preview.laneCount} lanes ·{" "}
        {preview.cardCount} cards · exported {formatDateTime(preview.exportedAt)}
      </p>
      {pack && (
        <p className="import__survey import__survey--ok" data-testid="import-pack-note">
          A workshop pack: it opens <strong>read-only</strong> with its values as of {formatDateTime(preview.dataAsOf)}. It
          needs no Qualtrics connection, presents full screen and exports PNG and PDF. Duplicate it later to edit.
        </p>
      )}
      {!pack && preview.surveys.length === 0 && <p className="muted">This map has no metric card bound to a survey.</p>}
      {!pack && preview.surveys.length > 0 && (
        <ul className="import__surveys" data-testid="import-surveys">
          {visible.map((s) => (
            <li key={s.id} className="import__survey import__survey--ok" data-testid="import-survey-visible">
              <h3>{s.name}</h3>
              <p>
                Visible to this connection: its {plural(s.cardCount, "card")} keep their survey.
              </p>
            </li>
          ))}
          {missing.map((s) => (
            <MissingSurvey
              key={s.id}
              survey={s}
              surveys={surveys}
              noConnection={noConnection}
              value={choice[s.id] ?? ""}
              onChange={(to) => setChoice((c) => ({ ...c, [s.id]: to }))}
            />
          ))}
        </ul>
      )}
      {error && (
        <p className="field__error" role="alert" data-testid="import-error">
          {error}
        </p>
      )}
    </Modal>
  );
}

function MissingSurvey(props: {
  survey: MapFileSurvey;
  surveys: SurveySummaryDto[] | null;
  noConnection: boolean;
  value: string;
  onChange: (to: string) => void;
}) {
  const s = props.survey;
  const [tags, setTags] = useState<{ found: string[]; missing: string[] } | null>(null);
  const selectId = `replace-${s.id}`;

  useEffect(() => {
    setTags(null);
    if (!props.value) return;
    let cancelled = false;
    api
      .surveyQuestions(props.value)
      .then((qs) => !cancelled && setTags(matchTags(s.questionTags, qs.map((q) => q.exportTag))))
      .catch(() => !cancelled && setTags(matchTags(s.questionTags, [])));
    return () => {
      cancelled = true;
    };
  }, [props.value, s.questionTags]);

  return (
    <li className="import__survey" data-testid="import-survey-missing" data-survey-id={s.id}>
      <h3>{s.name}</h3>
      <p>
        This connection cannot see this survey ({plural(s.cardCount, "card")}
        {s.questionTags.length > 0 ? `, questions ${s.questionTags.join(", ")}` : ""}). Pick a survey with the same questions,
        or leave its cards unbound: they show on the map as needing a survey.
      </p>
      <label className="field" htmlFor={selectId}>
        <span className="field__label">Replace with</span>
      </label>
      <select
        id={selectId}
        className="input"
        data-testid="import-replacement"
        value={props.value}
        disabled={props.surveys === null}
        onChange={(e) => props.onChange(e.target.value)}
      >
        <option value="">Leave its cards unbound</option>
        {(props.surveys ?? []).map((x) => (
          <option key={x.id} value={x.id}>
            {x.name}
          </option>
        ))}
      </select>
      {props.noConnection && (
        <span className="field__hint">Connect Qualtrics in Integrations to pick a replacement survey.</span>
      )}
      {props.value && !tags && <Spinner label="Reading the survey's questions" />}
      {props.value && tags && (
        <>
          <ul className="import__tags" aria-label="Questions by export tag" data-testid="import-tags">
            {tags.found.map((t) => (
              <li key={t} className="import__tag" data-testid="import-tag-found">
                <span aria-hidden>✓ </span>
                {t}
                <span className="visually-hidden"> found</span>
              </li>
            ))}
            {tags.missing.map((t) => (
              <li key={t} className="import__tag import__tag--missing" data-testid="import-tag-missing">
                <span aria-hidden>✕ </span>
                {t}
                <span className="visually-hidden"> missing</span>
              </li>
            ))}
          </ul>
          <p role="status" data-testid="import-tags-summary">
            {tags.missing.length === 0
              ? "Every question was found: its cards will use this survey."
              : `Not in this survey: ${tags.missing.join(", ")}. Cards using ${tags.missing.length === 1 ? "it" : "them"} will be left unbound.`}
          </p>
        </>
      )}
    </li>
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
