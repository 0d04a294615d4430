#!/usr/bin/env node
// Browser smoke test of the built UI (ui/dist) against the in-browser IPC fake (fake-ipc.js):
// serves dist with the fake injected, drives headless Chromium with playwright-core through
// every screen, asserts what each one must show, and saves screenshots to
// ../target/ui-screenshots/ (relative to the repo root) for people to look at.
import { createServer } from "node:http";
import { mkdirSync, readFileSync, existsSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { a11ySteps } from "./a11y.mjs";
import { keyboardSteps } from "./keyboard.mjs";
import { expectAxeClean } from "./axe.mjs";
import { cardsSteps } from "./cards.mjs";
import { travelSteps } from "./travel.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const dist = join(here, "..", "dist");
const shots = join(here, "..", "..", "target", "ui-screenshots");
const chromiumPath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
mkdirSync(shots, { recursive: true });
if (!existsSync(join(dist, "index.html"))) {
  console.error("ui/dist is missing: run npm run build first");
  process.exit(1);
}

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png" };
// The charts and the card engine first: fake-ipc.js computes cached values with them.
const fake = ["fake-charts.js", "fake-cards.js", "fake-ipc.js"].map((f) => readFileSync(join(here, f), "utf8")).join("\n");
const server = createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  if (url.pathname === "/__fake-ipc.js") {
    res.writeHead(200, { "content-type": "text/javascript" }).end(fake);
    return;
  }
  const rel = url.pathname === "/" ? "index.html" : normalize(url.pathname).replace(/^[/\\]+/, "");
  const file = join(dist, rel);
  if (!file.startsWith(dist) || !existsSync(file)) {
    res.writeHead(404).end("not found");
    return;
  }
  let body = readFileSync(file);
  if (rel === "index.html") {
    body = body.toString().replace("<head>", '<head><script src="/__fake-ipc.js"></script>');
  }
  res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" }).end(body);
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const failures = [];
const figures = [];
const errors = [];
let n = 0;
let lastPage = null;

async function open(scenario = "connected", viewport = { width: 1440, height: 900 }) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  lastPage = page;
  page.on("pageerror", (e) => errors.push(`${scenario}: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && errors.push(`${scenario}: console ${m.text()}`));
  await page.goto(`${base}/?scenario=${scenario}`);
  return page;
}
/**
 * Screenshot of the page, or of one element (`target`, a locator) when given. Every screen
 * photographed is also checked by axe-core (serious/critical → failure).
 */
async function shot(page, name, target) {
  await expectAxeClean(page, name);
  n += 1;
  const file = join(shots, `${String(n).padStart(2, "0")}-${name}.png`);
  await (target ?? page).screenshot({ path: file });
  console.log(`  screenshot ${file}`);
}
/** ONLY=<regex> runs the matching steps alone (for debugging one screen). */
const only = process.env.ONLY ? new RegExp(process.env.ONLY, "i") : null;
async function step(name, fn) {
  if (only && !only.test(name)) return;
  try {
    await fn();
    console.log(`ok   ${name}`);
  } catch (e) {
    failures.push(`${name}: ${e.message.split("\n")[0]}`);
    // What the screen showed when the step failed, for the person reading the log.
    if (lastPage && !lastPage.isClosed())
      await lastPage.screenshot({ path: join(shots, `FAILED-${name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60)}.png`) }).catch(() => {});
    console.log(`FAIL ${name}: ${e.message.split("\n")[0]}`);
  }
}
/** Waits (up to 5 s) until the element shows `expected`; React may render it a frame later. */
async function expectText(page, testId, expected, timeout = 5000) {
  const loc = page.getByTestId(testId).first();
  await loc.waitFor({ timeout });
  const deadline = Date.now() + timeout;
  let text = await loc.innerText();
  while (!text.includes(expected) && Date.now() < deadline) {
    await page.waitForTimeout(50);
    text = await loc.innerText();
  }
  if (!text.includes(expected)) throw new Error(`[data-testid=${testId}] shows "${text}", expected "${expected}"`);
}

await step("map editor paints cached values and asks for a background refresh", async () => {
  const page = await open();
  await page.getByTestId("metric-card").first().waitFor();
  await expectText(page, "map-title", "Customer onboarding");
  const values = await page.getByTestId("metric-value").allInnerTexts();
  // The values the fake's card engine computed from its synthetic responses.
  const cached = await page.evaluate(() =>
    Object.fromEntries(window.__fake.maps[0].cards.filter((c) => c.cachedValue).map((c) => [c.card.content.config.name, c.cachedValue.value])),
  );
  const npsText = `${Math.round(cached["Onboarding NPS by plan"]) > 0 ? "+" : ""}${Math.round(cached["Onboarding NPS by plan"])}`;
  const csatText = `${cached["CSAT trend"].toFixed(1)}%`;
  if (!values.includes(npsText)) throw new Error(`NPS not shown as ${npsText}: ${values}`);
  if (!values.includes(csatText)) throw new Error(`CSAT not shown as ${csatText}: ${values}`);
  await page.getByTestId("metric-chart").first().waitFor();
  if (await page.evaluate(() => window.__pwned)) throw new Error("chart SVG script executed");
  const html = await page.getByTestId("metric-chart").first().innerHTML();
  if (html.includes("<script")) throw new Error("script survived sanitising");
  const calls = await page.evaluate(() => window.__fake.refreshCalls);
  if (!calls.some((c) => c.force === false)) throw new Error("refresh_map(mapId, false) not called on open");
  await page.getByTestId("card-problem-questionDeleted").waitFor();
  await page.getByTestId("card-problem-noData").waitFor();
  await expectAxeClean(page, "map editor");
  await shot(page, "map-editor");

  await page.getByTestId("formula-info").first().hover();
  await page.waitForTimeout(200);
  await shot(page, "formula-tooltip");

  await page.evaluate(() =>
    window.__fake.emit("refresh-progress", { surveyId: "SV_onboarding", phase: { phase: "exporting", percent: 42 } }),
  );
  await expectText(page, "refresh-progress", "Refreshing Onboarding Experience — exporting 42%");
  await page.getByTestId("card-refreshing").first().waitFor();
  await shot(page, "refreshing");
  await page.evaluate(() =>
    window.__fake.emit("refresh-progress", { surveyId: "SV_onboarding", phase: { phase: "importing", rows: 12000 } }),
  );
  await expectText(page, "refresh-progress", "importing 12,000 rows");
  await page.evaluate(() =>
    window.__fake.emit("refresh-finished", { surveyId: "SV_onboarding", ok: false, error: { kind: "network", message: "offline" } }),
  );
  await expectText(page, "refresh-warning", "Offline");
  const still = await page.getByTestId("metric-value").allInnerTexts();
  if (!still.includes(npsText)) throw new Error("cached values lost after a failed refresh");
  await shot(page, "refresh-failed");

  await page.getByTestId("refresh-now").click();
  await page.waitForTimeout(100);
  const forced = await page.evaluate(() => window.__fake.refreshCalls);
  if (!forced.some((c) => c.force === true)) throw new Error("Refresh now did not call refresh_map(mapId, true)");

  // Keyboard reordering of a stage.
  const first = page.getByTestId("stage-header").first();
  await first.focus();
  await page.keyboard.press("Alt+ArrowRight");
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=stage-header]")[1]?.textContent?.includes("Discover"));
  await expectText(page, "announcer", "Stage Discover moved to position 2 of 4");
  const focused = await page.evaluate(() => document.activeElement?.textContent ?? "");
  if (!focused.includes("Discover")) throw new Error("focus did not follow the moved stage");
  await shot(page, "keyboard-reorder");

  await page.getByTestId("export-menu").click();
  await shot(page, "export-menu");
  await page.getByTestId("export-png").click();
  await expectText(page, "export-saved", "customer-onboarding.png");
  await page.close();
});

await step("cards move between cells by drag and drop", async () => {
  const page = await open();
  await page.getByTestId("metric-card").first().waitFor();
  const card = page.locator('[data-testid=card]', { hasText: "Website, G2 reviews" });
  const target = page.locator('[data-testid=cell]').nth(2 * 4 + 1);
  // Drop on the empty space just below the card already there: appended after it. (Not the
  // cell's bottom edge: a row of tall metric cards puts that below the window.) The row is
  // taller than what fits under the card above it, so bring the whole cell into view first.
  await target.evaluate((el) => el.scrollIntoView({ block: "end" }));
  const box = await target.boundingBox();
  const there = await target.getByTestId("card").last().boundingBox();
  await card.dragTo(target, { targetPosition: { x: 12, y: there.y + there.height - box.y + 6 } });
  await page.waitForFunction(() => {
    const cells = document.querySelectorAll("[data-testid=cell]");
    return cells[9]?.textContent?.includes("Website, G2 reviews");
  });
  const moved = await page.evaluate(() => window.__fake.calls.filter((c) => c.cmd === "move_card").map((c) => c.args));
  if (moved.length !== 1 || moved[0].position !== 1) throw new Error(`unexpected move_card calls ${JSON.stringify(moved)}`);
  await shot(page, "card-dragged");
  await page.close();
});

await step("Refresh now shows a visible spinner and Refreshing… while the request is pending", async () => {
  const page = await open();
  await page.getByTestId("metric-card").first().waitFor();
  await page.evaluate(() => (window.__fake.holdRefresh = true));
  await page.getByTestId("refresh-now").click();
  await expectText(page, "refresh-now", "Refreshing…");
  const spinner = page.getByTestId("refresh-now").getByRole("progressbar");
  const box = await spinner.boundingBox();
  if (!box || box.width < 10 || box.height < 10) throw new Error(`spinner has no size: ${JSON.stringify(box)}`);
  // Drawn as SVG (a faint ring and an opaque arc in the button's text colour) that rotates
  // by itself: the arc's rotation angle moves between two reads.
  const look = async () =>
    spinner.evaluate((el) => {
      const arc = el.querySelector("path");
      const anim = el.querySelector("animateTransform");
      const cs = getComputedStyle(arc);
      const angle = arc.transform.animVal.numberOfItems ? arc.transform.animVal.getItem(0).angle : null;
      return { stroke: cs.stroke, strokeWidth: cs.strokeWidth, opacity: getComputedStyle(el).opacity, repeat: anim && anim.getAttribute("repeatCount"), angle };
    });
  const first = await look();
  await page.waitForTimeout(120);
  const second = await look();
  if (/rgba\(0, 0, 0, 0\)|none|transparent/.test(first.stroke) || first.strokeWidth === "0px" || Number(first.opacity) < 0.5 || first.repeat !== "indefinite")
    throw new Error(`spinner not visible: ${JSON.stringify(first)}`);
  if (first.angle === null || first.angle === second.angle)
    throw new Error(`spinner does not turn: ${JSON.stringify([first, second])}`);
  await page.getByTestId("refresh-now").screenshot({ path: join(shots, "refresh-now-pending.png") });
  await shot(page, "refresh-now-pending");
  await page.evaluate(() => window.__fake.releaseRefresh());
  await expectText(page, "refresh-now", "Refresh now");
  await page.close();
});

await step("metric cards reserve their chart's space while the SVG loads", async () => {
  const page = await open("slowCharts");
  await page.getByTestId("metric-value").first().waitFor();
  const card = page.locator('[data-testid="metric-card"]:has([data-testid="metric-chart-placeholder"])').first();
  await card.waitFor({ timeout: 1000 });
  const id = await card.getAttribute("data-card-id");
  const before = (await card.boundingBox()).height;
  await shot(page, "charts-loading");
  const loaded = page.locator(`[data-testid="metric-card"][data-card-id="${id}"]`);
  await loaded.getByTestId("metric-chart").waitFor({ timeout: 5000 });
  const after = (await loaded.boundingBox()).height;
  if (Math.abs(after - before) > 2) throw new Error(`card height jumped from ${before}px to ${after}px when its chart arrived`);
  await page.close();
});

await step("a map wider than the window shows it scrolls sideways", async () => {
  const page = await open("connected", { width: 1280, height: 800 });
  await page.getByTestId("metric-card").first().waitFor();
  await page.getByTestId("stage-add").click();
  await page.getByTestId("stage-add-input").fill("Renew");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="stage-header"]').length === 5);
  // Focus stays on "Add stage" (at the far right), which scrolled the map there: back to the start.
  await page.getByTestId("map-scroll").evaluate((el) => (el.scrollLeft = 0));
  await page.getByTestId("map-scroll-more-right").waitFor({ timeout: 2000 });
  // (Headless Chromium hides scrollbars, so the always-drawn scrollbar is not checked here.)
  await shot(page, "wide-map-scroll-cue");
  await page.getByTestId("map-scroll").evaluate((el) => (el.scrollLeft = el.scrollWidth));
  await page.getByTestId("map-scroll-more-right").waitFor({ state: "detached", timeout: 2000 });
  await page.getByTestId("map-scroll-more-left").waitFor({ timeout: 2000 });
  await shot(page, "wide-map-scrolled-end");
  await page.close();
});

await step("loading skeleton while the map opens", async () => {
  const page = await open("slow");
  await page.getByTestId("map-loading").waitFor();
  await shot(page, "map-loading");
  await page.getByTestId("map-grid").waitFor({ timeout: 6000 });
  await page.close();
});

await step("metric card modal: survey, question, calculations, live preview", async () => {
  const page = await open();
  await page.getByTestId("metric-card").first().waitFor();
  await page.getByTestId("add-card").nth(4).click();
  await page.getByTestId("add-metric-card").click();
  await page.getByTestId("metric-modal").waitFor();
  await page.waitForTimeout(300);
  const early = await page.getByTestId("metric-modal").locator(".field__error").allInnerTexts();
  if (early.length) throw new Error(`validation shown before any input: ${early}`);
  await shot(page, "metric-modal-new");
  await page.getByTestId("metric-save").click();
  await page.getByTestId("metric-form-invalid").waitFor();
  await expectAxeClean(page, "card dialog with validation errors");
  await shot(page, "metric-modal-validation");
  await page.getByTestId("metric-survey").click();
  await page.getByTestId("metric-survey").fill("onboard");
  await page.getByRole("option", { name: /Onboarding Experience/ }).waitFor();
  await expectAxeClean(page, "survey combobox open");
  await page.getByRole("option", { name: /Onboarding Experience/ }).click();
  await page.getByTestId("metric-question").selectOption("QID1");
  const calcs = await page.getByTestId("metric-calculation").locator("option").allInnerTexts();
  if (!calcs.some((c) => c.startsWith("NPS"))) throw new Error(`NPS missing for a 0-10 question: ${calcs}`);
  await page.getByTestId("metric-group-by").selectOption("q:QID4");
  await page.waitForFunction(() => window.__fake.calls.some((c) => c.cmd === "preview_metric" && c.args.config.groupBy.kind === "question"));
  const previewNps = await page.evaluate(() => {
    const config = window.__fake.calls.filter((c) => c.cmd === "preview_metric").pop().args.config;
    return Math.round(window.__fake.compute(config).value);
  });
  await expectText(page, "preview-value", `${previewNps > 0 ? "+" : ""}${previewNps}`);
  await page.waitForTimeout(300);
  await expectAxeClean(page, "card dialog with a live preview");
  await shot(page, "metric-modal-preview");
  await page.getByTestId("metric-save").click();
  await page.getByTestId("metric-modal").waitFor({ state: "detached" });
  const count = await page.getByTestId("metric-card").count();
  if (count !== 6) throw new Error(`expected 6 metric cards after adding one, got ${count}`);
  await page.close();
});

await step("metric card modal lists the Question Types survey's questions and their calculations", async () => {
  const page = await open();
  await page.getByTestId("metric-card").first().waitFor();
  await page.getByTestId("add-card").nth(4).click();
  await page.getByTestId("add-metric-card").click();
  await page.getByTestId("metric-survey").click();
  await page.getByTestId("metric-survey").fill("types");
  await page.getByRole("option", { name: /Question Types/ }).click();
  const q = page.getByTestId("metric-question");
  await q.locator("option", { hasText: "Where are you?" }).waitFor({ state: "attached" });
  const texts = await q.locator("option").allInnerTexts();
  for (const want of ["recommend", "0 to 100", "agree", "channels", "Rank", "100 points", "Importance", "contact", "Where"])
    if (!texts.some((t) => t.includes(want))) throw new Error(`question list lacks "${want}": ${texts}`);
  // Headless Chromium does not paint a native select's popup: show the list expanded instead.
  await q.evaluate((el) => { el.size = el.options.length; el.style.height = "auto"; });
  await shot(page, "metric-modal-question-types");
  await q.evaluate((el) => { el.size = 0; el.style.height = ""; });
  await q.selectOption("QID2");
  await page.locator("#metric-subq").selectOption("2");
  const calcs = await page.getByTestId("metric-calculation").locator("option").allInnerTexts();
  const want = ["Average", "Median", "Min", "Max", "Sum", "Distribution", "Count"];
  const got = calcs.filter((c) => c.trim() !== "" && !/^choose|select/i.test(c));
  if (got.length !== want.length || !want.every((w, i) => got[i].startsWith(w)))
    throw new Error(`slider row offers ${got}, the core's list is ${want}`);
  await shot(page, "metric-modal-slider-row");
  // Group by offers each matrix row and drill-down level (`QIDn.<row>`), never the whole
  // question; the preview is computed grouped by the chosen row.
  await q.selectOption("QID1");
  const group = page.getByTestId("metric-group-by");
  const rows = await group.locator("optgroup[label='Matrix row'] option").evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
  if (JSON.stringify(rows) !== JSON.stringify([["q:QID18.1", "Agree — Easy to use"], ["q:QID18.2", "Agree — Worth the price"], ["q:QID19.1", "Compare — Onboarding"], ["q:QID19.2", "Compare — Support"]]))
    throw new Error(`matrix rows offered: ${JSON.stringify(rows)}`);
  const levels = await group.locator("optgroup[label='Drill-down level'] option").evaluateAll((os) => os.map((o) => o.value));
  if (JSON.stringify(levels) !== JSON.stringify(["q:QID17.1", "q:QID17.2"])) throw new Error(`drill-down levels offered: ${levels}`);
  await group.selectOption("q:QID18.1");
  await page.waitForFunction(() => window.__fake.calls.some((c) => c.cmd === "preview_metric" && c.args.config.groupBy.questionId === "QID18.1"));
  await group.evaluate((el) => { el.size = el.options.length; el.style.height = "auto"; });
  await shot(page, "metric-modal-group-by-matrix-row");
  // A numeric text entry offers the numeric statistics, and the preview says which answers
  // were left out for not being numbers.
  await group.evaluate((el) => { el.size = 0; el.style.height = ""; });
  await q.selectOption("QID20");
  await expectText(page, "metric-question-type", "Text entry (numbers)");
  const numeric = (await page.getByTestId("metric-calculation").locator("option").allInnerTexts()).filter((c) => !/^choose|select|pick/i.test(c.trim()) && c.trim());
  const wantNumeric = ["Average", "Median", "Min", "Max", "Sum", "Count"];
  if (numeric.length !== wantNumeric.length || !wantNumeric.every((w, i) => numeric[i].startsWith(w))) throw new Error(`numeric text entry offers ${numeric}`);
  await page.getByTestId("metric-calculation").selectOption({ label: numeric[0] });
  await expectText(page, "preview-problem-skippedAnswers", "2 answers to Hours are not a number and were left out.");
  await shot(page, "metric-modal-numeric-text-entry");
  await page.close();
});

