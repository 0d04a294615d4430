/**
 * Face of a metric card: name, formula tooltip, big value formatted per unit, n, comparison
 * delta, the chart (sanitised inline SVG), "updated X ago" (ticking) and "full sync Y ago"
 * (when the survey last re-read every response, so upstream edits show), a refreshing overlay
 * with percent, and a problem state with guidance (survey/question deleted, no data).
 */
import { useEffect, useId, useState, type ReactNode } from "react";
import { Spinner } from "../components/Feedback";
import { api, type CardView, type MetricCardConfig, type RefreshProgress } from "../ipc";
import { calculationLabel } from "../lib/calculations";
import { formatDelta, formatN, formatValue, relativeTime } from "../lib/format";
import { phasePercent, phaseText, problemText } from "../lib/model";
import { sanitizeSvg } from "../lib/svg";
import { useNow } from "../lib/useNow";

export function MetricCardFace(props: {
  view: CardView;
  config: MetricCardConfig;
  progress?: RefreshProgress;
  menu?: ReactNode;
  large?: boolean;
  /** Opens the card's dialog to pick its survey and question (cards that need a binding). */
  onBind?: () => void;
}) {
  const { view, config, progress } = props;
  const value = view.cachedValue;
  const now = useNow(30_000);
  const tipId = useId();
  const [svg, setSvg] = useState<string>("");
  const wantsChart = config.chart.kind !== "none" && !!value && value.n > 0;
  const chartKey = `${view.card.id}|${view.computedAt ?? ""}|${config.chart.kind}`;
  /** The chart request that last answered (with an SVG, none, or an error). */
  const [answeredKey, setAnsweredKey] = useState<string | null>(null);
  /** Until the first chart arrives its space is reserved, so the card does not jump; a
   *  re-fetch (new computedAt) keeps showing the previous chart instead. */
  const chartPending = wantsChart && !svg && answeredKey !== chartKey;

  useEffect(() => {
    if (!wantsChart) {
      setSvg("");
      return;
    }
    let cancelled = false;
    api
      .cardChartSvg(view.card.id)
      .then((s) => {
        if (cancelled) return;
        setSvg(sanitizeSvg(s));
        setAnsweredKey(chartKey);
      })
      .catch(() => {
        if (cancelled) return;
        setSvg("");
        setAnsweredKey(chartKey);
      });
    return () => {
      cancelled = true;
    };
  }, [view.card.id, view.computedAt, wantsChart, config.chart.kind, chartKey]);

  const problems = value?.problems ?? [];
  const percent = progress ? phasePercent(progress.phase) : undefined;

  return (
    <article
      className={`card card--metric${props.large ? " card--large" : ""}${problems.length ? " card--problem" : ""}`}
      data-testid="metric-card"
      data-card-id={view.card.id}
      aria-busy={progress ? true : undefined}
    >
      <header className="card__header">
        <h3 className="card__title" data-testid="metric-name" title={config.name}>
          {config.name}
        </h3>
        {value?.formula && (
          <span className="tooltip">
            <button type="button" className="icon-button icon-button--tiny" aria-describedby={tipId} aria-label="Formula" data-testid="formula-info">
              i
            </button>
            <span role="tooltip" id={tipId} className="tooltip__bubble" data-testid="formula-text">
              {value.formula}
            </span>
          </span>
        )}
        {props.menu}
      </header>
      {!value && view.needsBinding && (
        <div className="metric__unbound" data-testid="metric-unbound">
          <p>Not connected to a survey yet: this card needs a survey and a question.</p>
          {props.onBind && (
            <button type="button" className="button button--small" data-testid="metric-bind" onClick={props.onBind}>
              Choose a survey…
            </button>
          )}
        </div>
      )}
      {!value && !view.needsBinding && (
        <div className="metric__pending" data-testid="metric-pending">
          <span className="metric__value metric__value--muted">—</span>
          <p className="muted">Waiting for the first refresh of this survey.</p>
        </div>
      )}
      {value && problems.length > 0 && (
        <div className="metric__problems" data-testid="card-problem">
          {problems.map((p) => {
            const t = problemText(p);
            return (
              <div key={p.kind} className={`metric__problem metric__problem--${p.kind}`} data-testid={`card-problem-${p.kind}`} title={p.message}>
                <strong>{t.title}</strong>
                <p>{t.guidance}</p>
              </div>
            );
          })}
        </div>
      )}
      {value && (problems.length === 0 || value.value !== null) && (
        <>
          <div className="metric__headline">
            <span className={`metric__value metric__value--${value.unit}`} data-testid="metric-value">
              {formatValue(value.value, value.unit, config.chart.decimals)}
            </span>
            {value.comparison && value.comparison.delta !== null && (
              <span
                className={`delta ${value.comparison.delta > 0 ? "delta--up" : value.comparison.delta < 0 ? "delta--down" : ""}`}
                data-testid="metric-delta"
                title={`${value.comparison.currentLabel} vs ${value.comparison.previousLabel}`}
              >
                {formatDelta(value.comparison.delta, value.unit, config.chart.decimals)}
              </span>
            )}
          </div>
          <div className="metric__meta">
            <span data-testid="metric-n">{formatN(value.n)}</span>
            <span className="metric__calc">{calculationLabel(config.calculation)}</span>
          </div>
          {value.comparison && (
            <div className="metric__compare">
              {value.comparison.currentLabel}: {formatValue(value.comparison.current, value.unit, config.chart.decimals)} · {value.comparison.previousLabel}:{" "}
              {formatValue(value.comparison.previous, value.unit, config.chart.decimals)}
            </div>
          )}
          {svg ? (
            <div className="metric__chart" data-testid="metric-chart" dangerouslySetInnerHTML={{ __html: svg }} />
          ) : (
            chartPending && (
              <div className="metric__chart metric__chart--loading" data-testid="metric-chart-placeholder" aria-hidden>
                <span className="skeleton metric__chart-skeleton" />
              </div>
            )
          )}
        </>
      )}
      <footer className="card__footer">
        <span data-testid="metric-updated">
          {view.computedAt ? `updated ${relativeTime(view.computedAt, now)}` : "not computed yet"}
        </span>
        {view.fullSyncAt && (
          <span
            className="card__full-sync"
            data-testid="metric-full-sync"
            title="Last full sync with Qualtrics: edits made there to existing responses are included up to this time. Refresh now syncs fully; automatic refreshes do at least once a day."
          >
            {" "}· full sync {relativeTime(view.fullSyncAt, now)}
          </span>
        )}
        {view.staleConfig && (
          <span className="card__stale" data-testid="metric-stale-config" title="The card was edited; the value is recomputed on the next refresh.">
            {" "}· from the previous settings
          </span>
        )}
      </footer>
      {progress && (
        <div className="card__overlay" data-testid="card-refreshing">
          <Spinner label="Refreshing" />
          <span>
            Refreshing{percent !== undefined && progress.phase.phase === "exporting" ? ` ${Math.round(percent)}%` : ` — ${phaseText(progress.phase)}`}
          </span>
        </div>
      )}
    </article>
  );
}
