import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { AppStateProvider } from "../src/AppState";
import type { ConnectionStatus, MapSummary } from "../src/ipc";
import { IpcError } from "../src/ipc";
import { IntegrationsPage } from "../src/settings/IntegrationsPage";
import { connected, notConfigured } from "./fixtures";
import { api, resetIpc } from "./ipcMock";

vi.mock("../src/ipc", async (orig) => ({ ...(await orig<object>()), ...(await import("./ipcMock")).ipcModule }));

function renderPage(status: ConnectionStatus) {
  api.connectionStatus.mockResolvedValue(status);
  return render(
    <AppStateProvider>
      <IntegrationsPage />
    </AppStateProvider>,
  );
}

async function editAndSave(user: ReturnType<typeof userEvent.setup>, token: string) {
  await user.click(await screen.findByTestId("edit-configuration"));
  await user.type(screen.getByTestId("token-input"), token);
  await user.click(screen.getByTestId("save-connection"));
}

beforeEach(() => resetIpc());

describe("Integrations > Qualtrics", () => {
  it("shows the saved configuration with a masked token only", async () => {
    renderPage(connected);
    expect(await screen.findByTestId("masked-secret")).toHaveTextContent("••••abcd");
    expect(screen.getByText("iad1.qualtrics.com")).toBeInTheDocument();
    expect(screen.getByTestId("banner-connected")).toHaveTextContent("7 surveys");
    expect(screen.queryByTestId("qualtrics-form")).not.toBeInTheDocument();
  });

  it("validates with a spinner, then shows Connection established with whoami facts", async () => {
    const user = userEvent.setup();
    let resolve!: (s: ConnectionStatus) => void;
    api.saveConnection.mockReturnValue(new Promise((r) => (resolve = r)));
    renderPage(connected);
    await editAndSave(user, "newtoken9876");
    expect(screen.getByTestId("validating")).toHaveTextContent("Validating with Qualtrics…");
    expect(api.saveConnection).toHaveBeenCalledWith({
      baseUrl: "iad1.qualtrics.com",
      auth: { method: "apiToken", token: "newtoken9876" },
    });
    resolve({ ...connected, maskedSecret: "••••9876", surveyCount: 12, brandId: "globex", datacenter: "fra1" });
    const banner = await screen.findByTestId("banner-connected");
    expect(banner).toHaveTextContent("Connection established");
    expect(banner).toHaveTextContent("ana@acme.example");
    expect(banner).toHaveTextContent("globex");
    expect(banner).toHaveTextContent("fra1");
    expect(banner).toHaveTextContent("12 surveys");
    expect(screen.getByTestId("masked-secret")).toHaveTextContent("••••9876");
  });

  const failures: [string, string, string][] = [
    ["network", "banner-connection-failed", "Check the base URL"],
    ["unauthorized", "banner-token-rejected", "Account settings > Qualtrics IDs"],
    ["invalidBaseUrl", "banner-invalid-base-url", "iad1.qualtrics.com"],
    ["keychainUnavailable", "banner-keychain-unavailable", "keychain"],
    ["tokenRevoked", "banner-token-revoked", "Reconnect"],
  ];
  it.each(failures)("a %s error shows its own red banner and keeps the form", async (kind, testId, guidance) => {
    const user = userEvent.setup();
    api.saveConnection.mockRejectedValue(new IpcError(kind as IpcError["kind"], "detail"));
    renderPage(connected);
    await editAndSave(user, "tok");
    const banner = await screen.findByTestId(testId);
    expect(banner).toHaveTextContent(guidance);
    expect(banner).toHaveAttribute("role", "alert");
    expect(screen.getByTestId("qualtrics-form")).toBeInTheDocument();
    // Only one banner at a time.
    expect(document.querySelectorAll("[data-testid^=banner-]")).toHaveLength(1);
  });

  const wrongDatacenter: ConnectionStatus = {
    ...connected,
    state: "wrongDatacenter",
    baseUrl: "https://fra1.qualtrics.com",
    datacenter: "iad1",
    suggestedBaseUrl: "iad1.qualtrics.com",
    errorKind: "wrongDatacenter",
    message: "a message the UI must not parse",
  };

  it("a wrong-datacenter connection names the right host and switches to it in one click", async () => {
    const user = userEvent.setup();
    api.saveConnection.mockResolvedValue({ ...connected, baseUrl: "https://iad1.qualtrics.com" });
    renderPage(wrongDatacenter);
    const banner = await screen.findByTestId("banner-wrong-datacenter");
    expect(banner).toHaveTextContent("Wrong datacenter");
    expect(banner).toHaveTextContent("lives on iad1.qualtrics.com");
    expect(banner).toHaveTextContent("https://fra1.qualtrics.com");
    expect(banner).not.toHaveTextContent("must not parse");
    const use = within(banner).getByTestId("use-suggested-host");
    expect(use).toHaveTextContent("Use iad1.qualtrics.com");
    await user.click(use);
    // The stored token is kept: an empty secret means "keep it".
    expect(api.saveConnection).toHaveBeenCalledWith({
      baseUrl: "iad1.qualtrics.com",
      auth: { method: "apiToken", token: "" },
    });
    expect(await screen.findByTestId("banner-connected")).toHaveTextContent("Connection established");
    expect(screen.queryByTestId("use-suggested-host")).not.toBeInTheDocument();
  });

  it("saving on the wrong datacenter offers the right one; OAuth keeps its client id", async () => {
    const user = userEvent.setup();
    const oauthWrong: ConnectionStatus = { ...wrongDatacenter, authMethod: "oauth", clientId: "client-1" };
    api.saveConnection.mockResolvedValueOnce(oauthWrong);
    renderPage(connected);
    await editAndSave(user, "tok");
    const banner = await screen.findByTestId("banner-wrong-datacenter");
    expect(screen.queryByTestId("qualtrics-form")).not.toBeInTheDocument();
    api.saveConnection.mockRejectedValueOnce(new IpcError("network", "detail"));
    await user.click(within(banner).getByTestId("use-suggested-host"));
    expect(api.saveConnection).toHaveBeenLastCalledWith({
      baseUrl: "iad1.qualtrics.com",
      auth: { method: "oauth", clientId: "client-1", clientSecret: "" },
    });
    expect(await screen.findByTestId("banner-connection-failed")).toBeInTheDocument();
  });

  it("a connection without visible surveys explains who to share them with", async () => {
    const user = userEvent.setup();
    api.saveConnection.mockResolvedValue({ ...connected, state: "noSurveys", surveyCount: 0, userName: "bob@acme.example" });
    renderPage(connected);
    await editAndSave(user, "tok");
    expect(await screen.findByTestId("banner-no-surveys")).toHaveTextContent("Share your surveys with bob@acme.example");
  });

  it("keeps the stored secret on edit when the token field is left empty", async () => {
    const user = userEvent.setup();
    api.saveConnection.mockResolvedValue(connected);
    renderPage(connected);
    await user.click(await screen.findByTestId("edit-configuration"));
    expect(screen.getByTestId("token-input")).toHaveAttribute("placeholder", "Leave empty to keep ••••abcd");
    expect(screen.getByTestId("token-input")).toHaveAttribute("type", "password");
    await user.click(screen.getByRole("button", { name: "Show API token" }));
    expect(screen.getByTestId("token-input")).toHaveAttribute("type", "text");
    await user.click(screen.getByTestId("save-connection"));
    await waitFor(() => expect(api.saveConnection).toHaveBeenCalledWith({ baseUrl: "iad1.qualtrics.com", auth: { method: "apiToken", token: "" } }));
  });

  it("requires the base URL and the secrets for a first configuration", async () => {
    const user = userEvent.setup();
    renderPage(notConfigured);
    await user.click(await screen.findByTestId("save-connection"));
    expect(screen.getByText("Enter your datacenter host.")).toBeInTheDocument();
    expect(screen.getByText("Paste your API token.")).toBeInTheDocument();
    await user.click(screen.getByTestId("auth-method-oauth"));
    await user.click(screen.getByTestId("save-connection"));
    expect(screen.getByText("Enter the OAuth client ID.")).toBeInTheDocument();
    expect(screen.getByText("Enter the client secret.")).toBeInTheDocument();
    expect(api.saveConnection).not.toHaveBeenCalled();
  });

  it("sends OAuth client credentials", async () => {
    const user = userEvent.setup();
    api.saveConnection.mockRejectedValue(new IpcError("unauthorized", "bad client"));
    renderPage(notConfigured);
    await user.click(await screen.findByTestId("auth-method-oauth"));
    await user.type(screen.getByTestId("client-id-input"), "cid");
    await user.type(screen.getByTestId("client-secret-input"), "csecret");
    await user.type(screen.getByTestId("base-url-input"), "fra1.qualtrics.com");
    await user.click(screen.getByTestId("save-connection"));
    expect(await screen.findByTestId("banner-token-rejected")).toHaveTextContent("Client credentials rejected");
    expect(api.saveConnection).toHaveBeenCalledWith({ baseUrl: "fra1.qualtrics.com", auth: { method: "oauth", clientId: "cid", clientSecret: "csecret" } });
  });

  it("deletes the configuration only after confirmation", async () => {
    const user = userEvent.setup();
    api.deleteConnection.mockResolvedValue(notConfigured);
    renderPage(connected);
    await user.click(await screen.findByTestId("delete-configuration"));
    const dialog = screen.getByTestId("confirm-dialog");
    await user.click(within(dialog).getByText("Cancel"));
    expect(api.deleteConnection).not.toHaveBeenCalled();
    await user.click(screen.getByTestId("delete-configuration"));
    await user.click(screen.getByTestId("confirm-ok"));
    expect(await screen.findByTestId("not-configured")).toBeInTheDocument();
    expect(api.deleteConnection).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId("masked-secret")).not.toBeInTheDocument();
  });

  it("offers demo data when nothing is configured, then shows it as active and read-only", async () => {
    const user = userEvent.setup();
    api.startDemo.mockImplementation(async () => {
      api.appInfo.mockResolvedValue({ version: "0.1.0", demo: true, dataDir: "/tmp/pulsemap/demo" });
      api.listMaps.mockResolvedValue([{ id: "m1", name: "Customer onboarding" } as MapSummary]);
      return { ...connected, userName: "demo@example" };
    });
    renderPage(notConfigured);
    await user.click(await screen.findByTestId("start-demo"));
    expect(await screen.findByTestId("banner-connected")).toHaveTextContent("demo@example");
    expect(api.startDemo).toHaveBeenCalledTimes(1);
    // The active data changed: maps and app info are read again.
    expect(await screen.findByTestId("demo-active")).toHaveTextContent("You are exploring demo data");
    expect(api.listMaps).toHaveBeenCalledTimes(2);
    expect(screen.getByTestId("masked-secret")).toBeInTheDocument();
    expect(screen.queryByTestId("edit-configuration")).not.toBeInTheDocument();
    expect(screen.queryByTestId("delete-configuration")).not.toBeInTheDocument();
    expect(screen.queryByTestId("qualtrics-form")).not.toBeInTheDocument();
  });

  it("leaves demo data back to the user's own configuration", async () => {
    const user = userEvent.setup();
    api.appInfo.mockResolvedValue({ version: "0.1.0", demo: true, dataDir: "/tmp/pulsemap/demo" });
    let resolve!: (s: ConnectionStatus) => void;
    api.leaveDemo.mockImplementation(() => {
      api.appInfo.mockResolvedValue({ version: "0.1.0", demo: false, dataDir: "/tmp/pulsemap" });
      return new Promise((r) => (resolve = r));
    });
    renderPage({ ...connected, userName: "demo@example" });
    await user.click(await screen.findByTestId("leave-demo"));
    expect(screen.getByTestId("leave-demo")).toBeDisabled();
    resolve(notConfigured);
    expect(await screen.findByTestId("banner-demo-left")).toHaveTextContent("Back to your own data");
    expect(await screen.findByTestId("not-configured")).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByTestId("demo-active")).not.toBeInTheDocument());
    expect(screen.getByTestId("start-demo")).toBeInTheDocument();
    expect(api.leaveDemo).toHaveBeenCalledTimes(1);
  });

  it("shows a failed leave as a banner and stays in the demo", async () => {
    const user = userEvent.setup();
    api.appInfo.mockResolvedValue({ version: "0.1.0", demo: true, dataDir: "/tmp/pulsemap/demo" });
    api.leaveDemo.mockRejectedValue(new IpcError("storage", "database is locked"));
    renderPage({ ...connected, userName: "demo@example" });
    await user.click(await screen.findByTestId("leave-demo"));
    expect(await screen.findByTestId("banner-leave-demo-failed")).toHaveTextContent("database is locked");
    expect(screen.getByTestId("demo-active")).toBeInTheDocument();
    expect(screen.getByTestId("leave-demo")).toBeEnabled();
  });
});

