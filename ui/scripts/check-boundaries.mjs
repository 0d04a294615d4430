#!/usr/bin/env node
// Fails when a file outside src/ipc/ imports @tauri-apps/* (only the ipc layer may talk to Tauri).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

// Optional argument: the source directory to check (tests point it at a temporary tree).
const root = process.argv[2] ?? join(fileURLToPath(new URL(".", import.meta.url)), "..", "src");
const offenders = [];
const pattern = /(from\s+|import\s*\(\s*|import\s+|require\s*\(\s*)["']@tauri-apps\//;

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.(ts|tsx|js|jsx|mjs)$/.test(name)) {
      const rel = relative(root, path);
      if (rel.startsWith(`ipc${sep}`)) continue;
      if (pattern.test(readFileSync(path, "utf8"))) offenders.push(rel);
    }
  }
}

walk(root);
if (offenders.length) {
  console.error(`Only src/ipc/ may import @tauri-apps/*; found in:\n  ${offenders.join("\n  ")}`);
  process.exit(1);
}
console.log("ok: only src/ipc imports @tauri-apps");
