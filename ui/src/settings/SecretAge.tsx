/**
 * How old the saved secret is, and the reminder to rotate it: the reminder banner (rotation
 * due, or OAuth token requests failing) and the "Remind me to rotate after N days" setting.
 */
import { useState, type FormEvent } from "react";
import { NoticeBanner } from "../components/NoticeBanner";
import { api, toIpcError, type ConnectionStatus } from "../ipc";
import { noticeForReminder } from "../lib/connection";
import { relativeTime } from "../lib/format";

/** Fact rows for the secret's age ("Secret saved", "Last validated"). */
export function secretAgeRows(s: ConnectionStatus, now: Date): [string, string | null][] {
  const secret = s.authMethod === "oauth" ? "Client secret saved" : "Token saved";
  return [
    [secret, s.secretSavedAt ? ageText(s.secretSavedAt, now) : null],
    ["Last validated", s.validatedAt ? relativeTime(s.validatedAt, now) : null],
  ];
}

function ageText(iso: string, now: Date): string {
  const days = Math.floor((now.getTime() - new Date(iso).getTime()) / 86_400_000);
  if (days < 1) return "today";
  return days === 1 ? "1 day ago" : `${days} days ago`;
}

export function RotationReminder(props: { status: ConnectionStatus; now: Date }) {
  const notice = noticeForReminder(props.status.reminder, props.status.authMethod === "oauth", props.now);
  return notice ? <NoticeBanner notice={notice} compact /> : null;
}

/** "Remind me to rotate after [90] days" with its own Save. */
export function RotationSetting(props: { status: ConnectionStatus; onSaved: (s: ConnectionStatus) => void }) {
  const [days, setDays] = useState(String(props.status.rotationDays));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const n = Number(days);
    if (!Number.isInteger(n) || n < 1 || n > 3650) {
      setError("Enter a whole number of days between 1 and 3650.");
      return;
    }
    setError(null);
    setSaving(true);
    try {
      props.onSaved(await api.setRotationReminderDays(n));
    } catch (err) {
      setError(toIpcError(err).message);
    } finally {
      setSaving(false);
    }
  };
  const changed = days !== String(props.status.rotationDays);
  return (
    <form className="rotation-setting" onSubmit={(e) => void submit(e)} data-testid="rotation-setting" noValidate>
      <label htmlFor="rotation-days">Remind me to rotate after</label>
      <input
        id="rotation-days"
        className="input input--narrow"
        inputMode="numeric"
        value={days}
        data-testid="rotation-days-input"
        aria-describedby={error ? "rotation-days-error" : undefined}
        onChange={(e) => setDays(e.target.value)}
      />
      <span>days</span>
      <button type="submit" className="button button--small" disabled={saving || !changed} data-testid="rotation-days-save">
        Save
      </button>
      {error && (
        <p className="field__error" role="alert" id="rotation-days-error">
          {error}
        </p>
      )}
    </form>
  );
}
