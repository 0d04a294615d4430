// Keyboard-only use of the map editor, the card dialog and presentation (issue 12, point 7):
// every action below is reached and done with key presses only (Tab, arrows, Enter, F2,
// Alt+arrows, Escape, typing) — no click, no programmatic focus — and each step checks what
// changed. Screenshots of the focus states are saved (keyboard-*.png) to be looked at; the
// shared `shot` also runs axe-core on each of them.

/** Test id (or tag) of the focused element and its text. */
async function focused(page) {
  return page.evaluate(() => {
    const a = document.activeElement;
    return { id: a?.getAttribute("data-testid") ?? a?.tagName.toLowerCase() ?? "none", text: (a?.textContent ?? "").trim().slice(0, 80) };
  });
}

/**
 * Presses `key` (Tab or Shift+Tab) until the focused element matches `selector` (and, when
 * `selector` is `[selector, text]`, contains `text`).
 */
async function tabTo(page, selector, what, key = "Tab", max = 250) {
  const [sel, text] = Array.isArray(selector) ? selector : [selector, ""];
  for (let i = 0; i < max; i++) {
    const hit = await page.evaluate(([s, t]) => !!document.activeElement?.matches(s) && document.activeElement.textContent.includes(t), [sel, text]);
    if (hit) return i;
    await page.keyboard.press(key);
  }
  throw new Error(`${what}: ${key} never reached ${selector} (focus on ${JSON.stringify(await focused(page))})`);
}

async function names(page, testId) {
  return page.getByTestId(testId).evaluateAll((els) => els.map((e) => e.querySelector("h2")?.textContent?.trim() ?? ""));
}

