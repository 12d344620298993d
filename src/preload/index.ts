// The preload exposes the typed contract as window.rolecall and nothing else (issue #5 fills it in).
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('rolecall', {});
