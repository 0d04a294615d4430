/**
 * Normalises anything a command can throw into `IpcError { kind, message }`.
 *
 * Contract: the shell rejects with `{ kind, message }`; strings (Tauri's own failures, e.g. an
 * unknown command) and JS errors become `internal`. The UI branches on `kind` only.
 */
import type { ErrorKind, IpcErrorPayload } from "./types";

// Every kind of the generated union, once: tsc rejects a missing or unknown key, so the list
// follows core's `ErrorKind` (the union itself comes from the ts-rs binding).
const KIND_SET: Record<ErrorKind, true> = {
  network: true,
  invalidBaseUrl: true,
  unauthorized: true,
  tokenRevoked: true,
  forbidden: true,
  notFound: true,
  rateLimited: true,
  exportFailed: true,
  malformed: true,
  noSurveys: true,
  wrongDatacenter: true,
  keychainUnavailable: true,
  notConfigured: true,
  invalidInput: true,
  storage: true,
  internal: true,
  mapFileInvalid: true,
  mapFileTooNew: true,
  mapReadOnly: true,
  refreshRunning: true,
};
const KINDS: ReadonlySet<string> = new Set(Object.keys(KIND_SET));

export class IpcError extends Error implements IpcErrorPayload {
  readonly kind: ErrorKind;

  constructor(kind: ErrorKind, message: string) {
    super(message);
    this.name = "IpcError";
    this.kind = kind;
  }
}

export function isErrorKind(value: unknown): value is ErrorKind {
  return typeof value === "string" && KINDS.has(value);
}

/** Maps a rejection value to an IpcError (never throws). */
export function toIpcError(raw: unknown): IpcError {
  if (raw instanceof IpcError) return raw;
  if (raw && typeof raw === "object") {
    const obj = raw as Record<string, unknown>;
    const message =
      typeof obj.message === "string" && obj.message.length > 0 ? obj.message : "Unexpected error";
    if (isErrorKind(obj.kind)) return new IpcError(obj.kind, message);
    return new IpcError("internal", message);
  }
  if (typeof raw === "string" && raw.length > 0) return new IpcError("internal", raw);
  return new IpcError("internal", "Unexpected error");
}
