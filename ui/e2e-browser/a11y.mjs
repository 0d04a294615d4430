// Accessibility and layout checks of the browser run (issue 16): keyboard paths (focus trapped
// in dialogs and presentation, focus returned to what opened them, skip link), guided empty
// states without a connection, and the map, the card dialog and presentation at 960x600,
// 1280x800 and 1920x1080 (sticky headers, zoom to fit, no stray page scrollbar, long text).
// axe-core runs on every screen visited here.
import { expectAxeClean } from "./axe.mjs";

export const SIZES = [
  { width: 960, height: 600 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
];

/** What has the focus: its test id (or tag) and whether it is inside `selector`. */
async function focusInfo(page, selector) {
  return page.evaluate((sel) => {
    const a = document.activeElement;
    return {
      id: a?.getAttribute("data-testid") ?? a?.tagName.toLowerCase() ?? "none",
      inside: !!(a && sel && a.closest(sel)),
      body: !a || a === document.body,
    };
  }, selector);
}

/** Presses Tab `times` times; throws if focus ever leaves `selector`. */
async function expectTabTrapped(page, selector, times, what) {
  for (let i = 0; i < times; i++) {
    await page.keyboard.press(i % 3 === 2 ? "Shift+Tab" : "Tab");
    const f = await focusInfo(page, selector);
    if (!f.inside) throw new Error(`${what}: Tab #${i + 1} moved focus out to ${f.id}`);
  }
}

async function expectFocus(page, testId, what) {
  const deadline = Date.now() + 2000;
  let f = await focusInfo(page);
  while (f.id !== testId && Date.now() < deadline) {
    await page.waitForTimeout(30);
    f = await focusInfo(page);
  }
  if (f.id !== testId) throw new Error(`${what}: focus is on ${f.id}, expected ${testId}`);
}

/** No scrollbar on the page itself: everything scrolls inside its own region. */
async function expectNoPageScroll(page, what) {
  const m = await page.evaluate(() => ({
    sh: document.documentElement.scrollHeight,
    sw: document.documentElement.scrollWidth,
    h: window.innerHeight,
    w: window.innerWidth,
  }));
  if (m.sh > m.h || m.sw > m.w) throw new Error(`${what}: page scrolls (${m.sw}x${m.sh} in ${m.w}x${m.h})`);
}

/** The focused element draws a visible indicator (outline or box-shadow ring). */
async function expectFocusRing(page, what) {
  const ring = await page.evaluate(() => {
    const a = document.activeElement;
    const target = a.closest(".segmented__item") ?? a;
    const cs = getComputedStyle(target);
    return { outline: cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 2, shadow: cs.boxShadow !== "none", tag: a.tagName };
  });
  if (!ring.outline && !ring.shadow) throw new Error(`${what}: no focus indicator on ${ring.tag}`);
}

export async function a11ySteps({ open, shot, step, expectText, figures }) {
  await step("a new user without a connection is guided: home offers Connect Qualtrics and the demo", async () => {
    const page = await open("fresh", { width: 1280, height: 800 });
    await page.getByTestId("home-connect").waitFor();
    await page.getByTestId("home-demo").waitFor();
    await expectNoPageScroll(page, "home");
    await expectAxeClean(page, "home without a connection");
    await shot(page, "home-new-user");
    await page.getByTestId("home-connect").click();
    await page.getByTestId("not-configured").waitFor();
    await expectAxeClean(page, "integrations without a connection");
    await page.goBack().catch(() => {});
    await page.close();

    const demo = await open("fresh", { width: 1280, height: 800 });
    await demo.getByTestId("home-demo").click();
    await demo.getByTestId("metric-card").first().waitFor();
    const stages = await demo.getByTestId("stage-header").count();
    if (stages !== 5) throw new Error(`demo map opened with ${stages} stages`);
    await demo.getByTestId("nav-integrations").click();
    await demo.getByTestId("demo-active").waitFor();
    const facts = await demo.getByTestId("saved-configuration").innerText();
    if (!facts.includes("Demo simulator") || facts.includes("127.0.0.1")) throw new Error(`demo base URL shown as: ${facts}`);
    await expectAxeClean(demo, "integrations in demo mode");
    await shot(demo, "integrations-demo");
    await demo.close();
  });

  await step("without a connection the card dialog says so and links to Integrations; Refresh now always answers", async () => {
    const page = await open("notConfigured", { width: 1280, height: 800 });
    await page.getByTestId("metric-card").first().waitFor();
    await page.getByTestId("add-card").first().click();
    await page.getByTestId("add-metric-card").click();
    await page.getByTestId("metric-not-connected").waitFor();
    await expectAxeClean(page, "card dialog without a connection");
    await shot(page, "metric-modal-not-connected");
    await page.getByTestId("metric-open-integrations").click();
    await page.getByTestId("integrations-page").waitFor();
    // Refresh now on a map with cards: the surveys fail for want of a connection, visibly.
    await page.getByText("Customer onboarding").click();
    await page.getByTestId("metric-card").first().waitFor();
    await page.getByTestId("refresh-now").click();
    await expectText(page, "refresh-warning", "Connect Qualtrics");
    await page.getByTestId("refresh-open-integrations").waitFor();
    // Refresh now on a map without metric cards: nothing to refresh, said so.
    await page.getByText("Renewal journey").click();
    await page.getByTestId("map-empty").waitFor();
    await page.getByTestId("refresh-now").click();
    await expectText(page, "refresh-warning", "Nothing to refresh");
    await expectAxeClean(page, "empty map, nothing to refresh");
    await shot(page, "refresh-nothing");
    await page.close();
  });

  await step("keyboard: skip link, dialogs trap Tab and return focus, presentation focuses Exit", async () => {
    const page = await open("demo", { width: 1280, height: 800 });
    await page.getByTestId("metric-card").first().waitFor();
    // Skip link: the first Tab stop, visible when focused, lands in the map.
    await page.keyboard.press("Tab");
    await expectFocus(page, "skip-link", "first Tab");
    const box = await page.getByTestId("skip-link").boundingBox();
    if (!box || box.y < 0) throw new Error(`skip link not visible when focused: ${JSON.stringify(box)}`);
    await shot(page, "skip-link");
    await page.keyboard.press("Enter");
    await expectFocus(page, "stage-header", "after Skip to map");
    let presses = 2; // Tab to the skip link, Enter
    for (; presses < 80; presses++) {
      if ((await focusInfo(page)).id === "add-card") break;
      await page.keyboard.press("Tab");
    }
    figures.push(`keyboard presses from page load to the first "+ Add card" on the demo map: ${presses}`);

    // Add a metric card by keyboard: the dialog traps Tab; Escape returns to "+ Add card".
    await page.keyboard.press("Enter");
    await page.getByTestId("add-text-card").waitFor();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.getByTestId("metric-modal").waitFor();
    await expectTabTrapped(page, "[data-testid=metric-modal]", 30, "metric modal");
    await page.getByTestId("metric-type-series").focus();
    await page.keyboard.press("ArrowRight");
    await expectFocusRing(page, "Type choice");
    await page.getByTestId("metric-question").focus();
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Tab");
    await expectFocusRing(page, "Question dropdown");
    await expectAxeClean(page, "card dialog (demo)");
    await page.keyboard.press("Escape");
    await page.getByTestId("metric-modal").waitFor({ state: "detached" });
    await expectFocus(page, "add-card", "after Escape in the card dialog");

    // Move dialog: Tab trapped, Cancel returns focus to the card's menu button.
    const cardMenu = page.getByTestId("card-actions").first();
    await cardMenu.focus();
    await page.keyboard.press("Enter");
    await page.getByTestId("card-move").focus();
    await page.keyboard.press("Enter");
    await page.getByTestId("move-card-dialog").waitFor();
    await expectTabTrapped(page, "[data-testid=move-card-dialog]", 12, "Move dialog");
    await expectAxeClean(page, "Move dialog");
    await page.getByRole("button", { name: "Cancel" }).click();
    await expectFocus(page, "card-actions", "after cancelling Move");

    // Confirmation: Escape returns focus to the menu button.
    await page.keyboard.press("Enter");
    await page.getByTestId("card-delete").focus();
    await page.keyboard.press("Enter");
    await page.getByTestId("confirm-dialog").waitFor();
    await page.keyboard.press("Escape");
    await page.getByTestId("confirm-dialog").waitFor({ state: "detached" });
    await expectFocus(page, "card-actions", "after Escape on the confirmation");

    // Saving a text card returns focus to the card.
    const textCard = page.getByTestId("text-card").first();
    await textCard.focus();
    await page.keyboard.press("Enter");
    await page.getByTestId("text-card-input").fill("Reads reviews, then compares plans");
    await page.keyboard.press("Control+Enter");
    await expectFocus(page, "text-card", "after saving a text card");

    // Adding a stage keeps focus on "Add stage"; leaving a rename returns to the header.
    await page.getByTestId("stage-add").focus();
    await page.keyboard.press("Enter");
    await page.getByTestId("stage-add-input").fill("discover");
    await page.getByTestId("name-warning").waitFor();
    await page.getByTestId("stage-add-input").fill("Advocate");
    await page.keyboard.press("Enter");
    await expectFocus(page, "stage-add", "after adding a stage");
    await page.getByTestId("stage-header").first().focus();
    await page.keyboard.press("F2");
    await page.keyboard.press("Escape");
    await expectFocus(page, "stage-header", "after leaving a rename");

    // Presentation: Exit has the focus, Tab stays inside, Escape returns to Present.
    await page.getByTestId("present").focus();
    await page.keyboard.press("Enter");
    await page.getByTestId("presentation").waitFor();
    await expectFocus(page, "present-exit", "entering presentation");
    await expectTabTrapped(page, "[data-testid=presentation]", 10, "presentation");
    await expectAxeClean(page, "presentation");
    await page.keyboard.press("Escape");
    await page.getByTestId("presentation").waitFor({ state: "detached" });
    await expectFocus(page, "present", "leaving presentation");
    await page.close();
  });

  for (const size of SIZES) {
    const tag = `${size.width}x${size.height}`;
    await step(`map, card dialog and presentation read at ${tag}`, async () => {
      const page = await open("demo", size);
      await page.getByTestId("metric-card").first().waitFor();
      await page.waitForTimeout(300);
      await expectNoPageScroll(page, `map ${tag}`);
      const fit = await page.evaluate(() => {
        const frame = document.querySelector("[data-testid=map-scroll]").getBoundingClientRect();
        const stages = [...document.querySelectorAll("[data-testid=stage-header]")];
        const visible = stages.filter((s) => s.getBoundingClientRect().right <= frame.right + 1).length;
        const lanes = [...document.querySelectorAll("[data-testid=lane-header]")];
        const lanesVisible = lanes.filter((l) => l.getBoundingClientRect().top < frame.bottom - 60).length;
        return { visible, total: stages.length, lanesVisible, lanes: lanes.length };
      });
      figures.push(`editor ${tag}: ${fit.visible}/${fit.total} stages fully visible, ${fit.lanesVisible}/${fit.lanes} lanes start above the fold`);
      await expectAxeClean(page, `map ${tag}`);
      await shot(page, `map-${tag}`);

      // Sticky headers: scrolled to the far corner, stage and lane headers stay in view.
      await page.getByTestId("map-scroll").evaluate((el) => el.scrollTo(el.scrollWidth, el.scrollHeight));
      await page.waitForTimeout(150);
      const sticky = await page.evaluate(() => {
        const frame = document.querySelector("[data-testid=map-scroll]").getBoundingClientRect();
        const st = document.querySelector("[data-testid=stage-header]").getBoundingClientRect();
        const ln = [...document.querySelectorAll("[data-testid=lane-header]")].pop().getBoundingClientRect();
        return { stageTop: st.top - frame.top, laneLeft: ln.left - frame.left, scrolled: document.querySelector("[data-testid=map-scroll]").scrollTop };
      });
      if (Math.abs(sticky.stageTop) > 2 || Math.abs(sticky.laneLeft) > 2)
        throw new Error(`headers scrolled away at ${tag}: ${JSON.stringify(sticky)}`);
      await shot(page, `map-${tag}-scrolled`);
      await page.getByTestId("map-scroll").evaluate((el) => el.scrollTo(0, 0));

      // The card dialog: the footer stays on screen, the body scrolls under it.
      await page.getByTestId("metric-card").first().getByTestId("card-actions").click();
      await page.getByTestId("card-edit").click();
      await page.getByTestId("metric-modal").waitFor();
      await page.waitForTimeout(400);
      const modal = await page.evaluate(() => {
        const save = document.querySelector("[data-testid=metric-save]").getBoundingClientRect();
        const body = document.querySelector("[data-testid=metric-modal] .modal__body");
        return { saveBottom: save.bottom, h: window.innerHeight, scrolls: body.scrollHeight > body.clientHeight };
      });
      if (modal.saveBottom > modal.h) throw new Error(`Save is below the fold at ${tag}: ${JSON.stringify(modal)}`);
      await expectNoPageScroll(page, `card dialog ${tag}`);
      await shot(page, `metric-modal-${tag}`);
      await page.keyboard.press("Escape");
      await page.getByTestId("metric-modal").waitFor({ state: "detached" });

      // Presentation fits the screen: no sideways scroll, title on screen, zoom readable.
      await page.getByTestId("present").click();
      await page.getByTestId("presentation").waitFor();
      await page.waitForTimeout(400);
      const pres = await page.evaluate(() => {
        const vp = document.querySelector("[data-testid=present-viewport]");
        const grid = document.querySelector("[data-testid=present-grid]");
        const title = document.querySelector("[data-testid=present-title]").getBoundingClientRect();
        return {
          zoom: Number(grid.dataset.zoom),
          sideways: vp.scrollWidth > vp.clientWidth + 1,
          down: vp.scrollHeight > vp.clientHeight + 1,
          titleRight: title.right,
          w: window.innerWidth,
        };
      });
      figures.push(`presentation ${tag}: zoom ${pres.zoom}, ${pres.down ? "scrolls down (sticky headers)" : "whole map on screen"}`);
      if (pres.sideways) throw new Error(`presentation scrolls sideways at ${tag}: ${JSON.stringify(pres)}`);
      if (pres.titleRight > pres.w) throw new Error(`presentation title off screen at ${tag}`);
      if (size.width >= 1920 && (pres.zoom < 0.95 || pres.down)) throw new Error(`presentation at ${tag} not full-size and whole: ${JSON.stringify(pres)}`);
      await expectNoPageScroll(page, `presentation ${tag}`);
      await shot(page, `presentation-${tag}`);
      await page.close();
    });
  }

  await step("long names and text stay readable: clamped text card, 3-line presentation headers, tooltips", async () => {
    const page = await open("long", { width: 1280, height: 800 });
    await page.getByTestId("metric-card").first().waitFor();
    const longCard = page.locator("[data-testid=text-card]", { hasText: "Sentence 40" });
    const h = (await longCard.boundingBox()).height;
    if (h > 360) throw new Error(`a 2,000-character text card is ${h}px tall`);
    const stage = page.getByTestId("stage-header").nth(1);
    const tip = await stage.locator("[title]").first().getAttribute("title");
    if (!tip?.startsWith("Sign up and verify")) throw new Error(`truncated stage name has no tooltip: ${tip}`);
    await expectAxeClean(page, "map with long names");
    await shot(page, "long-text-clamped");
    await longCard.getByTestId("text-card-toggle").click();
    const open_ = (await longCard.boundingBox()).height;
    if (open_ <= h) throw new Error("Show more did not expand the card");
    await page.getByTestId("present").click();
    await page.getByTestId("presentation").waitFor();
    await page.waitForTimeout(300);
    const lines = await page.evaluate(() => {
      const el = document.querySelectorAll("[data-testid=presentation] [data-testid=stage-header] .present__clamp")[1];
      return el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight);
    });
    if (lines > 3.2) throw new Error(`presentation stage header is ${lines.toFixed(1)} lines`);
    await shot(page, "long-presentation");
    await page.close();
  });
}