async function expectNames(page, testId, expected, what) {
  const deadline = Date.now() + 2000;
  let got = await names(page, testId);
  while (JSON.stringify(got) !== JSON.stringify(expected) && Date.now() < deadline) {
    await page.waitForTimeout(40);
    got = await names(page, testId);
  }
  if (JSON.stringify(got) !== JSON.stringify(expected)) throw new Error(`${what}: ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
}

/** Types a new name into the focused field (replacing what it holds) and presses Enter. */
async function typeName(page, name) {
  await page.keyboard.press("Control+A");
  await page.keyboard.type(name);
  await page.keyboard.press("Enter");
}

/** Opens the focused menu button with Enter and picks the item named `label` by arrows. */
async function pickMenuItem(page, label, what) {
  await page.keyboard.press("Enter");
  await page.getByRole("menu").waitFor();
  for (let i = 0; i < 8; i++) {
    const f = await focused(page);
    if (f.text === label) {
      await page.keyboard.press("Enter");
      return;
    }
    await page.keyboard.press("ArrowDown");
  }
  throw new Error(`${what}: no menu item "${label}"`);
}

/** An axis (stage or lane): add, rename (F2), move (Alt+arrow), delete (menu + confirm). */
async function axisByKeyboard(page, shot, axis) {
  const header = `[data-testid=${axis}-header]`;
  const before = await names(page, `${axis}-header`);
  // Add.
  await tabTo(page, `[data-testid=${axis}-add]`, `${axis}: Add`);
  await page.keyboard.press("Enter");
  await page.getByTestId(`${axis}-add-input`).waitFor();
  await page.keyboard.type(axis === "stage" ? "Advocate" : "Feelings");
  await page.keyboard.press("Enter");
  const added = [...before, axis === "stage" ? "Advocate" : "Feelings"];
  await expectNames(page, `${axis}-header`, added, `${axis} added`);
  // Rename the new one: back to its header, F2, type.
  await tabTo(page, `${header}[aria-label*="${added.at(-1)}"]`, `${axis}: new header`, "Shift+Tab");
  await shot(page, `keyboard-${axis}-header-focused`);
  await page.keyboard.press("F2");
  await page.getByTestId(`${axis}-name-input`).waitFor();
  const renamed = axis === "stage" ? "Recommend" : "Emotions";
  await typeName(page, renamed);
  const afterRename = [...before, renamed];
  await expectNames(page, `${axis}-header`, afterRename, `${axis} renamed`);
  // Move it one place back (Alt+Left / Alt+Up); the focus stays on it.
  await tabTo(page, `${header}[aria-label*="${renamed}"]`, `${axis}: renamed header`, "Shift+Tab");
  await page.keyboard.press(axis === "stage" ? "Alt+ArrowLeft" : "Alt+ArrowUp");
  const moved = [...before.slice(0, -1), renamed, before.at(-1)];
  await expectNames(page, `${axis}-header`, moved, `${axis} moved`);
  // Delete it: its actions menu (the next Tab stop), Delete, confirm.
  await tabTo(page, `${header}[aria-label*="${renamed}"]`, `${axis}: moved header keeps focus`, "Shift+Tab", 1);
  await page.keyboard.press("Tab");
  const menuButton = await focused(page);
  if (menuButton.id !== `${axis}-actions`) throw new Error(`${axis}: Tab from the header went to ${menuButton.id}`);
  await pickMenuItem(page, "Delete", `${axis} menu`);
  await page.getByTestId("confirm-dialog").waitFor();
  await tabTo(page, "[data-testid=confirm-dialog] button.button--danger", `${axis}: confirm button`);
  await shot(page, `keyboard-${axis}-delete-confirm`);
  await page.keyboard.press("Enter");
  await page.getByTestId("confirm-dialog").waitFor({ state: "detached" });
  await expectNames(page, `${axis}-header`, before, `${axis} deleted`);
}

export async function keyboardSteps({ open, shot, step, figures }) {
  await step("keyboard only: stages and lanes added, renamed, moved and deleted", async () => {
    const page = await open("connected", { width: 1440, height: 900 });
    await page.getByTestId("metric-card").first().waitFor();
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter"); // Skip to map: focus on the first stage header.
    await axisByKeyboard(page, shot, "stage");
    await axisByKeyboard(page, shot, "lane");
    await page.close();
  });

  await step("keyboard only: text cards added, edited, moved and deleted", async () => {
    const page = await open("connected", { width: 1440, height: 900 });
    await page.getByTestId("metric-card").first().waitFor();
    const count = () => page.getByTestId("text-card").count();
    const before = await count();
    // Add a text card in the first cell: "+ Add card" → Text card.
    await tabTo(page, "[data-testid=add-card]", "first + Add card");
    await shot(page, "keyboard-add-card-focused");
    await pickMenuItem(page, "Text card", "add card menu");
    await page.getByTestId("text-card-input").waitFor();
    await page.keyboard.type("Asks a colleague");
    await page.keyboard.press("Control+Enter");
    await page.waitForFunction((n) => document.querySelectorAll("[data-testid=text-card]").length === n, before + 1);
    // Edit its text: focus it, Enter, replace, Ctrl+Enter.
    const card = '[data-testid=text-card]';
    await tabTo(page, [card, "Asks a colleague"], "new text card", "Shift+Tab");
    await shot(page, "keyboard-text-card-focused");
    await page.keyboard.press("Enter");
    await page.getByTestId("text-card-input").waitFor();
    await page.keyboard.press("Control+A");
    await page.keyboard.type("Asks a colleague for advice");
    await page.keyboard.press("Control+Enter");
    await page.locator(`${card}:has-text("for advice")`).waitFor();
    // Move it to the second stage with the Move dialog (stage picked with an arrow key).
    await tabTo(page, [card, "for advice"], "edited text card", "Shift+Tab");
    await tabTo(page, "[data-testid=card-actions]", "its menu button");
    await pickMenuItem(page, "Move to…", "card menu");
    await page.getByTestId("move-card-dialog").waitFor();
    await tabTo(page, "[data-testid=move-card-stage]", "Move dialog stage");
    const from = await page.getByTestId("move-card-stage").inputValue();
    await page.keyboard.press("ArrowDown");
    const to = await page.getByTestId("move-card-stage").inputValue();
    if (to === from) throw new Error("ArrowDown did not change the stage");
    await tabTo(page, "[data-testid=move-card-confirm]", "Move button");
    await shot(page, "keyboard-move-dialog");
    await page.keyboard.press("Enter");
    await page.getByTestId("move-card-dialog").waitFor({ state: "detached" });
    const stageOf = await page.locator(`${card}:has-text("for advice")`).evaluate((el) => el.closest("[data-testid=cell]")?.getAttribute("data-stage-id"));
    if (stageOf !== to) throw new Error(`the card is in stage ${stageOf}, not the chosen ${to}`);
    // Delete it: menu → Delete → confirm.
    await tabTo(page, [card, "for advice"], "moved text card", "Shift+Tab");
    await tabTo(page, "[data-testid=card-actions]", "its menu button");
    await pickMenuItem(page, "Delete", "card menu");
    await page.getByTestId("confirm-dialog").waitFor();
    await tabTo(page, "[data-testid=confirm-dialog] button.button--danger", "confirm delete card");
    await page.keyboard.press("Enter");
    await page.waitForFunction((n) => document.querySelectorAll("[data-testid=text-card]").length === n, before);
    await page.close();
  });

  await step("keyboard only: the card dialog opens, is filled and saves a metric card", async () => {
    const page = await open("connected", { width: 1440, height: 900 });
    await page.getByTestId("metric-card").first().waitFor();
    const before = await page.getByTestId("metric-card").count();
    await tabTo(page, "[data-testid=add-card]", "+ Add card");
    await pickMenuItem(page, "Metric card", "add card menu");
    await page.getByTestId("metric-modal").waitFor();
    // Survey: type to filter, arrow to the option, Enter.
    await tabTo(page, "[data-testid=metric-survey]", "Survey field");
    await page.keyboard.type("support");
    await page.getByRole("option", { name: /Support Satisfaction/ }).waitFor();
    // Under load the option list can still be settling when the keys arrive and Enter picks
    // nothing; the pick has taken once the question field is enabled (its questions loaded).
    const questionReady = () =>
      page
        .waitForFunction(() => document.querySelector("[data-testid=metric-question]")?.disabled === false, null, { timeout: 5000 })
        .then(() => true, () => false);
    for (let attempt = 0; ; attempt++) {
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("Enter");
      if (await questionReady()) break;
      if (attempt === 2) throw new Error(`Survey field: ArrowDown + Enter picked no survey (focus on ${JSON.stringify(await focused(page))})`);
    }
    await shot(page, "keyboard-card-dialog-survey");
    // Question: the native select, by arrow key.
    await tabTo(page, "[data-testid=metric-question]", "Question field");
    await page.keyboard.press("ArrowDown");
    await page.waitForFunction(() => document.querySelector("[data-testid=metric-question]")?.value === "QID1");
    await tabTo(page, "[data-testid=metric-name-input]", "Name field", "Shift+Tab");
    await page.keyboard.type("Support CSAT (keyboard)");
    await tabTo(page, "[data-testid=metric-save]", "Save button");
    await shot(page, "keyboard-card-dialog-save-focused");
    await page.keyboard.press("Enter");
    await page.getByTestId("metric-modal").waitFor({ state: "detached" });
    await page.waitForFunction((n) => document.querySelectorAll("[data-testid=metric-card]").length === n, before + 1);
    await page.locator("[data-testid=metric-card]", { hasText: "Support CSAT (keyboard)" }).waitFor();
    await page.close();
  });

  await step("keyboard only: presentation is entered, navigated and left", async () => {
    const page = await open("demo", { width: 960, height: 420 });
    await page.getByTestId("metric-card").first().waitFor();
    await tabTo(page, "[data-testid=present]", "Present button");
    await shot(page, "keyboard-present-focused");
    await page.keyboard.press("Enter");
    await page.getByTestId("presentation").waitFor();
    await page.waitForFunction(() => document.activeElement?.getAttribute("data-testid") === "present-exit");
    await shot(page, "keyboard-presentation-exit-focused");
    // Navigate: Tab into the map, then Page Down / End scroll it (the demo map is taller
    // than this short screen, so presentation scrolls it down).
    await tabTo(page, "[data-testid=present-viewport], [data-testid=present-viewport] *", "presentation map");
    await shot(page, "keyboard-presentation-map-focused");
    const scrolls = await page.getByTestId("present-viewport").evaluate((el) => el.scrollHeight > el.clientHeight + 1);
    await page.keyboard.press("PageDown");
    await page.keyboard.press("End");
    await page.waitForTimeout(300);
    const top = await page.getByTestId("present-viewport").evaluate((el) => el.scrollTop);
    if (!scrolls) throw new Error("the presented map fits: nothing to navigate at this size");
    figures.push(`presentation 960x420 by keyboard: map ${scrolls ? "scrolls" : "fits"}, scrolled to ${Math.round(top)}px`);
    if (scrolls && top <= 0) throw new Error("Page Down / End did not scroll the presented map");
    await shot(page, "keyboard-presentation-navigated");
    await page.keyboard.press("Escape");
    await page.getByTestId("presentation").waitFor({ state: "detached" });
    await page.waitForFunction(() => document.activeElement?.getAttribute("data-testid") === "present");
    await page.close();
  });
}
