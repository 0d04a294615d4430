// @vitest-environment node
// One IPC contract: every type crossing IPC is a generated ts-rs binding. `src/ipc/types.ts`
// only re-exports `./bindings/*`, and no other ipc file declares a wire shape by hand (an
// interface, or an alias to an object or string-literal type); the check itself is shown to
// catch both.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ipcDir = fileURLToPath(new URL("../src/ipc", import.meta.url));
const read = (name: string) => readFileSync(join(ipcDir, name), "utf8");
const withoutComments = (src: string) => src.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");

/** Statements of a types module that are not a re-export of a generated binding. */
function handWrittenInTypes(src: string): string[] {
  return withoutComments(src)
    .split(";")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .filter((s) => !/^export type \{ (\w+)( as \w+)? \} from "\.\/bindings\/\1"$/.test(s));
}

/** Hand-declared wire shapes in any other ipc module. */
function handWrittenShapes(src: string): string[] {
  const code = withoutComments(src);
  const interfaces = code.match(/\binterface\s+\w+/g) ?? [];
  const aliases = code.match(/\btype\s+\w+(<[^>]*>)?\s*=\s*[{"'|]/g) ?? [];
  return [...interfaces, ...aliases];
}

describe("IPC types", () => {
  it("types.ts only re-exports generated bindings, each of which exists", () => {
    const src = read("types.ts");
    expect(handWrittenInTypes(src)).toEqual([]);
    const generated = new Set(readdirSync(join(ipcDir, "bindings")).map((f) => f.replace(/\.ts$/, "")));
    const named = [...src.matchAll(/from "\.\/bindings\/(\w+)"/g)].map((m) => m[1]);
    expect(named.filter((n) => !generated.has(n))).toEqual([]);
    expect(named).toEqual(expect.arrayContaining(["AppInfo", "MetricPreview", "RefreshFinished", "MapValuesUpdated", "ExportFormat", "CommandError", "MenuAction"]));
  });

  it("no other ipc module declares a wire shape by hand", () => {
    const modules = readdirSync(ipcDir).filter((f) => f.endsWith(".ts") && f !== "types.ts");
    expect(modules.length).toBeGreaterThan(3);
    for (const f of modules) expect([f, handWrittenShapes(read(f))]).toEqual([f, []]);
  });

  it("the checks catch a hand-written type", () => {
    expect(handWrittenInTypes('export type { A } from "./bindings/A";\nexport interface AppInfo { version: string }\n')).toHaveLength(1);
    expect(handWrittenInTypes('export type ExportFormat = "png" | "pdf";')).toHaveLength(1);
    expect(handWrittenShapes("export interface RefreshFinished { ok: boolean }")).toHaveLength(1);
    expect(handWrittenShapes('export type ExportFormat = "png" | "pdf";')).toHaveLength(1);
    expect(handWrittenShapes("type Payload = { mapId: string };")).toHaveLength(1);
    expect(handWrittenShapes("export type Api = typeof api;")).toEqual([]);
  });
});
