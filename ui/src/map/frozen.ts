/**
 * The "data as of" stamp of a workshop pack, for the cards painted inside it.
 *
 * Contract: `null` (the default) on an ordinary map. A read-only pack's grid and presentation
 * provide `map.dataAsOf`: its cards' values were computed on the designer's install and are
 * frozen, so a card shows this stamp instead of "updated X ago" (the designer's compute time,
 * meaningless here) and no Stale badge (this install never syncs the pack's surveys).
 */
import { createContext, useContext } from "react";

export const FrozenAsOf = createContext<string | null>(null);

/** The pack stamp the card is painted under, if any. */
export function useFrozenAsOf(): string | null {
  return useContext(FrozenAsOf);
}
