/**
 * The map's top bar: title, refresh progress ("Refreshing Onboarding — exporting 42%"),
 * Undo / Redo (tooltips name the step), Refresh now, Present, Export ▾ (PNG, PDF, map file,
 * workshop pack). A read-only workshop pack shows a "Workshop pack" badge with its "data as
 * of" time instead of Undo/Redo and Refresh now.
 */
import { Spinner } from "../components/Feedback";
import { Menu } from "../components/Menu";
import type { RefreshProgress } from "../ipc";
import { phasePercent, progressText } from "../lib/model";
import { formatDateTime } from "../lib/format";
import { MOD_KEY } from "./useUndo";

export interface UndoControls {
  canUndo: boolean;
  canRedo: boolean;
  undoLabel: string | null;
  redoLabel: string | null;
  undo: () => void;
  redo: () => void;
}

export function TopBar(props: {
  title: string | null;
  progress: Record<string, RefreshProgress>;
  surveyNames: Record<string, string>;
  refreshing: boolean;
  exporting: boolean;
  onRefresh: () => void;
  onPresent: () => void;
  onExport: (format: "png" | "pdf") => void;
  onExportFile: (pack: boolean) => void;
  /** Set for a read-only workshop pack. */
  dataAsOf?: string | null;
  undo: UndoControls | null;
}) {
  const u = props.undo;
  const undoText = u?.canUndo ? `Undo ${u.undoLabel ?? "the last change"}` : "Nothing to undo";
  const redoText = u?.canRedo ? `Redo ${u.redoLabel ?? "the last undone change"}` : "Nothing to redo";
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
        {props.dataAsOf && (
          <span
            className="pack-badge pack-badge--large"
            data-testid="map-pack-badge"
            title="A read-only workshop pack: the values were frozen when it was exported."
          >
            Workshop pack · data as of {formatDateTime(props.dataAsOf)}
          </span>
        )}
        {u && (
          <div className="topbar__undo" role="group" aria-label="History">
            <button
              type="button"
              className="button button--icon"
              data-testid="map-undo"
              aria-label={undoText}
              title={`${undoText} (${MOD_KEY}+Z)`}
              aria-keyshortcuts="Control+Z Meta+Z"
              disabled={!u.canUndo}
              onClick={u.undo}
            >
              <span aria-hidden>↶</span> Undo
            </button>
            <button
              type="button"
              className="button button--icon"
              data-testid="map-redo"
              aria-label={redoText}
              title={`${redoText} (${MOD_KEY}+Shift+Z)`}
              aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z Control+Y"
              disabled={!u.canRedo}
              onClick={u.redo}
            >
              <span aria-hidden>↷</span> Redo
            </button>
          </div>
        )}
        {!props.dataAsOf && (
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
        )}
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
            { label: "Map file (.pulsemap)", testId: "export-map-file", onSelect: () => props.onExportFile(false) },
            {
              label: "Workshop pack (with values)",
              testId: "export-pack",
              onSelect: () => props.onExportFile(true),
            },
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