describe("edit form", () => {
  it("prefills the host only from a normalised base URL", async () => {
    resetIpc();
    api.connectionStatus.mockResolvedValue({ ...connected, baseUrl: "https://fra1.qualtrics.com/" });
    render(
      <AppStateProvider>
        <IntegrationsPage />
      </AppStateProvider>,
    );
    await userEvent.setup().click(await screen.findByTestId("edit-configuration"));
    expect(screen.getByTestId("base-url-input")).toHaveValue("fra1.qualtrics.com");
  });
});

describe("Integrations > Cached responses", () => {
  const cached = { surveyId: "SV_big", name: null, responses: 1000000, inProgress: 12, bytes: 240000000 };

  it("lists each survey's cache size and clears one only after confirming", async () => {
    const user = userEvent.setup();
    api.responseCacheSizes.mockResolvedValue([cached]);
    api.clearCachedResponses.mockResolvedValue([]);
    renderPage(connected);
    const row = await screen.findByTestId("response-cache-row");
    expect(row).toHaveTextContent("SV_big");
    expect(row).toHaveTextContent("240 MB");
    expect(row).toHaveTextContent("12 in progress");

    await user.click(within(row).getByTestId("response-cache-clear"));
    const dialog = await screen.findByTestId("confirm-dialog");
    expect(dialog).toHaveTextContent("Clear cached responses?");
    expect(api.clearCachedResponses).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(api.clearCachedResponses).not.toHaveBeenCalled();

    await user.click(within(screen.getByTestId("response-cache-row")).getByTestId("response-cache-clear"));
    await user.click(await screen.findByTestId("confirm-ok"));
    expect(api.clearCachedResponses).toHaveBeenCalledWith("SV_big");
    expect(await screen.findByTestId("response-cache-empty")).toBeInTheDocument();
    expect(screen.getByTestId("response-cache-message")).toHaveTextContent("Cleared the cached responses of SV_big");
  });

  it("says when nothing is cached", async () => {
    renderPage(connected);
    expect(await screen.findByTestId("response-cache-empty")).toHaveTextContent("No responses are cached");
  });
});
