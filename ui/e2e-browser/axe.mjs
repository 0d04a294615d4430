// axe-core in the browser checks: injected into the page under test, run on the whole
// document, and every serious or critical violation (plus the structural rules the app must
// keep: one <main>, heading order, content in landmarks, one banner) becomes a failure.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** Rules enforced whatever their impact (moderate in axe), because the issue named them. */
const ALWAYS = new Set(["landmark-one-main", "heading-order", "region", "landmark-no-duplicate-banner", "landmark-unique"]);

/** Runs axe on the page; returns one line per violation that counts (empty when clean). */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.addScriptTag({ content: AXE_SOURCE });
  // Let transitions (menus fading in, tooltips) settle so colours are read as displayed.
  await page.waitForTimeout(250);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => `${n.target.join(" ")}${n.any[0] ? ` (${n.any[0].message})` : ""}`),
    }));
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical" || ALWAYS.has(v.id))
    .map((v) => `${v.impact} ${v.id} on ${v.nodes.length} element(s): ${v.nodes.slice(0, 3).join("; ")}`);
}

/** Fails (throws) when axe finds a violation that counts on this screen. */
export async function expectAxeClean(page, screen) {
  const found = await axeViolations(page);
  if (found.length) throw new Error(`axe on ${screen}: ${found.join(" | ")}`);
  console.log(`  axe: ${screen} clean`);
}
