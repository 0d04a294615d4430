/**
 * Subscriptions to the shell's events.
 *
 * Contract: each `on*` returns an unsubscribe function synchronously usable in a React effect
 * cleanup, even though Tauri's `listen` resolves asynchronously.
 */
import { listen } from "@tauri-apps/api/event";
import type { MapValuesUpdated, MenuAction, RefreshFinished, RefreshProgress } from "./types";

function subscribe<T>(event: string, handler: (payload: T) => void): () => void {
  let disposed = false;
  let unlisten: (() => void) | null = null;
  listen<T>(event, (e) => {
    if (!disposed) handler(e.payload);
  })
    .then((fn) => {
      if (disposed) fn();
      else unlisten = fn;
    })
    .catch(() => {
      // No event bridge (e.g. a plain browser): nothing to unsubscribe.
    });
  return () => {
    disposed = true;
    unlisten?.();
  };
}

export const events = {
  onRefreshProgress: (h: (p: RefreshProgress) => void) => subscribe("refresh-progress", h),
  onRefreshFinished: (h: (p: RefreshFinished) => void) => subscribe("refresh-finished", h),
  onMapValuesUpdated: (h: (p: MapValuesUpdated) => void) => subscribe("map-values-updated", h),
  /**
   * `open-guide`: the shell's Help menu asks for the Connecting Qualtrics guide; the payload
   * is a section anchor (e.g. "token-revoked") or null for the top.
   */
  onOpenGuide: (h: (section: string | null) => void) => subscribe("open-guide", h),
  onMenuAction: (h: (p: MenuAction) => void) => subscribe("menu-action", h),
};

export type Events = typeof events;