await step("metric modal with no visible surveys explains how to share them", async () => {
  const page = await open("noSurveys");
  await page.getByTestId("metric-card").first().waitFor();
  await page.getByTestId("add-card").first().click();
  await page.getByTestId("add-metric-card").click();
  await page.getByTestId("metric-survey").click();
  await expectText(page, "metric-survey-empty", "share surveys with maria.lopez@acme.example");
  await shot(page, "metric-modal-no-surveys");
  await page.close();
});

await step("presentation mode is read-only and Escape exits", async () => {
  const page = await open();
  await page.getByTestId("metric-card").first().waitFor();
  await page.getByTestId("present").click();
  await page.getByTestId("presentation").waitFor();
  const overlay = page.getByTestId("presentation");
  if ((await overlay.getByTestId("add-card").count()) !== 0 || (await overlay.getByTestId("card-actions").count()) !== 0)
    throw new Error("editing chrome visible in presentation");
  await page.waitForTimeout(300);
  await expectAxeClean(page, "presentation (connected)");
  await shot(page, "presentation");
  await page.keyboard.press("Escape");
  await page.getByTestId("presentation").waitFor({ state: "detached" });
  await page.close();
});

await step("integrations: saved configuration, edit with a rejected token, then a good one", async () => {
  const page = await open();
  await page.getByTestId("nav-integrations").click();
  await expectText(page, "masked-secret", "••••a1b2");
  await expectAxeClean(page, "integrations (connected)");
  await shot(page, "integrations-connected");
  await page.getByTestId("edit-configuration").click();
  await page.getByTestId("token-input").fill("bad");
  await page.getByTestId("save-connection").click();
  await page.getByTestId("validating").waitFor();
  await shot(page, "integrations-validating");
  await expectText(page, "banner-token-rejected", "Qualtrics IDs");
  await expectAxeClean(page, "integrations form with a rejected token");
  await shot(page, "integrations-token-rejected");
  await page.getByTestId("base-url-input").fill("https://nope");
  await page.getByTestId("token-input").fill("goodtoken9z8y");
  await page.getByTestId("save-connection").click();
  await expectText(page, "banner-invalid-base-url", "datacenter host");
  await page.getByTestId("base-url-input").fill("fra1.qualtrics.com");
  await page.getByTestId("save-connection").click();
  await expectText(page, "banner-connected", "4 surveys");
  await expectText(page, "masked-secret", "••••9z8y");
  await shot(page, "integrations-saved");
  await page.getByTestId("delete-configuration").click();
  await page.getByTestId("confirm-dialog").waitFor();
  await expectAxeClean(page, "delete confirmation");
  await shot(page, "integrations-delete-confirm");
  await page.getByTestId("confirm-ok").click();
  await page.getByTestId("start-demo").waitFor();
  await page.close();
});

