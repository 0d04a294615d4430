/**
 * Integrations > Qualtrics: shows the saved configuration (masked secret, whoami facts, state
 * banner) with Edit / Delete, the configuration form, and the demo-data entry point when
 * nothing is configured. While demo data is active the page says so and offers only "Leave
 * demo" (the demo's connection is not the user's to edit); entering or leaving the demo
 * reloads the maps and app info, since the active data changed. A wrong-datacenter banner
 * offers the right host in one click: the connection is saved again on that host, keeping
 * the stored secret (an empty secret means "keep it").
 */
import { useState } from "react";
import { useAppState } from "../AppState";
import { Banner } from "../components/Banner";
import { NoticeBanner } from "../components/NoticeBanner";
import { Skeleton, Spinner } from "../components/Feedback";
import { ConfirmDialog } from "../components/Modal";
import { api, toIpcError, type ConnectionStatus, type IpcError } from "../ipc";
import { noticeForKind, noticeForStatus, type Notice } from "../lib/connection";
import { relativeTime } from "../lib/format";
import { QualtricsForm } from "./QualtricsForm";
import { RotationReminder, RotationSetting, secretAgeRows } from "./SecretAge";
import { ResponseCache } from "./ResponseCache";
import { SupportAddressForm } from "./SupportAddressForm";

export function IntegrationsPage() {
  const { status, statusError, setStatus, reloadStatus, info, reloadMapsAndInfo } = useAppState();
  const [editing, setEditing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, setBusy] = useState<null | "delete" | "demo" | "leave" | "switch">(null);
  const [notice, setNotice] = useState<Notice | null>(null);

  const onSaved = (s: ConnectionStatus) => {
    setStatus(s);
    setNotice(noticeForStatus(s));
    if (s.state === "connected" || s.state === "noSurveys" || s.state === "wrongDatacenter") setEditing(false);
  };
  const runDemo = async () => {
    setBusy("demo");
    try {
      onSaved(await api.startDemo());
      await reloadMapsAndInfo();
    } catch (e) {
      setNotice(noticeForKind(toIpcError(e).kind));
    } finally {
      setBusy(null);
    }
  };
  const leaveDemo = async () => {
    setBusy("leave");
    try {
      setStatus(await api.leaveDemo());
      await reloadMapsAndInfo();
      setEditing(false);
      setNotice({
        tone: "info",
        id: "demo-left",
        title: "Back to your own data",
        body: "The demo data stays on this computer; “Try with demo data” brings it back.",
      });
    } catch (e) {
      setNotice({ tone: "error", id: "leave-demo-failed", title: "Could not leave the demo", body: toIpcError(e).message });
    } finally {
      setBusy(null);
    }
  };
  const useHost = async (host: string) => {
    if (!status) return;
    setBusy("switch");
    setNotice(null);
    try {
      const auth =
        status.authMethod === "oauth"
          ? ({ method: "oauth", clientId: status.clientId ?? "", clientSecret: "" } as const)
          : ({ method: "apiToken", token: "" } as const);
      onSaved(await api.saveConnection({ baseUrl: host, auth }));
    } catch (e) {
      setNotice(noticeForKind(toIpcError(e).kind, status.authMethod === "oauth"));
    } finally {
      setBusy(null);
    }
  };
  const remove = async () => {
    setBusy("delete");
    try {
      setStatus(await api.deleteConnection());
      setNotice({ tone: "info", id: "deleted", title: "Configuration deleted", body: "The token was removed from the keychain. Cached survey values stay on this computer." });
    } catch (e) {
      const err: IpcError = toIpcError(e);
      setNotice(noticeForKind(err.kind));
    } finally {
      setBusy(null);
      setConfirmDelete(false);
    }
  };

  const configured = status !== null && status.state !== "notConfigured";
  const demo = info?.demo === true;
  return (
    <div className="page" data-testid="integrations-page">
      <header className="page__header">
        <div>
          <p className="page__eyebrow">Integrations</p>
          <h1 className="page__title">Qualtrics</h1>
        </div>
      </header>
      <div className="page__content page__content--narrow">
        {notice && (
          <NoticeBanner
            notice={notice}
            actions={
              notice.useHost && !demo ? (
                <UseHostButton host={notice.useHost} busy={busy === "switch"} onClick={() => void useHost(notice.useHost!)} />
              ) : undefined
            }
          />
        )}
        {status === null && !statusError && (
          <section className="panel" aria-busy="true" data-testid="integrations-loading">
            <Skeleton height="20px" width="40%" />
            <Skeleton height="14px" width="70%" />
            <Skeleton height="14px" width="55%" />
          </section>
        )}
        {statusError && (
          <Banner
            tone="error"
            title="Connection status unavailable"
            actions={<button type="button" className="button button--small" onClick={() => void reloadStatus()}>Retry</button>}
          >
            {statusError.message}
          </Banner>
        )}
        {status && !configured && !editing && (
          <section className="panel panel--intro" data-testid="not-configured">
            <h2 className="panel__title">Connect Qualtrics</h2>
            <p>
              Pulsemap reads your survey responses with a Qualtrics API token (or OAuth client credentials) and
              computes metrics on this computer. The secret is kept only in your system keychain.
            </p>
            <p className="muted">No Qualtrics account at hand? Explore Pulsemap with a bundled demo brand.</p>
            <PanelAction
              testId="start-demo"
              label="Try with demo data"
              busy={busy === "demo"}
              disabled={busy !== null}
              onClick={() => void runDemo()}
            />
          </section>
        )}
        {demo && (
          <section className="panel panel--demo" data-testid="demo-active">
            <h2 className="panel__title">You are exploring demo data</h2>
            <p>
              A bundled simulator plays a demo Qualtrics brand. Its maps and cached values live apart from yours,
              and your own configuration and keychain are untouched.
            </p>
            <PanelAction
              testId="leave-demo"
              label="Leave demo"
              primary
              busy={busy === "leave"}
              disabled={busy !== null}
              onClick={() => void leaveDemo()}
            />
          </section>
        )}
        {status && configured && !editing && (
          <SavedConfiguration
            readOnly={demo}
            status={status}
            onEdit={() => {
              setNotice(null);
              setEditing(true);
            }}
            onDelete={() => setConfirmDelete(true)}
            onUseHost={(host) => void useHost(host)}
            switching={busy === "switch"}
            onStatus={setStatus}
            showStateBanner={!notice}
          />
        )}
        {status && !demo && (editing || !configured) && (
          <QualtricsForm
            status={configured ? status : null}
            onSaved={onSaved}
            onFailed={(err, oauth) => setNotice(noticeForKind(err.kind, oauth))}
            onValidating={() => setNotice(null)}
            onCancel={configured ? () => setEditing(false) : undefined}
          />
        )}
        <SupportAddressForm />
        <ResponseCache />
      </div>
      {confirmDelete && (
        <ConfirmDialog
          title="Delete the Qualtrics configuration?"
          message="The token is removed from your keychain and Pulsemap stops refreshing. Your maps and cached values stay."
          confirmLabel="Delete configuration"
          danger
          busy={busy === "delete"}
          onCancel={() => setConfirmDelete(false)}
          onConfirm={() => void remove()}
        />
      )}
    </div>
  );
}

