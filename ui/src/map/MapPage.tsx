/**
 * One journey map: top bar, refresh warnings, the editable grid, and over it the presentation
 * overlay or the card dialogs (the page stays mounted, so focus returns to what opened them).
 * Every mutation returns the new MapView, which replaces the old one; Undo/Redo (buttons and
 * Ctrl/Cmd+Z, Ctrl/Cmd+Shift+Z, Ctrl+Y) step through core's history. A workshop pack
 * (`map.dataAsOf`) is read-only: it paints, presents and exports, and offers a duplicate to edit.
 */
import { useCallback, useEffect, useState } from "react";
import { useAppState } from "../AppState";
import { useNavigate } from "../navigation";
import { Banner } from "../components/Banner";
import { EmptyState, Skeleton } from "../components/Feedback";
import { api, events, toIpcError, type MapView, type MetricCardConfig } from "../ipc";
import { formatDateTime } from "../lib/format";
import { MetricModal } from "../metric/MetricModal";
import { Presentation } from "../present/Presentation";
import { MapGrid, type CardTarget } from "./MapGrid";
import { TopBar } from "./TopBar";
import { useMapData } from "./useMapData";
import { useUndo } from "./useUndo";

export function MapPage(props: { mapId: string; onError: (m: string) => void }) {
  const data = useMapData(props.mapId);
  const { view, setView } = data;
  const [presenting, setPresenting] = useState(false);
  const navigate = useNavigate();
  const [exporting, setExporting] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [metricTarget, setMetricTarget] = useState<
    { mode: "add"; target: CardTarget } | { mode: "edit"; cardId: string; config: MetricCardConfig } | null
  >(null);

  const { reloadMaps } = useAppState();
  const readOnly = !!view?.map.dataAsOf;
  const undo = useUndo(view, setView, props.onError, !presenting && !metricTarget);

  // Stable, so the presentation's full-screen effect does not re-run on every render.
  const exitPresentation = useCallback(() => setPresenting(false), []);

  /** Runs a mutation; on success shows its MapView, on failure a toast (the view is unchanged). */
  const mutate = async (what: string, op: () => Promise<MapView>): Promise<boolean> => {
    try {
      setView(await op());
      return true;
    } catch (e) {
      props.onError(`Could not ${what}: ${toIpcError(e).message}`);
      return false;
    }
  };

  const doExport = async (format: "png" | "pdf") => {
    setExporting(true);
    setSaved(null);
    try {
      const path = await api.exportMap(props.mapId, format);
      if (path) setSaved(path);
    } catch (e) {
      props.onError(`Export failed: ${toIpcError(e).message}`);
    } finally {
      setExporting(false);
    }
  };

  const doExportFile = async (pack: boolean) => {
    setExporting(true);
    setSaved(null);
    try {
      const path = await api.exportMapFile(props.mapId, pack);
      if (path) setSaved(path);
    } catch (e) {
      props.onError(`Export failed: ${toIpcError(e).message}`);
    } finally {
      setExporting(false);
    }
  };
  // File > Export map file / workshop pack (native menu) exports the map shown.
  const exportFileRef = useCallback((pack: boolean) => void doExportFile(pack), [props.mapId]);
  useEffect(
    () =>
      events.onMenuAction((a) => {
        if (a === "exportMapFile" || a === "exportWorkshopPack") exportFileRef(a === "exportWorkshopPack");
      }),
    [exportFileRef],
  );

  const duplicateToEdit = async () => {
    if (!view) return;
    try {
      const copy = await api.duplicateMap(view.map.id, `${view.map.name} (copy)`);
      await reloadMaps();
      navigate({ name: "map", mapId: copy.map.id });
    } catch (e) {
      props.onError(`Could not duplicate the map: ${toIpcError(e).message}`);
    }
  };

  return (
    <div className="page page--map" data-testid="map-page">
      <TopBar
        title={view?.map.name ?? null}
        progress={data.progress}
        surveyNames={data.surveyNames}
        refreshing={data.refreshing}
        exporting={exporting}
        onRefresh={() => void data.refresh(true)}
        onPresent={() => setPresenting(true)}
        onExport={(f) => void doExport(f)}
        onExportFile={(pack) => void doExportFile(pack)}
        dataAsOf={view?.map.dataAsOf}
        undo={view && !readOnly ? undo : null}
      />
      <div className="page__content page__content--map">
        {view && readOnly && (
          <Banner
            tone="info"
            title="Read-only workshop pack"
            testId="pack-read-only"
            compact
            actions={
              <button type="button" className="button button--small" data-testid="pack-duplicate" onClick={() => void duplicateToEdit()}>
                Duplicate to edit
              </button>
            }
          >
            Values are frozen as they were on {formatDateTime(view.map.dataAsOf)} and are not refreshed. You can present
            it and export it as PNG or PDF; editing is off so the facilitator's copy matches the designer's. Duplicate
            it to make changes.
          </Banner>
        )}
        {data.warning && (
          <Banner
            tone={data.warning.tone ?? "warning"}
            title={data.warning.title}
            testId="refresh-warning"
            compact
            actions={
              <>
              {data.warning.kind === "notConfigured" && (
                <button
                  type="button"
                  className="button button--small"
                  data-testid="refresh-open-integrations"
                  onClick={() => navigate({ name: "integrations" })}
                >
                  Open Integrations
                </button>
              )}
              <button type="button" className="icon-button icon-button--small" aria-label="Dismiss" onClick={data.dismissWarning}>
                ×
              </button>
              </>
            }
          >
            {data.warning.surveyId && data.surveyNames[data.warning.surveyId]
              ? `${data.surveyNames[data.warning.surveyId]}: `
              : ""}
            {data.warning.body}
          </Banner>
        )}
        {saved && (
          <Banner
            tone="success"
            title="Export saved"
            testId="export-saved"
            compact
            actions={
              <button type="button" className="icon-button icon-button--small" aria-label="Dismiss" onClick={() => setSaved(null)}>
                ×
              </button>
            }
          >
            <code>{saved}</code>
          </Banner>
        )}
        {data.loadError && !view && (
          <Banner
            tone="error"
            title={data.loadError.kind === "notFound" ? "This map no longer exists" : "The map could not be opened"}
            testId="map-load-error"
            actions={<button type="button" className="button button--small" onClick={() => void data.reload()}>Retry</button>}
          >
            {data.loadError.message}
          </Banner>
        )}
        {!view && !data.loadError && <GridSkeleton />}
        {view && !readOnly && view.stages.length === 0 && view.lanes.length === 0 && (
          <EmptyState
            title="An empty journey"
            testId="map-empty"
            icon="▦"
            action={
              <button
                type="button"
                className="button button--primary"
                data-testid="map-start"
                onClick={() =>
                  void (async () => {
                    if (await mutate("add a stage", () => api.addStage(view.map.id, "Discover")))
                      await mutate("add a lane", () => api.addLane(view.map.id, "Customer"));
                  })()
                }
              >
                Add a first stage and lane
              </button>
            }
          >
            Stages are the columns of your journey (Discover, Sign up, Onboard…); lanes are its rows (actions,
            touchpoints, metrics). Cards live where they meet.
          </EmptyState>
        )}
        {view && (view.stages.length > 0 || view.lanes.length > 0) && (
          <MapGrid
            view={view}
            progress={data.progress}
            mutate={mutate}
            onAddMetric={(target) => setMetricTarget({ mode: "add", target })}
            onEditMetric={(cardId, config) => setMetricTarget({ mode: "edit", cardId, config })}
            readOnly={readOnly}
          />
        )}
      </div>
      {presenting && view && <Presentation view={view} progress={data.progress} onExit={exitPresentation} />}
      {metricTarget && view && (
        <MetricModal
          initial={metricTarget.mode === "edit" ? metricTarget.config : null}
          onClose={() => setMetricTarget(null)}
          onSave={async (config) => {
            const ok =
              metricTarget.mode === "add"
                ? await mutate("add the metric card", () =>
                    api.addMetricCard(view.map.id, metricTarget.target.stageId, metricTarget.target.laneId, config),
                  )
                : await mutate("update the metric card", () => api.updateMetricCard(metricTarget.cardId, config));
            if (ok) {
              setMetricTarget(null);
              void data.refresh(false);
            }
            return ok;
          }}
        />
      )}
    </div>
  );
}

function GridSkeleton() {
  return (
    <div className="grid-skeleton" role="status" aria-busy="true" aria-label="Loading map" data-testid="map-loading">
      {[0, 1, 2].map((r) => (
        <div className="grid-skeleton__row" key={r}>
          {[0, 1, 2, 3].map((c) => (
            <Skeleton key={c} height={r === 0 ? "36px" : "120px"} />
          ))}
        </div>
      ))}
    </div>
  );
}
