/**
 * The settings file: opened through conf (plain Node) or electron-store (Electron), which share
 * conf's file handling. Before the store touches the file, Burrow reads, migrates and validates
 * it itself, so that a broken file is set aside with a notice instead of crashing the app or
 * being silently cleared.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Conf from 'conf';
import { fieldIssues, formatIssues, SettingsValidationError } from '../../common/settings/issues.js';
import { assertWritable } from './locks.js';
import { migrateSettings, UnsupportedVersionError } from './migrations.js';
import type { ExtractedSecrets } from './migrations.js';
import { emptyPolicy } from './policy.js';
import type { AdministratorPolicy } from './policy.js';
import { defaultSettings, Settings, settingsJsonSchema } from '../../common/settings/schema.js';
import type { SecretStore } from './secrets.js';

export const SETTINGS_FILE_NAME = 'settings.json';

/** What Burrow needs of conf and electron-store alike. */
export interface ConfLike {
  readonly path: string;
  store: Record<string, unknown>;
}

/** Options both `new Conf(options)` and `new ElectronStore(options)` accept. */
export interface SettingsConfOptions {
  cwd: string;
  /** The file name without `.json`: conf reads `configName`, electron-store reads `name`. */
  configName: string;
  name: string;
  defaults: Settings;
  schema: Record<string, unknown>;
  rootSchema: Record<string, unknown>;
  clearInvalidConfig: false;
}

export type CreateConf = (options: SettingsConfOptions) => ConfLike;

export const createPlainConf: CreateConf = (options) => new Conf(options as ConstructorParameters<typeof Conf>[0]);

export interface SettingsNotice {
  level: 'warning';
  message: string;
}

export interface SettingsStore {
  readonly path: string;
  /** Told to the user once: a settings file that was set aside, and why. */
  readonly notices: readonly SettingsNotice[];
  read(): Settings;
  /**
   * Validates and saves a whole document. Throws SettingsValidationError naming the bad fields,
   * or LockedSettingError when it changes a value the administrator locked.
   */
  write(next: unknown): Settings;
}

export interface OpenSettingsOptions {
  /** The folder that holds settings.json (Electron: userData; browser mode: its data folder). */
  cwd: string;
  /** Receives passwords that older settings versions kept in the file. */
  secrets: SecretStore;
  /** Locks to enforce on writes. */
  policy?: AdministratorPolicy;
  /** Electron passes `(options) => new ElectronStore(options)`; plain Node uses conf. */
  createConf?: CreateConf;
  now?: () => Date;
}

type FileReading =
  | { kind: 'missing' }
  | { kind: 'usable'; settings: Settings; migratedFrom: number | null; liftedSecrets: ExtractedSecrets }
  | { kind: 'unusable'; reason: string };

const settingsFileStem = path.basename(SETTINGS_FILE_NAME, '.json');
const { properties: settingsProperties = {}, ...settingsRootSchema } = settingsJsonSchema;

export async function openSettingsStore(options: OpenSettingsOptions): Promise<SettingsStore> {
  const { cwd, secrets, policy = emptyPolicy, createConf = createPlainConf, now = () => new Date() } = options;
  const file = path.join(cwd, SETTINGS_FILE_NAME);
  // A folder that cannot be made shows below as a file that cannot be read or kept.
  await mkdir(cwd, { recursive: true }).catch(() => {});
  const reading = await readSettingsFile(file);
  const notices: SettingsNotice[] = [];

  if (reading.kind === 'unusable') {
    const backup = `${file}.corrupt-${now().toISOString().replaceAll(':', '-')}`;
    const keptAs = await rename(file, backup).then(
      () => `The old file was kept as ${backup}.`,
      (error: unknown) => `The old file is still there: it could not be set aside (${(error as Error).message}).`,
    );
    notices.push({ level: 'warning', message: `Your settings could not be used (${reading.reason}), so Burrow started with default settings. ${keptAs}` });
  }

  if (reading.kind === 'usable' && reading.migratedFrom !== null) {
    // Secrets first: if storing them fails, the old file still has them. The migrated file
    // must be in place before the store opens, because the store validates it on opening.
    for (const [key, value] of Object.entries(reading.liftedSecrets)) await secrets.set(key, value);
    await replaceFile(file, JSON.stringify(reading.settings, undefined, '\t'));
  }

  const conf = openConf(createConf, cwd, file, notices);
  let current = reading.kind === 'usable' ? reading.settings : defaultSettings;

  return {
    path: conf.path,
    notices,
    read: () => current,
    write(next) {
      const parsed = Settings.safeParse(next);
      if (!parsed.success) throw new SettingsValidationError(fieldIssues(parsed.error));
      assertWritable(policy, current, parsed.data);
      conf.store = parsed.data;
      current = parsed.data;
      return current;
    },
  };
}

/** The settings file through conf, or, where it cannot be written, settings kept for this run only. */
function openConf(createConf: CreateConf, cwd: string, file: string, notices: SettingsNotice[]): ConfLike {
  try {
    return createConf({
      cwd,
      configName: settingsFileStem,
      name: settingsFileStem,
      defaults: defaultSettings,
      schema: settingsProperties,
      rootSchema: settingsRootSchema,
      clearInvalidConfig: false,
    });
  } catch (error) {
    notices.push({ level: 'warning', message: `Your settings cannot be saved (${(error as Error).message}): changes last until Burrow stops.` });
    return { path: file, store: {} };
  }
}

async function replaceFile(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}

async function readSettingsFile(file: string): Promise<FileReading> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    return { kind: 'unusable', reason: `the file could not be read: ${(error as Error).message}` };
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return { kind: 'unusable', reason: 'the file is not valid JSON' };
  }
  try {
    const migration = migrateSettings(document);
    const parsed = Settings.safeParse(migration.document);
    if (!parsed.success) return { kind: 'unusable', reason: `invalid settings: ${formatIssues(fieldIssues(parsed.error), '; ')}` };
    const migratedFrom = migration.fromVersion === parsed.data.version ? null : migration.fromVersion;
    return { kind: 'usable', settings: parsed.data, migratedFrom, liftedSecrets: migration.secrets };
  } catch (error) {
    if (error instanceof UnsupportedVersionError) return { kind: 'unusable', reason: error.message };
    if (error instanceof SettingsValidationError) return { kind: 'unusable', reason: formatIssues(error.issues, '; ') };
    throw error;
  }
}
