/**
 * The "Configure Qualtrics" form: auth method, secret fields with show/hide, base URL with
 * hint; Save validates with Qualtrics (spinner) and reports the outcome to the page.
 * On Edit, empty secret fields mean "keep the stored secret".
 */
import { useState, type FormEvent } from "react";
import { Spinner } from "../components/Feedback";
import { SecretInput } from "../components/SecretInput";
import { api, toIpcError, type AuthMethod, type ConnectionInput, type ConnectionStatus, type IpcError } from "../ipc";
import { SetupGuidance } from "./SetupGuidance";

export function QualtricsForm(props: {
  status: ConnectionStatus | null;
  onSaved: (s: ConnectionStatus) => void;
  onFailed: (e: IpcError, oauth: boolean) => void;
  onValidating: () => void;
  onCancel?: () => void;
}) {
  const existing = props.status;
  const [method, setMethod] = useState<AuthMethod>(existing?.authMethod ?? "apiToken");
  // The core stores a normalised URL (https://host); the field asks for the host only.
  const [baseUrl, setBaseUrl] = useState((existing?.baseUrl ?? "").replace(/^https?:\/\//, "").replace(/\/+$/, ""));
  const [token, setToken] = useState("");
  const [clientId, setClientId] = useState(existing?.clientId ?? "");
  const [clientSecret, setClientSecret] = useState("");
  const [saving, setSaving] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});

  const keepsSecret = existing !== null && existing.authMethod === method && !!existing.maskedSecret;

  const validate = (): Record<string, string> => {
    const e: Record<string, string> = {};
    if (!baseUrl.trim()) e.baseUrl = "Enter your datacenter host.";
    if (method === "apiToken" && !token.trim() && !keepsSecret) e.token = "Paste your API token.";
    if (method === "oauth" && !clientId.trim()) e.clientId = "Enter the OAuth client ID.";
    if (method === "oauth" && !clientSecret.trim() && !keepsSecret) e.clientSecret = "Enter the client secret.";
    return e;
  };

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const e = validate();
    setErrors(e);
    if (Object.keys(e).length) return;
    const input: ConnectionInput = {
      baseUrl: baseUrl.trim(),
      auth:
        method === "apiToken"
          ? { method: "apiToken", token: token.trim() }
          : { method: "oauth", clientId: clientId.trim(), clientSecret: clientSecret.trim() },
    };
    setSaving(true);
    props.onValidating();
    try {
      const status = await api.saveConnection(input);
      setToken("");
      setClientSecret("");
      props.onSaved(status);
    } catch (err) {
      props.onFailed(toIpcError(err), method === "oauth");
    } finally {
      setSaving(false);
    }
  };

  const secretPlaceholder = keepsSecret ? `Leave empty to keep ${existing?.maskedSecret}` : undefined;
  return (
    <form className="panel form" onSubmit={(e) => void submit(e)} data-testid="qualtrics-form" noValidate>
      <h2 className="panel__title">Configure Qualtrics</h2>
      <fieldset className="field">
        <legend className="field__label">Authentication</legend>
        <div className="radio-group">
          <label className={`radio-card${method === "apiToken" ? " is-checked" : ""}`}>
            <input
              type="radio"
              name="auth-method"
              value="apiToken"
              checked={method === "apiToken"}
              data-testid="auth-method-token"
              onChange={() => setMethod("apiToken")}
            />
            <span>
              <strong>API token</strong>
              <small>From Account settings › Qualtrics IDs</small>
            </span>
          </label>
          <label className={`radio-card${method === "oauth" ? " is-checked" : ""}`}>
            <input
              type="radio"
              name="auth-method"
              value="oauth"
              checked={method === "oauth"}
              data-testid="auth-method-oauth"
              onChange={() => setMethod("oauth")}
            />
            <span>
              <strong>OAuth client credentials</strong>
              <small>Client ID and secret of an OAuth client</small>
            </span>
          </label>
        </div>
      </fieldset>
      <SetupGuidance method={method} />
      {method === "apiToken" ? (
        <>
          <SecretInput label="API token" value={token} onChange={setToken} testId="token-input" placeholder={secretPlaceholder} />
          {errors.token && <FieldError text={errors.token} />}
        </>
      ) : (
        <>
          <div className="field">
            <label className="field__label" htmlFor="client-id">
              Client ID
            </label>
            <input
              id="client-id"
              className="input"
              value={clientId}
              autoComplete="off"
              data-testid="client-id-input"
              onChange={(e) => setClientId(e.target.value)}
            />
            {errors.clientId && <FieldError text={errors.clientId} />}
          </div>
          <SecretInput
            label="Client secret"
            value={clientSecret}
            onChange={setClientSecret}
            testId="client-secret-input"
            placeholder={secretPlaceholder}
          />
          {errors.clientSecret && <FieldError text={errors.clientSecret} />}
        </>
      )}
      <div className="field">
        <label className="field__label" htmlFor="base-url">
          Base URL
        </label>
        <input
          id="base-url"
          className="input"
          value={baseUrl}
          placeholder="iad1.qualtrics.com"
          autoComplete="off"
          spellCheck={false}
          data-testid="base-url-input"
          aria-describedby="base-url-hint"
          onChange={(e) => setBaseUrl(e.target.value)}
        />
        <p className="field__hint" id="base-url-hint">
          Your datacenter host, e.g. iad1.qualtrics.com
        </p>
        {errors.baseUrl && <FieldError text={errors.baseUrl} />}
      </div>
      <div className="form__actions">
        {props.onCancel && (
          <button type="button" className="button button--ghost" onClick={props.onCancel} disabled={saving}>
            Cancel
          </button>
        )}
        <button type="submit" className="button button--primary" disabled={saving} data-testid="save-connection">
          {saving ? (
            <>
              <Spinner label="Validating" /> <span data-testid="validating">Validating with Qualtrics…</span>
            </>
          ) : (
            "Save"
          )}
        </button>
      </div>
    </form>
  );
}

function FieldError(props: { text: string }) {
  return (
    <p className="field__error" role="alert">
      {props.text}
    </p>
  );
}
