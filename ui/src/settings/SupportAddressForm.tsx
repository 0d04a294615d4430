/**
 * The support address "Contact support" mails (Help menu, Debug configuration). There is no
 * built-in address: the user or their organisation sets it here (or with
 * `pulsemap support-address set`). Errors come from core (invalid address, named).
 */
import { useEffect, useState } from "react";
import { api, toIpcError } from "../ipc";

export function SupportAddressForm() {
  const [saved, setSaved] = useState<string | null>(null);
  const [value, setValue] = useState("");
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);

  useEffect(() => {
    api
      .supportAddress()
      .then((a) => {
        setSaved(a);
        setValue(a ?? "");
      })
      .catch((e) => setMessage({ error: true, text: toIpcError(e).message }));
  }, []);

  const save = async () => {
    try {
      const address = await api.setSupportAddress(value);
      setSaved(address);
      setValue(address);
      setMessage({ error: false, text: "Support address saved." });
    } catch (e) {
      setMessage({ error: true, text: toIpcError(e).message });
    }
  };

  return (
    <section className="panel form" data-testid="support-settings">
      <h2 className="panel__title">Support contact</h2>
      <p className="muted">
        {saved
          ? "Help › Contact support and the Debug configuration page prepare an email to this address."
          : "No support address yet. Ask your organisation who supports Pulsemap and enter the address here."}
      </p>
      <div className="field">
        <label className="field__label" htmlFor="support-address">
          Support email address
        </label>
        <input
          id="support-address"
          className="input"
          type="email"
          value={value}
          placeholder="help@your-org.com"
          data-testid="support-address-input"
          onChange={(e) => setValue(e.target.value)}
        />
      </div>
      {message && (
        <p className={message.error ? "field__error" : "muted"} role={message.error ? "alert" : "status"} data-testid="support-address-message">
          {message.text}
        </p>
      )}
      <div className="form__actions">
        <button type="button" className="button" data-testid="support-address-save" disabled={!value.trim()} onClick={() => void save()}>
          Save support address
        </button>
      </div>
    </section>
  );
}
