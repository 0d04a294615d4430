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
    const el = document.documentElement;
    let entered = false;
    if (el.requestFullscreen && !document.fullscreenElement) {
      el.requestFullscreen()
        .then(() => {
          entered = true;
        })
        .catch(() => {
          // Full screen refused (e.g. no user gesture): stay in the window, still presenting.
        });
    }
    const onChange = () => {
      if (entered && !document.fullscreenElement) onExit();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onExit();
    };
    document.addEventListener("fullscreenchange", onChange);
    window.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("fullscreenchange", onChange);
      window.removeEventListener("keydown", onKey);
      if (document.fullscreenElement) void document.exitFullscreen?.().catch(() => {});
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
