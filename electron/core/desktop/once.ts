/** Things Burrow tells the user only once, such as why closing the window did not quit it, remembered in the data folder. */
import { fileMemoryStore } from '../accounts/remembered-file.js';

export type OnceHint = 'closed-to-tray';

export interface OnceHints {
  /** True the first time it is asked for a hint, ever; false after. */
  firstTime(hint: OnceHint): boolean;
}

export function onceHints(dataDir: string): OnceHints {
  const told = fileMemoryStore<boolean>(dataDir, 'hints-told.json');
  return {
    firstTime: (hint) => {
      if (told.get(hint) === true) return false;
      told.set(hint, true);
      return true;
    },
  };
}
