/**
 * Presentation mode: the map read-only in large type, full screen via the Fullscreen API, as a
 * modal overlay (react-aria-components): Exit gets the focus, Tab stays inside, nothing behind
 * is reachable, Escape (or leaving full screen) exits and focus returns to Present.
 *
 * The map is zoomed to fit the screen: columns have a fixed natural width, and the zoom is the
 * largest that fits the whole map. It never scrolls sideways; to fit the height it shrinks no
 * further than `MIN_ZOOM` (text would become unreadable from the back of a room), and below
 * that it scrolls down with the stage headers sticky. The title stays fixed above.
 *
 * For a room (see `room.ts`): Left/Right arrows (and the on-screen buttons) step through the
 * stages, one highlighted and the others dimmed, each step announced to screen readers; `L`
 * toggles large type (the map keeps at least its natural size and scrolls sideways to the
 * highlighted stage instead of shrinking); the "data as of" stamp is always in the title bar.
 */
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { Dialog, Modal as AriaModal, ModalOverlay } from "react-aria-components";
import type { MapView, RefreshProgress } from "../ipc";
import { formatDateTime } from "../lib/format";
import { byPosition, cardConfig, cellCards } from "../lib/model";
import { CardItem } from "../map/CardItem";
import { FrozenAsOf } from "../map/frozen";
import { mapDataAsOf, useStageStepper } from "./room";

/** Smallest zoom that keeps card titles (18px) readable on a projected screen. */
export const MIN_ZOOM = 0.8;
/** Largest zoom: a small map on a big screen grows, but not absurdly. */
export const MAX_ZOOM = 1.6;

