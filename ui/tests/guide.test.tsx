/**
 * Setup guidance, the states that name their real cause, the secret's age and rotation
 * reminder, and the Connecting Qualtrics guide every banner links to.
 */
import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import App from "../src/App";
import { AppStateProvider } from "../src/AppState";
import { GUIDE_MARKDOWN, GUIDE_SECTIONS, GuideContext, slugify } from "../src/help/guide";
import type { ConnectionState, ConnectionStatus, ErrorKind } from "../src/ipc";
import { noticeForKind, noticeForReminder, noticeForStatus } from "../src/lib/connection";
import { IntegrationsPage } from "../src/settings/IntegrationsPage";
import { connected, notConfigured } from "./fixtures";
import { api, emit, resetIpc } from "./ipcMock";

vi.mock("../src/ipc", async (orig) => ({ ...(await orig<object>()), ...(await import("./ipcMock")).ipcModule }));

beforeEach(() => resetIpc());

const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(Date.now() - d * DAY).toISOString();

function renderPage(status: ConnectionStatus, openGuide = vi.fn()) {
  api.connectionStatus.mockResolvedValue(status);
  render(
    <GuideContext.Provider value={openGuide}>
      <AppStateProvider>
        <IntegrationsPage />
      </AppStateProvider>
    </GuideContext.Provider>,
  );
  return openGuide;
}

