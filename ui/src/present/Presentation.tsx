/**
 * Presentation mode: the map read-only, large type, no editing chrome, full screen via the
 * Fullscreen API on the document element. Escape (or leaving full screen) exits.
 */
import { useEffect } from "react";
import type { MapView, RefreshProgress } from "../ipc";
import { byPosition, cardConfig, cellCards } from "../lib/model";
import { CardItem } from "../map/CardItem";

export function Presentation(props: {
  view: MapView;
  progress: Record<string, RefreshProgress>;
  onExit: () => void;
}) {
  const { onExit } = props;
  useEffect(() => {
    let entered = false;
    enterFullscreen().then((ok) => {
      entered = ok;
    });
    const onChange = () => {
      if (entered && !fullscreenElement()) onExit();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onExit();
    };
    document.addEventListener("fullscreenchange", onChange);
    document.addEventListener("webkitfullscreenchange", onChange);
    window.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("fullscreenchange", onChange);
      document.removeEventListener("webkitfullscreenchange", onChange);
      window.removeEventListener("keydown", onKey);
      exitFullscreen();
    };
  }, [onExit]);

  const stages = byPosition(props.view.stages);
  const lanes = byPosition(props.view.lanes);
  return (
    <div className="present" data-testid="presentation">
      <header className="present__header">
        <h1 className="present__title">{props.view.map.name}</h1>
        <button type="button" className="present__exit" data-testid="present-exit" onClick={onExit}>
          Exit <kbd>Esc</kbd>
        </button>
      </header>
      <div
        className="present__grid"
        style={{ gridTemplateColumns: `minmax(140px, 200px) repeat(${stages.length}, minmax(280px, 1fr))` }}
      >
        <div />
        {stages.map((s) => (
          <div key={s.id} className="present__stage" data-testid="stage-header">
            {s.name}
          </div>
        ))}
        {lanes.map((l) => (
          <div key={l.id} style={{ display: "contents" }}>
            <div className="present__lane" data-testid="lane-header">
              {l.name}
            </div>
            {stages.map((s) => (
              <div key={s.id} className="present__cell">
                {cellCards(props.view, s.id, l.id).map((c) => {
                  const cfg = cardConfig(c);
                  return (
                    <CardItem key={c.card.id} view={c} readOnly large progress={cfg ? props.progress[cfg.surveyId] : undefined} />
                  );
                })}
              </div>
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}

// WebKitGTK (the Linux webview) may only expose the prefixed Fullscreen API.
type WebkitDocument = Document & { webkitFullscreenElement?: Element | null; webkitExitFullscreen?: () => void };
type WebkitElement = HTMLElement & { webkitRequestFullscreen?: () => void };

function fullscreenElement(): Element | null {
  const d = document as WebkitDocument;
  return d.fullscreenElement ?? d.webkitFullscreenElement ?? null;
}

/** Requests full screen on the document element; resolves false when refused or unsupported. */
async function enterFullscreen(): Promise<boolean> {
  if (fullscreenElement()) return false;
  const el = document.documentElement as WebkitElement;
  try {
    if (el.requestFullscreen) await el.requestFullscreen();
    else if (el.webkitRequestFullscreen) el.webkitRequestFullscreen();
    else return false;
    return true;
  } catch {
    // Refused (e.g. no user gesture): keep presenting inside the window.
    return false;
  }
}

function exitFullscreen() {
  const d = document as WebkitDocument;
  if (!fullscreenElement()) return;
  if (d.exitFullscreen) void d.exitFullscreen().catch(() => {});
  else d.webkitExitFullscreen?.();
}
