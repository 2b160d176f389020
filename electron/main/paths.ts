import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { windowPageQuery, type PreferencesPlace, type WindowKind } from '../contract/windows.js';

const distDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const preloadPath = path.join(distDir, 'preload', 'preload.cjs');
export const rendererDir = path.join(distDir, 'renderer');

export function rendererPageUrl(kind: WindowKind, place?: PreferencesPlace): string {
  return pathToFileURL(path.join(rendererDir, 'index.html')).href + windowPageQuery(kind, place);
}

/** Whether a URL is one of Burrow's own pages (the only ones allowed to use the contract). */
export function isRendererUrl(url: string): boolean {
  return url.startsWith(pathToFileURL(rendererDir).href + '/');
}
