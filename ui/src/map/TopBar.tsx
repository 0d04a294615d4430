/**
 * The map's top bar: title, refresh progress ("Refreshing Onboarding — exporting 42%"),
 * Refresh now, Present, Export ▾ (PNG, PDF).
 */
import { Spinner } from "../components/Feedback";
import { Menu } from "../components/Menu";
import type { RefreshProgress } from "../ipc";
import { phasePercent, progressText } from "../lib/model";

export function TopBar(props: {
  title: string | null;
  progress: Record<string, RefreshProgress>;
  surveyNames: Record<string, string>;
  refreshing: boolean;
  exporting: boolean;
  onRefresh: () => void;
  onPresent: () => void;
  onExport: (format: "png" | "pdf") => void;
}) {
  const entries = Object.values(props.progress);
  const first = entries[0];
  const percent = first ? phasePercent(first.phase) : undefined;
  return (
    <header className="topbar">
      <div className="topbar__title-wrap">
        <p className="page__eyebrow">Journey map</p>
        <h1 className="topbar__title" data-testid="map-title">
          {props.title ?? <span className="skeleton" style={{ width: 220, height: 24 }} />}
        </h1>
      </div>
      <div className="topbar__actions">
        <button
          type="button"
          className="button"
          data-testid="refresh-now"
          disabled={!props.title}
          aria-busy={props.refreshing || undefined}
          onClick={props.onRefresh}
        >
          {props.refreshing ? (
            <>
              <Spinner label="Refreshing" /> Refreshing…
            </>
          ) : (
            <>
              <span aria-hidden>↻</span> Refresh now
            </>
          )}
        </button>
        <button type="button" className="button" data-testid="present" disabled={!props.title} onClick={props.onPresent}>
          <span aria-hidden>▶</span> Present
        </button>
        <Menu
          label={
            <>
              {props.exporting ? <Spinner label="Exporting" /> : null} Export ▾
            </>
          }
          ariaLabel="Export"
          buttonClassName="button button--primary"
          testId="export-menu"
          disabled={!props.title || props.exporting}
          items={[
            { label: "PNG image", testId: "export-png", onSelect: () => props.onExport("png") },
            { label: "PDF document", testId: "export-pdf", onSelect: () => props.onExport("pdf") },
          ]}
        />
      </div>
      {first && (
        <div className="topbar__progress" data-testid="refresh-progress" role="status">
          <div className="progress">
            <div
              className={`progress__bar${percent === undefined ? " progress__bar--indeterminate" : ""}`}
              style={percent === undefined ? undefined : { width: `${percent}%` }}
            />
          </div>
          <span className="topbar__progress-text">
            {progressText(first, props.surveyNames[first.surveyId] ?? "survey")}
            {entries.length > 1 ? ` (+${entries.length - 1} more)` : ""}
          </span>
        </div>
      )}
    </header>
  );
}
