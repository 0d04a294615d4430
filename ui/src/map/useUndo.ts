/**
 * Undo / redo of a map's edits (core keeps up to 100 steps per map while the app runs).
 *
 * Contract: re-reads the undo state whenever the shown view changes (every edit returns a new
 * MapView); `undo`/`redo` replace the view with what core restored and announce the step
 * ("Undid delete stage 'Onboarding'"). Ctrl/Cmd+Z undoes, Ctrl/Cmd+Shift+Z and Ctrl+Y redo —
 * never while typing in a text field (the field's own undo runs) nor while `enabled` is false
 * (a dialog or the presentation is open).
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { useAnnounce } from "../components/Announcer";
import { api, toIpcError, type MapView, type UndoState } from "../ipc";

const NONE: UndoState = { undoSteps: 0, redoSteps: 0, undoLabel: null, redoLabel: null };

/** The platform's modifier name for shortcut hints. */
export const MOD_KEY = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform) ? "⌘" : "Ctrl";

/** Whether a key event comes from somewhere the user types text. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag !== "INPUT") return false;
  const type = (target as HTMLInputElement).type;
  return !["button", "checkbox", "radio", "submit", "reset", "range", "color", "file"].includes(type);
}

export function useUndo(
  view: MapView | null,
  setView: (v: MapView) => void,
  onError: (m: string) => void,
  enabled: boolean,
) {
  const announce = useAnnounce();
  const [state, setState] = useState<UndoState>(NONE);
  const busy = useRef(false);
  // The key listener reads the undo state through a ref set at render: a listener re-bound in
  // an effect lags the render that enabled the buttons, so a key pressed in between was
  // dropped as if there were nothing to undo.
  const latest = useRef(state);
  latest.current = state;
  const mapId = view?.map.id ?? null;
  const readOnly = !!view?.map.dataAsOf;

  useEffect(() => {
    if (!mapId || readOnly) {
      setState(NONE);
      return;
    }
    let cancelled = false;
    api
      .mapUndoState(mapId)
      .then((s) => !cancelled && setState(s))
      .catch(() => !cancelled && setState(NONE));
    return () => {
      cancelled = true;
    };
  }, [view, mapId, readOnly]);

  const step = useCallback(
    async (undo: boolean) => {
      if (!mapId || busy.current) return;
      const now = latest.current;
      const label = undo ? now.undoLabel : now.redoLabel;
      if ((undo ? now.undoSteps : now.redoSteps) === 0) return;
      busy.current = true;
      try {
        setView(await (undo ? api.undoMap(mapId) : api.redoMap(mapId)));
        announce(`${undo ? "Undid" : "Redid"} ${label ?? "the last change"}.`);
      } catch (e) {
        onError(`Could not ${undo ? "undo" : "redo"}: ${toIpcError(e).message}`);
      } finally {
        busy.current = false;
      }
    },
    [mapId, setView, announce, onError],
  );

  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || !(e.ctrlKey || e.metaKey) || isTyping(e.target)) return;
      // A dialog over the map (a confirmation, the card dialog) owns the keys.
      if (document.querySelector(".modal-backdrop, .present-overlay")) return;
      const key = e.key.toLowerCase();
      const redo = (key === "z" && e.shiftKey) || (key === "y" && !e.shiftKey);
      const undo = key === "z" && !e.shiftKey;
      if (!undo && !redo) return;
      e.preventDefault();
      void step(undo);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [enabled, step]);

  return {
    canUndo: state.undoSteps > 0,
    canRedo: state.redoSteps > 0,
    undoLabel: state.undoLabel,
    redoLabel: state.redoLabel,
    undo: () => void step(true),
    redo: () => void step(false),
  };
}
