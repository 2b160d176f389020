import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { messagingRequests, type AccountView } from '../../../electron/contract/contract.js';
import { errorWords } from '../../../electron/contract/error-words.js';
import { SelectField, TextField } from '../preferences/controls.js';
import { Field } from '../preferences/Field.js';
import type { ConversationRef } from './messagingState.js';

const jidSchema = messagingRequests['roster:add'].request.shape.jid;
const JID_HINT = 'must look like name@server';

function jidProblem(text: string): string | undefined {
  return jidSchema.safeParse(text).success ? undefined : JID_HINT;
}

/** Where a new contact or chat goes: the first connected community unless the user picks another. */
export function defaultCommunity(accounts: readonly AccountView[]): string {
  return (accounts.find(({ lifecycle }) => lifecycle.state === 'online') ?? accounts[0])?.communityId ?? '';
}

export function CommunityChoice({ id, accounts, value, onChange }: { id: string; accounts: readonly AccountView[]; value: string; onChange: (id: string) => void }) {
  if (accounts.length < 2) return null;
  const options = Object.fromEntries(accounts.map(({ communityId, displayName }) => [communityId, displayName]));
  return <SelectField id={id} label="Community" value={value} options={options} onChange={onChange} />;
}

export function SidebarForm({ label, error, onSubmit, onCancel, submitLabel, busy, children }: {
  label: string;
  error: string | null;
  onSubmit: () => void;
  onCancel: () => void;
  submitLabel: string;
  busy: boolean;
  children: ReactNode;
}) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <form className="sidebar-form" aria-label={label} onSubmit={submit} onKeyDown={(event) => event.key === 'Escape' && onCancel()} noValidate>
      {children}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="sidebar-form-buttons">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}

export function useAutoFocus(id: string) {
  const done = useRef(false);
  useEffect(() => {
    if (done.current) return;
    done.current = true;
    document.getElementById(id)?.focus();
  }, [id]);
}

/** Adds someone to the roster (and asks to see their presence). */
export function AddContactForm({
  accounts,
  onAdd,
  onDone,
}: {
  accounts: readonly AccountView[];
  onAdd: (request: { communityId: string; jid: string; name?: string; group?: string }) => Promise<void>;
  onDone: () => void;
}) {
  const [communityId, setCommunityId] = useState(() => defaultCommunity(accounts));
  const [jid, setJid] = useState('');
  const [name, setName] = useState('');
  const [group, setGroup] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useAutoFocus('add-contact-jid');

  const problem = jidProblem(jid.trim());
  const submit = () => {
    setTried(true);
    if (problem) return;
    setBusy(true);
    setError(null);
    const optional = { ...(name.trim() ? { name: name.trim() } : {}), ...(group.trim() ? { group: group.trim() } : {}) };
    onAdd({ communityId, jid: jid.trim(), ...optional }).then(onDone, (reason: unknown) => {
      setBusy(false);
      setError(`Not added: ${errorWords(reason)}`);
    });
  };
  return (
    <SidebarForm label="Add contact" error={error} onSubmit={submit} onCancel={onDone} submitLabel="Add contact" busy={busy}>
      <CommunityChoice id="add-contact-community" accounts={accounts} value={communityId} onChange={setCommunityId} />
      <TextField id="add-contact-jid" label="Contact address" value={jid} onChange={setJid} error={tried ? problem : undefined} />
      <TextField id="add-contact-name" label="Name (optional)" value={name} onChange={setName} />
      <TextField id="add-contact-group" label="Group (optional)" value={group} onChange={setGroup} />
    </SidebarForm>
  );
}

/** Opens a conversation with anyone, in the roster or not. */
export function NewChatForm({
  accounts,
  suggestions,
  onStart,
  onDone,
}: {
  accounts: readonly AccountView[];
  /** Addresses offered as the user types. */
  suggestions: readonly string[];
  onStart: (ref: ConversationRef) => void;
  onDone: () => void;
}) {
  const [communityId, setCommunityId] = useState(() => defaultCommunity(accounts));
  const [jid, setJid] = useState('');
  const [tried, setTried] = useState(false);
  useAutoFocus('new-chat-jid');

  const problem = jidProblem(jid.trim());
  const submit = () => {
    setTried(true);
    if (problem) return;
    onStart({ communityId, peer: jid.trim() });
    onDone();
  };
  return (
    <SidebarForm label="New chat" error={null} onSubmit={submit} onCancel={onDone} submitLabel="Start chat" busy={false}>
      <CommunityChoice id="new-chat-community" accounts={accounts} value={communityId} onChange={setCommunityId} />
      <Field id="new-chat-jid" label="Chat with" error={tried ? problem : undefined}>
        {(control) => (
          <input
            {...control}
            type="text"
            value={jid}
            list="new-chat-suggestions"
            placeholder="name@server"
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => setJid(event.target.value)}
          />
        )}
      </Field>
      <datalist id="new-chat-suggestions">
        {suggestions.map((suggestion) => (
          <option key={suggestion} value={suggestion} />
        ))}
      </datalist>
    </SidebarForm>
  );
}
