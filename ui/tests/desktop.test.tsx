/**
 * Desktop integration seen from the UI: native menu actions navigate or prepare the support
 * email, the debug page offers "Open folder" and "Email support", and the support address is
 * set in Integrations.
 */
import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import App from "../src/App";
import { DebugPage } from "../src/debug/DebugPage";
import { IpcError } from "../src/ipc";
import { connected, surveys } from "./fixtures";
import { api, emit, resetIpc } from "./ipcMock";

vi.mock("../src/ipc", async (orig) => ({ ...(await orig<object>()), ...(await import("./ipcMock")).ipcModule }));

beforeEach(() => {
  resetIpc();
  api.connectionStatus.mockResolvedValue(connected);
});

const mail = { address: "help@acme.com", subject: "s", mailto: "mailto:help@acme.com?subject=s" };

describe("native menu", () => {
  it("File > Integrations and File > Download debug data navigate", async () => {
    render(<App />);
    expect(await screen.findByTestId("home-empty")).toBeInTheDocument();
    act(() => emit("menu-action", "openDebug"));
    expect(await screen.findByTestId("debug-page")).toBeInTheDocument();
    act(() => emit("menu-action", "openSettings"));
    expect(await screen.findByTestId("integrations-page")).toBeInTheDocument();
  });

  it("Help > Contact support opens the prepared email when an address is set", async () => {
    api.contactSupport.mockResolvedValue(mail);
    render(<App />);
    expect(await screen.findByTestId("home-empty")).toBeInTheDocument();
    act(() => emit("menu-action", "contactSupport"));
    await waitFor(() => expect(api.contactSupport).toHaveBeenCalledWith(null));
    expect(screen.getByTestId("home-empty")).toBeInTheDocument();
    expect(screen.queryByTestId("toast")).not.toBeInTheDocument();
  });

  it("Help > Contact support without an address opens the settings where it is set", async () => {
    api.contactSupport.mockResolvedValue(null);
    render(<App />);
    expect(await screen.findByTestId("home-empty")).toBeInTheDocument();
    act(() => emit("menu-action", "contactSupport"));
    expect(await screen.findByTestId("integrations-page")).toBeInTheDocument();
    expect(await screen.findByTestId("support-settings")).toBeInTheDocument();
    expect(screen.getByTestId("toast")).toHaveTextContent("support email address");
  });
});

describe("debug bundle follow-up", () => {
  async function saveBundle() {
    const user = userEvent.setup();
    api.listSurveys.mockResolvedValue(surveys);
    api.debugExport.mockResolvedValue("/home/me/pulsemap-debug.zip");
    render(<DebugPage />);
    await user.click(screen.getByTestId("debug-survey"));
    await user.click(await screen.findByRole("option", { name: /Support/ }));
    await user.click(screen.getByTestId("debug-download"));
    await screen.findByTestId("debug-saved");
    return user;
  }

  it("opens the saved zip's folder", async () => {
    api.revealFile.mockResolvedValue(null);
    const user = await saveBundle();
    await user.click(screen.getByTestId("debug-open-folder"));
    expect(api.revealFile).toHaveBeenCalledWith("/home/me/pulsemap-debug.zip");
  });

  it("prepares an email naming the zip, or says where to set the address", async () => {
    api.contactSupport.mockResolvedValueOnce(mail).mockResolvedValueOnce(null);
    const user = await saveBundle();
    await user.click(screen.getByTestId("debug-email-support"));
    expect(api.contactSupport).toHaveBeenCalledWith("/home/me/pulsemap-debug.zip");
    expect(await screen.findByTestId("debug-follow-up")).toHaveTextContent(
      "email to help@acme.com is ready in your mail app: attach /home/me/pulsemap-debug.zip",
    );
    await user.click(screen.getByTestId("debug-email-support"));
    expect(await screen.findByTestId("debug-follow-up")).toHaveTextContent("Integrations › Support contact");
  });
});

describe("support address setting", () => {
  it("saves the address and shows core's error for a bad one", async () => {
    const user = userEvent.setup();
    api.setSupportAddress.mockRejectedValueOnce(
      new IpcError("invalidInput", 'support address "nope" is not usable: it has no \'@\''),
    );
    api.setSupportAddress.mockResolvedValueOnce("help@acme.com");
    render(<App />);
    act(() => emit("menu-action", "openSettings"));
    const input = await screen.findByTestId("support-address-input");
    await user.type(input, "nope");
    await user.click(screen.getByTestId("support-address-save"));
    expect(await screen.findByTestId("support-address-message")).toHaveTextContent("has no '@'");
    await user.clear(input);
    await user.type(input, "help@acme.com");
    await user.click(screen.getByTestId("support-address-save"));
    expect(api.setSupportAddress).toHaveBeenLastCalledWith("help@acme.com");
    expect(await screen.findByTestId("support-address-message")).toHaveTextContent("Support address saved.");
    expect(input).toHaveValue("help@acme.com");
  });
});
