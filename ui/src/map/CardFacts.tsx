/**
 * The facts a metric card states beside its number: target status (icon + words), "Low n"
 * and "Stale" badges, the 95% interval (tooltip on hover/focus, and in the accessible text;
 * visible under the value when presenting), the scope (resolved date range and segment), and
 * whether a comparison's change is larger than the noise. Shared by the map, the modal preview
 * and the presentation (through MetricCardFace).
 */
import { useId } from "react";
import type { MetricCardConfig, MetricValue } from "../ipc";
import { betterText, filtersText, intervalText, lowNText, noIntervalText, noiseText, statusText } from "../lib/cardFacts";
import { formatValue } from "../lib/format";

export function StatusBadge(props: { value: MetricValue; config: MetricCardConfig }) {
  const { value: v, config } = props;
  const s = statusText(v.status);
  if (!s) return null;
  const target = v.target ?? config.target?.value ?? null;
  const detail =
    target !== null
      ? `Target ${formatValue(target, v.unit, config.chart.decimals)}${config.target ? `, ${betterText(config.target.better)}` : ""}`
      : "";
  return (
    <span className={`status status--${v.status}`} data-testid="metric-status" data-status={v.status} title={detail || undefined}>
      <span className="status__icon" aria-hidden>
        {s.icon}
      </span>
      {s.words}
      {detail && <span className="visually-hidden">. {detail}</span>}
    </span>
  );
}

export function Badges(props: { value: MetricValue | null; stale: boolean }) {
  const v = props.value;
  // With no answers at all the card says "No responses yet"; "Low n" would only repeat it.
  const lowN = !!v?.lowN && v.n > 0;
  if (!lowN && !props.stale) return null;
  return (
    <div className="card__badges">
      {lowN && v && (
        <span className="badge badge--low-n" data-testid="metric-low-n" title={lowNText(v.n, v.minN)}>
          <span aria-hidden>◌ </span>Low n<span className="visually-hidden">: {lowNText(v.n, v.minN)}</span>
        </span>
      )}
      {props.stale && (
        <span className="badge badge--stale" data-testid="metric-stale" title="The survey's data is more than 24 hours old: its last successful sync with Qualtrics was over a day ago.">
          <span aria-hidden>◔ </span>Stale<span className="visually-hidden">: data more than 24 hours old</span>
        </span>
      )}
    </div>
  );
}

/** The big value; its interval is the tooltip and part of the value's accessible description. */
export function ValueWithInterval(props: { value: MetricValue; decimals: number }) {
  const { value: v, decimals } = props;
  const tipId = useId();
  const interval = intervalText(v, decimals) ?? noIntervalText(v);
  const text = formatValue(v.value, v.unit, decimals);
  if (!interval)
    return (
      <span className={`metric__value metric__value--${v.unit}`} data-testid="metric-value">
        {text}
      </span>
    );
  return (
    <>
      <span className="tooltip">
        <span
          className={`metric__value metric__value--${v.unit} metric__value--has-tip`}
          data-testid="metric-value"
          tabIndex={0}
          aria-describedby={tipId}
        >
          {text}
        </span>
        <span role="tooltip" id={tipId} className="tooltip__bubble" data-testid="metric-interval">
          {interval}
        </span>
      </span>
    </>
  );
}

/**
 * The interval as visible text, for presenting (no hover on a projector): " · 95% interval
 * +9 to +23" after the n. Hidden from assistive tech: the value's description says it already.
 */
export function VisibleInterval(props: { value: MetricValue; decimals: number }) {
  const interval = intervalText(props.value, props.decimals) ?? noIntervalText(props.value);
  if (!interval) return null;
  return (
    <span aria-hidden>
      {" · "}
      <span className="metric__interval" data-testid="metric-interval-visible">
        {intervalText(props.value, props.decimals)?.replace(/ \(.*\)$/, "") ?? interval}
      </span>
    </span>
  );
}

/** "Last 90 days (1 Sep – 29 Nov 2026) · Region is EMEA": what the value covers. */
export function ScopeLine(props: { value: MetricValue; config: MetricCardConfig }) {
  const range = props.value.resolvedRange?.label;
  const filters = props.config.filters ?? [];
  if (!range && filters.length === 0) return null;
  return (
    <p className="metric__scope" data-testid="metric-scope">
      {range ?? "All time"}
      {filters.length > 0 && <> · {filtersText(filters, [])}</>}
    </p>
  );
}

export function NoiseNote(props: { value: MetricValue; decimals: number }) {
  const c = props.value.comparison;
  const t = c ? noiseText(c, props.value.unit, props.decimals) : null;
  if (!t || !c) return null;
  return (
    <span className={`noise noise--${c.significant ? "real" : "within"}`} data-testid="metric-noise" title={t.long}>
      <span aria-hidden>{c.significant ? "● " : "≈ "}</span>
      {t.short}
      <span className="visually-hidden">: {t.long}</span>
    </span>
  );
}
