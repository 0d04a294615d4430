/**
 * Focus helpers for elements that disappear under the keyboard (an editor closing, a menu
 * item removed): focus moves to a stable element instead of falling to the page body.
 *
 * Contract: `refocusIfLost` acts after the current render (next animation frame) and only when
 * focus was really lost (on the body or nowhere), so a click elsewhere keeps its own focus.
 */
export function focusLost(): boolean {
  const a = document.activeElement;
  return !a || a === document.body || !a.isConnected;
}

export function refocusIfLost(target: () => HTMLElement | null | undefined): void {
  requestAnimationFrame(() => {
    if (focusLost()) target()?.focus();
  });
}
