/**
 * The shell: sidebar, global connection banner, a toast for failed actions, and the routed
 * page (journey map editor, Integrations, Debug configuration, the Connecting Qualtrics
 * guide, or a welcome screen). It provides `GuideContext`, so any banner can open the guide
 * at the section that explains its fix.
 */
import { useCallback, useEffect, useState } from "react";
import { AppStateProvider, useAppState } from "./AppState";
import { AnnouncerProvider } from "./components/Announcer";
import { NoticeBanner } from "./components/NoticeBanner";
import { EmptyState } from "./components/Feedback";
import { Sidebar } from "./components/Sidebar";
import { DebugPage } from "./debug/DebugPage";
import { asGuideSection, GuideContext, type GuideSection } from "./help/guide";
import { GuidePage } from "./help/GuidePage";
import { events } from "./ipc";
import { isBadState, noticeForStatus } from "./lib/connection";
import { MapPage } from "./map/MapPage";
import { IntegrationsPage } from "./settings/IntegrationsPage";

export type Route =
  | { name: "home" }
  | { name: "map"; mapId: string }
  | { name: "integrations" }
  | { name: "debug" }
  | { name: "guide"; section?: GuideSection };

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
  const { status, maps } = useAppState();
  const [route, setRoute] = useState<Route>({ name: "home" });
  const [toast, setToast] = useState<string | null>(null);

  useEffect(() => {
    if (!toast) return;
    const id = window.setTimeout(() => setToast(null), 6000);
    return () => window.clearTimeout(id);
  }, [toast]);

  // Open the first map on start when there is one.
  useEffect(() => {
    if (route.name === "home" && maps && maps.length > 0) setRoute({ name: "map", mapId: maps[0].id });
    // Only when the list first arrives.
  }, [maps === null]);

  const onError = useCallback((m: string) => setToast(m), []);
  const openGuide = useCallback((section?: GuideSection) => setRoute({ name: "guide", section }), []);
  // The native Help menu opens the same guide view.
  useEffect(() => events.onOpenGuide((section) => openGuide(asGuideSection(section))), [openGuide]);
  const notice = status && isBadState(status) ? noticeForStatus(status) : null;

  return (
    <GuideContext.Provider value={openGuide}>
      <div className="shell">
        <Sidebar route={route} navigate={setRoute} onError={onError} />
        <div className="shell__main">
          {notice && route.name !== "integrations" && (
            <div className="shell__global-banner">
              <NoticeBanner
                notice={notice}
                testId="global-connection-banner"
                compact
                actions={
                  <button
                    type="button"
                    className="button button--small"
                    data-testid="global-banner-settings"
                    onClick={() => setRoute({ name: "integrations" })}
                  >
                    Open connection settings
                  </button>
                }
              />
            </div>
          )}
          {route.name === "map" && <MapPage key={route.mapId} mapId={route.mapId} onError={onError} />}
          {route.name === "integrations" && <IntegrationsPage />}
          {route.name === "debug" && <DebugPage />}
          {route.name === "guide" && <GuidePage section={route.section} />}
          {route.name === "home" && (
            <div className="page">
              <EmptyState
                title={maps && maps.length === 0 ? "Create your first journey map" : "Pick a journey map"}
                testId="home-empty"
                icon="▦"
              >
                Journey maps put live survey metrics on the stages of your customer journey. Create a map in
                the sidebar, add stages and lanes, then drop metric cards on them.
              </EmptyState>
            </div>
          )}
        </div>
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
  );
}
