/**
 * A card's numbers as a table: its groups (also the breakdown a "No chart" card keeps), its
 * series (one column per line when split), its comparison, or its distribution. Rows with low
 * n say so in words, and each value's 95% interval is in its row's accessible text.
 */
import type { ReactNode } from "react";
import type { MetricCardConfig, MetricValue, SeriesPoint } from "../ipc";
import { intervalRange } from "../lib/cardFacts";
import { formatCount, formatValue } from "../lib/format";

type Row = { key: string; label: string; value: number | null; n: number; ciLow?: number | null; ciHigh?: number | null; lowN?: boolean };

export function CardTable(props: { value: MetricValue; config: MetricCardConfig; testId?: string; only?: "groups" }) {
  const { value: v, config } = props;
  const d = config.chart.decimals;
  const fmt = (x: number | null) => formatValue(x, v.unit, d);
  const caption = `${config.heading ?? config.name}: values`;

  if (!props.only && v.seriesGroups.length > 0) {
    const buckets = [...new Set(v.seriesGroups.flatMap((g) => g.points.map((p) => p.bucket)))].sort();
    const at = (pts: SeriesPoint[], b: string) => pts.find((p) => p.bucket === b);
    return (
      <TableFrame
        testId={props.testId}
        caption={caption}
        head={
          <>
            <th scope="col">Period</th>
            {v.seriesGroups.map((g) => (
              <th key={g.key} scope="col">
                {g.label}
              </th>
            ))}
          </>
        }
      >
        {buckets.map((b) => (
          <tr key={b}>
            <th scope="row">{b}</th>
            {v.seriesGroups.map((g) => {
              const p = at(g.points, b);
              return <Cell key={g.key} text={p ? fmt(p.value) : "—"} n={p?.n} lowN={p?.lowN} />;
            })}
          </tr>
        ))}
      </TableFrame>
    );
  }

  const rows: Row[] =
    v.groups.length > 0
      ? v.groups
      : props.only
        ? []
        : v.series.length > 0
          ? v.series.map((p) => ({ ...p, key: p.bucket, label: p.bucket }))
          : v.comparison
            ? [
                { key: "current", label: v.comparison.currentLabel, value: v.comparison.current, n: v.comparison.currentN },
                { key: "previous", label: v.comparison.previousLabel, value: v.comparison.previous, n: v.comparison.previousN },
              ]
            : v.distribution.length > 0
              ? v.distribution.map((b) => ({ key: b.choiceId, label: b.label, value: b.percent, n: b.count }))
              : [{ key: "all", label: "All", value: v.value, n: v.n, ciLow: v.ciLow, ciHigh: v.ciHigh, lowN: v.lowN }];
  if (rows.length === 0) return null;
  const unitOfRows = v.distribution.length > 0 && v.groups.length === 0 && !v.comparison && v.series.length === 0 ? "percent" : v.unit;
  return (
    <TableFrame
      testId={props.testId}
      caption={caption}
      head={
        <>
          <th scope="col">{v.groups.length > 0 ? "Group" : v.series.length > 0 ? "Period" : ""}</th>
          <th scope="col">Value</th>
          <th scope="col">n</th>
        </>
      }
    >
      {rows.map((r) => {
        const ci =
          r.ciLow != null && r.ciHigh != null
            ? `95% interval ${intervalRange(r.ciLow, r.ciHigh, unitOfRows, d)}`
            : undefined;
        return (
          <tr key={r.key} className={r.lowN ? "is-low-n" : undefined}>
            <th scope="row">{r.label}</th>
            <td title={ci}>
              {formatValue(r.value, unitOfRows, d)}
              {ci && <span className="visually-hidden"> ({ci})</span>}
            </td>
            <td>
              {formatCount(r.n)}
              {r.lowN && <span className="table-low-n"> low n</span>}
            </td>
          </tr>
        );
      })}
    </TableFrame>
  );
}

/** The table around a card's rows: its hidden caption and its column headings. */
function TableFrame(props: { testId?: string; caption: string; head: ReactNode; children: ReactNode }) {
  return (
    <div className="card-table" data-testid={props.testId ?? "metric-table"}>
      <table>
        <caption className="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>{props.head}</tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}

function Cell(props: { text: string; n?: number; lowN?: boolean }) {
  return (
    <td className={props.lowN ? "is-low-n" : undefined}>
      {props.text}
      {props.n !== undefined && <small className="card-table__n"> n={formatCount(props.n)}</small>}
      {props.lowN && <span className="table-low-n"> low n</span>}
    </td>
  );
}