/** A panel's single action button, with a spinner while its action runs. */
function PanelAction(props: {
  testId: string;
  label: string;
  primary?: boolean;
  busy: boolean;
  disabled: boolean;
  onClick: () => void;
}) {
  return (
    <div className="panel__actions">
      <button
        type="button"
        className={props.primary ? "button button--primary" : "button"}
        data-testid={props.testId}
        disabled={props.disabled}
        onClick={props.onClick}
      >
        {props.busy ? <Spinner /> : null} {props.label}
      </button>
    </div>
  );
}

/** "Use iad1.qualtrics.com": saves the connection again on the right datacenter host. */
function UseHostButton(props: { host: string; busy: boolean; onClick: () => void }) {
  return (
    <button
      type="button"
      className="button button--small button--primary"
      data-testid="use-suggested-host"
      disabled={props.busy}
      onClick={props.onClick}
    >
      {props.busy ? <Spinner /> : null} Use {props.host}
    </button>
  );
}

function SavedConfiguration(props: {
  status: ConnectionStatus;
  readOnly: boolean;
  onEdit: () => void;
  onDelete: () => void;
  onUseHost: (host: string) => void;
  switching: boolean;
  onStatus: (s: ConnectionStatus) => void;
  showStateBanner: boolean;
}) {
  const s = props.status;
  const now = new Date();
  const stateNotice = noticeForStatus(s);
  const rows: [string, string | null][] = [
    // In demo mode (read-only) the base URL is the bundled simulator's loopback address: say what it is.
    ["Base URL", props.readOnly ? "Demo simulator" : s.baseUrl],
    ["Authentication", s.authMethod === "oauth" ? "OAuth client credentials" : "API token"],
    ...(s.authMethod === "oauth" ? ([["Client ID", s.clientId ?? null]] as [string, string | null][]) : []),
    [s.authMethod === "oauth" ? "Client secret" : "API token", s.maskedSecret],
    ["User", s.userName],
    ["Brand", s.brandId],
    ["Datacenter", s.datacenter],
    ["Surveys visible", s.surveyCount === null ? null : String(s.surveyCount)],
    ...secretAgeRows(s, now),
    ["Last checked", s.checkedAt ? relativeTime(s.checkedAt, now) : null],
  ];
  return (
    <section className="panel" data-testid="saved-configuration">
      {props.showStateBanner && stateNotice && (
        <NoticeBanner
          notice={stateNotice}
          compact
          actions={
            stateNotice.useHost && !props.readOnly ? (
              <UseHostButton
                host={stateNotice.useHost}
                busy={props.switching}
                onClick={() => props.onUseHost(stateNotice.useHost!)}
              />
            ) : undefined
          }
        />
      )}
      {!props.readOnly && <RotationReminder status={s} now={now} />}
      <dl className="facts">
        {rows
          .filter(([, v]) => v)
          .map(([k, v]) => (
            <div className="facts__row" key={k}>
              <dt>{k}</dt>
              <dd data-testid={k === "API token" || k === "Client secret" ? "masked-secret" : undefined}>{v}</dd>
            </div>
          ))}
      </dl>
      {!props.readOnly && <RotationSetting key={s.rotationDays} status={s} onSaved={props.onStatus} />}
      {!props.readOnly && (
        <div className="panel__actions">
          <button type="button" className="button" data-testid="edit-configuration" onClick={props.onEdit}>
            Edit configuration
          </button>
          <button type="button" className="button button--danger-ghost" data-testid="delete-configuration" onClick={props.onDelete}>
            Delete configuration
          </button>
        </div>
      )}
    </section>
  );
}