const headingSlugs = GUIDE_MARKDOWN.split("\n")
  .filter((l) => /^#{1,3}\s/.test(l))
  .map((l) => slugify(l.replace(/^#+\s+/, "")));

describe("the Connecting Qualtrics guide", () => {
  it("has every section a banner links to, including each troubleshooting case", () => {
    for (const anchor of Object.values(GUIDE_SECTIONS)) expect(headingSlugs).toContain(anchor);
    for (const heading of ["Connection failed", "Token rejected", "No surveys", "Data looks wrong", "Token revoked"]) {
      expect(GUIDE_MARKDOWN).toContain(`### ${heading}`);
    }
    expect(GUIDE_MARKDOWN).toContain("Download survey data");
    expect(GUIDE_MARKDOWN).toContain("Brand Administrator");
  });

  it("links every banner that has something to fix to a guide section", () => {
    const kinds: ErrorKind[] = ["network", "invalidBaseUrl", "unauthorized", "tokenRevoked", "forbidden", "notFound", "rateLimited", "exportFailed", "malformed", "noSurveys", "keychainUnavailable", "wrongDatacenter", "notConfigured", "invalidInput", "storage", "internal"];
    for (const kind of kinds) {
      for (const oauth of [false, true]) expect(noticeForKind(kind, oauth).guide, kind).toBeTruthy();
    }
    const states: ConnectionState[] = ["connectionFailed", "tokenRejected", "noSurveys", "tokenRevoked", "keychainUnavailable", "permissionMissing", "wrongDatacenter"];
    for (const state of states) expect(noticeForStatus({ ...connected, state })?.guide, state).toBeTruthy();
    expect(noticeForStatus({ ...connected, state: "wrongDatacenter", suggestedBaseUrl: "fra1.qualtrics.com" })?.guide).toBe("wrong-datacenter");
    for (const kind of ["rotationDue", "oauthTokenFailing"] as const) {
      const notice = noticeForReminder({ kind, since: daysAgo(100), ageDays: 100, rotationDays: 90 }, false, new Date());
      expect(notice?.guide, kind).toBeTruthy();
    }
  });

  it("opens from Help and from a banner's link at the right section", async () => {
    const user = userEvent.setup();
    api.connectionStatus.mockResolvedValue({ ...connected, state: "tokenRevoked" });
    render(<App />);
    const banner = await screen.findByTestId("global-connection-banner");
    await user.click(within(banner).getByTestId("guide-link-token-revoked"));
    const page = await screen.findByTestId("guide-page");
    const section = within(page).getByRole("heading", { name: "Token revoked" });
    expect(section).toHaveAttribute("id", "token-revoked");
    expect(section).toHaveFocus();
    expect(page).toHaveTextContent("The Qualtrics account was deactivated");
    await user.click(screen.getByTestId("nav-integrations"));
    await user.click(screen.getByTestId("nav-guide"));
    expect(within(await screen.findByTestId("guide-page")).getByRole("heading", { level: 1 })).toHaveTextContent("Connecting Qualtrics");
  });
});

describe("the shell's Help menu", () => {
  it("opens the guide at a section, or at the top for an unknown one", async () => {
    api.connectionStatus.mockResolvedValue(connected);
    render(<App />);
    await screen.findByTestId("nav-guide");
    act(() => emit("open-guide", "no-surveys"));
    const page = await screen.findByTestId("guide-page");
    expect(within(page).getByRole("heading", { name: "No surveys" })).toHaveFocus();
    await userEvent.setup().click(screen.getByTestId("nav-integrations"));
    act(() => emit("open-guide", "not-a-section"));
    const top = await screen.findByTestId("guide-page");
    expect(within(top).getByRole("heading", { level: 1 })).not.toHaveFocus();
  });
});

describe("before the secret is pasted", () => {
  it("recommends a dedicated account and says where the token is, that it shows once and what regenerating breaks", async () => {
    const user = userEvent.setup();
    const openGuide = renderPage(notConfigured);
    const token = await screen.findByTestId("setup-guidance-token");
    expect(within(token).getByTestId("guidance-dedicated-account")).toHaveTextContent("dedicated connector account");
    expect(within(token).getByTestId("guidance-dedicated-account")).toHaveTextContent("does not die with an employee’s login");
    expect(within(token).getByTestId("guidance-where")).toHaveTextContent("Account Settings › Qualtrics IDs › API › Generate Token");
    expect(within(token).getByTestId("guidance-where")).toHaveTextContent("only once");
    expect(within(token).getByTestId("guidance-regenerate")).toHaveTextContent("revokes the old one and breaks every integration");
    await user.click(within(token).getByTestId("guide-link-get-an-api-token"));
    expect(openGuide).toHaveBeenCalledWith("get-an-api-token");

    await user.click(screen.getByTestId("auth-method-oauth"));
    const oauth = screen.getByTestId("setup-guidance-oauth");
    expect(within(oauth).getByTestId("guidance-where")).toHaveTextContent("Account Settings › Qualtrics IDs › OAuth clients › Create client");
    expect(within(oauth).getByTestId("guidance-where")).toHaveTextContent("read:surveys and read:survey_responses");
    expect(within(oauth).getByTestId("guidance-once")).toHaveTextContent("cannot show it again later");
    expect(within(oauth).getByTestId("guidance-dedicated-account")).toBeInTheDocument();
  });
});

describe("when the secret stops working", () => {
  it("token revoked names a deactivated account and what to do, with its guide link", async () => {
    const user = userEvent.setup();
    const openGuide = renderPage({ ...connected, state: "tokenRevoked" });
    const banner = await screen.findByTestId("banner-token-revoked");
    expect(banner).toHaveTextContent("regenerated or revoked");
    expect(banner).toHaveTextContent("account it belongs to was deactivated");
    expect(banner).toHaveTextContent("token from an active account (ideally a dedicated connector account)");
    await user.click(within(banner).getByTestId("guide-link-token-revoked"));
    expect(openGuide).toHaveBeenCalledWith("token-revoked");
  });

  it("a 403 during a refresh shows the missing API permission, not a base URL problem", async () => {
    renderPage({ ...connected, state: "permissionMissing", errorKind: "forbidden", userName: "connector@acme.example" });
    const banner = await screen.findByTestId("banner-permission-missing");
    expect(banner).toHaveTextContent("API permission missing");
    expect(banner).toHaveTextContent("connector@acme.example lacks the API permission");
    expect(banner).toHaveTextContent("Brand Administrator");
    expect(banner).not.toHaveTextContent("Check the base URL");
    expect(screen.queryByTestId("banner-connection-failed")).not.toBeInTheDocument();
    expect(within(banner).getByTestId("guide-link-permission-missing")).toBeInTheDocument();
  });

  it("the global banner shows the permission state too", async () => {
    api.connectionStatus.mockResolvedValue({ ...connected, state: "permissionMissing" });
    render(<App />);
    const banner = await screen.findByTestId("global-connection-banner");
    expect(banner).toHaveTextContent("API permission missing");
    expect(within(banner).getByTestId("guide-link-permission-missing")).toBeInTheDocument();
  });
});

describe("before it dies", () => {
  it("shows how old the secret is and when it was last validated", async () => {
    renderPage({ ...connected, secretSavedAt: daysAgo(45), validatedAt: daysAgo(2) });
    const facts = await screen.findByTestId("saved-configuration");
    expect(facts).toHaveTextContent("Token saved45 days ago");
    expect(facts).toHaveTextContent("Last validated2 days ago");
    expect(screen.queryByTestId("banner-rotation-due")).not.toBeInTheDocument();
  });

  it("reminds to rotate a secret older than the configured days", async () => {
    const user = userEvent.setup();
    const openGuide = renderPage({
      ...connected,
      secretSavedAt: daysAgo(120),
      reminder: { kind: "rotationDue", since: daysAgo(120), ageDays: 120, rotationDays: 90 },
    });
    const banner = await screen.findByTestId("banner-rotation-due");
    expect(banner).toHaveTextContent("Time to rotate the API token");
    expect(banner).toHaveTextContent("saved 120 days ago (reminder after 90 days)");
    await user.click(within(banner).getByTestId("guide-link-keep-it-working-rotation"));
    expect(openGuide).toHaveBeenCalledWith("keep-it-working-rotation");
  });

  it("reminds when an OAuth client's token requests start failing", async () => {
    renderPage({
      ...connected,
      authMethod: "oauth",
      clientId: "cid",
      reminder: { kind: "oauthTokenFailing", since: daysAgo(3), ageDays: 3, rotationDays: 90 },
    });
    const banner = await screen.findByTestId("banner-oauth-token-failing");
    expect(banner).toHaveTextContent("OAuth token requests are failing");
    expect(banner).toHaveTextContent("Since 3 days ago");
    expect(banner).toHaveTextContent("create a new secret");
  });

  it("sets the rotation period, refusing a bad number", async () => {
    const user = userEvent.setup();
    api.setRotationReminderDays.mockResolvedValue({ ...connected, rotationDays: 30 });
    renderPage(connected);
    const input = await screen.findByTestId("rotation-days-input");
    expect(input).toHaveValue("90");
    await user.clear(input);
    await user.type(input, "0");
    await user.click(screen.getByTestId("rotation-days-save"));
    expect(screen.getByRole("alert")).toHaveTextContent("between 1 and 3650");
    expect(api.setRotationReminderDays).not.toHaveBeenCalled();
    await user.clear(input);
    await user.type(input, "30");
    await user.click(screen.getByTestId("rotation-days-save"));
    expect(api.setRotationReminderDays).toHaveBeenCalledWith(30);
    expect(await screen.findByTestId("rotation-days-input")).toHaveValue("30");
  });
});