await step("integrations: cached responses per survey, cleared after a confirmation", async () => {
  const page = await open();
  await page.getByTestId("nav-integrations").click();
  const panel = page.getByTestId("response-cache");
  await panel.scrollIntoViewIfNeeded();
  await expectText(page, "response-cache-table", "Onboarding Experience");
  await expectAxeClean(page, "cached responses");
  await shot(page, "integrations-response-cache");
  await page.getByTestId("response-cache-clear").first().click();
  await page.getByTestId("confirm-dialog").waitFor();
  await expectAxeClean(page, "clear cached responses confirmation");
  await shot(page, "integrations-response-cache-confirm");
  await page.getByTestId("confirm-ok").click();
  await expectText(page, "response-cache-message", "Cleared the cached responses of Onboarding Experience");
  await shot(page, "integrations-response-cache-cleared");
  await page.close();
});

await step("not configured: explanation and demo data", async () => {
  const page = await open("notConfigured");
  await page.getByTestId("nav-integrations").click();
  await page.getByTestId("not-configured").waitFor();
  await expectAxeClean(page, "integrations (not configured)");
  await shot(page, "integrations-not-configured");
  await page.getByTestId("start-demo").click();
  await expectText(page, "banner-connected", "Connection established");
  await page.close();
});

await step("revoked token: global banner with a link to settings", async () => {
  const page = await open("revoked");
  await expectText(page, "global-connection-banner", "Token revoked");
  await page.getByTestId("metric-card").first().waitFor();
  await expectAxeClean(page, "map with the revoked-token banner");
  await shot(page, "token-revoked-banner");
  await page.getByTestId("global-banner-settings").click();
  await page.getByTestId("integrations-page").waitFor();
  await page.close();
});

