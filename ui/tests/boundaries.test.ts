// @vitest-environment node
// Only src/ipc may import @tauri-apps: the repository passes the check, and the check does
// catch an offending import.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("../scripts/check-boundaries.mjs", import.meta.url));
const run = (dir?: string) => {
  try {
    execFileSync(process.execPath, dir ? [script, dir] : [script], { stdio: "pipe" });
    return 0;
  } catch (e) {
    return (e as { status: number }).status;
  }
};

describe("import boundary", () => {
  it("holds for src/", () => {
    expect(run()).toBe(0);
  });
  it("rejects @tauri-apps imports outside src/ipc", () => {
    const dir = mkdtempSync(join(tmpdir(), "pulsemap-boundary-"));
    try {
      mkdirSync(join(dir, "ipc"));
      writeFileSync(join(dir, "ipc", "ok.ts"), 'import { invoke } from "@tauri-apps/api/core";\n');
      expect(run(dir)).toBe(0);
      writeFileSync(join(dir, "Bad.tsx"), 'import { listen } from "@tauri-apps/api/event";\n');
      expect(run(dir)).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
