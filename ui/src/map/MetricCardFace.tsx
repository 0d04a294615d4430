/**
 * Face of a metric card: heading (the name unless set) and subheading, formula tooltip,
 * target status (icon + words), "Low n" / "Stale" badges, big value formatted per unit with
 * its 95% interval on hover/focus, n, the scope (resolved range, segment), comparison delta
 * and whether it beats the noise, the chart (sanitised inline SVG) or a table, a group-by
 * breakdown table when there is no chart, "Data as of" the survey's last sync, "updated X ago"
 * (ticking) and "full sync Y ago" (when the survey last re-read every response, so upstream
 * edits show), a refreshing overlay with percent, and a problem state with guidance
 * (survey/question deleted, no data). Inside a workshop pack (`FrozenAsOf`) the freshness is
 * the pack's stamp alone: "Data as of <pack>", no "updated", no Stale badge.
 */
import { useEffect, useId, useState, type ReactNode } from "react";
import { Spinner } from "../components/Feedback";
import { api, type CardView, type MetricCardConfig, type RefreshProgress } from "../ipc";
import { calculationLabel } from "../lib/calculations";
import { formatDelta, formatN, formatValue, relativeTime } from "../lib/format";
import { dataAsOfText } from "../lib/cardFacts";
import { phasePercent, phaseText, problemText } from "../lib/model";
import { sanitizeSvg } from "../lib/svg";
import { useNow } from "../lib/useNow";
import { Badges, NoiseNote, ScopeLine, StatusBadge, ValueWithInterval, VisibleInterval } from "./CardFacts";
import { CardTable } from "./CardTable";
import { useFrozenAsOf } from "./frozen";

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
  const asTable = config.chart.view === "table";
  const wantsChart = config.chart.kind !== "none" && !asTable && !!value && value.n > 0;
  const chartKey = `${view.card.id}|${view.computedAt ?? ""}|${config.chart.kind}`;
  const heading = config.heading || config.name;
  const frozenAsOf = useFrozenAsOf();
  const dataAsOf = dataAsOfText(frozenAsOf ?? value?.dataAsOf ?? view.dataAsOf ?? null);
  const stale = !frozenAsOf && !!(value?.stale ?? view.stale);
  /** Presenting or in a pack, the freshness is the one "data as of" line. */
  const asOfOnly = !!dataAsOf && (!!props.large || !!frozenAsOf);
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
        <div className="card__titles">
          <h3 className="card__title" data-testid="metric-name" title={heading}>
            {heading}
          </h3>
          {config.subheading && (
            <p className="card__subtitle" data-testid="metric-subheading" title={config.subheading}>
              {config.subheading}
            </p>
          )}
        </div>
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
      {(value?.status && value.status !== "none") || (value?.lowN && value.n > 0) || stale ? (
        <div className="card__facts">
          {value && <StatusBadge value={value} config={config} />}
          <Badges value={value} stale={stale} />
        </div>
      ) : null}
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
          <p className="muted">
            {frozenAsOf ? "No value was computed for this card when the pack was exported." : "Waiting for the first refresh of this survey."}
          </p>
        </div>
      )}
      {value && problems.length > 0 && (
        <div className="metric__problems" data-testid="card-problem">
          {problems.map((p) => {
            const t = problemText(p, !!frozenAsOf);
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
            <ValueWithInterval value={value} decimals={config.chart.decimals} />
            {value.comparison && value.comparison.delta !== null && (
              <span
                // A change within the noise is not coloured as a rise or a fall.
                className={`delta ${value.comparison.significant === false ? "delta--noise" : value.comparison.delta > 0 ? "delta--up" : value.comparison.delta < 0 ? "delta--down" : ""}`}
                data-testid="metric-delta"
                title={`${value.comparison.currentLabel} vs ${value.comparison.previousLabel}`}
              >
                {formatDelta(value.comparison.delta, value.unit, config.chart.decimals)}
              </span>
            )}
          </div>
          <div className="metric__meta">
            <span className="metric__n-line">
              <span data-testid="metric-n">{formatN(value.n)}</span>
              {props.large && <VisibleInterval value={value} decimals={config.chart.decimals} />}
            </span>
            <span className="metric__calc">{calculationLabel(config.calculation)}</span>
          </div>
          <ScopeLine value={value} config={config} />
          {value.comparison && (
            <div className="metric__compare">
              {/* The scope line above already names the card's range. */}
              {value.comparison.currentLabel === value.resolvedRange?.label ? "This range" : value.comparison.currentLabel}:{" "}
              {formatValue(value.comparison.current, value.unit, config.chart.decimals)} · {value.comparison.previousLabel}:{" "}
              {formatValue(value.comparison.previous, value.unit, config.chart.decimals)} <NoiseNote value={value} decimals={config.chart.decimals} />
            </div>
          )}
          {asTable && value.n > 0 && <CardTable value={value} config={config} />}
          {!asTable && config.chart.kind === "none" && value.groups.length > 0 && (
            <CardTable value={value} config={config} only="groups" testId="metric-breakdown" />
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
        {dataAsOf && (
          <span
            className="card__as-of"
            data-testid="metric-data-as-of"
            title={frozenAsOf ? "Values frozen in this workshop pack as they were at this time; they are not refreshed." : "The survey's last successful sync with Qualtrics."}
          >
            Data as of {dataAsOf}
            {!asOfOnly && " · "}
          </span>
        )}
        {/* Presenting, the room needs the date of the data, not when this computer last
            recomputed it (and the map must fit the screen); a pack's values were computed on
            the designer's install, so "updated X ago" would be their time, not the data's. */}
        {!asOfOnly && (
          <span data-testid="metric-updated">
            {view.computedAt ? `updated ${relativeTime(view.computedAt, now)}` : "not computed yet"}
          </span>
        )}
        {view.fullSyncAt && !asOfOnly && (
          <span
            className="card__full-sync"
            data-testid="metric-full-sync"
            title="Last full sync with Qualtrics: edits made there to existing responses are included up to this time. Refresh now syncs fully; automatic refreshes do at least once a day."
          >
            {" "}· full sync {relativeTime(view.fullSyncAt, now)}
          </span>
        )}
        {view.staleConfig && !frozenAsOf && (
          <span className="card__stale" data-testid="metric-stale-config" title="The card was edited, or its relative date range has moved on (a new day began) since this value was computed; it is recomputed on the next refresh.">
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