await step("setup guidance before the token or OAuth secret is pasted", async () => {
  const page = await open("notConfigured");
  await page.getByTestId("nav-integrations").click();
  await expectText(page, "guidance-dedicated-account", "dedicated connector account");
  await expectText(page, "guidance-where", "Account Settings › Qualtrics IDs › API › Generate Token");
  await expectText(page, "guidance-where", "only once");
  await expectText(page, "guidance-regenerate", "revokes the old one and breaks every integration");
  await page.getByTestId("setup-guidance-token").scrollIntoViewIfNeeded();
  await shot(page, "setup-guidance-token");
  await page.getByTestId("auth-method-oauth").click();
  await expectText(page, "guidance-where", "OAuth clients › Create client");
  await expectText(page, "guidance-where", "read:surveys and read:survey_responses");
  await expectText(page, "guidance-once", "cannot show it again later");
  await page.getByTestId("setup-guidance-oauth").scrollIntoViewIfNeeded();
  await shot(page, "setup-guidance-oauth");
  await page.close();
});

await step("token revoked names a deactivated account and links to its guide section", async () => {
  const page = await open("revoked");
  await page.getByTestId("nav-integrations").click();
  await expectText(page, "banner-token-revoked", "account it belongs to was deactivated");
  await expectText(page, "banner-token-revoked", "token from an active account (ideally a dedicated connector account)");
  await shot(page, "integrations-token-revoked");
  await page.getByTestId("banner-token-revoked").getByTestId("guide-link-token-revoked").click();
  await page.getByTestId("guide-page").waitFor();
  const focused = await page.evaluate(() => document.activeElement?.id);
  if (focused !== "token-revoked") throw new Error(`guide opened at "${focused}", expected token-revoked`);
  const top = await page.evaluate(() => document.getElementById("token-revoked").getBoundingClientRect().top);
  if (top < 0 || top > 120) throw new Error(`the Token revoked section is not at the top of the view (top=${top})`);
  await shot(page, "guide-token-revoked");
  await page.close();
});

