/**
 * The shell: a "Skip to …" link, the sidebar, the `<main>` landmark with the global connection
 * banner and the routed page (journey map editor, Integrations, support data, the Connecting
 * Qualtrics guide, or the welcome screen), and a toast for failed actions. `navigate` is offered
 * to every screen through `NavigateContext`; `GuideContext` lets any banner open the guide at
 * the section that explains its fix.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { AppStateProvider, useAppState } from "./AppState";
import { AnnouncerProvider } from "./components/Announcer";
import { NoticeBanner } from "./components/NoticeBanner";
import { RetryButton } from "./components/RetryButton";
import { Sidebar } from "./components/Sidebar";
import { DebugPage } from "./debug/DebugPage";
import { asGuideSection, GuideContext, type GuideSection } from "./help/guide";
import { GuidePage } from "./help/GuidePage";
import { HomePage } from "./HomePage";
import { api, events, toIpcError, type MenuAction } from "./ipc";
import { isBadState, noticeForStatus } from "./lib/connection";
import { useMapFileDialogs } from "./map/MapFileDialogs";
import { MapPage } from "./map/MapPage";
import { NavigateContext, type Route } from "./navigation";
import { IntegrationsPage } from "./settings/IntegrationsPage";

export type { Route } from "./navigation";

export default function App() {
  return (
    <AnnouncerProvider>
      <AppStateProvider>
        <Shell />
      </AppStateProvider>
    </AnnouncerProvider>
  );
}

function Shell() {
  const { status, maps, reloadStatus } = useAppState();
  const [route, setRoute] = useState<Route>({ name: "home" });
  const [toast, setToast] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);

  useEffect(() => {
    if (!toast) return;
    const id = window.setTimeout(() => setToast(null), 6000);
    return () => window.clearTimeout(id);
  }, [toast]);
  useEffect(() => {
    if (!info) return;
    const id = window.setTimeout(() => setInfo(null), 8000);
    return () => window.clearTimeout(id);
  }, [info]);

  // Open the first map on start when there is one.
  useEffect(() => {
    if (route.name === "home" && maps && maps.length > 0) setRoute({ name: "map", mapId: maps[0].id });
    // Only when the list first arrives.
  }, [maps === null]);

  const onError = useCallback((m: string) => setToast(m), []);
  const onNotice = useCallback((m: string) => setInfo(m), []);
  const files = useMapFileDialogs(setRoute, onError, onNotice);
  const routeRef = useRef(route);
  routeRef.current = route;
  const filesRef = useRef(files.actions);
  filesRef.current = files.actions;
  const openGuide = useCallback((section?: GuideSection) => setRoute({ name: "guide", section }), []);
  // The native Help menu opens the same guide view.
  useEffect(() => events.onOpenGuide((section) => openGuide(asGuideSection(section))), [openGuide]);

  // The native menu (src-tauri/src/menu.rs; Help > Connecting Qualtrics sends `open-guide`,
  // handled above): navigate, or prepare the support email; without
  // a support address, open the settings where it is set.
  useEffect(
    () =>
      events.onMenuAction((action: MenuAction) => {
        if (action === "newMapFromTemplate") filesRef.current.newFromTemplate();
        else if (action === "importMapFile") filesRef.current.importFile();
        else if ((action === "exportMapFile" || action === "exportWorkshopPack") && routeRef.current.name !== "map")
          setToast("Open a map first: the File menu exports the map on screen.");
        else if (action === "openSettings") setRoute({ name: "integrations" });
        else if (action === "openDebug") setRoute({ name: "debug" });
        else if (action === "contactSupport") {
          api
            .contactSupport(null)
            .then((mail) => {
              if (!mail) {
                setRoute({ name: "integrations" });
                setToast("Set the support email address in Integrations first (Support contact).");
              }
            })
            .catch((e) => setToast(toIpcError(e).message));
        }
      }),
    [],
  );
  const notice = status && isBadState(status) ? noticeForStatus(status) : null;

  return (
    <NavigateContext.Provider value={setRoute}>
    <GuideContext.Provider value={openGuide}>
    <div className="shell">
      <a className="skip-link" href="#main-content" data-testid="skip-link" onClick={skipToMain}>
        {route.name === "map" ? "Skip to map" : "Skip to content"}
      </a>
      <Sidebar route={route} navigate={setRoute} onError={onError} files={files.actions} />
      <main className="shell__main" id="main-content" tabIndex={-1}>
        {notice && route.name !== "integrations" && (
          <div className="shell__global-banner">
            <NoticeBanner
              notice={notice}
              testId={status?.state === "offline" ? "offline-banner" : "global-connection-banner"}
              compact
              actions={
                status?.state === "offline" ? (
                  <RetryButton onRetry={reloadStatus} />
                ) : (
                  <button
                    type="button"
                    className="button button--small"
                    data-testid="global-banner-settings"
                    onClick={() => setRoute({ name: "integrations" })}
                  >
                    Open connection settings
                  </button>
                )
              }
            />
          </div>
        )}
        {route.name === "map" && <MapPage key={route.mapId} mapId={route.mapId} onError={onError} />}
        {route.name === "integrations" && <IntegrationsPage />}
        {route.name === "debug" && <DebugPage />}
        {route.name === "guide" && <GuidePage section={route.section} />}
        {route.name === "home" && <HomePage onError={onError} files={files.actions} />}
      </main>
      {files.dialogs}
      {info && !toast && (
        <div className="toast" role="status" data-testid="notice">
          <span>{info}</span>
          <button type="button" className="icon-button icon-button--small" aria-label="Dismiss" onClick={() => setInfo(null)}>
            ×
          </button>
        </div>
      )}
      {toast && (
        <div className="toast" role="alert" data-testid="toast">
          <span>{toast}</span>
          <button type="button" className="icon-button icon-button--small" aria-label="Dismiss" onClick={() => setToast(null)}>
            ×
          </button>
        </div>
      )}
    </div>
    </GuideContext.Provider>
    </NavigateContext.Provider>
  );
}

/**
 * Moves focus to the map grid when there is one (its first stage header), else to `<main>`:
 * the link's default jump scrolls, but focus must land inside for the next Tab.
 */
function skipToMain(e: React.MouseEvent) {
  e.preventDefault();
  const target =
    document.querySelector<HTMLElement>("#main-content [data-testid=stage-header][tabindex]") ??
    document.getElementById("main-content");
  target?.focus();
}
