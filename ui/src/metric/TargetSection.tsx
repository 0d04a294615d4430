/**
 * Target of a card (value, higher or lower is better, amber margin) with its red/amber/green
 * rule spelled out for the values typed, and the minimum n under which the card says "Low n".
 */
import type { Better, MetricUnit } from "../ipc";
import { defaultAmberMargin, targetRule } from "../lib/cardFacts";
import type { Draft } from "./draft";

export function TargetSection(props: {
  draft: Draft;
  set: (patch: Partial<Draft>) => void;
  unit: MetricUnit;
  errors: { targetValue?: string; targetAmber?: string; minN?: string };
}) {
  const { draft, set, unit, errors } = props;
  const t = draft.target;
  const setT = (patch: Partial<Draft["target"]>) => set({ target: { ...t, ...patch } });
  const value = Number(t.value);
  const valid = t.enabled && !errors.targetValue && !errors.targetAmber && t.value.trim() !== "";
  const decimals = Number.isInteger(draft.decimals) ? draft.decimals : 1;
  return (
    <fieldset className="field subpanel" data-testid="metric-target-section">
      <legend className="field__label">Target and reliability</legend>
      <label className="checkbox">
        <input type="checkbox" checked={t.enabled} data-testid="metric-target-enabled" onChange={(e) => setT({ enabled: e.target.checked })} />
        <span>Set a target</span>
      </label>
      {t.enabled && (
        <>
          <div className="form-row">
            <label className="inline-field">
              <span>Target</span>
              <input
                className={`input input--narrow${errors.targetValue ? " input--invalid" : ""}`}
                inputMode="decimal"
                data-testid="metric-target-value"
                aria-invalid={!!errors.targetValue}
                value={t.value}
                placeholder={unit === "score" ? "40" : unit === "percent" ? "80" : "5.5"}
                onChange={(e) => setT({ value: e.target.value })}
              />
            </label>
            <select
              className="input"
              aria-label="Which direction is better"
              data-testid="metric-target-better"
              value={t.better}
              onChange={(e) => setT({ better: e.target.value as Better })}
            >
              <option value="higher">Higher is better</option>
              <option value="lower">Lower is better</option>
            </select>
            <label className="inline-field">
              <span>Amber margin</span>
              <input
                className={`input input--narrow${errors.targetAmber ? " input--invalid" : ""}`}
                inputMode="decimal"
                data-testid="metric-target-amber"
                aria-invalid={!!errors.targetAmber}
                value={t.amber}
                placeholder={Number.isFinite(value) && t.value.trim() !== "" ? trim(defaultAmberMargin(value)) : "10%"}
                onChange={(e) => setT({ amber: e.target.value })}
              />
            </label>
          </div>
          {errors.targetValue && (
            <p className="field__error" role="alert" data-testid="metric-target-value-error">
              {errors.targetValue}
            </p>
          )}
          {errors.targetAmber && (
            <p className="field__error" role="alert" data-testid="metric-target-amber-error">
              {errors.targetAmber}
            </p>
          )}
          <p className="field__hint" data-testid="metric-target-rule">
            {valid
              ? targetRule({ value, better: t.better, amberMargin: t.amber.trim() === "" ? null : Number(t.amber) }, unit, decimals)
              : "The card shows ✓ On target, ▲ Near target (within the amber margin) or ✕ Off target."}
            {valid && t.amber.trim() === "" ? " (Default amber margin: 10% of the target; 1 for a target of 0.)" : ""}
          </p>
        </>
      )}
      <label className="inline-field">
        <span>Minimum n</span>
        <input
          className={`input input--narrow${errors.minN ? " input--invalid" : ""}`}
          inputMode="numeric"
          data-testid="metric-min-n"
          aria-invalid={!!errors.minN}
          value={draft.minN}
          onChange={(e) => set({ minN: e.target.value })}
        />
      </label>
      {errors.minN && (
        <p className="field__error" role="alert" data-testid="metric-min-n-error">
          {errors.minN}
        </p>
      )}
      <p className="field__hint">Below this many answers the card shows a “Low n” badge: such a value can swing by chance.</p>
    </fieldset>
  );
}

function trim(v: number): string {
  return String(Math.round(v * 100) / 100);
}
