/**
 * The welcome screen, shown when no map is open. It never leaves a new user at a dead end:
 * without a connection it offers "Connect Qualtrics" (Integrations) and "Try with demo data"
 * (starts the demo and opens its first map); with a connection but no maps it creates a first
 * map; otherwise it asks to pick a map in the sidebar. Always: start from a template, or open a
 * map file or workshop pack (a facilitator with no Qualtrics account starts here).
 */
import { useState } from "react";
import { useAppState } from "./AppState";
import { EmptyState, Spinner } from "./components/Feedback";
import { api, toIpcError } from "./ipc";
import type { MapFileActions } from "./map/MapFileDialogs";
import { useNavigate } from "./navigation";

export function HomePage(props: { onError: (m: string) => void; files?: MapFileActions }) {
  const { status, maps, setStatus, reloadMapsAndInfo } = useAppState();
  const navigate = useNavigate();
  const [busy, setBusy] = useState<null | "demo" | "create">(null);
  const unconnected = status?.state === "notConfigured";
  const noMaps = maps !== null && maps.length === 0;

  const tryDemo = async () => {
    setBusy("demo");
    try {
      setStatus(await api.startDemo());
      await reloadMapsAndInfo();
      const demoMaps = await api.listMaps();
      navigate(demoMaps.length > 0 ? { name: "map", mapId: demoMaps[0].id } : { name: "integrations" });
    } catch (e) {
      props.onError(`Could not start the demo: ${toIpcError(e).message}`);
      setBusy(null);
    }
  };
  const createFirst = async () => {
    setBusy("create");
    try {
      const view = await api.createMap("My journey map");
      await reloadMapsAndInfo();
      navigate({ name: "map", mapId: view.map.id });
    } catch (e) {
      props.onError(`Could not create the map: ${toIpcError(e).message}`);
      setBusy(null);
    }
  };

  const title = unconnected
    ? "Welcome to Pulsemap"
    : noMaps
      ? "Create your first journey map"
      : "Pick a journey map";
  return (
    <div className="page">
      <EmptyState
        title={title}
        testId="home-empty"
        icon="▦"
        heading="h1"
        action={
          <>
          {unconnected ? (
            <div className="empty__buttons">
              <button
                type="button"
                className="button button--primary"
                data-testid="home-connect"
                onClick={() => navigate({ name: "integrations" })}
              >
                Connect Qualtrics
              </button>
              <button
                type="button"
                className="button"
                data-testid="home-demo"
                disabled={busy !== null}
                aria-busy={busy === "demo" || undefined}
                onClick={() => void tryDemo()}
              >
                {busy === "demo" && <Spinner label="Starting the demo" />} Try with demo data
              </button>
            </div>
          ) : noMaps ? (
            <button
              type="button"
              className="button button--primary"
              data-testid="home-create-map"
              disabled={busy !== null}
              onClick={() => void createFirst()}
            >
              {busy === "create" && <Spinner label="Creating the map" />} Create a journey map
            </button>
          ) : null}
          {props.files && (
            <div className="empty__buttons home__files">
              <button type="button" className="button button--small" data-testid="home-from-template" onClick={props.files.newFromTemplate}>
                Start from a template
              </button>
              <button type="button" className="button button--small" data-testid="home-import" onClick={props.files.importFile}>
                Open a pack or map file…
              </button>
            </div>
          )}
          </>
        }
      >
        {unconnected
          ? "Pulsemap puts live Qualtrics survey metrics on the stages of your customer journey. Connect your Qualtrics account with an API token, or explore first with a bundled demo brand."
          : "Journey maps put live survey metrics on the stages of your customer journey. Create a map, add stages and lanes, then drop metric cards on them."}
      </EmptyState>
    </div>
  );
}