await step("a 403 during a refresh shows the missing API permission, not a base URL problem", async () => {
  const page = await open("permissionMissing");
  await expectText(page, "global-connection-banner", "API permission missing");
  await page.getByTestId("metric-card").first().waitFor();
  await shot(page, "permission-missing-banner");
  await page.getByTestId("global-banner-settings").click();
  await expectText(page, "banner-permission-missing", "Brand Administrator");
  const text = await page.getByTestId("banner-permission-missing").innerText();
  if (text.includes("base URL (your datacenter host)")) throw new Error("403 shown as a base URL problem");
  await shot(page, "integrations-permission-missing");
  await page.getByTestId("guide-link-permission-missing").click();
  await page.waitForFunction(() => document.activeElement?.id === "permission-missing");
  await shot(page, "guide-permission-missing");
  await page.close();
});

await step("secret age and the rotation reminder, with a configurable period", async () => {
  const page = await open("rotationDue");
  await page.getByTestId("nav-integrations").click();
  await expectText(page, "banner-rotation-due", "saved 120 days ago (reminder after 90 days)");
  await expectText(page, "saved-configuration", "120 days ago");
  await expectText(page, "saved-configuration", "Last validated");
  await shot(page, "integrations-rotation-due");
  await page.getByTestId("rotation-days-input").fill("180");
  await page.getByTestId("rotation-days-save").click();
  await page.getByTestId("banner-rotation-due").waitFor({ state: "detached" });
  await expectText(page, "banner-connected", "Connection established");
  await shot(page, "integrations-rotation-period-180");
  await page.close();
});

