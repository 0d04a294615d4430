/**
 * Presentation for a room: stepping through the stages and the "data as of" stamp.
 *
 * Contract: `useStageStepper(count)` holds the highlighted stage (`null` = the whole map, no
 * highlight). Right arrow (or Next) goes to the next stage (from the whole map: the first),
 * Left arrow (or Previous) to the previous one (from the first: back to the whole map), Home
 * to the whole map; `L` toggles large type; Escape exits. Keys with a modifier, and keys typed into a field,
 * are left alone. `dataAsOf` is the time the map's values stand for: a workshop pack's frozen
 * time, else the oldest data on the map (each card's `dataAsOf`, its survey's last successful
 * sync; else when its value was computed), so the stamp never overstates freshness.
 */
import { useCallback, useEffect, useState } from "react";
import type { CardView, MapView } from "../ipc";

export function useStageStepper(count: number, onExit: () => void) {
  const [current, setCurrent] = useState<number | null>(null);
  const [large, setLarge] = useState(false);
  const next = useCallback(() => setCurrent((c) => (count === 0 ? null : c === null ? 0 : Math.min(c + 1, count - 1))), [count]);
  const prev = useCallback(() => setCurrent((c) => (c === null || c === 0 ? null : c - 1)), []);
  const overview = useCallback(() => setCurrent(null), []);
  const toggleLarge = useCallback(() => setLarge((l) => !l), []);

  useEffect(() => {
    if (current !== null && current >= count) setCurrent(count > 0 ? count - 1 : null);
  }, [count, current]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable)) return;
      // Escape exits even when focus fell out of the dialog (a button that just got disabled).
      if (e.key === "Escape") onExit();
      else if (e.key === "ArrowRight") next();
      else if (e.key === "ArrowLeft") prev();
      else if (e.key === "Home") overview();
      else if (e.key === "l" || e.key === "L") toggleLarge();
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [next, prev, overview, toggleLarge, onExit]);

  return { current, next, prev, overview, large, toggleLarge };
}

/** When a card's value stands for: its survey's last successful sync (core's `dataAsOf`), or
 *  for a value with no known sync, when it was computed. */
function cardDataAsOf(c: CardView): string | null {
  if (!c.cachedValue) return null;
  return c.dataAsOf ?? c.computedAt;
}

/** The "data as of" time of the whole map (see the module docs); null: no value on it. */
export function mapDataAsOf(view: MapView): string | null {
  if (view.map.dataAsOf) return view.map.dataAsOf;
  let oldest: string | null = null;
  for (const c of view.cards) {
    const t = cardDataAsOf(c);
    if (t && (!oldest || Date.parse(t) < Date.parse(oldest))) oldest = t;
  }
  return oldest;
}
