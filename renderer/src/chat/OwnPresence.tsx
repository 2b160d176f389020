import { useState } from 'react';
import type { Availability, OwnPresence as OwnPresenceValue } from '../../../electron/contract/contract.js';
import { SelectField } from '../preferences/controls.js';
import { availabilityLabels } from './presence.js';

/** The user's own availability and status message, applied to every community. */
export function OwnPresence({ presence, disabled, onChange }: { presence: OwnPresenceValue; disabled: boolean; onChange: (presence: OwnPresenceValue) => void }) {
  const [status, setStatus] = useState(presence.status);
  const [shownStatus, setShownStatus] = useState(presence.status);
  if (presence.status !== shownStatus) {
    setShownStatus(presence.status);
    setStatus(presence.status);
  }
  const commitStatus = () => {
    const trimmed = status.trim();
    if (trimmed !== presence.status) onChange({ ...presence, status: trimmed });
  };
  return (
    <div className={`own-presence presence-${presence.availability}`}>
      <SelectField<Availability>
        id="own-availability"
        label="Availability"
        value={presence.availability}
        options={availabilityLabels}
        disabled={disabled}
        onChange={(availability) => onChange({ ...presence, availability })}
      />
      <div className="field">
        <label htmlFor="own-status" className="visually-hidden">
          Status text
        </label>
        <input
          id="own-status"
          type="text"
          value={status}
          maxLength={500}
          placeholder="What are you up to?"
          disabled={disabled}
          onChange={(event) => setStatus(event.target.value)}
          onBlur={commitStatus}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              commitStatus();
            } else if (event.key === 'Escape') {
              setStatus(presence.status);
            }
          }}
        />
      </div>
    </div>
  );
}
