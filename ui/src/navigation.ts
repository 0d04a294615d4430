/**
 * The app's routes and a context giving any screen the shell's `navigate`, so an empty state
 * deep inside a page (e.g. the metric card dialog without a connection) can link to
 * Integrations. Outside the shell (component tests) `navigate` does nothing.
 */
import { createContext, useContext } from "react";
import type { GuideSection } from "./help/guide";

export type Route =
  | { name: "home" }
  | { name: "map"; mapId: string }
  | { name: "integrations" }
  | { name: "debug" }
  | { name: "guide"; section?: GuideSection };

export const NavigateContext = createContext<(r: Route) => void>(() => {});

export function useNavigate(): (r: Route) => void {
  return useContext(NavigateContext);
}
