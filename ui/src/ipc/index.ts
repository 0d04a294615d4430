/**
 * The UI's only door to the Tauri shell: commands (`api`), events (`events`), error mapping
 * and wire types. Tests replace this module with `vi.mock`.
 */
export { api } from "./commands";
export type { Api } from "./commands";
export { events } from "./events";
export type { Events } from "./events";
export { IpcError, toIpcError, isErrorKind } from "./errors";
export * from "./types";
export { questionList } from "./questions";
export type { QuestionInfo } from "./questions";
