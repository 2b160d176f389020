import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: import.meta.dirname });

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('the lint rules enforce the layering', () => {
  it('fails a core file that imports Electron', async () => {
    const errors = await layeringErrors('electron/core/violation.ts', "import { app } from 'electron';\nexport const name = app.name;\n");
    expect(errors).toEqual([expect.stringContaining('plain Node')]);
  });

  it('fails a renderer file that imports a Node built-in, with or without the node: prefix', async () => {
    expect(await layeringErrors('renderer/src/violation.ts', "import { readFileSync } from 'fs';\nexport const read = readFileSync;\n")).toHaveLength(1);
    expect(await layeringErrors('renderer/src/violation.tsx', "import net from 'node:net';\nexport const socket = net;\n")).toHaveLength(1);
  });

  it('fails a renderer file that imports electron/core', async () => {
    const errors = await layeringErrors('renderer/src/violation.ts', "import { createCore } from '../../electron/core/index.js';\nexport const start = createCore;\n");
    expect(errors).toEqual([expect.stringContaining('only electron/contract')]);
  });

  it('fails a contract file that imports Node, since the renderer bundles it', async () => {
    expect(await layeringErrors('electron/contract/violation.ts', "import os from 'node:os';\nexport const host = os.hostname;\n")).toHaveLength(1);
  });

  it('accepts the imports each layer is allowed', async () => {
    expect(await layeringErrors('renderer/src/fine.ts', "import { requests } from '../../electron/contract/contract.js';\nexport const all = requests;\n")).toEqual([]);
    expect(await layeringErrors('electron/core/fine.ts', "import net from 'node:net';\nexport const socket = net;\n")).toEqual([]);
    expect(await layeringErrors('electron/main/fine.ts', "import { app } from 'electron';\nexport const name = app.name;\n")).toEqual([]);
  });
});
