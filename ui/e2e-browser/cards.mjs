// Browser checks of issue 13's card states (scenario "cards": one card per state, values from
// the fake's card engine), the card modal's range / segment / target sections, presentation
// and the offline start banner. Each state gets a screenshot; axe-core runs on each screen.
import { expectAxeClean } from "./axe.mjs";

const WORDS = { green: "On target", amber: "Near target", red: "Off target" };
const ICONS = { green: "✓", amber: "▲", red: "✕" };

/** The metric card whose heading is `name`. */
const cardNamed = (page, name) => page.locator(`[data-testid=metric-card]:has([data-testid=metric-name]:text-is("${name}"))`);

export async function cardsSteps({ open, shot, step, expectText }) {
  await step("card faces: status icon and words, low n, stale, interval, table, breakdown, split series, noise", async () => {
    const page = await open("cards", { width: 1600, height: 1000 });
    await page.getByTestId("metric-card").first().waitFor();
    const cards = await page.evaluate(() =>
      window.__fake.maps[0].cards.map((c) => ({ name: c.card.content.config.heading || c.card.content.config.name, v: c.cachedValue, stale: c.stale })),
    );
    const seen = new Set();
    for (const c of cards) {
      const card = cardNamed(page, c.name);
      await card.waitFor();
      if (c.v.status !== "none") {
        const text = await card.getByTestId("metric-status").innerText();
        if (!text.includes(WORDS[c.v.status]) || !text.includes(ICONS[c.v.status]))
          throw new Error(`${c.name}: status ${c.v.status} shown as "${text}"`);
        seen.add(c.v.status);
      } else if ((await card.getByTestId("metric-status").count()) !== 0) throw new Error(`${c.name}: a status without a target`);
      const lowN = (await card.getByTestId("metric-low-n").count()) > 0;
      if (lowN !== (c.v.lowN && c.v.n > 0)) throw new Error(`${c.name}: low n badge ${lowN}, engine says ${c.v.lowN} (n=${c.v.n})`);
      const stale = (await card.getByTestId("metric-stale").count()) > 0;
      if (stale !== c.stale) throw new Error(`${c.name}: stale badge ${stale}, expected ${c.stale}`);
      if (!(await card.getByTestId("metric-data-as-of").innerText()).includes("Data as of")) throw new Error(`${c.name}: no Data as of`);
      if (c.v.comparison) {
        const noise = await card.getByTestId("metric-noise").innerText();
        const want = c.v.comparison.significant ? "real change" : "change within noise";
        if (!noise.includes(want)) throw new Error(`${c.name}: noise says "${noise}", expected "${want}"`);
      }
    }
    for (const s of ["green", "amber", "red"]) if (!seen.has(s)) throw new Error(`no card shows the ${s} status`);
    if (!cards.some((c) => c.stale)) throw new Error("no stale card in the scenario");
    if (!cards.some((c) => c.v.lowN && c.v.n > 0)) throw new Error("no low-n card in the scenario");

    const table = cardNamed(page, "NPS by plan (table)");
    const rows = await table.getByTestId("metric-table").locator("tbody tr").count();
    if (rows !== 3) throw new Error(`table view shows ${rows} rows, expected the 3 plans`);
    if ((await table.getByTestId("metric-chart").count()) !== 0) throw new Error("table view also draws the chart");
    const breakdown = cardNamed(page, "NPS by region");
    const regions = await breakdown.getByTestId("metric-breakdown").locator("tbody tr").allInnerTexts();
    if (regions.length !== 4 || !regions.some((r) => r.includes("ANZ") && r.includes("low n")))
      throw new Error(`No chart card's breakdown: ${JSON.stringify(regions)}`);
    const split = cardNamed(page, "CSAT by region");
    await split.getByTestId("metric-chart").waitFor();
    const svg = await split.getByTestId("metric-chart").innerHTML();
    if ((svg.match(/<path /g) || []).length !== 4) throw new Error("split series does not draw one line per region");
    if (!/<circle[^>]*fill="#ffffff"/.test(svg)) throw new Error("low-n points of the split series are not hollow");

    await expectAxeClean(page, "card states");
    await shot(page, "card-states");
    for (const [name, file] of [
      ["Onboarding NPS", "card-on-target"],
      ["NPS near target", "card-near-target"],
      ["Enterprise EMEA NPS", "card-off-target"],
      ["ANZ NPS", "card-low-n"],
      ["Support CSAT", "card-stale"],
      ["NPS by plan (table)", "card-table-view"],
      ["NPS by region", "card-no-chart-breakdown"],
      ["CSAT by region", "card-split-series"],
      ["NPS vs previous 90 days", "card-change-within-noise"],
      ["NPS vs a year earlier", "card-real-change"],
    ]) {
      // Centred first: at the top edge the sticky stage headers would cover the card's title.
      await cardNamed(page, name).evaluate((el) => el.scrollIntoView({ block: "center", inline: "center" }));
      await shot(page, file, cardNamed(page, name));
    }

    // The interval: a tooltip on hover, and the value's accessible description.
    const value = cardNamed(page, "Onboarding NPS").getByTestId("metric-value");
    await value.hover();
    const tip = cardNamed(page, "Onboarding NPS").getByTestId("metric-interval");
    await tip.waitFor({ state: "visible" });
    const tipText = await tip.innerText();
    if (!/^95% interval [+−]?\d+ to [+−]?\d+ \(normal approximation with the trinomial variance of NPS, Rocks 2016\)$/.test(tipText)) throw new Error(`interval tooltip: "${tipText}"`);
    const described = await value.evaluate((el) => document.getElementById(el.getAttribute("aria-describedby"))?.textContent);
    if (described !== tipText) throw new Error("the interval is not the value's accessible description");
    await page.waitForTimeout(150);
    await shot(page, "card-interval-tooltip");
    await page.close();
  });

  await step("presentation shows status, interval, low n and data as of on cards", async () => {
    const page = await open("cards", { width: 1600, height: 1000 });
    await page.getByTestId("metric-card").first().waitFor();
    await page.getByTestId("present").click();
    const p = page.getByTestId("presentation");
    await p.waitFor();
    await p.getByTestId("metric-status").first().waitFor();
    const visible = await p.getByTestId("metric-interval-visible").first().innerText();
    if (!visible.startsWith("95% interval")) throw new Error(`presentation interval: "${visible}"`);
    if ((await p.getByTestId("metric-low-n").count()) === 0) throw new Error("no Low n badge in presentation");
    if ((await p.getByTestId("metric-data-as-of").count()) === 0) throw new Error("no Data as of in presentation");
    await page.waitForTimeout(300);
    await expectAxeClean(page, "presentation (card states)");
    await shot(page, "presentation-card-states");
    await page.close();
  });

  await step("presentation of the e2e journey's map (two cards in one cell) fits the app window without scrolling", async () => {
    // The app window (tauri.conf.json: 1280x800) less its native menu bar, as the e2e journey
    // sees it in WebKitGTK, where it asserts the same fit.
    const page = await open("journey", { width: 1280, height: 775 });
    await page.getByTestId("metric-card").nth(1).waitFor();
    await page.getByTestId("present").click();
    const p = page.getByTestId("presentation");
    await p.getByTestId("metric-status").waitFor();
    await p.getByTestId("metric-chart").nth(1).waitFor();
    await page.waitForTimeout(300);
    const [dx, dy, zoom] = await page.evaluate(() => {
      const v = document.querySelector("[data-testid=present-viewport]");
      return [v.scrollWidth - v.clientWidth, v.scrollHeight - v.clientHeight, Number(document.querySelector("[data-testid=present-grid]").dataset.zoom)];
    });
    if (dx > 1 || dy > 1) throw new Error(`presentation does not fit the window: [${dx},${dy},${zoom}]`);
    console.log(`  journey map presented at 1280x775: zoom ${zoom}`);
    // Compact in a room: the freshness is one line (the title bar has the map's stamp).
    const footer = await p.getByTestId("metric-data-as-of").first().innerText();
    if (!footer.startsWith("Data as of")) throw new Error(`presentation footer: "${footer}"`);
    await expectAxeClean(page, "presentation (journey map)");
    await shot(page, "presentation-journey-fits");
    await page.close();
  });

  await step("card modal: range, segment filters, target; each round-trips into add_metric_card", async () => {
    const page = await open("cards", { width: 1440, height: 1000 });
    await page.getByTestId("metric-card").first().waitFor();
    await page.getByTestId("add-card").first().click();
    await page.getByTestId("add-metric-card").click();
    await page.getByTestId("metric-survey").click();
    await page.getByTestId("metric-survey").fill("onboard");
    await page.getByRole("option", { name: /Onboarding Experience/ }).click();
    await page.getByTestId("metric-question").selectOption("QID1");
    await page.getByTestId("metric-name-input").fill("Enterprise NPS, last 90 days");

    // Range: a custom range ending before it starts is refused, per end.
    await page.getByTestId("metric-range").selectOption("custom");
    await page.getByTestId("metric-range-from").fill("2026-09-30");
    await page.getByTestId("metric-range-to").fill("2026-09-01");
    await expectText(page, "metric-range-to-error", "on or after the start");
    await page.getByTestId("metric-range-section").scrollIntoViewIfNeeded();
    await shot(page, "modal-range-invalid", page.getByTestId("metric-range-section"));
    await page.getByTestId("metric-range").selectOption("last:90");
    await page.getByTestId("metric-date-field").selectOption("endDate");
    await shot(page, "modal-range", page.getByTestId("metric-range-section"));

    // Segment: a field with the values from the cache (with n), and a saved Qualtrics filter.
    await page.getByTestId("metric-filter-add").selectOption("f:Segment");
    const enterprise = page.getByTestId("metric-filter").getByRole("checkbox", { name: /Enterprise/ });
    await enterprise.waitFor();
    const nText = await page.getByTestId("metric-filter").locator("label", { hasText: "Enterprise" }).innerText();
    const n = await page.evaluate(() => window.__fakeCards.fieldValues("SV_onboarding", "Segment").find((v) => v.value === "Enterprise").n);
    if (!nText.includes(`n = ${n.toLocaleString("en-US")}`)) throw new Error(`field value shows "${nText}", cache n is ${n}`);
    await enterprise.check();
    await page.getByTestId("metric-filter-add").selectOption("saved");
    await page.getByTestId("metric-filter-saved").locator("option", { hasText: "Detractors to follow up" }).waitFor({ state: "attached" });
    await page.getByTestId("metric-filter-saved").selectOption({ label: "Detractors to follow up" });
    await expectText(page, "metric-filter-summary", "Segment is Enterprise and Saved filter “Detractors to follow up”");
    await page.getByTestId("metric-filter-remove").nth(1).click();
    await expectText(page, "metric-filter-summary", "Segment is Enterprise");
    await page.getByTestId("metric-filter-add").selectOption("f:Region");
    await page.getByTestId("metric-filter").getByRole("checkbox", { name: /EMEA/ }).check();
    await expectText(page, "metric-filter-summary", "Segment is Enterprise and Region is EMEA");
    await shot(page, "modal-segment-filters", page.getByTestId("metric-filters-section"));

    // Target: a non-number is refused; the rule is spelled out for the numbers typed.
    await page.getByTestId("metric-target-enabled").check();
    await page.getByTestId("metric-target-value").fill("abc");
    await expectText(page, "metric-target-value-error", "as a number");
    await shot(page, "modal-target-invalid", page.getByTestId("metric-target-section"));
    await page.getByTestId("metric-target-value").fill("50");
    await page.getByTestId("metric-target-amber").fill("10");
    await expectText(page, "metric-target-rule", "On target at +50 or more; near target from +40 up to +50; off target below +40.");
    await page.getByTestId("metric-min-n").fill("40");
    await shot(page, "modal-target", page.getByTestId("metric-target-section"));
    await page.getByTestId("metric-view-table").check({ force: true });
    await page.getByTestId("metric-heading-input").fill("Enterprise in EMEA, 90 days");
    await page.getByTestId("metric-subheading-input").fill("Last 90 days · end date");

    // The live preview shows the new facts for this exact config.
    await page.waitForFunction(() => window.__fake.calls.some((c) => c.cmd === "preview_metric" && c.args.config.target?.value === 50 && c.args.config.minN === 40));
    const expected = await page.evaluate(() => {
      const c = window.__fake.calls.filter((x) => x.cmd === "preview_metric").pop().args.config;
      return window.__fake.compute(c);
    });
    await expectText(page, "metric-preview", { green: "On target", amber: "Near target", red: "Off target" }[expected.status]);
    const scope = await page.getByTestId("metric-preview").getByTestId("metric-scope").innerText();
    if (!expected.resolvedRange || !scope.includes(expected.resolvedRange.label)) throw new Error(`preview scope "${scope}", expected "${expected.resolvedRange.label}"`);
    await page.getByTestId("preview-table").waitFor();
    await page.waitForTimeout(500);
    await expectAxeClean(page, "card dialog with range, segment and target");
    await shot(page, "modal-preview-new-facts", page.getByTestId("metric-preview"));

    await page.getByTestId("metric-save").click();
    await page.getByTestId("metric-modal").waitFor({ state: "detached" });
    const sent = await page.evaluate(() => window.__fake.calls.filter((c) => c.cmd === "add_metric_card").pop().args.config);
    const want = {
      range: { kind: "last", days: 90 },
      dateField: "endDate",
      filters: [{ kind: "field", name: "Segment", values: ["Enterprise"] }, { kind: "field", name: "Region", values: ["EMEA"] }],
      target: { value: 50, better: "higher", amberMargin: 10 },
      minN: 40,
      heading: "Enterprise in EMEA, 90 days",
      subheading: "Last 90 days · end date",
    };
    for (const [k, v] of Object.entries(want))
      if (JSON.stringify(sent[k]) !== JSON.stringify(v)) throw new Error(`add_metric_card sent ${k}=${JSON.stringify(sent[k])}, expected ${JSON.stringify(v)}`);
    if (sent.chart.view !== "table") throw new Error(`view not sent: ${JSON.stringify(sent.chart)}`);
    const card = cardNamed(page, "Enterprise in EMEA, 90 days");
    await card.getByTestId("metric-table").waitFor();
    await shot(page, "card-built-in-modal", card);
    await page.close();
  });

  await step("offline start: an info banner with the data's time and Retry, not connection failed", async () => {
    const page = await open("offline");
    await expectText(page, "offline-banner", "Offline: showing data from");
    if ((await page.getByTestId("global-connection-banner").count()) !== 0) throw new Error("the red connection banner is shown offline");
    // The banner's time is the newest sync: the data the freshest card shows.
    await page.getByTestId("metric-data-as-of").first().waitFor();
    const when = (await page.getByTestId("offline-banner").innerText()).match(/showing data from (.+?\d\d:\d\d)/)?.[1];
    const stamps = await page.getByTestId("metric-data-as-of").allInnerTexts();
    if (!when || !stamps.some((t) => t.includes(when))) throw new Error(`offline banner time ${when} matches no card's data as of: ${stamps}`);
    const cls = await page.getByTestId("offline-banner").getAttribute("class");
    if (!cls.includes("banner--info")) throw new Error(`offline banner is not the info style: ${cls}`);
    await page.getByTestId("metric-card").first().waitFor();
    await expectAxeClean(page, "map while offline");
    await shot(page, "offline-banner");
    await page.evaluate(() => (window.__fake.online = true));
    await page.getByTestId("offline-retry").click();
    await page.getByTestId("offline-banner").waitFor({ state: "detached", timeout: 3000 });
    await page.close();
  });
}
