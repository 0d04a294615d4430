/**
 * What to tell the user about the Qualtrics connection.
 *
 * Contract: `connectionNotice` maps a ConnectionStatus (or a save error kind) to a banner with
 * a tone, a title and specific guidance. It branches on `state`/`kind` only, never on text.
 */
import type { ConnectionStatus, ErrorKind, IpcError } from "../ipc";
import { formatCount } from "./format";

export type Tone = "success" | "error" | "warning" | "info";

export interface Notice {
  tone: Tone;
  /** Stable id used as data-testid suffix, e.g. "token-rejected". */
  id: string;
  title: string;
  body: string;
  /** The datacenter host to switch to in one click (wrong-datacenter notices only). */
  useHost?: string;
}

const QUALTRICS_IDS = "Generate a new token in Qualtrics > Account settings > Qualtrics IDs, then paste it here.";

export function noticeForKind(kind: ErrorKind, oauth = false, userName?: string | null): Notice {
  switch (kind) {
    case "network":
      return {
        tone: "error",
        id: "connection-failed",
        title: "Connection failed",
        body: "Qualtrics could not be reached. Check the base URL (your datacenter host) and your network connection, then try again.",
      };
    case "invalidBaseUrl":
      return {
        tone: "error",
        id: "invalid-base-url",
        title: "Invalid base URL",
        body: "Enter only your datacenter host, for example iad1.qualtrics.com (no path, no http://).",
      };
    case "unauthorized":
      return {
        tone: "error",
        id: "token-rejected",
        title: oauth ? "Client credentials rejected" : "Token rejected",
        body: oauth
          ? "Qualtrics did not accept this client id and secret. Check them in Qualtrics > Account settings > Qualtrics IDs > OAuth clients."
          : `Qualtrics did not accept this API token. ${QUALTRICS_IDS}`,
      };
    case "tokenRevoked":
      return {
        tone: "error",
        id: "token-revoked",
        title: "Token revoked",
        body: `The saved token no longer works (it was regenerated or revoked). Reconnect: ${QUALTRICS_IDS} Cached values stay visible meanwhile.`,
      };
    case "noSurveys":
      return {
        tone: "warning",
        id: "no-surveys",
        title: "No surveys visible",
        body: `The connection works but ${userName ? userName : "this token's user"} cannot see any survey. Share your surveys with ${userName ? userName : "that user"} in Qualtrics, or use a token of a user who owns them.`,
      };
    case "wrongDatacenter":
      return {
        tone: "warning",
        id: "wrong-datacenter",
        title: "Wrong datacenter",
        body: "These credentials belong to another Qualtrics datacenter than the base URL. Qualtrics forwards every call, which is slower: use your own datacenter host.",
      };
    case "keychainUnavailable":
      return {
        tone: "error",
        id: "keychain-unavailable",
        title: "System keychain unavailable",
        body: "Pulsemap stores secrets only in the OS keychain, and none is available or it is locked. Unlock or start your keychain (Secret Service) and save again.",
      };
    case "forbidden":
      return {
        tone: "error",
        id: "forbidden",
        title: "Permission missing",
        body: "The token's user lacks an API permission. Ask your Qualtrics brand administrator to enable API access for this user.",
      };
    case "rateLimited":
      return {
        tone: "warning",
        id: "rate-limited",
        title: "Qualtrics is rate limiting",
        body: "Too many requests in a short time. Wait a minute and try again.",
      };
    case "notConfigured":
      return {
        tone: "info",
        id: "not-configured",
        title: "Not connected",
        body: "Connect Qualtrics to see live survey metrics.",
      };
    default:
      return {
        tone: "error",
        id: "error",
        title: "Something went wrong",
        body: "The connection could not be saved. Try again; if it persists, download the survey data for support from Support data.",
      };
  }
}

export function noticeForStatus(status: ConnectionStatus): Notice | null {
  const oauth = status.authMethod === "oauth";
  switch (status.state) {
    case "connected": {
      const facts = [
        status.userName && `user ${status.userName}`,
        status.brandId && `brand ${status.brandId}`,
        status.datacenter && `datacenter ${status.datacenter}`,
        status.surveyCount !== null && `${formatCount(status.surveyCount)} surveys`,
      ].filter(Boolean);
      return {
        tone: "success",
        id: "connected",
        title: "Connection established",
        body: facts.length ? `Connected as ${facts.join(" · ")}.` : "Connected to Qualtrics.",
      };
    }
    case "notConfigured":
      return null;
    case "connectionFailed":
      return noticeForKind("network", oauth);
    case "tokenRejected":
      return noticeForKind("unauthorized", oauth);
    case "noSurveys":
      return noticeForKind("noSurveys", oauth, status.userName);
    case "tokenRevoked":
      return noticeForKind("tokenRevoked", oauth);
    case "keychainUnavailable":
      return noticeForKind("keychainUnavailable", oauth);
    case "wrongDatacenter": {
      const right = status.suggestedBaseUrl;
      if (!right) return noticeForKind("wrongDatacenter", oauth);
      return {
        tone: "warning",
        id: "wrong-datacenter",
        title: "Wrong datacenter",
        body: `Your Qualtrics account lives on ${right}, but this connection uses ${status.baseUrl ?? "another host"}. Qualtrics forwards every call there, which is slower. Use ${right} instead.`,
        useHost: right,
      };
    }
  }
}

export function noticeForError(error: IpcError, oauth: boolean): Notice {
  return noticeForKind(error.kind, oauth);
}

/** States that deserve the global banner above every screen. */
export function isBadState(status: ConnectionStatus | null): boolean {
  return (
    !!status &&
    (status.state === "tokenRevoked" ||
      status.state === "tokenRejected" ||
      status.state === "connectionFailed" ||
      status.state === "keychainUnavailable")
  );
}