await step("failing OAuth token requests raise a reminder", async () => {
  const page = await open("oauthFailing");
  await page.getByTestId("nav-integrations").click();
  await expectText(page, "banner-oauth-token-failing", "OAuth token requests are failing");
  await expectText(page, "banner-token-revoked", "Client credentials revoked");
  await shot(page, "integrations-oauth-token-failing");
  await page.close();
});

await step("Help opens the Connecting Qualtrics guide", async () => {
  const page = await open();
  await page.getByTestId("nav-guide").click();
  await expectText(page, "guide-page", "Before you start: use a dedicated connector account");
  await expectText(page, "guide-page", "Data looks wrong");
  await shot(page, "guide");
  // The native Help menu sends the same request as an event.
  await page.getByTestId("nav-integrations").click();
  await page.evaluate(() => window.__fake.emit("open-guide", "data-looks-wrong"));
  await page.waitForFunction(() => document.activeElement?.id === "data-looks-wrong");
  await shot(page, "guide-from-help-menu");
  await page.close();
});

await step("debug configuration downloads redacted data by default", async () => {
  const page = await open();
  await page.getByTestId("nav-debug").click();
  if (!(await page.getByTestId("debug-redact").isChecked())) throw new Error("redaction not on by default");
  await page.getByTestId("debug-survey").click();
  await page.getByTestId("debug-survey").fill("support");
  await page.getByRole("option", { name: /Support Satisfaction/ }).click();
  await page.getByTestId("debug-download").click();
  await expectText(page, "debug-saved", "pulsemap-debug-SV_support.zip");
  await expectAxeClean(page, "support data");
  await shot(page, "debug-configuration");
  await page.close();
});

