import { useId, useState, type ReactNode } from "react";
import { Dialog } from "../shell/Dialog";

/**
 * A dialog with a form: Save runs {@code act} with a progress note; a refusal stays in the dialog
 * with the API's reason (so the form can be corrected), success closes it with the outcome.
 * {@code act} throws an Error whose message is the reason (an ApiError, or what the form lacks).
 */
export function FormDialog({ title, submit, busyText, act, onDone, onClose, children }: {
  title: string;
  submit: string;
  busyText: string;
  act: () => Promise<string>;
  onDone: (message: string) => void;
  onClose: () => void;
  children: ReactNode;
}) {
  const formId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog title={title} onClose={() => !busy && onClose()} actions={<>
      <button type="submit" form={formId} className="primary" disabled={busy}>{submit}</button>
      <button type="button" onClick={onClose} disabled={busy}>Cancel</button>
    </>}>
      <form id={formId} className="dialog-form" noValidate onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        act().then((message) => {
          setBusy(false);
          onDone(message);
        }, (err: unknown) => {
          setBusy(false);
          setError(err instanceof Error ? err.message : String(err));
        });
      }}>
        {children}
        <div aria-live="polite">
          {busy && <p className="progress"><span className="spinner" aria-hidden="true" /> {busyText}</p>}
          {error && <p className="error" role="alert">{error}</p>}
        </div>
      </form>
    </Dialog>
  );
}

/** Asks before a destructive action, as the canvas's Confirm, with words for both buttons; the safe one has the focus. */
export function AskFirst({ title, confirm, keep = "Cancel", onConfirm, onCancel, children }: {
  title: string;
  confirm: string;
  keep?: string;
  onConfirm: () => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  return (
    <Dialog title={title} onClose={onCancel} actions={<>
      <button type="button" className="danger" onClick={onConfirm}>{confirm}</button>
      <button type="button" data-autofocus onClick={onCancel}>{keep}</button>
    </>}>
      {children}
    </Dialog>
  );
}
