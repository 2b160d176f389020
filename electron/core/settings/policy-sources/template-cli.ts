/** The command line the template generators share: `--out DIR` (required), `--help`, and options of their own. */
import { parseArgs } from 'node:util';

type StringOptions<Name extends string> = Partial<Record<Name, string>>;

/** The arguments, or the usage printed and the process ended when they are wrong or --help asks for it. */
export function templateArguments<Name extends string = never>(usage: string, extraOptions: readonly Name[] = []): { out: string } & StringOptions<Name> {
  const options = Object.fromEntries([['out', { type: 'string' }], ['help', { type: 'boolean' }], ...extraOptions.map((name) => [name, { type: 'string' }])]) as Record<string, { type: 'string' | 'boolean' }>;
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ options }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  if (typeof values.out !== 'string') {
    console.error(usage);
    process.exit(2);
  }
  return values as { out: string } & StringOptions<Name>;
}
