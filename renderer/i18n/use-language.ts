/** React side of the catalogues: a component that calls this re-renders when the language changes. */
import { useSyncExternalStore } from 'react';
import { language, onLanguage } from './i18n.js';

export function useLanguage(): string {
  return useSyncExternalStore(onLanguage, language, language);
}
