import { describe, expect, it } from 'vitest';
import { dispatch, HandlerError, type Handlers } from './validate.js';

const info = { name: 'Burrow', version: '1.0.0', mode: 'browser', platform: 'linux', os: 'Linux 6.1 x64', runtime: 'Node', dataDir: '/tmp/x' } as const;

const handlers: Partial<Handlers<'app:getInfo' | 'app:dismissNotice'>> = {
  'app:getInfo': () => info,
  'app:dismissNotice': ({ id }) => {
    if (id === 'locked') throw new HandlerError('forbidden', 'That notice cannot be dismissed.');
    if (id === 'boom') throw new Error('disk full');
  },
};

describe('dispatch validates every request at the boundary', () => {
  it('answers a valid request with the handler value', async () => {
    expect(await dispatch(handlers, 'app:getInfo', undefined)).toEqual({ ok: true, value: info });
  });

  it('refuses an unknown channel with a clear error', async () => {
    expect(await dispatch(handlers, 'fs:readFile', '/etc/passwd')).toEqual({
      ok: false,
      error: { code: 'invalid-channel', message: 'Unknown request channel "fs:readFile".' },
    });
  });

  it('refuses a channel of the contract that this side does not serve', async () => {
    const outcome = await dispatch(handlers, 'app:quit', undefined);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid-channel' } });
  });

  it('refuses an invalid payload and names the field, without calling the handler', async () => {
    const outcome = await dispatch(handlers, 'app:dismissNotice', { id: 42 });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid-payload', message: expect.stringContaining('id:') } });
  });

  it('refuses unknown extra fields', async () => {
    const outcome = await dispatch(handlers, 'app:dismissNotice', { id: 'a', sneaky: true });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
  });

  it('turns a HandlerError into its own error code', async () => {
    expect(await dispatch(handlers, 'app:dismissNotice', { id: 'locked' })).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'That notice cannot be dismissed.' },
    });
  });

  it('turns any other failure into an error response instead of a crash', async () => {
    expect(await dispatch(handlers, 'app:dismissNotice', { id: 'boom' })).toEqual({
      ok: false,
      error: { code: 'failed', message: 'app:dismissNotice failed: disk full' },
    });
  });

  it('refuses to send a response that breaks the contract', async () => {
    const broken = { 'app:getInfo': () => ({ ...info, mode: 'toaster' }) } as unknown as Handlers<'app:getInfo'>;
    expect(await dispatch(broken, 'app:getInfo', undefined)).toMatchObject({ ok: false, error: { code: 'failed' } });
  });
});
