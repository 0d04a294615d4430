/**
 * What to tell the user about the Qualtrics connection.
 *
 * Contract: `connectionNotice` maps a ConnectionStatus (or a save error kind) to a banner with
 * a tone, a title, specific guidance and the section of the Connecting Qualtrics guide that
 * explains the fix. It branches on `state`/`kind` only, never on text.
 */
import { GUIDE_SECTIONS as G, type GuideSection } from "../help/guide";
import type { ConnectionReminder, ConnectionStatus, ErrorKind, IpcError } from "../ipc";
import { dataAsOfText } from "./cardFacts";
import { formatCount, relativeTime } from "./format";

export type Tone = "success" | "error" | "warning" | "info";

export interface Notice {
  tone: Tone;
  /** Stable id used as data-testid suffix, e.g. "token-rejected". */
  id: string;
  title: string;
  body: string;
  /** The datacenter host to switch to in one click (wrong-datacenter notices only). */
  useHost?: string;
  /** The guide section that explains the fix (null for notices with nothing to fix). */
  guide?: GuideSection | null;
}

export function noticeForKind(kind: ErrorKind, oauth = false, userName?: string | null): Notice {
  switch (kind) {
    case "network":
      return {
        tone: "error",
        id: "connection-failed",
        title: "Connection failed",
        body: "Qualtrics could not be reached. Check the base URL (your datacenter host) and your network connection, then try again.",
        guide: G.connectionFailed,
      };
    case "invalidBaseUrl":
      return {
        tone: "error",
        id: "invalid-base-url",
        title: "Invalid base URL",
        body: "Enter only your datacenter host, for example iad1.qualtrics.com (no path, no http://).",
        guide: G.connectionFailed,
      };
    case "unauthorized":
      return {
        tone: "error",
        id: "token-rejected",
        title: oauth ? "Client credentials rejected" : "Token rejected",
        body: oauth
          ? "Qualtrics did not accept this client id and secret. Check them in Qualtrics > Account settings > Qualtrics IDs > OAuth clients."
          : "Qualtrics did not accept this API token. Paste the whole token from Account settings > Qualtrics IDs > API again, and check that the base URL is that account's datacenter. Nothing was saved.",
        guide: G.tokenRejected,
      };
    case "tokenRevoked":
      return {
        tone: "error",
        id: "token-revoked",
        title: oauth ? "Client credentials revoked" : "Token revoked",
        body: oauth
          ? "The saved client credentials no longer work: the client secret was replaced or the client deleted, or the Qualtrics account that owns the client was deactivated. Reconnect with a client secret from an active account (ideally a dedicated connector account) via Edit configuration. Cached values stay visible meanwhile."
          : "The saved token no longer works: it was regenerated or revoked, or the Qualtrics account it belongs to was deactivated. Reconnect with a token from an active account (ideally a dedicated connector account) via Edit configuration. Cached values stay visible meanwhile.",
        guide: G.tokenRevoked,
      };
    case "noSurveys":
      return {
        tone: "warning",
        id: "no-surveys",
        title: "No surveys visible",
        body: `The connection works but ${userName ? userName : "this token's user"} cannot see any survey. Share your surveys with ${userName ? userName : "that user"} in Qualtrics, or use a token of a user who owns them.`,
        guide: G.noSurveys,
      };
    case "wrongDatacenter":
      return {
        tone: "warning",
        id: "wrong-datacenter",
        title: "Wrong datacenter",
        body: "These credentials belong to another Qualtrics datacenter than the base URL. Qualtrics forwards every call, which is slower: use your own datacenter host.",
        guide: G.wrongDatacenter,
      };
    case "keychainUnavailable":
      return {
        tone: "error",
        id: "keychain-unavailable",
        title: "System keychain unavailable",
        body: "Pulsemap stores secrets only in the OS keychain, and none is available or it is locked. Unlock or start your keychain (Secret Service) and save again.",
        guide: G.keychainUnavailable,
      };
    case "forbidden":
      return {
        tone: "error",
        id: "permission-missing",
        title: "API permission missing",
        body: `Qualtrics accepted the ${oauth ? "client credentials" : "token"} but refuses to list surveys or export responses: ${userName ? userName : "the account"} lacks the API permission${oauth ? " (or the client the read:surveys and read:survey_responses scopes)" : ""}. Ask your Qualtrics Brand Administrator to enable it. This is not a base URL or network problem; cached values stay available.`,
        guide: G.permissionMissing,
      };
    case "rateLimited":
      return {
        tone: "warning",
        id: "rate-limited",
        title: "Qualtrics is rate limiting",
        body: "Too many requests in a short time. Wait a minute and try again.",
        guide: G.connectionFailed,
      };
    case "notConfigured":
      return {
        tone: "info",
        id: "not-configured",
        title: "Not connected",
        body: "Connect Qualtrics to see live survey metrics.",
        guide: G.dedicatedAccount,
      };
    default:
      return {
        tone: "error",
        id: "error",
        title: "Something went wrong",
        body: "The connection could not be saved. Try again; if it persists, download the survey data for support from Support data.",
        guide: G.dataLooksWrong,
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
        guide: G.wrongDatacenter,
      };
    }
    case "permissionMissing":
      return noticeForKind("forbidden", oauth, status.userName);
    case "offline":
      return offlineNotice(status);
  }
}

/**
 * Started without a network but with cached data: a neutral notice with the time of the data
 * shown, not the "check your base URL" failure (nothing is wrong with the configuration).
 */
export function offlineNotice(status: Pick<ConnectionStatus, "cachedDataAsOf">): Notice {
  const asOf = dataAsOfText(status.cachedDataAsOf);
  return {
    tone: "info",
    id: "offline",
    title: asOf ? `Offline: showing data from ${asOf}` : "Offline: showing cached data",
    body: "Qualtrics cannot be reached from this computer right now (no network, or it timed out). Cards show the values cached then, and refresh once the connection is back.",
    guide: G.connectionFailed,
  };
}

/** The rotate-your-secret / failing-OAuth reminder shown on Integrations, if one is due. */
export function noticeForReminder(reminder: ConnectionReminder | null, oauth: boolean, now: Date): Notice | null {
  if (!reminder) return null;
  const secret = oauth ? "client secret" : "API token";
  switch (reminder.kind) {
    case "rotationDue":
      return {
        tone: "warning",
        id: "rotation-due",
        title: `Time to rotate the ${secret}`,
        body: `The ${secret} was saved ${reminder.ageDays} days ago (reminder after ${reminder.rotationDays} days). Generate a new one for the connector account, then paste it with Edit configuration. Generating a new ${oauth ? "secret" : "token"} revokes the old one wherever it is used, so update those places too.`,
        guide: G.rotation,
      };
    case "oauthTokenFailing":
      return {
        tone: "warning",
        id: "oauth-token-failing",
        title: "OAuth token requests are failing",
        body: `Since ${relativeTime(reminder.since, now)}, Pulsemap could not get an access token with the saved client ID and secret. If the client secret was replaced or the client deleted in Qualtrics, create a new secret and paste it with Edit configuration.`,
        guide: G.tokenRevoked,
      };
  }
}

export function noticeForError(error: IpcError, oauth: boolean): Notice {
  return noticeForKind(error.kind, oauth);
}

/** States that deserve the global banner above every screen. */
export function isBadState(status: ConnectionStatus | null): boolean {
  return (
    !!status &&
    (status.state === "offline" ||
      status.state === "tokenRevoked" ||
      status.state === "tokenRejected" ||
      status.state === "connectionFailed" ||
      status.state === "permissionMissing" ||
      status.state === "keychainUnavailable")
  );
}
