/**
 * Live preview of a metric card config: debounced `preview_metric` call, showing value, n,
 * formula, problems and the chart; a spinner while computing; the error kind's message on
 * failure. While the config's survey is being refreshed (e.g. its first import, started when
 * the modal opened a never-refreshed survey) it says so, and it recomputes when that refresh
 * finishes.
 */
import { useEffect, useState } from "react";
import { Spinner } from "../components/Feedback";
import { api, events, toIpcError, type IpcError, type MetricCardConfig, type MetricPreview as Preview, type RefreshPhase } from "../ipc";
import { formatN, formatValue } from "../lib/format";
import { intervalText, noiseText } from "../lib/cardFacts";
import { phaseText, problemText } from "../lib/model";
import { Badges, ScopeLine, StatusBadge } from "../map/CardFacts";
import { CardTable } from "../map/CardTable";
import { sanitizeSvg } from "../lib/svg";

export const PREVIEW_DEBOUNCE_MS = 400;

/** `blocked`: survey, question and calculation are picked but another setting is invalid. */
export function MetricPreview(props: { config: MetricCardConfig | null; blocked?: boolean }) {
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [loading, setLoading] = useState(false);
  // The name does not change the value: renaming must not recompute.
  const key = props.config ? JSON.stringify({ ...props.config, name: "" }) : null;
  const surveyId = props.config?.surveyId ?? null;
  const [importing, setImporting] = useState<RefreshPhase | null>(null);
  // Bumped when a refresh of the survey finished: the cached responses changed.
  const [dataVersion, setDataVersion] = useState(0);

  useEffect(() => {
    setImporting(null);
    if (!surveyId) return;
    const offProgress = events.onRefreshProgress((p) => {
      if (p.surveyId === surveyId) setImporting(p.phase.phase === "done" ? null : p.phase);
    });
    const offFinished = events.onRefreshFinished((f) => {
      if (f.surveyId !== surveyId) return;
      setImporting(null);
      if (f.ok) setDataVersion((v) => v + 1);
    });
    return () => {
      offProgress();
      offFinished();
    };
  }, [surveyId]);

  useEffect(() => {
    if (!key) {
      setPreview(null);
      setError(null);
      return;
    }
    const config = { ...(JSON.parse(key) as MetricCardConfig), name: props.config?.name ?? "" };
    let cancelled = false;
    setLoading(true);
    const id = window.setTimeout(() => {
      api
        .previewMetric(config)
        .then((p) => {
          if (cancelled) return;
          setPreview(p);
          setError(null);
        })
        .catch((e) => !cancelled && setError(toIpcError(e)))
        .finally(() => !cancelled && setLoading(false));
    }, PREVIEW_DEBOUNCE_MS);
    return () => {
      cancelled = true;
      window.clearTimeout(id);
    };
  }, [key, dataVersion]);

  const v = preview?.value;
  const decimals = props.config?.chart.decimals ?? 1;
  return (
    <aside className="preview" aria-live="polite" data-testid="metric-preview">
      <div className="preview__head">
        <span className="page__eyebrow">Live preview</span>
        {loading && <Spinner label="Computing preview" />}
      </div>
      {props.config && (props.config.heading || props.config.subheading) && (
        <div className="preview__titles">
          <p className="preview__title" data-testid="preview-heading">
            {props.config.heading || props.config.name}
          </p>
          {props.config.subheading && (
            <p className="preview__line" data-testid="preview-subheading">
              {props.config.subheading}
            </p>
          )}
        </div>
      )}
      {!props.config && (
        <p className="muted preview__hint" data-testid="preview-hint">
          {props.blocked
            ? "Complete the settings marked in the form (a filter without a value, a date or a number) to see the value."
            : "Pick a survey, a question and a calculation to see the value."}
        </p>
      )}
      {props.config && importing && (
        <p className="muted preview__hint" data-testid="preview-importing">
          <Spinner label="Importing responses" /> Importing this survey&rsquo;s responses ({phaseText(importing)}). The preview
          updates when the import finishes.
        </p>
      )}
      {props.config && error && (
        <p className="field__error" role="alert" data-testid="preview-error">
          {error.message}
        </p>
      )}
      {props.config && !error && v && (
        <div className={loading ? "preview__body is-stale" : "preview__body"}>
          <div className="preview__value" data-testid="preview-value">
            {formatValue(v.value, v.unit, decimals)}
          </div>
          <div className="preview__n">{formatN(v.n)}</div>
          {(v.status !== "none" || (v.lowN && v.n > 0) || v.stale) && (
            <div className="preview__facts">
              <StatusBadge value={v} config={props.config} />
              <Badges value={v} stale={v.stale} />
            </div>
          )}
          {intervalText(v, decimals) && (
            <p className="preview__line" data-testid="preview-interval">
              {intervalText(v, decimals)}
            </p>
          )}
          <ScopeLine value={v} config={props.config} />
          {v.comparison && (
            <p className="preview__line" data-testid="preview-comparison">
              {v.comparison.currentLabel}: {formatValue(v.comparison.current, v.unit, decimals)} · {v.comparison.previousLabel}:{" "}
              {formatValue(v.comparison.previous, v.unit, decimals)}
              {noiseText(v.comparison, v.unit, decimals) ? ` — ${noiseText(v.comparison, v.unit, decimals)!.short}` : ""}
            </p>
          )}
          {v.problems.map((p) => (
            <p key={p.kind} className="metric__problem" data-testid={`preview-problem-${p.kind}`}>
              <strong>{problemText(p).title}.</strong> {problemText(p).guidance}
            </p>
          ))}
          {props.config.chart.view === "table" && v.n > 0 ? (
            <CardTable value={v} config={props.config} testId="preview-table" />
          ) : (
            preview?.chartSvg && <div className="preview__chart" dangerouslySetInnerHTML={{ __html: sanitizeSvg(preview.chartSvg) }} />
          )}
          {props.config.chart.kind === "none" && props.config.chart.view !== "table" && v.groups.length > 0 && (
            <CardTable value={v} config={props.config} only="groups" testId="preview-breakdown" />
          )}
          <p className="preview__formula" data-testid="preview-formula">
            {v.formula}
          </p>
        </div>
      )}
      {props.config && !error && !v && loading && <div className="skeleton" style={{ height: 120 }} />}
    </aside>
  );
}
