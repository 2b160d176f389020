import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: import.meta.dirname });

async function errorsOf(rule: string, filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((message) => message.ruleId === rule).map((message) => message.message);
}

const layeringErrors = (filePath: string, code: string) => errorsOf('no-restricted-imports', filePath, code);

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

describe('the lint rules keep xmpp.js behind the stream layer', () => {
  it('fails an import of xmpp.js outside electron/core/stream, even of types only', async () => {
    const errors = await layeringErrors('electron/core/session/violation.ts', "import { xml } from '@xmpp/xml';\nexport const build = xml;\n");
    expect(errors).toEqual([expect.stringContaining('Only the stream layer')]);
    expect(await layeringErrors('lab/violation.ts', "import type { Element } from '@xmpp/xml';\nexport type Stanza = Element;\n")).toHaveLength(1);
    expect(await layeringErrors('bench/violation.ts', "import Connection from '@xmpp/connection';\nexport const base = Connection;\n")).toHaveLength(1);
  });

  it('fails an inner path of an xmpp.js package, even in the stream layer', async () => {
    const errors = await layeringErrors('electron/core/stream/violation.ts', "import parse from '@xmpp/xml/lib/parse.js';\nexport const read = parse;\n");
    expect(errors).toEqual([expect.stringContaining('not its public API')]);
    expect(await layeringErrors('electron/core/stream/violation.ts', "import caller from '@xmpp/iq/caller.js';\nexport const iq = caller;\n")).toHaveLength(1);
  });

  it('fails a private (underscore) member used in core, read or written', async () => {
    const privateMember = (code: string) => errorsOf('no-restricted-syntax', 'electron/core/stream/violation.ts', code);
    expect(await privateMember('export const ready = (entity: { _ready(): void }) => entity._ready();\n')).toHaveLength(1);
    expect(await privateMember("export const attach = (entity: Record<string, unknown>, socket: unknown) => void (entity['_attachSocket'] = socket);\n")).toHaveLength(1);
  });

  it('fails a method replaced on an object in the stream layer, but not a transport prototype set as xmpp.js does', async () => {
    const syntaxErrors = (code: string) => errorsOf('no-restricted-syntax', 'electron/core/stream/violation.ts', code);
    expect(await syntaxErrors('export const patch = (entity: { write(data: string): Promise<void> }) => {\n  entity.write = async () => {};\n};\n')).toEqual([
      expect.stringContaining('subclass it'),
    ]);
    expect(await syntaxErrors('class Transport {\n  declare Socket: unknown;\n}\nTransport.prototype.Socket = function Socket() {};\nexport { Transport };\n')).toEqual([]);
  });

  it('accepts the main exports of xmpp.js in the stream layer', async () => {
    expect(await layeringErrors('electron/core/stream/fine.ts', "import { Client } from '@xmpp/client-core';\nexport const entity = Client;\n")).toEqual([]);
  });
});
