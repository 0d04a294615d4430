/**
 * Loads a map and keeps it current: paints at once from `open_map` (cache), then asks for a
 * background refresh of stale surveys; follows refresh-progress / refresh-finished /
 * map-values-updated events. A failed refresh becomes a non-blocking warning and the cached
 * view stays. "Refresh now" always answers visibly: with no metric card there is nothing to
 * refresh and it says so; without a connection the warning links to Integrations. A read-only
 * workshop pack (`map.dataAsOf`) is never refreshed.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { useAppState } from "../AppState";
import { api, events, toIpcError, type IpcError, type MapView, type RefreshProgress } from "../ipc";
import { noticeForKind } from "../lib/connection";
import { mapSurveyIds } from "../lib/model";

export interface RefreshWarning {
  surveyId: string | null;
  /** "info" for "nothing to refresh"; warnings otherwise. */
  tone?: "info" | "warning";
  /** The error kind behind it (the page offers "Open Integrations" for `notConfigured`). */
  kind?: string;
  title: string;
  body: string;
}

export function useMapData(mapId: string) {
  const { reloadStatus } = useAppState();
  const [view, setView] = useState<MapView | null>(null);
  const [loadError, setLoadError] = useState<IpcError | null>(null);
  const [progress, setProgress] = useState<Record<string, RefreshProgress>>({});
  const [requesting, setRequesting] = useState(false);
  const [warning, setWarning] = useState<RefreshWarning | null>(null);
  const [surveyNames, setSurveyNames] = useState<Record<string, string>>({});
  const alive = useRef(true);
  const viewRef = useRef<MapView | null>(null);
  viewRef.current = view;

  const reload = useCallback(async (): Promise<MapView | null> => {
    try {
      const v = await api.openMap(mapId);
      if (alive.current) {
        setView(v);
        setLoadError(null);
      }
      return v;
    } catch (e) {
      if (alive.current) setLoadError(toIpcError(e));
      return null;
    }
  }, [mapId]);

  const refresh = useCallback(
    async (force: boolean) => {
      if (force && viewRef.current && mapSurveyIds(viewRef.current).length === 0) {
        setWarning({
          surveyId: null,
          tone: "info",
          title: "Nothing to refresh yet",
          body: "Only metric cards are refreshed from Qualtrics, and this map has none. Add one with “+ Add card” → Metric card.",
        });
        return;
      }
      setRequesting(true);
      if (force) setWarning(null);
      try {
        await api.refreshMap(mapId, force);
      } catch (e) {
        const err = toIpcError(e);
        const n = noticeForKind(err.kind);
        setWarning({
          surveyId: null,
          kind: err.kind,
          title: err.kind === "notConfigured" ? "Showing cached values" : `Refresh failed — ${n.title.toLowerCase()}`,
          body: err.kind === "notConfigured" ? "Connect Qualtrics in Integrations to refresh this map." : n.body,
        });
      } finally {
        if (alive.current) setRequesting(false);
      }
    },
    [mapId],
  );

  useEffect(() => {
    alive.current = true;
    let cancelled = false;
    setView(null);
    setLoadError(null);
    void (async () => {
      const v = await reload();
      // A workshop pack's values are frozen: it is never refreshed (and needs no connection).
      if (!cancelled && v && !v.map.dataAsOf) await refresh(false);
    })();
    api
      .listSurveys()
      .then((list) => !cancelled && setSurveyNames(Object.fromEntries(list.map((s) => [s.id, s.name]))))
      .catch(() => {});
    return () => {
      cancelled = true;
      alive.current = false;
    };
  }, [reload, refresh]);

  useEffect(() => {
    const offProgress = events.onRefreshProgress((p) => {
      setProgress((prev) => ({ ...prev, [p.surveyId]: p }));
    });
    const offFinished = events.onRefreshFinished((f) => {
      setProgress((prev) => {
        const next = { ...prev };
        delete next[f.surveyId];
        return next;
      });
      // Values of this survey's cards were recomputed: repaint from the cache (cheap), in case
      // the shell's map-values-updated event is not sent for this map.
      if (f.ok && viewRef.current && mapSurveyIds(viewRef.current).includes(f.surveyId)) void reload();
      if (!f.ok) {
        const kind = f.error?.kind ?? "internal";
        const n = noticeForKind(kind);
        setWarning({
          surveyId: f.surveyId,
          kind,
          title: kind === "network" ? "Offline — showing cached values" : `Refresh failed — ${n.title.toLowerCase()}`,
          body: n.body,
        });
        if (kind === "tokenRevoked" || kind === "unauthorized") void reloadStatus();
      }
    });
    const offUpdated = events.onMapValuesUpdated((u) => {
      if (u.mapId === mapId) void reload();
    });
    return () => {
      offProgress();
      offFinished();
      offUpdated();
    };
  }, [mapId, reload, reloadStatus]);

  return {
    view,
    setView,
    loadError,
    reload,
    refresh,
    progress,
    refreshing: requesting || Object.keys(progress).length > 0,
    warning,
    dismissWarning: () => setWarning(null),
    surveyNames,
  };
}
