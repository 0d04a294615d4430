/**
 * Presentation mode: the map read-only in large type, full screen via the Fullscreen API, as a
 * modal overlay (react-aria-components): Exit gets the focus, Tab stays inside, nothing behind
 * is reachable, Escape (or leaving full screen) exits and focus returns to Present.
 *
 * The map is zoomed to fit the screen: columns have a fixed natural width, and the zoom is the
 * largest that fits the whole map. It never scrolls sideways; to fit the height it shrinks no
 * further than `MIN_ZOOM` (text would become unreadable from the back of a room), and below
 * that it scrolls down with the stage headers sticky. The title stays fixed above.
 */
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { Dialog, Modal as AriaModal, ModalOverlay } from "react-aria-components";
import type { MapView, RefreshProgress } from "../ipc";
import { byPosition, cardConfig, cellCards } from "../lib/model";
import { CardItem } from "../map/CardItem";

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
  const { viewportRef, gridRef, zoom } = useZoomToFit([props.view]);
  return (
    <ModalOverlay isOpen isDismissable={false} onOpenChange={(open) => !open && onExit()} className="present-overlay">
      <AriaModal className="present">
        <Dialog className="present__dialog" aria-label={`Presenting ${props.view.map.name}`} data-testid="presentation">
          <header className="present__header">
            <h1 className="present__title" title={props.view.map.name} data-testid="present-title">
              {props.view.map.name}
            </h1>
            <button ref={exitRef} type="button" className="present__exit" data-testid="present-exit" onClick={onExit}>
              Exit <kbd>Esc</kbd>
            </button>
          </header>
          <div className="present__viewport" ref={viewportRef} data-testid="present-viewport">
            <div
              ref={gridRef}
              className="present__grid"
              data-testid="present-grid"
              data-zoom={zoom.toFixed(3)}
              style={{ gridTemplateColumns: `var(--present-lane-width) repeat(${stages.length}, var(--present-stage-width))` }}
            >
              <div className="present__corner" />
              {stages.map((s) => (
                <h2 key={s.id} className="present__stage" data-testid="stage-header" title={s.name}>
                  <span className="present__clamp">{s.name}</span>
                </h2>
              ))}
              {lanes.map((l) => (
                <div key={l.id} style={{ display: "contents" }}>
                  <h2 className="present__lane" data-testid="lane-header" title={l.name}>
                    <span className="present__clamp">{l.name}</span>
                  </h2>
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
        </Dialog>
      </AriaModal>
    </ModalOverlay>
  );
}

/**
 * The zoom at which the grid (measured at its natural size) fits the viewport: whole map when
 * that stays at or above MIN_ZOOM, else the width only. Recomputed on resize and `deps`.
 */
function useZoomToFit(deps: unknown[]) {
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
      const next = Math.min(byWidth, MAX_ZOOM, Math.max(MIN_ZOOM, whole));
      const rounded = Math.floor(next * 100) / 100;
      grid.style.zoom = String(rounded);
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
