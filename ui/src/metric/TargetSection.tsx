/**
 * Target of a card (value, higher or lower is better, amber margin) with its red/amber/green
 * rule spelled out for the values typed, and the minimum n under which the card says "Low n".
 */
import type { Better, MetricUnit } from "../ipc";
import { defaultAmberMargin, targetRule } from "../lib/cardFacts";
import type { Draft } from "./draft";
import { FieldError, InlineInput } from "./fields";

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
            <InlineInput
              label="Target"
              narrow
              error={errors.targetValue}
              inputMode="decimal"
              data-testid="metric-target-value"
              value={t.value}
              placeholder={unit === "score" ? "40" : unit === "percent" ? "80" : "5.5"}
              onChange={(e) => setT({ value: e.target.value })}
            />
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
            <InlineInput
              label="Amber margin"
              narrow
              error={errors.targetAmber}
              inputMode="decimal"
              data-testid="metric-target-amber"
              value={t.amber}
              placeholder={Number.isFinite(value) && t.value.trim() !== "" ? trim(defaultAmberMargin(value)) : "10%"}
              onChange={(e) => setT({ amber: e.target.value })}
            />
          </div>
          <FieldError error={errors.targetValue} testId="metric-target-value-error" />
          <FieldError error={errors.targetAmber} testId="metric-target-amber-error" />
          <p className="field__hint" data-testid="metric-target-rule">
            {valid
              ? targetRule({ value, better: t.better, amberMargin: t.amber.trim() === "" ? null : Number(t.amber) }, unit, decimals)
              : "The card shows ✓ On target, ▲ Near target (within the amber margin) or ✕ Off target."}
            {valid && t.amber.trim() === "" ? " (Default amber margin: 10% of the target; 1 for a target of 0.)" : ""}
          </p>
        </>
      )}
      <InlineInput
        label="Minimum n"
        narrow
        error={errors.minN}
        inputMode="numeric"
        data-testid="metric-min-n"
        value={draft.minN}
        onChange={(e) => set({ minN: e.target.value })}
      />
      <FieldError error={errors.minN} testId="metric-min-n-error" />
      <p className="field__hint">Below this many answers the card shows a “Low n” badge: such a value can swing by chance.</p>
    </fieldset>
  );
}

function trim(v: number): string {
  return String(Math.round(v * 100) / 100);
}
