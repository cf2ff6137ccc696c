import { useEffect, useId, useRef, type ReactNode } from "react";

/**
 * A modal dialog on the browser's own {@code <dialog>}: it keeps focus inside, Escape closes it,
 * and the page behind cannot be clicked. No UI kit. The element marked {@code data-autofocus} gets
 * the focus (React's autoFocus would not do: showModal, which runs after it, moves the focus to the
 * first control).
 */
export function Dialog({ title, children, actions, onClose, className }: {
  title: string;
  /** "wide" for a form. */
  className?: string;
  children: ReactNode;
  /** The buttons, last the one Enter should not press by accident. */
  actions: ReactNode;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) {
      dialog.showModal();
      dialog.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    }
    return () => dialog?.close();
  }, []);
  return (
    <dialog ref={ref} className={`dialog${className ? ` ${className}` : ""}`} aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault(); // Escape: the owner decides, and unmounts it
        onClose();
      }}>
      <h2 id={titleId}>{title}</h2>
      <div className="dialog-body">{children}</div>
      <div className="dialog-actions">{actions}</div>
    </dialog>
  );
}

/** Asks before a destructive action; Cancel has the focus. */
export function Confirm({ title, children, confirm, onConfirm, onCancel }: {
  title: string;
  children: ReactNode;
  confirm: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Dialog title={title} onClose={onCancel} actions={<>
      <button type="button" className="danger" onClick={onConfirm}>{confirm}</button>
      <button type="button" data-autofocus onClick={onCancel}>Cancel</button>
    </>}>
      {children}
    </Dialog>
  );
}
