/**
 * The "Connecting Qualtrics" guide (docs/CONNECTING-QUALTRICS.md, bundled into the build as
 * text) and the sections banners link to.
 *
 * Contract: `GUIDE_SECTIONS` names every section a banner may link to by its anchor, which is
 * the GitHub-style slug of its heading (`slugify`), so the same links work in the repository
 * and in the app's guide view. Tests check each anchor exists in the markdown.
 */
import { createContext, useContext } from "react";
import guideText from "../../../docs/CONNECTING-QUALTRICS.md?raw";

export const GUIDE_MARKDOWN: string = guideText;

export const GUIDE_SECTIONS = {
  dedicatedAccount: "before-you-start-use-a-dedicated-connector-account",
  apiToken: "get-an-api-token",
  oauth: "or-oauth-client-credentials",
  connect: "connect-pulsemap",
  rotation: "keep-it-working-rotation",
  connectionFailed: "connection-failed",
  wrongDatacenter: "wrong-datacenter",
  tokenRejected: "token-rejected",
  permissionMissing: "permission-missing",
  noSurveys: "no-surveys",
  dataLooksWrong: "data-looks-wrong",
  tokenRevoked: "token-revoked",
  keychainUnavailable: "keychain-unavailable",
} as const;

export type GuideSection = (typeof GUIDE_SECTIONS)[keyof typeof GUIDE_SECTIONS];

/** `value` when it names a guide section (e.g. an anchor sent by the shell's Help menu). */
export function asGuideSection(value: unknown): GuideSection | undefined {
  return (Object.values(GUIDE_SECTIONS) as string[]).includes(value as string) ? (value as GuideSection) : undefined;
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
export function slugify(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, "")
    .replace(/\s/g, "-");
}

/** Opens the guide view, scrolled to `section` (the top when omitted). */
export type OpenGuide = (section?: GuideSection) => void;

/** Provided by the shell; `null` where no guide view exists (links are then not shown). */
export const GuideContext = createContext<OpenGuide | null>(null);

export function useOpenGuide(): OpenGuide | null {
  return useContext(GuideContext);
}
