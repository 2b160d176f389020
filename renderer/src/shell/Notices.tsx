import { useEffect, useState } from 'react';
import type { Notice } from '../../../electron/contract/contract.js';
import { burrow } from '../api/burrow.js';

/** What core needs the user to know (a recovered settings file, a policy problem…), until dismissed. */
export function Notices() {
  const [notices, setNotices] = useState<Notice[]>([]);
  useEffect(() => {
    // A standing notice (a count that grows) comes again with its id: it is replaced in its place.
    const unsubscribe = burrow.on('app:notice', (notice) =>
      setNotices((current) => (current.some(({ id }) => id === notice.id) ? current.map((shown) => (shown.id === notice.id ? notice : shown)) : [...current, notice])),
    );
    burrow.invoke('app:listNotices').then(
      (listed) => setNotices((current) => [...listed, ...current.filter((notice) => !listed.some((known) => known.id === notice.id))]),
      () => undefined,
    );
    return unsubscribe;
  }, []);

  const dismiss = (id: string) => {
    setNotices((current) => current.filter((notice) => notice.id !== id));
    void burrow.invoke('app:dismissNotice', { id });
  };

  if (notices.length === 0) return null;
  return (
    <section className="notices" aria-label="Notices">
      {notices.map((notice) => (
        <p key={notice.id} className={`banner banner-${notice.level}`} role={notice.level === 'info' ? 'status' : 'alert'}>
          <span>{notice.message}</span>
          <button type="button" onClick={() => dismiss(notice.id)} aria-label={`Dismiss: ${notice.message}`}>
            Dismiss
          </button>
        </p>
      ))}
    </section>
  );
}
