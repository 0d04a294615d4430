// Browser checks of maps that travel (issue 14): undo/redo (buttons, keys, labels), templates,
// duplicate and save as template, importing a map file whose survey this connection cannot
// see (replacement by export tag, or leave unbound), a workshop pack read-only on an install
// with no connection, and presenting for a room (stage stepping, large type at 1920x1080,
// "data as of" stamp). Each screen is screenshotted and checked with axe-core.
import { expectAxeClean } from "./axe.mjs";

const count = (page, testId) => page.getByTestId(testId).count();
const stageNames = (page) => page.getByTestId("stage-header").evaluateAll((els) => els.map((e) => e.getAttribute("aria-label")?.match(/^Stage (.*), \d+ of/)?.[1] ?? e.textContent));
const calls = (page, cmd) => page.evaluate((c) => window.__fake.calls.filter((x) => x.cmd === c).length, cmd);

async function waitFor(page, what, fn, arg, timeout = 5000) {
  try {
    await page.waitForFunction(fn, arg, { timeout });
  } catch {
    throw new Error(`timed out waiting for ${what}`);
  }
}

export async function travelSteps({ open, shot, step, expectText }) {
  await step("undo and redo: buttons and keys, named steps, a deleted stage returns with its cards", async () => {
    const page = await open();
    await page.getByTestId("metric-card").first().waitFor();
    const undo = page.getByTestId("map-undo");
    const redo = page.getByTestId("map-redo");
    if (!(await undo.isDisabled()) || !(await redo.isDisabled())) throw new Error("undo/redo enabled with no history");
    const cardsBefore = await count(page, "card");
    // Delete the "Onboard" stage (it holds "Invites teammates..." and the NPS card).
    const onboard = page.getByTestId("stage-header").nth(2);
    await onboard.getByTestId("stage-actions").click();
    await page.getByTestId("stage-delete").click();
    await expectText(page, "confirm-dialog", "Undo");
    await page.getByTestId("confirm-ok").click();
    await waitFor(page, "the stage to go", () => document.querySelectorAll("[data-testid=stage-header]").length === 3);
    const cardsAfter = await count(page, "card");
    if (cardsAfter >= cardsBefore) throw new Error(`cards of the deleted stage still shown (${cardsBefore} -> ${cardsAfter})`);
    await waitFor(page, "Undo to be enabled", () => !document.querySelector("[data-testid=map-undo]").disabled);
    const label = await undo.getAttribute("aria-label");
    if (label !== "Undo delete stage 'Onboard'") throw new Error(`undo button says "${label}"`);
    const title = await undo.getAttribute("title");
    if (!/^Undo delete stage 'Onboard' \((Ctrl|⌘)\+Z\)$/.test(title)) throw new Error(`undo tooltip "${title}"`);
    await expectAxeClean(page, "map with an undo step");
    await undo.hover();
    await shot(page, "undo-after-stage-delete");

    // Ctrl+Z on the page: the stage and its very cards return.
    await page.locator("body").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("Control+z");
    await waitFor(page, "the stage to return", () => document.querySelectorAll("[data-testid=stage-header]").length === 4);
    if ((await count(page, "card")) !== cardsBefore) throw new Error("undo did not bring every card back");
    if (!(await page.getByText("Onboarding NPS by plan").count())) throw new Error("the stage's metric card did not return");
    await expectText(page, "announcer", "Undid delete stage 'Onboard'");
    await waitFor(page, "Redo to be enabled", () => !document.querySelector("[data-testid=map-redo]").disabled);
    if ((await redo.getAttribute("aria-label")) !== "Redo delete stage 'Onboard'") throw new Error("redo not named");
    await shot(page, "undo-restored-stage");

    // Ctrl+Shift+Z redoes, the Undo button undoes, Ctrl+Y redoes.
    await page.keyboard.press("Control+Shift+z");
    await waitFor(page, "redo", () => document.querySelectorAll("[data-testid=stage-header]").length === 3);
    await undo.click();
    await waitFor(page, "undo by button", () => document.querySelectorAll("[data-testid=stage-header]").length === 4);
    await page.locator("body").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("Control+y");
    await waitFor(page, "redo by Ctrl+Y", () => document.querySelectorAll("[data-testid=stage-header]").length === 3);
    await redo.isDisabled();

    // Typing in a text field: Ctrl+Z belongs to the field, the map is not undone.
    const before = await calls(page, "undo_map");
    const first = page.getByTestId("stage-header").first();
    await first.focus();
    await page.keyboard.press("F2");
    const input = page.getByTestId("stage-name-input");
    await input.waitFor();
    await input.fill("Discover more");
    await page.keyboard.press("Control+z");
    await page.waitForTimeout(150);
    if ((await calls(page, "undo_map")) !== before) throw new Error("Ctrl+Z in a text field undid a map edit");
    if ((await stageNames(page)).length !== 3) throw new Error("map changed while typing");
    await page.keyboard.press("Escape");
    await page.close();
  });

  await step("new map from a template: descriptions, stage preview; suggested cards ask for a survey", async () => {
    const page = await open();
    await page.getByTestId("metric-card").first().waitFor();
    await page.getByTestId("map-add-menu").click();
    await page.getByTestId("map-from-template").click();
    await page.getByTestId("template-picker").waitFor();
    await page.getByTestId("template-option").nth(2).waitFor();
    if ((await count(page, "template-option")) !== 3) throw new Error("expected the three built-in templates");
    await expectText(page, "template-list", "Support case");
    await expectText(page, "template-list", "Resolution");
    await expectAxeClean(page, "template picker");
    await shot(page, "template-picker");
    await page.getByTestId("template-option").nth(2).click();
    const name = await page.getByTestId("template-map-name").inputValue();
    if (name !== "Support case") throw new Error(`map name follows the template: "${name}"`);
    await page.getByTestId("template-map-name").fill("Q4 support case");
    await page.getByTestId("template-create").click();
    await expectText(page, "map-title", "Q4 support case");
    const stages = await stageNames(page);
    if (stages.join("|") !== "Problem|Contact|Diagnosis|Resolution|Follow-up") throw new Error(`stages ${stages}`);
    await page.getByTestId("metric-unbound").nth(2).waitFor();
    await expectText(page, "notice", "from a template");
    await expectAxeClean(page, "map from a template");
    await shot(page, "map-from-template");
    await page.getByTestId("metric-bind").first().click();
    await page.getByTestId("metric-modal").waitFor();
    await page.getByTestId("metric-survey").waitFor();
    await shot(page, "template-card-asks-for-survey");
    await page.keyboard.press("Escape");
    await page.close();
  });

  await step("duplicate a map and save it as a template", async () => {
    const page = await open();
    await page.getByTestId("metric-card").first().waitFor();
    await page.getByTestId("map-actions").first().click();
    await page.getByTestId("map-duplicate").click();
    await expectText(page, "map-title", "Customer onboarding (copy)");
    await page.getByTestId("metric-card").first().waitFor();
    await page.getByTestId("map-actions").first().click();
    await page.getByTestId("map-save-template").click();
    await page.getByTestId("save-template").waitFor();
    await page.getByTestId("save-template-name").fill("Our onboarding");
    await expectAxeClean(page, "save as template");
    await shot(page, "save-as-template");
    await page.getByTestId("save-template-ok").click();
    await expectText(page, "notice", "Our onboarding");
    await page.getByTestId("map-add-menu").click();
    await page.getByTestId("map-from-template").click();
    await expectText(page, "template-list", "Our onboarding");
    await page.close();
  });

  await step("import a map file whose survey is not visible: replacement by export tag", async () => {
    const page = await open();
    await page.getByTestId("metric-card").first().waitFor();
    await page.getByTestId("map-add-menu").click();
    await page.getByTestId("map-import").click();
    await page.getByTestId("import-dialog").waitFor();
    await expectText(page, "import-survey-missing", "Partner Program Survey 2025");
    await expectText(page, "import-survey-missing", "Q1, Q9");
    await expectText(page, "import-survey-visible", "Support Satisfaction");
    await expectAxeClean(page, "import dialog");
    await shot(page, "import-missing-survey");
    await page.getByTestId("import-replacement").selectOption("SV_onboarding");
    await expectText(page, "import-tags-summary", "Not in this survey: Q9");
    const found = await page.getByTestId("import-tag-found").allInnerTexts();
    const missing = await page.getByTestId("import-tag-missing").allInnerTexts();
    if (!found.join().includes("Q1") || !missing.join().includes("Q9")) throw new Error(`tags ${found} / ${missing}`);
    await expectAxeClean(page, "import dialog with a replacement");
    await shot(page, "import-replacement-tags");
    await page.getByTestId("import-ok").click();
    await expectText(page, "map-title", "Partner journey");
    const imports = await page.evaluate(() => window.__fake.imports);
    const reps = JSON.stringify(imports[0].options.replacements);
    if (reps !== JSON.stringify([{ from: "SV_partner", to: "SV_onboarding" }])) throw new Error(`replacements sent ${reps}`);
    await expectText(page, "notice", "1 card now uses the replacement survey");
    if ((await count(page, "metric-unbound")) !== 1) throw new Error("the card whose tag is missing should be unbound");
    await shot(page, "imported-with-replacement");
    await page.close();
  });

  await step("import a map file and leave the unseen survey's cards unbound", async () => {
    const page = await open();
    await page.getByTestId("metric-card").first().waitFor();
    await page.getByTestId("map-add-menu").click();
    await page.getByTestId("map-import").click();
    await page.getByTestId("import-dialog").waitFor();
    await page.getByTestId("import-ok").click();
    await expectText(page, "map-title", "Partner journey");
    const imports = await page.evaluate(() => window.__fake.imports);
    if (imports[0].options.replacements.length !== 0) throw new Error("leave unbound sent a replacement");
    await page.getByTestId("metric-unbound").nth(1).waitFor();
    if ((await count(page, "metric-unbound")) !== 2) throw new Error("both cards of the unseen survey should be unbound");
    await expectText(page, "notice", "2 cards need a survey and question");
    await expectAxeClean(page, "imported map with unbound cards");
    await shot(page, "imported-left-unbound");
    await page.close();
  });

  await step("a fresh install with no connection opens a workshop pack from the welcome screen", async () => {
    const page = await open("fresh");
    await page.getByTestId("home-empty").waitFor();
    await page.evaluate(() => (window.__fake.pickPath = window.__fake.PACK));
    await expectAxeClean(page, "welcome with map-file actions");
    await shot(page, "welcome-open-pack");
    await page.getByTestId("home-import").click();
    await expectText(page, "import-pack-note", "read-only");
    await page.getByTestId("import-ok").click();
    await page.getByTestId("map-pack-badge").waitFor();
    await page.getByTestId("map-pack-badge-sidebar").waitFor();
    await expectText(page, "notice", "read-only workshop pack");
    await page.close();
  });

  await step("a workshop pack with no Qualtrics connection: read-only, frozen values, presents", async () => {
    const page = await open("pack");
    await page.getByTestId("metric-card").first().waitFor();
    await page.getByTestId("map-pack-badge-sidebar").waitFor();
    await expectText(page, "map-pack-badge", "data as of Nov 28, 2026");
    await expectText(page, "pack-read-only", "Duplicate it to make changes");
    const values = await page.getByTestId("metric-value").allInnerTexts();
    // The snapshot's values: what the fake's card engine computed for the designer.
    const frozen = await page.evaluate(() => window.__fake.maps[0].cards.filter((c) => c.cachedValue?.value != null).length);
    if (values.filter((v) => v !== "—").length !== frozen) throw new Error(`snapshot values not shown: ${values}`);
    // Each card says the pack's stamp, not the designer's "updated X ago" nor Stale (this
    // install never synced the pack's surveys).
    const stamps = await page.getByTestId("metric-data-as-of").allInnerTexts();
    const metricCards = await count(page, "metric-card");
    if (stamps.length !== metricCards || !stamps.every((t) => /^Data as of 2[89] Nov 2026, \d\d:\d\d$/.test(t.trim())))
      throw new Error(`pack cards' freshness: ${JSON.stringify(stamps)} on ${metricCards} cards`);
    for (const id of ["metric-updated", "metric-stale", "metric-full-sync"])
      if (await count(page, id)) throw new Error(`${id} shown on a workshop pack's card`);
    for (const id of ["add-card", "stage-add", "lane-add", "card-actions", "stage-actions", "map-undo", "refresh-now"])
      if (await count(page, id)) throw new Error(`editing control ${id} shown on a read-only pack`);
    const refreshes = await page.evaluate(() => window.__fake.refreshCalls.length);
    if (refreshes) throw new Error("a workshop pack was refreshed");
    await page.getByTestId("map-actions").first().click();
    if (await count(page, "map-rename")) throw new Error("a pack offers Rename");
    await page.keyboard.press("Escape");
    await expectAxeClean(page, "workshop pack (read-only)");
    await shot(page, "pack-read-only");
    await page.getByTestId("export-menu").click();
    await page.getByTestId("export-pdf").click();
    await expectText(page, "export-saved", ".pdf");
    await page.getByTestId("present").click();
    await page.getByTestId("presentation").waitFor();
    await expectText(page, "present-data-as-of", "Data as of Nov 28, 2026");
    await page.waitForTimeout(300);
    await expectAxeClean(page, "workshop pack presented");
    await shot(page, "pack-presented");
    await page.close();
  });

  await step("presentation for a room at 1920x1080: arrow keys step through stages, large type, data as of", async () => {
    const page = await open("connected", { width: 1920, height: 1080 });
    await page.getByTestId("metric-card").first().waitFor();
    await page.getByTestId("present").click();
    const overlay = page.getByTestId("presentation");
    await overlay.waitFor();
    await expectText(page, "present-position", "All stages");
    await expectText(page, "present-data-as-of", "Data as of");
    const stamp = await page.getByTestId("present-data-as-of").boundingBox();
    if (!stamp || stamp.y < 0 || stamp.y + stamp.height > 1080 || stamp.x + stamp.width > 1920) throw new Error("data-as-of stamp off screen");
    await page.keyboard.press("ArrowRight");
    await expectText(page, "present-position", "Stage 1 of 4");
    await expectText(page, "present-announcer", "Stage 1 of 4: Discover");
    await page.keyboard.press("ArrowRight");
    await expectText(page, "present-announcer", "Stage 2 of 4: Sign up");
    const classes = await overlay.getByTestId("stage-header").evaluateAll((els) => els.map((e) => e.className));
    if (!classes[1].includes("is-current") || !classes[0].includes("is-dimmed") || !classes[2].includes("is-dimmed"))
      throw new Error(`highlight wrong: ${classes}`);
    const dimmed = await overlay.getByTestId("present-cell").evaluateAll((els) => els.filter((e) => e.classList.contains("is-dimmed")).length);
    if (dimmed !== 3 * 3) throw new Error(`expected 9 dimmed cells, got ${dimmed}`);
    await page.waitForTimeout(300);
    await expectAxeClean(page, "presentation, stage 2 highlighted");
    await shot(page, "present-stage-2");
    await page.getByTestId("present-next").click();
    await page.getByTestId("present-next").click();
    await expectText(page, "present-position", "Stage 4 of 4");
    if (!(await page.getByTestId("present-next").isDisabled())) throw new Error("Next enabled on the last stage");
    await page.keyboard.press("ArrowLeft");
    await expectText(page, "present-position", "Stage 3 of 4");

    await page.keyboard.press("l");
    await waitFor(page, "large type", () => document.querySelector("[data-testid=present-large]")?.getAttribute("aria-pressed") === "true");
    await page.waitForTimeout(400);
    // Rendered sizes (font size x zoom) at 1920x1080: readable from the back of a room.
    const sizes = await overlay.evaluate((root) => {
      const zoom = Number(root.querySelector("[data-testid=present-grid]").dataset.zoom);
      const px = (sel) => parseFloat(getComputedStyle(root.querySelector(sel)).fontSize) * zoom;
      return { zoom, value: px("[data-testid=metric-value]"), title: px("[data-testid=metric-name]"), text: px("[data-testid=text-card-text]"), stage: px("[data-testid=stage-header]") };
    });
    if (sizes.value < 80 || sizes.title < 28 || sizes.text < 26 || sizes.stage < 36)
      throw new Error(`large type too small: ${JSON.stringify(sizes)}`);
    console.log(`  large type at 1920x1080: ${JSON.stringify(sizes)}`);
    // The highlighted stage is scrolled into view.
    const cur = await overlay.getByTestId("stage-header").nth(2).boundingBox();
    if (!cur || cur.x < 0 || cur.x + cur.width > 1920) throw new Error(`highlighted stage off screen: ${JSON.stringify(cur)}`);
    await expectAxeClean(page, "presentation, large type");
    await shot(page, "present-large-type-1920");
    await page.keyboard.press("L");
    await waitFor(page, "normal type", () => document.querySelector("[data-testid=present-large]")?.getAttribute("aria-pressed") === "false");
    await page.keyboard.press("Escape");
    await overlay.waitFor({ state: "detached" });
    await page.close();
  });
}
