import { useEffect, useId, useRef, type ReactNode } from 'react';

export interface ModalDialogProps {
  title: string;
  /** Besides `dialog`. */
  className?: string;
  /** Close or Escape closed it. */
  onClose: () => void;
  children: ReactNode;
}

/** A modal dialog of the chat window (Help › About, Getting started): its title, what it says, and Close. */
export function ModalDialog({ title, className, onClose, children }: ModalDialogProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    dialog.showModal();
    // Close takes the focus and scrolls a long dialog to its end: the reader starts at the top.
    dialog.scrollTop = 0;
  }, []);
  return (
    <dialog ref={dialogRef} className={['dialog', className].filter(Boolean).join(' ')} aria-labelledby={titleId} onClose={onClose}>
      <h2 id={titleId}>{title}</h2>
      {children}
      <form method="dialog">
        <button type="submit" autoFocus>
          Close
        </button>
      </form>
    </dialog>
  );
}