await step("no maps yet: empty states", async () => {
  const page = await open("empty");
  await page.getByTestId("map-list-empty").waitFor();
  await page.getByTestId("home-empty").waitFor();
  await expectAxeClean(page, "no maps yet");
  await shot(page, "empty-app");
  await page.getByTestId("map-create").click();
  await page.getByTestId("map-create-input").fill("Trial journey");
  await page.keyboard.press("Enter");
  await page.getByTestId("map-empty").waitFor();
  await expectAxeClean(page, "empty map");
  await shot(page, "empty-map");
  await page.getByTestId("map-start").click();
  await page.getByTestId("stage-header").waitFor();
  await shot(page, "first-stage");
  await page.close();
});

await step("wrong datacenter: the banner names the right host and switches in one click", async () => {
  const page = await open("wrongDatacenter");
  await page.getByTestId("nav-integrations").click();
  await expectText(page, "banner-wrong-datacenter", "lives on iad1.qualtrics.com");
  await expectAxeClean(page, "integrations (wrong datacenter)");
  await shot(page, "wrong-datacenter-banner");
  await page.getByTestId("use-suggested-host").click();
  await expectText(page, "banner-connected", "Connection established");
  await page.close();
});

await travelSteps({ open, shot, step, expectText });
await cardsSteps({ open, shot, step, expectText });

await a11ySteps({ open, shot, step, expectText, figures });
await keyboardSteps({ open, shot, step, figures });

await browser.close();
server.close();
if (figures.length) console.log(`\nfigures:\n  ${figures.join("\n  ")}`);
if (errors.length) failures.push(...errors.map((e) => `page error: ${e}`));
if (failures.length) {
  console.error(`\n${failures.length} failure(s):\n  ${failures.join("\n  ")}`);
  process.exit(1);
}
console.log(`\nall browser checks passed; ${n} screenshots in ${shots}`);