export function Presentation(props: {
  view: MapView;
  progress: Record<string, RefreshProgress>;
  onExit: () => void;
}) {
  const { onExit } = props;
  const exitRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    exitRef.current?.focus();
    let entered = false;
    enterFullscreen().then((ok) => {
      entered = ok;
    });
    const onChange = () => {
      if (entered && !fullscreenElement()) onExit();
    };
    document.addEventListener("fullscreenchange", onChange);
    document.addEventListener("webkitfullscreenchange", onChange);
    return () => {
      document.removeEventListener("fullscreenchange", onChange);
      document.removeEventListener("webkitfullscreenchange", onChange);
      exitFullscreen();
    };
  }, [onExit]);

  const stages = byPosition(props.view.stages);
  const lanes = byPosition(props.view.lanes);
  const step = useStageStepper(stages.length, onExit);
  const { viewportRef, gridRef, zoom } = useZoomToFit([props.view, step.large], step.large ? 1 : MIN_ZOOM, !step.large);
  const asOf = mapDataAsOf(props.view);
  const currentStage = step.current === null ? null : stages[step.current] ?? null;
  const cardsIn = (stageId: string) => props.view.cards.filter((c) => c.card.stageId === stageId).length;
  const spoken = currentStage
    ? `Stage ${step.current! + 1} of ${stages.length}: ${currentStage.name}. ${cardsIn(currentStage.id)} card${cardsIn(currentStage.id) === 1 ? "" : "s"}.`
    : `Whole map: ${stages.length} stages.`;
  const dim = (i: number) => (step.current === null ? "" : i === step.current ? " is-current" : " is-dimmed");

  // Bring the highlighted stage into view (large type scrolls sideways).
  useEffect(() => {
    if (step.current === null) return;
    const el = gridRef.current?.querySelectorAll<HTMLElement>("[data-testid=stage-header]")[step.current];
    el?.scrollIntoView?.({ block: "nearest", inline: "center" });
  }, [step.current, step.large, gridRef]);
  return (
    <ModalOverlay isOpen isDismissable={false} onOpenChange={(open) => !open && onExit()} className="present-overlay">
      <AriaModal className={`present${step.large ? " present--large" : ""}`}>
        <Dialog className="present__dialog" aria-label={`Presenting ${props.view.map.name}`} data-testid="presentation">
          <header className="present__header">
            <h1 className="present__title" title={props.view.map.name} data-testid="present-title">
              {props.view.map.name}
            </h1>
            {asOf && (
              <p className="present__stamp" data-testid="present-data-as-of">
                Data as of {formatDateTime(asOf)}
              </p>
            )}
            <div className="present__controls" role="group" aria-label="Presentation controls">
              <button
                type="button"
                className="present__button"
                data-testid="present-prev"
                aria-label="Previous stage"
                title="Previous stage (Left arrow)"
                disabled={step.current === null}
                onClick={step.prev}
              >
                ◀
              </button>
              <span className="present__position" data-testid="present-position">
                {currentStage ? `Stage ${step.current! + 1} of ${stages.length}` : "All stages"}
              </span>
              <button
                type="button"
                className="present__button"
                data-testid="present-next"
                aria-label="Next stage"
                title="Next stage (Right arrow)"
                disabled={stages.length === 0 || step.current === stages.length - 1}
                onClick={step.next}
              >
                ▶
              </button>
              <button
                type="button"
                className="present__button present__button--text"
                data-testid="present-large"
                aria-pressed={step.large}
                title="Large type for the back of the room (L)"
                onClick={step.toggleLarge}
              >
                Large type <kbd>L</kbd>
              </button>
            </div>
            <button ref={exitRef} type="button" className="present__exit" data-testid="present-exit" onClick={onExit}>
              Exit <kbd>Esc</kbd>
            </button>
          </header>
          <div className="visually-hidden" role="status" aria-live="polite" data-testid="present-announcer">
            {spoken}
          </div>
          <FrozenAsOf.Provider value={props.view.map.dataAsOf ?? null}>
            <div className="present__viewport" ref={viewportRef} data-testid="present-viewport">
              <div
                ref={gridRef}
                className="present__grid"
                data-testid="present-grid"
                data-zoom={zoom.toFixed(3)}
                data-current-stage={step.current ?? ""}
                style={{ gridTemplateColumns: `var(--present-lane-width) repeat(${stages.length}, var(--present-stage-width))` }}
              >
                <div className="present__corner" />
                {stages.map((s, i) => (
                  <h2
                    key={s.id}
                    className={`present__stage${dim(i)}`}
                    data-testid="stage-header"
                    title={s.name}
                    aria-current={step.current === i ? "step" : undefined}
                  >
                    <span className="present__clamp">{s.name}</span>
                  </h2>
                ))}
                {lanes.map((l) => (
                  <div key={l.id} style={{ display: "contents" }}>
                    <h2 className="present__lane" data-testid="lane-header" title={l.name}>
                      <span className="present__clamp">{l.name}</span>
                    </h2>
                    {stages.map((s, i) => (
                      <div key={s.id} className={`present__cell${dim(i)}`} data-testid="present-cell">
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
          </FrozenAsOf.Provider>
        </Dialog>
      </AriaModal>
    </ModalOverlay>
  );
}

/**
 * The zoom at which the grid (measured at its natural size) fits the viewport: whole map when
 * that stays at or above `minZoom`, else the width only (or, without `fitWidth`, `minZoom`).
 * Recomputed on resize and `deps`.
 */
function useZoomToFit(deps: unknown[], minZoom: number, fitWidth: boolean) {
  const viewportRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const [zoom, setZoom] = useState(1);
  const zoomRef = useRef(1);

  useLayoutEffect(() => {
    const viewport = viewportRef.current;
    const grid = gridRef.current;
    if (!viewport || !grid) return;
    const fit = () => {
      // Natural size, measured at zoom 1: engines disagree on what a zoomed element's
      // rectangle reports (Chromium scales it, WebKitGTK did not), so never divide by it.
      grid.style.zoom = "1";
      const box = grid.getBoundingClientRect();
      const w = box.width;
      const h = box.height;
      const cs = getComputedStyle(viewport);
      const vw = viewport.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      const vh = viewport.clientHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom);
      if (!w || !h || !vw || !vh) {
        grid.style.zoom = String(zoomRef.current);
        return;
      }
      const byWidth = vw / w;
      const whole = Math.min(byWidth, vh / h);
      // Large type never shrinks below its natural size: it scrolls sideways instead.
      const next = fitWidth ? Math.min(byWidth, MAX_ZOOM, Math.max(minZoom, whole)) : Math.min(MAX_ZOOM, Math.max(minZoom, whole));
      let rounded = Math.floor(next * 100) / 100;
      grid.style.zoom = String(rounded);
      // Zoomed text does not scale exactly (engines round font sizes and line boxes), so a
      // map sized to fit can still overflow by a few pixels: shrink in small steps until it
      // does not (never below the floor, never in large type, which scrolls by design).
      const floor = fitWidth && whole >= minZoom ? minZoom : rounded;
      for (let i = 0; i < 10 && rounded - 0.01 >= floor && overflows(viewport); i++) {
        rounded = Math.round((rounded - 0.01) * 100) / 100;
        grid.style.zoom = String(rounded);
      }
      if (Math.abs(rounded - zoomRef.current) > 0.005) {
        zoomRef.current = rounded;
        setZoom(rounded);
      }
    };
    fit();
    window.addEventListener("resize", fit);
    const ro = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(fit);
    ro?.observe(viewport);
    ro?.observe(grid);
    return () => {
      window.removeEventListener("resize", fit);
      ro?.disconnect();
    };
  }, deps);

  return { viewportRef, gridRef, zoom };
}

/** Whether the viewport scrolls (more than a rounding pixel) in either direction. */
function overflows(viewport: HTMLElement): boolean {
  return viewport.scrollHeight - viewport.clientHeight > 1 || viewport.scrollWidth - viewport.clientWidth > 1;
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
