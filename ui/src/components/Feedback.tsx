/** Loading and empty-state primitives: Spinner, Skeleton, EmptyState. */
import type { ReactNode } from "react";

export function Spinner(props: { size?: "sm" | "md"; label?: string }) {
  return (
    <span
      className={`spinner spinner--${props.size ?? "sm"}`}
      role="progressbar"
      aria-label={props.label ?? "Loading"}
    />
  );
}

export function Skeleton(props: { width?: string; height?: string; className?: string }) {
  return (
    <span
      className={`skeleton ${props.className ?? ""}`}
      style={{ width: props.width ?? "100%", height: props.height ?? "1em" }}
      aria-hidden
    />
  );
}

export function EmptyState(props: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
  testId?: string;
  icon?: string;
}) {
  return (
    <div className="empty" data-testid={props.testId}>
      <div className="empty__icon" aria-hidden>
        {props.icon ?? "◎"}
      </div>
      <h2 className="empty__title">{props.title}</h2>
      {props.children && <p className="empty__text">{props.children}</p>}
      {props.action && <div className="empty__action">{props.action}</div>}
    </div>
  );
}
