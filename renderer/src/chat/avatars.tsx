/**
 * Avatars in the page: each asked of core once, when a row first shows it, then kept current by
 * `avatars:changed`; the bytes become a `blob:` URL (the CSP allows blob: images), let go when
 * replaced. Where none is known — or no store is given, as in a component's own test — the
 * person's initial stands in.
 */
import { createContext, useContext, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { AvatarView, BurrowApi } from '../../../electron/contract/contract.js';
import { MAX_AVATAR_BYTES } from '../../../electron/contract/avatars.js';

type Shown = { hash: string; url: string } | null;

export class AvatarStore {
  private readonly shown = new Map<string, Shown>();
  private readonly asked = new Set<string>();
  private readonly listeners = new Set<() => void>();

  /** Follows changes for as long as the page lives. */
  constructor(private readonly api: BurrowApi) {
    api.on('avatars:changed', (view) => this.take(view));
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The `blob:` URL of who's avatar, null when none is known; asks core the first time. */
  urlOf(communityId: string, jid: string): string | null {
    const key = `${communityId} ${jid}`;
    if (!this.asked.has(key)) {
      this.asked.add(key);
      this.api.invoke('avatars:get', { communityId, jid }).then(
        (view) => this.take(view),
        () => undefined,
      );
    }
    return this.shown.get(key)?.url ?? null;
  }

  private take({ communityId, jid, image }: AvatarView): void {
    const key = `${communityId} ${jid}`;
    this.asked.add(key);
    const before = this.shown.get(key) ?? null;
    if ((before?.hash ?? null) === (image?.hash ?? null)) return;
    if (before) URL.revokeObjectURL(before.url);
    const bytes = image && Uint8Array.from(atob(image.data), (char) => char.charCodeAt(0));
    this.shown.set(key, image && bytes && { hash: image.hash, url: URL.createObjectURL(new Blob([bytes], { type: image.mime })) });
    for (const listener of this.listeners) listener();
  }
}

const AvatarContext = createContext<AvatarStore | null>(null);

/** One store for the page, while it is shown. */
export function AvatarProvider({ api, children }: { api: BurrowApi; children: ReactNode }) {
  const [store] = useState(() => new AvatarStore(api));
  return <AvatarContext.Provider value={store}>{children}</AvatarContext.Provider>;
}

const noStore = () => () => {};

function useAvatarUrl(communityId: string, jid: string | null): string | null {
  const store = useContext(AvatarContext);
  return useSyncExternalStore(store?.subscribe ?? noStore, () => (store && jid ? store.urlOf(communityId, jid) : null));
}

/** A person's picture, or their initial; `children` sit on it (the presence dot). */
export function Avatar({ communityId, jid, name, children }: { communityId: string; jid: string | null; name: string; children?: ReactNode }) {
  const url = useAvatarUrl(communityId, jid);
  return (
    // The initial is drawn by the style sheet, so that it is never part of a row's text.
    <span className={`avatar${url ? ' avatar-picture' : ''}`} aria-hidden="true" {...(url ? {} : { 'data-initial': name.charAt(0).toLocaleUpperCase() })}>
      {url && <img src={url} alt="" />}
      {children}
    </span>
  );
}

async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let start = 0; start < bytes.length; start += 0x8000) binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  return btoa(binary);
}

/**
 * "Choose avatar…": an image picked in the page, sent to core for every community the user is in
 * (core checks it again and publishes it); too large a file is refused here at once.
 */
export function ChooseAvatar({ api, communityIds, onError }: { api: BurrowApi; communityIds: readonly string[]; onError: (message: string) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const choose = async (file: File) => {
    if (file.size > MAX_AVATAR_BYTES) return onError(`That image is ${Math.ceil(file.size / 1024)} KiB; an avatar may be at most ${MAX_AVATAR_BYTES / 1024} KiB.`);
    setBusy(true);
    try {
      const data = await base64Of(file);
      await Promise.all(communityIds.map((communityId) => api.invoke('avatars:setOwn', { communityId, data })));
    } catch (error) {
      onError(`Avatar not set: ${(error as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className="choose-avatar" disabled={busy || communityIds.length === 0} onClick={() => input.current?.click()}>
        {busy ? 'Setting avatar…' : 'Choose avatar…'}
      </button>
      <input
        ref={input}
        type="file"
        accept="image/png,image/jpeg,image/gif,image/webp"
        aria-label="Avatar image"
        hidden
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file) void choose(file);
        }}
      />
    </>
  );
}
