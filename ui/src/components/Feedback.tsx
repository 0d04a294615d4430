/** Loading and empty-state primitives: Spinner, Skeleton, EmptyState. */
import type { ReactNode } from "react";

/**
 * A ring with a rotating arc, drawn as SVG and animated by SVG itself (SMIL), not by a CSS
 * transform animation: WebKitGTK never painted a CSS-animated spinner created while the
 * window was still being shown (the refresh that starts with the app), while SVG animation
 * is painted like any other content.
 */
export function Spinner(props: { size?: "sm" | "md"; label?: string }) {
  return (
    <svg
      className={`spinner spinner--${props.size ?? "sm"}`}
      viewBox="0 0 16 16"
      role="progressbar"
      aria-label={props.label ?? "Loading"}
      focusable="false"
    >
      <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeOpacity="0.25" strokeWidth="2.5" />
      <path d="M8 1.5 a6.5 6.5 0 0 1 6.5 6.5" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round">
        <animateTransform
          attributeName="transform"
          type="rotate"
          from="0 8 8"
          to="360 8 8"
          dur="0.75s"
          repeatCount="indefinite"
        />
      </path>
    </svg>
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
  /** The page's own heading (h1) when the empty state is the whole page; h2 inside a page. */
  heading?: "h1" | "h2";
}) {
  const Heading = props.heading ?? "h2";
  return (
    <div className="empty" data-testid={props.testId}>
      <div className="empty__icon" aria-hidden>
        {props.icon ?? "◎"}
      </div>
      <Heading className="empty__title">{props.title}</Heading>
      {props.children && <p className="empty__text">{props.children}</p>}
      {props.action && <div className="empty__action">{props.action}</div>}
    </div>
  );
}
