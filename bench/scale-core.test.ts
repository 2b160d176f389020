import { describe, expect, it } from 'vitest';

import { benchScaleCore } from './scale-core.js';

describe('the core scale bench', () => {
  it('fills a conversation and measures sending, opening, searching and marking read', async () => {
    const result = await benchScaleCore({ messages: 5_000, sends: 5, searches: 2 });

    expect(result).toMatchObject({ messages: 5_000 });
    for (const figure of [result.coreSendP50Ms, result.coreOpenMs, result.searchMs, result.markReadMs]) expect(figure).toBeGreaterThan(0);
    expect(result.dbBytes).toBeGreaterThan(5_000 * 50);
  });
});
