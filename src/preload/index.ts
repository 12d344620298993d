// The sandboxed preload: exposes the contract's renderer operations as window.rolecall, nothing else.
// Built into one CommonJS file that requires only `electron` (electron.vite.config.ts).
import { contextBridge, ipcRenderer } from 'electron';
import { createRendererApi } from './renderer-api';

contextBridge.exposeInMainWorld(
  'rolecall',
  createRendererApi({
    invoke: (channel, input) => ipcRenderer.invoke(channel, input),
    on: (channel, listener) => ipcRenderer.on(channel, listener),
    removeListener: (channel, listener) => ipcRenderer.removeListener(channel, listener),
  }),
);
