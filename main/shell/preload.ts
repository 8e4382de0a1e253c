/**
 * Electron preload of every role window: exposes the device bridge as `window.govhall` and
 * nothing else (contextIsolation on, no Node in the page). The logic is in `preload-api.ts`.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createGovhallApi } from './preload-api.js';

contextBridge.exposeInMainWorld('govhall', createGovhallApi(ipcRenderer));
