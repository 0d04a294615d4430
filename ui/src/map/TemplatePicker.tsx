/**
 * "New map from template": the built-in templates (SaaS onboarding, online purchase, support
 * case) and the user's saved ones, each with its description and a preview of its stages,
 * lanes and suggested metric cards; a name for the new map (the template's by default).
 * Suggested metric cards arrive unbound and ask for a survey and question when first opened.
 */
import { useEffect, useState } from "react";
import { Spinner } from "../components/Feedback";
import { Modal } from "../components/Modal";
import { api, toIpcError, type MapTemplate, type MapView } from "../ipc";

export function TemplatePicker(props: { onCreated: (v: MapView) => void; onClose: () => void }) {
  const [templates, setTemplates] = useState<MapTemplate[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api
      .listMapTemplates()
      .then((t) => {
        setTemplates(t);
        if (t[0]) {
          setPicked(t[0].id);
          setName(t[0].name);
        }
      })
      .catch((e) => setError(toIpcError(e).message));
  }, []);

  const pick = (t: MapTemplate) => {
    const current = templates?.find((x) => x.id === picked);
    // Keep a name the user typed; follow the template's while it is untouched.
    if (!name.trim() || name === current?.name) setName(t.name);
    setPicked(t.id);
  };

  const create = async () => {
    if (!picked) return;
    setBusy(true);
    setError(null);
    try {
      props.onCreated(await api.createMapFromTemplate(picked, name.trim() || null));
    } catch (e) {
      setError(toIpcError(e).message);
      setBusy(false);
    }
  };

  return (
    <Modal
      title="New map from a template"
      onClose={props.onClose}
      wide
      testId="template-picker"
      footer={
        <>
          <button type="button" className="button button--ghost" onClick={props.onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="button button--primary"
            data-testid="template-create"
            disabled={!picked || busy || !name.trim()}
            onClick={() => void create()}
          >
            {busy ? <Spinner label="Creating" /> : null} Create map
          </button>
        </>
      }
    >
      {error && (
        <p className="field__error" role="alert" data-testid="template-error">
          {error}
        </p>
      )}
      {!templates && !error && <Spinner label="Loading templates" />}
      {templates && (
        <fieldset className="templates" data-testid="template-list">
          <legend className="visually-hidden">Template</legend>
          {templates.map((t) => (
            <label
              key={t.id}
              className={`template${picked === t.id ? " is-selected" : ""}`}
              data-testid="template-option"
              data-template-id={t.id}
            >
              <input
                type="radio"
                name="template"
                value={t.id}
                checked={picked === t.id}
                onChange={() => pick(t)}
                data-autofocus={picked === t.id ? true : undefined}
              />
              <span className="template__name">
                {t.name}
                {!t.builtin && <span className="template__meta"> · yours</span>}
              </span>
              {t.description && <p className="template__desc">{t.description}</p>}
              <ol className="template__stages" aria-label={`Stages of ${t.name}`} data-testid="template-stages">
                {t.stages.map((s, i) => (
                  <li key={i}>{s}</li>
                ))}
              </ol>
              <span className="template__meta">
                Lanes: {t.lanes.join(", ") || "none"}
                {t.metricCards.length > 0 && <> · Suggested cards: {t.metricCards.join(", ")}</>}
              </span>
            </label>
          ))}
        </fieldset>
      )}
      <label className="field template-name">
        <span className="field__label">Map name</span>
        <input
          className="input"
          data-testid="template-map-name"
          value={name}
          maxLength={500}
          onChange={(e) => setName(e.target.value)}
        />
        <span className="field__hint">Suggested metric cards ask for a survey and a question when you first open them.</span>
      </label>
    </Modal>
  );
}

/** "Save as template": a name (the map's by default), then the template is saved. */
export function SaveTemplateDialog(props: {
  mapId: string;
  mapName: string;
  onSaved: (t: MapTemplate) => void;
  onClose: () => void;
}) {
  const [name, setName] = useState(props.mapName);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    try {
      props.onSaved(await api.saveMapAsTemplate(props.mapId, name.trim()));
    } catch (e) {
      setError(toIpcError(e).message);
      setBusy(false);
    }
  };
  return (
    <Modal
      title="Save as template"
      onClose={props.onClose}
      testId="save-template"
      footer={
        <>
          <button type="button" className="button button--ghost" onClick={props.onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="button button--primary"
            data-testid="save-template-ok"
            disabled={busy || !name.trim()}
            onClick={() => void save()}
          >
            Save template
          </button>
        </>
      }
    >
      <label className="field">
        <span className="field__label">Template name</span>
        <input className="input" data-testid="save-template-name" value={name} onChange={(e) => setName(e.target.value)} />
        <span className="field__hint">
          Stages, lanes, text cards and metric card settings are saved; values are not. New maps from it keep their surveys.
        </span>
      </label>
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
    </Modal>
  );
}
