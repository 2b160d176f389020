import { describe, expect, it } from 'vitest';

import { ContactBook } from './contact-book.js';

const bob = 'bob@chat.lab.test';
const carol = 'carol@chat.lab.test';

function book(): ContactBook {
  const contacts = new ContactBook();
  contacts.setRoster([bob, carol].map((jid) => ({ jid, name: null, subscription: 'both', askPending: false, groups: [] })));
  return contacts;
}

function presenceOf(contacts: ContactBook): Record<string, string> {
  return Object.fromEntries(contacts.view('lab').contacts.map((contact) => [contact.jid, [contact.availability, contact.status].filter(Boolean).join(' · ')]));
}

describe('the contact book across a lost stream', () => {
  it('knows nobody’s presence while the stream is away', () => {
    const contacts = book();
    contacts.presence(`${bob}/laptop`, { availability: 'away', status: 'In a meeting' });

    contacts.suspendPresence();

    expect(presenceOf(contacts)).toEqual({ [bob]: 'offline', [carol]: 'offline' });
  });

  it('carries on with what it knew when the stream is resumed, with what came since', () => {
    const contacts = book();
    contacts.presence(`${bob}/laptop`, { availability: 'away', status: 'In a meeting' });
    contacts.presence(`${carol}/phone`, { availability: 'available', status: null });
    contacts.suspendPresence();

    // Stanzas the server kept for the stream may come before the account hears it was resumed.
    contacts.presence(`${carol}/phone`, { availability: 'offline', status: null });
    contacts.resumePresence();

    expect(presenceOf(contacts)).toEqual({ [bob]: 'away · In a meeting', [carol]: 'offline' });
  });

  it('starts from what a fresh stream says, forgetting what it knew', () => {
    const contacts = book();
    contacts.presence(`${bob}/laptop`, { availability: 'away', status: 'In a meeting' });
    contacts.suspendPresence();

    contacts.presence(`${carol}/phone`, { availability: 'dnd', status: null });
    contacts.startedAfresh();
    contacts.resumePresence();

    expect(presenceOf(contacts)).toEqual({ [bob]: 'offline', [carol]: 'dnd' });
  });
});
