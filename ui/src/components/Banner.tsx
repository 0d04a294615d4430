/** Coloured message bar (success / error / warning / info) with optional actions. */
import type { ReactNode } from "react";
import type { Tone } from "../lib/connection";

const ICONS: Record<Tone, string> = { success: "✓", error: "!", warning: "!", info: "i" };

export function Banner(props: {
  tone: Tone;
  title: string;
  children?: ReactNode;
  actions?: ReactNode;
  testId?: string;
  compact?: boolean;
}) {
  return (
    <div
      className={`banner banner--${props.tone}${props.compact ? " banner--compact" : ""}`}
      role={props.tone === "error" ? "alert" : "status"}
      data-testid={props.testId}
    >
      <span className="banner__icon" aria-hidden>
        {ICONS[props.tone]}
      </span>
      <div className="banner__body">
        <strong className="banner__title">{props.title}</strong>
        {props.children && <div className="banner__text">{props.children}</div>}
      </div>
      {props.actions && <div className="banner__actions">{props.actions}</div>}
    </div>
  );
}
