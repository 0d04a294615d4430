/**
 * Modal dialog and a confirmation dialog built on it, on react-aria-components' ModalOverlay
 * + Modal + Dialog: focus moves in (to the first field, or `[data-autofocus]`), Tab is trapped
 * inside, everything behind is hidden from assistive tech and unreachable, Escape and a click
 * on the backdrop close, and focus returns to what opened it. The body scrolls under a fixed
 * header and footer, so the footer's buttons stay visible on small windows.
 */
import { useEffect, useRef, type ReactNode } from "react";
import { Dialog, Heading, Modal as AriaModal, ModalOverlay } from "react-aria-components";

export function Modal(props: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
  testId?: string;
}) {
  const ref = useRef<HTMLElement>(null);
  // Runs after the dialog's own mount effect (which focuses the dialog element), so the first
  // field gets the focus instead.
  useEffect(() => {
    const first = ref.current?.querySelector<HTMLElement>(
      "[data-autofocus], input:not([disabled]), select:not([disabled]), textarea, button:not(.modal__close):not([disabled])",
    );
    first?.focus();
  }, []);
  return (
    <ModalOverlay
      isOpen
      isDismissable
      onOpenChange={(open) => !open && props.onClose()}
      className="modal-backdrop"
    >
      <AriaModal className={`modal${props.wide ? " modal--wide" : ""}`}>
        <Dialog ref={ref} className="modal__dialog" aria-label={props.title} data-testid={props.testId}>
          <header className="modal__header">
            <Heading slot="title" className="modal__title">
              {props.title}
            </Heading>
            <button type="button" className="icon-button modal__close" aria-label="Close" onClick={props.onClose}>
              ×
            </button>
          </header>
          <div className="modal__body">{props.children}</div>
          {props.footer && <footer className="modal__footer">{props.footer}</footer>}
        </Dialog>
      </AriaModal>
    </ModalOverlay>
  );
}

export function ConfirmDialog(props: {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  danger?: boolean;
  busy?: boolean;
}) {
  return (
    <Modal
      title={props.title}
      onClose={props.onCancel}
      testId="confirm-dialog"
      footer={
        <>
          <button type="button" className="button button--ghost" onClick={props.onCancel}>
            Cancel
          </button>
          <button
            type="button"
            className={`button ${props.danger ? "button--danger" : "button--primary"}`}
            onClick={props.onConfirm}
            disabled={props.busy}
            data-testid="confirm-ok"
          >
            {props.confirmLabel}
          </button>
        </>
      }
    >
      <p className="confirm__text">{props.message}</p>
    </Modal>
  );
}
