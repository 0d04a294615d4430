/**
 * App-wide state: the connection status (global banner, settings page), the maps list
 * (sidebar) and the app info (version, demo data active), with loaders that keep errors as
 * `IpcError`s. `reloadMapsAndInfo` re-reads the maps and the app info after the active data
 * changed (demo entered or left; the caller already has the new connection status).
 */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { api, type AppInfo, type ConnectionStatus, type IpcError, type MapSummary, toIpcError } from "./ipc";

export interface AppState {
  status: ConnectionStatus | null;
  statusError: IpcError | null;
  setStatus: (s: ConnectionStatus) => void;
  reloadStatus: () => Promise<void>;
  maps: MapSummary[] | null;
  mapsError: IpcError | null;
  setMaps: (m: MapSummary[]) => void;
  reloadMaps: () => Promise<void>;
  info: AppInfo | null;
  reloadMapsAndInfo: () => Promise<void>;
}

const Ctx = createContext<AppState | null>(null);

export function AppStateProvider(props: { children: ReactNode }) {
  const [status, setStatusState] = useState<ConnectionStatus | null>(null);
  const [statusError, setStatusError] = useState<IpcError | null>(null);
  const [maps, setMaps] = useState<MapSummary[] | null>(null);
  const [mapsError, setMapsError] = useState<IpcError | null>(null);
  const [info, setInfo] = useState<AppInfo | null>(null);

  const reloadStatus = useCallback(async () => {
    try {
      setStatusState(await api.connectionStatus());
      setStatusError(null);
    } catch (e) {
      setStatusError(toIpcError(e));
    }
  }, []);
  const reloadMaps = useCallback(async () => {
    try {
      setMaps(await api.listMaps());
      setMapsError(null);
    } catch (e) {
      setMapsError(toIpcError(e));
    }
  }, []);
  const reloadInfo = useCallback(async () => {
    try {
      setInfo(await api.appInfo());
    } catch {
      setInfo(null);
    }
  }, []);
  const reloadMapsAndInfo = useCallback(async () => {
    await Promise.all([reloadMaps(), reloadInfo()]);
  }, [reloadMaps, reloadInfo]);
  const setStatus = useCallback((s: ConnectionStatus) => {
    setStatusState(s);
    setStatusError(null);
  }, []);

  useEffect(() => {
    void reloadStatus();
    void reloadMapsAndInfo();
  }, [reloadStatus, reloadMapsAndInfo]);

  return (
    <Ctx.Provider
      value={{ status, statusError, setStatus, reloadStatus, maps, mapsError, setMaps, reloadMaps, info, reloadMapsAndInfo }}
    >
      {props.children}
    </Ctx.Provider>
  );
}

export function useAppState(): AppState {
  const v = useContext(Ctx);
  if (!v) throw new Error("useAppState outside AppStateProvider");
  return v;
}
